"""The editorial report opened in headless Chromium: verdict and charts visible, nothing leaves
the machine (every request is recorded; only file:// and data: URLs are allowed)."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no Debian chromium")


@pytest.fixture(scope="module")
def report_file(tmp_path_factory) -> Path:
    from contentkit.commands.analyze import analyze

    out = tmp_path_factory.mktemp("reports")
    result = CliRunner().invoke(analyze, ["--root", str(ROOT), "--output", str(out), "--no-cache"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    path = out / "editorial-report.html"
    assert path.is_file()
    return path


def test_report_in_chromium(report_file, tmp_path):
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.on("request", lambda r: requests.append(r.url))
            page.goto(report_file.as_uri(), wait_until="load")
            verdict = page.locator("#verdict")
            assert verdict.is_visible()
            box = verdict.bounding_box()
            assert box and box["width"] > 0 and box["height"] > 0
            code = verdict.get_attribute("data-verdict")
            assert code in ("longer_better", "shorter_better", "no_clear_difference",
                            "insufficient_data")
            assert code in verdict.inner_text()
            charts = page.locator("svg.chart")
            assert charts.count() >= 5
            first = charts.first
            first.scroll_into_view_if_needed()
            cbox = first.bounding_box()
            assert cbox and cbox["width"] > 100 and cbox["height"] > 50
            assert page.locator("svg.chart circle.dot").count() >= 20
            # every dot carries its article title for hover
            assert page.locator("svg.chart circle.dot > title").count() == \
                page.locator("svg.chart circle.dot").count()
            # sortable table works
            header = page.locator("#articles-table thead th button").nth(2)
            header.click()
            assert page.locator("#articles-table thead th").nth(2).get_attribute("aria-sort") == "ascending"
            shot = tmp_path / "report.png"
            page.screenshot(path=str(shot), full_page=False)
            assert shot.stat().st_size > 10_000
        finally:
            browser.close()
    assert requests, "the page load itself is recorded"
    leaving = [u for u in requests if not u.startswith(("file://", "data:"))]
    assert leaving == []


def test_report_is_self_contained(report_file):
    html = report_file.read_text(encoding="utf-8")
    for needle in ("http://", "https://"):
        # the only absolute URLs allowed are the SVG namespace and text shown in tables
        for line in html.splitlines():
            if needle in line and "xmlns=" not in line:
                assert "src=" not in line and "href=\"http" not in line, line
    assert "<script src" not in html and "<link" not in html
