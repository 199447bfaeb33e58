"""`contentkit new`: a post with correct front matter."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import ContentError
from ..scaffold import new_post
from .terminal import LocalizedCommand, help_text, messages_for, print_problems, require_site, root_option


@click.command(cls=LocalizedCommand, help=help_text("new.command"),
               short_help=help_text("new.short"))
@click.argument("title")
@root_option
@click.option("--author", "author", default=None, help=help_text("new.author"))
@click.option("--date", "date_text", default=None, help=help_text("new.date"))
@click.option("--tags", default="", help=help_text("new.tags"))
@click.option("--category", default="", help=help_text("new.category"))
@click.option("--bundle", is_flag=True, help=help_text("new.bundle"))
def new(title: str, root: Path, author: str | None, date_text: str | None, tags: str, category: str,
        bundle: bool) -> None:
    messages = messages_for(root)
    require_site(root, messages)
    try:
        path = new_post(root, title, author=author, date_text=date_text, tags=tags, category=category,
                        bundle=bundle)
    except ContentError as exc:
        print_problems([exc.problem.in_language(messages.lang)], messages)
        sys.exit(1)
    click.echo(messages.t("cli.new.created", path=path))
