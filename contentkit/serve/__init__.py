"""Live preview (`contentkit serve`): build with drafts, serve, watch, rebuild, reload open tabs.

    server.py   PreviewServer: builds, HTTP (path checks, injection), Server-Sent Events
    watcher.py  watchdog -> debounced rebuild requests, editors' temp files ignored
    inject.py   reload client, error overlay and editorial panel, added at serve time only
    templates/  their markup, CSS and JS (Jinja, package data)

The click command (terminal output, Ctrl-C) is contentkit/commands/serve.py.
"""
from __future__ import annotations

from .server import PreviewServer

__all__ = ["PreviewServer"]
