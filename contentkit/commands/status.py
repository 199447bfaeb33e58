"""`contentkit status`: the editorial pipeline at a glance (the data and tables are in
contentkit/editorial/command.py; the exit status is 1 when the content has errors)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..model import BuildOptions
from ..build import load_site
from ..config import load_config
from ..dates import DateError, parse_date
from ..editorial.command import pipeline, print_tables
from ..errors import BuildFailed, ProblemLog
from .terminal import print_problems


@click.command()
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="The site folder (holds content/ and contentkit.yml).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--published", type=int, default=5, show_default=True,
              help="How many recently published posts to list.")
@click.option("--now", "now_text", default=None,
              help="Show the pipeline as of this date (e.g. 2026-05-04 09:00, in the site timezone).")
def status(root: Path, fmt: str, published: int, now_text: str | None) -> None:
    """Print the editorial pipeline: who writes what, what waits for review, what goes live when."""
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
        print_problems(exc.problems)
        sys.exit(1)
    data = pipeline(site, log.errors, published)
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print_tables(site, data)
        if log.errors:
            print_problems(log.errors)
        if log.warnings:
            click.echo(f"{len(log.warnings)} warning(s): run `contentkit check` or `contentkit build` "
                       "to see them.", err=True)
    if log.errors:
        sys.exit(1)
