"""The registry of speed shortcuts: code that reaches into a library's internals to go faster.

Each shortcut probes, where it is set up, whether the installed library still has the shape it
expects, and registers here what it found: active, or fell back to the stock path (and why).
`contentkit build --verbose` prints `describe()`; tests/test_shortcuts.py fails loudly when one
of them falls back on the pinned versions (pyproject.toml bounds each library it touches).

One switch turns them all off: CONTENTKIT_NO_SHORTCUTS=1 in the environment, read when each
shortcut is probed (at import or first use, so set it before the process starts). The output is
the same either way, only slower.
"""
from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import Callable

from .i18n import Catalog

SWITCH = "CONTENTKIT_NO_SHORTCUTS"


@dataclass
class Shortcut:
    name: str
    module: str  # where the shortcut lives
    replaces: str  # the library internal it touches or stands in for
    library: str  # the distribution that owns that internal ("Python" for the standard library)
    supported: str  # the version range it is verified for (the bound in pyproject.toml)
    active: bool
    reason: str = ""  # why it fell back

    @property
    def installed(self) -> str:
        if self.library == "Python":
            return platform.python_version()
        try:
            return version(self.library)
        except PackageNotFoundError:
            return "not installed"


_REGISTRY: dict[str, Shortcut] = {}
_PROBES: list[Callable[[], object]] = []


def enabled() -> bool:
    """False when CONTENTKIT_NO_SHORTCUTS is set (to anything but "", "0", "false", "no")."""
    return os.environ.get(SWITCH, "").strip().lower() in ("", "0", "false", "no", "off")


def register(name: str, *, module: str, replaces: str, library: str, supported: str,
             active: bool, reason: str = "") -> bool:
    """Record what probing shortcut `name` found; returns whether to use it (False when the
    switch is off, whatever the probe found)."""
    if active and not enabled():
        active, reason = False, SWITCH
    _REGISTRY[name] = Shortcut(name, module, replaces, library, supported, active, reason)
    return active


def registered() -> list[Shortcut]:
    return [_REGISTRY[name] for name in sorted(_REGISTRY)]


def add_probe(probe: Callable[[], object]) -> None:
    """A function that sets up (so probes) shortcuts normally probed on first use, maybe in a
    worker process only: `describe` runs it, so `--verbose` lists every shortcut."""
    _PROBES.append(probe)


def probe_all() -> None:
    while _PROBES:
        _PROBES.pop()()


def describe(messages: Catalog) -> list[str]:
    """One line per shortcut: active, or fell back and why (every probe run first)."""
    probe_all()
    lines = []
    for s in registered():
        state = (messages.t("cli.shortcuts.active") if s.active else
                 messages.t("cli.shortcuts.fell_back", reason=s.reason or messages.t("cli.shortcuts.unsupported")))
        lines.append(messages.t("cli.shortcuts.line", name=s.name, state=state, replaces=s.replaces,
                                library=s.library, installed=s.installed, supported=s.supported, module=s.module))
    return lines
