"""The build pipeline: config -> read -> assemble -> plan -> render what changed -> write.

    load_config          config.py          contentkit.yml -> SiteConfig
    discover/read        content/loader.py  Markdown files -> SourceDocument (cached, parallel)
    assemble_site        assemble.py        documents -> Site (articles, people, taxonomies)
    Planner.plan         render/pages.py    Site -> PlannedFile (output path, deps, renderer)
    render changed       here               signature(deps) differs from last build -> render
    OutputWriter         output.py          changed files staged aside, then renamed into place

All content problems are collected and reported together before anything is rendered; template
problems before anything is written. `contentkit serve` calls the same `build_site` with a
`BuildState` kept in memory between rebuilds.

A build holds the site's build lock (lock.py) from start to finish, and first completes the commit
of a build that was killed after its commit point (output.recover). A file system error (no space
left, permission denied) is a located problem (`output-write-failed`), never a traceback; the
previous site stays as it was.
"""
from __future__ import annotations

import concurrent.futures  # ProcessPoolExecutor: its module is loaded on first use (parallel renders)
import gc
import inspect
import json
import multiprocessing
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import jinja2.compiler

from . import __version__
from .assemble import RELATED_MEMO, assemble_site
from .model import BuildOptions
from .config import SiteConfig, load_config, site_language
from .content.cache import CACHE_DIR, DocumentCache, clean_leftovers as clean_cache_leftovers
from .content.loader import discover_sources, read_author_files, read_sources
from .errors import BuildFailed, ContentError, ProblemLog
from .extensions import Extensions, installed_extensions
from .forking import can_fork
from .model import Site, fingerprint
from .lock import BuildLock, BuildLocked
from .output import (CommitInterrupted, OutputWriter, ScanSoon, UnsafePath, WriteReport, check_rel, kill_point,
                     recover, write_atomic)
from . import output as _output
from .render.env import load_strings, make_environment, template_error
from .render.pages import Planner, site_wide_inputs

MARKER_DIR = ".contentkit"
MARKER = f"{MARKER_DIR}/build.json"


class WriteFailed(BuildFailed, OSError):
    """A file system error (no space left...) stopped the build: a BuildFailed with its located
    problem (`output-write-failed`) for the terminal, and the OSError it was for callers of
    `build_site` that catch those."""

    def __init__(self, problems: list, exc: OSError):
        BuildFailed.__init__(self, problems)
        self.errno, self.strerror, self.filename = exc.errno, exc.strerror, exc.filename


@dataclass
class BuildState:
    """What a build remembers for the next one: parsed documents and output signatures."""

    cache: DocumentCache | None = None
    # output -> [signature, size, mtime_ns, inode] of the files the last build published
    manifest: dict[str, list] = field(default_factory=dict)


@dataclass
class BuildResult:
    site: Site
    output_dir: Path
    report: WriteReport
    warnings: list
    planned: int
    rendered: int
    seconds: float
    timings: dict = field(default_factory=dict)  # stage -> seconds (read, assemble, plan, render...)


@dataclass
class BuildContext:
    """What one build (or one load of the content model) is asked to do, passed down the stages."""

    root: Path
    options: BuildOptions
    log: ProblemLog
    use_cache: bool = True
    workers: int | None = None
    state: BuildState | None = None
    timings: dict = field(default_factory=dict)
    progress: object = None  # progress(done, total[, stage=...]) or None
    background_save: bool = False
    extensions: Extensions = field(default_factory=Extensions)
    config_overrides: dict = field(default_factory=dict)
    output: Path | None = None
    started: float = 0.0
    sources: tuple[str, ...] = ()  # the content files found (a failed build says which are fine)
    on_lock_wait: object = None  # on_lock_wait(holder): another build holds the site's lock
    had_cache: bool = False  # a cached build of this site ran before this one


