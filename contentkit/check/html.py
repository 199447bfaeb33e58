"""Reading an article's rendered HTML (the model's `.html`) and locating URLs in its Markdown body."""
from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote

from ..model import Article

_GENERATED_CLASSES = {"heading-anchor", "footnote-ref", "footnote-backref"}
_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})[^\n]*\n.*?(?:^\1?\2[`~]*[ \t]*$|\Z)", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
ID_ATTR = re.compile(r"""\s(?:id|name)\s*=\s*["']([^"']+)["']""")


@dataclass
class Ref:
    kind: str  # "a" | "img"
    url: str
    alt: str | None = None  # img only; None = no alt attribute


class _RefParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs: list[Ref] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href") is not None:
            if _GENERATED_CLASSES & set((a.get("class") or "").split()):
                return  # heading permalinks and footnote links are generated, always valid
            self.refs.append(Ref("a", a["href"].strip()))
        elif tag == "img":
            self.refs.append(Ref("img", (a.get("src") or "").strip(), a.get("alt")))

    handle_startendtag = handle_starttag


def html_refs(html: str) -> list[Ref]:
    parser = _RefParser()
    parser.feed(html)
    parser.close()
    return parser.refs


def mask_code(body: str) -> str:
    """The body with code blocks, code spans and comments blanked (same length, same newlines)."""
    def blank(m: re.Match) -> str:
        return re.sub(r"[^\n]", " ", m.group(0))
    masked = _FENCE.sub(blank, body)
    masked = _HTML_COMMENT.sub(blank, masked)
    return _CODE_SPAN.sub(blank, masked)


class Locator:
    """Line numbers of URLs in an article's Markdown body, occurrence after occurrence."""

    def __init__(self, article: Article):
        self.article = article
        self.body = mask_code(article.body or "")
        self.cursor: dict[str, int] = {}

    def line(self, url: str) -> int | None:
        needles = [url, url.replace("&", "&amp;"), unquote(url)]
        for needle in dict.fromkeys(n for n in needles if n):
            # the whole URL, not a prefix of a longer one ("/a/" must not match in "/a/#b")
            pattern = re.compile(r"(?<![\w/.#?=&%~-])" + re.escape(needle) + r"(?![\w/#?=&%~-])")
            start = self.cursor.get(needle, 0)
            m = pattern.search(self.body, start) or (pattern.search(self.body) if start else None)
            if m:
                self.cursor[needle] = m.end()
                return self.article.body_line + self.body.count("\n", 0, m.start())
        return None


def element_ids(html: str) -> set[str]:
    """The `id` and `name` attributes in a piece of HTML."""
    return set(ID_ATTR.findall(html))
