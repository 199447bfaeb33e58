"""`contentkit analyze --traffic FILE …`: traffic columns, the length-norm verdict, the HTML report.

Plugged into the analyze command (command.py) as click options (`OPTIONS`), an enricher
(`enrich`, run before articles.csv / analysis.json are written) and an after-outputs hook
(`after_outputs`, writes reports/editorial-report.html and prints the verdict).

    traffic files (--traffic, contentkit.yml `traffic:`) ─load_exports─▶ [TrafficExport]
        ─merge_traffic─▶ per article, per source, exposure       merge.py
        ─▶ StatsRecord per article ─length_norm─▶ verdict         stats.py
        + git expansions / diff-in-diff (history.py), internal links (linkmap.py)
        ─▶ ArticleAnalysis.extra["traffic"], AnalysisReport.extra["traffic"|"length_norm"|…]
        ─▶ report.py (HTML)
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypedDict

import click
import numpy as np
from rich.console import Console
from rich.progress import Progress

from contentkit import text
from contentkit.analytics.article_report import AnalysisReport, ArticleAnalysis
from contentkit.analytics.depth import site_hosts
from contentkit.analytics.history import diff_in_diff, find_expansions
from contentkit.analytics.linkmap import link_map
from contentkit.analytics.merge import (ArticleKey, MergeResult, VIEW_SOURCES, load_exports,
                                        merge_traffic)
from contentkit.analytics.outputs import Column, shorten
from contentkit.analytics.report import write_report
from contentkit.analytics.stats import (FIRST_DAYS, MIN_DAYS_LIVE, MIN_ELIGIBLE, StatsRecord,
                                        bucket_edges_label, length_norm)
from contentkit.i18n import Catalog, catalog
from contentkit.model import Site

__all__ = ["OPTIONS", "enrich", "after_outputs", "analyze_traffic", "STATE_KEY"]

STATE_KEY = "_traffic_state"
REPORT_NAME = "editorial-report.html"

OPTIONS = [
    click.option("--traffic", "traffic", multiple=True,
                 type=click.Path(dir_okay=False, path_type=Path),
                 help="Analytics export to merge (GA4, UA, Matomo, Plausible, Search Console, "
                      "BigQuery); repeatable. Added to the files of contentkit.yml `traffic:`."),
    click.option("--format", "traffic_format", default=None,
                 help="Force the importer of every --traffic file (ga4, ua, matomo, plausible, "
                      "gsc, bigquery); default: detected per file."),
    click.option("--seed", "stats_seed", type=int, default=None,
                 help="Seed of the bootstrap resampling (default: fixed, so runs are identical)."),
]


# ------------------------------------------------------------------------------ inputs

def traffic_paths(site: Site, cli_paths) -> list[Path]:
    """Files of contentkit.yml `traffic:` (relative to the site folder), then --traffic files."""
    root = site.config.root
    paths: list[Path] = []
    for item in site.config.traffic or []:
        p = Path(str(item))
        paths.append(p if p.is_absolute() else root / p)
    for p in cli_paths or ():
        p = Path(p)
        paths.append(p if p.is_absolute() else Path.cwd() / p)
    seen, out = set(), []
    for p in paths:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _progress_bar(paths: list[Path]):
    """A rich progress bar on stderr for big imports; returns (callback, close)."""
    total = sum(p.stat().st_size for p in paths if p.is_file())
    if total < 5_000_000:
        return None, lambda: None
    progress = Progress(console=Console(stderr=True), transient=True)
    progress.start()
    tasks: dict[Path, Any] = {}

    def callback(path: Path, rows: int) -> None:
        if path not in tasks:
            tasks[path] = progress.add_task(f"importing {path.name}", total=None)
        progress.update(tasks[path], completed=rows, description=f"importing {path.name}: "
                                                                  f"{rows:,} rows")
    return callback, progress.stop


def _wpm(lang: str) -> float:
    table = getattr(text, "_WPM", {})
    return float(table.get(text.lang_root(lang), getattr(text, "_WPM_DEFAULT", 230)))


def _readability(a: ArticleAnalysis) -> float | None:
    scores = a.readability.scores
    for name in (("flesch_kandel_moles", "flesch_reading_ease") if a.lang == "fr"
                 else ("flesch_reading_ease", "flesch_kandel_moles")):
        if scores.get(name) is not None:
            return float(scores[name])
    return None


# ------------------------------------------------------------------------------ per article

def _metric(at, metric: str, prefer: str | None) -> tuple[float | None, Any]:
    order = ([prefer] if prefer else []) + [s for s in VIEW_SOURCES if s != prefer]
    for s in order:
        sm = at.sources.get(s)
        if sm is not None and sm.metrics.get(metric) is not None:
            return sm.metrics[metric], sm
    return None, None


def article_kpis(at, a: ArticleAnalysis, primary: str | None) -> dict[str, float | None]:
    k: dict[str, float | None] = {}
    psm = at.sources.get(primary) if primary else None
    k["views_per_day"] = psm.rate("views") if psm and primary != "search_console" else None
    if primary == "search_console" and psm is not None:
        k["views_per_day"] = psm.rate("clicks")
    sc = at.sources.get("search_console")
    k["search_clicks_per_day"] = sc.rate("clicks") if sc else None
    k["search_impressions_per_day"] = sc.rate("impressions") if sc else None
    k["search_position"] = sc.metrics.get("position") if sc else None
    k["search_ctr"] = sc.metrics.get("ctr") if sc else None
    total, sm = _metric(at, "engaged_seconds_total", primary)
    views = sm.metrics.get("views") if sm else None
    per_view = total / views if total is not None and views else None
    if per_view is None:
        avg, _ = _metric(at, "avg_engaged_seconds", primary)
        per_view = avg
    k["engaged_seconds_per_view"] = per_view
    expected = a.words / _wpm(a.lang) * 60 if a.words else None
    k["completion"] = per_view / expected if per_view is not None and expected else None
    bounce, _ = _metric(at, "bounce_rate", primary)
    k["engagement_rate"] = 1 - bounce if bounce is not None else None
    ke, sm2 = _metric(at, "key_events", primary)
    v2 = sm2.metrics.get("views") if sm2 else None
    k["key_events_per_1000_views"] = ke / v2 * 1000 if ke is not None and v2 else None
    return k


def _first_days_outcome(merged: MergeResult, i: int, published: date | None):
    """Views per day covered in the first FIRST_DAYS days after publication (None if < 90
    covered days)."""
    if merged.daily is None or published is None:
        return None, 0
    k0 = (published - merged.daily_start).days
    if k0 < 0:
        return None, 0
    k1 = min(k0 + FIRST_DAYS, merged.daily.shape[1])
    if k1 <= k0:
        return None, 0
    cov = merged.daily_days[k0:k1]
    days = int(cov.sum())
    if days < MIN_DAYS_LIVE:
        return None, days
    return float(merged.daily[i, k0:k1][cov].sum() / days), days


# ------------------------------------------------------------------------------ pipeline
#
#   site_inputs ─▶ TrafficInputs ─load_exports─▶ exports ─merge_traffic─▶ MergeResult
#   ─choose_outcome─▶ Outcome ─article_records─▶ ArticleRecords ─length_norm─▶ verdict
#   ─attach_article_traffic─▶ ArticleAnalysis.extra["traffic"]
#   ─history_and_links─▶ HistoryAndLinks ─fill_report─▶ AnalysisReport.extra ─▶ TrafficState


@dataclass(frozen=True)
class TrafficInputs:
    """What the traffic analysis reads of the site, one entry per article of the report."""

    lang: str                   # "fr" or "en": the wording of the verdict and exclusions
    t: Catalog
    keys: list[ArticleKey]      # what the merge knows of each article (URL, aliases, date)
    htmls: list[str]            # each article's HTML, for the internal link map
    hosts: tuple[str, ...]      # the site's own hosts: their full URLs become plain paths


@dataclass(frozen=True)
class Outcome:
    """The outcome the length-norm test compares, declared once for the whole analysis."""

    first_days: list[tuple[float | None, int]]  # per article: (views/day in its first days, days)
    use_first_days: bool        # enough articles have per-day data for their first days
    window: tuple[date, date] | None  # the primary source's export window
    info: dict[str, Any]        # its description, as written into the report


@dataclass
class ArticleRecords:
    """One StatsRecord (for the statistics) and one traffic extra (for the outputs) per article."""

    records: list[StatsRecord]
    extras: list[dict[str, Any]]


@dataclass
class HistoryAndLinks:
    """Git expansions of the articles, their diff-in-diff effect, and the internal link map."""

    history: dict[str, Any]
    did: dict[str, Any]
    links: dict[str, Any]


class TrafficState(TypedDict):
    """What the HTML report (report.py) and the terminal verdict read of the analysis."""

    merged: MergeResult
    records: list[StatsRecord]
    length_norm: dict[str, Any]
    quality: dict[str, Any]
    history: dict[str, Any]
    did: dict[str, Any]
    links: dict[str, Any]
    lang: str
    timings: dict[str, float]
    site: Site
    report: AnalysisReport


def analyze_traffic(report: AnalysisReport, site: Site, paths: list[Path],
                    fmt: str | None = None, seed: int | None = None,
                    progress=None) -> TrafficState:
    """Everything the traffic part adds; fills ``report`` and returns the state for the HTML."""
    config = site.config
    laps = _Laps()
    inputs = site_inputs(report, site)
    exports, problems = load_exports(paths, fmt, site_hosts=inputs.hosts or None, progress=progress)
    laps.lap("import")
    merged = merge_traffic(inputs.keys, exports, config.root_path, import_problems=problems)
    laps.lap("merge")
    outcome = choose_outcome(merged, inputs.keys, inputs.t)
    rows = article_records(report.articles, merged, inputs, outcome, config.tz)
    laps.lap("records")
    ln = length_norm(rows.records, config.length_buckets, inputs.lang,
                     seed=seed if seed is not None else 20240601, outcome_info=outcome.info)
    laps.lap("stats")
    fr = inputs.lang == "fr"
    attach_article_traffic(report.articles, rows, config.length_buckets, fr)
    context = history_and_links(report.articles, inputs, merged, config.root, config.root_path)
    laps.lap("history_links")
    quality = data_quality(merged, report, fr)
    fill_report(report, quality, ln, context)
    return TrafficState(merged=merged, records=rows.records, length_norm=ln, quality=quality,
                        history=context.history, did=context.did, links=context.links,
                        lang=inputs.lang, timings=laps.times, site=site, report=report)


class _Laps:
    """Seconds spent in each stage, for the timings of the state."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.times[stage] = now - self._last
        self._last = now


