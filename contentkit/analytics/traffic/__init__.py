"""Web-traffic importers: read analytics exports as downloaded, merge them per page.

Public API::

    import_export(path, format=None, *, site_hosts=None, progress=None, ui_language=None)
        -> TrafficExport
    import_exports(paths, format=None, *, site_hosts=None, progress=None) -> list[TrafficExport]
    detect_format(path) -> str
    aggregate_by_path(exports) -> PageTrafficMap   # dict[path, PageTraffic] + .warnings
    normalize_url(url_or_path, site_hosts=None) -> str
    FORMATS, TrafficExport, TrafficRow, PageTraffic, SourceTraffic, TrafficImportError,
    BIGQUERY_SQL

Detection (``format=None``)
    * a zip: Search Console Performance export (``Pages.csv`` + ``Dates.csv``/``Filters.csv``…)
      or Plausible export (``pages.csv`` + ``visitors.csv``…): the pages member is read and its
      header decides, like a plain file;
    * a Parquet file, or a JSON-lines file whose first object has ``event_name`` and
      ``event_date``: GA4 BigQuery events;
    * a CSV/TSV: every table of the file (``#`` blocks separate tables) is scored against each
      format's header words, in English and French, with the preamble as a tie-breaker
      (``# Start date:`` → GA4, ``# All Web Site Data`` → UA). The best page table wins:
        - ``ga4``: a GA4 page dimension (Page path and screen class, Page path, Page location,
          Page title, Landing page; FR Chemin de la page et classe de l'écran…) + Views /
          Active users / Sessions (FR Vues / Utilisateurs actifs);
        - ``universal_analytics``: ``Page`` (or Page Title / Landing Page) + ``Pageviews``
          (FR Pages vues), not starting with Label;
        - ``matomo``: first column ``label`` / ``Label`` / ``Libellé`` + Matomo metrics;
        - ``plausible``: first column ``name`` + ``visitors``;
        - ``search_console``: a page column (Top pages / Page / Pages les plus populaires) +
          two of Clicks/Clics, Impressions, CTR, Position;
        - ``ga4_bigquery``: ``event_date`` + ``page_location`` (the BIGQUERY_SQL result).
    Nothing matching → :class:`TrafficImportError` naming the file, the header line, and the
    headers each format expects. ``format=`` forces a format (the header must still have its
    page column).

Rows that cannot be parsed are excluded from ``rows`` and listed in ``TrafficExport.problems``
with their line numbers (never dropped silently, never turned into 0). ``progress`` is called
with the number of data rows read so far (every 20,000 rows and at the end); when a file's
numbers turn out to be formatted (``"3,047"``, ``45,2 %``) the file is re-read in careful mode
and the count starts again from 0 once.
"""
from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable
from dataclasses import make_dataclass
from datetime import date, timedelta
from pathlib import Path, PurePosixPath

from contentkit.errors import Problem

from . import bigquery, ga4, matomo, plausible, search_console, universal
from .bigquery import BIGQUERY_SQL
from .csvsource import gc_paused, header_key, parse_date, read_document
from .model import (METRICS, SOURCES, SUM_METRICS, PageTraffic, PageTrafficMap, SourceTraffic,
                    TrafficExport, TrafficImportError, TrafficRow)
from .urls import make_normalizer, normalize_host, normalize_url

__all__ = [
    "BIGQUERY_SQL", "FORMATS", "PageTraffic", "PageTrafficMap", "SourceTraffic", "TrafficExport",
    "TrafficImportError", "TrafficRow", "aggregate_by_path", "detect_format", "import_export",
    "import_exports", "normalize_url",
]

_MODULES = {
    "ga4": ga4, "universal_analytics": universal, "matomo": matomo, "plausible": plausible,
    "search_console": search_console, "ga4_bigquery": bigquery,
}
#: Format names accepted by ``format=`` (and ``--format``).
FORMATS: tuple[str, ...] = tuple(_MODULES)
_FORMAT_ALIASES = {
    "ua": "universal_analytics", "universal": "universal_analytics", "ga3": "universal_analytics",
    "gsc": "search_console", "searchconsole": "search_console", "bigquery": "ga4_bigquery",
    "ga4_bigquery_aggregate": "ga4_bigquery", "bq": "ga4_bigquery",
}


