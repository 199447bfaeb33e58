"""`contentkit clean`: delete the build cache."""
from __future__ import annotations

import shutil
from pathlib import Path

import click

from ..content.cache import CACHE_DIR
from .terminal import root_option


@click.command()
@root_option
def clean(root: Path) -> None:
    """Delete the build cache (.contentkit-cache/)."""
    target = root / CACHE_DIR
    if target.is_dir():
        shutil.rmtree(target)
        click.echo(f"Removed {target}")
    else:
        click.echo("No cache to remove.")
