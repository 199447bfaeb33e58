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
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import click
import numpy as np

from contentkit.analytics.article_report import AnalysisReport, ArticleAnalysis
from contentkit.analytics.merge import (ArticleKey, MergeResult, VIEW_SOURCES, load_exports,
                                        merge_traffic)
from contentkit.analytics.outputs import Column
from contentkit.analytics.stats import (FIRST_DAYS, MIN_DAYS_LIVE, MIN_ELIGIBLE, StatsRecord,
                                        bucket_edges_label, length_norm)
from contentkit.i18n import catalog
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
    from rich.console import Console
    from rich.progress import Progress

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
    from contentkit import text

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


# ------------------------------------------------------------------------------ main

def analyze_traffic(report: AnalysisReport, site: Site, paths: list[Path],
                    fmt: str | None = None, seed: int | None = None,
                    progress=None) -> dict[str, Any]:
    """Everything the traffic part adds; fills ``report`` and returns the state for the HTML."""
    from contentkit.analytics.depth import site_hosts
    from contentkit.analytics.history import diff_in_diff, find_expansions
    from contentkit.analytics.linkmap import link_map

    t0 = time.perf_counter()
    config = site.config
    fr = (config.language or "fr").lower().startswith("fr")
    lang = "fr" if fr else "en"
    t = catalog(lang)
    posts = {a.source: a for a in site.posts}
    keys = []
    for a in report.articles:
        art = posts.get(a.source)
        keys.append(ArticleKey(source=a.source, url=a.url,
                               aliases=tuple(art.aliases) if art else (),
                               published=a.date.date() if a.date else None, title=a.title))
    hosts = site_hosts(config.base_url, getattr(config.publisher, "url", "") or "")
    exports, problems = load_exports(paths, fmt, site_hosts=hosts or None, progress=progress)
    t1 = time.perf_counter()
    merged = merge_traffic(keys, exports, config.root_path, import_problems=problems)
    t2 = time.perf_counter()
    primary = merged.primary

    # outcome definition, declared once for the whole analysis
    first_days = [_first_days_outcome(merged, i, k.published) for i, k in enumerate(keys)]
    use_first = merged.daily is not None and sum(1 for o, _ in first_days if o is not None) >= MIN_ELIGIBLE
    window = merged.windows.get(primary) if primary else None
    metric = "clicks" if primary == "search_console" else "views"
    if use_first:
        definition = t.t("analysis.traffic.outcome_first_days", days=FIRST_DAYS, min=MIN_DAYS_LIVE)
    else:
        definition = t.t(f"analysis.traffic.outcome_window_{metric}", min=MIN_DAYS_LIVE)
    outcome_info = {
        "metric": metric, "source": primary, "definition": definition,
        "mode": "first_days" if use_first else "window", "transform": "log1p",
        "window": [window[0].isoformat(), window[1].isoformat()] if window else None,
        "channels": t.t(f"analysis.traffic.channels_{metric}"),
    }

    records: list[StatsRecord] = []
    per_article: list[dict[str, Any]] = []
    tz = config.tz
    for i, (a, at) in enumerate(zip(report.articles, merged.articles)):
        kpis = article_kpis(at, a, primary)
        psm = at.sources.get(primary) if primary else None
        days_live = psm.days_live if psm else None
        age = psm.age_days if psm else None
        if age is None and window and keys[i].published:
            age = max(0, (window[1] - keys[i].published).days + 1)
            days_live = max(0, (window[1] - max(window[0], keys[i].published)).days + 1)
        excluded = None
        outcome = kpis["views_per_day"]
        if use_first:
            outcome = first_days[i][0]
            if outcome is not None:
                kpis["views_per_day"] = outcome
        if keys[i].published is None:
            excluded = t.t("analysis.traffic.no_date")
        elif not primary:
            excluded = t.t("analysis.traffic.no_export")
        elif window and keys[i].published > window[1]:
            excluded = t.t("analysis.traffic.after_window")
        elif use_first and outcome is None:
            excluded = t.t("analysis.traffic.few_first_days", min=MIN_DAYS_LIVE, days=FIRST_DAYS,
                           covered=first_days[i][1])
        elif not use_first and (days_live or 0) < MIN_DAYS_LIVE:
            excluded = t.t("analysis.traffic.live_days", days=days_live or 0, min=MIN_DAYS_LIVE)
        elif psm is None:
            excluded = t.t("analysis.traffic.not_in_primary")
        local = a.date.astimezone(tz) if a.date and a.date.tzinfo else a.date
        rec = StatsRecord(source=a.source, title=a.title, words=a.words, cluster=a.category,
                          age_days=age, outcome=outcome if excluded is None else None,
                          excluded=excluded, kpis=kpis, readability=_readability(a),
                          depth=float(a.depth.score) if a.depth and a.depth.score is not None else None,
                          authors=list(a.authors), tags=list(a.tags),
                          weekday=local.weekday() if local else None,
                          hour=local.hour if local else None, url=a.url)
        records.append(rec)
        sources = {s: {"metrics": sm.metrics, "days_live": sm.days_live, "age_days": sm.age_days,
                       "window": [sm.window[0].isoformat(), sm.window[1].isoformat()]
                       if sm.window else None, "paths": sm.paths}
                   for s, sm in at.sources.items()}
        per_article.append({"kpis": kpis, "days_live": days_live, "age_days": age,
                            "excluded": excluded, "sources": sources, "paths": at.paths})
    t3 = time.perf_counter()
    ln = length_norm(records, config.length_buckets, lang,
                     seed=seed if seed is not None else 20240601, outcome_info=outcome_info)
    t4 = time.perf_counter()
    edges = sorted(int(b) for b in config.length_buckets)
    for a, rec, extra in zip(report.articles, records, per_article):
        b = int(np.searchsorted(edges, a.words, side="right"))
        extra["bucket"] = bucket_edges_label(None if b == 0 else edges[b - 1],
                                             edges[b] if b < len(edges) else None, fr)
        extra["eligible"] = rec.excluded is None and rec.outcome is not None
        a.extra["traffic"] = extra

    history = find_expansions(config.root, [(a.source, a.lang) for a in report.articles])
    did = diff_in_diff(history, [a.source for a in report.articles],
                       [a.category for a in report.articles], [k.published for k in keys],
                       merged.daily, merged.daily_start, merged.daily_days)
    links = link_map(keys, [posts[a.source].html if a.source in posts else "" for a in report.articles],
                     [a.category for a in report.articles], config.root_path)
    t5 = time.perf_counter()

    quality = data_quality(merged, report, fr)
    report.extra["traffic"] = quality
    report.extra["length_norm"] = ln
    report.extra["expansions"] = {"history": {k: v for k, v in history.items() if k != "articles"},
                                  "diff_in_diff": did}
    report.extra["internal_links"] = {k: v for k, v in links.items() if k != "edges"}
    timings = {"import": t1 - t0, "merge": t2 - t1, "records": t3 - t2, "stats": t4 - t3,
               "history_links": t5 - t4}
    return {"merged": merged, "records": records, "length_norm": ln, "quality": quality,
            "history": history, "did": did, "links": links, "lang": lang,
            "timings": timings, "site": site, "report": report}


