"""A persistent cache of read documents in `.contentkit-cache/`, so unchanged posts are never re-parsed.

    documents-<nn>.bin  64 shards: content key -> SourceDocument without its big strings (key = hash
                        of the file's bytes, the site language, the Markdown engine and extension
                        configuration, and the contentkit version; see reader.cache_key)
    texts-<nn>.bin      the big strings of the same documents (HTML, table of contents, Markdown
                        source: ~85% of the bytes), one marshal blob each, read only when a page that
                        shows the document is rendered (deferred.py): a build that changes one post
                        of 5,000 no longer decodes 90 MB it does not use
    sources.bin         rel path -> (size, mtime_ns, ctime_ns, inode, language, key), which lets a
                        build skip reading and hashing files whose stat did not change; the
                        slug memo (titles -> URL slugs) and small whole-site results (related posts)

Each documents/sources file is `MAGIC + length + CRC-32 + payload`. The payload is a `marshal` dump
(4-5x faster to load than pickle) of plain tuples, headed by a format string naming the cache layout,
the document fields, the Markdown engine, contentkit, python-slugify and Python versions; values
`marshal` cannot hold (front matter may contain dates) are pickled inside it. Each document entry
holds the offset, length and CRC-32 of its blob in texts-<nn>.bin.
What a killed build leaves (unpublished `.soon-<pid>` shards, temporary files) is deleted by the next
build, under the build lock (`clean_leftovers`). A truncated, garbled or stale file is detected (magic, checksum, header, decoding) and ignored, so it
can only cost time, never put wrong content into the output; `corrupted` tells the build to warn,
and the next save rewrites it. A damaged text blob is detected when it is read (length, CRC) and the
document is parsed again from its source file instead.

Sharding keeps "one post changed" cheap: only the shards whose set of entries changed are rewritten
(two at most for an edit), not the whole cache.

The stat shortcut is only taken when it is safe, as git does for its index: an entry is recorded
only if the file's mtime and ctime are older than the start of the scan by more than the coarsest
common timestamp granularity, so a file rewritten with the same size within the same clock tick is
hashed again. ctime cannot be set by tools that restore mtimes (tar, rsync -t, cp -p), and the
inode changes when an editor saves by renaming a new file over the old one.
"""
from __future__ import annotations

import dataclasses
import gc
import marshal
import os
import pickle
import re
import sys
import zlib
from pathlib import Path

from .. import __version__, slugs
from ..deferred import raw
from ..errors import ContentError
from ..forking import can_fork, pid_alive
from ..output import write_atomic
from .markdown import ENGINE_VERSION, RenderedMarkdown
from .reader import SourceDocument, read_document

try:
    from importlib.metadata import version as _dist_version
    _SLUGIFY = _dist_version("python-slugify")
except Exception:  # pragma: no cover - metadata missing
    _SLUGIFY = "?"

CACHE_DIR = ".contentkit-cache"
_DOC_FIELDS = tuple(f.name for f in dataclasses.fields(SourceDocument))
_RENDERED_FIELDS = tuple(f.name for f in dataclasses.fields(RenderedMarkdown))
FORMAT = (f"documents-v4|{','.join(_DOC_FIELDS)}|{','.join(_RENDERED_FIELDS)}|{ENGINE_VERSION}|{__version__}"
          f"|slugify-{_SLUGIFY}|py{sys.version_info[0]}.{sys.version_info[1]}")
MAGIC = b"CKCACHE4"
# 64 shards of ~1.7 MB at 5,000 posts: an edit rewrites one or two small files.
SHARDS = tuple(f"{i:02d}" for i in range(64))
# A file whose mtime or ctime is within this of the scan start may still change within the same
# timestamp tick (2 s on FAT/exFAT, a few ms on ext4/APFS): it is hashed again at the next build.
RACY_NS = 2_000_000_000
# Fields stored as they are (str, int, None, and lists/dicts of those); the others are pickled.
_PLAIN = {"rel", "kind", "key_lines", "body", "body_line", "lang", "summary_html", "words", "template_tags",
          "html", "excerpt_html", "first_paragraph_html", "toc_html", "toc"}