def site_inputs(report: AnalysisReport, site: Site) -> TrafficInputs:
    config = site.config
    lang = "fr" if (config.language or "fr").lower().startswith("fr") else "en"
    posts = {a.source: a for a in site.posts}
    keys = []
    for a in report.articles:
        art = posts.get(a.source)
        keys.append(ArticleKey(source=a.source, url=a.url,
                               aliases=tuple(art.aliases) if art else (),
                               published=a.date.date() if a.date else None, title=a.title))
    htmls = [posts[a.source].html if a.source in posts else "" for a in report.articles]
    hosts = site_hosts(config.base_url, getattr(config.publisher, "url", "") or "")
    return TrafficInputs(lang=lang, t=catalog(lang), keys=keys, htmls=htmls, hosts=hosts)


def choose_outcome(merged: MergeResult, keys: list[ArticleKey], t: Catalog) -> Outcome:
    """Views per day in each article's first FIRST_DAYS days when per-day data covers enough
    articles (MIN_ELIGIBLE), else views (clicks for Search Console) per day live in the window."""
    primary = merged.primary
    first_days = [_first_days_outcome(merged, i, k.published) for i, k in enumerate(keys)]
    use_first = (merged.daily is not None
                 and sum(1 for o, _ in first_days if o is not None) >= MIN_ELIGIBLE)
    window = merged.windows.get(primary) if primary else None
    metric = "clicks" if primary == "search_console" else "views"
    if use_first:
        definition = t.t("analysis.traffic.outcome_first_days", days=FIRST_DAYS, min=MIN_DAYS_LIVE)
    else:
        definition = t.t(f"analysis.traffic.outcome_window_{metric}", min=MIN_DAYS_LIVE)
    info = {
        "metric": metric, "source": primary, "definition": definition,
        "mode": "first_days" if use_first else "window", "transform": "log1p",
        "window": [window[0].isoformat(), window[1].isoformat()] if window else None,
        "channels": t.t(f"analysis.traffic.channels_{metric}"),
    }
    return Outcome(first_days=first_days, use_first_days=use_first, window=window, info=info)


