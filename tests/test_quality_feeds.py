"""Quality gate: every Atom and RSS feed is well-formed and follows the rules feed readers rely on.

feedparser's `bozo` flag only catches broken XML, so the rules are checked on the XML itself (lxml):
RFC 822 dates in RSS, RFC 3339 in Atom, `atom:link rel="self"` pointing at the feed, channel link
(the HTML page, not the feed) and description, absolute `guid`/`id`, absolute links and image URLs
inside entry content, an author for every Atom entry, and `updated` = the newest entry.
"""
from __future__ import annotations

import re
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from lxml import etree, html

from .quality_support import demo_build, jekyll_build, rich_build

ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
NS = {"a": ATOM, "content": CONTENT}
RFC822 = re.compile(r"^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|"
                    r"Oct|Nov|Dec) \d{4} \d{2}:\d{2}(?::\d{2})? (?:[+-]\d{4}|GMT|UT|[ECMP][SD]T|Z)$")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$")
URL_ATTRS = ("href", "src", "poster", "cite", "data")
OK_SCHEMES = ("http", "https", "mailto", "tel", "data")


def absolute(url: str | None) -> bool:
    parts = urlsplit(url or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def content_problems(fragment: str, where: str) -> list[str]:
    """Relative URLs inside entry HTML: feed readers have no base URL to resolve them against."""
    if not fragment or not fragment.strip():
        return []
    problems = []
    doc = html.fragment_fromstring(fragment, create_parent="div")
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in URL_ATTRS:
            value = el.get(attr)
            if value is None:
                continue
            parts = urlsplit(value.strip())
            if parts.scheme not in OK_SCHEMES or (parts.scheme in ("http", "https") and not parts.netloc):
                problems.append(f"{where}: relative URL in content: <{el.tag} {attr}=\"{value}\">")
        for candidate in (el.get("srcset") or "").split(","):
            url = candidate.strip().split(" ")[0]
            if url and not absolute(url):
                problems.append(f"{where}: relative URL in srcset: {url}")
    return problems


def rfc822(value: str | None, where: str, problems: list[str]) -> datetime | None:
    if not value or not RFC822.match(value.strip()):
        problems.append(f"{where}: not an RFC 822 date: {value!r}")
        return None
    try:
        return parsedate_to_datetime(value.strip())
    except (TypeError, ValueError):
        problems.append(f"{where}: unparseable RFC 822 date: {value!r}")
        return None


def rfc3339(value: str | None, where: str, problems: list[str]) -> datetime | None:
    if not value or not RFC3339.match(value.strip()):
        problems.append(f"{where}: not an RFC 3339 date: {value!r}")
        return None
    return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))


def rss_problems(root, feed_url: str) -> list[str]:
    problems: list[str] = []
    if root.tag != "rss" or root.get("version") != "2.0":
        return [f"not an RSS 2.0 document: <{root.tag} version={root.get('version')}>"]
    channel = root.find("channel")
    if channel is None:
        return ["no <channel>"]
    for key in ("title", "link", "description"):
        if not (channel.findtext(key) or "").strip():
            problems.append(f"channel <{key}> missing or empty")
    link = (channel.findtext("link") or "").strip()
    if link and not absolute(link):
        problems.append(f"channel <link> is not absolute: {link}")
    if link == feed_url:
        problems.append("channel <link> is the feed itself, not the site page")
    selfs = channel.xpath("a:link[@rel='self']", namespaces=NS)
    if len(selfs) != 1 or selfs[0].get("href") != feed_url:
        problems.append(f"atom:link rel=self must be {feed_url}: {[s.get('href') for s in selfs]}")
    elif selfs[0].get("type") != "application/rss+xml":
        problems.append(f"atom:link rel=self has type {selfs[0].get('type')}")
    build = rfc822(channel.findtext("lastBuildDate"), "lastBuildDate", problems) \
        if channel.find("lastBuildDate") is not None else None
    dates = []
    for i, item in enumerate(channel.findall("item"), 1):
        where = f"item {i}"
        if not (item.findtext("title") or item.findtext("description") or "").strip():
            problems.append(f"{where}: neither title nor description")
        item_link = (item.findtext("link") or "").strip()
        if not absolute(item_link):
            problems.append(f"{where}: <link> is not absolute: {item_link!r}")
        guid = item.find("guid")
        if guid is None or not absolute((guid.text or "").strip()):
            problems.append(f"{where}: <guid> is not an absolute URL: {None if guid is None else guid.text!r}")
        elif guid.get("isPermaLink", "true") != "true":
            problems.append(f"{where}: <guid> is a URL but isPermaLink is not true")
        date = rfc822(item.findtext("pubDate"), f"{where} pubDate", problems)
        if date:
            dates.append(date)
        problems += content_problems(item.findtext(f"{{{CONTENT}}}encoded") or "", f"{where} content:encoded")
        problems += content_problems(item.findtext("description") or "", f"{where} description")
    if dates and dates != sorted(dates, reverse=True):
        problems.append("items are not newest first")
    if dates and channel.find("lastBuildDate") is None:
        problems.append("no lastBuildDate")
    if build and dates and build < max(dates):
        problems.append(f"lastBuildDate {build} is older than the newest item {max(dates)}")
    return problems


