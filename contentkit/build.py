"""The build pipeline: config -> read -> assemble -> plan -> render what changed -> write.

    load_config          config.py          contentkit.yml -> SiteConfig
    discover/read        content/loader.py  Markdown files -> SourceDocument (cached, parallel)
    assemble_site        assemble.py        documents -> Site (articles, people, taxonomies)
    Planner.plan         render/pages.py    Site -> PlannedFile (output path, deps, renderer)
    render changed       here               signature(deps) differs from last build -> render
    write_output         output.py          staging folder + hard links, swapped in atomically

All content problems are collected and reported together before anything is rendered; template
problems before anything is written. `contentkit serve` calls the same `build_site` with a
`BuildState` kept in memory between rebuilds.
"""
from __future__ import annotations

import dataclasses
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from . import __version__
from .assemble import BuildOptions, assemble_site
from .config import SiteConfig, load_config
from .content.cache import CACHE_DIR, DocumentCache
from .content.loader import discover_sources, read_author_files, read_sources
from .errors import BuildFailed, ContentError, ProblemLog
from .model import Site, fingerprint
from .output import WriteReport, safe_join, write_output
from .render.env import fingerprint_files, load_strings, make_environment, static_dirs, template_dirs, template_error
from .render.pages import Planner
from .search import search_step
from .editorial.schedule import NEXT_PUBLISH, next_publish_json
from .editorial.slugs import update_registry

MARKER_DIR = ".contentkit"
MARKER = f"{MARKER_DIR}/build.json"


@dataclass
class BuildState:
    """What a build remembers for the next one: parsed documents and output signatures."""

    cache: DocumentCache | None = None
    manifest: dict[str, list] = field(default_factory=dict)  # output -> [signature, size, mtime_ns]


@dataclass
class BuildResult:
    site: Site
    output_dir: Path
    report: WriteReport
    warnings: list
    planned: int
    rendered: int
    seconds: float


def load_site(root: Path, options: BuildOptions | None = None, log: ProblemLog | None = None,
              use_cache: bool = True, workers: int | None = None, state: BuildState | None = None,
              **config_overrides) -> Site:
    """Config + content -> the content model. Shared by build, serve, analyze and check."""
    options = options or BuildOptions()
    log = log if log is not None else ProblemLog()
    try:
        config = load_config(Path(root), log, **config_overrides)
    except ContentError as exc:
        log.add(exc.problem)
        raise BuildFailed(log.problems) from None
    cache = None
    if use_cache:
        cache = state.cache if state and state.cache else DocumentCache(config.root).load()
        if state is not None:
            state.cache = cache
        if cache.corrupted:
            log.warning(f"{CACHE_DIR}/documents.pickle", "the cache was unreadable and is rebuilt", "")
    documents = read_sources(discover_sources(config), config, log, cache, workers)
    site = assemble_site(config, documents, read_author_files(config, log), options, log)
    if cache is not None and not log.errors:
        cache.save()
    return site


def check_output_dir(config: SiteConfig, out_dir: Path) -> None:
    out = out_dir.resolve()
    root = config.root.resolve()
    if out == root or root.is_relative_to(out) or out.is_relative_to(config.content_dir.resolve()):
        raise ContentError(str(out_dir), "the output folder would contain or replace the site's sources",
                           "choose a separate folder, e.g. --output site")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise ContentError(str(out_dir), "this folder exists and was not made by contentkit; refusing to "
                           "replace it", "empty it, delete it, or choose another --output folder")


def _manifest_path(config: SiteConfig, out_dir: Path) -> Path:
    return config.root / CACHE_DIR / f"manifest-{fingerprint(str(out_dir.resolve()))}.json"