def article_records(articles: list[ArticleAnalysis], merged: MergeResult, inputs: TrafficInputs,
                    outcome: Outcome, tz) -> ArticleRecords:
    """Each article's KPIs, exposure, outcome and, when it cannot take part in the length test,
    why."""
    rows = ArticleRecords(records=[], extras=[])
    primary = merged.primary
    for i, (a, at) in enumerate(zip(articles, merged.articles)):
        published = inputs.keys[i].published
        kpis = article_kpis(at, a, primary)
        psm = at.sources.get(primary) if primary else None
        days_live, age = _exposure(psm, outcome.window, published)
        value = kpis["views_per_day"]
        if outcome.use_first_days:
            value = outcome.first_days[i][0]
            if value is not None:
                kpis["views_per_day"] = value
        excluded = _exclusion(inputs.t, published, primary, psm, outcome, value,
                              outcome.first_days[i][1], days_live)
        local = a.date.astimezone(tz) if a.date and a.date.tzinfo else a.date
        rows.records.append(StatsRecord(
            source=a.source, title=a.title, words=a.words, cluster=a.category, age_days=age,
            outcome=value if excluded is None else None, excluded=excluded, kpis=kpis,
            readability=_readability(a),
            depth=float(a.depth.score) if a.depth and a.depth.score is not None else None,
            authors=list(a.authors), tags=list(a.tags),
            weekday=local.weekday() if local else None, hour=local.hour if local else None,
            url=a.url))
        sources = {s: {"metrics": sm.metrics, "days_live": sm.days_live, "age_days": sm.age_days,
                       "window": [sm.window[0].isoformat(), sm.window[1].isoformat()]
                       if sm.window else None, "paths": sm.paths}
                   for s, sm in at.sources.items()}
        rows.extras.append({"kpis": kpis, "days_live": days_live, "age_days": age,
                            "excluded": excluded, "sources": sources, "paths": at.paths})
    return rows


