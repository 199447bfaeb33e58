"""Each export layout, as the tools' UIs download it, in English and French."""
from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path

import pytest

from contentkit.analytics.traffic import (BIGQUERY_SQL, FORMATS, TrafficImportError, detect_format,
                                          import_export)

FIX = Path(__file__).parent / "fixtures" / "traffic"


def by_path(export):
    out = {}
    for row in export.rows:
        out.setdefault(row.path, []).append(row)
    return out


# --------------------------------------------------------------------------- GA4

def test_ga4_english_report_with_preamble():
    export = import_export(FIX / "ga4_pages_en.csv")
    assert export.source == "ga4" and export.ui_language == "en"
    assert (export.start, export.end) == (date(2025, 1, 1), date(2025, 3, 31))
    assert export.number_convention == "plain numbers (decimal point)"
    assert export.report == "Pages and screens: Page path and screen class"
    assert export.dimension == "Page path and screen class"
    assert not export.per_day
    first = export.rows[0]
    assert (first.url, first.path, first.line, first.views, first.users) == ("/", "/", 12, 1520, 998)
    assert first.engaged_seconds_total == pytest.approx(21.052110422084418 * 998)
    assert first.avg_engaged_seconds == pytest.approx(21.052110422084418)
    crm = by_path(export)["/blog/choisir-un-crm/"][0]
    assert (crm.key_events, crm.revenue) == (2, 149.9)
    # the utm-tagged duplicate normalises to the article's path
    assert len(by_path(export)["/2015/mon-article/"]) == 2
    assert by_path(export)["/feed.xml"][0].views == 12
    # the "Nth day" chart table is noted, not imported
    assert any("Nth day" in w.message and "not a page table" in w.message for w in export.warnings)


def test_ga4_french_report():
    export = import_export(FIX / "ga4_pages_fr.csv")
    assert export.source == "ga4" and export.ui_language == "fr"
    assert (export.start, export.end) == (date(2025, 1, 1), date(2025, 3, 31))
    assert export.dimension == "Chemin de la page et classe de l'écran"
    rows = by_path(export)
    assert rows["/2015/mon-article/"][0].views == 1164
    assert rows["/2015/mon-article/"][0].key_events == 3
    assert rows["/blog/choisir-un-crm/"][0].revenue == 149.9


def test_ga4_french_excel_resave_semicolons_and_decimal_commas(tmp_path):
    path = tmp_path / "ga4-fr-excel.csv"
    path.write_text(
        "# Date de début : 20250101\n# Date de fin : 20250131\n\n"
        "Chemin de la page et classe de l'écran;Vues;Utilisateurs actifs;"
        "Durée d'engagement moyenne par utilisateur actif;Événements clés\n"
        "/;1 234;998;21,5;0\n/a;1 000;500;35,25;3\n", encoding="cp1252")
    export = import_export(path)
    assert export.delimiter == ";" and export.encoding == "windows-1252"
    assert export.number_convention == "decimal comma, space thousands"
    assert [(r.views, r.avg_engaged_seconds) for r in export.rows] == [(1234, 21.5), (1000, 35.25)]


def test_ga4_exploration_with_date_dimension_and_totals_row():
    export = import_export(FIX / "ga4_exploration_date.csv")
    assert export.source == "ga4" and export.per_day
    assert (export.start, export.end) == (date(2025, 3, 1), date(2025, 3, 3))
    assert len(export.rows) == 7  # the "Grand total" row is not a page
    assert export.rows[0].date == date(2025, 3, 1) and export.rows[0].line == 12
    assert any("totals row" in w.message and w.line == 11 for w in export.warnings)
    assert sum(r.views for r in export.rows) == 515