def build_site(root: Path | str = ".", output: Path | str | None = None, options: BuildOptions | None = None,
               use_cache: bool = True, workers: int | None = None, state: BuildState | None = None,
               progress=None, **config_overrides) -> BuildResult:
    started = time.perf_counter()
    options = options or BuildOptions()
    log = ProblemLog()
    site = load_site(Path(root), options, log, use_cache, workers, state, **config_overrides)
    config = site.config
    out_dir = Path(output) if output is not None else config.root / "site"
    if not out_dir.is_absolute():
        out_dir = Path.cwd() / out_dir
    try:
        check_output_dir(config, out_dir)
    except ContentError as exc:
        log.add(exc.problem)
    log.raise_if_errors()

    strings = load_strings(config)
    try:
        env = make_environment(config, strings)
        planner = Planner(site, env).plan()
    except (jinja2.TemplateError, ContentError) as exc:
        problem = exc.problem if isinstance(exc, ContentError) else template_error(exc, config).problem
        log.add(problem)
        raise BuildFailed(log.problems) from None
    site_sig = fingerprint(
        __version__, sorted((f.name, repr(getattr(config, f.name))) for f in dataclasses.fields(config)),
        fingerprint_files(template_dirs(config)), sorted(strings.items()), options.preview, options.drafts,
        options.future, [(c.slug, c.name) for c in site.categories.sorted_terms()],
        [(p.url, p.title) for p in site.pages], [(t.slug, t.name) for t in site.tags.sorted_terms()[:12]],
        [(a.id, a.name) for a in site.authors.values()], bool(site.posts),
        env.globals.get("events_page"),  # the menu links to the events page when there is one
        env.globals.get("search_page"))  # the header has a search form when search is on

    manifest_file = _manifest_path(config, out_dir)
    if state is not None and state.manifest:
        previous = state.manifest
    elif use_cache:
        try:
            previous = json.loads(manifest_file.read_text())
        except (OSError, ValueError):
            previous = {}
    else:
        previous = {}

    rendered: dict[str, bytes] = {}
    kept: set[str] = set()
    signatures: dict[str, str] = {}
    template_problems: dict[str, object] = {}
    total = len(planner.files)
    for i, planned in enumerate(planner.files):
        try:
            safe_join(out_dir, planned.output)
        except ValueError:
            log.error("contentkit", f"refusing to write outside the output folder: {planned.output}", "")
            continue
        sig = fingerprint(site_sig, planned.deps)
        signatures[planned.output] = sig
        entry = previous.get(planned.output)
        if entry and entry[0] == sig and _unchanged_on_disk(out_dir, planned.output, entry):
            kept.add(planned.output)
            continue
        try:
            rendered[planned.output] = planned.render()
        except Exception as exc:  # a template error, located; reported once per template line
            problem = template_error(exc, config).problem
            template_problems.setdefault(problem.location() + problem.message, problem)
        if progress:
            progress(i + 1, total)
    for problem in template_problems.values():
        log.add(problem)
    log.raise_if_errors()

    marker = json.dumps({"generator": "contentkit", "version": __version__}, indent=2).encode()
    rendered[MARKER] = marker
    rendered[NEXT_PUBLISH] = next_publish_json(site)  # when the next rebuild is due (schedule.py)
    copies = {c.output: c.source for c in planner.copies}
    report = write_output(out_dir, rendered, kept, copies, **search_step(env, config, log))  # + search index

    manifest = {}
    for out, sig in signatures.items():
        try:
            st = (out_dir / out).stat()
        except OSError:
            continue
        manifest[out] = [sig, st.st_size, st.st_mtime_ns]
    if state is not None:
        state.manifest = manifest
    if not options.preview:
        update_registry(site)  # content/.slugs.yml: URLs live posts have had (editorial/slugs.py)
    if use_cache:
        manifest_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = manifest_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(manifest))
        os.replace(tmp, manifest_file)
    return BuildResult(site=site, output_dir=out_dir, report=report, warnings=log.warnings,
                       planned=len(planner.files), rendered=len(rendered) - 2,
                       seconds=time.perf_counter() - started)


def _unchanged_on_disk(out_dir: Path, rel: str, entry: list) -> bool:
    try:
        st = (out_dir / rel).stat()
    except OSError:
        return False
    return st.st_size == entry[1] and st.st_mtime_ns == entry[2]
