"""Find a site's content files and read them all, through the cache and across CPU cores.

Reading (front matter + Markdown) is the expensive stage of a build; it is a pure function of each
file's bytes, so results are cached by content hash in `.contentkit-cache/` and computed in
parallel worker processes when many files are new. A file whose stat (size, mtime, ctime, inode) is
the one recorded when it was last hashed is not even read (see cache.py for when that is safe).
"""
from __future__ import annotations

import dataclasses
import json
import marshal
import multiprocessing
import os
import pickle
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..config import SiteConfig
from ..yaml_safe import SAFE_LOADER
from ..errors import ContentError, Problem, ProblemLog
from ..forking import can_fork
from .cache import DocumentCache, pack_document, unpack_document
from .frontmatter import yaml_mistake
from .reader import SourceDocument, cache_key, read_document

CONTENT_KINDS = (("posts", "post"), ("pages", "page"), ("topics", "topic"))
MARKDOWN_SUFFIXES = (".md", ".markdown")
# Below this many files to parse, process start-up costs more than it saves.
PARALLEL_THRESHOLD = 64


@dataclass
class SourceFile:
    path: Path
    rel: str
    kind: str


def discover_sources(config: SiteConfig) -> list[SourceFile]:
    """Every Markdown file under content/posts, content/pages and content/topics, in a stable order."""
    found = []
    root = str(config.root)
    for folder, kind in CONTENT_KINDS:
        base = config.content_dir / folder
        if not base.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
            rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
            for name in sorted(filenames):
                if name.endswith(MARKDOWN_SUFFIXES) and not name.startswith((".", "#", "~")):
                    found.append(SourceFile(Path(dirpath, name), f"{rel_dir}/{name}", kind))
    return found


def _read_worker(args: tuple[bytes, str, str, str]) -> SourceDocument | Problem:
    data, rel, kind, lang = args
    try:
        return read_document(data, rel, kind, lang)
    except ContentError as exc:
        return exc.problem


def _read_job(job: tuple[str, str, str, str]) -> tuple[str | None, SourceDocument | Problem]:
    """(content key, document or problem) for one file, read here: the parent does not keep (nor
    send) every file's bytes. The key is of the bytes read here, so it always matches the document."""
    path, rel, kind, lang = job
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return None, Problem.of("file-unreadable", rel, reason=exc.strerror)
    return cache_key(data, lang), _read_worker((data, rel, kind, lang))


def _read_chunk(jobs: list[tuple[str, str, str, str]]) -> bytes:
    """A worker's results, marshal-encoded (far cheaper for the parent to decode than pickled
    dataclasses): [(key, packed document | pickled problem)]."""
    out = []
    for job in jobs:
        key, result = _read_job(job)
        out.append((key, pack_document(result) if isinstance(result, SourceDocument) else pickle.dumps(result)))
    try:
        return b"M" + marshal.dumps(out)
    except ValueError:  # an unusual type somewhere: pickle this chunk
        return b"P" + pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL)


def _decode_chunk(data: bytes) -> list[tuple[str | None, SourceDocument | Problem]]:
    items = marshal.loads(memoryview(data)[1:]) if data[:1] == b"M" else pickle.loads(memoryview(data)[1:])
    return [(key, unpack_document(v) if isinstance(v, tuple) else pickle.loads(v)) for key, v in items]


