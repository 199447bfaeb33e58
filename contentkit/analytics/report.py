"""reports/editorial-report.html: one self-contained, offline, accessible HTML file.

Inline CSS, inline SVG charts (charts.py), a few lines of inline JavaScript to sort tables; no
external resource of any kind. Jinja2 with autoescape on; the only ``Markup`` inserted is the SVG
built (and escaped) by charts.py. French or English following the site's language.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from contentkit.analytics import charts
from contentkit.output import write_atomic
from contentkit.analytics.stats import KPIS, kpi_labels
from contentkit.i18n import catalog

__all__ = ["write_report", "render_report", "ReportWording"]

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


@dataclass(frozen=True)
class ReportWording:
    """What every chart of the report is labelled with, in the report's language."""

    t: dict[str, str]  # the `report` catalog section
    kpi_label: dict[str, str]
    fr: bool  # number formatting (decimal comma, thin spaces), not wording

    @classmethod
    def of(cls, lang: str) -> "ReportWording":
        return cls(catalog(lang).section("report"), kpi_labels(lang), lang == "fr")

    def points(self, records, kpi: str) -> list[tuple]:
        """(words, value, tooltip) of every article for one KPI."""
        t = self.t
        return [(r.words, r.kpis.get(kpi),
                 t["point_tip"].format(title=r.title, words=r.words, unit=t["words"],
                                       kpi=self.kpi_label[kpi],
                                       value=charts.number(r.kpis.get(kpi), self.fr, 2)))
                for r in records]


def render_report(state: dict[str, Any]) -> str:
    w = ReportWording.of(state["lang"])
    ln, records, report = state["length_norm"], state["records"], state["report"]
    timing = ln.get("timing") or {}
    # Built in page order: charts number their SVG title ids as they are made.
    scatters, buckets = _scatter_charts(records, w), _bucket_charts(ln, w)
    authors, link_svg = _author_views(records, state["site"], w), _link_graph(records, state["links"], w)
    weekday_svg, hour_svg = _timing_charts(timing, w)
    ctx = {
        "t": w.t, "fr": w.fr, "lang": state["lang"], "num": _num(w.fr), "ln": ln, "records": records,
        "site_title": report.site.get("title", ""), "generator": report.generator,
        "quality": state["quality"], "scatters": scatters, "bucket_charts": buckets, "kpis": list(KPIS),
        "kpi_label": w.kpi_label, "authors": authors, "tags": _tag_rows(records), "links": state["links"],
        "link_svg": link_svg, "weekday_svg": weekday_svg, "hour_svg": hour_svg, "timing": timing,
        "history": state["history"], "did": state["did"], "titles": {r.source: r.title for r in records},
        "unmatched": state["quality"]["unmatched"][:50],
    }
    return _env().get_template("report.html").render(**ctx)


def _scatter_charts(records, w: ReportWording) -> list[dict]:
    """One words × KPI scatter per KPI the traffic has."""
    out = []
    for kpi in KPIS:
        if not any(r.kpis.get(kpi) is not None for r in records):
            continue
        logy = kpi in ("views_per_day", "search_clicks_per_day")
        label = w.kpi_label[kpi]
        out.append({"kpi": kpi, "label": label,
                    "note": w.t["engaged_note"] if kpi == "engaged_seconds_per_view" else None,
                    "svg": charts.scatter(w.points(records, kpi), w.t["words_log"], label,
                                          f"{label} / {w.t['words']}", w.fr, logx=True,
                                          logy=logy and all((r.kpis.get(kpi) or 1) > 0 for r in records))})
    return out


def _bucket_charts(ln: dict, w: ReportWording) -> list[dict]:
    """Median and confidence interval of each KPI per length bucket."""
    out = []
    for kpi in KPIS:
        rows = [(b["label"], b["kpis"][kpi]["median"], b["kpis"][kpi]["ci"], b["kpis"][kpi]["n"])
                for b in ln.get("buckets", [])]
        if any(m is not None for _, m, _, _ in rows):
            label = w.kpi_label[kpi]
            out.append({"kpi": kpi, "label": label,
                        "svg": charts.interval_chart(rows, label, f"{label} — {w.t['median']} ({w.t['ci']})",
                                                     w.fr, ln.get("reference_bucket"))})
    return out


def _indexes(records, field: str) -> dict[str, list[int]]:
    """{author id or tag: [record indexes]}."""
    out: dict[str, list[int]] = {}
    for i, r in enumerate(records):
        for value in getattr(r, field):
            out.setdefault(value, []).append(i)
    return out


def _author_views(records, site, w: ReportWording) -> list[dict]:
    """Per author: their articles highlighted on the views-per-day scatter."""
    names = {aid: a.name for aid, a in site.authors.items()}
    label = w.kpi_label["views_per_day"]
    points = w.points(records, "views_per_day")
    return [{"name": names.get(aid, aid), "n": len(idx),
             "svg": charts.scatter(points, w.t["words_log"], label, f"{names.get(aid, aid)} — {label}",
                                   w.fr, highlight=set(idx)),
             "articles": [records[i] for i in idx]}
            for aid, idx in sorted(_indexes(records, "authors").items(),
                                   key=lambda kv: names.get(kv[0], kv[0]).casefold())]


def _tag_rows(records) -> list[dict]:
    """Per tag, most used first: article count, median length and median views per day."""
    rows = []
    for tag, idx in sorted(_indexes(records, "tags").items(), key=lambda kv: (-len(kv[1]), kv[0].casefold())):
        vpd = [records[i].kpis.get("views_per_day") for i in idx
               if records[i].kpis.get("views_per_day") is not None]
        rows.append({"tag": tag, "n": len(idx),
                     "median_words": statistics.median([records[i].words for i in idx]),
                     "median_vpd": statistics.median(vpd) if vpd else None,
                     "articles": [records[i] for i in idx]})
    return rows


def _link_graph(records, links: dict, w: ReportWording) -> str:
    """The internal-link graph, one node per article coloured by topic cluster."""
    index = {r.source: i for i, r in enumerate(records)}
    nodes = [(f"{r.title} — {r.cluster or '—'}, {links['in_degree'].get(r.source, 0)} "
              f"{w.t['incoming_links']}", r.cluster,
              links["in_degree"].get(r.source, 0)) for r in records]
    edges = [(index[a], index[b]) for a, b in links["edges"] if a in index and b in index]
    return charts.link_graph(nodes, edges, w.t["links"], w.fr)


def _timing_charts(timing: dict, w: ReportWording) -> tuple[str | None, str | None]:
    """Median views per day by publication weekday and hour (None without timing data)."""
    if not timing:
        return None, None
    label = w.t["median_vpd"]
    weekday = charts.bar_chart([(d["label"][:3], d["median_views_per_day"], d["n"])
                                for d in timing.get("weekday", [])], label, f"{label} / {w.t['weekday']}", w.fr)
    hour = charts.bar_chart([(d["label"], d["median_views_per_day"], d["n"])
                             for d in timing.get("hour", [])], label, f"{label} / {w.t['hour']}", w.fr)
    return weekday, hour


def write_report(state: dict[str, Any], path: Path) -> Path:
    path = Path(path)
    write_atomic(path, render_report(state).encode("utf-8"))
    return path
