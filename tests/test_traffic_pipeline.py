"""The stages of `contentkit analyze --traffic` (analytics/traffic_analysis.py), as a user reads
their result: which articles take part in the length test, and why the others do not."""
from __future__ import annotations

from datetime import date

from contentkit.analytics.article_report import analyze_site
from contentkit.analytics.traffic_analysis import analyze_traffic, columns
from contentkit.build import load_site

GA4 = """# Start date: {start:%Y%m%d}
# End date: {end:%Y%m%d}

Page path and screen class,Views,Active users
"""


def site_with_traffic(tmp_path, language: str = "fr"):
    root = tmp_path / "site"
    posts = {"ancien": "2023-05-01", "janvier": "2024-01-10", "novembre": "2024-11-15",
             "apres": "2025-03-01"}
    (root / "content" / "posts").mkdir(parents=True)
    (root / "contentkit.yml").write_text(f"title: T\nlanguage: {language}\nbase_url: https://t.example/\n")
    for slug, day in posts.items():
        (root / "content" / "posts" / f"{slug}.md").write_text(
            f"---\ntitle: {slug.capitalize()}\ndate: {day}\n---\n" + " ".join(["mot"] * 400) + "\n")
    export = tmp_path / "ga4.csv"
    # "ancien" is not in the export; the others are
    export.write_text(GA4.format(start=date(2024, 1, 1), end=date(2024, 12, 31))
                      + "/2024/janvier/,3000,1500\n/2024/novembre/,400,200\n/2025/apres/,10,5\n")
    site = load_site(root, use_cache=False)
    report = analyze_site(site)
    return report, analyze_traffic(report, site, [export])


def test_each_article_says_why_it_is_left_out_of_the_length_test(tmp_path):
    report, state = site_with_traffic(tmp_path)
    why = {a.title: a.extra["traffic"]["excluded"] for a in report.articles}
    assert why == {
        "Janvier": None,
        "Novembre": "en ligne 47 jours dans la fenêtre (< 90)",
        "Apres": "publié après la fin de la fenêtre d'export",
        "Ancien": "absent de l'export principal (zéro vue ou export tronqué)",
    }
    eligible = {a.title: a.extra["traffic"]["eligible"] for a in report.articles}
    assert eligible == {"Janvier": True, "Novembre": False, "Apres": False, "Ancien": False}
    # the CSV columns say the same
    cols = {c.name: c for c in columns(state)}
    janvier = next(a for a in report.articles if a.title == "Janvier")
    assert cols["length_test"].get(janvier) == "included"
    assert cols["excluded_because"].get(janvier) == ""


def test_exposure_and_outcome_of_a_period_export(tmp_path):
    report, state = site_with_traffic(tmp_path, language="en")
    janvier = next(a for a in report.articles if a.title == "Janvier")
    traffic = janvier.extra["traffic"]
    # live from 10 January to 31 December 2024: 357 days; views per day live
    assert traffic["days_live"] == 357
    assert traffic["kpis"]["views_per_day"] == 3000 / 357
    outcome = report.extra["length_norm"]["outcome"]
    assert outcome["mode"] == "window" and outcome["window"] == ["2024-01-01", "2024-12-31"]
    novembre = next(a for a in report.articles if a.title == "Novembre")
    assert novembre.extra["traffic"]["excluded"] == "live 47 days in the window (< 90)"
    assert list(state["timings"]) == ["import", "merge", "records", "stats", "history_links"]
    assert report.extra["traffic"]["articles_matched"] == 3