def load_site(root: Path, options: BuildOptions | None = None, log: ProblemLog | None = None,
              use_cache: bool = True, workers: int | None = None, state: BuildState | None = None,
              timings: dict | None = None, progress=None, background_save: bool = False,
              extensions: Extensions | list | None = None, **config_overrides) -> Site:
    """Config + content -> the content model. Shared by build, serve, analyze and check.
    `background_save`: the cache's documents are written by a forked process while the site is
    assembled on the other core (the build's serial stage). `extensions`: the build's extensions
    (extensions.py), by default the installed ones; kept on the site as `site.extensions`."""
    ctx = BuildContext(
        root=Path(root), options=options or BuildOptions(), log=log if log is not None else ProblemLog(),
        use_cache=use_cache, workers=workers, state=state, timings=timings if timings is not None else {},
        progress=progress, background_save=background_save,
        extensions=installed_extensions() if extensions is None else Extensions(extensions),
        config_overrides=config_overrides)
    with _fewer_gc_passes():
        return _load_site(ctx)


def _load_site(ctx: BuildContext) -> Site:
    log, state, timings = ctx.log, ctx.state, ctx.timings
    try:
        config = load_config(ctx.root, log, **ctx.config_overrides)
    except ContentError as exc:
        log.add(exc.problem)
        raise BuildFailed(log.problems) from None
    t0 = time.perf_counter()
    cache = None
    if ctx.use_cache:
        cache = state.cache if state and state.cache else DocumentCache(config.root).load()
        if state is not None:
            state.cache = cache
        if cache.corrupted:
            log.warning(CACHE_DIR, "cache-unreadable")
    timings["cache"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    sources = discover_sources(config)
    documents = read_sources(sources, config, log, cache, ctx.workers, progress=_staged(ctx.progress, "Reading"))
    timings["read"] = time.perf_counter() - t0
    if cache is not None and ctx.background_save and not log.errors:
        cache.save_documents_soon()
    ctx.sources = tuple(s.rel for s in sources)
    try:
        return _assemble(ctx, config, documents, cache)
    except BaseException:
        if cache is not None:
            cache.discard()
        raise


def _assemble(ctx: BuildContext, config: SiteConfig, documents: dict, cache: DocumentCache | None) -> Site:
    log, timings, extensions = ctx.log, ctx.timings, ctx.extensions
    t0 = time.perf_counter()
    # Whole-site results of earlier builds, each checked against a key of its inputs before use.
    if cache is not None and not RELATED_MEMO and isinstance(cache.memos.get("related"), dict):
        RELATED_MEMO.update(cache.memos["related"])
    if cache is not None:
        extensions.run("on_cache_read", cache.memos)
    site = assemble_site(config, documents, read_author_files(config, log), ctx.options, log)
    site.extensions = extensions
    extensions.run("on_site", site, log)  # e.g. slug history -> redirects (editorial)
    if cache is not None:
        if RELATED_MEMO:
            cache.memos["related"] = dict(RELATED_MEMO)
        extensions.run("on_cache_write", cache.memos, config)
    timings["assemble"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    if cache is not None and log.errors:  # a failed build writes nothing, not even the cache
        cache.discard()
    elif cache is not None:
        problem = cache.save()
        if problem:
            log.warning(CACHE_DIR, "cache-write-failed", reason=problem)
    timings["cache"] += time.perf_counter() - t0
    kill_point("cache")
    return site


def check_output_dir(config: SiteConfig, out_dir: Path) -> None:
    out = out_dir.resolve()
    root = config.root.resolve()
    if out == root or root.is_relative_to(out) or out.is_relative_to(config.content_dir.resolve()):
        raise ContentError(str(out_dir), "output-contains-sources")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise ContentError(str(out_dir), "output-not-ours")


def _cache_dir(config: SiteConfig, name: str) -> Path:
    path = config.root / CACHE_DIR / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def _manifest_path(config: SiteConfig, out_dir: Path) -> Path:
    return config.root / CACHE_DIR / f"manifest-{fingerprint(str(out_dir.resolve()))}.json"


RENDER_PARALLEL_THRESHOLD = 400  # fewer pages to render: forking workers costs more than it saves
MANIFEST_FORMAT = 2


def _staged(progress, stage: str):
    """progress(done, total) for one stage. A callback that takes a `stage` keyword is told which
    stage ("Reading", "Rendering"); an older one gets the rendering stage only, as before."""
    if _output._KILL_AT is not None:  # the crash tests' hook: kill_point("read"/"render", done)
        inner = _staged(progress, stage) if progress is not None else None
        point = "read" if stage == "Reading" else "render"

        def with_kill_point(done, total):
            kill_point(point, done)
            if inner is not None:
                inner(done, total)
        return with_kill_point
    if progress is None:
        return None
    try:
        params = inspect.signature(progress).parameters
    except (TypeError, ValueError):
        params = {}
    if "stage" in params or any(p.kind is p.VAR_KEYWORD for p in params.values()):
        return lambda done, total: progress(done, total, stage=stage)
    return progress if stage == "Rendering" else None


def _load_manifest(path: Path, log: ProblemLog | None = None) -> dict[str, list]:
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        if log is not None:
            log.warning(f"{CACHE_DIR}/{path.name}", "manifest-unreadable")
        return {}
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT or not isinstance(data.get("files"), dict):
        return {}  # written by an older contentkit: every file is rendered once and compared
    return data["files"]


@contextmanager
def _fewer_gc_passes():
    """A build allocates millions of long-lived objects (documents, articles, planned files) and
    little cyclic garbage; with the default thresholds the collector rescans them all many times
    (~30% of a warm build). Collect young objects less often for the duration of the build."""
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], 50_000), max(old[1], 20), max(old[2], 100))
    try:
        yield
    finally:
        gc.set_threshold(*old)