def test_ga4_totals_row_page_location_and_second_table():
    export = import_export(FIX / "ga4_totals_multitable.csv")
    assert export.dimension == "Page location"
    assert [r.views for r in export.rows] == [900, 600, 30]  # no Total, no Organic table
    assert export.rows[1].path == "/2015/mon-article/" and export.rows[1].key_events == 3
    assert any("totals row" in w.message for w in export.warnings)
    assert any("another page table" in w.message for w in export.warnings)
    # site_hosts keeps a foreign host apart
    scoped = import_export(FIX / "ga4_totals_multitable.csv", site_hosts=["carnet.example.com"])
    assert [r.path for r in scoped.rows] == ["/", "/2015/mon-article/",
                                              "//translate.goog.example.net/2015/mon-article/"]


def test_ga4_pandas_resaved_preamble_with_unnamed_fillers():
    export = import_export(FIX / "ga4_exploration_date.csv")
    assert export.report == "Free form 1"


def test_ga4_page_title_dimension_rows_have_no_path(tmp_path):
    path = tmp_path / "titles.csv"
    path.write_text("# Start date: 20250101\n# End date: 20250131\n\n"
                    "Page title and screen class,Views,Active users\nMon article,10,5\n",
                    encoding="utf-8")
    export = import_export(path)
    assert export.rows[0].title == "Mon article" and export.rows[0].path is None


def test_ga4_conversions_older_name_and_exits(tmp_path):
    path = tmp_path / "old.csv"
    path.write_text("Page path,Views,Users,Exits,Conversions\n/a,200,100,50,4\n", encoding="utf-8")
    row = import_export(path).rows[0]
    assert (row.key_events, row.exit_rate) == (4, 0.25)


# --------------------------------------------------------------------------- Universal Analytics

def test_ua_english_formatted_values_summary_and_day_index():
    export = import_export(FIX / "ua_all_pages_en.csv")
    assert export.source == "universal_analytics"
    assert (export.start, export.end) == (date(2019, 1, 1), date(2019, 12, 31))
    assert export.number_convention == "decimal point, comma thousands"
    home = export.rows[0]
    assert (home.views, home.users, home.entrances) == (3047, 2500, 2001)
    assert home.bounce_rate == pytest.approx(0.1214) and home.exit_rate == pytest.approx(0.401)
    assert home.avg_engaged_seconds == 45
    assert home.engaged_seconds_total == pytest.approx(45 * 3047 * (1 - 0.401))
    tagged = export.rows[2]
    assert tagged.path == "/2015/mon-article/" and tagged.avg_engaged_seconds == 0.0  # <00:00:01
    assert len(export.rows) == 4  # summary row skipped
    assert any("summary row" in w.message for w in export.warnings)
    assert any("Day Index" in w.message for w in export.warnings)


def test_ua_french_spaces_percent_euro_crlf():
    export = import_export(FIX / "ua_all_pages_fr.csv")
    assert export.source == "universal_analytics" and export.ui_language == "fr"
    assert export.number_convention == "decimal comma, space thousands"
    home = export.rows[0]
    assert (home.views, home.users, home.entrances) == (3047, 2500, 2001)
    assert home.bounce_rate == pytest.approx(0.1214)
    assert export.rows[1].avg_engaged_seconds == 192


# --------------------------------------------------------------------------- Matomo

def test_matomo_flattened_csv_with_url_column():
    export = import_export(FIX / "matomo_flat.csv")
    assert export.source == "matomo"
    rows = by_path(export)
    assert set(rows) == {"/", "/blog/2015/mon-article/", "/blog/2015/autre-article/", "/blog/"}
    art = rows["/blog/2015/mon-article/"][0]
    assert (art.views, art.sessions, art.entrances) == (520, 400, 300)
    assert art.engaged_seconds_total == 62400  # sum_time_spent, exact
    assert art.bounce_rate == 0.6 and art.avg_engaged_seconds == 120


def test_matomo_hierarchical_labels_rebuilt():
    export = import_export(FIX / "matomo_hierarchical.csv")
    got = {r.url: r.views for r in export.rows}
    assert got == {"/blog/2015/mon-article": 520, "/blog/2015/autre-article": 100, "/blog/": 45,
                   "/": 1000, "/contact": 30}
    assert any("hierarchical" in w.message for w in export.warnings)
    assert not any("do not add up" in w.message for w in export.warnings)


