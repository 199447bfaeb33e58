"""GA4 BigQuery export (``events_*`` tables): raw events as NDJSON or Parquet, or pre-aggregated CSV.

Raw events (one JSON object per line, gzipped or not, or a Parquet file, as ``bq extract``
writes them) carry
``event_date`` ('YYYYMMDD'), ``event_timestamp``, ``event_name``, ``user_pseudo_id`` and
``event_params``: a list of ``{key, value: {string_value, int_value, float_value, double_value}}``.
They are aggregated per page and day with the embedded DuckDB:

* ``views``: number of ``page_view`` events of the page (``page_location`` parameter);
* ``users``: distinct ``user_pseudo_id`` among them; ``sessions``: distinct user + ``ga_session_id``;
  both are per day, so summing days counts a person once per day;
* ``entrances``: sum of the ``entrances`` parameter of the page_view events;
* ``engaged_seconds_total``: sum of ``engagement_time_msec`` of ``user_engagement`` events of the
  page, / 1000; ``avg_engaged_seconds`` = that / users.

BigQuery exports INT64 values as JSON *strings*; every parameter is cast, so both forms work.

Running the same aggregation in BigQuery and downloading the result is cheaper than exporting raw
events: :data:`BIGQUERY_SQL` is that query, in BigQuery Standard SQL. Its result, saved as CSV
(``event_date,page_location,views,users,sessions,entrances,engaged_seconds``, the
``ga4_bigquery_aggregate`` layout), is imported by this module too (auto-detected).
"""
from __future__ import annotations

import json
import zlib
from pathlib import Path

from .csvsource import (COUNT, DATE, NUMBER, URL, Aliases, build_export, fields_of, guard,
                        header_key, map_header, parse_date)
from .model import TrafficExport, TrafficImportError, TrafficRow

SOURCE = "ga4_bigquery"

#: BigQuery Standard SQL: GA4 events → one row per day and page, in the layout this module reads.
#: Replace the project/dataset and the dates; keep the column names.
BIGQUERY_SQL = """\
-- contentkit: GA4 page traffic per day, from the BigQuery export (events_* tables).
-- Save the result as CSV and give it to: contentkit analyze --traffic FILE
SELECT
  event_date,                                             -- 'YYYYMMDD'
  page_location,
  COUNTIF(event_name = 'page_view') AS views,
  COUNT(DISTINCT IF(event_name = 'page_view', user_pseudo_id, NULL)) AS users,
  COUNT(DISTINCT IF(event_name = 'page_view',
                    CONCAT(user_pseudo_id, '.', CAST(ga_session_id AS STRING)), NULL)) AS sessions,
  SUM(IF(event_name = 'page_view', IFNULL(entrances, 0), 0)) AS entrances,
  SUM(IF(event_name = 'user_engagement', IFNULL(engagement_time_msec, 0), 0)) / 1000
    AS engaged_seconds
FROM (
  SELECT
    event_date,
    event_name,
    user_pseudo_id,
    (SELECT value.string_value FROM UNNEST(event_params) WHERE key = 'page_location')
      AS page_location,
    (SELECT value.int_value FROM UNNEST(event_params) WHERE key = 'ga_session_id')
      AS ga_session_id,
    (SELECT value.int_value FROM UNNEST(event_params) WHERE key = 'entrances') AS entrances,
    (SELECT value.int_value FROM UNNEST(event_params) WHERE key = 'engagement_time_msec')
      AS engagement_time_msec
  FROM `my-project.analytics_123456789.events_*`
  WHERE _TABLE_SUFFIX BETWEEN '20250101' AND '20250331'
    AND event_name IN ('page_view', 'user_engagement')
)
WHERE page_location IS NOT NULL
GROUP BY event_date, page_location
ORDER BY event_date, page_location
"""

