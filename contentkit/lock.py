"""One build of a site at a time: `.contentkit-cache/build.lock`, held with flock(2).

The kernel drops a flock when its holder dies (kill -9, crash, power off of the process), so a lock
is never stale: there is nothing to clean after a killed build, and no PID guessing. The file also
holds the holder's PID and start time, only to tell the next build who it is waiting for.

`build_site` holds it from its first step (recovering a killed commit, output.recover) to the
manifest written, so two `contentkit build` (or a build and `contentkit serve`'s rebuilds, which
call `build_site`) never interleave their output or their cache writes. The second one waits up
to `CONTENTKIT_LOCK_WAIT` seconds (default 120), saying once who holds the lock, then refuses
(`build-locked`). Anything else that must not see a build half-way (a deploy copying site/) can
take the same lock: `flock .contentkit-cache/build.lock rsync -a site/ host:/var/www/`.
"""
from __future__ import annotations

import ctypes
import fcntl
import json
import os
import signal
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .content.cache import CACHE_DIR

LOCK_NAME = "build.lock"
DEFAULT_WAIT = 120.0
POLL = 0.05

# Processes forked while a lock is held (render and read workers, the cache writer, the output
# scan) do not keep it, and die with the build: a build killed with -9 leaves no orphan that would
# go on writing into its work folders, or hold the lock (Linux: PR_SET_PDEATHSIG).
_HELD: set[int] = set()
_PARENT = [0]


def _before_fork() -> None:
    _PARENT[0] = os.getpid()


def _in_child() -> None:
    if not _HELD:
        return
    for fd in list(_HELD):
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD.clear()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != _PARENT[0]:  # the build died before the line above
        os._exit(1)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_before_fork, after_in_child=_in_child)


def lock_wait() -> float:
    """Seconds a build waits for the lock: CONTENTKIT_LOCK_WAIT, else DEFAULT_WAIT."""
    try:
        return max(0.0, float(os.environ.get("CONTENTKIT_LOCK_WAIT", DEFAULT_WAIT)))
    except ValueError:
        return DEFAULT_WAIT


@dataclass
class Holder:
    pid: int | None
    started: str  # ISO 8601 UTC, or "" when unknown

    @classmethod
    def read(cls, path: Path) -> "Holder":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(int(data["pid"]), str(data["started"]))
        except (OSError, ValueError, KeyError, TypeError):
            return cls(None, "")


class BuildLocked(Exception):
    def __init__(self, path: Path, holder: Holder):
        super().__init__(str(path))
        self.path, self.holder = path, holder


class BuildLock:
    """`with BuildLock(root).hold(wait, on_wait):` the site's build lock."""

    def __init__(self, root: Path):
        self.dir = Path(root) / CACHE_DIR
        self.path = self.dir / LOCK_NAME
        self.fd: int | None = None
        self.made_dir = False

    def acquire(self, wait: float | None = None, on_wait=None) -> "BuildLock":
        """Take the lock, waiting up to `wait` seconds; `on_wait(holder)` is called once if the
        lock is held by someone else. Raises BuildLocked when the wait is over."""
        wait = lock_wait() if wait is None else wait
        deadline = time.monotonic() + wait
        told = False
        self.made_dir = not self.dir.is_dir()
        self.dir.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                if time.monotonic() >= deadline:
                    raise BuildLocked(self.path, Holder.read(self.path)) from None
                if not told and on_wait is not None:
                    on_wait(Holder.read(self.path))
                told = True
                time.sleep(POLL)
                continue
            except BaseException:
                os.close(fd)
                raise
            try:  # the file we locked must still be the lock file (a holder may have removed it)
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if not same:
                os.close(fd)
                continue
            self.fd = fd
            _HELD.add(fd)
            break
        started = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        data = json.dumps({"pid": os.getpid(), "started": started}).encode()
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, data, 0)
        except OSError:
            pass  # no room to say who we are: the lock holds all the same
        return self

    def release(self, remove: bool = False) -> None:
        """Let go. `remove`: also delete the lock file, and the cache folder if this lock made it
        and it is empty (a failed first build leaves nothing behind)."""
        if self.fd is None:
            return
        if remove:
            try:
                os.unlink(self.path)  # while holding it: a waiter notices and opens the new file
            except OSError:
                pass
        _HELD.discard(self.fd)
        os.close(self.fd)
        self.fd = None
        if remove and self.made_dir:
            try:
                os.rmdir(self.dir)
            except OSError:
                pass
