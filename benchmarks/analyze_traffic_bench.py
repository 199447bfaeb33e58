"""Benchmark: end-to-end traffic merge + length-norm statistics + HTML report figures.

    python benchmarks/analyze_traffic_bench.py [--rows 1000000] [--articles 5000]

A 1,000,000-row GA4 per-day export over 5,000 article paths (generated deterministically by
benchmarks/traffic_import.py in a child process, so it does not count in memory), then:
import → merge_traffic (aggregate, match, per-day series) → length_norm (2,000 bootstrap
resamples) → render_report (SVG charts). Prints seconds per stage and peak RSS.
Target: < 15 s and < 2 GB for the whole.
"""
from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--articles", type=int, default=5_000)
    parser.add_argument("--no-report", action="store_true")
    args = parser.parse_args()
    import numpy as np

    from contentkit.analytics.linkmap import link_map
    from contentkit.analytics.merge import ArticleKey, merge_traffic
    from contentkit.analytics.stats import StatsRecord, length_norm
    from contentkit.analytics.traffic import import_export

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ga4-per-day.csv"
        subprocess.run([sys.executable, str(HERE / "traffic_import.py"), "--rows", str(args.rows),
                        "--paths", str(args.articles), "--generate-only", str(path)], check=True)
        rng = np.random.default_rng(1)
        n = args.articles
        keys = [ArticleKey(f"content/posts/a{i:05d}.md", f"/{2015 + i % 10}/article-{i:05d}/",
                           (), date(2015 + i % 10, 1, 1) + timedelta(days=int(rng.integers(0, 300))),
                           f"Article {i}") for i in range(n)]
        words = rng.lognormal(np.log(900), 0.6, n).astype(int) + 50
        t0 = time.perf_counter()
        export = import_export(path)
        t1 = time.perf_counter()
        merged = merge_traffic(keys, [export])
        t2 = time.perf_counter()
        records = []
        for i, (k, at) in enumerate(zip(keys, merged.articles)):
            sm = at.sources.get("ga4")
            vpd = sm.rate("views") if sm else None
            records.append(StatsRecord(
                source=k.source, title=k.title, words=int(words[i]), cluster=f"c{i % 12}",
                age_days=sm.age_days if sm else None, outcome=vpd,
                excluded=None if sm and sm.days_live and sm.days_live >= 90 else "short",
                kpis={"views_per_day": vpd}, depth=float(words[i] % 100), readability=50.0,
                authors=[f"au{i % 20}"], tags=[f"t{i % 40}"], weekday=i % 7, hour=9, url=k.url))
        ln = length_norm(records, lang="en")
        t3 = time.perf_counter()
        html_len = 0
        if not args.no_report:
            from contentkit.analytics.report import render_report
            from contentkit.analytics.traffic_analysis import data_quality
            report = SimpleNamespace(site={"title": "bench"}, generator="bench", articles=[])
            state = {"lang": "en", "length_norm": ln, "records": records, "report": report,
                     "site": SimpleNamespace(authors={}), "merged": merged,
                     "quality": data_quality(merged, report, False),
                     "links": link_map(keys, [""] * n, [r.cluster for r in records]),
                     "history": {"available": False, "reason": "bench", "expanded": []},
                     "did": {"available": False, "reason": "bench", "items": []}}
            html_len = len(render_report(state))
        t4 = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"rows {len(export.rows):,}, articles {n:,}, matched "
          f"{sum(a.has_traffic for a in merged.articles):,}, eligible {ln['n']:,}, "
          f"verdict {ln['verdict']}")
    print(f"import {t1 - t0:.2f} s, merge {t2 - t1:.2f} s, stats {t3 - t2:.2f} s, "
          f"report {t4 - t3:.2f} s ({html_len / 1e6:.1f} MB); total {t4 - t0:.2f} s; "
          f"peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
