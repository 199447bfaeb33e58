"""`disable_kinds` and `paginate_terms`: a site builds only the kinds of pages it wants, and no page
links to one that was not built."""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from lxml import etree, html

from contentkit.errors import BuildFailed

from .conftest import SiteFactory

POSTS = {
    f"content/posts/2024-0{m}-0{d}-billet-{m}{d}.md": f"""
        ---
        title: Billet {m}{d}
        author: alice
        tags: [cloud{', sécurité' if d == 1 else ''}]
        category: Conseil
        ---
        Un texte : court, pour le billet {m}{d}.
        """
    for m in (1, 2, 3) for d in (1, 2)
}
FILES = {
    **POSTS,
    "content/authors/alice.yml": "name: Alice Durand\nrole: staff\njob_title: Consultante\n",
    "content/topics/cloud.md": "---\ntitle: Tout sur le cloud\n---\nLe hub du cloud.\n",
}
CONFIG = ('title: "Carnet"\nbase_url: "https://blog.example.com/"\nlanguage: fr\ntimezone: Europe/Paris\n'
          "per_page: 2\n")


def outputs(out: Path) -> set[str]:
    return {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}


def internal_links(out: Path) -> dict[str, set[str]]:
    """page -> the site paths its <a>/<link> elements point to."""
    links: dict[str, set[str]] = {}
    for path in out.rglob("*.html"):
        doc = html.fromstring(path.read_bytes())
        for href in doc.xpath("//a/@href | //link/@href"):
            parts = urlsplit(href)
            if not parts.scheme and href.startswith("/"):
                links.setdefault(path.relative_to(out).as_posix(), set()).add(parts.path)
    return links


def exists(out: Path, url_path: str) -> bool:
    target = out / url_path.lstrip("/")
    return target.is_file() or (target / "index.html").is_file()


def assert_no_dead_links(out: Path) -> None:
    dead = {(page, link) for page, found in internal_links(out).items() for link in found if not exists(out, link)}
    assert not dead, sorted(dead)[:10]


@pytest.fixture(scope="module")
def minimal(tmp_path_factory):
    site = SiteFactory(tmp_path_factory.mktemp("kinds") / "src", FILES, CONFIG + (
        "disable_kinds: [category, author, year, term_feed, rss]\npaginate_terms: false\n"))
    out = site.root.parent / "out"
    return site.root, out, site.build(out)


def test_disabled_kinds_are_not_built(minimal):
    _, out, _ = minimal
    files = outputs(out)
    assert not any(f.startswith(("categories/", "authors/", "archives/")) for f in files)
    assert not any(f.endswith("rss.xml") for f in files)
    assert [f for f in files if f.endswith(".xml") and f != "sitemap.xml"] == ["atom.xml"]
    assert {"tags/index.html", "tags/cloud/index.html", "tags/securite/index.html", "index.html",
            "page/2/index.html", "page/3/index.html"} <= files


def test_unpaginated_term_page_lists_all_its_posts(minimal):
    _, out, _ = minimal
    assert not (out / "tags/cloud/page/2").exists()
    doc = html.fromstring((out / "tags/cloud/index.html").read_bytes())
    assert len(doc.xpath("//article[@class='card']")) == 6  # per_page is 2: one page all the same
    assert doc.xpath("//nav[@class='pagination']") == []
    assert "Tout sur le cloud" in doc.xpath("string(//h1)")  # the topic hub still shows on its tag


def test_no_page_links_to_a_page_that_was_not_built(minimal):
    _, out, _ = minimal
    assert_no_dead_links(out)
    article = html.fromstring((out / "2024/billet-11/index.html").read_bytes())
    assert "Alice Durand" in article.xpath("string(//p[@class='byline'])")  # named, not linked
    assert "Conseil" in article.xpath("string(//p[@class='byline'])")
    assert article.xpath("//p[@class='byline']/a") == []
    assert [a.get("type") for a in article.xpath("//link[@rel='alternate']")] == ["application/atom+xml"]
    person = next(d for d in (json.loads(s) for s in article.xpath("//script[@type='application/ld+json']/text()"))
                  if d.get("@type") == "BlogPosting")["author"][0]
    assert person["name"] == "Alice Durand" and "url" not in person


def test_sitemap_and_feed_list_only_built_pages(minimal):
    _, out, _ = minimal
    sitemap = etree.parse(str(out / "sitemap.xml"))
    locs = sitemap.xpath("//s:loc/text()", namespaces={"s": "http://www.sitemaps.org/schemas/sitemap/0.9"})
    assert locs and all(exists(out, urlsplit(loc).path) for loc in locs)
    feed = feedparser.parse((out / "atom.xml").read_bytes())
    assert not feed.bozo and len(feed.entries) == 6


def test_default_site_links_only_to_built_pages(make_site, tmp_path):
    """The same site with every kind: year archives have no feed, so they offer none."""
    make_site(FILES, CONFIG).build(tmp_path / "out")
    out = tmp_path / "out"
    assert {"categories/conseil/atom.xml", "authors/alice/rss.xml", "archives/2024/index.html",
            "tags/cloud/page/3/index.html"} <= outputs(out)
    assert_no_dead_links(out)
    year = html.fromstring((out / "archives/2024/index.html").read_bytes())
    assert year.xpath("//p[@class='count']/a") == []
    tag = html.fromstring((out / "tags/cloud/index.html").read_bytes())
    assert tag.xpath("//p[@class='count']/a/@href") == ["/tags/cloud/atom.xml"]


def test_unknown_kind_is_a_located_error(make_site, tmp_path):
    site = make_site(FILES, CONFIG + "disable_kinds: [category, tags]\n")
    with pytest.raises(BuildFailed) as failed:
        site.build(tmp_path / "out")
    (problem,) = [p for p in failed.value.problems if "disable_kinds" in p.message]
    assert problem.file == "contentkit.yml" and problem.line == 6
    problem = problem.in_language("en")  # the site is French (the default): compare the English wording
    assert "'tags'" in problem.message and "tag = tag pages" in problem.hint


def test_topic_hub_of_a_kind_not_built_is_a_warning(make_site, tmp_path):
    result = make_site(FILES, CONFIG + "disable_kinds: [tag]\n").build(tmp_path / "out")
    (warning,) = [w for w in result.warnings if w.code == "topic-term-disabled"]
    assert warning.file == "content/topics/cloud.md" and "disable_kinds" in warning.message
    assert not (tmp_path / "out/tags").exists() and not (tmp_path / "out/topics").exists()
    assert_no_dead_links(tmp_path / "out")
