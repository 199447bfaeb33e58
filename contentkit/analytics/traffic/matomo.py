"""Matomo (Piwik) "Behaviour > Pages" (Actions.getPageUrls) exports: CSV or TSV, EN and FR.

Accepted layouts::

    label,nb_visits,nb_hits,bounce_rate,avg_time_on_page,exit_rate,…   (raw column names)
    Label,Unique Pageviews,Pageviews,Bounce rate,Avg. time on page,…   (translated, English)
    Libellé,Visites,Pages vues,Taux de rebond,Temps moyen passé sur la page,Taux de sortie
                                                                       (translated, French)

Matomo's default export is **TSV in UTF-16 LE with a BOM**; CSV in UTF-8 is accepted too.
Values may be formatted (``11%``, ``00:05:20``). Mapping: nb_hits → views, nb_visits → sessions,
nb_uniq_visitors / sum_daily_nb_uniq_visitors → users, entry_nb_visits → entrances,
sum_time_spent → engaged_seconds_total (else avg_time_on_page × nb_hits), exit_nb_visits /
nb_hits → exit_rate when exit_rate is missing.

How a page's path is found, in this order:

1. a ``url`` (or ``metadata_url``) column: leaves have their full URL there; rows without one are
   folders, i.e. sums of their pages, and are left out (noted);
2. *flattened* labels (``flat=1``): ``blog/2015/mon-article`` or ``/blog/2015/mon-article`` is the
   path itself;
3. *hierarchical* labels (not flattened): a top-level folder has no leading slash (``blog``), its
   children do (``/2015``, ``/mon-article``), sub-folders included. The rows are in depth-first
   order, and a folder's nb_hits is exactly the sum of its children's. The tree is rebuilt by
   finding, for each folder, the run of following rows whose nb_hits add up to the folder's
   (preferring to read a row as a page; a row is read as a sub-folder only when reading it as a
   page makes the sums impossible). Folder rows are sums and are left out. If no consistent
   tree exists (an export truncated by a row limit, no nb_hits column), children are attached to
   the last top-level folder and a warning suggests re-exporting flattened.

A label ``index`` / ``/index`` is the folder's default page (``/blog/index`` → ``/blog/``).
``Others`` / ``Autres`` / ``-1`` rows (Matomo's truncation summary) are left out and noted.
"""
from __future__ import annotations

import sys

from contentkit.errors import Problem

from .csvsource import (COUNT, DURATION, HOST, IGNORE, RATE, URL, Aliases, build_export,
                        fields_of, guard, header_key, map_header, preamble_dates)

SOURCE = "matomo"