def test_matomo_hierarchical_truncated_falls_back_with_warning(tmp_path):
    path = tmp_path / "trunc.csv"
    path.write_text("label,nb_visits,nb_hits\nblog,10,50\n/a,5,20\nOthers,3,3\n", encoding="utf-8")
    export = import_export(path)
    assert [r.url for r in export.rows] == ["/blog/a"]
    assert any("do not add up" in w.message for w in export.warnings)
    assert any("'Others'" in w.message for w in export.warnings)


def test_matomo_utf16_tsv_with_bom(tmp_path):
    text = ("label\tnb_uniq_visitors\tnb_visits\tnb_hits\tentry_nb_visits\tbounce_rate\t"
            "avg_time_on_page\texit_rate\n"
            "/index\t700\t820\t1000\t700\t35%\t00:00:50\t40%\n"
            "/mon-article\t300\t400\t520\t300\t60%\t00:02:00\t55%\n")
    path = tmp_path / "export.tsv"
    path.write_bytes(text.encode("utf-16"))  # BOM + UTF-16 LE on this platform
    export = import_export(path)
    assert export.source == "matomo" and export.delimiter == "\t"
    assert export.encoding.startswith("utf-16")
    assert [(r.path, r.views, r.users, r.bounce_rate) for r in export.rows] == [
        ("/", 1000, 700, 0.35), ("/mon-article/", 520, 300, 0.6)]


def test_matomo_french_headers():
    export = import_export(FIX / "matomo_fr.csv")
    assert export.source == "matomo" and export.ui_language == "fr"
    assert export.number_convention == "decimal comma, space thousands"
    home = export.rows[0]
    assert (home.path, home.views, home.sessions, home.bounce_rate) == ("/", 1250, 1020, 0.355)
    assert export.rows[1].exit_rate == pytest.approx(0.552)


# --------------------------------------------------------------------------- Plausible

def test_plausible_pages_csv_empty_cells_are_none():
    export = import_export(FIX / "plausible_pages.csv")
    assert export.source == "plausible"
    rows = by_path(export)
    home = rows["/"][0]
    assert (home.users, home.views, home.bounce_rate, home.scroll_depth) == (800, 1200, 0.45, 0.6)
    crm = rows["/blog/choisir-un-crm/"][0]
    assert crm.bounce_rate is None and crm.avg_engaged_seconds is None and crm.scroll_depth is None
    assert rows["/2015/mon-article/"][0].scroll_depth is None
    assert (export.start, export.end) == (None, None)


