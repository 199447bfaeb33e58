"""`contentkit import wordpress EXPORT.xml` / `contentkit import jekyll|hugo|pelican PATH`.

The group is named `import` on the command line (a module cannot be: this one is `importer`, and
`COMMANDS` maps the name to it). Readers are imported only when their subcommand runs; a
subcommand whose reader module is absent from this version is not listed.

The terminal summary is a table readable at 80 columns, in the site's language (the target site's,
else the user's locale), from the `cli.import` catalog; warnings are worded from the `errors`
catalog with the item they concern (a WordPress ID or file:line).
"""
from __future__ import annotations

import importlib
import importlib.util
import sys
from collections import Counter
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from ..errors import ContentError, Problem, ProblemLog
from ..i18n import catalog
from .terminal import (LocalizedCommand, LocalizedHelp, console, locale_language, print_problems,
                       terminal_language)

WARNINGS_SHOWN = 20
OTHER_READERS = {"jekyll": "read_jekyll", "hugo": "read_hugo", "pelican": "read_pelican"}
SOURCE_NAMES = {"wordpress": "WordPress", "jekyll": "Jekyll", "hugo": "Hugo", "pelican": "Pelican"}


def _help(key: str) -> str:
    return catalog(locale_language()).t(f"cli.import.help.{key}")


class ImportGroup(LocalizedHelp, click.Group):
    """Subcommands: wordpress here; jekyll/hugo/pelican when their reader module exists."""

    def list_commands(self, ctx):
        names = set(super().list_commands(ctx))
        names |= {name for name in OTHER_READERS if _reader_module(name) is not None}
        return sorted(names)

    def get_command(self, ctx, name):
        command = super().get_command(ctx, name)
        if command is None and name in OTHER_READERS and _reader_module(name) is not None:
            command = _folder_command(name)
            self.add_command(command, name)
        return command


def _reader_module(name: str):
    try:
        return importlib.util.find_spec(f"contentkit.importers.{name}")
    except (ImportError, ValueError):
        return None


@click.group("import", cls=ImportGroup, help=_help("command"), short_help=_help("short"))
def import_() -> None:
    pass


def _common_options(f):
    f = click.option("--verbose", "-v", is_flag=True, help=_help("verbose"))(f)
    f = click.option("--dry-run", is_flag=True, help=_help("dry_run"))(f)
    f = click.option("--into", type=click.Path(path_type=Path), default=Path("."), show_default=True,
                     help=_help("into"))(f)
    return f


@import_.command("wordpress", cls=LocalizedCommand, help=_help("wordpress"), short_help=_help("wordpress"))
@click.argument("export", type=click.Path(path_type=Path))
@click.option("--media", type=click.Path(path_type=Path), default=None, help=_help("media"))
@click.option("--include-type", "include_types", multiple=True, help=_help("include_type"))
@_common_options
def wordpress(export: Path, media: Path | None, include_types: tuple, into: Path, dry_run: bool,
              verbose: bool) -> None:
    from ..importers.wordpress import read_wordpress

    def read():
        if media is not None and not media.is_dir():
            raise ContentError(media, "import-into-not-folder")
        return read_wordpress(export, media_dir=media, include_types=include_types)
    _run("wordpress", export, into, dry_run, verbose, read)


def _folder_command(name: str) -> click.Command:
    @click.command(name, cls=LocalizedCommand, help=_help(name), short_help=_help(name))
    @click.argument("path", type=click.Path(path_type=Path))
    @_common_options
    def command(path: Path, into: Path, dry_run: bool, verbose: bool) -> None:
        module = importlib.import_module(f"contentkit.importers.{name}")
        reader = getattr(module, OTHER_READERS[name])
        _run(name, path, into, dry_run, verbose, lambda: reader(path))
    return command


def _run(kind: str, source: Path, into: Path, dry_run: bool, verbose: bool, read) -> None:
    from ..importers.common import write_import

    lang = terminal_language(into) if into.is_dir() else locale_language()
    messages = catalog(lang)
    if into.exists() and not into.is_dir():
        _fail(messages, Problem.of("import-into-not-folder", str(into), lang=lang))
    try:
        result = read()
    except ContentError as exc:  # the export cannot be read: said in the terminal's language
        _fail(messages, exc.problem.in_language(lang))
    except MemoryError:
        _fail(messages, Problem.of("import-wxr-malformed", str(source), lang=lang, detail="MemoryError"))
    if not dry_run:
        into.mkdir(parents=True, exist_ok=True)
    report = write_import(result, into, dry_run=dry_run, source_kind=kind,
                          media_root=None)
    if into.is_dir():  # the site's language once it has a config (a new site: the export's)
        lang = terminal_language(into)
        messages = catalog(lang)
    _summary(messages, lang, kind, source, into, result, report, verbose)


def _fail(messages, problem: Problem) -> None:
    print_problems([problem], messages)
    console.print(messages.t("cli.import.failed"), style="bold red", markup=False)
    sys.exit(1)