def _exposure(psm, window: tuple[date, date] | None,
              published: date | None) -> tuple[int | None, int | None]:
    """(days live, age in days) from the primary source, else from its window."""
    days_live = psm.days_live if psm else None
    age = psm.age_days if psm else None
    if age is None and window and published:
        age = max(0, (window[1] - published).days + 1)
        days_live = max(0, (window[1] - max(window[0], published)).days + 1)
    return days_live, age


def _exclusion(t: Catalog, published: date | None, primary: str | None, psm, outcome: Outcome,
               value: float | None, covered_days: int, days_live: int | None) -> str | None:
    """Why an article is left out of the length test (None: it takes part)."""
    if published is None:
        return t.t("analysis.traffic.no_date")
    if not primary:
        return t.t("analysis.traffic.no_export")
    if outcome.window and published > outcome.window[1]:
        return t.t("analysis.traffic.after_window")
    if outcome.use_first_days and value is None:
        return t.t("analysis.traffic.few_first_days", min=MIN_DAYS_LIVE, days=FIRST_DAYS,
                   covered=covered_days)
    if not outcome.use_first_days and (days_live or 0) < MIN_DAYS_LIVE:
        return t.t("analysis.traffic.live_days", days=days_live or 0, min=MIN_DAYS_LIVE)
    if psm is None:
        return t.t("analysis.traffic.not_in_primary")
    return None


