"""`contentkit clean`: delete the build cache."""
from __future__ import annotations

import shutil
from pathlib import Path

import click

from ..content.cache import CACHE_DIR
from .terminal import LocalizedCommand, help_text, messages_for, root_option


@click.command(cls=LocalizedCommand, help=help_text("clean.command"),
               short_help=help_text("clean.short"))
@root_option
def clean(root: Path) -> None:
    messages = messages_for(root)
    target = root / CACHE_DIR
    if target.is_dir():
        shutil.rmtree(target)
        click.echo(messages.t("cli.clean.removed", path=target))
    else:
        click.echo(messages.t("cli.clean.nothing"))
