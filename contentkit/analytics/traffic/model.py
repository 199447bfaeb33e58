"""Data model of imported web-traffic exports.

One :class:`TrafficExport` per file read, holding :class:`TrafficRow` objects whose metrics carry
canonical names whatever the tool and the UI language that produced the file. A metric the source
does not provide is ``None`` (never 0): "no data" and "zero" stay distinct all the way to the report.

Canonical metrics (all optional)
--------------------------------
=========================  ==================================================================
``views``                  page views (GA4 Views, UA Pageviews, Matomo nb_hits, Plausible pageviews)
``users``                  people: GA4 Active users, UA Unique Pageviews, Matomo nb_uniq_visitors,
                           Plausible visitors, BigQuery distinct user_pseudo_id (per row)
``sessions``               visits including the page (GA4 Sessions, Matomo nb_visits, BigQuery
                           distinct user_pseudo_id + ga_session_id)
``entrances``              visits that started on the page (UA/GA4 Entrances, Matomo
                           entry_nb_visits, BigQuery ``entrances`` event parameter)
``engaged_seconds_total``  total engagement / time on page in seconds, see below
``avg_engaged_seconds``    the average the file gave (its basis differs per tool, see below)
``bounce_rate``            0-1
``exit_rate``              0-1
``key_events``             GA4 Key events (older GA4: Conversions; FR: Événements clés)
``revenue``                GA4 Total revenue (currency symbol dropped, no conversion)
``clicks``, ``impressions`` Search Console
``ctr``                    0-1
``position``               Search Console average position (impression weighted when combined)
``scroll_depth``           0-1 (Plausible gives a percentage)
=========================  ==================================================================

Engagement time: files give an *average* whose basis depends on the tool; the importer derives a
total so pages and periods can be summed:

* GA4 "Average engagement time per active user" → total = average × active users (exact);
  "... per session" → average × sessions; "User engagement" (explorations) is already a total.
* UA "Avg. Time on Page" is time / (pageviews − exits) → total = average × pageviews × (1 − % exit)
  when % Exit is in the file, else average × pageviews (an over-estimate, noted in the docs).
* Matomo: ``sum_time_spent`` when exported (exact), else avg_time_on_page × nb_hits.
* Plausible time_on_page → average × pageviews (approximation).
* BigQuery: sum of ``engagement_time_msec`` of ``user_engagement`` events / 1000 (exact).
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path

from contentkit.errors import ContentError, Problem

#: Source identifiers, in the order used to pick the value shown for a page when several
#: sources give the same metric (see :func:`contentkit.analytics.traffic.aggregate_by_path`).
SOURCES: tuple[str, ...] = (
    "ga4", "ga4_bigquery", "universal_analytics", "matomo", "plausible", "search_console",
)

#: Metric attribute names of :class:`TrafficRow`, in constructor order.
METRICS: tuple[str, ...] = (
    "views", "users", "sessions", "entrances", "engaged_seconds_total", "avg_engaged_seconds",
    "bounce_rate", "exit_rate", "key_events", "revenue", "clicks", "impressions", "ctr",
    "position", "scroll_depth",
)
#: Metrics that add up across pages, days and files of one source.
SUM_METRICS: tuple[str, ...] = (
    "views", "users", "sessions", "entrances", "engaged_seconds_total", "key_events", "revenue",
    "clicks", "impressions",
)


@dataclass(slots=True)
class TrafficRow:
    """One data row of an export, with canonical metric names.

    ``url`` is the page as written in the file (a path, a full URL, a Matomo label rebuilt into a
    path); ``path`` is :func:`~contentkit.analytics.traffic.urls.normalize_url` of it, the key used
    to match articles (``None`` only for rows keyed by page title alone). ``date`` is ``None`` for
    period aggregates and a :class:`datetime.date` for per-day rows. ``line`` is the 1-based line of
    the row in the file (``None`` for rows computed from BigQuery events).
    """

    url: str
    path: str | None
    date: date | None = None
    line: int | None = None
    views: float | None = None
    users: float | None = None
    sessions: float | None = None
    entrances: float | None = None
    engaged_seconds_total: float | None = None
    avg_engaged_seconds: float | None = None
    bounce_rate: float | None = None
    exit_rate: float | None = None
    key_events: float | None = None
    revenue: float | None = None
    clicks: float | None = None
    impressions: float | None = None
    ctr: float | None = None
    position: float | None = None
    scroll_depth: float | None = None
    title: str | None = None

    def metrics(self) -> dict[str, float]:
        """The metrics this row has (``None`` ones left out)."""
        return {m: getattr(self, m) for m in METRICS if getattr(self, m) is not None}


@dataclass
class TrafficExport:
    """One imported file (or the page table of one zip).

    ``number_convention`` is decided once per file from the evidence of all its metric cells (see
    :mod:`~contentkit.analytics.traffic.numbers`), e.g. ``"decimal comma, space thousands"``.
    ``warnings`` are file-level notes (totals row skipped, other tables ignored, conflicting number
    formats…); ``problems`` are rows that could not be parsed: they are *excluded* from ``rows`` and
    each is listed with its line number, so a report can show them (never silently dropped or
    turned into 0).
    """

    source: str
    path: Path
    rows: list[TrafficRow] = field(default_factory=list)
    start: date | None = None
    end: date | None = None
    number_convention: str = "plain numbers (decimal point)"
    ui_language: str = "en"
    warnings: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    report: str | None = None  # report title from the preamble, e.g. "Pages and screens: …"
    dimension: str | None = None  # header of the page column, e.g. "Page path and screen class"
    encoding: str | None = None
    delimiter: str | None = None
    member: str | None = None  # file inside a zip that was read
    #: metrics the importer can fill (None: unknown, found by scanning the rows)
    metrics: tuple[str, ...] | None = None

    @property
    def per_day(self) -> bool:
        """True when the rows are per-day (a Date dimension), False for a period aggregate."""
        return any(r.date is not None for r in self.rows)

    @property
    def metrics_present(self) -> tuple[str, ...]:
        """Metrics the rows may have (declared by the importer, else found by scanning)."""
        if self.metrics is not None:
            return self.metrics
        present = set()
        for row in self.rows:
            for m in METRICS:
                if m not in present and getattr(row, m) is not None:
                    present.add(m)
            if len(present) == len(METRICS):
                break
        return tuple(m for m in METRICS if m in present)

    def data_dates(self) -> tuple[date | None, date | None]:
        """First and last date of per-day rows (``(None, None)`` for a period aggregate)."""
        days = [r.date for r in self.rows if r.date is not None]
        return (min(days), max(days)) if days else (None, None)

    def summary(self) -> str:
        span = f"{self.start or '?'} → {self.end or '?'}"
        kind = "per day" if self.per_day else "period"
        return (f"{self.path.name}{' [' + self.member + ']' if self.member else ''}: {self.source}, "
                f"{len(self.rows)} rows ({kind}), {span}, numbers: {self.number_convention}, "
                f"UI {self.ui_language}, {len(self.warnings)} warning(s), "
                f"{len(self.problems)} row problem(s)")


@dataclass
class SourceTraffic:
    """Metrics of one page from one source, combined over all the rows and files kept."""

    source: str
    views: float | None = None
    users: float | None = None
    sessions: float | None = None
    entrances: float | None = None
    engaged_seconds_total: float | None = None
    avg_engaged_seconds: float | None = None
    bounce_rate: float | None = None
    exit_rate: float | None = None
    key_events: float | None = None
    revenue: float | None = None
    clicks: float | None = None
    impressions: float | None = None
    ctr: float | None = None
    position: float | None = None
    scroll_depth: float | None = None
    rows: int = 0  # rows merged into this page
    # period covered by the files of this source that were kept (same for all its pages)
    first_date: date | None = None
    last_date: date | None = None


@dataclass
class PageTraffic:
    """Everything known about one normalised path.

    ``sources`` holds one :class:`SourceTraffic` per source, side by side. The top-level metrics
    are a convenience view: each is taken from the first source of :data:`SOURCES` that has it for
    this page (views from GA4 rather than Plausible, clicks and position from Search Console), and
    ``metric_sources`` says which. Values of different sources are never added together: two tools
    measuring the same visits would double count.
    """

    path: str
    urls: list[str] = field(default_factory=list)  # distinct raw URLs seen (at most 20)
    sources: dict[str, SourceTraffic] = field(default_factory=dict)
    metric_sources: dict[str, str] = field(default_factory=dict)
    views: float | None = None
    users: float | None = None
    sessions: float | None = None
    entrances: float | None = None
    engaged_seconds_total: float | None = None
    avg_engaged_seconds: float | None = None
    bounce_rate: float | None = None
    exit_rate: float | None = None
    key_events: float | None = None
    revenue: float | None = None
    clicks: float | None = None
    impressions: float | None = None
    ctr: float | None = None
    position: float | None = None
    scroll_depth: float | None = None


class PageTrafficMap(dict):
    """``dict[path, PageTraffic]`` returned by ``aggregate_by_path``, plus what the merge decided.

    ``warnings`` lists files or rows left out to avoid double counting; ``used`` and ``skipped``
    list the exports kept and dropped.
    """

    def __init__(self):
        super().__init__()
        self.warnings: list[Problem] = []
        self.used: list[TrafficExport] = []
        self.skipped: list[TrafficExport] = []

    def all_problems(self) -> list[Problem]:
        """What a merge report shows: each file's notes and excluded rows (with their lines),
        then the merge's own decisions (files or rows left out to avoid double counting)."""
        out: list[Problem] = []
        for export in self.used + [e for e in self.skipped if e not in self.used]:
            out += export.warnings + export.problems
        return out + self.warnings


class TrafficImportError(ContentError):
    """A file that cannot be imported: names the file, the line when known, and what to do.
    Worded from the errors catalog like a ContentError:
    ``raise TrafficImportError(path, "traffic-no-table", line=1)``."""

    def __init__(self, path, code: str, line: int | None = None, **params):
        super().__init__(path, code, line, **params)
        self.path = str(path)
        self.line = line
        self.message = self.problem.message
        self.hint = self.problem.hint


def metric_fields() -> tuple[str, ...]:
    """Names of the metric fields of :class:`TrafficRow` (same as :data:`METRICS`)."""
    names = tuple(f.name for f in fields(TrafficRow))
    return tuple(n for n in names if n in METRICS)
