"""Marketing link hygiene: UTM on feed entry links (global + per feed), rel/UTM on outbound links."""
from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import parse_qs, urlsplit

import feedparser

from contentkit.editorial.links import outbound_links

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)
CONFIG = {"title": "Carnet", "per_page": None}  # the default config, without per_page

FILES = {
    "content/authors/alice.yml": "name: Alice Durand\nrole: staff\n",
    "content/posts/a.md": """
        ---
        title: Un article sur le cloud
        date: 2026-01-10
        authors: [alice]
        tags: [Cloud]
        category: Infrastructure
        ---
        Voir [l'ANSSI](https://cyber.gouv.fr/publications?lang=fr&x=1), notre
        [autre article](/2026/autre/), [notre site](https://blog.example.com/a-propos/),
        [un ami](https://ami.example.org/page?utm_source=deja) et
        <a href="https://moi.example.net/" rel="me">mon profil</a>.

        ```html
        <a href="https://code.example.com/">dans du code</a>
        ```
        """,
}


def query(url: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


FEED_CONFIG = {"feed_link_params": {
    "utm_source": "{format}", "utm_medium": "feed", "utm_campaign": "{feed}",
    "feeds": {"home": {"utm_campaign": "blog"}, "author": {"utm_medium": "author-feed"},
              "category/infrastructure": False, "tag/cloud": {"utm_medium": None}}}}


def test_utm_parameters_on_feed_links(make_site):
    site = make_site(FILES, {**CONFIG, **FEED_CONFIG}, now=NOW, use_cache=False)
    site.build()
    out = site.out
    url = "https://blog.example.com/2026/un-article-sur-le-cloud/"

    home = feedparser.parse((out / "atom.xml").read_bytes())
    [entry] = home.entries
    assert entry.link.startswith(url + "?")
    assert query(entry.link) == {"utm_source": "atom", "utm_medium": "feed", "utm_campaign": "blog"}
    assert entry.id == url  # the id stays the bare permalink

    rss = feedparser.parse((out / "rss.xml").read_bytes())
    assert query(rss.entries[0].link)["utm_source"] == "rss"
    assert rss.entries[0].id == url

    tag = feedparser.parse((out / "tags/cloud/atom.xml").read_bytes())
    assert query(tag.entries[0].link) == {"utm_source": "atom", "utm_campaign": "cloud"}

    author = feedparser.parse((out / "authors/alice/rss.xml").read_bytes())
    assert query(author.entries[0].link) == {"utm_source": "rss", "utm_medium": "author-feed",
                                             "utm_campaign": "alice"}

    category = feedparser.parse((out / "categories/infrastructure/atom.xml").read_bytes())
    assert category.entries[0].link == url

    # Pages of the site itself never carry them.
    page = site.html("/")
    assert not [h for h in page.xpath("//a/@href") if "utm_" in h and "ami.example.org" not in h]


def test_no_feed_parameters_by_default(make_site):
    site = make_site(FILES, CONFIG, now=NOW, use_cache=False)
    site.build()
    entry = feedparser.parse(site.output("atom.xml").read_bytes()).entries[0]
    assert entry.link == "https://blog.example.com/2026/un-article-sur-le-cloud/"


def test_outbound_rel_and_params_in_article_html(make_site):
    site = make_site(FILES, {**CONFIG, "outbound_rel": "noopener nofollow",
                             "outbound_link_params": {"utm_source": "carnet", "utm_medium": "referral"}}, now=NOW, use_cache=False)
    site.build()
    doc = site.html("/2026/un-article-sur-le-cloud/")
    body = doc.xpath("//div[@class='post-body']")[0]
    links = {a.text_content(): a for a in body.xpath(".//a")}
    anssi = links["l’ANSSI"]
    assert anssi.get("rel") == "noopener nofollow"
    assert query(anssi.get("href")) == {"lang": "fr", "x": "1", "utm_source": "carnet", "utm_medium": "referral"}
    assert anssi.get("href").startswith("https://cyber.gouv.fr/publications?lang=fr&x=1&")
    ami = links["un ami"]
    assert query(ami.get("href")) == {"utm_source": "deja", "utm_medium": "referral"}  # explicit value kept
    assert links["mon profil"].get("rel") == "me noopener nofollow"  # merged
    for internal in ("autre article", "notre site"):
        assert links[internal].get("rel") is None and "utm_" not in links[internal].get("href")
    code = body.xpath(".//code")[0].text_content()
    assert '<a href="https://code.example.com/">' in code  # code samples are left alone
    # Links the theme prints (menu, tags, authors) are not article HTML; excerpts on lists are.
    assert not doc.xpath("//header//a[@rel='noopener nofollow']")
    home = site.html("/")
    [excerpt_link] = home.xpath("//div[@class='card-excerpt']//a[starts-with(@href, 'https://cyber.gouv.fr/')]")
    assert excerpt_link.get("rel") == "noopener nofollow"


def test_outbound_links_function_edge_cases():
    class Cfg:
        base_url = "https://blog.example.com/"
        outbound_rel = "nofollow"
        outbound_link_params = {"utm_source": "carnet"}

    src = ('<a href="https://x.example/a?b=1&amp;c=2">x</a> <a href="mailto:a@b.c">m</a> '
           '<a href="//cdn.example.net/f">p</a> <a href="#top">t</a> <a name="n">n</a> '
           '<a href="https://BLOG.example.com/x">self</a>')
    res = outbound_links(src, Cfg)
    assert '<a href="https://x.example/a?b=1&amp;c=2&amp;utm_source=carnet" rel="nofollow">x</a>' in res
    assert '<a href="mailto:a@b.c">m</a>' in res
    assert '<a href="//cdn.example.net/f?utm_source=carnet" rel="nofollow">p</a>' in res
    assert '<a href="#top">t</a>' in res and '<a name="n">n</a>' in res
    assert '<a href="https://BLOG.example.com/x">self</a>' in res

    class Off(Cfg):
        outbound_rel = ""
        outbound_link_params = {}
    assert outbound_links(src, Off) == src