ALIASES: Aliases = {
    "label": ("url", URL, "en"), "libellé": ("url", URL, "fr"), "libelle": ("url", URL, "fr"),
    "url": ("page_url", HOST, "*"), "metadata_url": ("page_url", HOST, "*"),
    "nb_hits": ("views", COUNT, "*"), "nb_visits": ("sessions", COUNT, "*"),
    "nb_uniq_visitors": ("users", COUNT, "*"), "sum_daily_nb_uniq_visitors": ("users", COUNT, "*"),
    "sum_time_spent": ("engaged_seconds_total", DURATION, "*"),
    "avg_time_on_page": ("avg_time", DURATION, "*"),
    "entry_nb_visits": ("entrances", COUNT, "*"), "bounce_rate": ("bounce_rate", RATE, "*"),
    "exit_rate": ("exit_rate", RATE, "*"), "exit_nb_visits": ("exits", COUNT, "*"),
    # translated column names, English …
    "pageviews": ("views", COUNT, "en"), "unique pageviews": ("sessions", COUNT, "en"),
    "visits": ("sessions", COUNT, "en"), "unique visitors": ("users", COUNT, "en"),
    "entrances": ("entrances", COUNT, "en"), "exits": ("exits", COUNT, "en"),
    "bounce rate": ("bounce_rate", RATE, "en"), "exit rate": ("exit_rate", RATE, "en"),
    "avg. time on page": ("avg_time", DURATION, "en"),
    "average time on page": ("avg_time", DURATION, "en"),
    "total time spent": ("engaged_seconds_total", DURATION, "en"),
    # … and French
    "visites": ("sessions", COUNT, "fr"), "pages vues": ("views", COUNT, "fr"),
    "vues de page uniques": ("sessions", COUNT, "fr"), "vues de pages uniques": ("sessions", COUNT, "fr"),
    "visiteurs uniques": ("users", COUNT, "fr"), "entrées": ("entrances", COUNT, "fr"),
    "sorties": ("exits", COUNT, "fr"), "taux de rebond": ("bounce_rate", RATE, "fr"),
    "taux de sortie": ("exit_rate", RATE, "fr"),
    "temps moyen passé sur la page": ("avg_time", DURATION, "fr"),
    "temps moyen sur la page": ("avg_time", DURATION, "fr"),
    "temps total passé": ("engaged_seconds_total", DURATION, "fr"),
    # known, not kept
    "segment": ("-", IGNORE, "*"), "idsubdatatable": ("-", IGNORE, "*"),
    "avg_time_generation": ("-", IGNORE, "*"), "avg. generation time": ("-", IGNORE, "en"),
    "temps moyen de génération": ("-", IGNORE, "fr"), "entry_bounce_count": ("-", IGNORE, "*"),
    "entry_nb_actions": ("-", IGNORE, "*"), "entry_sum_visit_length": ("-", IGNORE, "*"),
    "sum_bandwidth": ("-", IGNORE, "*"), "nb_hits_with_bandwidth": ("-", IGNORE, "*"),
    "metadata_segment": ("-", IGNORE, "*"), "metadata_idsubdatatable": ("-", IGNORE, "*"),
}

_OTHERS = {"others", "autres", "-1", "other", "andere"}


def score(header: list[str], preamble: list[str]) -> int:
    keys = [header_key(h) for h in header]
    if not keys or keys[0] not in ("label", "libellé", "libelle"):
        return 0
    columns, _, _ = map_header(header, ALIASES)
    metrics = fields_of(columns) - {"url", "page_url"}
    if not metrics:
        return 0
    return len(columns) + 5 + 2 * sum(k.startswith("nb_") for k in keys)


def _label_path(label: str) -> str:
    path = "/" + label.strip().lstrip("/")
    if path.endswith("/index"):
        path = path[: -len("index")]
    return path


def import_section(doc, section, path, *, normalize, progress=None, member=None, ui_language=None):
    columns, lang, _ = map_header(section.header, ALIASES)
    start, end, pre_lang = preamble_dates(section.preamble or doc.preamble)
    language = ui_language or ("fr" if "fr" in (lang, pre_lang) else "en")
    fields = fields_of(columns)
    derived: dict[str, str] = {}
    if "avg_time" in fields:
        derived["avg_engaged_seconds"] = "v_avg_time"
        if "engaged_seconds_total" not in fields and "views" in fields:
            derived["engaged_seconds_total"] = guard("v_avg_time * v_views", "avg_time", "views")
    elif "engaged_seconds_total" in fields and "views" in fields:
        derived["avg_engaged_seconds"] = guard(
            "v_engaged_seconds_total / v_views if v_views else None", "engaged_seconds_total", "views")
    if "exits" in fields and "exit_rate" not in fields and "views" in fields:
        derived["exit_rate"] = guard("v_exits / v_views if v_views else None", "exits", "views")
    url_expr = "v_page_url if v_page_url else v_url" if "page_url" in fields else None
    export = build_export(SOURCE, path, doc, section, columns, normalize=lambda u: u,
                          derived=derived, url_expr=url_expr, ui_language=language,
                          progress=progress, start=start, end=end, member=member)
    _rebuild_paths(export, normalize, has_url_column="page_url" in fields)
    return export


