"""`contentkit status`: the editorial pipeline at a glance (the data is made in
contentkit/editorial/command.py; the tables here are worded from the `cli` catalog in the site's
language; the exit status is 1 when the content has errors)."""
from __future__ import annotations

import json
import sys
from datetime import datetime, timezone
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from ..build import load_site
from ..config import load_config
from ..dates import DateError, parse_date
from ..editorial.command import attention_codes, pipeline
from ..errors import BuildFailed, ContentError, Problem, ProblemLog
from ..i18n import Catalog
from ..model import STATUSES, BuildOptions, Site
from .terminal import LocalizedCommand, help_text, messages_for, print_problems, require_site, root_option


@click.command(cls=LocalizedCommand, help=help_text("status.command"),
               short_help=help_text("status.short"))
@root_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help=help_text("status.format"))
@click.option("--published", type=int, default=5, show_default=True, help=help_text("status.published"))
@click.option("--now", "now_text", default=None, help=help_text("status.now"))
def status(root: Path, fmt: str, published: int, now_text: str | None) -> None:
    messages = messages_for(root)
    require_site(root, messages)
    log = ProblemLog()
    now = None
    if now_text:
        try:
            now = parse_date(now_text, load_config(root).tz)
        except ContentError as exc:  # a config that cannot be read at all
            print_problems([exc.problem.in_language(messages.lang)], messages)
            sys.exit(1)
        except DateError:
            print_problems([Problem.of("status-now-unreadable", "--now", lang=messages.lang, value=now_text)], messages)
            sys.exit(2)  # click's exit status for a bad option value
    try:
        site = load_site(root, BuildOptions(preview=True, now=now), log)
    except BuildFailed as exc:
        print_problems(exc.problems, messages)
        sys.exit(1)
    data = pipeline(site, log.errors, published)
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print_tables(site, data, messages)
        if log.errors:
            print_problems(log.errors, messages)
        if log.warnings:
            click.echo(messages.counted("cli.status.warnings", len(log.warnings)), err=True)
    if log.errors:
        sys.exit(1)


def _local(site: Site, d: datetime | None) -> str:
    return d.astimezone(site.config.tz).strftime("%Y-%m-%d %H:%M") if d else "—"


def _delta(messages: Catalog, now: datetime, d: datetime) -> str:
    """"in 2 d 3 h" / "dans 2 j 3 h", "5 min ago" / "il y a 5 min"."""
    seconds = int((d - now).total_seconds())
    days, rest = divmod(abs(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    key = "days" if days else ("hours" if hours else "minutes")
    text = messages.t(f"cli.status.delta.{key}", days=days, hours=hours, minutes=minutes)
    return messages.t("cli.status.delta.future" if seconds >= 0 else "cli.status.delta.past", delta=text)


def _people(names: list[str], site: Site) -> str:
    return ", ".join(site.authors[n].name if n in site.authors else n for n in names) or "—"


def print_tables(site: Site, data: dict, messages: Catalog) -> None:
    console = Console(highlight=False)
    t = messages.t
    now = site.now or datetime.now(timezone.utc)
    counts = data["counts"]
    documents = {a.source: a for a in site.every_document}

    def status(value: str) -> str:
        key = f"cli.status.statuses.{value}"
        return t(key) if key in messages else value

    def columns(table: Table, *names: str) -> None:
        for name in names:
            table.add_column(t(f"cli.status.columns.{name}") if name else "", overflow="fold")

    def title_of(e: dict) -> str:
        if e["kind"] == "post":
            return e["title"]
        key = f"cli.status.kinds.{e['kind']}"
        return e["title"] + f" [{t(key) if key in messages else e['kind']}]"

    summary = " · ".join(messages.counted(f"cli.status.counts.{s}", counts[s]) for s in STATUSES if counts[s])
    console.print(t("cli.status.title", site=f"[bold]{data['site']}[/]", now=_local(site, now),
                    timezone=data["timezone"]) + f"\n{summary}")

    if data["in_progress"]:
        table = Table(title=t("cli.status.tables.in_progress"), title_justify="left", expand=False)
        columns(table, "status", "title", "authors", "reviewers", "approved_by", "date", "file")
        for e in data["in_progress"]:
            article = documents.get(e["source"])
            notes = "".join(f"\n[yellow]⚠ {t(f'cli.status.attention.{code}')}[/]"
                            for code in (attention_codes(article) if article is not None else ()))
            table.add_row(status(e["status"]), title_of(e) + notes, _people(e["authors"], site),
                          _people(e["reviewers"], site), _people([e["approved_by"]] if e["approved_by"] else [], site),
                          _local(site, datetime.fromisoformat(e["date"])) if e["date"] else "—",
                          e["source"])
        console.print(table)
    else:
        console.print(t("cli.status.nothing_in_progress"))

    if data["going_live"]:
        table = Table(title=t("cli.status.tables.going_live"), title_justify="left")
        columns(table, "when", "", "title", "authors", "approved_by", "status", "file")
        for e in data["going_live"]:
            d = datetime.fromisoformat(e["date"])
            table.add_row(_local(site, d), _delta(messages, now, d), title_of(e), _people(e["authors"], site),
                          _people([e["approved_by"]] if e["approved_by"] else [], site), status(e["status"]),
                          e["source"])
        console.print(table)
    else:
        console.print(t("cli.status.nothing_scheduled"))

    if data["events"]:
        table = Table(title=t("cli.status.tables.events"), title_justify="left")
        columns(table, "starts", "page", "title", "file")
        for e in data["events"]:
            start = datetime.fromisoformat(e["event"]["start"])
            switch = datetime.fromisoformat(e["event"]["switch"])
            page = (t("cli.status.event.replay") if e["event"]["phase"] == "past"
                    else t("cli.status.event.upcoming", delta=_delta(messages, now, switch)))
            if not e["live"]:
                page = t("cli.status.event.not_live", page=page)
            table.add_row(_local(site, start), page, title_of(e), e["source"])
        console.print(table)

    if data["recently_published"]:
        table = Table(title=t("cli.status.tables.recently_published"), title_justify="left")
        columns(table, "date", "title", "authors", "file")
        for e in data["recently_published"]:
            table.add_row(_local(site, datetime.fromisoformat(e["date"])), title_of(e),
                          _people(e["authors"], site), e["source"])
        console.print(table)

    nxt = data["next_change"]
    if nxt:
        at = datetime.fromisoformat(nxt["at"])
        what = t("cli.status.next.publish" if nxt["reason"] == "publish" else "cli.status.next.replay")
        console.print(t("cli.status.next.line", due=f"[bold]{t('cli.status.next.due')}[/]", at=_local(site, at),
                        timezone=data["timezone"], utc=nxt["at_utc"], delta=_delta(messages, now, at),
                        title=nxt["title"], what=what))
    else:
        console.print(t("cli.status.no_rebuild"))
