"""Matching traffic exports to articles (contentkit/analytics/merge.py)."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from contentkit.analytics.article_report import analyze_site
from contentkit.analytics.merge import ArticleKey, exposure, merge_traffic, url_index
from contentkit.analytics.report import render_report
from contentkit.analytics.traffic import import_export, normalize_url
from contentkit.analytics.traffic_analysis import analyze_traffic

GA4_HEAD = """# ----------------------------------------
# Pages and screens: Page path and screen class
# Account: Test
# Property: carnet.example.com - GA4
# ----------------------------------------
#
# All Users
# Start date: {start:%Y%m%d}
# End date: {end:%Y%m%d}

"""


def ga4_period(tmp: Path, name: str, start: date, end: date, rows: list[tuple[str, int]]) -> Path:
    text = GA4_HEAD.format(start=start, end=end) + "Page path and screen class,Views,Active users\n"
    text += "".join(f"{p},{v},{max(1, v // 2)}\n" for p, v in rows)
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


def ga4_daily(tmp: Path, name: str, start: date, end: date, rows: dict[str, int]) -> Path:
    text = GA4_HEAD.format(start=start, end=end).replace("Pages and screens: Page path and screen class",
                                                         "Free form 1")
    text += "Date,Page path and screen class,Views,Active users\n"
    d = start
    while d <= end:
        text += "".join(f"{d:%Y%m%d},{p},{v},{v}\n" for p, v in rows.items())
        d += timedelta(days=1)
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


ART = [
    ArticleKey("a.md", "/blog/2015/mon-article/", ("/old/mon-article/",), date(2015, 3, 1), "A"),
    ArticleKey("b.md", "/blog/2025/nouveau/", (), date(2025, 3, 2), "B"),
    ArticleKey("c.md", "/blog/2024/sans-trafic/", (), date(2024, 1, 1), "C"),
]
Q1 = (date(2025, 1, 1), date(2025, 3, 31))


def test_url_variants_match_permalinks_and_aliases(tmp_path):
    path = ga4_period(tmp_path, "ga4.csv", *Q1, [
        ("/blog/2015/mon-article", 10),                                   # no trailing slash
        ("https://www.carnet.example.com/blog/2015/mon-article/?utm_source=x", 20),  # full URL
        ("/2015/mon-article/index.html", 30),                             # without the base path
        ("/blog/2015/Mon-Article/", 40),                                  # case
        ("/old/mon-article", 50),                                         # alias
        ("/blog/2025/nouveau/", 7),
    ])
    exp = import_export(path, site_hosts=["carnet.example.com"])
    res = merge_traffic(ART, [exp], root_path="/blog/")
    a = res.by_source()["a.md"]
    assert a.sources["ga4"].metrics["views"] == 150
    assert sorted(a.paths) == ["/2015/mon-article/", "/blog/2015/mon-article/", "/old/mon-article/"]
    assert res.by_source()["b.md"].sources["ga4"].metrics["views"] == 7
    assert res.unmatched == []
    assert [k.source for k in res.no_traffic] == ["c.md"]


def test_search_console_fragments_and_hosts():
    idx = url_index(ART, "/blog/")
    assert idx[normalize_url("https://carnet.example.com/blog/2015/mon-article/#pourquoi")] == 0
    assert idx[normalize_url("/old/mon-article/")] == 0
    # a permalink wins over another article's alias
    keys = [ArticleKey("x.md", "/a/", ("/b/",)), ArticleKey("y.md", "/b/")]
    assert url_index(keys)["/b/"] == 1


def test_unmatched_rows_largest_first(tmp_path):
    path = ga4_period(tmp_path, "ga4.csv", *Q1, [
        ("/contact/", 5), ("/", 100), ("/blog/2015/mon-article/", 3), ("/x/", 50)])
    res = merge_traffic(ART, [import_export(path)], root_path="/blog/")
    assert [u.path for u in res.unmatched] == ["/", "/x/", "/contact/"]
    assert [u.size for u in res.unmatched] == [100, 50, 5]
    assert res.unmatched[0].measure == "views"


def test_overlapping_exports_of_one_source_are_not_double_counted(tmp_path):
    one = ga4_period(tmp_path, "q1.csv", *Q1, [("/blog/2015/mon-article/", 100)])
    same = ga4_period(tmp_path, "q1-again.csv", *Q1, [("/blog/2015/mon-article/", 100)])
    q2 = ga4_period(tmp_path, "q2.csv", date(2025, 4, 1), date(2025, 6, 30),
                    [("/blog/2015/mon-article/", 60)])
    exports = [import_export(p) for p in (one, same, q2)]
    res = merge_traffic(ART, exports, root_path="/blog/")
    sm = res.by_source()["a.md"].sources["ga4"]
    assert sm.metrics["views"] == 160                  # q1 once + q2
    assert sm.window == (date(2025, 1, 1), date(2025, 6, 30))
    assert any("overlaps" in w.message for w in res.warnings)


def test_overlapping_per_day_exports_count_each_page_day_once(tmp_path):
    jan = ga4_daily(tmp_path, "jan.csv", date(2025, 1, 1), date(2025, 1, 31),
                    {"/blog/2015/mon-article/": 2})
    mid = ga4_daily(tmp_path, "mid.csv", date(2025, 1, 20), date(2025, 2, 9),
                    {"/blog/2015/mon-article/": 2})
    res = merge_traffic(ART, [import_export(jan), import_export(mid)], root_path="/blog/")
    sm = res.by_source()["a.md"].sources["ga4"]
    assert sm.metrics["views"] == 2 * 40               # 40 distinct days, not 31 + 21
    assert res.daily is not None and res.daily[0].sum() == 80
    assert res.daily_start == date(2025, 1, 1) and res.daily_days.all()
    assert sm.days_live == 40


def test_sources_stand_side_by_side(tmp_path):
    ga = ga4_period(tmp_path, "ga4.csv", *Q1, [("/blog/2015/mon-article/", 100)])
    gsc = tmp_path / "gsc.csv"
    gsc.write_text("Top pages,Clicks,Impressions,CTR,Position\n"
                   "https://carnet.example.com/blog/2015/mon-article/,40,1000,4%,5.5\n"
                   "https://carnet.example.com/blog/2015/mon-article/#x,2,100,2%,9\n",
                   encoding="utf-8")
    res = merge_traffic(ART, [import_export(ga), import_export(gsc)], root_path="/blog/")
    a = res.by_source()["a.md"]
    assert a.sources["ga4"].metrics["views"] == 100
    assert a.sources["search_console"].metrics["clicks"] == 42
    assert "views" not in a.sources["search_console"].metrics
    assert res.primary == "ga4"


def test_exposure_normalisation(tmp_path):
    # window Q1 2025 = 90 days; B published on 2 March: live 30 days
    assert exposure(Q1, date(2025, 3, 2)) == (30, 30)
    assert exposure(Q1, date(2015, 3, 1)) == (90, (date(2025, 3, 31) - date(2015, 3, 1)).days + 1)
    assert exposure(Q1, date(2025, 4, 2))[0] == 0      # published after the window
    path = ga4_period(tmp_path, "ga4.csv", *Q1, [("/blog/2015/mon-article/", 900),
                                                 ("/blog/2025/nouveau/", 300)])
    res = merge_traffic(ART, [import_export(path)], root_path="/blog/")
    a, b = res.by_source()["a.md"], res.by_source()["b.md"]
    assert a.sources["ga4"].rate("views") == pytest.approx(10.0)
    # same per-day rate although B has a third of A's views: it was online a third of the time
    assert b.sources["ga4"].rate("views") == pytest.approx(10.0)


def test_traffic_analysis_end_to_end_on_demo_traffic(make_site, tmp_path):
    """The analyze enricher on a small site: columns, verdict block, report written."""
    site = make_site(config="title: T\nlanguage: en\nbase_url: https://t.example/\n", name="site")
    rows = []
    for i in range(6):
        site.post(f"p{i}", f"Post {i}", f"2024-0{i + 1}-01", body=" ".join(["word"] * (200 + 300 * i)))
        rows.append((f"/2024/post-{i}/", 100 * (i + 1)))
    rows.append(("/unknown/", 999))
    exp = ga4_period(tmp_path, "ga4.csv", date(2024, 1, 1), date(2024, 12, 31), rows)
    model = site.load(use_cache=False)
    report = analyze_site(model)
    state = analyze_traffic(report, model, [exp])
    ln = report.extra["length_norm"]
    assert ln["verdict"] == "insufficient_data" and ln["n"] == 6
    assert report.extra["traffic"]["unmatched"][0]["path"] == "/unknown/"
    a = report.articles[0]
    assert a.extra["traffic"]["kpis"]["views_per_day"] is not None
    html = render_report(state)
    assert 'data-verdict="insufficient_data"' in html and "<svg" in html
