"""When this process may fork: the build forks workers and helpers that inherit its memory."""
from __future__ import annotations

import os
import threading


def can_fork() -> bool:
    """Forking a process that runs other threads (the preview server) can deadlock the child, and
    some platforms cannot fork at all (where os.fork exists, multiprocessing offers "fork" too)."""
    return hasattr(os, "fork") and threading.active_count() == 1