def _canonical_format(format: str | None) -> str | None:
    if format is None:
        return None
    key = format.strip().lower().replace("-", "_").replace(" ", "_")
    key = _FORMAT_ALIASES.get(key, key)
    if key not in _MODULES:
        raise TrafficImportError("--format", "traffic-format-unknown", format=format,
                                 formats=", ".join(FORMATS))
    return key


# --------------------------------------------------------------------------- import

def detect_format(path: str | Path) -> str:
    """The format :func:`import_export` would use for ``path`` (reads the file)."""
    return import_export(path).source


def import_exports(paths: Iterable[str | Path], format: str | None = None, *,
                   site_hosts: Iterable[str] | None = None,
                   progress: Callable[[int], None] | None = None) -> list[TrafficExport]:
    """:func:`import_export` for each path, in order."""
    return [import_export(p, format, site_hosts=site_hosts, progress=progress) for p in paths]


def import_export(path: str | Path, format: str | None = None, *,
                  site_hosts: Iterable[str] | None = None,
                  progress: Callable[[int], None] | None = None,
                  ui_language: str | None = None) -> TrafficExport:
    """Read one analytics export file (CSV/TSV, zip, NDJSON, Parquet) into a TrafficExport.

    ``format`` forces a format (see :data:`FORMATS`); ``site_hosts`` limits the hosts whose URLs
    become plain paths (others keep ``//host``); ``ui_language`` ('en'/'fr') overrides the UI
    language found from the headers, which only breaks ties in number reading.
    """
    path = Path(path)
    forced = _canonical_format(format)
    if not path.is_file():
        if not path.exists():
            raise TrafficImportError(path, "traffic-file-not-found")
        raise TrafficImportError(path, "traffic-not-a-file")
    normalize = make_normalizer(site_hosts)
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if zipfile.is_zipfile(path):
        return _import_zip(path, forced, normalize, progress, ui_language)
    if bigquery.looks_like_events(path, head):
        if forced not in (None, "ga4_bigquery"):
            raise TrafficImportError(path, "traffic-events-not-forced-format", format=forced)
        return bigquery.import_events(path, normalize=normalize, progress=progress)
    data = path.read_bytes()
    return _import_text(data, path, None, forced, normalize, progress, ui_language)


def _import_text(data: bytes, path: Path, member: str | None, forced: str | None, normalize,
                 progress, ui_language, extra: dict | None = None) -> TrafficExport:
    doc = read_document(data, path)
    shown = str(path) + (f"[{member}]" if member else "")
    if not doc.sections or not any(s.header and any(s.header) for s in doc.sections):
        raise TrafficImportError(shown, "traffic-no-table", line=1)
    candidates = []
    for index, section in enumerate(doc.sections):
        preamble = section.preamble or doc.preamble
        for name, module in _MODULES.items():
            if forced and name != forced:
                continue
            points = module.score(section.header, preamble)
            if points:
                candidates.append((points, -index, name, section))
    if not candidates:
        raise _no_format_error(doc, shown, forced)
    candidates.sort(key=lambda c: (c[0], c[1]), reverse=True)
    _, _, name, section = candidates[0]
    module = _MODULES[name]
    kwargs = dict(normalize=normalize, progress=progress, member=member, ui_language=ui_language)
    if extra and name in ("plausible", "search_console"):
        kwargs.update(extra)
    export = module.import_section(doc, section, path, **kwargs)
    # other tables of the file: say they were not added
    for other in doc.sections:
        if other is section or not other.header or not any(other.header):
            continue
        columns = ", ".join(other.header[:3])
        if module.score(other.header, other.preamble or doc.preamble) > 0:
            export.warnings.append(Problem.of("traffic-other-page-table", shown, other.header_line,
                                              "warning", header_line=other.header_line,
                                              columns=columns))
        else:
            export.warnings.append(Problem.of("traffic-other-table", shown, other.header_line,
                                              "warning", header_line=other.header_line,
                                              columns=columns))
    return export


