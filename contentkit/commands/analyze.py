"""`contentkit analyze`: readability and topic depth of every article → reports/ (what it runs and
the hooks other parts add options and columns with are in contentkit/analytics/command.py)."""
from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from ..analytics.command import AFTER_OUTPUTS, ENRICHERS, TRAFFIC_OPTIONS, run_analysis
from ..analytics.outputs import Column, print_table, write_outputs
from ..errors import BuildFailed
from .terminal import print_problems


def _with_options(options: list[Callable]) -> Callable:
    def decorate(f):
        for option in reversed(options):
            f = option(f)
        return f
    return decorate


@click.command()
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="The site folder (holds content/ and contentkit.yml).")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for articles.csv and analysis.json (default: reports/ in the site folder).")
@click.option("--drafts", is_flag=True, help="Also analyse posts that are not published yet.")
@click.option("--no-cache", is_flag=True, help="Ignore and do not write .contentkit-cache/.")
@click.option("--workers", type=int, default=None,
              help="Worker processes (default: CPU count).")
@_with_options(TRAFFIC_OPTIONS)
def analyze(root: Path, output: Path | None, drafts: bool, no_cache: bool, workers: int | None,
            **extension_options: Any) -> None:
    """Readability and topic depth of every article → reports/articles.csv, analysis.json.

    Scores are conventions to discuss, not verdicts: see docs/analytics.md for every definition.
    """
    err = Console(stderr=True, highlight=False)
    out = Console(highlight=False)
    started = time.perf_counter()
    try:
        site, report, log = run_analysis(root, drafts=drafts, use_cache=not no_cache,
                                         workers=workers)
    except BuildFailed as exc:
        print_problems(exc.problems)
        err.print(f"[bold red]Analysis failed: {len(exc.problems)} content error(s).[/]")
        sys.exit(1)
    if log.warnings:
        err.print(f"{len(log.warnings)} content warning(s) (`contentkit build --verbose` lists them).")

    options = {"root": root, "output": output, "drafts": drafts, "no_cache": no_cache,
               "workers": workers, **extension_options}
    extra_columns: list[Column] = []
    for enrich in ENRICHERS:
        extra_columns += enrich(report, site, options) or []

    out_dir = output if output is not None else site.config.root / "reports"
    if not out_dir.is_absolute():
        out_dir = Path.cwd() / out_dir
    paths = write_outputs(report, out_dir, extra_columns)
    print_table(report, out, [c for c in extra_columns
                              if c.name in options.get("table_columns", ())])
    for hook in AFTER_OUTPUTS:
        paths += hook(report, site, options, out_dir, out) or []
    if not report.articles:
        out.print("No article to analyse" + ("" if drafts else " (use --drafts to include unpublished posts)")
                  + ".")
    out.print(f"Wrote {', '.join(str(p) for p in paths)} in {time.perf_counter() - started:.1f} s.",
              markup=False, highlight=False)