def attach_article_traffic(articles: list[ArticleAnalysis], rows: ArticleRecords,
                           length_buckets, fr: bool) -> None:
    """Each article's length bucket and eligibility, then its extra as
    ``ArticleAnalysis.extra["traffic"]`` (the CSV columns and analysis.json)."""
    edges = sorted(int(b) for b in length_buckets)
    for a, rec, extra in zip(articles, rows.records, rows.extras):
        b = int(np.searchsorted(edges, a.words, side="right"))
        extra["bucket"] = bucket_edges_label(None if b == 0 else edges[b - 1],
                                             edges[b] if b < len(edges) else None, fr)
        extra["eligible"] = rec.excluded is None and rec.outcome is not None
        a.extra["traffic"] = extra


def history_and_links(articles: list[ArticleAnalysis], inputs: TrafficInputs, merged: MergeResult,
                      root: Path, root_path: str) -> HistoryAndLinks:
    categories = [a.category for a in articles]
    history = find_expansions(root, [(a.source, a.lang) for a in articles])
    did = diff_in_diff(history, [a.source for a in articles], categories,
                       [k.published for k in inputs.keys],
                       merged.daily, merged.daily_start, merged.daily_days)
    links = link_map(inputs.keys, inputs.htmls, categories, root_path)
    return HistoryAndLinks(history=history, did=did, links=links)


def fill_report(report: AnalysisReport, quality: dict[str, Any], ln: dict[str, Any],
                context: HistoryAndLinks) -> None:
    """The site-level parts of analysis.json."""
    report.extra["traffic"] = quality
    report.extra["length_norm"] = ln
    report.extra["expansions"] = {"history": {k: v for k, v in context.history.items()
                                              if k != "articles"},
                                  "diff_in_diff": context.did}
    report.extra["internal_links"] = {k: v for k, v in context.links.items() if k != "edges"}


def data_quality(merged: MergeResult, report: AnalysisReport, fr: bool) -> dict[str, Any]:
    lang = "fr" if fr else "en"  # import problems are worded in the report's language
    files = []
    for e in merged.exports:
        dlo, dhi = e.data_dates()
        files.append({
            "file": str(e.path.name) + (f" [{e.member}]" if e.member else ""),
            "path": str(e.path), "source": e.source, "rows": len(e.rows),
            "per_day": e.per_day,
            "start": (e.start or dlo).isoformat() if (e.start or dlo) else None,
            "end": (e.end or dhi).isoformat() if (e.end or dhi) else None,
            "number_convention": e.number_convention, "ui_language": e.ui_language,
            "used": any(e is u for u in merged.pages.used),
            "warnings": [{"line": p.line, "message": p.in_language(lang).message} for p in e.warnings],
            "problems": [{"line": p.line, "message": p.in_language(lang).message} for p in e.problems],
        })
    matched = sum(1 for a in merged.articles if a.has_traffic)
    return {
        "files": files,
        "import_errors": [{"file": p.file, "line": p.line, "message": p.message, "hint": p.hint}
                          for p in (q.in_language(lang) for q in merged.import_problems)],
        "merge_warnings": [{"file": p.file, "line": p.line, "message": p.in_language(lang).message}
                           for p in merged.pages.warnings],
        "windows": {s: [w[0].isoformat(), w[1].isoformat()] for s, w in merged.windows.items()},
        "primary_source": merged.primary,
        "per_day": merged.daily is not None,
        "paths": len(merged.pages),
        "articles_matched": matched,
        "articles_without_traffic": [{"source": k.source, "title": k.title}
                                     for k in merged.no_traffic],
        "unmatched": [{"path": u.path, "size": u.size, "measure": u.measure,
                       "sources": u.sources, "urls": u.urls[:3]} for u in merged.unmatched[:200]],
        "unmatched_count": len(merged.unmatched),
    }


# ------------------------------------------------------------------------------ columns

_KPI_COLUMNS = ("views_per_day", "search_clicks_per_day", "search_impressions_per_day",
                "search_position", "search_ctr", "engaged_seconds_per_view", "completion",
                "engagement_rate", "key_events_per_1000_views")


def _t(a: ArticleAnalysis) -> dict[str, Any]:
    return a.extra.get("traffic") or {}


def _src_metric(source: str, metric: str):
    return lambda a: ((_t(a).get("sources") or {}).get(source) or {}).get("metrics", {}).get(metric)