def _shard(key: str) -> str:
    return SHARDS[int(key[:2], 16) % len(SHARDS)]  # keys are hex digests


def pack_document(doc: SourceDocument) -> tuple:
    def value(obj, name):
        v = getattr(obj, name)
        return v if name in _PLAIN else pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL)
    rendered = tuple(value(doc.rendered, n) for n in _RENDERED_FIELDS)
    return tuple(rendered if n == "rendered" else value(doc, n) for n in _DOC_FIELDS)


_RENDERED_AT = _DOC_FIELDS.index("rendered")
_REL_AT, _KIND_AT, _LANG_AT = (_DOC_FIELDS.index(n) for n in ("rel", "kind", "lang"))
_DOC_PICKLED = [i for i, n in enumerate(_DOC_FIELDS) if n not in _PLAIN and n != "rendered"]
_RENDERED_PICKLED = [i for i, n in enumerate(_RENDERED_FIELDS) if n not in _PLAIN]


def unpack_document(packed: tuple) -> SourceDocument:
    values = list(packed)
    for i in _DOC_PICKLED:
        values[i] = pickle.loads(values[i])
    rendered = values[_RENDERED_AT]
    if _RENDERED_PICKLED:
        rendered = list(rendered)
        for i in _RENDERED_PICKLED:
            rendered[i] = pickle.loads(rendered[i])
    values[_RENDERED_AT] = RenderedMarkdown(*rendered)
    return SourceDocument(*values)


# The big strings, stored apart (texts-<nn>.bin) and read on first use.
_DOC_TEXTS = [i for i, n in enumerate(_DOC_FIELDS) if n == "body"]
_RENDERED_TEXTS = [i for i, n in enumerate(_RENDERED_FIELDS) if n in ("html", "toc_html")]


def _text_blob(doc: SourceDocument) -> bytes:
    return marshal.dumps((doc.rendered.html, doc.rendered.toc_html, doc.body))


def _texts_set_to(packed: tuple, value) -> tuple:
    """A packed document whose text fields (body, html, toc_html) all hold `value`."""
    values = list(packed)
    for i in _DOC_TEXTS:
        values[i] = value
    rendered = list(values[_RENDERED_AT])
    for i in _RENDERED_TEXTS:
        rendered[i] = value
    values[_RENDERED_AT] = tuple(rendered)
    return tuple(values)


def _pack_stored(doc: SourceDocument, offset: int, length: int, crc: int) -> tuple:
    """The shard entry: the packed document without its texts, and where its texts are."""
    return (_texts_set_to(pack_document(doc), None), offset, length, crc)


def _unpack_stored(entry: tuple, texts: "StoredText") -> SourceDocument:
    return unpack_document(_texts_set_to(entry[0], texts))


class StoredText:
    """The HTML, table of contents and Markdown source of one cached document, read from its
    texts-<nn>.bin blob the first time a page needs them (a `deferred.Deferred`).

    A blob that cannot be read or fails its CRC (a damaged cache) is never trusted: the document is
    parsed again from its source file, and the shard is deleted so that the next build rebuilds it."""

    __slots__ = ("path", "offset", "length", "crc", "root", "rel", "kind", "lang", "_value")

    def __init__(self, path: Path, offset: int, length: int, crc: int, root: Path, rel: str, kind: str,
                 lang: str):
        self.path, self.offset, self.length, self.crc = path, offset, length, crc
        self.root, self.rel, self.kind, self.lang = root, rel, kind, lang
        self._value: dict[str, str] | None = None

    def get(self) -> dict[str, str]:
        if self._value is None:
            try:
                self._value = self._read()
            except (OSError, ValueError, EOFError, TypeError):
                self._value = self._parse_again()
        return self._value

    def _read(self) -> dict[str, str]:
        with open(self.path, "rb") as fh:
            fh.seek(self.offset)
            blob = fh.read(self.length)
        if len(blob) != self.length or zlib.crc32(blob) != self.crc:
            raise ValueError("damaged text blob")
        html, toc_html, body = marshal.loads(blob)
        if not (isinstance(html, str) and isinstance(toc_html, str) and isinstance(body, str)):
            raise ValueError("damaged text blob")
        return {"html": html, "toc_html": toc_html, "body": body}

    def _parse_again(self) -> dict[str, str]:
        for damaged in (self.path, self.path.with_name(self.path.name.replace("texts-", "documents-"))):
            try:
                damaged.unlink()
            except OSError:
                pass
        try:
            doc = read_document((self.root / self.rel).read_bytes(), self.rel, self.kind, self.lang)
        except (OSError, ContentError):
            raise ContentError(self.rel, "cache-document-damaged") from None
        return {"html": doc.rendered.html, "toc_html": doc.rendered.toc_html, "body": doc.body}


