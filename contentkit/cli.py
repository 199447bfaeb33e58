"""Command line entry point (`contentkit = "contentkit.cli:main"`): the group and its commands are
in contentkit/commands/, one module per command."""
from __future__ import annotations

from .commands import main

__all__ = ["main"]
