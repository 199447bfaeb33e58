"""Processes: when this one may fork (the build forks workers and helpers that inherit its memory),
and whether another one is still alive."""
from __future__ import annotations

import os
import threading


def can_fork() -> bool:
    """Forking a process that runs other threads (the preview server) can deadlock the child, and
    some platforms cannot fork at all (where os.fork exists, multiprocessing offers "fork" too)."""
    return hasattr(os, "fork") and threading.active_count() == 1


def pid_alive(pid: int) -> bool:
    """Whether a process with that PID exists (the holder of a work folder or a cache shard being
    written): a PID we may not signal belongs to a live process."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
