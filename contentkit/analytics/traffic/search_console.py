"""Google Search Console "Performance > Search results" exports, English and French UI.

The UI's "Export > Download CSV" gives a zip (``Queries.csv``, ``Pages.csv``, ``Countries.csv``,
``Devices.csv``, ``Search appearance.csv``, ``Dates.csv``, ``Filters.csv``; French UI:
``Requêtes.csv``, ``Pages.csv``, ``Pays.csv``, ``Appareils.csv``, ``Dates.csv``, ``Filtres.csv``).
The zip or its ``Pages.csv`` alone is accepted::

    Top pages,Clicks,Impressions,CTR,Position
    https://example.com/2015/mon-article/,706,21579,3.27%,4.64

    Pages les plus populaires,Clics,Impressions,CTR,Position
    https://example.com/2015/mon-article/,706,"21 579","3,27 %","4,64"

URLs are absolute (fragments ``#section`` are dropped by the normaliser, so an article's anchors
add up to the article). CTR is stored as a fraction: ``4.5%`` / ``4,5 %`` → 0.045; a CTR column
without ``%`` (already a fraction, as in re-saved files) is kept as is. Position is the average
position; combining pages or files weights it by impressions.

Period: from ``Dates.csv`` in the zip (first and last ``Date``). A ``Dates.csv`` given alone is
read as period information only (an export with no rows). A ``Queries.csv`` is refused with a
clear message: queries are not pages.
"""
from __future__ import annotations

from pathlib import Path

from contentkit.errors import Problem

from .csvsource import (COUNT, NUMBER, RATE, URL, Aliases, build_export, fields_of,
                        header_key, map_header, parse_date)
from .model import TrafficExport, TrafficImportError

SOURCE = "search_console"

ALIASES: Aliases = {
    "top pages": ("url", URL, "en"), "page": ("url", URL, "en"), "pages": ("url", URL, "*"),
    "landing page": ("url", URL, "en"),
    "pages les plus populaires": ("url", URL, "fr"), "pages principales": ("url", URL, "fr"),
    "principales pages": ("url", URL, "fr"),
    "clicks": ("clicks", COUNT, "en"), "clics": ("clicks", COUNT, "fr"),
    "impressions": ("impressions", COUNT, "*"),
    "ctr": ("ctr", RATE, "*"), "taux de clics": ("ctr", RATE, "fr"),
    "position": ("position", NUMBER, "*"), "position moyenne": ("position", NUMBER, "fr"),
    "average position": ("position", NUMBER, "en"),
}
_QUERY_DIMS = {"top queries", "query", "queries", "requêtes les plus fréquentes",
               "requêtes principales", "principales requêtes", "requête", "requêtes"}
_DATE_DIMS = {"date"}


def _metrics(header: list[str]) -> set[str]:
    columns, _, _ = map_header(header, ALIASES)
    return fields_of(columns) & {"clicks", "impressions", "ctr", "position"}


def score(header: list[str], preamble: list[str]) -> int:
    keys = [header_key(h) for h in header]
    metrics = _metrics(header)
    if not keys or len(metrics) < 2 or not ({"clicks", "impressions"} & metrics):
        return 0
    if keys[0] in _QUERY_DIMS or keys[0] in _DATE_DIMS:
        return 1  # recognised, refused or period-only in import_section
    columns, _, _ = map_header(header, ALIASES)
    if "url" not in fields_of(columns):
        return 0
    return len(columns) + 5


def dates_period(doc):
    """(start, end) of a Dates.csv document, or (None, None)."""
    days = []
    for section in doc.sections:
        if not section.header or header_key(section.header[0]) not in _DATE_DIMS:
            continue
        for _, cells in section.rows():
            try:
                days.append(parse_date(cells[0]))
            except (ValueError, IndexError):
                continue
    return (min(days), max(days)) if days else (None, None)


def import_section(doc, section, path, *, normalize, progress=None, member=None, ui_language=None,
                   start=None, end=None):
    key = header_key(section.header[0]) if section.header else ""
    shown = str(path) + (f"[{member}]" if member else "")
    if key in _QUERY_DIMS:
        raise TrafficImportError(shown, "traffic-search-console-queries",
                                 line=section.header_line, column=section.header[0])
    columns, lang, _ = map_header(section.header, ALIASES)
    language = ui_language or lang or "en"
    if key in _DATE_DIMS:
        s, e = dates_period(doc)
        return TrafficExport(
            source=SOURCE, path=Path(path), rows=[], start=s, end=e, ui_language=language,
            encoding=doc.encoding, delimiter=doc.delimiter, member=member, dimension="Date",
            warnings=[Problem.of("traffic-search-console-dates-only", shown, severity="warning")])
    return build_export(SOURCE, path, doc, section, columns, normalize=normalize,
                        ui_language=language, progress=progress, start=start, end=end,
                        member=member)
