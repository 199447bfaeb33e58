"""A persistent cache of read documents, keyed by content hash, in `.contentkit-cache/`.

The cache is an optimisation only: a missing, stale or corrupted cache file is detected (pickle
errors, wrong format version) and ignored, so it can never put wrong content into the output.
"""
from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path

from .. import __version__
from .markdown import ENGINE_VERSION

CACHE_DIR = ".contentkit-cache"
FORMAT = f"documents-v1|{ENGINE_VERSION}|{__version__}"


class DocumentCache:
    def __init__(self, root: Path):
        self.dir = Path(root) / CACHE_DIR
        self.path = self.dir / "documents.pickle"
        self._old: dict = {}
        self._new: dict = {}
        self.corrupted = False
        self.loaded = False

    def load(self) -> "DocumentCache":
        try:
            with open(self.path, "rb") as fh:
                header, entries = pickle.load(fh)
            if header == FORMAT and isinstance(entries, dict):
                self._old = entries
                self.loaded = True
        except FileNotFoundError:
            pass
        except Exception:  # truncated or garbage file: start afresh
            self.corrupted = True
            self._old = {}
        return self

    def get(self, key: str):
        doc = self._old.get(key)
        if doc is not None:
            self._new[key] = doc
        return doc

    def put(self, key: str, doc) -> None:
        self._new[key] = doc

    def save(self) -> None:
        """Keep only the entries used by this build, so the cache does not grow forever."""
        if self._new.keys() == self._old.keys() and not self.corrupted:
            return
        self.dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.dir, prefix=".documents-")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump((FORMAT, self._new), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self.path)
