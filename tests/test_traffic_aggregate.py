"""aggregate_by_path: sums, weighted rates, no double counting of overlapping exports."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from contentkit.analytics.traffic import aggregate_by_path, import_export
from contentkit.analytics.traffic.model import TrafficExport, TrafficRow

FIX = Path(__file__).parent / "fixtures" / "traffic"


def ga4_days(tmp_path, name, start, end, rows):
    text = (f"# Start date: {start}\n# End date: {end}\n\n"
            "Date,Page path,Views,Active users,Bounce rate\n"
            + "".join(f"{d},{p},{v},{u},{b}\n" for d, p, v, u, b in rows))
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return import_export(path)


def ga4_period(tmp_path, name, start, end, rows):
    text = (f"# Start date: {start}\n# End date: {end}\n\n"
            "Page path,Views,Active users,Bounce rate\n"
            + "".join(f"{p},{v},{u},{b}\n" for p, v, u, b in rows))
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return import_export(path)


def test_overlapping_ga4_day_exports_not_double_counted(tmp_path):
    jan = ga4_days(tmp_path, "a.csv", "20250101", "20250103", [
        ("20250101", "/a", 10, 5, 0.5), ("20250102", "/a", 20, 10, 0.5),
        ("20250103", "/a", 30, 15, 0.5)])
    overlap = ga4_days(tmp_path, "b.csv", "20250102", "20250104", [
        ("20250102", "/a", 20, 10, 0.5), ("20250103", "/a", 30, 15, 0.5),
        ("20250104", "/a", 40, 20, 0.5), ("20250103", "/b", 7, 7, 0.0)])
    pages = aggregate_by_path([jan, overlap])
    assert pages["/a/"].views == 10 + 20 + 30 + 40
    assert pages["/b/"].views == 7  # a page the first file does not have on that day is kept
    assert any("2 per-day row(s) left out" in w.message for w in pages.warnings)
    # order of the files does not matter for the totals
    assert aggregate_by_path([overlap, jan])["/a/"].views == 100


def test_overlapping_period_exports_keep_one_and_warn(tmp_path):
    q1 = ga4_period(tmp_path, "q1.csv", "20250101", "20250331", [("/a", 100, 50, 0.5)])
    h1 = ga4_period(tmp_path, "h1.csv", "20250101", "20250630", [("/a", 250, 120, 0.4)])
    q3 = ga4_period(tmp_path, "q3.csv", "20250701", "20250930", [("/a", 80, 40, 0.6)])
    pages = aggregate_by_path([q1, h1, q3])
    assert pages["/a/"].views == 250 + 80  # h1 (longer) kept, q1 dropped, q3 does not overlap
    assert pages.skipped == [q1]
    assert any("q1.csv" in w.file and "overlaps" in w.message for w in pages.warnings)
    assert pages["/a/"].bounce_rate == pytest.approx((0.4 * 250 + 0.6 * 80) / 330)


def test_day_rows_inside_a_kept_period_are_left_out(tmp_path):
    period = ga4_period(tmp_path, "q1.csv", "20250101", "20250331", [("/a", 100, 50, 0.5)])
    days = ga4_days(tmp_path, "d.csv", "20250330", "20250402", [
        ("20250330", "/a", 5, 5, 0.5), ("20250401", "/a", 7, 7, 0.5)])
    pages = aggregate_by_path([period, days])
    assert pages["/a/"].views == 107
    assert any("covered by a ga4 period file" in w.message for w in pages.warnings)


def test_same_period_file_given_twice(tmp_path):
    a = import_export(FIX / "ga4_pages_en.csv")
    b = import_export(FIX / "ga4_pages_en.csv")
    pages = aggregate_by_path([a, b])
    assert pages["/"].views == 1520
    assert len(pages.skipped) == 1


def test_unknown_period_files_of_one_source(tmp_path):
    a = import_export(FIX / "plausible_pages.csv")
    b = import_export(FIX / "plausible_pages.csv")
    pages = aggregate_by_path([a, b])
    assert pages["/"].views == 1200
    assert any("period is unknown" in w.message for w in pages.warnings)


def test_rows_of_one_file_normalising_to_one_path_add_up():
    pages = aggregate_by_path([import_export(FIX / "ga4_pages_en.csv")])
    art = pages["/2015/mon-article/"]
    assert art.views == 1164 + 52
    assert art.sources["ga4"].rows == 2
    assert set(art.urls) == {"/2015/mon-article/",
                             "/2015/mon-article?utm_source=newsletter&utm_medium=email"}
    # engagement average combined on its own basis (total / users), not a plain average
    assert art.avg_engaged_seconds == pytest.approx(
        (35.344622501239 * 605 + 12.5 * 40) / (605 + 40))


def test_search_console_position_weighted_by_impressions():
    pages = aggregate_by_path([import_export(FIX / "gsc_pages_en.csv")])
    art = pages["/2015/mon-article/"]  # the article and its #fragment row
    assert art.clicks == 712 and art.impressions == 21979
    assert art.position == pytest.approx((4.64 * 21579 + 12.25 * 400) / 21979)
    assert art.position != pytest.approx((4.64 + 12.25) / 2)
    assert art.ctr == pytest.approx(712 / 21979)


def test_bounce_rate_weighted_by_entrances():
    pages = aggregate_by_path([import_export(FIX / "ua_all_pages_en.csv")])
    art = pages["/2015/mon-article/"]
    assert art.views == 1234 + 150 and art.entrances == 870 + 140
    assert art.bounce_rate == pytest.approx((0.75 * 870 + 0.9 * 140) / 1010)
    assert art.exit_rate == pytest.approx((0.6 * 1234 + 0.95 * 150) / 1384)


def test_sources_side_by_side():
    ga4 = import_export(FIX / "ga4_pages_en.csv")
    gsc = import_export(FIX / "gsc_pages_en.csv")
    plausible = import_export(FIX / "plausible_pages.csv")
    pages = aggregate_by_path([gsc, plausible, ga4])
    art = pages["/2015/mon-article/"]
    assert set(art.sources) == {"ga4", "search_console", "plausible"}
    assert art.views == 1164 + 52 and art.metric_sources["views"] == "ga4"
    assert art.clicks == 712 and art.metric_sources["clicks"] == "search_console"
    assert art.sources["plausible"].views == 410  # kept apart, never added to GA4's
    assert art.scroll_depth is None  # Plausible had no scroll depth for this page
    assert pages["/"].scroll_depth == 0.6 and pages["/"].metric_sources["scroll_depth"] == "plausible"
    assert pages.warnings == []


def test_ui_and_different_periods_of_one_source_add_up(tmp_path):
    q1 = ga4_period(tmp_path, "q1.csv", "20250101", "20250331", [("/a", 100, 50, 0.5)])
    q2 = ga4_period(tmp_path, "q2.csv", "20250401", "20250630", [("/a", 50, 20, 0.2)])
    pages = aggregate_by_path([q1, q2])
    page = pages["/a/"]
    assert page.views == 150 and page.users == 70
    assert page.sources["ga4"].first_date == date(2025, 1, 1)
    assert page.sources["ga4"].last_date == date(2025, 6, 30)


def test_title_rows_are_left_out_with_warning():
    export = TrafficExport(source="ga4", path=Path("t.csv"), start=date(2025, 1, 1),
                           end=date(2025, 1, 31),
                           rows=[TrafficRow(url="Mon article", path=None, title="Mon article",
                                            views=3)])
    pages = aggregate_by_path([export])
    assert dict(pages) == {} and "page title only" in pages.warnings[0].message


def test_none_stays_none_and_zero_stays_zero():
    pages = aggregate_by_path([import_export(FIX / "plausible_pages.csv")])
    crm = pages["/blog/choisir-un-crm/"]
    assert crm.bounce_rate is None and crm.avg_engaged_seconds is None
    assert crm.views == 60
    gsc = aggregate_by_path([import_export(FIX / "gsc_pages_en.csv")])
    assert gsc["/blog/choisir-un-crm/"].clicks == 0


def test_exports_of_two_different_sites_do_not_exclude_each_other(tmp_path):
    a = tmp_path / "a.csv"
    a.write_text("Top pages,Clicks,Impressions,CTR,Position\nhttps://a.example/x/,3,100,3%,4\n",
                 encoding="utf-8")
    b = tmp_path / "b.csv"
    b.write_text("Top pages,Clicks,Impressions,CTR,Position\nhttps://b.example/y/,5,50,10%,2\n",
                 encoding="utf-8")
    pages = aggregate_by_path([import_export(a), import_export(b)])
    assert pages["/x/"].clicks == 3 and pages["/y/"].clicks == 5
    assert pages.warnings == []


def test_merge_report_lists_file_notes_row_problems_and_merge_decisions(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("# Start date: 20250101\n# End date: 20250131\n\nPage path,Views\n/a,1\n/b,x\n",
                   encoding="utf-8")
    same = tmp_path / "same.csv"
    same.write_text("# Start date: 20250115\n# End date: 20250120\n\nPage path,Views\n/a,1\n",
                    encoding="utf-8")
    pages = aggregate_by_path([import_export(bad), import_export(same)])
    messages = [(p.line, p.message) for p in pages.all_problems()]
    assert any(line == 6 and "'Views' = 'x'" in m for line, m in messages)
    assert any("overlaps" in m for _, m in messages)
