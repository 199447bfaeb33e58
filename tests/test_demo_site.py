"""The demo site in content/ builds completely and is what the README promises."""
from __future__ import annotations

import shutil
from collections import Counter

import feedparser
import pytest
from lxml import etree, html

from contentkit.build import build_site

from .conftest import REPO


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    # Build a copy: a real build updates content/.slugs.yml, which must not change the checkout.
    src = tmp_path_factory.mktemp("demo") / "src"
    for name in ("content", "static", "templates"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, src / name)
    shutil.copy(REPO / "contentkit.yml", src / "contentkit.yml")
    out = src / "site"
    return build_site(src, out, use_cache=False), out


def test_demo_content_is_a_real_multi_author_blog(demo):
    result, _out = demo
    site = result.site
    staff = [a for a in site.authors.values() if a.role == "staff" and not a.generated]
    assert len(staff) >= 8
    assert not [a for a in site.authors.values() if a.generated], "every author has a profile"
    assert len(site.posts) >= 40
    years = {a.date.year for a in site.posts}
    assert len(years) >= 4
    words = sorted(a.words for a in site.posts)
    assert words[0] < 300 and words[-1] > 2500, "lengths must really vary for the analytics"
    assert any(p.slug == "a-propos" for p in site.pages)
    assert not [w for w in result.warnings if w.code == "template-tags-foreign"]


def test_every_post_page_tag_and_author_page_exists_and_parses(demo):
    result, out = demo
    site = result.site
    for article in site.posts + site.pages:
        doc = html.fromstring((out / article.output).read_bytes())
        assert doc.findtext(".//h1").strip() == article.title
    for tax in site.taxonomies:
        for term in tax.terms.values():
            rel = term.url.lstrip("/") + "index.html"
            assert (out / rel).is_file(), rel


def test_demo_feeds_parse_cleanly(demo):
    result, out = demo
    feeds = sorted(out.rglob("atom.xml")) + sorted(out.rglob("rss.xml"))
    assert len(feeds) >= 2 * (1 + len(result.site.tags.terms) + len(result.site.categories.terms))
    for feed in feeds:
        parsed = feedparser.parse(feed.read_bytes())
        assert not parsed.bozo, (feed, parsed.get("bozo_exception"))
        ids = [e.id for e in parsed.entries]
        assert len(ids) == len(set(ids))


def test_demo_sitemap_lists_every_post(demo):
    result, out = demo
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = etree.parse(str(out / "sitemap.xml")).xpath("//s:loc/text()", namespaces=ns)
    assert len(locs) == len(set(locs))
    for article in result.site.posts:
        if not article.canonical_url:
            assert result.site.config.absolute(article.url) in locs


def test_demo_is_french_with_french_typography(demo):
    result, out = demo
    langs = Counter(a.lang for a in result.site.posts)
    assert langs.most_common(1)[0][0] == "fr"
    home = html.fromstring((out / "index.html").read_bytes())
    assert home.xpath("//html/@lang") == ["fr"]
    assert home.xpath("string(//a[@class='skip-link'])") == "Aller au contenu"
    bodies = "".join(html.fromstring((out / a.output).read_bytes()).xpath("string(//div[@class='post-body'])")
                     for a in result.site.posts if a.lang == "fr")
    assert "\u202f?" in bodies or "\u202f!" in bodies
    assert " ?" not in bodies.replace("\u202f?", "")
