"""Does length matter? A pre-declared, statistically honest test of "articles should be N words".

Pre-declared primary analysis (nothing else decides the verdict)
-----------------------------------------------------------------
* Outcome: page views per day live (``log1p``), only for articles live ≥ 90 days in the export
  window; with per-day data, views in the first 180 days after publication (per day covered)
  when at least ``MIN_ELIGIBLE`` articles allow it. Raw time on page is never an outcome of
  success: it rises with length mechanically.
* Test: Spearman correlation of length (words) with the outcome, *partial* on article age and
  topic cluster (primary category): words, outcome and age are ranked, the ranks are residualised
  on cluster fixed effects and the age rank (Frisch–Waugh), and the residuals are correlated.
  95 % percentile bootstrap interval (seeded: the same data give the same interval), resampling
  articles and re-ranking inside each resample.
* Effect size: "% change per doubling of length" = (exp(b) − 1) × 100, b the slope of
  log1p(outcome) on log2(words) with the same controls (cubic in log age, cluster effects).
* Decision: fewer than ``MIN_ELIGIBLE`` (30) eligible articles, or fewer than ``MIN_BUCKET`` (10)
  in the reference bucket (500-800 words) → ``insufficient_data`` (inconclusive, never "no
  effect"), with the sample needed for a moderate correlation (Fisher z). Otherwise, the interval
  excludes 0 → ``longer_better`` / ``shorter_better``; else ``no_clear_difference``. As a
  robustness guard against the known slight under-coverage of percentile bootstrap intervals of
  correlations in small samples, the Fieller–Hartley–Pearson interval (Fisher z, var 1.06/(n−3−k),
  k controls) must exclude 0 too; both intervals are reported.

Everything else (other KPIs, readability, depth, buckets, weekday/hour) is descriptive or
exploratory; exploratory tests are Holm-corrected and labelled as such.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import stats as sps

from contentkit.i18n import catalog

__all__ = ["VERDICTS", "MIN_ELIGIBLE", "MIN_BUCKET", "MIN_DAYS_LIVE", "FIRST_DAYS", "N_BOOT",
           "SEED", "KPIS", "kpi_labels", "StatsRecord", "needed_sample", "partial_spearman", "primary_test",
           "length_norm", "bucket_edges_label", "holm", "verdict_text"]

VERDICTS = ("longer_better", "shorter_better", "no_clear_difference", "insufficient_data")
MIN_ELIGIBLE = 30
MIN_BUCKET = 10
MIN_DAYS_LIVE = 90
FIRST_DAYS = 180
N_BOOT = 2000
SEED = 20240601
CI_LEVEL = 0.95

#: KPIs described per bucket/band: name -> higher is better? (labels: analysis.kpi.<name> in the
#: catalogs; see kpi_labels)
KPIS: dict[str, bool | None] = {
    "views_per_day": True,
    "search_clicks_per_day": True,
    "engaged_seconds_per_view": None,
    "completion": True,
    "engagement_rate": True,
    "key_events_per_1000_views": True,
    "search_position": False,
}


def kpi_labels(lang: str) -> dict[str, str]:
    """KPI name -> its label in a language (catalog section analysis.kpi)."""
    t = catalog(lang)
    return {k: t.t(f"analysis.kpi.{k}") for k in KPIS}
#: KPIs tested (exploratory) against length besides the primary outcome. Engaged time per view
#: is described but never tested as "success" (it grows with length mechanically).
SECONDARY_KPIS = ("search_clicks_per_day", "completion", "engagement_rate",
                  "key_events_per_1000_views", "search_position")


@dataclass
class StatsRecord:
    """One article as the statistics see it."""

    source: str
    title: str
    words: int
    cluster: str = ""
    age_days: float | None = None
    outcome: float | None = None          # primary outcome (views per day), None if unknown
    excluded: str | None = None           # why the article is not in the primary test
    kpis: dict[str, float | None] = field(default_factory=dict)
    readability: float | None = None
    depth: float | None = None
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    weekday: int | None = None            # 0 = Monday, in the site's time zone
    hour: int | None = None
    url: str = ""


# ------------------------------------------------------------------------------ helpers

def needed_sample(r: float = 0.3, power: float = 0.8, alpha: float = 0.05) -> int:
    """Articles needed to detect a correlation ``r`` (two-sided), Fisher z approximation:
    n = ((z₁₋α/₂ + z_power) / atanh(r))² + 3."""
    za = sps.norm.ppf(1 - alpha / 2)
    zb = sps.norm.ppf(power)
    return int(math.ceil(((za + zb) / math.atanh(abs(r))) ** 2 + 3))


def _rank_rows(a: np.ndarray) -> np.ndarray:
    return sps.rankdata(a, axis=-1)


def _residualize(values: Sequence[np.ndarray], groups: np.ndarray, ncl: int,
                 covariate: np.ndarray | None) -> list[np.ndarray]:
    """Residuals of each (B, n) array on cluster fixed effects and a cubic polynomial of one
    covariate (Frisch–Waugh: demean within clusters, then regress on the demeaned terms)."""
    B, n = groups.shape
    off = (groups + ncl * np.arange(B)[:, None]).ravel()
    cnt = np.maximum(np.bincount(off, minlength=B * ncl), 1)

    def demean(x):
        if ncl <= 1:
            return x - x.mean(axis=1, keepdims=True)
        s = np.bincount(off, weights=x.ravel(), minlength=B * ncl) / cnt
        return x - s[off].reshape(B, n)

    out = [demean(v) for v in values]
    if covariate is not None:
        z = covariate - covariate.mean(axis=1, keepdims=True)
        sd = z.std(axis=1, keepdims=True)
        z = z / np.where(sd > 0, sd, 1.0)
        cols = [demean(z), demean(z * z), demean(z * z * z)]
        p = len(cols)
        ctc = np.empty((B, p, p))
        for i in range(p):
            for j in range(i, p):
                ctc[:, i, j] = ctc[:, j, i] = np.einsum("bn,bn->b", cols[i], cols[j])
        ridge = 1e-9 * (np.trace(ctc, axis1=1, axis2=2) + 1.0)
        ctc += ridge[:, None, None] * np.eye(p)[None]
        res = []
        for v in out:
            rhs = np.stack([np.einsum("bn,bn->b", c, v) for c in cols], axis=1)
            beta = np.linalg.solve(ctc, rhs[..., None])[..., 0]
            r = v.copy()
            for i, c in enumerate(cols):
                r -= beta[:, i:i + 1] * c
            res.append(r)
        out = res
    return out


def _corr_rows(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    x = x - x.mean(axis=1, keepdims=True)
    y = y - y.mean(axis=1, keepdims=True)
    den = np.sqrt((x * x).sum(axis=1) * (y * y).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, (x * y).sum(axis=1) / np.where(den > 0, den, 1.0), np.nan)


def _codes(labels: Sequence[str]) -> tuple[np.ndarray, int]:
    uniq = {c: i for i, c in enumerate(sorted(set(labels)))}
    return np.array([uniq[c] for c in labels], dtype=np.int64), max(1, len(uniq))


def _partial_rho_rows(x, y, age, groups, ncl):
    """Partial Spearman per row of (B, n) arrays."""
    rx, ry = _rank_rows(x), _rank_rows(y)
    ra = _rank_rows(age) if age is not None else None
    ex, ey = _residualize([rx, ry], groups, ncl, ra)
    return _corr_rows(ex, ey)


def _codes_of(values: np.ndarray) -> tuple[np.ndarray, int]:
    """Dense integer codes of values (equal values share a code), and how many codes."""
    uniq, inv = np.unique(values, return_inverse=True)
    return inv.astype(np.int64), len(uniq)


def _rank_codes(codes: np.ndarray, m: int) -> np.ndarray:
    """Average ranks per row of (B, n) dense codes, by counting (no sort): a code's rank is the
    number of smaller values in its row plus (its count + 1) / 2 — identical to rankdata."""
    B, n = codes.shape
    off = (codes + m * np.arange(B)[:, None]).ravel()
    cnt = np.bincount(off, minlength=B * m).reshape(B, m)
    before = np.cumsum(cnt, axis=1) - cnt
    avg = before + (cnt + 1) / 2.0
    return avg.ravel()[off].reshape(B, n)


def _partial_rho_codes(cx, cy, ca, mx, my, ma, groups, ncl):
    """_partial_rho_rows on pre-coded values (bootstrap fast path)."""
    rx, ry, ra = _rank_codes(cx, mx), _rank_codes(cy, my), _rank_codes(ca, ma)
    ex, ey = _residualize([rx, ry], groups, ncl, ra)
    return _corr_rows(ex, ey)


def _slope_rows(x, y, age, groups, ncl):
    ex, ey = _residualize([x, y], groups, ncl, age)
    den = (ex * ex).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, (ex * ey).sum(axis=1) / np.where(den > 0, den, 1.0), np.nan)


def _boot_indices(n: int, n_boot: int, seed: int):
    """Bootstrap index matrices, in chunks (bounded memory), deterministic for a seed."""
    rng = np.random.default_rng(seed)
    chunk = max(1, min(n_boot, 2_000_000 // max(n, 1)))
    done = 0
    while done < n_boot:
        b = min(chunk, n_boot - done)
        yield rng.integers(0, n, size=(b, n))
        done += b


def partial_spearman(x, y, age=None, clusters: Sequence[str] | None = None) -> float | None:
    """Spearman correlation of x and y partial on age (rank) and cluster fixed effects."""
    x = np.asarray(x, float)
    y = np.asarray(y, float)
    if len(x) < 4 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return None
    groups, ncl = _codes(clusters if clusters is not None else [""] * len(x))
    a = None if age is None else np.asarray(age, float)[None, :]
    r = _partial_rho_rows(x[None, :], y[None, :], a, groups[None, :], ncl)[0]
    return None if np.isnan(r) else float(r)


def _p_value(r: float | None, n: int, k: int) -> float | None:
    """Two-sided p-value of a partial correlation with k control terms (t approximation);
    k = cluster effects − 1 + 3 age terms."""
    if r is None:
        return None
    df = n - 2 - k
    if df < 1:
        return None
    r = max(min(r, 0.999999), -0.999999)
    t = r * math.sqrt(df / (1 - r * r))
    return float(2 * sps.t.sf(abs(t), df))


def primary_test(words, outcome, age, clusters: Sequence[str], n_boot: int = N_BOOT,
                 seed: int = SEED) -> dict[str, Any]:
    """The pre-declared test on eligible articles: partial Spearman + bootstrap CI, and the
    % change per doubling of length with its bootstrap CI."""
    words = np.asarray(words, float)
    y = np.log1p(np.asarray(outcome, float))
    age = np.asarray(age, float)
    n = len(words)
    groups, ncl = _codes(clusters)
    # clusters of one article carry no within-cluster information: they drop out by themselves
    lw, la = np.log2(np.maximum(words, 1)), np.log(np.maximum(age, 1))
    rho = _partial_rho_rows(words[None], y[None], age[None], groups[None], ncl)[0]
    slope = _slope_rows(lw[None], y[None], la[None], groups[None], ncl)[0]
    rhos, slopes = [], []
    (cx, mx), (cy, my), (ca, ma) = _codes_of(words), _codes_of(y), _codes_of(age)
    for idx in _boot_indices(n, n_boot, seed):
        g = groups[idx]
        rhos.append(_partial_rho_codes(cx[idx], cy[idx], ca[idx], mx, my, ma, g, ncl))
        slopes.append(_slope_rows(lw[idx], y[idx], la[idx], g, ncl))
    rhos_a = np.concatenate(rhos) if rhos else np.array([])
    slopes_a = np.concatenate(slopes) if slopes else np.array([])
    q = [(1 - CI_LEVEL) / 2 * 100, (1 + CI_LEVEL) / 2 * 100]
    ok = rhos_a[~np.isnan(rhos_a)]
    ci = [float(v) for v in np.percentile(ok, q)] if len(ok) >= 20 else None
    oks = slopes_a[~np.isnan(slopes_a)]
    sci = [float(v) for v in np.percentile(oks, q)] if len(oks) >= 20 else None
    used_clusters = int(sum(1 for c in np.bincount(groups) if c > 1))
    # Fieller–Hartley–Pearson interval for a Spearman correlation on the Fisher z scale,
    # var(z) ≈ 1.06 / (n − 3 − k), k = controls (cluster effects + 3 age terms)
    k = (ncl - 1) + 3
    fieller = None
    if not np.isnan(rho) and n - 3 - k > 0:
        zr = math.atanh(max(min(float(rho), 0.999999), -0.999999))
        half = sps.norm.ppf((1 + CI_LEVEL) / 2) * math.sqrt(1.06 / (n - 3 - k))
        fieller = [math.tanh(zr - half), math.tanh(zr + half)]
    pct = lambda b: None if b is None or np.isnan(b) else float((math.exp(b) - 1) * 100)  # noqa: E731
    return {
        "rho": None if np.isnan(rho) else float(rho),
        "ci": ci,
        "ci_level": CI_LEVEL,
        "ci_fieller": fieller,
        "n": n,
        "n_boot": n_boot,
        "seed": seed,
        "clusters": used_clusters,
        "p_approx": _p_value(None if np.isnan(rho) else float(rho), n, k),
        "slope_log1p_per_log2_words": None if np.isnan(slope) else float(slope),
        "pct_per_doubling": pct(slope),
        "pct_per_doubling_ci": None if sci is None else [pct(sci[0]), pct(sci[1])],
    }


def holm(pvalues: Sequence[float | None]) -> list[float | None]:
    """Holm step-down adjusted p-values (None stays None)."""
    items = sorted((p, i) for i, p in enumerate(pvalues) if p is not None)
    m = len(items)
    out: list[float | None] = [None] * len(pvalues)
    running = 0.0
    for rank, (p, i) in enumerate(items):
        running = max(running, min(1.0, (m - rank) * p))
        out[i] = running
    return out


# ------------------------------------------------------------------------------ descriptives

def bucket_edges_label(lo: float | None, hi: float | None, fr: bool) -> str:
    def f(v):
        s = f"{int(v):,}"
        return s.replace(",", "\u202f") if fr else s
    if lo is None:
        return f"< {f(hi)}"
    if hi is None:
        return f"> {f(lo)}"
    return f"{f(lo)}–{f(hi)}"


def _assign(values: np.ndarray, edges: Sequence[float]) -> np.ndarray:
    return np.searchsorted(np.asarray(edges, float), values, side="right")


def _median_ci(values: np.ndarray, rng: np.random.Generator, n_boot: int):
    if len(values) < MIN_BUCKET:
        return None
    idx = rng.integers(0, len(values), size=(n_boot, len(values)))
    meds = np.median(values[idx], axis=1)
    return [float(np.percentile(meds, 2.5)), float(np.percentile(meds, 97.5))], meds


def _groups_table(labels: list[str], assign: np.ndarray, records: Sequence[StatsRecord],
                  ref: int | None, n_boot: int, seed: int, bounds=None) -> list[dict]:
    rng = np.random.default_rng(seed + 17)
    out = []
    ref_boot: dict[str, np.ndarray] = {}
    ref_med: dict[str, float] = {}
    order = ([ref] if ref is not None else []) + [g for g in range(len(labels)) if g != ref]
    rows: dict[int, dict] = {}
    for g in order:
        members = [r for r, a in zip(records, assign) if a == g]
        row: dict[str, Any] = {"label": labels[g], "n": len(members), "reference": g == ref,
                               "kpis": {}}
        if bounds is not None:
            row["lo"], row["hi"] = bounds[g]
        if members:
            row["median_words"] = float(np.median([m.words for m in members]))
        for kpi in KPIS:
            vals = np.array([m.kpis.get(kpi) for m in members if m.kpis.get(kpi) is not None],
                            float)
            vals = vals[~np.isnan(vals)] if len(vals) else vals
            cell: dict[str, Any] = {"n": int(len(vals)),
                                    "median": float(np.median(vals)) if len(vals) else None,
                                    "ci": None, "diff_vs_ref": None, "diff_ci": None}
            res = _median_ci(vals, rng, n_boot) if len(vals) else None
            if res is not None:
                cell["ci"], boots = res
                if g == ref:
                    ref_boot[kpi], ref_med[kpi] = boots, cell["median"]
                elif kpi in ref_boot:
                    d = boots - ref_boot[kpi][: len(boots)]
                    cell["diff_ci"] = [float(np.percentile(d, 2.5)), float(np.percentile(d, 97.5))]
            if g != ref and cell["median"] is not None and ref is not None:
                rm = ref_med.get(kpi)
                if rm is None:
                    rv = [m.kpis[kpi] for m, a2 in zip(records, assign)
                          if a2 == ref and m.kpis.get(kpi) is not None]
                    rm = float(np.median(rv)) if rv else None
                cell["diff_vs_ref"] = None if rm is None else cell["median"] - rm
            row["kpis"][kpi] = cell
        rows[g] = row
    for g in range(len(labels)):
        out.append(rows[g])
    return out


def _bands(records: Sequence[StatsRecord], attr: str, fr: bool, n_boot: int, seed: int):
    vals = np.array([getattr(r, attr) for r in records if getattr(r, attr) is not None], float)
    if len(vals) < 6 or np.ptp(vals) == 0:
        return None
    cuts = [float(np.percentile(vals, 100 / 3)), float(np.percentile(vals, 200 / 3))]
    recs = [r for r in records if getattr(r, attr) is not None]
    assign = _assign(np.array([getattr(r, attr) for r in recs], float), cuts)
    t = catalog("fr" if fr else "en")
    names = [t.t(f"analysis.stats.band_{b}") for b in ("low", "middle", "high")]
    labels = [f"{names[0]} (< {cuts[0]:.0f})", f"{names[1]} ({cuts[0]:.0f}–{cuts[1]:.0f})",
              f"{names[2]} (≥ {cuts[1]:.0f})"]
    return {"cuts": cuts, "bands": _groups_table(labels, assign, recs, None, n_boot, seed)}


def _by_time(records: Sequence[StatsRecord], fr: bool) -> dict[str, Any]:
    t = catalog("fr" if fr else "en")
    names = [t.t(f"analysis.stats.weekday.{d}") for d in WEEKDAYS]
    wd = []
    for d in range(7):
        v = [r.outcome for r in records if r.weekday == d and r.outcome is not None]
        wd.append({"weekday": d, "label": names[d], "n": len(v),
                   "median_views_per_day": float(np.median(v)) if v else None})
    slots = [(lo, hi, t.t(f"analysis.stats.hours_{lo}_{hi}"))
             for lo, hi in ((0, 9), (9, 12), (12, 14), (14, 18), (18, 24))]
    hours = []
    for lo, hi, label in slots:
        v = [r.outcome for r in records if r.hour is not None and lo <= r.hour < hi
             and r.outcome is not None]
        hours.append({"from": lo, "to": hi, "label": label, "n": len(v),
                      "median_views_per_day": float(np.median(v)) if v else None})
    return {"weekday": wd, "hour": hours, "exploratory": True}


# ------------------------------------------------------------------------------ main

#: Weekday keys of analysis.stats.weekday, Monday first (datetime.weekday()).
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: What the length-norm test does not control for (analysis.stats.not_controlled.<key>), in order.
NOT_CONTROLLED = ("promotion", "internal_links", "seasonality", "demand", "authors", "title",
                  "updates")


def length_norm(records: Sequence[StatsRecord], buckets: Sequence[int] = (500, 800, 1500, 3000),
                lang: str = "fr", n_boot: int = N_BOOT, seed: int = SEED,
                outcome_info: dict[str, Any] | None = None, descriptives: bool = True
                ) -> dict[str, Any]:
    """The whole length-norm analysis (verdict + descriptives), JSON-ready."""
    fr = lang.startswith("fr")
    t = catalog("fr" if fr else "en")
    edges = sorted(int(b) for b in buckets)
    eligible = [r for r in records if r.excluded is None and r.outcome is not None
                and r.age_days is not None]
    kept = {id(r) for r in eligible}
    excluded = [{"source": r.source, "title": r.title,
                 "reason": r.excluded or t.t("analysis.stats.no_traffic_measure")}
                for r in records if id(r) not in kept]
    n = len(eligible)
    bounds = [(None if i == 0 else edges[i - 1], edges[i] if i < len(edges) else None)
              for i in range(len(edges) + 1)]
    labels = [bucket_edges_label(lo, hi, fr) for lo, hi in bounds]
    ref = next((i for i, (lo, _) in enumerate(bounds) if lo == 500), 1 if len(bounds) > 1 else 0)
    assign = _assign(np.array([r.words for r in eligible], float), edges) if eligible else np.array([], int)
    ref_n = int((assign == ref).sum()) if n else 0

    result: dict[str, Any] = {
        "verdict": "insufficient_data",
        "n": n,
        "n_articles": len(records),
        "outcome": outcome_info or {},
        "min_days_live": MIN_DAYS_LIVE,
        "reference_bucket": labels[ref],
        "reference_bucket_n": ref_n,
        "needed_n": {"r": 0.3, "power": 0.8, "alpha": 0.05, "n": needed_sample(0.3)},
        "test": None,
        "excluded": excluded,
        "not_controlled": [t.t(f"analysis.stats.not_controlled.{k}") for k in NOT_CONTROLLED],
        "reasons": [],
    }
    if n >= 4:
        test = primary_test([r.words for r in eligible], [r.outcome for r in eligible],
                            [r.age_days for r in eligible], [r.cluster for r in eligible],
                            n_boot=n_boot, seed=seed)
        test["method"] = t.t("analysis.stats.method", ci=int(CI_LEVEL * 100), n_boot=n_boot,
                             seed=seed)
        result["test"] = test
    reasons = []
    if n < MIN_ELIGIBLE:
        reasons.append(t.t("analysis.stats.only_eligible", n=n, m=MIN_ELIGIBLE))
    if ref_n < MIN_BUCKET:
        reasons.append(t.t("analysis.stats.only_reference", n=ref_n, b=labels[ref], m=MIN_BUCKET))
    test = result["test"]
    if reasons:
        result["verdict"] = "insufficient_data"
    elif test is None or test["ci"] is None:
        result["verdict"] = "insufficient_data"
        reasons.append(t.t("analysis.stats.no_interval"))
    elif test["ci"][0] > 0 and (test["ci_fieller"] is None or test["ci_fieller"][0] > 0):
        result["verdict"] = "longer_better"
    elif test["ci"][1] < 0 and (test["ci_fieller"] is None or test["ci_fieller"][1] < 0):
        result["verdict"] = "shorter_better"
    else:
        result["verdict"] = "no_clear_difference"
    result["reasons"] = reasons
    if descriptives:
        result["buckets"] = _groups_table(labels, assign, eligible, ref, n_boot, seed, bounds)
        result["secondary"] = _secondary(eligible, fr)
        result["bands"] = {"readability": _bands(eligible, "readability", fr, n_boot, seed),
                           "depth": _bands(eligible, "depth", fr, n_boot, seed)}
        dv = [(r.words, r.depth) for r in records if r.depth is not None]
        result["bands"]["depth_vs_length_rho"] = (
            float(sps.spearmanr([w for w, _ in dv], [d for _, d in dv]).statistic)
            if len(dv) >= 3 and len({d for _, d in dv}) > 1 else None)
        result["timing"] = _by_time(eligible, fr)
    result["text"] = verdict_text(result, lang)
    return result


def _secondary(eligible: Sequence[StatsRecord], fr: bool) -> list[dict]:
    """Exploratory tests, Holm-corrected together."""
    tests = []
    age = [r.age_days for r in eligible]
    cl = [r.cluster for r in eligible]
    _, ncl = _codes(cl)

    def add(name, x_name, xs, y_name, ys):
        pairs = [(x, y, a, c) for x, y, a, c in zip(xs, ys, age, cl)
                 if x is not None and y is not None and not (isinstance(y, float) and math.isnan(y))]
        if len(pairs) < 8:
            tests.append({"name": name, "x": x_name, "y": y_name, "n": len(pairs), "rho": None,
                          "p": None})
            return
        x, y, a, c = (list(t) for t in zip(*pairs))
        rho = partial_spearman(x, y, a, c)
        tests.append({"name": name, "x": x_name, "y": y_name, "n": len(pairs), "rho": rho,
                      "p": _p_value(rho, len(pairs), _codes(c)[1] - 1 + 3)})

    words = [r.words for r in eligible]
    for kpi in SECONDARY_KPIS:
        add(f"words ~ {kpi}", "words", words, kpi, [r.kpis.get(kpi) for r in eligible])
    outcome = [r.outcome for r in eligible]
    add("readability ~ views_per_day", "readability", [r.readability for r in eligible],
        "views_per_day", outcome)
    add("depth ~ views_per_day", "depth", [r.depth for r in eligible], "views_per_day", outcome)
    for t, p in zip(tests, holm([t["p"] for t in tests])):
        t["p_holm"] = p
        t["exploratory"] = True
    return tests


# ------------------------------------------------------------------------------ words

def _fmt(x: float | None, fr: bool, digits: int = 2) -> str:
    if x is None:
        return catalog("fr" if fr else "en").t("analysis.stats.na")
    s = f"{x:.{digits}f}"
    return s.replace(".", ",").replace("-", "−") if fr else s.replace("-", "−")


def verdict_text(result: dict[str, Any], lang: str = "fr") -> dict[str, Any]:
    """Plain-language verdict: a headline and supporting sentences, in the site's language."""
    fr = lang.startswith("fr")
    v = result["verdict"]
    t = result.get("test") or {}
    n = result["n"]
    need = result["needed_n"]["n"]
    rho, ci = t.get("rho"), t.get("ci")
    pct, pci = t.get("pct_per_doubling"), t.get("pct_per_doubling_ci")
    lines: list[str] = []
    c = catalog("fr" if fr else "en")
    na = c.t("analysis.stats.na")
    head = c.t(f"analysis.verdict.{v}")
    if rho is not None:
        lines.append(c.t("analysis.verdict.rho", rho=_fmt(rho, fr), lo=_fmt(ci[0], fr) if ci else na,
                         hi=_fmt(ci[1], fr) if ci else na, n=n))
    if pct is not None:
        lines.append(c.t("analysis.verdict.pct", pct=_fmt(pct, fr, 0),
                         lo=_fmt(pci[0], fr, 0) if pci else na, hi=_fmt(pci[1], fr, 0) if pci else na))
    for r in result.get("reasons", []):
        lines.append(c.t("analysis.verdict.reason", reason=r))
    if v in ("insufficient_data", "no_clear_difference"):
        lines.append(c.t("analysis.verdict.needed", need=need, n=n))
    return {"headline": head, "details": lines}
