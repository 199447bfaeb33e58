"""Plausible Analytics CSV export: the dashboard's zip, or its ``pages.csv`` alone.

``pages.csv``: ``name,visitors,pageviews,bounce_rate,time_on_page[,scroll_depth]`` with raw
numbers; ``name`` is the page path. An empty cell means "no data" and stays ``None`` (Plausible
leaves time_on_page / scroll_depth empty for pages without the measure), never 0.

Units: ``bounce_rate`` and ``scroll_depth`` are percentages (0-100) in Plausible exports and are
stored as fractions (0-1); ``time_on_page`` is seconds. ``engaged_seconds_total`` = time_on_page ×
pageviews (an approximation: Plausible's average leaves out exits).

The zip (``visitors.csv``, ``sources.csv``, ``pages.csv``, …): ``pages.csv`` is read. The period
comes from the zip's name when it carries two dates (``plausible-export-<site>-20250101-20250331.zip``,
also ``2025-01-01``), else from the first and last ``date`` of ``visitors.csv``.
"""
from __future__ import annotations

import re

from .csvsource import (COUNT, DURATION, IGNORE, NUMBER, RATE, URL, Aliases, build_export,
                        fields_of, guard, header_key, map_header, parse_date)

SOURCE = "plausible"

ALIASES: Aliases = {
    "name": ("url", URL, "*"), "page": ("url", URL, "*"),
    "visitors": ("users", COUNT, "*"), "pageviews": ("views", COUNT, "*"),
    "visits": ("sessions", COUNT, "*"),
    "bounce_rate": ("bounce_rate", RATE, "*", True),
    "time_on_page": ("avg_time", DURATION, "*"),
    "scroll_depth": ("scroll_depth", NUMBER, "*"),
    "conversion_rate": ("-", IGNORE, "*"), "total_visitors": ("-", IGNORE, "*"),
}

_PERIOD = re.compile(r"(\d{4}-?\d{2}-?\d{2})[_\-.](\d{4}-?\d{2}-?\d{2})")


def score(header: list[str], preamble: list[str]) -> int:
    keys = [header_key(h) for h in header]
    if not keys or keys[0] != "name" or "visitors" not in keys:
        return 0
    columns, _, _ = map_header(header, ALIASES)
    return len(columns) + 6


def period_from_name(name: str):
    """(start, end) from a file name carrying two dates, else (None, None)."""
    m = _PERIOD.search(name)
    if not m:
        return None, None
    try:
        start, end = parse_date(m.group(1)), parse_date(m.group(2))
    except ValueError:
        return None, None
    return (start, end) if start <= end else (None, None)


def import_section(doc, section, path, *, normalize, progress=None, member=None, ui_language=None,
                   start=None, end=None):
    columns, _, _ = map_header(section.header, ALIASES)
    fields = fields_of(columns)
    derived: dict[str, str] = {}
    if "avg_time" in fields:
        derived["avg_engaged_seconds"] = "v_avg_time"
        if "views" in fields:
            derived["engaged_seconds_total"] = guard("v_avg_time * v_views", "avg_time", "views")
    if "scroll_depth" in fields:
        derived["scroll_depth"] = guard("v_scroll_depth / 100", "scroll_depth")
    if start is None:
        start, end = period_from_name(path.name if member is None else path.name)
    return build_export(SOURCE, path, doc, section, columns, normalize=normalize, derived=derived,
                        ui_language=ui_language or "en", progress=progress, start=start, end=end,
                        member=member)
