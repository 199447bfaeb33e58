"""A persistent cache of read documents in `.contentkit-cache/`, so unchanged posts are never re-parsed.

    documents-<x>.pickle   16 shards: content key -> SourceDocument (key = hash of the file's bytes,
                           the site language, the Markdown engine and extension configuration, and
                           the contentkit version; see reader.cache_key)
    sources.pickle         rel path -> (size, mtime_ns, ctime_ns, inode, language, key): lets a build
                           skip reading and hashing files whose stat did not change

Each file is `MAGIC + sha1(payload) + payload`; the payload is a pickle whose header names the format
(cache layout, engine, contentkit and slugify versions). A truncated, garbled or stale file is
detected (bad magic, checksum, header or pickle) and ignored, so it can only cost time, never put
wrong content into the output; `corrupted` tells the build to warn, and the next save rewrites it.

Sharding keeps "one post changed" cheap: only the shards whose set of entries changed are
rewritten (two at most for an edit), not the whole cache.

The stat shortcut is only taken when it is safe, as git does for its index: an entry is recorded
only if the file's mtime and ctime are older than the start of the scan by more than the coarsest
common timestamp granularity, so a file rewritten with the same size within the same clock tick is
hashed again. ctime cannot be set by tools that restore mtimes (tar, rsync -t, cp -p), and the
inode changes when an editor saves by renaming a new file over the old one.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from .. import __version__
from .markdown import ENGINE_VERSION

try:
    from importlib.metadata import version as _dist_version
    _SLUGIFY = _dist_version("python-slugify")
except Exception:  # pragma: no cover - metadata missing
    _SLUGIFY = "?"

CACHE_DIR = ".contentkit-cache"
FORMAT = f"documents-v2|{ENGINE_VERSION}|{__version__}|slugify-{_SLUGIFY}"
MAGIC = b"CKCACHE2"
SHARDS = 16
# A file whose mtime or ctime is within this of the scan start may still change within the same
# timestamp tick (2 s on FAT/exFAT, a few ms on ext4/APFS): it is hashed again at the next build.
RACY_NS = 2_000_000_000


def _shard(key: str) -> str:
    return key[0]  # keys are hex digests: 16 shards


def _dump(path: Path, obj) -> None:
    payload = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix="." + path.name + "-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(MAGIC)
            fh.write(hashlib.sha1(payload, usedforsecurity=False).digest())
            fh.write(payload)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


class Unreadable(Exception):
    pass


def _load(path: Path):
    """The object in `path`; FileNotFoundError if absent, Unreadable if damaged or stale."""
    with open(path, "rb") as fh:
        data = fh.read()
    if len(data) < 28 or data[:8] != MAGIC:
        raise Unreadable(path)
    view = memoryview(data)
    if hashlib.sha1(view[28:], usedforsecurity=False).digest() != data[8:28]:
        raise Unreadable(path)
    try:
        obj = pickle.loads(view[28:])
    except Exception:
        raise Unreadable(path) from None
    if not isinstance(obj, tuple) or len(obj) != 2 or obj[0] != FORMAT or not isinstance(obj[1], dict):
        raise Unreadable(path)
    return obj[1]


class DocumentCache:
    def __init__(self, root: Path):
        self.dir = Path(root) / CACHE_DIR
        self.path = self.dir / "documents.pickle"  # the one-file cache of contentkit < 0.2 (removed)
        self.entries: dict[str, object] = {}  # key -> SourceDocument, everything known
        self.on_disk: dict[str, set[str]] = {}  # shard -> keys its file holds
        self.used: set[str] = set()  # keys used by the current build
        self.stats: dict[str, tuple] = {}  # rel -> (size, mtime_ns, ctime_ns, ino, lang, key)
        self.stats_on_disk: dict[str, tuple] = {}
        self.corrupted = False
        self.loaded = False

    # Loading ---------------------------------------------------------------------------------
    def load(self) -> "DocumentCache":
        for shard in "0123456789abcdef":
            path = self.dir / f"documents-{shard}.pickle"
            try:
                entries = _load(path)
            except FileNotFoundError:
                continue
            except (Unreadable, OSError):
                self.corrupted = True
                self.on_disk[shard] = {"<unreadable>"}  # differs from anything: rewritten at save
                continue
            self.entries.update(entries)
            self.on_disk[shard] = set(entries)
            self.loaded = True
        try:
            self.stats = _load(self.dir / "sources.pickle")
        except FileNotFoundError:
            pass
        except (Unreadable, OSError):
            self.corrupted = True
            self.stats = {}
        self.stats_on_disk = dict(self.stats)
        if self.path.exists():  # the single-file cache of earlier versions: superseded
            try:
                self.path.unlink()
            except OSError:
                pass
        return self

    def begin(self) -> None:
        """Start of a build: nothing used yet (serve keeps one cache across builds)."""
        self.used = set()

    # Documents ---------------------------------------------------------------------------------
    def get(self, key: str):
        doc = self.entries.get(key)
        if doc is not None:
            self.used.add(key)
        return doc

    def put(self, key: str, doc) -> None:
        self.entries[key] = doc
        self.used.add(key)

    # Stat shortcut -----------------------------------------------------------------------------
    def key_for_stat(self, rel: str, st: os.stat_result, lang: str) -> str | None:
        """The content key of `rel` if its stat proves it unchanged since it was hashed."""
        entry = self.stats.get(rel)
        if entry is None or entry[0] != st.st_size or entry[1] != st.st_mtime_ns or \
                entry[2] != st.st_ctime_ns or entry[3] != st.st_ino or entry[4] != lang:
            return None
        return entry[5]

    def note_stat(self, rel: str, st: os.stat_result, lang: str, key: str, scan_ns: int) -> None:
        """Remember rel's stat -> key, unless the file changed too recently to be sure (racy)."""
        if max(st.st_mtime_ns, st.st_ctime_ns) < scan_ns - RACY_NS:
            self.stats[rel] = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, lang, key)
        else:
            self.stats.pop(rel, None)

    def forget_missing(self, present: set[str]) -> None:
        for rel in [r for r in self.stats if r not in present]:
            del self.stats[rel]

    # Saving ------------------------------------------------------------------------------------
    def save(self) -> None:
        """Write the shards whose entries changed; keep only the entries this build used, so the
        cache does not grow forever."""
        by_shard: dict[str, dict] = {}
        for key in self.used:
            by_shard.setdefault(_shard(key), {})[key] = self.entries[key]
        for shard in "0123456789abcdef":
            entries = by_shard.get(shard, {})
            if set(entries) == self.on_disk.get(shard, set()):
                continue
            path = self.dir / f"documents-{shard}.pickle"
            if entries:
                _dump(path, (FORMAT, entries))
            else:
                try:
                    path.unlink()
                except FileNotFoundError:
                    pass
            self.on_disk[shard] = set(entries)
        if self.stats != self.stats_on_disk:
            _dump(self.dir / "sources.pickle", (FORMAT, self.stats))
            self.stats_on_disk = dict(self.stats)
        self.entries = {k: self.entries[k] for k in self.used}
        self.corrupted = False
