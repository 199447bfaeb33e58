"""`contentkit build`: the static site into site/, atomically."""
from __future__ import annotations

import sys
import time
from datetime import datetime
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from ..build import build_site
from ..content.cache import CACHE_DIR
from ..lock import LOCK_NAME
from ..editorial.schedule import NEXT_PUBLISH, upcoming_changes
from ..errors import BuildFailed
from ..model import BuildOptions
from ..i18n import Catalog
from ..shortcuts import describe as describe_shortcuts
from .terminal import (LocalizedCommand, console, exit_now, help_text, messages_for, print_problems,
                       require_site, root_option)


@click.command(cls=LocalizedCommand, help=help_text("build.command"),
               short_help=help_text("build.short"))
@root_option
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help=help_text("build.output"))
@click.option("--drafts", is_flag=True, help=help_text("build.drafts"))
@click.option("--future", is_flag=True, help=help_text("build.future"))
@click.option("--no-cache", is_flag=True, help=help_text("no_cache"))
@click.option("--workers", type=int, default=None, help=help_text("workers"))
@click.option("--quiet", "-q", is_flag=True, help=help_text("build.quiet"))
@click.option("--verbose", "-v", is_flag=True, help=help_text("build.verbose"))
def build(root: Path, output: Path | None, drafts: bool, future: bool, no_cache: bool,
          workers: int | None, quiet: bool, verbose: bool) -> None:
    messages = messages_for(root)
    require_site(root, messages)
    progress = _progress(quiet, messages)
    try:
        result = build_site(root, output, BuildOptions(drafts=drafts, future=future),
                            use_cache=not no_cache, workers=workers, progress=progress,
                            on_lock_wait=_say_waiting(messages, root))
    except BuildFailed as exc:
        if progress:
            progress.close()
        print_problems(exc.problems, messages)
        if exc.warnings and not quiet:
            console.print(messages.counted("cli.build.warnings_hidden", len(exc.warnings)), markup=False)
        failed = messages.t("cli.build.failed", errors=messages.counted("cli.build.errors", len(exc.problems)))
        console.print(failed, style="bold red", markup=False)
        fine = len(set(exc.sources) - {p.file for p in exc.problems})
        if exc.sources and fine:
            console.print(messages.counted("cli.build.others_fine", fine), markup=False)
        sys.exit(1)
    if progress:
        progress.close()
    if not quiet:
        print_problems(result.warnings, messages, limit=None if verbose else 10)
        if len(result.warnings) > 10 and not verbose:
            console.print(messages.t("cli.build.more_warnings"), markup=False)
        site = result.site
        r = result.report

        def count(name: str, n: int) -> str:
            return messages.counted(f"cli.build.{name}", n)
        summary = messages.t(
            "cli.build.summary", posts=count("posts", len(site.posts)), pages=count("pages", len(site.pages)),
            authors=count("authors", len(site.authors)), tags=count("tags", len(site.tags.terms)),
            output=result.output_dir, files=count("files", result.planned), written=count("written", len(r.written)),
            unchanged=count("unchanged", r.kept), removed=count("removed", len(r.removed)),
            seconds=messages.decimal(result.seconds, 2))
        console.print(f"[green]{messages.t('cli.build.built')}[/] {summary}")
        if site.hidden:
            console.print(messages.counted("cli.build.hidden", len(site.hidden)), markup=False)
        for line in foreign_syntax_lines(messages, site.foreign_syntax):
            console.print(line, markup=False, soft_wrap=True)
        changes = upcoming_changes(site)  # also in <output>/.contentkit/next-publish.json
        if changes:
            console.print(_next_change(messages, site, changes), markup=False, soft_wrap=True)
        if verbose:  # which speed shortcuts this process used, or fell back from (shortcuts.py)
            for line in describe_shortcuts(messages):
                console.print(messages.t("cli.build.shortcut", line=line), markup=False, soft_wrap=True)
    exit_now(0)


# What contentkit did with another generator's syntax (content/liquid.py): read as what it means,
# or left as written / dropped (each of those is also a located warning above).
FOREIGN_READ = ("highlight", "raw", "toc", "url", "baseurl", "post_url")
FOREIGN_LEFT = ("include", "site", "attributes")


def foreign_syntax_lines(messages: Catalog, found: dict[str, int]) -> list[str]:
    lines = []
    for key, kinds in (("read", FOREIGN_READ), ("left", FOREIGN_LEFT)):
        items = [messages.counted(f"cli.build.syntax.{kind}", found[kind]) for kind in kinds if found.get(kind)]
        if items:
            lines.append(messages.t(f"cli.build.syntax.{key}", list=", ".join(items)))
    return lines


def _next_change(messages, site, changes: list[dict]) -> str:
    """The line saying when the site must be rebuilt (a scheduled post goes live, an event becomes a replay)."""
    first = changes[0]
    at = datetime.fromisoformat(first["at"])
    return messages.t("cli.build.next.line", at=f"{at:%Y-%m-%d %H:%M}", timezone=site.config.timezone,
                      utc=first["at_utc"], title=first["title"], file=NEXT_PUBLISH,
                      what=messages.t("cli.build.next.publish" if first["reason"] == "publish"
                                      else "cli.build.next.replay"),
                      more=messages.counted("cli.build.next.more", len(changes) - 1))


def _say_waiting(messages, root: Path):
    """The line printed once when another build of the site holds its lock (lock.py)."""
    def say(holder) -> None:
        console.print(messages.t("cli.build_lock.waiting", pid=holder.pid or "?", started=holder.started or "?",
                                 lock=Path(root) / CACHE_DIR / LOCK_NAME), markup=False, soft_wrap=True)
    return say


def _progress(quiet: bool, messages):
    """A progress bar on the terminal, for builds that last more than a second: one line per stage
    (reading Markdown, rendering pages). No background thread (auto_refresh off): a running thread
    would keep the build from forking its render workers."""
    if quiet or not sys.stderr.isatty():
        return None
    started = time.monotonic()
    state: dict = {"shown": 0.0}

    def update(done: int, total: int, stage: str = "Rendering") -> None:
        now = time.monotonic()
        if "p" not in state:
            if now - started < 1.0 or done >= total:
                return
            state["p"] = Progress(TextColumn("{task.description:<9}"), BarColumn(), MofNCompleteColumn(),
                                  TimeRemainingColumn(), console=console, transient=True, auto_refresh=False)
            state["p"].start()
        p = state["p"]
        if state.get("stage") != stage:
            state["stage"] = stage
            key = f"cli.build.stages.{stage.lower()}"
            state["t"] = p.add_task(messages.t(key) if key in messages else stage, total=total)
        p.update(state["t"], completed=done, total=total)
        if done >= total or now - state["shown"] > 0.1:
            state["shown"] = now
            p.refresh()

    def close() -> None:
        if "p" in state:
            state.pop("p").stop()

    update.close = close
    return update