def build_site(root: Path | str = ".", output: Path | str | None = None, options: BuildOptions | None = None,
               use_cache: bool = True, workers: int | None = None, state: BuildState | None = None,
               progress=None, extensions: Extensions | list | None = None, on_lock_wait=None,
               lock_wait: float | None = None, **config_overrides) -> BuildResult:
    """`extensions`: the build's extensions (extensions.py); by default the installed ones.
    `on_lock_wait(holder)`: called once if another build of this site holds its lock (lock.py);
    this one waits up to `lock_wait` seconds (default: CONTENTKIT_LOCK_WAIT, else 120), then fails
    with `build-locked`."""
    ctx = BuildContext(
        root=Path(root), options=options or BuildOptions(), log=ProblemLog(), use_cache=use_cache,
        workers=workers, state=state, progress=progress, background_save=True,
        extensions=installed_extensions() if extensions is None else Extensions(extensions),
        config_overrides=config_overrides, output=Path(output) if output is not None else None,
        started=time.perf_counter(), on_lock_wait=on_lock_wait)
    lock = BuildLock(ctx.root)
    try:
        lock.acquire(lock_wait, on_lock_wait)
    except BuildLocked as exc:
        ctx.log.lang = site_language(ctx.root)  # worded as the site's other problems
        ctx.log.error(f"{CACHE_DIR}/{exc.path.name}", "build-locked", pid=exc.holder.pid or "?",
                      started=exc.holder.started or "?")
        raise BuildFailed(ctx.log.problems) from None
    except OSError as exc:  # the lock file cannot even be made (read-only site folder...)
        ctx.log.lang = site_language(ctx.root)
        ctx.log.error(str(exc.filename or lock.path), "output-write-failed", reason=exc.strerror or str(exc))
        raise BuildFailed(ctx.log.problems) from None
    failed = True
    try:
        with _fewer_gc_passes():
            result = _build_site(ctx)
        failed = False
        return result
    finally:
        lock.release(remove=lock.made_dir and (failed or not use_cache))


