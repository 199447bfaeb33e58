"""Atom and RSS 2.0 feeds (feedgen) for the site and for every tag, category and author.

Entry ids are the articles' absolute permalinks (stable across rebuilds); every link and image
inside entry content is made absolute, because feed readers have no base URL to resolve against.
"""
from __future__ import annotations

import re
from urllib.parse import urlencode, urlsplit, urlunsplit

from feedgen.feed import FeedGenerator

from ..errors import ContentError
from ..urls import rooted_links
from ..model import Article, Site

# What follows ` src=` or ` href=`: a rooted URL ("/img.png", not "//host/"), or one relative to the
# article ("#section", "?q="). The patterns start with the `="` (a literal the regex engine finds
# fast); the attribute name and the whitespace before it are checked by _after_attribute. Same
# matches as (\s(?:src|href))="/(?!/) and (\s(?:src|href))="(?=[#?]), six times faster.
_ROOTED = re.compile(r'="/(?!/)')
_IN_PAGE = re.compile(r'="(?=[#?])')


def _after_attribute(html: str, pos: int) -> bool:
    """html[:pos] ends with whitespace (as the regex `\\s`) + "src" or "href"."""
    if html.endswith("src", 0, pos):
        pos -= 3
    elif html.endswith("href", 0, pos):
        pos -= 4
    else:
        return False
    return pos > 0 and html[pos - 1].isspace()


def absolute_links(html: str, article_url: str, site_url: str) -> str:
    if '="' not in html:
        return html
    html = _IN_PAGE.sub(lambda m: '="' + article_url if _after_attribute(m.string, m.start()) else m[0], html)
    html = rooted_links(html, article_url)
    return _ROOTED.sub(lambda m: f'="{site_url}/' if _after_attribute(m.string, m.start()) else m[0], html)


def with_params(url: str, params: dict) -> str:
    if not params:
        return url
    parts = urlsplit(url)
    query = "&".join(q for q in (parts.query, urlencode(params)) if q)
    return urlunsplit(parts._replace(query=query))


def feed_content(a: Article, site_url: str, memo: dict | None = None) -> str:
    """The entry content of `a`: its HTML with absolute links. `memo` (one per build, see
    Planner.feed): each article's content is computed once, though the site feed, its tags', its
    category's and its authors' feeds, in Atom and RSS, all show it (~5 times each at 5,000 posts)."""
    if memo is None:
        return absolute_links(a.html, a.url, site_url)
    hit = memo.get(id(a))
    if hit is None or hit[0] is not a or hit[1] != site_url:
        hit = memo[id(a)] = (a, site_url, absolute_links(a.html, a.url, site_url))
    return hit[2]


def build_feed(site: Site, articles: list[Article], *, title: str, page_url: str, feed_path: str,
               fmt: str, description: str = "", content_memo: dict | None = None,
               link_params: dict | None = None) -> bytes:
    """`link_params`: query parameters added to entry links (the editorial extension's UTM, through
    Planner.feed_link_params), none by default.

    Raises a ContentError naming the article's source file when lxml (under feedgen) refuses what an
    entry holds (a character XML does not allow...): never an error without the file that caused it."""
    items = articles[: site.config.feed_items]
    try:
        return _feed(site, items, title, page_url, feed_path, fmt, description, content_memo, link_params)
    except (ValueError, TypeError) as exc:
        for a in items:  # which article? Each one alone, in a feed of its own (only on this rare path)
            try:
                _feed(site, [a], title, page_url, feed_path, fmt, description, None, link_params)
            except (ValueError, TypeError) as alone:
                raise ContentError(a.source, "feed-entry-invalid", line=a.key_lines.get("title"),
                                   feed=feed_path, error=alone) from None
        raise ContentError("contentkit.yml", "feed-entry-invalid", feed=feed_path, error=exc) from None


def _feed(site: Site, items: list[Article], title: str, page_url: str, feed_path: str, fmt: str,
          description: str, content_memo: dict | None, link_params: dict | None) -> bytes:
    cfg = site.config
    fg = FeedGenerator()
    if fmt == "rss":
        fg.load_extension("dc")  # dc:creator: RSS <author> must be an e-mail address
    page_abs = cfg.absolute(page_url)
    feed_abs = cfg.absolute(feed_path)
    fg.id(page_abs)
    fg.title(title)
    fg.description(description or cfg.description or title)
    fg.subtitle(description or cfg.description or title)
    # feedgen takes the RSS <channel><link> from the last link set: the page must come last.
    fg.link(href=feed_abs, rel="self", type="application/atom+xml" if fmt == "atom" else "application/rss+xml")
    fg.link(href=page_abs, rel="alternate")
    fg.language(cfg.language)
    fg.generator("contentkit")
    # Empty feeds are not planned (Planner.feed) but the site's own, before its first post: that one
    # carries the build's date (WordPress's lastBuildDate of a blog with no post), not 1970-01-01.
    fg.updated(max((a.updated or a.date) for a in items) if items else site.now)
    params = link_params or {}
    for a in reversed(items):  # feedgen prepends entries; reversed keeps newest first
        entry = fg.add_entry()
        url = cfg.absolute(a.url)
        entry.id(url)
        entry.guid(url, permalink=True)
        entry.title(a.title)
        entry.link(href=with_params(url, params))
        entry.published(a.date)
        entry.updated(a.updated or a.date)
        for person in a.authors:
            if fmt == "atom":
                entry.author(name=person.name, uri=cfg.absolute(person.url))
            else:
                entry.dc.dc_creator(person.name)
        for term in a.tags + a.categories:
            entry.category(term=term.name, label=term.name)
        # a.summary is plain text: Atom says so (type text); RSS's <description> is HTML, so its
        # "<" and ">" are escaped, or a summary's `<b onmouseover=...>` would be markup there.
        summary = a.summary or a.title
        entry.summary(summary if fmt == "atom" else summary.replace("<", "&lt;").replace(">", "&gt;"))
        if cfg.feed_full_content:
            entry.content(feed_content(a, cfg.site_url, content_memo), type="CDATA" if fmt == "rss" else "html")
    return fg.atom_str(pretty=True) if fmt == "atom" else fg.rss_str(pretty=True)