def _no_format_error(doc, shown: str, forced: str | None) -> TrafficImportError:
    section = next(s for s in doc.sections if s.header and any(s.header))
    header = ",".join(section.header)
    preamble = section.preamble or doc.preamble
    if forced:
        return TrafficImportError(shown, "traffic-not-forced-format", line=section.header_line,
                                  format=forced, header=header)
    ga4_like = any(line.lower().startswith(("start date", "date de début")) for line in preamble)
    if ga4_like:
        title = next((line for line in preamble if ":" in line and not line.lower().startswith(
            ("account", "property", "start", "end", "compte", "propriété", "date"))), "")
        return TrafficImportError(shown, "traffic-ga4-not-per-page", line=section.header_line,
                                  report=title or repr(header), column=section.header[0])
    first = header_key(section.header[0]) if section.header else ""
    if first in search_console._QUERY_DIMS:
        return TrafficImportError(shown, "traffic-search-console-queries",
                                  line=section.header_line, column=section.header[0])
    return TrafficImportError(shown, "traffic-format-not-recognised", line=section.header_line,
                              header_line=section.header_line, header=header)


def _import_zip(path: Path, forced, normalize, progress, ui_language) -> TrafficExport:
    with zipfile.ZipFile(path) as zf:
        members = [i for i in zf.infolist() if not i.is_dir()]
        by_name = {PurePosixPath(i.filename).name.casefold(): i for i in members}
        names = set(by_name)
        page_member = None
        for candidate in ("pages.csv", "pages les plus populaires.csv", "top pages.csv",
                          "page urls.csv", "urls de page.csv"):
            if candidate in names:
                page_member = by_name[candidate]
                break
        if page_member is None:
            csvs = [i for i in members if i.filename.lower().endswith((".csv", ".tsv"))]
            if len(csvs) == 1:
                page_member = csvs[0]
        if page_member is None and "[content_types].xml" in names:
            raise TrafficImportError(path, "traffic-workbook-not-csv")
        if page_member is None:
            raise TrafficImportError(path, "traffic-zip-without-pages",
                                     members=", ".join(sorted(i.filename for i in members)[:20]))
        data = zf.read(page_member)
        extra: dict = {}
        plausible_like = "visitors.csv" in names or path.name.lower().startswith("plausible")
        if plausible_like and forced in (None, "plausible"):
            start, end = plausible.period_from_name(path.name)
            if start is None and "visitors.csv" in names:
                start, end = _visitors_period(zf.read(by_name["visitors.csv"]), path)
            extra = {"start": start, "end": end}
        elif "dates.csv" in names and forced in (None, "search_console"):
            dates_doc = read_document(zf.read(by_name["dates.csv"]), path)
            start, end = search_console.dates_period(dates_doc)
            extra = {"start": start, "end": end}
    export = _import_text(data, path, page_member.filename, forced, normalize, progress,
                          ui_language, extra)
    if extra and export.start is None:
        export.start, export.end = extra.get("start"), extra.get("end")
    return export


def _visitors_period(data: bytes, path: Path):
    doc = read_document(data, path)
    days = []
    for section in doc.sections:
        if not section.header or header_key(section.header[0]) != "date":
            continue
        for _, cells in section.rows():
            try:
                days.append(parse_date(cells[0]))
            except (ValueError, IndexError):
                continue
    return (min(days), max(days)) if days else (None, None)


# --------------------------------------------------------------------------- aggregation

#: Rates combined as weighted averages when rows or files add up (weights: _weight_field).
_WEIGHTED = ("bounce_rate", "exit_rate", "avg_engaged_seconds", "ctr", "position", "scroll_depth")