def _build_site(ctx: BuildContext) -> BuildResult:
    guessed_out = ctx.output if ctx.output is not None else ctx.root.resolve() / "site"
    guessed_out = guessed_out if guessed_out.is_absolute() else Path.cwd() / guessed_out
    scanned = None
    try:
        _recover(ctx, guessed_out)  # before anything reads the output folder
        clean_cache_leftovers(ctx.root)
        ctx.had_cache = (ctx.root / CACHE_DIR / "sources.bin").exists()
        # What the output folder holds now, found by a forked process while the content is loaded.
        scanned = ScanSoon(guessed_out)
        return _build(ctx, guessed_out, scanned)
    except BuildFailed as exc:
        exc.sources = ctx.sources
        raise
    except OSError as exc:  # no space left, permission denied...: located, and nothing published
        where, reason = str(exc.filename or guessed_out), exc.strerror or str(exc)
        if isinstance(exc, CommitInterrupted):
            ctx.log.error(where, "output-commit-interrupted", reason=reason)
        else:
            ctx.log.error(where, "output-write-failed", reason=reason)
        failure = WriteFailed(ctx.log.problems, exc)
        failure.sources = ctx.sources
        raise failure from None
    finally:
        if scanned is not None:
            scanned.close()


def _recover(ctx: BuildContext, out_dir: Path) -> None:
    """Complete a commit killed after its commit point (output.recover), saying so once."""
    outcome = recover(out_dir)
    if outcome == "rolled-forward":
        ctx.log.warning(str(out_dir), "output-commit-completed")
    elif outcome == "damaged":
        ctx.log.warning(str(out_dir), "output-journal-damaged")


