"""Command line: `contentkit build | serve | new | init | analyze | check | status | clean`."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click
from rich.console import Console

from .assemble import BuildOptions
from .errors import BuildFailed, ContentError, Problem

console = Console(stderr=True, highlight=False)


def print_problems(problems: list[Problem], limit: int | None = None) -> None:
    for p in problems[:limit]:
        style = "bold red" if p.severity == "error" else "yellow"
        console.print(f"[{style}]{p.severity}[/] [bold]{p.location()}[/]: {p.message}", markup=True,
                      soft_wrap=True, highlight=False)
        if p.hint:
            console.print(f"    → {p.hint}", markup=False, soft_wrap=True)
    if limit is not None and len(problems) > limit:
        console.print(f"… and {len(problems) - limit} more")


def root_option(f):
    return click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
                        show_default=True, help="The site folder (holds content/ and contentkit.yml).")(f)


# Commands living in their own modules, imported only when used: `analyze` alone pulls in numpy and
# scipy (~1 s), which `contentkit build` must not pay for.
OPTIONAL_COMMANDS = {"serve": "contentkit.serve.command", "analyze": "contentkit.analytics.command",
                     "check": "contentkit.check", "status": "contentkit.editorial"}


class _LazyGroup(click.Group):
    def _load(self, name: str) -> click.Command | None:
        import importlib

        try:
            command = getattr(importlib.import_module(OPTIONAL_COMMANDS[name]), name, None)
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.startswith("contentkit"):
                return None  # a command module still in progress
            raise
        if isinstance(command, click.Command):
            self.add_command(command, name)
            return command
        return None

    def get_command(self, ctx, name):
        command = super().get_command(ctx, name)
        if command is None and name in OPTIONAL_COMMANDS:
            command = self._load(name)
        return command

    def list_commands(self, ctx):
        import importlib.util

        names = set(super().list_commands(ctx))
        for name, module in OPTIONAL_COMMANDS.items():
            try:
                if importlib.util.find_spec(module) is not None:
                    names.add(name)
            except ModuleNotFoundError:
                pass
        return sorted(names)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="contentkit")
def main() -> None:
    """contentkit: a static blog for professionals who blog."""


@main.command()
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
    from .build import build_site

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
        from .editorial.schedule import describe_next
        next_change = describe_next(site)  # also in <output>/.contentkit/next-publish.json
        if next_change:
            console.print(next_change, markup=False, soft_wrap=True)
    _exit_now(0)


def _exit_now(code: int) -> None:
    """End the process without freeing the content model object by object (~0.5 s at 5,000 posts):
    only when running as the `contentkit` command, never inside another program (tests, CliRunner).
    Everything is written and closed by now; pools are shut down."""
    argv0 = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if argv0 is None or not (argv0.name == "contentkit" or argv0 == Path(__file__).with_name("__main__.py")):
        return
    import os

    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _progress(quiet: bool):
    """A progress bar on the terminal, for builds that last more than a second: one line per stage
    (reading Markdown, rendering pages). No background thread (auto_refresh off): a running thread
    would keep the build from forking its render workers."""
    if quiet or not sys.stderr.isatty():
        return None
    import time

    started = time.monotonic()
    state: dict = {"shown": 0.0}

    def update(done: int, total: int, stage: str = "Rendering") -> None:
        now = time.monotonic()
        if "p" not in state:
            if now - started < 1.0 or done >= total:
                return
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
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


@main.command()
@click.argument("title")
@root_option
@click.option("--author", "author", default=None, help="Author id (a file in content/authors/).")
@click.option("--date", "date_text", default=None, help="Publication date (default: now).")
@click.option("--tags", default="", help="Comma-separated tags.")
@click.option("--category", default="", help="Category.")
@click.option("--bundle", is_flag=True, help="Create a folder with index.md, for posts with images.")
def new(title: str, root: Path, author: str | None, date_text: str | None, tags: str, category: str,
        bundle: bool) -> None:
    """Create a new post with correct front matter."""
    from .scaffold import new_post

    try:
        path = new_post(root, title, author=author, date_text=date_text, tags=tags, category=category,
                        bundle=bundle)
    except ContentError as exc:
        print_problems([exc.problem])
        sys.exit(1)
    click.echo(f"Created {path}")


@main.command()
@click.argument("path", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", default="Mon blog", help="Site title.")
@click.option("--language", default="fr", help="Site language (fr, en...).")
def init(path: Path, title: str, language: str) -> None:
    """Create a new, empty site that builds."""
    from .scaffold import init_site

    try:
        init_site(path, title=title, language=language)
    except ContentError as exc:
        print_problems([exc.problem])
        sys.exit(1)
    click.echo(f"Created a new site in {path}. Next: cd {path} && contentkit new \"Mon premier article\" "
               "--author moi && contentkit serve")


@main.command()
@root_option
def clean(root: Path) -> None:
    """Delete the build cache (.contentkit-cache/)."""
    from .content.cache import CACHE_DIR

    target = root / CACHE_DIR
    if target.is_dir():
        shutil.rmtree(target)
        click.echo(f"Removed {target}")
    else:
        click.echo("No cache to remove.")


def _register_optional() -> None:
    """Kept for callers of earlier versions: load every optional command now."""
    for name in OPTIONAL_COMMANDS:
        main.get_command(None, name)
