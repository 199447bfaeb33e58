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


def enabled() -> bool:
    """False when CONTENTKIT_NO_SHORTCUTS is set (to anything but "", "0", "false", "no")."""
    return os.environ.get(SWITCH, "").strip().lower() in ("", "0", "false", "no", "off")


def register(name: str, *, module: str, replaces: str, library: str, supported: str,
             active: bool, reason: str = "") -> bool:
    """Record what probing shortcut `name` found; returns whether to use it (False when the
    switch is off, whatever the probe found)."""
    if active and not enabled():
        active, reason = False, f"{SWITCH} is set"
    _REGISTRY[name] = Shortcut(name, module, replaces, library, supported, active, reason)
    return active


def registered() -> list[Shortcut]:
    return [_REGISTRY[name] for name in sorted(_REGISTRY)]


def describe() -> list[str]:
    """One line per shortcut probed in this process: active, or fell back and why."""
    lines = []
    for s in registered():
        state = "active" if s.active else f"fell back ({s.reason or 'unsupported'})"
        lines.append(f"{s.name}: {state} — {s.replaces} [{s.library} {s.installed}, supported {s.supported}]"
                     f" in {s.module}")
    return lines