def _zip(path: Path, members: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_plausible_zip_period_from_name(tmp_path):
    pages = (FIX / "plausible_pages.csv").read_bytes()
    visitors = (FIX / "plausible_visitors.csv").read_bytes()
    z = _zip(tmp_path / "plausible-export-carnet.example.com-20250101-20250331.zip",
             {"visitors.csv": visitors, "sources.csv": "name,visitors\nGoogle,10\n", "pages.csv": pages})
    export = import_export(z)
    assert export.source == "plausible" and export.member == "pages.csv"
    assert (export.start, export.end) == (date(2025, 1, 1), date(2025, 3, 31))
    assert len(export.rows) == 4
    # no dates in the name: taken from visitors.csv
    z2 = _zip(tmp_path / "export.zip", {"visitors.csv": visitors, "pages.csv": pages})
    export2 = import_export(z2)
    assert (export2.start, export2.end) == (date(2025, 1, 1), date(2025, 3, 31))


# --------------------------------------------------------------------------- Search Console

def test_search_console_english():
    export = import_export(FIX / "gsc_pages_en.csv")
    assert export.source == "search_console"
    art = export.rows[0]
    assert (art.path, art.clicks, art.impressions, art.ctr, art.position) == (
        "/2015/mon-article/", 706, 21579, 0.0327, 4.64)
    assert export.rows[1].path == "/2015/mon-article/"  # fragment dropped


def test_search_console_french_numbers():
    export = import_export(FIX / "gsc_pages_fr.csv")
    assert export.source == "search_console" and export.ui_language == "fr"
    assert export.number_convention == "decimal comma, space thousands"
    art = export.rows[0]
    assert (art.clicks, art.impressions, art.ctr, art.position) == (1206, 21579, 0.0559, 4.6)
    assert export.rows[1].path == "/compatibilimetre/piscine-10-m%C2%B2/"


def test_search_console_zip_english_and_french(tmp_path):
    en = _zip(tmp_path / "carnet.example.com-Performance-on-Search-2025-04-01.zip", {
        "Queries.csv": "Top queries,Clicks,Impressions,CTR,Position\ncrm,3,10,30%,1.2\n",
        "Pages.csv": (FIX / "gsc_pages_en.csv").read_bytes(),
        "Dates.csv": (FIX / "gsc_dates.csv").read_bytes(),
        "Filters.csv": "Filter,Value\nSearch type,Web\nDate,Last 3 months\n",
    })
    export = import_export(en)
    assert export.source == "search_console" and export.member == "Pages.csv"
    assert (export.start, export.end) == (date(2025, 1, 1), date(2025, 3, 31))
    assert len(export.rows) == 4
    fr = _zip(tmp_path / "fr.zip", {
        "Requêtes.csv": "Requêtes les plus fréquentes,Clics,Impressions,CTR,Position\n",
        "Pages.csv": (FIX / "gsc_pages_fr.csv").read_bytes(),
        "Filtres.csv": "Filtre,Valeur\nType de recherche,Web\n",
    })
    export = import_export(fr)
    assert export.ui_language == "fr" and export.rows[0].clicks == 1206


def test_search_console_dates_alone_is_period_only():
    export = import_export(FIX / "gsc_dates.csv")
    assert export.rows == [] and (export.start, export.end) == (date(2025, 1, 1), date(2025, 3, 31))


def test_search_console_queries_refused(tmp_path):
    path = tmp_path / "Queries.csv"
    path.write_text("Top queries,Clicks,Impressions,CTR,Position\ncrm,3,10,30%,1.2\n", encoding="utf-8")
    with pytest.raises(TrafficImportError, match="Queries report"):
        import_export(path)


# --------------------------------------------------------------------------- GA4 BigQuery

def _events():
    def p(key, **value):
        return {"key": key, "value": {"string_value": None, "int_value": None,
                                      "float_value": None, "double_value": None, **value}}
    loc_a = "https://carnet.example.com/2015/mon-article/?utm_source=x"
    loc_b = "https://carnet.example.com/"
    return [
        {"event_date": "20250101", "event_timestamp": 1, "event_name": "page_view",
         "user_pseudo_id": "u1", "event_params": [p("page_location", string_value=loc_a),
                                                  p("ga_session_id", int_value=11),
                                                  p("entrances", int_value=1)]},
        {"event_date": "20250101", "event_timestamp": 2, "event_name": "page_view",
         "user_pseudo_id": "u1", "event_params": [p("page_location", string_value=loc_a),
                                                  p("ga_session_id", int_value=11)]},
        {"event_date": "20250101", "event_timestamp": 3, "event_name": "page_view",
         "user_pseudo_id": "u2", "event_params": [p("page_location", string_value=loc_a),
                                                  p("ga_session_id", int_value=22),
                                                  p("entrances", int_value=1)]},
        {"event_date": "20250101", "event_timestamp": 4, "event_name": "user_engagement",
         "user_pseudo_id": "u1", "event_params": [p("page_location", string_value=loc_a),
                                                  p("engagement_time_msec", int_value=4500)]},
        {"event_date": "20250101", "event_timestamp": 5, "event_name": "scroll",
         "user_pseudo_id": "u1", "event_params": [p("page_location", string_value=loc_a)]},
        {"event_date": "20250102", "event_timestamp": 6, "event_name": "page_view",
         "user_pseudo_id": "u3", "event_params": [p("page_location", string_value=loc_b),
                                                  p("ga_session_id", int_value=33)]},
        {"event_date": "20250102", "event_timestamp": 7, "event_name": "user_engagement",
         "user_pseudo_id": "u3", "event_params": [p("page_location", string_value=loc_b),
                                                  p("engagement_time_msec", int_value=1500)]},
    ]


def _check_bigquery(export):
    assert export.source == "ga4_bigquery" and export.per_day
    rows = {(r.path, r.date): r for r in export.rows}
    a = rows[("/2015/mon-article/", date(2025, 1, 1))]
    assert (a.views, a.users, a.sessions, a.entrances) == (3, 2, 2, 1 + 1)
    assert a.engaged_seconds_total == 4.5 and a.avg_engaged_seconds == 2.25
    b = rows[("/", date(2025, 1, 2))]
    assert (b.views, b.users, b.engaged_seconds_total) == (1, 1, 1.5)
    assert (export.start, export.end) == (date(2025, 1, 1), date(2025, 1, 2))


def test_bigquery_ndjson_with_int64_as_strings(tmp_path):
    lines = []
    for event in _events():
        for param in event["event_params"]:
            if param["value"]["int_value"] is not None:  # BigQuery JSON writes INT64 as strings
                param["value"]["int_value"] = str(param["value"]["int_value"])
        event["event_timestamp"] = str(event["event_timestamp"])
        lines.append(json.dumps(event))
    path = tmp_path / "events_20250101.json"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _check_bigquery(import_export(path))
    gz = tmp_path / "events_20250101.json.gz"  # bq extract --compression GZIP
    import gzip
    gz.write_bytes(gzip.compress(path.read_bytes()))
    _check_bigquery(import_export(gz))


def test_bigquery_parquet(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    value = pa.struct([("string_value", pa.string()), ("int_value", pa.int64()),
                       ("float_value", pa.float64()), ("double_value", pa.float64())])
    schema = pa.schema([("event_date", pa.string()), ("event_timestamp", pa.int64()),
                        ("event_name", pa.string()), ("user_pseudo_id", pa.string()),
                        ("event_params", pa.list_(pa.struct([("key", pa.string()),
                                                             ("value", value)])))])
    path = tmp_path / "events.parquet"
    pq.write_table(pa.Table.from_pylist(_events(), schema=schema), path)
    _check_bigquery(import_export(path))


def test_bigquery_aggregate_csv_layout():
    export = import_export(FIX / "ga4_bigquery_aggregate.csv")
    assert export.source == "ga4_bigquery" and export.per_day
    assert [r.path for r in export.rows] == ["/2015/mon-article/", "/2015/mon-article/", "/"]
    assert export.rows[0].engaged_seconds_total == 301.5
    assert export.rows[0].avg_engaged_seconds == pytest.approx(301.5 / 8)


def test_bigquery_sql_output_columns_match_the_aggregate_layout():
    for column in ("event_date", "page_location", "views", "users", "sessions", "entrances",
                   "engaged_seconds"):
        assert f"AS {column}" in BIGQUERY_SQL or f"  {column}," in BIGQUERY_SQL
    header = (FIX / "ga4_bigquery_aggregate.csv").read_text().splitlines()[0]
    assert header == "event_date,page_location,views,users,sessions,entrances,engaged_seconds"


# --------------------------------------------------------------------------- detection & errors

@pytest.mark.parametrize("name, source", [
    ("ga4_pages_en.csv", "ga4"), ("ga4_pages_fr.csv", "ga4"), ("ua_all_pages_en.csv", "universal_analytics"),
    ("ua_all_pages_fr.csv", "universal_analytics"), ("matomo_flat.csv", "matomo"),
    ("matomo_fr.csv", "matomo"), ("plausible_pages.csv", "plausible"),
    ("gsc_pages_en.csv", "search_console"), ("gsc_pages_fr.csv", "search_console"),
    ("ga4_bigquery_aggregate.csv", "ga4_bigquery"),
])
def test_detect_format(name, source):
    assert detect_format(FIX / name) == source


def test_unknown_format_error_lists_formats(tmp_path):
    path = tmp_path / "weird.csv"
    path.write_text("foo,bar\n1,2\n", encoding="utf-8")
    with pytest.raises(TrafficImportError) as info:
        import_export(path)
    err = info.value
    assert err.path == str(path) and err.line == 1
    assert "not a known traffic export" in err.message and "'foo,bar'" in err.message
    for name in FORMATS:
        assert f"- {name}:" in err.hint
    assert "Top pages,Clicks,Impressions,CTR,Position" in err.hint
    assert "--format" in err.hint


def test_forced_format_must_fit(tmp_path):
    with pytest.raises(TrafficImportError, match="does not look like a matomo export"):
        import_export(FIX / "gsc_pages_en.csv", format="matomo")
    assert import_export(FIX / "ga4_pages_en.csv", format="GA4").source == "ga4"
    with pytest.raises(TrafficImportError, match="unknown format"):
        import_export(FIX / "ga4_pages_en.csv", format="omniture")


def test_ga4_report_not_per_page_is_explained(tmp_path):
    path = tmp_path / "acq.csv"
    path.write_text("# Traffic acquisition: Session primary channel group (Default Channel Group)\n"
                    "# Start date: 20250101\n# End date: 20250131\n\n"
                    "Session primary channel group (Default Channel Group),Sessions\nDirect,10\n",
                    encoding="utf-8")
    with pytest.raises(TrafficImportError, match="not per page") as info:
        import_export(path)
    assert "Pages and screens" in info.value.hint


def test_bad_rows_reported_with_line_numbers_not_zeroed(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("# Start date: 20250101\n# End date: 20250131\n\n"
                    "Page path,Views,Active users\n/a,10,5\n/b,oops,5\n/c,7\n/d,3,2\n",
                    encoding="utf-8")
    export = import_export(path)
    assert [r.path for r in export.rows] == ["/a/", "/d/"]
    lines = {p.line: p.message for p in export.problems}
    assert set(lines) == {6, 7}
    assert "'Views' = 'oops'" in lines[6]
    assert "2 cell(s)" in lines[7]


def test_bad_row_in_formatted_file(tmp_path):
    path = tmp_path / "ua.csv"
    path.write_text("# 20190101-20191231\n\nPage,Pageviews,Bounce Rate\n"
                    '/a,"1,234",12.5%\n/b,n.c.,3%\n', encoding="utf-8")
    export = import_export(path)
    assert [r.views for r in export.rows] == [1234]
    assert export.problems[0].line == 5 and "'Pageviews'" in export.problems[0].message


def test_progress_callback_reports_rows(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("Page path,Views\n" + "".join(f"/p{i},{i}\n" for i in range(45000)),
                    encoding="utf-8")
    seen = []
    export = import_export(path, progress=seen.append)
    assert len(export.rows) == 45000
    assert seen[:2] == [20000, 40000] and seen[-1] == 45000


@pytest.mark.parametrize("bom, encoding", [(b"\xef\xbb\xbf", "utf-8"), (b"", "utf-16-le"),
                                           (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le")])
def test_encodings_and_boms(tmp_path, bom, encoding):
    text = "Top pages\tClicks\tImpressions\tCTR\tPosition\r\nhttps://a.example/é/\t3\t100\t3%\t4\r\n\r\n\r\n"
    path = tmp_path / "p.tsv"
    path.write_bytes(bom + text.encode(encoding))
    export = import_export(path)
    assert export.rows[0].path == "/%C3%A9/" and export.rows[0].clicks == 3
    assert len(export.rows) == 1


def test_missing_file():
    with pytest.raises(TrafficImportError, match="file not found"):
        import_export(FIX / "nope.csv")


def test_ga4_comparison_export_keeps_first_date_range(tmp_path):
    path = tmp_path / "cmp.csv"
    path.write_text("# Start date: 20250101\n# End date: 20250131\n\n"
                    "Page path,Date range,Views\n/a,Jan 1 - Jan 31 2025,10\n"
                    "/a,Dec 1 - Dec 31 2024,8\n", encoding="utf-8")
    export = import_export(path)
    assert [r.views for r in export.rows] == [10]
    assert "comparison export" in export.warnings[0].message
