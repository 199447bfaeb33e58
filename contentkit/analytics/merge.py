"""Match imported traffic to articles, per article and per source, with exposure normalisation.

    [TrafficExport] ──aggregate_by_path (traffic/)──▶ {path: PageTraffic}
        ──url_index (permalinks + aliases)──▶ per article: one SourceMetrics per source
        + per-day series of the primary source (when an export has a Date dimension)
        ──▶ MergeResult (matched, unmatched rows largest first, articles without traffic,
                         exposure window and days live per article)

Rules
-----
* A traffic path matches an article when its normalised form (``traffic.urls.normalize_url``)
  equals the normalised permalink (``Article.url``, which includes the site's root path) or an
  alias; aliases and permalinks are also tried with and without the site's root path, so
  ``/blog/2015/x/`` and ``/2015/x/`` both match when the blog lives in ``/blog/``. A permalink
  wins over another article's alias.
* Several paths of one article (permalink + old alias) add up within a source: counts are summed,
  rates are weighted (bounce rate by entrances/sessions/views, position and CTR by impressions).
* Different sources stay side by side and are never added (two tools count the same visits).
  Overlapping exports of one source are de-duplicated by ``aggregate_by_path`` (period files that
  overlap are left out, per-day rows are kept once per page and day); the per-day series built
  here follow the same rule (first file — the longest — wins a page-day).
* Exposure: an article published during the export window was live for fewer days. For each
  source, ``days_live = window end − max(window start, publication date) + 1`` and the age at the
  end of the window is ``window end − publication date + 1`` days. Rates are per day live.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from contentkit.analytics.traffic import aggregate_by_path, import_export
from contentkit.analytics.traffic.model import (METRICS, SOURCES, SUM_METRICS, PageTraffic,
                                                PageTrafficMap, TrafficExport)
from contentkit.analytics.traffic.urls import normalize_url
from contentkit.errors import ContentError, Problem

__all__ = ["ArticleKey", "SourceMetrics", "ArticleTraffic", "UnmatchedPath", "MergeResult",
           "url_index", "merge_traffic", "load_exports", "primary_source", "VIEW_SOURCES"]

#: Sources that count page views, in the order the primary outcome prefers them.
VIEW_SOURCES = tuple(s for s in SOURCES if s != "search_console")
_RATE_WEIGHTS = {
    "bounce_rate": ("entrances", "sessions", "views", "users"),
    "exit_rate": ("views", "sessions", "users"),
    "avg_engaged_seconds": ("users", "views", "sessions"),
    "position": ("impressions",),
    "scroll_depth": ("users", "views", "sessions"),
}


@dataclass(frozen=True)
class ArticleKey:
    """What the merge needs to know of an article."""

    source: str
    url: str
    aliases: tuple[str, ...] = ()
    published: date | None = None
    title: str = ""


@dataclass
class SourceMetrics:
    """One source's metrics for one article (all its paths combined) and its exposure."""

    source: str
    metrics: dict[str, float] = field(default_factory=dict)
    window: tuple[date, date] | None = None
    days_live: int | None = None      # days the article was online within the window
    age_days: int | None = None       # age at the end of the window
    per_day: bool = False
    paths: list[str] = field(default_factory=list)

    def rate(self, metric: str) -> float | None:
        """``metric`` per day live (None when unknown or not live)."""
        value = self.metrics.get(metric)
        if value is None or not self.days_live:
            return None
        return value / self.days_live


@dataclass
class ArticleTraffic:
    key: ArticleKey
    sources: dict[str, SourceMetrics] = field(default_factory=dict)
    paths: list[str] = field(default_factory=list)

    @property
    def has_traffic(self) -> bool:
        return bool(self.sources)


@dataclass
class UnmatchedPath:
    path: str
    urls: list[str]
    size: float           # what "largest" means: views, else clicks, else impressions
    measure: str          # name of that metric
    sources: list[str]


@dataclass
class MergeResult:
    exports: list[TrafficExport]
    pages: PageTrafficMap
    articles: list[ArticleTraffic]
    unmatched: list[UnmatchedPath]          # largest first
    no_traffic: list[ArticleKey]            # articles no export mentions
    windows: dict[str, tuple[date, date]]   # per source, the span of the kept exports
    primary: str | None                     # source of the page-view outcome
    daily: np.ndarray | None = None         # (articles, days) views of the primary source
    daily_start: date | None = None
    daily_days: np.ndarray | None = None    # bool (days,): days covered by per-day rows
    import_problems: list[Problem] = field(default_factory=list)  # files that failed

    @property
    def warnings(self) -> list[Problem]:
        return list(self.pages.warnings)

    def by_source(self) -> dict[str, ArticleTraffic]:
        return {a.key.source: a for a in self.articles}


