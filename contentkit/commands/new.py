"""`contentkit new`: a post with correct front matter."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import ContentError
from ..scaffold import new_post
from .terminal import print_problems, root_option


@click.command()
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
    try:
        path = new_post(root, title, author=author, date_text=date_text, tags=tags, category=category,
                        bundle=bundle)
    except ContentError as exc:
        print_problems([exc.problem])
        sys.exit(1)
    click.echo(f"Created {path}")
