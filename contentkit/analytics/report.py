"""reports/editorial-report.html: one self-contained, offline, accessible HTML file.

Inline CSS, inline SVG charts (charts.py), a few lines of inline JavaScript to sort tables; no
external resource of any kind. Jinja2 with autoescape on; the only ``Markup`` inserted is the SVG
built (and escaped) by charts.py. French or English following the site's language.
"""
from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from contentkit.analytics import charts
from contentkit.output import write_atomic
from contentkit.analytics.stats import KPIS, kpi_labels
from contentkit.i18n import catalog

__all__ = ["write_report", "render_report"]

TEMPLATES = Path(__file__).parent / "templates"

# Wording: contentkit/catalogs/<lang>/report.yml.
def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)),
                      autoescape=select_autoescape(["html", "xml"], default=True),
                      trim_blocks=True, lstrip_blocks=True)
    return env


def _num(fr: bool):
    def f(x, digits: int = 1):
        return charts.number(x, fr, digits)
    return f


def render_report(state: dict[str, Any]) -> str:
    fr = state["lang"] == "fr"
    t = catalog(state["lang"]).section("report")
    ln = state["length_norm"]
    records = state["records"]
    report = state["report"]
    kpi_label = kpi_labels(state["lang"])
    words_label = t["words_log"]

    def pts(kpi):
        return [(r.words, r.kpis.get(kpi),
                 t["point_tip"].format(title=r.title, words=r.words, unit=t["words"],
                                       kpi=kpi_label[kpi],
                                       value=charts.number(r.kpis.get(kpi), fr, 2)))
                for r in records]

    scatters = []
    for kpi in KPIS:
        if not any(r.kpis.get(kpi) is not None for r in records):
            continue
        logy = kpi in ("views_per_day", "search_clicks_per_day")
        note = None
        if kpi == "engaged_seconds_per_view":
            note = t["engaged_note"]
        scatters.append({"kpi": kpi, "label": kpi_label[kpi], "note": note,
                         "svg": charts.scatter(pts(kpi), words_label, kpi_label[kpi],
                                               f"{kpi_label[kpi]} / {t['words']}", fr, logx=True,
                                               logy=logy and all((r.kpis.get(kpi) or 1) > 0
                                                                 for r in records))})
    bucket_charts = []
    for kpi in KPIS:
        rows = [(b["label"], b["kpis"][kpi]["median"], b["kpis"][kpi]["ci"], b["kpis"][kpi]["n"])
                for b in ln.get("buckets", [])]
        if any(m is not None for _, m, _, _ in rows):
            bucket_charts.append({"kpi": kpi, "label": kpi_label[kpi],
                                  "svg": charts.interval_chart(
                                      rows, kpi_label[kpi],
                                      f"{kpi_label[kpi]} — {t['median']} ({t['ci']})", fr,
                                      ln.get("reference_bucket"))})
    # per author / per tag
    authors: dict[str, list[int]] = {}
    tags: dict[str, list[int]] = {}
    for i, r in enumerate(records):
        for a in r.authors:
            authors.setdefault(a, []).append(i)
        for tg in r.tags:
            tags.setdefault(tg, []).append(i)
    site = state["site"]
    author_names = {aid: a.name for aid, a in site.authors.items()}
    author_views = []
    for aid, idx in sorted(authors.items(), key=lambda kv: author_names.get(kv[0], kv[0]).casefold()):
        author_views.append({
            "name": author_names.get(aid, aid), "n": len(idx),
            "svg": charts.scatter(pts("views_per_day"), words_label, kpi_label["views_per_day"],
                                  f"{author_names.get(aid, aid)} — {kpi_label['views_per_day']}",
                                  fr, highlight=set(idx)),
            "articles": [records[i] for i in idx]})
    tag_rows = []
    for tg, idx in sorted(tags.items(), key=lambda kv: (-len(kv[1]), kv[0].casefold())):
        vpd = [records[i].kpis.get("views_per_day") for i in idx
               if records[i].kpis.get("views_per_day") is not None]
        tag_rows.append({"tag": tg, "n": len(idx),
                         "median_words": statistics.median([records[i].words for i in idx]),
                         "median_vpd": statistics.median(vpd) if vpd else None,
                         "articles": [records[i] for i in idx]})
    links = state["links"]
    index = {r.source: i for i, r in enumerate(records)}
    nodes = [(f"{r.title} — {r.cluster or '—'}, {links['in_degree'].get(r.source, 0)} "
              f"{t['incoming_links']}", r.cluster,
              links["in_degree"].get(r.source, 0)) for r in records]
    edges = [(index[a], index[b]) for a, b in links["edges"] if a in index and b in index]
    link_svg = charts.link_graph(nodes, edges, t["links"], fr)
    timing = ln.get("timing") or {}
    weekday_svg = charts.bar_chart([(d["label"][:3], d["median_views_per_day"], d["n"])
                                    for d in timing.get("weekday", [])], t["median_vpd"],
                                   f"{t['median_vpd']} / {t['weekday']}", fr) if timing else None
    hour_svg = charts.bar_chart([(d["label"], d["median_views_per_day"], d["n"])
                                 for d in timing.get("hour", [])], t["median_vpd"],
                                f"{t['median_vpd']} / {t['hour']}", fr) if timing else None
    titles = {r.source: r.title for r in records}
    ctx = {
        "t": t, "fr": fr, "lang": state["lang"], "num": _num(fr), "ln": ln, "records": records,
        "site_title": report.site.get("title", ""), "generator": report.generator,
        "quality": state["quality"], "scatters": scatters, "bucket_charts": bucket_charts,
        "kpis": list(KPIS), "kpi_label": kpi_label, "authors": author_views, "tags": tag_rows,
        "links": links, "link_svg": link_svg, "weekday_svg": weekday_svg, "hour_svg": hour_svg,
        "timing": timing, "history": state["history"], "did": state["did"], "titles": titles,
        "unmatched": state["quality"]["unmatched"][:50],
    }
    return _env().get_template("report.html").render(**ctx)


def write_report(state: dict[str, Any], path: Path) -> Path:
    path = Path(path)
    write_atomic(path, render_report(state).encode("utf-8"))
    return path