def atom_problems(root, feed_url: str) -> list[str]:
    problems: list[str] = []
    if root.tag != f"{{{ATOM}}}feed":
        return [f"not an Atom feed: <{root.tag}>"]
    feed_id = root.findtext("a:id", namespaces=NS)
    if not absolute((feed_id or "").strip()):
        problems.append(f"feed <id> is not an absolute URL: {feed_id!r}")
    if not (root.findtext("a:title", namespaces=NS) or "").strip():
        problems.append("feed <title> missing")
    updated = rfc3339(root.findtext("a:updated", namespaces=NS), "feed updated", problems)
    selfs = root.xpath("a:link[@rel='self']", namespaces=NS)
    if len(selfs) != 1 or selfs[0].get("href") != feed_url:
        problems.append(f"link rel=self must be {feed_url}: {[s.get('href') for s in selfs]}")
    alternates = root.xpath("a:link[not(@rel) or @rel='alternate']/@href", namespaces=NS)
    if not alternates or not all(absolute(h) for h in alternates):
        problems.append(f"feed link rel=alternate missing or relative: {alternates}")
    feed_author = root.find("a:author/a:name", namespaces=NS) is not None
    entry_dates = []
    for i, entry in enumerate(root.findall("a:entry", namespaces=NS), 1):
        where = f"entry {i}"
        entry_id = (entry.findtext("a:id", namespaces=NS) or "").strip()
        if not absolute(entry_id):
            problems.append(f"{where}: <id> is not an absolute URL: {entry_id!r}")
        if not (entry.findtext("a:title", namespaces=NS) or "").strip():
            problems.append(f"{where}: no title")
        date = rfc3339(entry.findtext("a:updated", namespaces=NS), f"{where} updated", problems)
        if date:
            entry_dates.append(date)
        if entry.find("a:published", namespaces=NS) is not None:
            rfc3339(entry.findtext("a:published", namespaces=NS), f"{where} published", problems)
        links = entry.xpath("a:link[not(@rel) or @rel='alternate']/@href", namespaces=NS)
        if not links or not all(absolute(h) for h in links):
            problems.append(f"{where}: link missing or not absolute: {links}")
        if not feed_author and entry.find("a:author/a:name", namespaces=NS) is None:
            problems.append(f"{where}: no author (RFC 4287 needs one per entry or on the feed)")
        for tag in ("content", "summary"):
            el = entry.find(f"a:{tag}", namespaces=NS)
            if el is not None and el.get("type") in ("html", None) and tag == "content":
                problems += content_problems(el.text or "", f"{where} {tag}")
    if updated and entry_dates and updated != max(entry_dates):
        problems.append(f"feed updated {updated.isoformat()} is not the newest entry {max(entry_dates).isoformat()}")
    return problems


def feed_problems(data: bytes, feed_url: str) -> list[str]:
    parsed = feedparser.parse(data)
    if parsed.bozo:
        return [f"feedparser: {parsed.get('bozo_exception')}"]
    try:
        root = etree.fromstring(data)
    except etree.XMLSyntaxError as exc:
        return [f"not well-formed XML: {exc}"]
    return rss_problems(root, feed_url) if root.tag == "rss" else atom_problems(root, feed_url)


def feeds_of(out: Path) -> list[Path]:
    return sorted(out.rglob("atom.xml")) + sorted(out.rglob("rss.xml"))


def _feed_url(result, out: Path, path: Path) -> str:
    return result.site.config.absolute(result.site.config.root_path + path.relative_to(out).as_posix())


SITES = {"demo": lambda: demo_build(), "rich": lambda: rich_build()[:2], "jekyll": lambda: jekyll_build()}


@pytest.fixture(params=sorted(SITES), scope="module")
def built(request):
    return SITES[request.param]()


def test_every_feed_is_well_formed_and_conformant(built):
    result, out = built
    feeds = feeds_of(out)
    site = result.site
    assert len(feeds) >= 2 * (1 + len(site.tags.terms) + len(site.categories.terms)), "feeds are missing"
    bad = {}
    for path in feeds:
        problems = feed_problems(path.read_bytes(), _feed_url(result, out, path))
        if problems:
            bad[path.relative_to(out).as_posix()] = problems[:8]
    assert not bad, "\n".join(f"{k}:\n  " + "\n  ".join(v) for k, v in bad.items())