# ------------------------------------------------------------------------------ import

def load_exports(paths: Sequence[str | Path], format: str | None = None, *,
                 site_hosts: Iterable[str] | None = None,
                 progress: Callable[[Path, int], None] | None = None
                 ) -> tuple[list[TrafficExport], list[Problem]]:
    """Import each file; a file that cannot be read becomes a Problem (the others go on)."""
    exports, problems = [], []
    hosts = list(site_hosts) if site_hosts is not None else None
    for p in paths:
        path = Path(p)
        callback = (lambda n, _p=path: progress(_p, n)) if progress else None
        try:
            exports.append(import_export(path, format, site_hosts=hosts, progress=callback))
        except ContentError as exc:
            problems.append(exc.problem)
        except (OSError, ValueError) as exc:
            problems.append(Problem.of("traffic-import-failed", path, error=exc))
    return exports, problems


# ------------------------------------------------------------------------------ matching

def _variants(url: str, root_path: str) -> list[str]:
    out = [url]
    root = root_path if root_path.endswith("/") else root_path + "/"
    if root != "/":
        if url.startswith(root):
            out.append("/" + url[len(root):])
        elif url.startswith("/"):
            out.append(root + url.lstrip("/"))
    return out


def url_index(articles: Sequence[ArticleKey], root_path: str = "/") -> dict[str, int]:
    """Normalised path → article index: permalinks first, then aliases (first one wins)."""
    index: dict[str, int] = {}
    for i, a in enumerate(articles):
        for v in _variants(a.url, root_path):
            index.setdefault(normalize_url(v), i)
    for i, a in enumerate(articles):
        for alias in a.aliases:
            for v in _variants(alias if alias.startswith("/") else "/" + alias, root_path):
                index.setdefault(normalize_url(v), i)
    return index


def _size(page: PageTraffic) -> tuple[float, str]:
    for metric in ("views", "clicks", "impressions", "users", "sessions"):
        value = getattr(page, metric)
        if value is not None:
            return float(value), metric
    return 0.0, "rows"


def _combine(parts: list) -> dict[str, float]:
    """Combine SourceTraffic objects of several paths of one article (one source)."""
    if len(parts) == 1:
        st = parts[0]
        return {m: float(getattr(st, m)) for m in METRICS if getattr(st, m) is not None}
    out: dict[str, float] = {}
    for m in SUM_METRICS:
        vals = [getattr(st, m) for st in parts if getattr(st, m) is not None]
        if vals:
            out[m] = float(sum(vals))
    for m, weights in _RATE_WEIGHTS.items():
        pairs = [(st, getattr(st, m)) for st in parts if getattr(st, m) is not None]
        if not pairs:
            continue
        w_name = next((w for w in weights if all(getattr(st, w) for st, _ in pairs)), None)
        if w_name is None:
            out[m] = float(np.mean([v for _, v in pairs]))
        else:
            tot = sum(getattr(st, w_name) for st, _ in pairs)
            out[m] = float(sum(getattr(st, w_name) * v for st, v in pairs) / tot) if tot else None
    if "engaged_seconds_total" in out and out.get("users"):
        out["avg_engaged_seconds"] = out["engaged_seconds_total"] / out["users"]
    if "clicks" in out and out.get("impressions"):
        out["ctr"] = out["clicks"] / out["impressions"]
    return {k: v for k, v in out.items() if v is not None}


def primary_source(windows: dict[str, tuple[date, date]], pages: PageTrafficMap,
                   per_day_sources: set[str]) -> str | None:
    """The page-view source used for the primary outcome: one with per-day data first, then
    the order of SOURCES."""
    have = [s for s in VIEW_SOURCES if s in windows and any(
        s in p.sources and p.sources[s].views is not None for p in pages.values())]
    if not have:
        return "search_console" if "search_console" in windows else None
    daily = [s for s in have if s in per_day_sources]
    return (daily or have)[0]


