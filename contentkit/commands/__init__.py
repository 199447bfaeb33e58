"""The `contentkit` command group: one module per command in this folder, each defining its click
command under the command's name (`build.py` defines `build`, ...).

Commands are imported only when used, by the module path declared in `COMMANDS` (click's lazy group
pattern): `analyze` alone pulls in numpy and scipy (~1 s), `serve` the preview server, and
`contentkit build` must not pay for them.
"""
from __future__ import annotations

import importlib

import click

from .terminal import LocalizedHelp, help_text

COMMANDS = {
    "build": "contentkit.commands.build",
    "new": "contentkit.commands.new",
    "init": "contentkit.commands.init",
    "clean": "contentkit.commands.clean",
    "serve": "contentkit.commands.serve",
    "analyze": "contentkit.commands.analyze",
    "check": "contentkit.commands.check",
    "status": "contentkit.commands.status",
    "import": "contentkit.commands.importer",  # a keyword: the module is importer, the group import_
}


class LazyGroup(LocalizedHelp, click.Group):
    """A group whose commands are imported from `COMMANDS` the first time they are asked for."""

    def get_command(self, ctx, name):
        command = super().get_command(ctx, name)
        if command is None and name in COMMANDS:
            module = importlib.import_module(COMMANDS[name])
            command = getattr(module, name, None) or getattr(module, name + "_")  # import -> import_
            self.add_command(command, name)
        return command

    def list_commands(self, ctx):
        return sorted(set(super().list_commands(ctx)) | set(COMMANDS))


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]}, help=help_text("main"))
@click.version_option(package_name="contentkit", help=help_text("version"))
def main() -> None:
    pass