def _checksum(payload) -> bytes:
    """Length and CRC-32 (12 bytes): catches truncation, torn writes and flipped bits."""
    return len(payload).to_bytes(8, "little") + zlib.crc32(payload).to_bytes(4, "little")


def _dump(path: Path, obj, atomic: bool = True) -> None:
    try:
        payload = b"M" + marshal.dumps((FORMAT, obj))
    except ValueError:  # an unusual type (a str subclass...): pickle this file instead
        payload = b"P" + pickle.dumps((FORMAT, obj), protocol=pickle.HIGHEST_PROTOCOL)
    _write_parts(path, [MAGIC, _checksum(payload), payload], atomic)


def _write_parts(path: Path, parts: list, atomic: bool = True) -> None:
    """`parts` into `path`: atomically (a temporary file renamed), or straight into a private file."""
    if atomic:
        write_atomic(path, parts)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        fh.writelines(parts)


def _os_problem(exc: OSError, where: Path) -> str:
    """What went wrong and on which file (the destination of a failed rename)."""
    return f"{exc.strerror or exc}: {exc.filename2 or exc.filename or where}"


class Unreadable(Exception):
    """Damaged: truncated, garbled, not a cache file."""


class Stale(Unreadable):
    """Intact, but written by another version (of contentkit, the Markdown engine, Python...)."""


def _load(path: Path):
    """The object in `path`; FileNotFoundError if absent, Unreadable if damaged or stale."""
    with open(path, "rb") as fh:
        data = fh.read()
    if len(data) < 21 or data[:8] != MAGIC:
        raise Unreadable(path)
    view = memoryview(data)
    if _checksum(view[20:]) != data[8:20]:
        raise Unreadable(path)
    enabled = gc.isenabled()
    gc.disable()  # decoding makes many objects and no garbage: no collection passes
    try:
        kind = data[20:21]
        if kind == b"M":
            obj = marshal.loads(view[21:])
        elif kind == b"P":
            obj = pickle.loads(view[21:])
        else:
            raise Unreadable(path)
    except Unreadable:
        raise
    except Exception:
        raise Unreadable(path) from None
    finally:
        if enabled:
            gc.enable()
    if not isinstance(obj, tuple) or len(obj) != 2 or not isinstance(obj[1], dict):
        raise Unreadable(path)
    if obj[0] != FORMAT:
        raise Stale(path)
    return obj[1]


_LEFTOVER = re.compile(r"(?:(?:documents|texts)-[0-9]{2}\.bin\.soon-(?P<pid>[0-9]+)"
                       r"|\.(?:(?:documents|texts)-[0-9]{2}\.bin|sources\.bin|manifest-[0-9a-f]+\.json)-\w+)\Z")


def clean_leftovers(root: Path) -> int:
    """Delete what killed builds left in the cache folder: shards their background writer had not
    published (`*.soon-<pid>`, that process gone) and temporary files of interrupted atomic writes.
    Only under the build lock (lock.py), so no live build owns them. Returns how many."""
    folder = Path(root) / CACHE_DIR
    try:
        names = os.listdir(folder)
    except OSError:
        return 0
    removed = 0
    for name in names:
        match = _LEFTOVER.match(name)
        if match is None or (match["pid"] and pid_alive(int(match["pid"]))):
            continue
        try:
            os.unlink(folder / name)
            removed += 1
        except OSError:
            pass
    return removed


