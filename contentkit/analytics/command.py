"""`contentkit analyze`: readability and topic depth of every article, written to reports/.

The click command `analyze` is in contentkit/commands/analyze.py; this module holds what it runs
and the hooks other parts plug into.

Structure (so that later parts extend it without rewriting it):

    load_site ─▶ analyze_site (article_report.py) ─▶ AnalysisReport
        ─▶ [enrichers: each may add ArticleAnalysis.extra, AnalysisReport.extra, CSV columns]
        ─▶ write_outputs + print_table (outputs.py)

An *enricher* is a function ``(report, site, options) -> list[Column]`` run in order before the
outputs are written; ``options`` holds every command-line option by name. Part 2 (traffic) adds
its options to `TRAFFIC_OPTIONS` and its enricher to `ENRICHERS`.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from contentkit.analytics.article_report import AnalysisCache, AnalysisReport, analyze_site
from contentkit.analytics.outputs import Column
from contentkit.model import BuildOptions
from contentkit.build import load_site
from contentkit.errors import ProblemLog
from contentkit.model import Site

Enricher = Callable[[AnalysisReport, Site, dict[str, Any]], list[Column]]

# Part 2 (traffic) plugs in here: click options added to the command, and functions adding
# traffic columns and the `length_norm` block to the report before it is written.
TRAFFIC_OPTIONS: list[Callable] = []
ENRICHERS: list[Enricher] = []
# Run after articles.csv/analysis.json are written: (report, site, options, out_dir, console) ->
# extra files written (the HTML report).
AFTER_OUTPUTS: list[Callable] = []

from contentkit.analytics import traffic_analysis as _traffic  # noqa: E402  (part 2)

TRAFFIC_OPTIONS.extend(_traffic.OPTIONS)
ENRICHERS.append(_traffic.enrich)
AFTER_OUTPUTS.append(_traffic.after_outputs)


def run_analysis(root: Path, drafts: bool = False, use_cache: bool = True,
                 workers: int | None = None) -> tuple[Site, AnalysisReport, ProblemLog]:
    """Load the site and analyse it (what the command does before writing anything)."""
    log = ProblemLog()
    options = BuildOptions(drafts=drafts, future=drafts)  # unpublished includes scheduled posts
    site = load_site(Path(root), options, log, use_cache=use_cache, workers=workers)
    cache = AnalysisCache(site.config.root).load() if use_cache else None
    report = analyze_site(site, cache, workers)
    if cache is not None:
        cache.save()
    return site, report, log