def columns(state: TrafficState) -> list[Column]:
    primary = state["merged"].primary
    cols = [Column("bucket", lambda a: _t(a).get("bucket")),
            Column("days_live", lambda a: _t(a).get("days_live")),
            Column("age_days", lambda a: _t(a).get("age_days"))]
    if primary:
        cols.append(Column(f"{primary}_views", _src_metric(primary, "views")))
    if "search_console" in state["merged"].windows:
        cols += [Column("search_clicks", _src_metric("search_console", "clicks")),
                 Column("search_impressions", _src_metric("search_console", "impressions"))]
    cols += [Column(k, (lambda name: lambda a: (_t(a).get("kpis") or {}).get(name))(k))
             for k in _KPI_COLUMNS]
    cols += [Column("traffic_sources", lambda a: "; ".join(sorted((_t(a).get("sources") or {})))),
             Column("length_test", lambda a: "included" if _t(a).get("eligible") else "excluded"),
             Column("excluded_because", lambda a: _t(a).get("excluded") or "")]
    return cols


# ------------------------------------------------------------------------------ hooks

def enrich(report: AnalysisReport, site: Site, options: dict[str, Any]) -> list[Column]:
    paths = traffic_paths(site, options.get("traffic"))
    callback, close = _progress_bar(paths)
    try:
        state = analyze_traffic(report, site, paths, options.get("traffic_format"),
                                options.get("stats_seed"), progress=callback)
    finally:
        close()
    options[STATE_KEY] = state
    cols = columns(state)
    # the terminal table shows only a few of them (all are in the CSV)
    options["table_columns"] = ("views_per_day", "search_clicks_per_day")
    return cols


def after_outputs(report: AnalysisReport, site: Site, options: dict[str, Any], out_dir: Path,
                  console) -> list[Path]:
    state = options.get(STATE_KEY)
    if state is None:
        return []
    path = write_report(state, Path(out_dir) / REPORT_NAME)
    print_verdict(state, console)
    return [path]


def print_verdict(state: TrafficState, console) -> None:
    """The length-norm verdict in plain words of the site's language, then where the data came from."""
    ln = state["length_norm"]
    q = state["quality"]
    t = catalog(state["lang"])
    style = {"longer_better": "green", "shorter_better": "green",
             "no_clear_difference": "yellow", "insufficient_data": "yellow"}[ln["verdict"]]
    console.print()
    console.print(f"[bold {style}]{t.t('analysis.traffic.length_norm')}[/] " + ln["text"]["headline"],
                  highlight=False)
    for line in ln["text"]["details"]:
        console.print("  " + line, markup=False, highlight=False)
    out = ln.get("outcome") or {}
    if out.get("window"):
        console.print(t.t("analysis.traffic.window", start=out["window"][0], end=out["window"][1],
                          source=out.get("source"), n=ln["n"], total=ln["n_articles"]), markup=False)
    unreadable = t.counted("analysis.traffic.unreadable", len(q["import_errors"])) if q["import_errors"] else ""
    console.print(t.t("analysis.traffic.summary", files=t.counted("analysis.traffic.files", len(q["files"])),
                      matched=t.counted("analysis.traffic.articles", q["articles_matched"]),
                      without=len(q["articles_without_traffic"]),
                      unmatched=t.counted("analysis.traffic.unmatched", q["unmatched_count"]),
                      unreadable=unreadable), markup=False)
    for err in q["import_errors"][:5]:
        console.print(f"  ! {err['file']}{':' + str(err['line']) if err['line'] else ''}: "
                      f"{err['message']}", markup=False, highlight=False)
    top = sorted((r for r in state["records"] if r.kpis.get("views_per_day") is not None),
                 key=lambda r: -r.kpis["views_per_day"])[:3]
    if top:
        items = [t.t("analysis.traffic.most_viewed_item", title=shorten(r.title, 50),
                     views=t.decimal(r.kpis["views_per_day"], 1)) for r in top]
        console.print(t.t("analysis.traffic.most_viewed", list=t.t("analysis.terminal.separator").join(items)),
                      markup=False, highlight=False)
