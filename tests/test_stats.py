"""Length-norm statistics with planted effects (contentkit/analytics/stats.py).

Generated sites: words log-normal around 900, article age 100-2,500 days, 5 topic clusters,
outcome (views per day) log-normal with an age effect. Fast: vectorised bootstrap with few
resamples (the command uses 2,000).
"""
from __future__ import annotations

import numpy as np
import pytest
from scipy import stats as sps

from contentkit.analytics.stats import (StatsRecord, holm, length_norm, needed_sample,
                                        partial_spearman, primary_test)

N_BOOT = 250


def planted_records(seed: int, n: int = 60, length_effect: float = 0.0, age_corr: float = 0.0,
              age_effect: float = 0.5) -> list[StatsRecord]:
    rng = np.random.default_rng(seed)
    age = rng.uniform(100, 2500, n)
    log_age = np.log(age) - np.log(age).mean()
    lw = np.log(900) + rng.normal(0, 0.6, n) + age_corr * log_age
    words = np.maximum(np.round(np.exp(lw)), 50).astype(int)
    cluster = rng.integers(0, 5, n)
    y = np.exp(0.5 + age_effect * log_age + 0.2 * cluster + length_effect * np.log2(words / 800)
               + rng.normal(0, 0.8, n))
    return [StatsRecord(source=f"a{i}.md", title=f"A {i}", words=int(words[i]),
                        cluster=f"c{cluster[i]}", age_days=float(age[i]), outcome=float(y[i]),
                        kpis={"views_per_day": float(y[i])}) for i in range(n)]


def verdict(records, seed=1, n_boot=N_BOOT):
    return length_norm(records, lang="en", n_boot=n_boot, seed=seed, descriptives=False)


def test_needed_sample_fisher_z():
    assert needed_sample(0.3) == 85          # ((1.96 + 0.84) / atanh 0.3)² + 3 = 84.9
    assert needed_sample(0.5) == 30
    assert needed_sample(0.1) > 700


def test_planted_length_effect_is_found():
    found = 0
    for seed in range(10):
        res = verdict(planted_records(seed, n=100, length_effect=0.5), seed=seed)
        found += res["verdict"] == "longer_better"
        assert res["verdict"] != "shorter_better"
    assert found >= 9
    res = verdict(planted_records(1, n=100, length_effect=0.5))
    assert res["test"]["ci"][0] > 0 and res["test"]["pct_per_doubling"] > 10
    assert verdict(planted_records(2, n=100, length_effect=-0.5))["verdict"] == "shorter_better"


def test_no_effect_rarely_claims_a_difference():
    differences = 0
    for seed in range(200):
        res = verdict(planted_records(seed, n=80), seed=seed)
        differences += res["verdict"] in ("longer_better", "shorter_better")
    assert differences <= 10, f"{differences} false positives out of 200"


def test_age_only_effect_is_not_a_length_effect():
    """Longer articles are older; traffic depends on age only. The raw Spearman correlation of
    length with traffic is clearly positive, the partial one (controlled for age) is not."""
    naive_hits = verdicts = 0
    for seed in range(20):
        recs = planted_records(100 + seed, n=80, age_corr=0.9, age_effect=1.5)
        raw = sps.spearmanr([r.words for r in recs], [r.outcome for r in recs]).statistic
        naive_hits += raw > 0.2
        verdicts += verdict(recs, seed=seed)["verdict"] == "no_clear_difference"
    assert naive_hits >= 15          # the confound is real in the generated data
    assert verdicts >= 18            # and the controlled test does not fall for it


def test_tiny_samples_are_insufficient():
    res = verdict(planted_records(3, n=12, length_effect=2.0))
    assert res["verdict"] == "insufficient_data"
    assert res["needed_n"]["n"] == 85
    assert "inconclusive" in res["text"]["headline"]
    # enough articles but too few in the 500-800 reference bucket
    recs = [r for r in planted_records(4, n=120) if not 500 <= r.words < 800][:40]
    res = verdict(recs)
    assert res["n"] == 40 and res["reference_bucket_n"] == 0
    assert res["verdict"] == "insufficient_data"


def test_excluded_articles_are_listed_with_reason():
    recs = planted_records(5, n=40)
    recs[0].excluded, recs[0].outcome = "live 12 days in the window (< 90)", None
    res = verdict(recs)
    assert res["n"] == 39
    assert res["excluded"] == [{"source": "a0.md", "title": "A 0",
                                "reason": "live 12 days in the window (< 90)"}]


def test_deterministic_and_partial_spearman_matches_plain_without_controls():
    recs = planted_records(11, n=50, length_effect=0.3)
    w, y, a, c = ([r.words for r in recs], [r.outcome for r in recs], [r.age_days for r in recs],
                  [r.cluster for r in recs])
    t1 = primary_test(w, y, a, c, n_boot=300, seed=3)
    t2 = primary_test(w, y, a, c, n_boot=300, seed=3)
    assert t1 == t2
    plain = sps.spearmanr(w, y).statistic
    assert partial_spearman(w, y) == pytest.approx(plain, abs=1e-12)


def test_descriptives_buckets_and_secondary_tests():
    recs = planted_records(12, n=90, length_effect=0.4)
    for r in recs:
        r.readability, r.depth = 60 - r.words / 100, min(100, r.words / 30)
        r.kpis["completion"] = 0.5
    res = length_norm(recs, buckets=[500, 800, 1500, 3000], lang="fr", n_boot=200)
    labels = [b["label"] for b in res["buckets"]]
    assert len(labels) == 5 and sum(b["n"] for b in res["buckets"]) == 90
    ref = next(b for b in res["buckets"] if b["reference"])
    assert ref["lo"] == 500 and ref["hi"] == 800
    for b in res["buckets"]:
        cell = b["kpis"]["views_per_day"]
        if b["n"] < 10:
            assert cell["ci"] is None
        else:
            assert cell["ci"][0] <= cell["median"] <= cell["ci"][1]
    assert all(t["exploratory"] for t in res["secondary"])
    ps = [t["p_holm"] for t in res["secondary"] if t["p"] is not None]
    assert all(p is not None for p in ps)
    assert res["bands"]["depth"] is not None and res["bands"]["depth_vs_length_rho"] > 0.9
    assert res["text"]["headline"].startswith("Sur ce site") or "Pas de" in res["text"]["headline"]


def test_holm():
    assert holm([0.01, 0.04, 0.03, None]) == [0.03, 0.06, 0.06, None]
