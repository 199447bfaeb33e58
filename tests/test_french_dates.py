"""French writes the first day of a month as an ordinal, "1er septembre 2024", where Babel (CLDR)
gives "1 septembre" (issue 18, item 8). The theme's `date` and `datetime` filters write it, as plain
text (no <sup>: the same string serves pages, attributes and feeds); English stays "September 1"."""
from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from contentkit.dates import first_day_ordinal, format_day, format_moment

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 1, 1, tzinfo=PARIS)


def _times(doc, xpath: str) -> list[str]:
    return [" ".join(t.text_content().split()) for t in doc.xpath(xpath)]


@pytest.fixture
def blog(make_site):
    site = make_site(now=NOW)
    site.post("rentree", title="La rentrée", date="2024-09-01", updated="2024-11-01 10:00",
              tags=["cloud"], body="Texte.\n")
    site.post("onze", title="Le onze", date="2024-09-11", tags=["cloud"], body="Texte.\n")
    site.post("fevrier", title="Premier février", date="2025-02-01 23:30", tags=["cloud"], body="Texte.\n")
    site.post("webinaire", title="Un webinaire", date="2024-06-03", tags=["cloud"], body="Texte.\n",
              event={"start": "2025-08-01 11:00", "end": "2025-08-01 12:00", "location": "En ligne"})
    return site


def test_french_pages_write_1er_for_the_first_day(blog):
    blog.build(use_cache=False)
    article = blog.html("/2024/la-rentree/")
    assert _times(article, "//p[@class='byline']//time | //*[contains(@class,'byline')]//time")[0] == "1er septembre 2024"
    assert _times(article, "//p[@class='updated']/time") == ["1er novembre 2024"]
    assert blog.html("/2024/le-onze/").xpath("//time")[0].text == "11 septembre 2024"
    # The late evening of February 1st stays February 1st (the site's timezone).
    assert blog.html("/2025/premier-fevrier/").xpath("//time")[0].text == "1er février 2025"
    # Lists (home page cards) print the same dates.
    home = " ".join(blog.html("/").text_content().split())
    assert "1er septembre 2024" in home and "1er février 2025" in home and "11 septembre 2024" in home
    assert not re.search(r"(?<!\d)1 (septembre|février)", home)


def test_the_event_date_and_time_write_1er(blog):
    blog.build(use_cache=False)
    doc = blog.html("/2024/un-webinaire/")
    [when] = [t for t in _times(doc, "//aside[contains(@class,'event')]//time") if "août" in t]
    assert when.startswith("vendredi 1er août 2025 à 11:00")


def test_english_sites_keep_the_cardinal_day(blog):
    blog.config(language="en")
    blog.build(use_cache=False)
    assert blog.html("/2024/la-rentree/").xpath("//time")[0].text == "September 1, 2024"


@pytest.mark.parametrize(("fmt", "expected"), [
    ("long", "1er septembre 2024"), ("full", "dimanche 1er septembre 2024"),
    ("medium", "1er sept. 2024"), ("short", "01/09/2024"), ("d MMMM", "1er septembre"),
    ("d/M/y", "1/9/2024"),
])
def test_formats_with_a_month_name_get_the_ordinal(fmt, expected):
    assert format_day(datetime(2024, 9, 1), fmt, "fr_FR") == expected


def test_other_days_regional_french_and_other_languages():
    assert format_day(datetime(2024, 9, 11), "long", "fr_FR") == "11 septembre 2024"
    assert format_day(datetime(2024, 9, 21), "long", "fr") == "21 septembre 2024"
    assert format_day(datetime(2024, 9, 1), "long", "fr_CA") == "1er septembre 2024"
    assert format_day(datetime(2024, 9, 1), "long", "en") == "September 1, 2024"
    assert format_day(datetime(2024, 9, 1), "long", "de") == "1. September 2024"
    assert format_moment(datetime(2024, 8, 31, 22, 30, tzinfo=ZoneInfo("UTC")), "d MMMM y HH:mm", PARIS,
                         "fr_FR") == "1er septembre 2024 00:30"
    assert first_day_ordinal("2001 septembre", "fr") == "2001 septembre"
