"""The `sanitize` policy for raw HTML in article bodies (`markdown.raw_html: sanitize`, and every
post by an author who is not trusted: guests and interviewees by default; docs/security.md).

The body is rendered as with `allow` (the cached `SourceDocument`), then, when it holds raw HTML,
its HTML goes through nh3 (the Rust sanitizer ammonia) with the allow-list below: what articles
need (tables, figures, `<details>`, `<abbr>`, `<kbd>`, code highlighted by Pygments, headings with
their ids, images with their size, iframes from the embed providers only), never scripts, event
handlers, `style` with `url()`, forms, `<base>`, `<meta>`, `<object>`, `<embed>`. What vanished is
said (`removed`), so the author knows why a widget disappeared.

Applied when the site is assembled (assemble.py), after the cache: the policy depends on the
config and the authors' profiles, not only on the file's bytes.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from html import unescape
from urllib.parse import urlsplit

import lxml.html
import nh3

from .fields import refused_scheme

# The hosts an `<iframe>` may load in sanitized HTML (https only). One named list, for the media
# embeds to reuse.
EMBED_PROVIDERS = ("www.youtube-nocookie.com", "youtube-nocookie.com", "player.vimeo.com")

TAGS = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
    "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "iframe", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q",
    "rp", "rt", "ruby", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
})
GENERIC_ATTRIBUTES = frozenset({"class", "id", "title", "lang", "dir"})
ATTRIBUTES = {
    "*": set(GENERIC_ATTRIBUTES),
    "a": {"href", "hreflang", "rel", "name"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "iframe": {"src", "width", "height", "allow", "allowfullscreen", "loading", "referrerpolicy",
               "frameborder"},
    "abbr": {"title"}, "time": {"datetime"}, "details": {"open"},
    "ol": {"start", "reversed", "type"}, "li": {"value"}, "col": {"span"}, "colgroup": {"span"},
    "td": {"colspan", "rowspan", "align", "style"}, "th": {"colspan", "rowspan", "align", "scope", "style"},
    "q": {"cite"}, "blockquote": {"cite"}, "del": {"cite", "datetime"}, "ins": {"cite", "datetime"},
}
# `style` is kept on table cells only (Markdown tables align columns with it), and only these
# properties of it; any value with url(), expression() or a CSS escape is dropped whole.
STYLE_PROPERTIES = frozenset({"text-align", "vertical-align", "width", "min-width", "max-width"})
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Removed with what they contain (the others are unwrapped, their text kept).
CONTENT_REMOVED = frozenset({"script", "style", "template", "noscript", "object", "embed", "applet",
                             "form", "textarea", "select", "button", "math", "svg"})
_BAD_STYLE = re.compile(r"url\s*\(|expression\s*\(|\\|@import|behavior\s*:|-moz-binding", re.I)


def allowed_iframe(src: str) -> bool:
    parts = urlsplit(src.strip())
    return parts.scheme == "https" and (parts.hostname or "") in EMBED_PROVIDERS


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    if attr == "style" and _BAD_STYLE.search(unescape(value)):
        return None
    if tag == "iframe" and attr == "src" and not allowed_iframe(value):
        return None
    if attr in ("href", "src", "cite") and refused_scheme(value):
        return None
    return value


@lru_cache(maxsize=1)
def _cleaner():
    options = dict(tags=set(TAGS), attributes={k: set(v) for k, v in ATTRIBUTES.items()},
                   clean_content_tags=set(CONTENT_REMOVED), url_schemes=set(URL_SCHEMES),
                   attribute_filter=_attribute_filter, filter_style_properties=set(STYLE_PROPERTIES),
                   link_rel=None, strip_comments=False)
    if hasattr(nh3, "Cleaner"):
        cleaner = nh3.Cleaner(**options)
        return cleaner.clean
    return lambda html: nh3.clean(html, **options)


def sanitize(html: str) -> str:
    """`html` with only what the allow-list keeps."""
    if not html:
        return html
    return _cleaner()(html)


def _inventory(html: str) -> tuple[Counter, Counter]:
    """(tags, (tag, attribute, value)) of an HTML fragment, counted."""
    tags: Counter = Counter()
    attrs: Counter = Counter()
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except Exception:  # noqa: BLE001 - lxml refuses an empty or odd fragment: nothing to count
        return tags, attrs
    for el in root.iter():
        if not isinstance(el.tag, str):  # comments, processing instructions
            continue
        tags[el.tag] += 1
        for name, value in el.attrib.items():
            attrs[(el.tag, name, value)] += 1
    tags["div"] -= 1  # the parent made for the fragment
    return tags, attrs


def removed(before: str, after: str) -> list[tuple[str, tuple[str, ...]]]:
    """What sanitizing took out of `before`: [(what, needles)], `what` as an author reads it
    (`<script>`, `onerror="…" on <img>`), `needles` texts to find it by in the Markdown source."""
    tags_before, attrs_before = _inventory(before)
    tags_after, attrs_after = _inventory(after)
    out: list[tuple[str, str]] = []
    for tag, count in (tags_before - tags_after).items():
        if count > 0:
            out.append((f"<{tag}>", (f"<{tag}",)))
    gone_tags = {tag for tag, count in (tags_before - tags_after).items() if count > 0}
    kept_attrs = {(tag, name) for tag, name, _ in attrs_after}
    seen = set()
    for (tag, name, value), count in (attrs_before - attrs_after).items():
        if count <= 0 or tag in gone_tags or (tag, name) in seen:
            continue
        if name == "style" and (tag, name) in kept_attrs:
            continue  # kept, its properties reformatted or filtered
        seen.add((tag, name))
        short = value if len(value) <= 40 else value[:39] + "…"
        out.append((f'{name}="{short}" on <{tag}>', tuple(n for n in (value, f"{name}=") if n)))
    return out