def _accumulator_fields() -> list[tuple[str, type, int]]:
    fields: list[tuple[str, type, int]] = [("rows", int, 0)]
    for m in SUM_METRICS:
        fields += [(f"{m}_sum", float, 0), (f"{m}_seen", int, 0)]
    for m in _WEIGHTED:
        fields += [(f"{m}_wsum", float, 0), (f"{m}_weight", float, 0)]
    return fields


#: What one source's rows add up to for one path, while an export is read: ``rows``; for each
#: summed metric ``<metric>_sum`` and ``<metric>_seen`` (1 once a row gave it); for each weighted
#: rate ``<rate>_wsum`` (sum of weight × rate) and ``<rate>_weight`` (sum of weights). A slots
#: dataclass, so the generated loop's ``a.views_sum += v`` is as fast as a list slot; sums start at
#: the int 0, so integer counts stay ints.
PathAccumulator = make_dataclass("PathAccumulator", _accumulator_fields(), slots=True)
PathAccumulator.__module__ = __name__


def _weight_field(metric: str, present: set[str]) -> str | None:
    """Which count weights a rate when rows or files are combined (never a plain average)."""
    order = {
        "bounce_rate": ("entrances", "sessions", "views", "users"),  # bounces / entrances
        "exit_rate": ("views", "sessions", "users"),                   # exits / pageviews
        "avg_engaged_seconds": ("users", "views", "sessions"),
        "ctr": ("impressions",),
        "position": ("impressions",),
        "scroll_depth": ("users", "views", "sessions"),
    }[metric]
    return next((f for f in order if f in present), None)


def _compile_accumulator(present: set[str], *, skip_days: bool, dedupe: bool):
    """Generate a loop adding an export's rows into per-path accumulators."""
    lines = ["def run(rows, accs, new, skip, claimed, mine, urls):",
             "    skipped = dup = nopath = 0",
             "    for r in rows:",
             "        p = r.path",
             "        if p is None:",
             "            nopath += 1",
             "            continue"]
    if skip_days or dedupe:
        lines.append("        d = r.date")
    if skip_days:
        lines += ["        if d in skip:", "            skipped += 1", "            continue"]
    if dedupe:
        lines += ["        k = (p, d)", "        if k in claimed:", "            dup += 1",
                  "            continue", "        mine.add(k)"]
    lines += ["        a = accs.get(p)",
              "        if a is None:",
              "            a = accs[p] = new()",
              "            urls[p] = {r.url}",
              "        else:",
              "            u = urls[p]",
              "            if len(u) < 20:",
              "                u.add(r.url)",
              "        a.rows += 1"]
    for m in SUM_METRICS:
        if m in present:
            lines += [f"        v = r.{m}", "        if v is not None:",
                      f"            a.{m}_sum += v", f"            a.{m}_seen = 1"]
    for m in _WEIGHTED:
        if m not in present:
            continue
        w = _weight_field(m, present)
        lines += [f"        v = r.{m}", "        if v is not None:"]
        if m == "avg_engaged_seconds" and "engaged_seconds_total" in present:
            lines += ["            t = r.engaged_seconds_total",
                      "            if v and t is not None:",
                      f"                a.{m}_wsum += t", f"                a.{m}_weight += t / v",
                      "            else:"]
            indent = "                "
        else:
            indent = "            "
        if w is None:
            lines += [f"{indent}a.{m}_wsum += v", f"{indent}a.{m}_weight += 1"]
        else:
            lines += [f"{indent}w = r.{w}", f"{indent}if w:",
                      f"{indent}    a.{m}_wsum += v * w", f"{indent}    a.{m}_weight += w"]
    lines.append("    return skipped, dup, nopath")
    ns: dict = {}
    exec("\n".join(lines), ns)  # noqa: S102 - generated from fixed metric names
    return ns["run"]


def _span(export: TrafficExport) -> tuple[date | None, date | None]:
    if export.start and export.end:
        return export.start, export.end
    if export.per_day:
        lo, hi = export.data_dates()
        return export.start or lo, export.end or hi
    return export.start, export.end