def merge_traffic(articles: Sequence[ArticleKey], exports: Sequence[TrafficExport],
                  root_path: str = "/", pages: PageTrafficMap | None = None,
                  import_problems: Sequence[Problem] = ()) -> MergeResult:
    """Match every page of ``exports`` to ``articles``; see the module docstring."""
    exports = list(exports)
    if pages is None:
        pages = aggregate_by_path(exports)
    index = url_index(articles, root_path)
    matched: dict[int, list[PageTraffic]] = {}
    unmatched: list[UnmatchedPath] = []
    for path, page in pages.items():
        i = index.get(path)
        if i is None:
            size, measure = _size(page)
            unmatched.append(UnmatchedPath(path, list(page.urls[:5]), size, measure,
                                           sorted(page.sources)))
        else:
            matched.setdefault(i, []).append(page)
    unmatched.sort(key=lambda u: (-u.size, u.path))

    windows: dict[str, tuple[date, date]] = {}
    per_day_sources: set[str] = set()
    for e in pages.used:
        lo, hi = e.start, e.end
        if e.per_day:
            per_day_sources.add(e.source)
            dlo, dhi = e.data_dates()
            lo, hi = lo or dlo, hi or dhi
        if lo is None or hi is None:
            continue
        old = windows.get(e.source)
        windows[e.source] = (min(lo, old[0]), max(hi, old[1])) if old else (lo, hi)

    out: list[ArticleTraffic] = []
    no_traffic: list[ArticleKey] = []
    for i, key in enumerate(articles):
        at = ArticleTraffic(key=key)
        plist = matched.get(i, [])
        at.paths = sorted(p.path for p in plist)
        by_source: dict[str, list] = {}
        for p in plist:
            for s, st in p.sources.items():
                by_source.setdefault(s, []).append((p.path, st))
        for s in sorted(by_source, key=lambda s: SOURCES.index(s) if s in SOURCES else 99):
            parts = by_source[s]
            sm = SourceMetrics(source=s, metrics=_combine([st for _, st in parts]),
                               window=windows.get(s), per_day=s in per_day_sources,
                               paths=[p for p, _ in parts])
            _exposure(sm, key.published)
            at.sources[s] = sm
        if not at.sources:
            no_traffic.append(key)
        out.append(at)

    primary = primary_source(windows, pages, per_day_sources)
    result = MergeResult(exports=exports, pages=pages, articles=out, unmatched=unmatched,
                         no_traffic=no_traffic, windows=windows, primary=primary,
                         import_problems=list(import_problems))
    if primary in per_day_sources:
        _daily_series(result, index, primary)
    return result


def _exposure(sm: SourceMetrics, published: date | None) -> None:
    if sm.window is None:
        return
    start, end = sm.window
    if published is None:
        sm.days_live = (end - start).days + 1
        return
    sm.days_live = max(0, (end - max(start, published)).days + 1)
    sm.age_days = max(0, (end - published).days + 1)


def exposure(window: tuple[date, date] | None, published: date | None) -> tuple[int | None, int | None]:
    """(days live in the window, age at the window's end in days)."""
    sm = SourceMetrics(source="", window=window)
    _exposure(sm, published)
    return sm.days_live, sm.age_days


def _daily_series(result: MergeResult, index: dict[str, int], source: str) -> None:
    """Views per article and day from the per-day exports of ``source`` (page-days counted once,
    days covered by a kept period file of the same source left out, as aggregate_by_path)."""
    used = [e for e in result.pages.used if e.source == source]
    per_day = [e for e in used if e.per_day]
    period_days: set[date] = set()
    for e in used:
        if not e.per_day and e.start and e.end:
            period_days |= {e.start + timedelta(days=k) for k in range((e.end - e.start).days + 1)}
    lo = min(e.data_dates()[0] for e in per_day)
    hi = max(e.data_dates()[1] for e in per_day)
    ndays = (hi - lo).days + 1
    daily = np.zeros((len(result.articles), ndays), dtype=np.float64)
    covered = np.zeros(ndays, dtype=bool)
    day_cache: dict[date, int] = {}
    claimed: set | None = set() if len(per_day) > 1 else None

    def span_len(e):
        a, b = e.data_dates()
        return (b - a).days
    for e in sorted(per_day, key=span_len, reverse=True):
        mine: set = set()
        for r in e.rows:
            d = r.date
            if d is None or r.views is None or d in period_days:
                continue
            i = index.get(r.path)
            k = day_cache.get(d)
            if k is None:
                k = day_cache[d] = (d - lo).days
                covered[k] = True
            if i is None:
                continue
            if claimed is not None:
                ck = (r.path, d)
                if ck in claimed:
                    continue
                mine.add(ck)
            daily[i, k] += r.views
        if claimed is not None:
            claimed |= mine
    result.daily, result.daily_start, result.daily_days = daily, lo, covered
