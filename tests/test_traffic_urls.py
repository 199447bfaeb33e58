"""URL normalisation to the path form matched against permalinks."""
from __future__ import annotations

import pytest

from contentkit.analytics.traffic.urls import make_normalizer, normalize_host, normalize_url


@pytest.mark.parametrize("raw, expected", [
    ("/2015/mon-article", "/2015/mon-article/"),
    ("/2015/mon-article/", "/2015/mon-article/"),
    ("https://www.example.com/2015/mon-article/", "/2015/mon-article/"),
    ("http://example.com:8080/2015/Mon-Article", "/2015/mon-article/"),
    ("/2015/mon-article/?utm_source=x&utm_medium=y", "/2015/mon-article/"),
    ("/2015/mon-article?fbclid=abc#comments", "/2015/mon-article/"),
    ("/?gclid=1", "/"),
    ("", ""),
    ("/", "/"),
    ("https://example.com", "/"),
    ("/blog/index.html", "/blog/"),
    ("/blog/index.htm", "/blog/"),
    ("/index.html", "/"),
    ("/feed.xml", "/feed.xml"),
    ("/files/CV.pdf", "/files/cv.pdf"),
    ("/page.html", "/page.html"),
    ("/blog//2015///x", "/blog/2015/x/"),
    ("//checkout/", "/checkout/"),  # a GA4 path with a doubled slash, not a host
    ("blog/x", "/blog/x/"),
    ("/caf%C3%A9", "/caf%C3%A9/"),
    ("/café", "/caf%C3%A9/"),
    ("/CAF%c3%a9", "/caf%C3%A9/"),
    ("/piscine-10-m²/", "/piscine-10-m%C2%B2/"),
    ("https://ex.com/a/#Occulter%E2%80%89pourquoi", "/a/"),
    ("/l%27%C3%A9t%C3%A9", "/l'%C3%A9t%C3%A9/"),
    ("(not set)", "(not set)"),
    ("(other)", "(other)"),
])
def test_normalize_url(raw, expected):
    assert normalize_url(raw) == expected


def test_site_hosts_keep_foreign_hosts_apart():
    hosts = ["https://www.example.com/"]
    assert normalize_url("https://example.com/a", hosts) == "/a/"
    assert normalize_url("https://www.example.com/a", hosts) == "/a/"
    assert normalize_url("https://translate.goog/a", hosts) == "//translate.goog/a/"
    assert normalize_url("/a", hosts) == "/a/"  # a bare path is the site's


def test_normalize_host():
    assert normalize_host("https://WWW.Example.com:443/x") == "example.com"
    assert normalize_host("www.example.com") == "example.com"


def test_cached_normalizer_gives_the_same_answers():
    norm = make_normalizer(None)
    for raw in ("/a", "/a?x=1", "https://www.x.com/a/", "/a"):
        assert norm(raw) == normalize_url(raw)
