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
    """The editorial pipeline as the author reads it: counts, then one table per stage."""
    tables = StatusTables(site, data, messages)
    for part in (tables.header, tables.in_progress, tables.going_live, tables.events,
                 tables.recently_published, tables.next_change):
        part()


class StatusTables:
    """The parts of `contentkit status`'s screen, each from the status data (`--format json`)."""

    def __init__(self, site: Site, data: dict, messages: Catalog) -> None:
        self.site, self.data, self.messages, self.t = site, data, messages, messages.t
        self.console = Console(highlight=False)
        self.now = site.now or datetime.now(timezone.utc)
        self.documents = {a.source: a for a in site.every_document}

    # cells ---------------------------------------------------------------------------------------
    def status(self, value: str) -> str:
        key = f"cli.status.statuses.{value}"
        return self.t(key) if key in self.messages else value

    def table(self, title: str, *names: str) -> Table:
        table = Table(title=self.t(f"cli.status.tables.{title}"), title_justify="left", expand=False)
        for name in names:
            table.add_column(self.t(f"cli.status.columns.{name}") if name else "", overflow="fold")
        return table

    def title_of(self, e: dict) -> str:
        if e["kind"] == "post":
            return e["title"]
        key = f"cli.status.kinds.{e['kind']}"
        return e["title"] + f" [{self.t(key) if key in self.messages else e['kind']}]"

    def people(self, names: list[str]) -> str:
        return _people(names, self.site)

    def when(self, iso: str) -> str:
        return _local(self.site, datetime.fromisoformat(iso))

    # parts ---------------------------------------------------------------------------------------
    def header(self) -> None:
        counts = self.data["counts"]
        summary = " · ".join(self.messages.counted(f"cli.status.counts.{s}", counts[s]) for s in STATUSES if counts[s])
        self.console.print(self.t("cli.status.title", site=f"[bold]{self.data['site']}[/]",
                                  now=_local(self.site, self.now), timezone=self.data["timezone"]) + f"\n{summary}")

    def in_progress(self) -> None:
        if not self.data["in_progress"]:
            self.console.print(self.t("cli.status.nothing_in_progress"))
            return
        table = self.table("in_progress", "status", "title", "authors", "reviewers", "approved_by", "date", "file")
        for e in self.data["in_progress"]:
            article = self.documents.get(e["source"])
            notes = "".join(f"\n[yellow]⚠ {self.t(f'cli.status.attention.{code}')}[/]"
                            for code in (attention_codes(article) if article is not None else ()))
            table.add_row(self.status(e["status"]), self.title_of(e) + notes, self.people(e["authors"]),
                          self.people(e["reviewers"]), self.people([e["approved_by"]] if e["approved_by"] else []),
                          self.when(e["date"]) if e["date"] else "—", e["source"])
        self.console.print(table)

    def going_live(self) -> None:
        if not self.data["going_live"]:
            self.console.print(self.t("cli.status.nothing_scheduled"))
            return
        table = self.table("going_live", "when", "", "title", "authors", "approved_by", "status", "file")
        for e in self.data["going_live"]:
            d = datetime.fromisoformat(e["date"])
            table.add_row(_local(self.site, d), _delta(self.messages, self.now, d), self.title_of(e),
                          self.people(e["authors"]), self.people([e["approved_by"]] if e["approved_by"] else []),
                          self.status(e["status"]), e["source"])
        self.console.print(table)

    def events(self) -> None:
        if not self.data["events"]:
            return
        table = self.table("events", "starts", "page", "title", "file")
        for e in self.data["events"]:
            switch = datetime.fromisoformat(e["event"]["switch"])
            page = (self.t("cli.status.event.replay") if e["event"]["phase"] == "past"
                    else self.t("cli.status.event.upcoming", delta=_delta(self.messages, self.now, switch)))
            if not e["live"]:
                page = self.t("cli.status.event.not_live", page=page)
            table.add_row(self.when(e["event"]["start"]), page, self.title_of(e), e["source"])
        self.console.print(table)

    def recently_published(self) -> None:
        if not self.data["recently_published"]:
            return
        table = self.table("recently_published", "date", "title", "authors", "file")
        for e in self.data["recently_published"]:
            table.add_row(self.when(e["date"]), self.title_of(e), self.people(e["authors"]), e["source"])
        self.console.print(table)

    def next_change(self) -> None:
        nxt, t = self.data["next_change"], self.t
        if not nxt:
            self.console.print(t("cli.status.no_rebuild"))
            return
        at = datetime.fromisoformat(nxt["at"])
        what = t("cli.status.next.publish" if nxt["reason"] == "publish" else "cli.status.next.replay")
        self.console.print(t("cli.status.next.line", due=f"[bold]{t('cli.status.next.due')}[/]",
                             at=_local(self.site, at), timezone=self.data["timezone"], utc=nxt["at_utc"],
                             delta=_delta(self.messages, self.now, at), title=nxt["title"], what=what))