class DocumentCache:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.dir = self.root / CACHE_DIR
        self.path = self.dir / "documents.pickle"  # the one-file cache of earlier versions (removed)
        self.entries: dict[str, object] = {}  # key -> SourceDocument, everything known
        self.on_disk: dict[str, set[str]] = {}  # shard -> keys its file holds
        self.used: set[str] = set()  # keys used by the current build
        self.stats: dict[str, tuple] = {}  # rel -> (size, mtime_ns, ctime_ns, ino, lang, key)
        self.stats_on_disk: dict[str, tuple] = {}
        self.slugs_on_disk = 0
        # Small results derived from the whole site, each checked by the caller against a key of
        # its inputs (e.g. assemble.RELATED_MEMO): name -> value
        self.memos: dict[str, object] = {}
        self.memos_on_disk: dict[str, object] = {}
        self.corrupted = False
        self.loaded = False
        self._soon: tuple | None = None  # (pid, shards, suffix, made_dir) of save_documents_soon

    # Loading ---------------------------------------------------------------------------------
    def load(self) -> "DocumentCache":
        for shard in SHARDS:
            path = self.dir / f"documents-{shard}.bin"
            texts = self.dir / f"texts-{shard}.bin"
            try:
                packed = _load(path)
                entries = {}
                for key, entry in packed.items():
                    head = entry[0]
                    entries[key] = _unpack_stored(entry, StoredText(texts, entry[1], entry[2], entry[3], self.root,
                                                                    head[_REL_AT], head[_KIND_AT], head[_LANG_AT]))
            except FileNotFoundError:
                continue
            except Exception as exc:  # Unreadable, OSError, or entries that do not fit the fields
                self.corrupted = self.corrupted or not isinstance(exc, Stale)
                self.on_disk[shard] = {"<unreadable>"}  # differs from anything: rewritten at save
                continue
            self.entries.update(entries)
            self.on_disk[shard] = set(entries)
            self.loaded = True
        try:
            saved = _load(self.dir / "sources.bin")
            self.stats = dict(saved["stats"])
            slugs.preload(saved["slugs"])
            self.memos = dict(saved.get("memos", {}))
        except FileNotFoundError:
            pass
        except Exception as exc:
            self.corrupted = self.corrupted or not isinstance(exc, Stale)
            self.stats = {}
            self.stats_on_disk = {"<unreadable>": ()}
        if "<unreadable>" not in self.stats_on_disk:
            self.stats_on_disk = dict(self.stats)
        self.memos_on_disk = dict(self.memos)
        self.slugs_on_disk = sum(map(len, slugs.memo().values()))
        for old in [self.path, *self.dir.glob("documents-*.pickle"), self.dir / "sources.pickle"]:
            try:  # caches of earlier versions: superseded
                old.unlink()
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
    def save(self) -> str | None:
        """Write what changed: the shards whose entries changed (publishing first those written in
        the background, see `save_documents_soon`) and the stats and memos. Keep only the entries
        this build used, so the cache does not grow forever. Returns why the cache could not be
        written, if it could not: the build goes on without it."""
        problem = self._publish_soon(publish=True)
        by_shard = self._by_shard()
        try:
            for shard, entries in list(self._changed(by_shard)):
                self._write_shard(shard, entries)
                self.on_disk[shard] = set(entries)
            memo = slugs.memo()
            slug_count = sum(map(len, memo.values()))
            if self.stats != self.stats_on_disk or slug_count != self.slugs_on_disk or \
                    self.memos != self.memos_on_disk:
                _dump(self.dir / "sources.bin", {"stats": self.stats, "slugs": memo, "memos": self.memos})
                self.stats_on_disk = dict(self.stats)
                self.slugs_on_disk = slug_count
                self.memos_on_disk = dict(self.memos)
        except OSError as exc:
            problem = _os_problem(exc, self.dir)
        self.entries = {k: self.entries[k] for k in self.used}
        self.corrupted = False
        return problem

    def save_documents_soon(self) -> None:
        """Start writing the shards whose entries changed from a forked process, while this one
        goes on (assembling the site, on the other core). Its files are written aside and stay
        invisible until `save()` publishes them (renames, texts first), or `discard()` drops them
        when the build fails. Only when every text to write is in memory (a deferred text is read
        from the file being replaced: only `save()` may do that) and forking is safe."""
        if self._soon is not None or not can_fork():
            return
        shards = {shard: entries for shard, entries in self._changed(self._by_shard()) if entries}
        if not shards or not all(
                isinstance(raw(doc.rendered, "html"), str) and isinstance(raw(doc.rendered, "toc_html"), str)
                and isinstance(raw(doc, "body"), str) for entries in shards.values() for doc in entries.values()):
            return
        suffix = f".soon-{os.getpid()}"
        made_dir = not self.dir.is_dir()  # a failed build must not leave even an empty cache folder
        try:
            pid = os.fork()
        except OSError:
            return
        if pid == 0:  # child: write, then leave without running any of the parent's cleanup
            # No collections here: one would visit (and so copy) every object of the parent.
            gc.disable()
            status = 1
            try:
                for shard, entries in shards.items():
                    self._write_shard(shard, entries, suffix)
                status = 0
            finally:
                os._exit(status)
        self._soon = (pid, shards, suffix, made_dir)

    def discard(self) -> None:
        """Drop what `save_documents_soon` wrote (a failed build writes nothing, not even the cache)."""
        self._publish_soon(publish=False)

    def _publish_soon(self, publish: bool) -> str | None:
        if self._soon is None:
            return None
        pid, shards, suffix, made_dir = self._soon
        self._soon = None
        _, status = os.waitpid(pid, 0)
        ready = publish and status == 0
        problem = None
        for shard, entries in shards.items():
            pairs = [(self.dir / f"{kind}-{shard}.bin{suffix}", self.dir / f"{kind}-{shard}.bin")
                     for kind in ("texts", "documents")]  # texts first: see _write_shard
            if ready:
                try:
                    for written, final in pairs:
                        os.replace(written, final)
                    self.on_disk[shard] = set(entries)
                    continue
                except FileNotFoundError:
                    pass
                except OSError as exc:
                    problem = _os_problem(exc, self.dir)
            for written, _ in pairs:  # not published: save() writes the shard itself
                try:
                    os.unlink(written)
                except OSError:
                    pass
        if made_dir and not publish:
            try:
                os.rmdir(self.dir)
            except OSError:
                pass  # not empty: something else was written there
        return problem

    def _by_shard(self) -> dict[str, dict]:
        by_shard: dict[str, dict] = {}
        for key in self.used:
            by_shard.setdefault(_shard(key), {})[key] = self.entries[key]
        return by_shard

    def _changed(self, by_shard: dict[str, dict]):
        """(shard, entries) of the shards whose entries differ from the shard's file."""
        for shard in SHARDS:
            entries = by_shard.get(shard, {})
            if set(entries) != self.on_disk.get(shard, set()):
                yield shard, entries

    def _write_shard(self, shard: str, entries: dict, suffix: str | None = None) -> None:
        """Write a shard's texts then its entries; with `suffix`, as private files beside them."""
        path = self.dir / f"documents-{shard}.bin"
        texts_path = self.dir / f"texts-{shard}.bin"
        if not entries:
            for old in (path, texts_path):
                try:
                    old.unlink()
                except FileNotFoundError:
                    pass
            return
        # Texts first (read from the old file if deferred, before it is replaced), then the entries
        # that point into them: a crash in between leaves blobs whose CRC does not match, which
        # are parsed again, never trusted.
        blobs, stored, offset = [], {}, 0
        for key, doc in entries.items():
            blob = _text_blob(doc)
            stored[key] = _pack_stored(doc, offset, len(blob), zlib.crc32(blob))
            blobs.append(blob)
            offset += len(blob)
        if suffix is not None:
            texts_path, path = (p.with_name(p.name + suffix) for p in (texts_path, path))
        _write_parts(texts_path, blobs, atomic=suffix is None)
        _dump(path, stored, atomic=suffix is None)
