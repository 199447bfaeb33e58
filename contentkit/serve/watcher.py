"""Watch a site's sources and turn editors' bursts of file events into one rebuild request.

Editors save in many ways: write in place, write a temp file then rename it over the original
(vim `4913` probe, `.x.md.swp`, emacs `#x.md#` / `.#x.md`, JetBrains `___jb_tmp___`, gedit
`.goutputstream-*`, `x.md~` backups). Temporary names are ignored, a rename counts for its
destination, and events are debounced: the callback runs once the tree has been quiet for
`debounce` seconds, with the set of paths that changed.
"""
from __future__ import annotations

import os
import re
import threading
import time
from pathlib import Path
from typing import Callable, Iterable

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

DEBOUNCE = 0.05  # seconds of quiet before a rebuild (editors finish a save within a few ms)
MAX_DELAY = 1.0  # a never-ending stream of events still rebuilds this often

_TEMP_NAME = re.compile(
    r"""^(?:
        \..*                      # hidden: .x.md.swp, .#x.md, .DS_Store, .goutputstream-XXXX
      | \#.*\#                    # emacs autosave
      | .*~                       # backups
      | .*\.(?:swp|swx|swo|swpx|tmp|temp|bak|orig|part|crdownload|kate-swp)
      | .*___jb_(?:tmp|old|bak)___
      | .*\.sb-[0-9a-f]+-\w+      # BBEdit / macOS safe-save
    )$""", re.VERBOSE | re.IGNORECASE)
_IGNORED_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".contentkit-cache", ".idea", ".vscode"}


def is_temp_name(name: str, is_dir: bool = False) -> bool:
    if not is_dir and name.isdigit():
        return True  # vim's 4913 write probe (folders such as 2024/ are real)
    return bool(_TEMP_NAME.match(name))


def is_relevant(path: str | os.PathLike, root: Path | None = None, is_dir: bool = False) -> bool:
    """False for editors' temporary files and for anything inside ignored folders."""
    p = Path(os.fsdecode(path))
    if is_temp_name(p.name, is_dir):
        return False
    parts = p.parts
    if root is not None:
        try:
            parts = p.relative_to(root).parts
        except ValueError:
            pass
    return not any(part in _IGNORED_DIRS for part in parts[:-1])


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: "Watcher", only: set[str] | None):
        self.watcher = watcher
        self.only = only  # a non-recursive watch of the site folder: only these names count

    def on_any_event(self, event: FileSystemEvent) -> None:
        kind = event.event_type
        if kind in ("opened", "closed_no_write"):
            return
        if event.is_directory and kind in ("modified", "closed"):
            return  # a file inside changed: that file has its own event
        paths = [event.dest_path] if kind == "moved" else []
        paths.append(event.src_path)
        for raw in paths:
            if not raw:
                continue
            path = Path(os.fsdecode(raw))
            if self.only is not None and path.name not in self.only:
                continue
            if is_relevant(path, self.watcher.root, event.is_directory):
                self.watcher.notify(path)


class Watcher:
    """Watch `dirs` recursively (+ `root_files` in `root`), call `callback(changed paths)` debounced.

    The callback runs in the watcher's own thread, never concurrently with itself; events arriving
    while it runs are collected and give one more call afterwards.
    """

    def __init__(self, root: Path, callback: Callable[[set[Path]], None], debounce: float = DEBOUNCE,
                 max_delay: float = MAX_DELAY):
        self.root = Path(root).resolve()
        self.callback = callback
        self.debounce = debounce
        self.max_delay = max_delay
        self._observer = Observer()
        self._watches: dict[tuple[str, bool], object] = {}
        self._root_names: set[str] = set()
        self._pending: set[Path] = set()
        self._first = 0.0
        self._last = 0.0
        self._cond = threading.Condition()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="contentkit-rebuild", daemon=False)
        self.busy = False

    # Watches ---------------------------------------------------------------------------------
    def watch(self, dirs: Iterable[Path], root_names: Iterable[str]) -> None:
        """(Re)set what is watched: folders recursively, and these names directly in the site folder."""
        wanted: dict[tuple[str, bool], Path] = {}
        for d in dirs:
            d = Path(d)
            if d.is_dir():
                wanted[(str(d.resolve()), True)] = d
        # The site folder itself, non-recursively: contentkit.yml, and templates/ or static/
        # appearing later (the watch set is then recomputed after the rebuild they trigger).
        self._root_names = set(root_names)
        wanted[(str(self.root), False)] = self.root
        for key in list(self._watches):
            if key not in wanted:
                self._observer.unschedule(self._watches.pop(key))
        for key in wanted:
            if key in self._watches:
                continue
            path, recursive = key
            only = None if recursive else self._root_names
            try:
                self._watches[key] = self._observer.schedule(_Handler(self, only), path, recursive=recursive)
            except OSError:
                continue  # vanished in between, or no inotify watch left: best effort

    @property
    def watched(self) -> list[str]:
        return sorted(path for path, _ in self._watches)

    # Events ----------------------------------------------------------------------------------
    def notify(self, path: Path) -> None:
        with self._cond:
            now = time.monotonic()
            if not self._pending:
                self._first = now
            self._pending.add(path)
            self._last = now
            self._cond.notify_all()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._pending and not self._stopping:
                    self._cond.wait()
                if self._stopping:
                    return
                # Debounce: wait until `debounce` seconds without a new event (bounded by max_delay).
                while not self._stopping:
                    now = time.monotonic()
                    quiet_at = self._last + self.debounce
                    deadline = min(quiet_at, self._first + self.max_delay)
                    if now >= deadline:
                        break
                    self._cond.wait(deadline - now)
                if self._stopping:
                    return
                changed, self._pending = self._pending, set()
                self.busy = True
            try:
                self.callback(changed)
            finally:
                with self._cond:
                    self.busy = False
                    self._cond.notify_all()

    # Lifecycle -------------------------------------------------------------------------------
    def start(self) -> None:
        self._observer.start()
        self._thread.start()

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        try:
            self._observer.stop()
            self._observer.join(timeout=5)
        except Exception:  # noqa: BLE001 - shutting down anyway
            pass
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join()