def _build(ctx: BuildContext, guessed_out: Path, scanned: ScanSoon) -> BuildResult:
    """read + assemble -> plan -> compare with the last build -> render what changed -> write."""
    site = _load_site(ctx)
    out_dir = _output_dir(ctx, site.config)
    t0 = time.perf_counter()
    planner, site_sig = _plan(ctx, site)
    ctx.timings["plan"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    manifest_file = _manifest_path(site.config, out_dir)
    planned_by_output = _planned_outputs(planner, ctx.log)
    # steps that need the whole new site on disk before it is published (e.g. the search index)
    staged = site.extensions.collect("staged_output", site, ctx.log)
    current = scanned.result() if out_dir == guessed_out else None
    if out_dir != guessed_out:
        _recover(ctx, out_dir)
    writer = OutputWriter(out_dir, staging=bool(staged), current=current)
    if writer.cleaned:
        ctx.log.warning(str(out_dir.parent), "output-leftovers-removed", names=", ".join(sorted(writer.cleaned)))
    try:
        to_render, signatures = _changed(planned_by_output, site_sig, _previous_manifest(ctx, manifest_file, writer),
                                         writer)
        ctx.timings["compare"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        for problem in _render(to_render, writer, site.config, ctx.workers,
                               _staged(ctx.progress, "Rendering"), planner.warm):
            ctx.log.add(problem)
        ctx.log.raise_if_errors()
        ctx.timings["render"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        _add_the_rest(site, planner, writer)
    except BaseException:
        writer.abort()
        raise
    report = writer.commit(*_before_swap(staged))
    manifest = {out: [sig, *st] for out, sig in signatures.items()
                if (st := writer.final_stat(out)) is not None}
    if ctx.state is not None:
        ctx.state.manifest = manifest
    ctx.timings["write"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    site.extensions.run("on_post_build", site, ctx.options)  # e.g. content/.slugs.yml (editorial)
    if ctx.use_cache:
        kill_point("manifest")
        try:
            manifest_file.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(manifest_file, json.dumps({"format": MANIFEST_FORMAT, "files": manifest},
                                                   separators=(",", ":")).encode("utf-8"))
        except OSError as exc:  # the site is published; the next build re-renders and compares
            try:
                manifest_file.unlink()  # an older manifest would still be right, but say nothing stale
            except OSError:
                pass
            ctx.log.warning(f"{CACHE_DIR}/{manifest_file.name}", "cache-write-failed",
                            reason=exc.strerror or str(exc))
    ctx.timings["finish"] = time.perf_counter() - t0
    return BuildResult(site=site, output_dir=out_dir, report=report, warnings=ctx.log.warnings,
                       planned=len(planner.files), rendered=len(to_render),
                       seconds=time.perf_counter() - ctx.started, timings=ctx.timings)


def _output_dir(ctx: BuildContext, config: SiteConfig) -> Path:
    """The folder the site is written to (absolute), refused when it would destroy sources."""
    out_dir = ctx.output if ctx.output is not None else config.root / "site"
    if not out_dir.is_absolute():
        out_dir = Path.cwd() / out_dir
    try:
        check_output_dir(config, out_dir)
    except ContentError as exc:
        ctx.log.add(exc.problem)
    ctx.log.raise_if_errors()
    return out_dir


def _plan(ctx: BuildContext, site: Site) -> tuple[Planner, str]:
    """Every file the site has, with what each shows, and the signature of what every page shows."""
    config = site.config
    strings = load_strings(config)
    try:
        env = make_environment(config, strings)
        if ctx.use_cache:  # compiled templates, keyed by their source: no recompiling at every build
            # (files apart for each code generator: Jinja's keys do not tell them apart)
            own = env.code_generator_class is jinja2.compiler.CodeGenerator
            env.bytecode_cache = jinja2.FileSystemBytecodeCache(
                str(_cache_dir(config, "jinja")), "__jinja2_%s.cache" if own else "escape-output-%s.cache")
        planner = Planner(site, env).plan()
    except (jinja2.TemplateError, ContentError) as exc:
        problem = exc.problem if isinstance(exc, ContentError) else template_error(exc, config).problem
        ctx.log.add(problem)
        raise BuildFailed(ctx.log.problems) from None
    return planner, fingerprint(list(site_wide_inputs(site, env, strings).items()))


def _planned_outputs(planner: Planner, log: ProblemLog) -> dict[str, object]:
    """{output path: planned file}; the last planned file for a path wins (as a dict of rendered
    files did); a path that would leave the output folder is an error."""
    by_output: dict[str, object] = {}
    for planned in planner.files:
        try:
            check_rel(planned.output)
        except UnsafePath:
            log.error("contentkit", "output-path-unsafe", path=planned.output)
            continue
        by_output.pop(planned.output, None)
        by_output[planned.output] = planned
    log.raise_if_errors()
    return by_output


def _previous_manifest(ctx: BuildContext, manifest_file: Path, writer: OutputWriter) -> dict[str, list]:
    """What the last build published: the preview's memory, else the manifest file on disk. A
    missing manifest beside an output folder a cached build made is said (every page is rendered
    once and compared: nothing wrong is published, it only costs time)."""
    if ctx.state is not None and ctx.state.manifest:
        return ctx.state.manifest
    if not ctx.use_cache:
        return {}
    if writer.previous and MARKER in writer.current and not manifest_file.exists() and ctx.had_cache:
        ctx.log.warning(f"{CACHE_DIR}/{manifest_file.name}", "manifest-missing")
    return _load_manifest(manifest_file, ctx.log)


def _changed(planned_by_output: dict[str, object], site_sig: str, previous: dict[str, list],
             writer: OutputWriter) -> tuple[list, dict[str, str]]:
    """(files to render, {output: signature}): a file is kept when its signature and the file on
    disk (size, mtime, inode) are both what the last build left."""
    signatures: dict[str, str] = {}
    to_render = []
    for out, planned in planned_by_output.items():
        sig = signatures[out] = fingerprint(site_sig, planned.deps)
        entry = previous.get(out)
        on_disk = writer.current.get(out)
        if entry and len(entry) == 4 and entry[0] == sig and on_disk is not None and \
                on_disk[0] == entry[1] and on_disk[1] == entry[2] and on_disk[2] == entry[3]:
            writer.keep(out)
        else:
            to_render.append(planned)
    return to_render, signatures


def _add_the_rest(site: Site, planner: Planner, writer: OutputWriter) -> None:
    """The generator marker, the extensions' files, and the static files and media to copy."""
    writer.add(MARKER, json.dumps({"generator": "contentkit", "version": __version__}, indent=2).encode())
    site.extensions.run("on_write", site, writer)  # e.g. when the next rebuild is due (editorial)
    copies = {c.output: c.source for c in planner.copies}
    for out in sorted(copies):
        if out not in writer.expected:  # neither planned nor written above
            writer.copy(out, copies[out])


def _before_swap(staged: list) -> tuple:
    """(before_swap, generated_dirs) for OutputWriter.commit from the extensions' staged steps."""
    if not staged:
        return None, ()
    if len(staged) == 1:
        return staged[0], tuple(getattr(staged[0], "generated_dirs", ()))

    def before_swap(folder: Path) -> None:
        for step in staged:
            step(folder)

    return before_swap, tuple(d for step in staged for d in getattr(step, "generated_dirs", ()))


# Rendering ------------------------------------------------------------------------------------
# Pages are pure functions of the content model, so they can be rendered in any process: forked
# workers inherit the model and the planner (nothing to pickle), render contiguous slices of the
# pages to render, write the bytes that changed into the writer's private folder themselves and
# send back only (path, temp file) pairs or located template errors. The output does not depend on
# the number of workers.
_JOB: tuple | None = None  # (to_render, writer, config), set in the parent just before forking


def _render_one(planned, writer: OutputWriter, config: SiteConfig):
    try:
        data = planned.render()
    except ContentError as exc:  # located by the renderer itself (a feed names the article's file)
        return None, exc.problem
    except Exception as exc:  # a template error, located
        return None, template_error(exc, config).problem
    return writer.prepare(planned.output, data), None


def _render_slice(bounds: tuple[int, int]) -> list:
    to_render, writer, config = _JOB
    return [_render_one(to_render[i], writer, config) for i in range(*bounds)]


def _render(to_render: list, writer: OutputWriter, config: SiteConfig, workers: int | None,
            progress, warm=None) -> list:
    """Render and stage every planned file of `to_render`; the template problems, once each.
    `warm(to_render, workers)` runs before forking workers and gives the order to render in (see
    Planner.warm); the output does not depend on it."""
    global _JOB
    problems: dict[str, object] = {}
    total = len(to_render)
    workers = workers if workers is not None else (os.cpu_count() or 1)

    def collect(results, done: int) -> None:
        for outcome, problem in results:
            if problem is not None:
                problems.setdefault(problem.location() + problem.message, problem)
            else:
                writer.record(outcome)
        if progress:
            progress(done, total)

    if workers > 1 and total >= RENDER_PARALLEL_THRESHOLD and can_fork():
        size = max(16, total // (workers * 12))
        slices = [(i, min(i + size, total)) for i in range(0, total, size)]
        if warm is not None:
            to_render = warm(to_render, workers)
        _JOB = (to_render, writer, config)
        # The children need not scan (and so copy) the parent's objects. No collection first: it
        # took ~0.2 s at 5,000 posts for little garbage, which a later collection frees (unfreeze).
        gc.freeze()
        done = 0
        try:
            # workers - 1 children, and the parent renders too: one process (and its copied pages)
            # fewer for the same cores. The parent takes slices from the end of the queue, as long as
            # no child has started them.
            with concurrent.futures.ProcessPoolExecutor(max_workers=workers - 1, mp_context=multiprocessing.get_context("fork")) as pool:
                futures = [pool.submit(_render_slice, bounds) for bounds in slices]
                for future, bounds in zip(reversed(futures), reversed(slices)):
                    if not future.cancel():
                        break
                    results = _render_slice(bounds)
                    done += len(results)
                    collect(results, done)
                for future in futures:
                    if not future.cancelled():
                        results = future.result()
                        done += len(results)
                        collect(results, done)
        finally:
            _JOB = None
            gc.unfreeze()
    else:
        for i, planned in enumerate(to_render):
            collect([_render_one(planned, writer, config)], i + 1)
    return list(problems.values())
