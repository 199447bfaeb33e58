"""Static site search with Pagefind: no server, nothing loaded from another host.

    SearchExtension           the build's extension (extensions.py): plans the search page,
                              indexes the staged site before it is published
    plan_search(planner)      the search page (`/search/`, noindex) when search is on; sets the
                              `search_page` template global (the header form points to it)
    search_enabled(config)    `search: true` in contentkit.yml (default) and pagefind installed
    index_site(folder, cfg)   runs Pagefind over a built folder -> `pagefind/` inside it

The build calls `index_site` on its staging folder, before the atomic swap (see `build.py`), so the
published folder always holds an index that matches its pages. Only article bodies are indexed (the
theme puts `data-pagefind-body` on the body of article pages only), in the site's language
(`--force-language`: an English post on a French site is found from the French search page).
If the `pagefind` package (PyPI `pagefind[extended]`) is missing, the build warns once and the site
is made without search (no search page, no header form).
"""
from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Callable

from .config import SiteConfig
from .errors import Problem
from .extensions import Extension
from .render.seo import page_meta
from .urls import output_path

SEARCH_DIR = "pagefind"  # folder of the index inside the output folder
SEARCH_PATH = "search/"  # the search page, under the site's root path
_executable: Path | None | bool = False  # False: not looked up yet
_warned = False


def pagefind_executable() -> Path | None:
    """The Pagefind binary shipped by the `pagefind` Python package, or None."""
    global _executable
    if _executable is False:
        try:  # an optional dependency (`pagefind[extended]`), looked up only when search is on
            from pagefind.service import get_executable
        except ImportError:
            _executable = None
        else:
            try:
                found = get_executable()
            except Exception:
                found = None
            _executable = found if found is not None and Path(found).is_file() else None
    return _executable


def search_enabled(config: SiteConfig) -> bool:
    return bool(getattr(config, "search", True)) and pagefind_executable() is not None


def search_warning(config: SiteConfig, log) -> None:
    """Warn (once per process) when search is wanted but Pagefind is not installed."""
    global _warned
    if _warned or not getattr(config, "search", True) or pagefind_executable() is not None:
        return
    _warned = True
    log.warning(config.source_file or "contentkit.yml", "search-pagefind-missing")


def search_url(config: SiteConfig) -> str:
    return config.root_path + SEARCH_PATH


def search_page(site, rel) -> str | None:
    """The URL of the search page, or None: search is off, or a page of the site lives there.
    `rel(url)` is the output path of a URL (Planner.rel)."""
    if not search_enabled(site.config):
        return None  # (`contentkit serve` turns search off unless `--search`: re-indexing costs time)
    url = search_url(site.config)
    if rel(url) in {a.output for a in site.posts + site.pages}:
        return None  # a page of the site lives there
    return url


def plan_search(planner) -> None:
    """Add the search page to a planner and tell the templates where it is."""
    site, env = planner.site, planner.env
    env.globals["search_page"] = None
    url = search_page(site, planner.rel)
    if url is None:
        return
    t = env.globals["t"]
    env.globals["search_page"] = url
    title = t("search_title")
    planner.page(url, "search.html", ("search", site.config.language), title=title,
                 meta=page_meta(site, title=title, url=url, noindex=True), feeds=[])


def index_site(folder: Path, config: SiteConfig, timeout: float = 600) -> Problem | None:
    """Index the built site in `folder` (writes folder/pagefind/). Returns the problem (a warning
    on the site's config file) or None."""
    where = config.source_file or "contentkit.yml"
    exe = pagefind_executable()
    if exe is None:
        return Problem.of("search-index-no-pagefind", where, severity="warning")
    lang = config.language.split("-")[0].lower() or "en"
    cmd = [str(exe), "--site", str(folder), "--output-subdir", SEARCH_DIR, "--force-language", lang,
           "--exclude-selectors", ".heading-anchor", "--silent"]  # the "#" permalinks of headings
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Problem.of("search-index-pagefind-crashed", where, severity="warning", error=exc)
    if proc.returncode != 0 or not (Path(folder) / SEARCH_DIR / "pagefind.js").is_file():
        detail = (proc.stderr or proc.stdout or "").strip().splitlines()
        if detail:
            return Problem.of("search-index-pagefind-failed", where, severity="warning",
                              detail=detail[-1])
        return Problem.of("search-index-pagefind-exit", where, severity="warning",
                          status=proc.returncode)
    return None


def search_step(config: SiteConfig, log) -> Callable[[Path], None]:
    """The step run on the staging folder before the swap: index it (its `generated_dirs`: the index).

    Tolerant: a failing Pagefind is a warning and the site is published without an index (the
    search page says search is unavailable).
    """
    def before_swap(staging: Path) -> None:
        problem = index_site(staging, config)
        if problem is not None:
            log.add(problem)

    before_swap.generated_dirs = (SEARCH_DIR,)
    return before_swap


class SearchExtension(Extension):
    """Search as an extension of the build: the search page and the Pagefind index."""

    name = "search"

    def on_environment(self, env, site) -> None:
        env.globals.update(search_page=None)  # set by plan_search when search is on

    def on_plan(self, planner) -> None:
        plan_search(planner)

    def staged_output(self, site, log) -> Callable[[Path], None] | None:
        """A missing Pagefind is one warning; no search page, no index."""
        search_warning(site.config, log)
        root = site.config.root_path
        if search_page(site, lambda url: output_path(url[len(root) - 1:])) is None:
            return None
        return search_step(site.config, log)
