"""`contentkit build`: the static site into site/, atomically."""
from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from ..model import BuildOptions
from ..build import build_site
from ..editorial.schedule import describe_next
from ..errors import BuildFailed
from ..shortcuts import describe as describe_shortcuts
from .terminal import console, exit_now, print_problems, root_option


@click.command()
@root_option
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: site/ in the site folder).")
@click.option("--drafts", is_flag=True, help="Include posts that are not published yet.")
@click.option("--future", is_flag=True, help="Include posts dated in the future.")
@click.option("--no-cache", is_flag=True, help="Ignore and do not write .contentkit-cache/.")
@click.option("--workers", type=int, default=None, help="Worker processes for Markdown (default: CPU count).")
@click.option("--quiet", "-q", is_flag=True, help="Print errors only (for CI).")
@click.option("--verbose", "-v", is_flag=True, help="Print every warning.")
def build(root: Path, output: Path | None, drafts: bool, future: bool, no_cache: bool,
          workers: int | None, quiet: bool, verbose: bool) -> None:
    """Build the static site into site/ (atomically: a failed build keeps the previous site)."""
    progress = _progress(quiet)
    try:
        result = build_site(root, output, BuildOptions(drafts=drafts, future=future),
                            use_cache=not no_cache, workers=workers, progress=progress)
    except BuildFailed as exc:
        if progress:
            progress.close()
        print_problems(exc.problems)
        if exc.warnings and not quiet:
            console.print(f"({len(exc.warnings)} warning(s) not shown; fix the errors first)")
        console.print(f"[bold red]Build failed: {len(exc.problems)} error(s). The previous site was left "
                      "untouched.[/]")
        sys.exit(1)
    if progress:
        progress.close()
    if not quiet:
        print_problems(result.warnings, limit=None if verbose else 10)
        if len(result.warnings) > 10 and not verbose:
            console.print("  (run with --verbose to list every warning)")
        site = result.site
        r = result.report
        console.print(
            f"[green]Built[/] {len(site.posts)} posts, {len(site.pages)} pages, {len(site.authors)} authors, "
            f"{len(site.tags.terms)} tags → {result.output_dir} "
            f"({result.planned} files: {len(r.written)} written, {r.kept} unchanged, {len(r.removed)} removed) "
            f"in {result.seconds:.2f} s")
        if site.hidden:
            console.print(f"{len(site.hidden)} unpublished or future post(s) not built "
                          "(use --drafts / --future, or `contentkit serve` to preview them).")
        next_change = describe_next(site)  # also in <output>/.contentkit/next-publish.json
        if next_change:
            console.print(next_change, markup=False, soft_wrap=True)
        if verbose:  # which speed shortcuts this process used, or fell back from (shortcuts.py)
            for line in describe_shortcuts():
                console.print(f"  shortcut {line}", markup=False, soft_wrap=True)
    exit_now(0)


def _progress(quiet: bool):
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
            state["t"] = p.add_task(stage, total=total)
        p.update(state["t"], completed=done, total=total)
        if done >= total or now - state["shown"] > 0.1:
            state["shown"] = now
            p.refresh()

    def close() -> None:
        if "p" in state:
            state.pop("p").stop()

    update.close = close
    return update