def _pool_context():
    """fork is the cheapest start, but forking a process that runs other threads (the preview
    server) can deadlock the child: use forkserver there."""
    if can_fork():
        return multiprocessing.get_context("fork")
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def parse_documents(jobs: list[tuple[str, str, str, str]], workers: int | None, progress=None
                    ) -> list[tuple[str | None, SourceDocument | Problem]]:
    """(path, rel, kind, lang) -> (key, document or problem), in worker processes when there are
    enough files. Results are in the order of `jobs`, whatever the number of workers."""
    workers = workers if workers is not None else (os.cpu_count() or 1)
    out: list[tuple[str | None, SourceDocument | Problem]] = []
    if workers <= 1 or len(jobs) < PARALLEL_THRESHOLD:
        for job in jobs:
            out.append(_read_job(job))
            if progress:
                progress(len(out), len(jobs))
        return out
    # Contiguous chunks of at most ~64 files (~0.2 s of work): few round trips. The last tenth goes
    # in chunks an eighth that size, so that when the queue runs dry the other workers wait for
    # little more than a few files.
    size = max(4, min(64, len(jobs) // (workers * 8)))
    bulk = len(jobs) - min(len(jobs) // 10, size * workers * 2)
    small = max(1, size // 8)
    chunks = [jobs[i:min(i + size, bulk)] for i in range(0, bulk, size)] + \
        [jobs[i:i + small] for i in range(bulk, len(jobs), small)]
    with ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context()) as pool:
        for part in pool.map(_read_chunk, chunks):
            out.extend(_decode_chunk(part))
            if progress:
                progress(len(out), len(jobs))
    return out


def read_sources(sources: list[SourceFile], config: SiteConfig, log: ProblemLog,
                 cache: DocumentCache | None = None, workers: int | None = None, progress=None
                 ) -> dict[str, tuple[SourceDocument, str]]:
    """rel path -> (document, cache key) for every file that could be read; problems go to `log`."""
    results: dict[str, tuple[SourceDocument, str]] = {}
    todo: list[tuple[SourceFile, str | None, os.stat_result | None]] = []
    jobs: list[tuple[str, str, str, str]] = []
    lang = config.language
    scan_ns = time.time_ns()
    if cache is not None:
        cache.begin()
    # With nothing cached, no file can be found by its content: the workers read and hash them all
    # (the parent reading each file first only delayed the start of the work).
    lookup = cache is not None and bool(cache.entries)
    for src in sources:
        st = None
        if cache is not None:
            try:
                st = os.stat(src.path)
            except OSError:
                st = None
            key = cache.key_for_stat(src.rel, st, lang) if st is not None else None
            doc = cache.get(key) if key else None
            if doc is not None:
                results[src.rel] = (_as_source(doc, src), key)
                continue
        if not lookup:
            todo.append((src, None, st))
            jobs.append((str(src.path), src.rel, src.kind, lang))
            continue
        try:
            data = src.path.read_bytes()
        except OSError as exc:
            log.error(src.rel, "file-unreadable", reason=exc.strerror)
            continue
        key = cache_key(data, lang)
        doc = cache.get(key) if cache is not None else None
        if doc is not None:
            results[src.rel] = (_as_source(doc, src), key)
            if st is not None:
                cache.note_stat(src.rel, st, lang, key, scan_ns)
        else:
            todo.append((src, key, st))
            jobs.append((str(src.path), src.rel, src.kind, lang))
        del data
    outcomes = parse_documents(jobs, workers, progress)
    for (src, key, st), (read_key, outcome) in zip(todo, outcomes):
        if isinstance(outcome, Problem):
            log.add(outcome)
            continue
        if key is None:  # read by the worker only. Its stat, taken before, is safe to record: had
            key = read_key  # the file changed in between, its stat differs at the next build.
        elif read_key != key:  # the file changed since it was hashed above: its stat is stale too
            key, st = read_key, None
        results[src.rel] = (outcome, key)
        if cache is not None:
            cache.put(key, outcome)
            if st is not None:
                cache.note_stat(src.rel, st, lang, key, scan_ns)
    if cache is not None:
        cache.forget_missing({src.rel for src in sources})
    return dict(sorted(results.items()))


def _as_source(doc: SourceDocument, src: SourceFile) -> SourceDocument:
    """A cached document is keyed by content: two files with the same bytes share it, so make sure
    it names this file and its kind."""
    if doc.rel == src.rel and doc.kind == src.kind:
        return doc
    return dataclasses.replace(doc, rel=src.rel, kind=src.kind)


AUTHOR_SUFFIXES = (".yml", ".yaml", ".json")


def read_author_files(config: SiteConfig, log: ProblemLog) -> dict[str, tuple[dict, str, dict]]:
    """author id -> (raw profile data, rel path, key lines) from content/authors/."""
    base = config.content_dir / "authors"
    out: dict[str, tuple[dict, str, dict]] = {}
    if not base.is_dir():
        return out
    for path in sorted(base.iterdir()):
        if path.suffix not in AUTHOR_SUFFIXES or path.name.startswith("."):
            continue
        rel = path.relative_to(config.root).as_posix()
        try:
            text = path.read_bytes().decode("utf-8-sig")
            data = json.loads(text) if path.suffix == ".json" else yaml.load(text, Loader=SAFE_LOADER)
        except UnicodeDecodeError:
            log.error(rel, "author-file-not-utf8")
            continue
        except (yaml.YAMLError, json.JSONDecodeError) as exc:
            try:
                line = yaml_mistake(exc, rel) if isinstance(exc, yaml.YAMLError) else exc.lineno
            except ContentError as mistake:
                log.add(mistake.problem)
                continue
            log.error(rel, "author-file-invalid", line=line, format="JSON" if path.suffix == ".json" else "YAML",
                      problem=getattr(exc, "problem", None) or exc)
            continue
        if not isinstance(data, dict):
            log.error(rel, "author-file-not-mapping", line=1)
            continue
        lines = {}
        for number, line in enumerate(text.splitlines(), 1):
            if line and not line[0].isspace() and ":" in line:
                lines.setdefault(line.split(":", 1)[0].strip().strip('"'), number)
        out[path.stem] = (data, rel, lines)
    return out