def data_quality(merged: MergeResult, report: AnalysisReport, fr: bool) -> dict[str, Any]:
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
            "warnings": [{"line": p.line, "message": p.message} for p in e.warnings],
            "problems": [{"line": p.line, "message": p.message} for p in e.problems],
        })
    matched = sum(1 for a in merged.articles if a.has_traffic)
    return {
        "files": files,
        "import_errors": [{"file": p.file, "line": p.line, "message": p.message, "hint": p.hint}
                          for p in merged.import_problems],
        "merge_warnings": [{"file": p.file, "line": p.line, "message": p.message}
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


def columns(state: dict[str, Any]) -> list[Column]:
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
    from contentkit.analytics.report import write_report

    path = write_report(state, Path(out_dir) / REPORT_NAME)
    print_verdict(state, console)
    return [path]


def print_verdict(state: dict[str, Any], console) -> None:
    ln = state["length_norm"]
    q = state["quality"]
    t = catalog(state["lang"])
    style = {"longer_better": "green", "shorter_better": "green",
             "no_clear_difference": "yellow", "insufficient_data": "yellow"}[ln["verdict"]]
    console.print()
    console.print(f"[bold {style}]{t.t('analysis.traffic.length_norm')}: "
                  f"{ln['verdict']}[/] — " + ln["text"]["headline"], highlight=False)
    for line in ln["text"]["details"]:
        console.print("  " + line, markup=False, highlight=False)
    out = ln.get("outcome") or {}
    if out.get("window"):
        console.print(f"  {t.t('analysis.traffic.window')}: {out['window'][0]} → {out['window'][1]} "
                      f"({out.get('source')}); {ln['n']} / {ln['n_articles']} "
                      f"{t.t('analysis.traffic.eligible')}", markup=False)
    n_files = len(q["files"])
    console.print("  " + t.t("analysis.traffic.summary", files=n_files,
                             matched=q["articles_matched"],
                             without=len(q["articles_without_traffic"]),
                             unmatched=q["unmatched_count"])
                  + (t.t("analysis.traffic.unreadable", n=len(q["import_errors"]))
                     if q["import_errors"] else ""), markup=False)
    for err in q["import_errors"][:5]:
        console.print(f"  ! {err['file']}{':' + str(err['line']) if err['line'] else ''}: "
                      f"{err['message']}", markup=False, highlight=False)
    top = sorted((r for r in state["records"] if r.kpis.get("views_per_day") is not None),
                 key=lambda r: -r.kpis["views_per_day"])[:3]
    if top:
        console.print("  " + t.t("analysis.traffic.most_viewed")
                      + "; ".join(f"{r.title[:50]} ({r.kpis['views_per_day']:.1f})" for r in top),
                      markup=False, highlight=False)
