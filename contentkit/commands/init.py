"""`contentkit init`: a new, empty site that builds."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import ContentError
from ..scaffold import init_site
from .terminal import print_problems


@click.command()
@click.argument("path", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", default="Mon blog", help="Site title.")
@click.option("--language", default="fr", help="Site language (fr, en...).")
def init(path: Path, title: str, language: str) -> None:
    """Create a new, empty site that builds."""
    try:
        init_site(path, title=title, language=language)
    except ContentError as exc:
        print_problems([exc.problem])
        sys.exit(1)
    click.echo(f"Created a new site in {path}. Next: cd {path} && contentkit new \"Mon premier article\" "
               "--author moi && contentkit serve")