#: The same aggregation in DuckDB SQL, over a view ``events`` of the raw rows.
DUCKDB_SQL = """\
WITH e AS (
  SELECT
    CAST(event_date AS VARCHAR) AS event_date,
    CAST(event_name AS VARCHAR) AS event_name,
    CAST(user_pseudo_id AS VARCHAR) AS user_pseudo_id,
    (SELECT p.value.string_value FROM (SELECT UNNEST(event_params) AS p)
      WHERE p.key = 'page_location' LIMIT 1) AS page_location,
    (SELECT COALESCE(CAST(p.value.int_value AS VARCHAR), CAST(p.value.string_value AS VARCHAR))
      FROM (SELECT UNNEST(event_params) AS p) WHERE p.key = 'ga_session_id' LIMIT 1) AS ga_session_id,
    (SELECT TRY_CAST(COALESCE(CAST(p.value.int_value AS VARCHAR), CAST(p.value.string_value AS VARCHAR)) AS BIGINT)
      FROM (SELECT UNNEST(event_params) AS p) WHERE p.key = 'entrances' LIMIT 1) AS entrances,
    (SELECT TRY_CAST(COALESCE(CAST(p.value.int_value AS VARCHAR), CAST(p.value.double_value AS VARCHAR),
                              CAST(p.value.float_value AS VARCHAR), CAST(p.value.string_value AS VARCHAR)) AS DOUBLE)
      FROM (SELECT UNNEST(event_params) AS p) WHERE p.key = 'engagement_time_msec' LIMIT 1)
      AS engagement_time_msec
  FROM events
  WHERE event_name IN ('page_view', 'user_engagement')
)
SELECT
  event_date,
  page_location,
  COUNT(*) FILTER (WHERE event_name = 'page_view') AS views,
  COUNT(DISTINCT user_pseudo_id) FILTER (WHERE event_name = 'page_view') AS users,
  COUNT(DISTINCT user_pseudo_id || '.' || ga_session_id)
    FILTER (WHERE event_name = 'page_view') AS sessions,
  COALESCE(SUM(entrances) FILTER (WHERE event_name = 'page_view'), 0) AS entrances,
  COALESCE(SUM(engagement_time_msec) FILTER (WHERE event_name = 'user_engagement'), 0) / 1000.0
    AS engaged_seconds
FROM e
WHERE page_location IS NOT NULL
GROUP BY event_date, page_location
ORDER BY event_date, page_location
"""

_JSON_COLUMNS = {
    "event_date": "VARCHAR", "event_name": "VARCHAR", "user_pseudo_id": "VARCHAR",
    "event_params": "STRUCT(key VARCHAR, value STRUCT(string_value VARCHAR, int_value VARCHAR, "
                    "float_value VARCHAR, double_value VARCHAR))[]",
}

#: The aggregated CSV layout (output of BIGQUERY_SQL).
ALIASES: Aliases = {
    "event_date": ("date", DATE, "*"), "page_location": ("url", URL, "*"),
    "views": ("views", COUNT, "*"), "users": ("users", COUNT, "*"),
    "sessions": ("sessions", COUNT, "*"), "entrances": ("entrances", COUNT, "*"),
    "engaged_seconds": ("engaged_seconds_total", NUMBER, "*"),
    "key_events": ("key_events", NUMBER, "*"),
}

_EVENT_METRICS = ("views", "users", "sessions", "entrances", "engaged_seconds_total",
                  "avg_engaged_seconds")
EVENT_SUFFIXES = (".json", ".ndjson", ".jsonl", ".parquet", ".pq")


def score(header: list[str], preamble: list[str]) -> int:
    keys = {header_key(h) for h in header}
    if not {"page_location", "event_date"} <= keys:
        return 0
    columns, _, _ = map_header(header, ALIASES)
    return len(columns) + 8


def import_section(doc, section, path, *, normalize, progress=None, member=None, ui_language=None):
    columns, _, _ = map_header(section.header, ALIASES)
    derived = {}
    if {"engaged_seconds_total", "users"} <= fields_of(columns):
        derived["avg_engaged_seconds"] = guard(
            "v_engaged_seconds_total / v_users if v_users else None", "engaged_seconds_total", "users")
    return build_export(SOURCE, path, doc, section, columns, normalize=normalize, derived=derived,
                        ui_language="en", progress=progress, member=member)


