"""Find a site's content files and read them all, through the cache and across CPU cores.

Reading (front matter + Markdown) is the expensive stage of a build; it is a pure function of each
file's bytes, so results are cached by content hash in `.contentkit-cache/` and computed in
parallel worker processes when many files are new.
"""
from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..config import SAFE_LOADER, SiteConfig
from ..errors import ContentError, Problem, ProblemLog
from .cache import DocumentCache
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
    for folder, kind in CONTENT_KINDS:
        base = config.content_dir / folder
        if not base.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
            for name in sorted(filenames):
                if name.endswith(MARKDOWN_SUFFIXES) and not name.startswith((".", "#", "~")):
                    path = Path(dirpath) / name
                    found.append(SourceFile(path, path.relative_to(config.root).as_posix(), kind))
    return found


def _read_worker(args: tuple[bytes, str, str, str]) -> SourceDocument | Problem:
    data, rel, kind, lang = args
    try:
        return read_document(data, rel, kind, lang)
    except ContentError as exc:
        return exc.problem


def read_sources(sources: list[SourceFile], config: SiteConfig, log: ProblemLog,
                 cache: DocumentCache | None = None, workers: int | None = None
                 ) -> dict[str, tuple[SourceDocument, str]]:
    """rel path -> (document, cache key) for every file that could be read; problems go to `log`."""
    results: dict[str, tuple[SourceDocument, str]] = {}
    todo: list[tuple[SourceFile, bytes, str]] = []
    for src in sources:
        try:
            data = src.path.read_bytes()
        except OSError as exc:
            log.error(src.rel, f"cannot read the file: {exc.strerror}", "check its permissions")
            continue
        key = cache_key(data, config.language)
        doc = cache.get(key) if cache else None
        if doc is not None:
            results[src.rel] = (doc, key)
        else:
            todo.append((src, data, key))
    jobs = [(data, src.rel, src.kind, config.language) for src, data, key in todo]
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if workers > 1 and len(jobs) >= PARALLEL_THRESHOLD:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            outcomes = list(pool.map(_read_worker, jobs, chunksize=max(1, len(jobs) // (workers * 8))))
    else:
        outcomes = [_read_worker(job) for job in jobs]
    for (src, _data, key), outcome in zip(todo, outcomes):
        if isinstance(outcome, Problem):
            log.add(outcome)
            continue
        results[src.rel] = (outcome, key)
        if cache:
            cache.put(key, outcome)
    return results


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
            log.error(rel, "the file is not valid UTF-8", "save it with UTF-8 encoding")
            continue
        except (yaml.YAMLError, json.JSONDecodeError) as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark else getattr(exc, "lineno", None)
            log.error(rel, f"invalid {'JSON' if path.suffix == '.json' else 'YAML'}: "
                      f"{getattr(exc, 'problem', None) or exc}", "fix the syntax of the profile", line)
            continue
        if not isinstance(data, dict):
            log.error(rel, "an author profile must be `key: value` lines", "start with `name: Prénom Nom`", 1)
            continue
        lines = {}
        for number, line in enumerate(text.splitlines(), 1):
            if line and not line[0].isspace() and ":" in line:
                lines.setdefault(line.split(":", 1)[0].strip().strip('"'), number)
        out[path.stem] = (data, rel, lines)
    return out
