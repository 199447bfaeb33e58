"""Live preview (`contentkit serve`): build with drafts, serve, watch, rebuild, reload open tabs.

    command.py  the click command (terminal output, Ctrl-C)
    server.py   PreviewServer: builds, HTTP (path checks, injection), Server-Sent Events
    watcher.py  watchdog -> debounced rebuild requests, editors' temp files ignored
    inject.py   reload client, error overlay and editorial panel, added at serve time only
"""
from __future__ import annotations

__all__ = ["PreviewServer"]


def __getattr__(name: str):
    if name == "PreviewServer":
        from .server import PreviewServer
        return PreviewServer
    raise AttributeError(name)
