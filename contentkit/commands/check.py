"""`contentkit check`: what an editor should fix before publishing (the checks are in contentkit/check/)."""
from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import click

from ..check import CheckReport, print_text, run_checks
from ..errors import BuildFailed
from .terminal import root_option


@click.command()
@root_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--external", is_flag=True, help="Also check links to other sites (slow; results cached).")
@click.option("--timeout", type=float, default=10.0, show_default=True, help="Seconds per external link.")
@click.option("--cache-days", type=float, default=7.0, show_default=True,
              help="Re-check external links that worked more than this many days ago.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
def check(root: Path, fmt: str, external: bool, timeout: float, cache_days: float, strict: bool) -> None:
    """Check content before publishing: links, anchors, images, summaries, titles, authors."""
    try:
        report = run_checks(root, external=external, timeout=timeout, cache_days=cache_days)
    except BuildFailed as exc:  # the config itself cannot be read
        report = CheckReport(findings=[dataclasses.replace(p, code=p.code or "content") for p in exc.problems])
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        print_text(report)
    failed = bool(report.errors) or (strict and bool(report.warnings))
    sys.exit(1 if failed else 0)

