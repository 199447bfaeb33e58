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
from .terminal import (LocalizedCommand, help_text, messages_for, print_problems, require_site,
                       root_option)


def _with_options(options: list[Callable]) -> Callable:
    def decorate(f):
        for option in reversed(options):
            f = option(f)
        return f
    return decorate


@click.command(cls=LocalizedCommand, help=help_text("analyze.command"),
               short_help=help_text("analyze.short"))
@root_option
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help=help_text("analyze.output"))
@click.option("--drafts", is_flag=True, help=help_text("analyze.drafts"))
@click.option("--no-cache", is_flag=True, help=help_text("no_cache"))
@click.option("--workers", type=int, default=None, help=help_text("analyze.workers"))
@_with_options(TRAFFIC_OPTIONS)
def analyze(root: Path, output: Path | None, drafts: bool, no_cache: bool, workers: int | None,
            **extension_options: Any) -> None:
    messages = messages_for(root)
    require_site(root, messages)
    err = Console(stderr=True, highlight=False)
    out = Console(highlight=False)
    started = time.perf_counter()
    try:
        site, report, log = run_analysis(root, drafts=drafts, use_cache=not no_cache,
                                         workers=workers)
    except BuildFailed as exc:
        print_problems(exc.problems, messages)
        err.print(messages.counted("cli.analyze.failed", len(exc.problems)), style="bold red", markup=False)
        sys.exit(1)
    if log.warnings:
        err.print(messages.counted("cli.analyze.warnings", len(log.warnings)), markup=False)

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
        out.print(messages.t("cli.analyze.no_articles" if drafts else "cli.analyze.no_articles_drafts"),
                  markup=False)
    out.print(messages.t("cli.analyze.wrote", paths=", ".join(str(p) for p in paths),
                         seconds=messages.decimal(time.perf_counter() - started, 1)),
              markup=False, highlight=False)