def _days(lo: date, hi: date) -> set[date]:
    return {lo + timedelta(days=i) for i in range((hi - lo).days + 1)} if hi >= lo else set()


def _shown(export: TrafficExport) -> str:
    return str(export.path) + (f"[{export.member}]" if export.member else "")


def _host_groups(group: list[TrafficExport]) -> list[list[TrafficExport]]:
    """Split one source's exports into sets that may overlap: exports whose rows are all full
    URLs of disjoint hosts (two different sites) cannot count the same visits."""
    subgroups: list[list] = []  # [hosts or None, members]
    for export in group:
        hosts = _hosts(export)
        target = next((entry for entry in subgroups
                       if hosts is None or entry[0] is None or hosts & entry[0]), None)
        if target is None:
            subgroups.append([hosts, [export]])
        else:
            target[1].append(export)
            target[0] = None if hosts is None or target[0] is None else target[0] | hosts
    return [members for _, members in subgroups]


def _hosts(export: TrafficExport) -> set[str] | None:
    """Hosts of an export whose every row is a full URL, else None (paths: host unknown)."""
    hosts: set[str] = set()
    for row in export.rows:
        if "://" not in row.url:
            return None
        hosts.add(normalize_host(row.url))
    return hosts or None


def _merge_group(source: str, with_rows: list[TrafficExport], accs: dict, urls: dict,
                 result: PageTrafficMap) -> tuple[date | None, date | None]:
    """Add one group of possibly overlapping exports of ``source`` into ``accs``."""
    kept_ranges: list[tuple[date, date, TrafficExport]] = []
    period_days: set[date] = set()
    unknown_kept: TrafficExport | None = None
    lo_all = hi_all = None
    order = sorted(range(len(with_rows)), key=lambda i: (
        0 if all(_span(with_rows[i])) else 1,
        -((_span(with_rows[i])[1] - _span(with_rows[i])[0]).days if all(_span(with_rows[i])) else 0),
        i))
    multi_day = sum(1 for e in with_rows if e.per_day) > 1
    claimed: set = set()
    for i in order:
        export = with_rows[i]
        lo, hi = _span(export)
        per_day = export.per_day
        if lo is None or hi is None:
            if kept_ranges or unknown_kept is not None:
                other = unknown_kept or kept_ranges[0][2]
                result.warnings.append(Problem.of(
                    "traffic-period-unknown-may-overlap", _shown(export), severity="warning",
                    other=_shown(other), source=source))
                result.skipped.append(export)
                continue
            unknown_kept = export
        elif not per_day:
            clash = next((k for k in kept_ranges if lo <= k[1] and k[0] <= hi), None)
            if clash is None and unknown_kept is not None:
                clash = (None, None, unknown_kept)
            if clash is not None:
                result.warnings.append(Problem.of(
                    "traffic-period-overlaps", _shown(export), severity="warning", source=source,
                    start=lo, end=hi, other=_shown(clash[2])))
                result.skipped.append(export)
                continue
        elif unknown_kept is not None:
            result.warnings.append(Problem.of(
                "traffic-overlaps-unknown-period", _shown(export), severity="warning",
                other=_shown(unknown_kept), source=source))
            result.skipped.append(export)
            continue
        present = set(export.metrics_present)
        run = _compile_accumulator(present, skip_days=per_day and bool(period_days),
                                   dedupe=per_day and multi_day)
        mine: set = set()
        skipped, dup, untitled = run(export.rows, accs, PathAccumulator, period_days, claimed,
                                     mine, urls)
        claimed |= mine
        if skipped:
            result.warnings.append(Problem.of(
                "traffic-days-already-counted", _shown(export), severity="warning",
                count=skipped, source=source))
        if dup:
            result.warnings.append(Problem.of(
                "traffic-day-rows-duplicate", _shown(export), severity="warning", count=dup,
                source=source))
        if untitled:
            result.warnings.append(Problem.of(
                "traffic-rows-title-only", _shown(export), severity="warning", count=untitled))
        if lo is not None and hi is not None:
            if not per_day:
                period_days |= _days(lo, hi)
            kept_ranges.append((lo, hi, export))
            lo_all = lo if lo_all is None or lo < lo_all else lo_all
            hi_all = hi if hi_all is None or hi > hi_all else hi_all
        result.used.append(export)
    return lo_all, hi_all


