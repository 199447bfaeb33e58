"""`contentkit status`: the editorial pipeline at a glance (the data and tables are in
contentkit/editorial/command.py; the exit status is 1 when the content has errors)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..build import load_site
from ..config import load_config
from ..dates import DateError, parse_date
from ..editorial.command import pipeline, print_tables
from ..errors import BuildFailed, ProblemLog
from ..model import BuildOptions
from .terminal import LocalizedCommand, counted, help_text, messages_for, print_problems, root_option


@click.command(cls=LocalizedCommand, help=help_text("status.command"),
               short_help=help_text("status.short"))
@root_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help=help_text("status.format"))
@click.option("--published", type=int, default=5, show_default=True, help=help_text("status.published"))
@click.option("--now", "now_text", default=None, help=help_text("status.now"))
def status(root: Path, fmt: str, published: int, now_text: str | None) -> None:
    messages = messages_for(root)
    log = ProblemLog()
    now = None
    if now_text:
        try:
            now = parse_date(now_text, load_config(root).tz)
        except DateError as exc:
            raise click.BadParameter(str(exc), param_hint="--now") from None
    try:
        site = load_site(root, BuildOptions(preview=True, now=now), log)
    except BuildFailed as exc:
        print_problems(exc.problems, messages)
        sys.exit(1)
    data = pipeline(site, log.errors, published)
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print_tables(site, data)
        if log.errors:
            print_problems(log.errors, messages)
        if log.warnings:
            click.echo(counted(messages, "cli.status.warnings", len(log.warnings)), err=True)
    if log.errors:
        sys.exit(1)
