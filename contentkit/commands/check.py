"""`contentkit check`: what an editor should fix before publishing (the checks are in contentkit/check/)."""
from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import click

from ..check import CheckReport, print_text, run_checks
from ..errors import BuildFailed, ProblemLog
from .terminal import LocalizedCommand, help_text, messages_for, require_site, root_option, terminal_language


@click.command(cls=LocalizedCommand, help=help_text("check.command"),
               short_help=help_text("check.short"))
@root_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help=help_text("check.format"))
@click.option("--external", is_flag=True, help=help_text("check.external"))
@click.option("--timeout", type=float, default=10.0, show_default=True, help=help_text("check.timeout"))
@click.option("--cache-days", type=float, default=7.0, show_default=True, help=help_text("check.cache_days"))
@click.option("--strict", is_flag=True, help=help_text("check.strict"))
def check(root: Path, fmt: str, external: bool, timeout: float, cache_days: float, strict: bool) -> None:
    require_site(root, messages_for(root))
    try:
        report = run_checks(root, external=external, timeout=timeout, cache_days=cache_days)
    except BuildFailed as exc:  # the config itself cannot be read
        log = ProblemLog(lang=terminal_language(root))
        for p in exc.problems:
            log.add(dataclasses.replace(p, code=p.code or "content"))
        report = CheckReport(log)
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        print_text(report)
    failed = bool(report.errors) or (strict and bool(report.warnings))
    sys.exit(1 if failed else 0)