def _summary(messages, lang, kind, source, into, result, report, verbose) -> None:
    t = messages.t
    console.print(t("cli.import.title", source=SOURCE_NAMES.get(kind, kind), path=source, into=into),
                  style="bold", markup=False, soft_wrap=True)
    if report.dry_run:
        console.print(t("cli.import.dry_run"), style="yellow", markup=False, soft_wrap=True)
    table = Table(show_header=True, header_style="bold", expand=False, box=None, pad_edge=False)
    table.add_column(t("cli.import.column_what"), overflow="fold", max_width=34)
    table.add_column(t("cli.import.column_count"), justify="right", no_wrap=True)
    table.add_column(t("cli.import.column_note"), overflow="fold", max_width=34)
    number = lambda n: messages.decimal(n, 0)  # noqa: E731
    by_kind = {"post": Counter(), "page": Counter()}
    for item in report.items:
        by_kind.setdefault(item["kind"], Counter())[item["status"]] += 1
    for kind_name, key in (("post", "posts"), ("page", "pages")):
        c = by_kind.get(kind_name, Counter())
        total = sum(c.values())
        drafts = total - c["published"] - c["scheduled"]
        table.add_row(t(f"cli.import.{key}"), number(total),
                      t("cli.import.note_status", published=number(c["published"]),
                        scheduled=number(c["scheduled"]), drafts=number(drafts)) if total else "")
    table.add_row(t("cli.import.authors"), number(len(result.authors)), "")
    categories = {c for i in result.items for c in i.categories}
    tags = {x for i in result.items for x in i.tags}
    table.add_row(t("cli.import.categories"), number(len(categories)), "")
    table.add_row(t("cli.import.tags"), number(len(tags)), "")
    counts = report.counts
    if counts.get("attachment"):
        table.add_row(t("cli.import.attachments"), number(counts["attachment"]), "")
    media = sum(len(i.media) for i in result.items)
    if media:
        table.add_row(t("cli.import.media"), number(media), "")
    external = len({u for _, u in report.external_media})
    if external:
        table.add_row(t("cli.import.media_external"), number(external), t("cli.import.note_media_external"))
    if counts.get("comment") or counts.get("pingback"):
        table.add_row(t("cli.import.comments"), number(counts.get("comment", 0) + counts.get("pingback", 0)),
                      t("cli.import.note_comments"))
    table.add_row(t("cli.import.redirects"), number(len(set(report.redirects))), "")
    blocks = sum(n for k, n in counts.items() if k.startswith("block:"))
    if blocks:
        table.add_row(t("cli.import.blocks"), number(blocks), "")
    if counts.get("embed"):
        table.add_row(t("cli.import.embeds"), number(counts["embed"]), "")
    unknown = {k.split(":", 1)[1]: n for k, n in counts.items() if k.startswith("shortcode:")
               and k.split(":", 1)[1] not in ("caption", "wp_caption", "gallery", "embed", "video", "audio")}
    if unknown:
        table.add_row(t("cli.import.shortcodes"), number(sum(unknown.values())),
                      escape(", ".join(f"[{k}] ×{n}" for k, n in sorted(unknown.items(), key=lambda kv: (-kv[1], kv[0])))))
    for key, n in sorted(counts.items()):
        if key.startswith("type:"):
            table.add_row(escape(t("cli.import.not_imported", what=key[5:])), number(n), "")
    if report.skipped:  # each one is also a warning below, worded
        table.add_row(t("cli.import.skipped"), number(len(report.skipped)), "")
    table.add_row(t("cli.import.files"), number(len(report.created) + len(report.updated)),
                  t("cli.import.note_files", created=number(len(report.created)),
                    updated=number(len(report.updated)), unchanged=number(len(report.unchanged))))
    if report.conflicts:
        table.add_row(t("cli.import.conflicts"), number(len(report.conflicts)), "")
    table.add_row(t("cli.import.warnings"), number(len(report.warnings)), "")
    console.print(table)
    problems = [w.worded(lang) for w in report.warnings]
    conflicts = ProblemLog(lang=lang)
    for path, reason in report.conflicts:
        if reason == "edited":
            conflicts.warning(path, "import-conflict-edited", path=path)
        elif reason == "removed":
            conflicts.warning(path, "import-conflict-removed", path=path)
        else:
            conflicts.warning(path, "import-conflict-not-ours", path=path)
    problems += conflicts.problems
    if problems:
        limit = None if verbose else WARNINGS_SHOWN
        shown = problems if verbose else problems[:limit]
        print_problems(shown, messages)
        if len(problems) > len(shown):
            console.print(messages.counted("cli.import.warnings_hidden", len(problems) - len(shown)), markup=False)
    if result.permalink:
        console.print(t("cli.import.permalink", permalink=result.permalink), markup=False, soft_wrap=True)
    if not report.dry_run:
        console.print(t("cli.import.report", report=into / "import-report.json",
                        redirects="redirects.csv, static/_redirects, redirects.nginx.map"),
                      markup=False, soft_wrap=True)
        console.print(t("cli.import.next", into=into), markup=False, soft_wrap=True)