def _rebuild_paths(export, normalize, has_url_column: bool) -> None:
    rows = export.rows
    shown = str(export.path) + (f"[{export.member}]" if export.member else "")
    others = [r for r in rows if r.url.strip().casefold() in _OTHERS]
    if others:
        export.warnings.append(Problem.of("traffic-matomo-others-rows", shown, others[0].line,
                                          "warning", count=len(others)))
        rows = [r for r in rows if r.url.strip().casefold() not in _OTHERS]
    if has_url_column and any("://" in r.url for r in rows):
        kept = [r for r in rows if "://" in r.url]
        folders = len(rows) - len(kept)
        for r in kept:
            r.path = normalize(r.url)
        if folders:
            export.warnings.append(Problem.of("traffic-matomo-folder-rows", shown,
                                              severity="warning", count=folders))
        export.rows = kept
        return
    labels = [r.url.strip() for r in rows]
    hierarchical = any(not lab.startswith("/") and "/" not in lab for lab in labels) and any(
        lab.startswith("/") for lab in labels) and not any("/" in lab.strip("/") for lab in labels)
    if not hierarchical:
        for r in rows:
            r.url = _label_path(r.url)
            r.path = normalize(r.url)
        export.rows = rows
        return
    paths, exact = _rebuild_tree(labels, [r.views for r in rows])
    kept = []
    folders = 0
    for r, p in zip(rows, paths):
        if p is None:
            folders += 1
            continue
        r.url = p
        r.path = normalize(p)
        kept.append(r)
    export.rows = kept
    export.warnings.append(Problem.of("traffic-matomo-hierarchical", shown, severity="warning",
                                      count=folders))
    if not exact:
        export.warnings.append(Problem.of("traffic-matomo-sums-mismatch", shown,
                                          severity="warning"))


def _rebuild_tree(labels: list[str], hits: list) -> tuple[list[str | None], bool]:
    """Paths of the page rows of a hierarchical label list (None for folder rows)."""
    n = len(labels)
    memo: dict[tuple[int, float], int | None] = {}
    choice: dict[tuple[int, float], object] = {}

    def solve(i: int, budget) -> int | None:
        if budget == 0:
            return i
        if i >= n or not labels[i].startswith("/") or hits[i] is None or hits[i] > budget:
            return None
        key = (i, budget)
        if key in memo:
            return memo[key]
        memo[key] = None  # guard against re-entry
        h = hits[i]
        end = solve(i + 1, budget - h)
        how: object = "page"
        if end is None and h > 0:
            sub = solve(i + 1, h)
            if sub is not None:
                end = solve(sub, budget - h)
                how = sub
        memo[key] = end
        choice[key] = how
        return end

    def assign(i: int, budget, prefix: str, out: list) -> int:
        while budget > 0 and i < n:
            how = choice[(i, budget)]
            h = hits[i]
            if how == "page":
                out[i] = _label_path(prefix + labels[i])
                i, budget = i + 1, budget - h
            else:
                assign(i + 1, h, prefix + labels[i], out)
                i, budget = how, budget - h
        return i

    out: list[str | None] = [None] * n
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 4 * n + 1000))
    try:
        i = 0
        while i < n:
            label = labels[i]
            if label.startswith("/"):
                out[i] = _label_path(label)
                i += 1
                continue
            h = hits[i]
            if h is None or solve(i + 1, h) is None:
                break
            assign(i + 1, h, "/" + label, out)
            i = solve(i + 1, h)
        else:
            return out, True
    finally:
        sys.setrecursionlimit(limit)
    # no consistent tree: naive attachment to the last top-level folder
    out = [None] * n
    folder = ""
    for i, label in enumerate(labels):
        if not label.startswith("/"):
            folder = "/" + label
            continue
        out[i] = _label_path(folder + label)
    return out, False