def looks_like_events(path: Path, head: bytes) -> bool:
    """True for a Parquet file or an NDJSON file whose first object has event_name/event_date."""
    if head[:4] == b"PAR1":
        return True
    if head[:2] == b"\x1f\x8b":  # gzip (bq extract --compression GZIP)
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 4096)
        except zlib.error:
            return False
    text = head.lstrip(b"\xef\xbb\xbf \r\n\t")
    if not text.startswith(b"{"):
        return False
    first = text.split(b"\n", 1)[0]
    try:
        obj = json.loads(first)
    except ValueError:
        return b'"event_name"' in first and b'"event_date"' in first
    return isinstance(obj, dict) and "event_name" in obj and "event_date" in obj


def import_events(path: Path, *, normalize, progress=None) -> TrafficExport:
    """Aggregate raw GA4 events (NDJSON or Parquet) per page and day with DuckDB."""
    import duckdb  # heavy optional library, loaded only for GA4 BigQuery event files

    path = Path(path)
    with open(path, "rb") as fh:
        magic = fh.read(4)
    parquet = magic == b"PAR1"
    compression = "gzip" if magic[:2] == b"\x1f\x8b" else "auto"
    literal = "'" + str(path).replace("'", "''") + "'"
    con = duckdb.connect()
    try:
        if parquet:
            con.execute(f"CREATE VIEW raw AS SELECT * FROM read_parquet({literal})")
            present = {row[0] for row in con.execute("DESCRIBE raw").fetchall()}
            missing = {"event_date", "event_name", "event_params"} - present
            if missing:
                raise TrafficImportError(path, "traffic-parquet-not-events",
                                         columns=", ".join(sorted(missing)))
            user = "user_pseudo_id" if "user_pseudo_id" in present else "NULL"
            con.execute(f"CREATE VIEW events AS SELECT event_date, event_name, {user} AS "
                        "user_pseudo_id, event_params FROM raw")
        else:
            cols = "{" + ", ".join(f"'{k}': '{v}'" for k, v in _JSON_COLUMNS.items()) + "}"
            con.execute(f"CREATE VIEW events AS SELECT * FROM read_json({literal}, format = "
                        f"'newline_delimited', compression = '{compression}', columns = {cols})")
        try:
            total_events = con.execute("SELECT count(*) FROM events").fetchone()[0]
            result = con.execute(DUCKDB_SQL).fetchall()
        except duckdb.Error as exc:
            raise TrafficImportError(path, "traffic-events-unreadable",
                                     error=(str(exc).splitlines() or [''])[0]) from exc
    finally:
        con.close()
    rows = []
    days: dict[str, object] = {}
    for i, (day, location, views, users, sessions, entrances, engaged) in enumerate(result, 1):
        d = days.get(day)
        if d is None and day:
            d = days[day] = parse_date(day)
        rows.append(TrafficRow(
            url=location, path=normalize(location), date=d, line=None, views=views, users=users,
            sessions=sessions, entrances=entrances, engaged_seconds_total=float(engaged),
            avg_engaged_seconds=(float(engaged) / users) if users else None))
        if progress is not None and not i % 20000:
            progress(i)
    if progress is not None:
        progress(len(rows))
    dates = [r.date for r in rows if r.date is not None]
    return TrafficExport(source=SOURCE, path=path, rows=rows,
                         start=min(dates) if dates else None, end=max(dates) if dates else None,
                         number_convention="typed values (no text numbers)", ui_language="en",
                         dimension="page_location", metrics=_EVENT_METRICS,
                         report=f"{total_events} events aggregated with DuckDB into {len(rows)} "
                                "page-day rows",
                         encoding="parquet" if parquet else "utf-8 (NDJSON)")