def aggregate_by_path(exports: Iterable[TrafficExport]) -> PageTrafficMap:
    """Combine exports into one :class:`PageTraffic` per normalised path.

    Within one source: counts add up (pages, days, files of different periods); rates are
    weighted averages — bounce rate by entrances (else sessions, views, users), exit rate by
    views, engagement time by its own basis (total / average), CTR = clicks / impressions,
    position and CTR weighted by impressions, scroll depth by visitors — never plain averages.

    Overlaps of one source are not counted twice. Files are considered longest period first:
    a period aggregate overlapping a file already kept is left out (warning); per-day rows on
    days covered by a kept period file are left out (warning); per-day rows of several files
    are deduplicated by (path, date), the first (longest) file winning. A period file whose dates
    are unknown is kept only if it is the only file of its source.

    Different sources stand side by side (:attr:`PageTraffic.sources`); see
    :class:`~contentkit.analytics.traffic.model.PageTraffic` for the top-level values.
    Rows keyed only by page title (no path) are left out, with a warning.
    """
    with gc_paused():
        return _aggregate(exports)


def _aggregate(exports: Iterable[TrafficExport]) -> PageTrafficMap:
    result = PageTrafficMap()
    groups: dict[str, list[TrafficExport]] = {}
    for export in exports:
        groups.setdefault(export.source, []).append(export)
    per_source: dict[str, dict[str, PathAccumulator]] = {}
    source_urls: dict[str, dict[str, set]] = {}
    source_span: dict[str, tuple[date | None, date | None]] = {}
    for source, group in groups.items():
        accs: dict[str, PathAccumulator] = {}
        urls: dict[str, set] = {}
        lo_all = hi_all = None
        for e in group:
            if not e.rows:
                result.skipped.append(e)
        for subgroup in _host_groups([e for e in group if e.rows]):
            lo, hi = _merge_group(source, subgroup, accs, urls, result)
            if lo is not None:
                lo_all = lo if lo_all is None or lo < lo_all else lo_all
            if hi is not None:
                hi_all = hi if hi_all is None or hi > hi_all else hi_all
        per_source[source] = accs
        source_urls[source] = urls
        source_span[source] = (lo_all, hi_all)
    # build PageTraffic objects
    order = [s for s in SOURCES if s in per_source] + [s for s in per_source if s not in SOURCES]
    for source in order:
        lo, hi = source_span[source]
        for path, acc in per_source[source].items():
            page = result.get(path)
            if page is None:
                page = result[path] = PageTraffic(path=path)
            page.sources[source] = _finish(source, acc, lo, hi)
            for url in sorted(source_urls[source].get(path, ())):
                if len(page.urls) < 20 and url not in page.urls:
                    page.urls.append(url)
    for page in result.values():
        for metric in METRICS:
            for source in order:
                st = page.sources.get(source)
                if st is not None and getattr(st, metric) is not None:
                    setattr(page, metric, getattr(st, metric))
                    page.metric_sources[metric] = source
                    break
    return result


def _finish(source: str, a: PathAccumulator, lo, hi) -> SourceTraffic:
    st = SourceTraffic(source=source, rows=a.rows, first_date=lo, last_date=hi)
    for m in SUM_METRICS:
        if getattr(a, f"{m}_seen"):
            value = getattr(a, f"{m}_sum")
            setattr(st, m, int(value) if isinstance(value, float) and value.is_integer()
                    and m not in ("engaged_seconds_total", "revenue") else value)
    for m in _WEIGHTED:
        weight = getattr(a, f"{m}_weight")
        if weight:
            setattr(st, m, getattr(a, f"{m}_wsum") / weight)
    if st.clicks is not None and st.impressions:
        st.ctr = st.clicks / st.impressions
    return st
