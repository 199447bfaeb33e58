"""What every command shares on the terminal: the console (stderr), located problems, `--root`, and
the language the terminal speaks.

Every line a command prints comes from the `cli` section of the catalogs (contentkit/catalogs/
<lang>/cli.yml), in `terminal_language(root)`: the site's language when the command runs in a site,
else the user's locale (LC_ALL, LC_MESSAGES, LANG), else English. Problems are already worded in
the site's language by the ProblemLog that collected them.

Counts: a counted phrase has two keys, `<name>_one` (n = 1) and `<name>_other`, and may have a
third, `<name>_zero` (n = 0), where "no errors" / "aucune erreur" reads better than a zero;
`messages.counted("cli.check.errors", n)` picks the key.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from rich.console import Console

from ..config import find_config_file, site_language
from ..errors import Problem
from ..i18n import DEFAULT_LANGUAGE, Catalog, base_language, catalog

console = Console(stderr=True, highlight=False)

LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")  # in POSIX order of precedence


def locale_language(environ=None) -> str:
    """The user's language from the environment (`fr_FR.UTF-8` -> `fr`); English for C/POSIX or none."""
    environ = os.environ if environ is None else environ
    for name in LOCALE_VARIABLES:
        value = environ.get(name, "").strip()
        if value:
            code = value.split(".")[0].split("@")[0]
            return DEFAULT_LANGUAGE if code in ("C", "POSIX") else base_language(code)
    return DEFAULT_LANGUAGE


def is_site(root: Path) -> bool:
    return find_config_file(Path(root)) is not None or (Path(root) / "content").is_dir()


def terminal_language(root: Path | None = None) -> str:
    """The language of a command's terminal output: the language the site's config declares (read
    line by line, so a broken config still gives it; the config default when it declares none) when
    `root` is a site folder, else the user's locale."""
    if root is not None and is_site(root):
        return site_language(root)
    return locale_language()


def require_site(root: Path, messages: Catalog) -> None:
    """Stop (exit 2, as for a bad option) when `root` is not a site folder: a command run from the
    wrong folder must not build, check or write anything there."""
    if not is_site(root):
        console.print(messages.t("cli.not_a_site.message", root=Path(root).resolve()), style="bold red",
                      markup=False, soft_wrap=True)
        console.print(messages.t("cli.not_a_site.hint"), markup=False, soft_wrap=True)
        sys.exit(2)


def messages_for(root: Path | None = None) -> Catalog:
    """The catalog a command prints with."""
    return catalog(terminal_language(root))


def severity_label(messages: Catalog, severity: str) -> str:
    return messages.t(f"cli.severity.{severity}")


SAME_PROBLEM_FILES = 3  # the same problem, word for word, in this many files or more: said once


def _same_problems(problems: list[Problem]) -> list[list[Problem]]:
    """The problems in order, those worded identically (message and hint) in SAME_PROBLEM_FILES
    places or more gathered at the first one: `title: ""` in every post reads as one problem and
    the list of its files, not the same two lines again and again."""
    def key(p: Problem) -> tuple:
        return p.severity, p.code, p.message, p.hint
    groups: dict[tuple, list[Problem]] = {}
    for p in problems:
        groups.setdefault(key(p), []).append(p)
    out = []
    for p in problems:
        same = groups[key(p)]
        if len(same) < SAME_PROBLEM_FILES:
            out.append([p])
        elif same[0] is p:
            out.append(same)
    return out


def print_problems(problems: list[Problem], messages: Catalog, limit: int | None = None) -> None:
    shown = 0
    for same in _same_problems(problems)[:limit]:
        p = same[0]
        style = "bold red" if p.severity == "error" else "yellow"
        if len(same) == 1:
            console.print(f"[{style}]{severity_label(messages, p.severity)}[/] [bold]{p.location()}[/]: ",
                          end="", soft_wrap=True, highlight=False)
            console.print(p.message, markup=False, soft_wrap=True, highlight=False)
        else:
            console.print(f"[{style}]{severity_label(messages, p.severity)}[/] ", end="", soft_wrap=True,
                          highlight=False)
            console.print(messages.counted("cli.problems.same", len(same), message=p.message),
                          markup=False, soft_wrap=True, highlight=False)
            for q in same:
                console.print(f"    {q.location()}", markup=False, soft_wrap=True, highlight=False)
        if p.hint:
            console.print(f"    → {p.hint}", markup=False, soft_wrap=True)
        shown += len(same)
    if len(problems) > shown:
        console.print(messages.counted("cli.problems.more", len(problems) - shown), markup=False)


def help_text(key: str) -> str:
    """A `--help` text in the user's locale (help is read before any site: the environment decides)."""
    return catalog(locale_language()).t(f"cli.help.{key}")


class LocalizedFormatter(click.HelpFormatter):
    """click's own help words (Usage, Options, Commands, [default: …], [required]) in the locale; click
    words them with gettext and ships no translation, so they are swapped here, at formatting time."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, help_text("click.usage") + " " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        key = f"click.{heading.lower()}"
        super().write_heading(help_text(key) if f"cli.help.{key}" in catalog() else heading)

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        default, required = help_text("click.default"), help_text("click.required")
        rows = [(term, text.replace("[default: ", f"[{default} ").replace("; default: ", f"; {default} ")
                 .replace("[required]", f"[{required}]")) for term, text in rows]
        super().write_dl(rows, col_max, col_spacing)


class LocalizedContext(click.Context):
    formatter_class = LocalizedFormatter


class LocalizedHelp:
    """Mixed into a click command or group: its `--help` is worded in the locale (the texts
    themselves are given with `help_text`)."""

    context_class = LocalizedContext

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = help_text("click.help")
        return option


class LocalizedCommand(LocalizedHelp, click.Command):
    pass


def root_option(f):
    return click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
                        show_default=True, help=help_text("root"))(f)


_PACKAGE_MAIN = Path(__file__).resolve().parent.parent / "__main__.py"


def exit_now(code: int) -> None:
    """End the process without freeing the content model object by object (~0.5 s at 5,000 posts):
    only when running as the `contentkit` command (or `python -m contentkit`), never inside another
    program (tests, CliRunner). Everything is written and closed by now; pools are shut down."""
    argv0 = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if argv0 is None or not (argv0.name == "contentkit" or argv0.resolve() == _PACKAGE_MAIN):
        return
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