def test_rss_and_atom_twins_agree_on_entries_and_updated(built):
    result, out = built
    for atom in sorted(out.rglob("atom.xml")):
        rss = atom.with_name("rss.xml")
        a, r = feedparser.parse(atom.read_bytes()), feedparser.parse(rss.read_bytes())
        assert [e.id for e in a.entries] == [e.id for e in r.entries], atom
        if a.entries:
            assert a.feed.updated_parsed == r.feed.updated_parsed, atom  # lastBuildDate = Atom updated
    home = feedparser.parse((out / "atom.xml").read_bytes())
    newest = [a for a in result.site.posts][: result.site.config.feed_items]
    assert [e.id for e in home.entries] == [result.site.config.absolute(a.url) for a in newest]


def test_content_of_the_rich_feed_has_absolute_links_and_images():
    _result, out, _root = rich_build()
    data = (out / "atom.xml").read_bytes()
    root = etree.fromstring(data)
    contents = " ".join(c.text or "" for c in root.iterfind(".//a:content", namespaces=NS))
    assert 'src="https://carnet.example.org/2022/entretien-avec-chloe-garnier/schema.svg"' in contents
    assert 'href="https://carnet.example.org/2022/gouvernance-des-donnees-le-guide-complet/#etape-2-' in contents
    assert 'href="https://carnet.example.org/2021/serie-partie-1/"' in contents  # was ../../2021/…


# ------------------------------------------------------------------------------------------------
# The gate fails on broken feeds

def _rich_feed(name: str) -> tuple[str, str]:
    result, out, _root = rich_build()
    return (out / name).read_text(encoding="utf-8"), _feed_url(result, out, out / name)


def test_feed_gate_accepts_the_real_feeds_it_is_then_shown_to_reject():
    for name in ("atom.xml", "rss.xml"):
        text, url = _rich_feed(name)
        assert feed_problems(text.encode(), url) == []


def test_feed_gate_fails_on_a_relative_link_in_content():
    text, url = _rich_feed("rss.xml")
    broken = text.replace('href="https://carnet.example.org/2021/serie-partie-1/"', 'href="../serie/"', 1)
    assert broken != text
    assert any("relative URL in content" in p for p in feed_problems(broken.encode(), url))
    text, url = _rich_feed("atom.xml")
    broken = text.replace('src="https://carnet.example.org/', 'src="/', 1)
    assert broken != text
    assert any("relative URL in content" in p for p in feed_problems(broken.encode(), url))


def test_feed_gate_fails_on_wrong_date_formats():
    text, url = _rich_feed("rss.xml")
    broken = re.sub(r"<pubDate>[^<]*</pubDate>", "<pubDate>2022-03-15T09:00:00+01:00</pubDate>", text, count=1)
    assert any("not an RFC 822 date" in p for p in feed_problems(broken.encode(), url))
    text, url = _rich_feed("atom.xml")
    broken = re.sub(r"<updated>[^<]*</updated>", "<updated>Tue, 15 Mar 2022 09:00:00 +0100</updated>", text,
                    count=1)
    assert any("not an RFC 3339 date" in p for p in feed_problems(broken.encode(), url))


def test_feed_gate_fails_on_missing_self_link_relative_guid_and_stale_updated():
    text, url = _rich_feed("rss.xml")
    no_self = re.sub(r'<atom:link[^>]*rel="self"[^>]*/>', "", text)
    assert any("rel=self" in p for p in feed_problems(no_self.encode(), url))
    relative_guid = re.sub(r'(<guid isPermaLink="true">)https://carnet\.example\.org', r"\1", text, count=1)
    assert any("<guid> is not an absolute URL" in p for p in feed_problems(relative_guid.encode(), url))
    channel_self = re.sub(r"(<channel>\s*<title>[^<]*</title>\s*<link>)[^<]*", rf"\g<1>{url}", text, count=1)
    assert any("feed itself" in p for p in feed_problems(channel_self.encode(), url))
    text, url = _rich_feed("atom.xml")
    stale = re.sub(r"(<feed[^>]*>.*?<updated>)[^<]*", r"\g<1>2000-01-01T00:00:00+00:00", text, count=1, flags=re.S)
    assert any("is not the newest entry" in p for p in feed_problems(stale.encode(), url))


def test_feed_gate_fails_on_broken_xml():
    text, url = _rich_feed("atom.xml")
    assert feed_problems(text.replace("</feed>", "").encode(), url)
    assert feed_problems(text.replace("<title>", "<title><b>", 1).encode(), url)
