"""`contentkit init`: a new, empty site that builds."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import ContentError
from ..scaffold import init_site
from .terminal import LocalizedCommand, help_text, messages_for, print_problems


@click.command(cls=LocalizedCommand, help=help_text("init.command"),
               short_help=help_text("init.short"))
@click.argument("path", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", default="Mon blog", help=help_text("init.title"))
@click.option("--language", default="fr", help=help_text("init.language"))
def init(path: Path, title: str, language: str) -> None:
    messages = messages_for(None)  # not in a site yet: the user's locale
    try:
        init_site(path, title=title, language=language)
    except ContentError as exc:
        print_problems([exc.problem.in_language(messages.lang)], messages)
        sys.exit(1)
    click.echo(messages.t("cli.init.created", path=path))
