"""One declared type per front-matter field: what each key of a post, page, topic or author
profile *is*, so every consumer (pages, cards, feeds, JSON-LD, meta tags, the `.ics`, the report,
the preview) shows it the one way its type allows.

    PLAIN            text, always escaped where shown (Jinja autoescape, feedgen, json.dumps)
    INLINE_MARKDOWN  one paragraph of Markdown, rendered with raw HTML escaped (never passed)
    BLOCK_MARKDOWN   Markdown blocks (an author's bio), rendered with raw HTML escaped
    URL              an address; `javascript:`, `vbscript:` and `data:` are refused (a located error)
    DATE, BOOL, NUMBER, LIST_OF_PLAIN, PATHS, PEOPLE: what their names say (read by assemble.py)
    a dict           a mapping whose keys have their own types (`event`, `links`, `series`)

`typed_front_matter` is applied where a document's front matter is read (content/reader.py) and
`typed_profile` where an author profile is read (assemble.py, `load_authors`): the values every
later stage sees are already checked. docs/security.md prints this table (a test keeps both equal).
"""
from __future__ import annotations

import re
from html import unescape

from ..errors import ContentError

PLAIN = "plain text"
INLINE_MARKDOWN = "inline Markdown"
BLOCK_MARKDOWN = "block Markdown"
URL = "URL"
DATE = "date"
BOOL = "boolean"
NUMBER = "number"
LIST_OF_PLAIN = "list of plain text"
PATHS = "list of site paths"
PEOPLE = "people (profile ids, names or mappings)"
MAPPING_OF_URL = "mapping of URLs"

# Schemes that make a browser run what follows (javascript:, vbscript:) or show a document made up
# from the address itself (data:, which can hold a whole HTML page with its scripts).
REFUSED_SCHEMES = ("javascript", "vbscript", "data")

# The keys an author profile (content/authors/*.yml) or an author mapping in front matter may have.
PROFILE_FIELDS: dict[str, object] = {
    "name": PLAIN, "display_name": PLAIN, "role": PLAIN, "job_title": PLAIN, "title": PLAIN,
    "company": PLAIN, "bio": BLOCK_MARKDOWN, "description": BLOCK_MARKDOWN, "about": BLOCK_MARKDOWN,
    "photo": URL, "avatar": URL, "image": URL, "picture": URL,
    "expertise": LIST_OF_PLAIN, "email": PLAIN, "hide_from_team": BOOL, "trusted": BOOL,
    "links": MAPPING_OF_URL,
    "website": URL, "url": URL, "uri": URL, "site": URL, "homepage": URL, "web": URL,
    # A bare handle (`@agiraud`) is made into a profile address; a scheme is checked like a URL.
    "twitter": URL, "x": URL, "github": URL, "linkedin": URL, "mastodon": URL,
}

EVENT_FIELDS: dict[str, object] = {
    "start": DATE, "end": DATE, "timezone": PLAIN, "location": PLAIN,
    "registration_url": URL, "replay_url": URL,
}

SERIES_FIELDS: dict[str, object] = {"name": PLAIN, "part": NUMBER}

IMAGE_FIELDS: dict[str, object] = {"src": URL, "url": URL, "path": URL, "alt": PLAIN}

# Posts, pages and topic hubs share one front matter. Keys not listed here are kept as
# `Article.params` for templates (plain values: autoescaped wherever a theme prints them).
FIELD_TYPES: dict[str, object] = {
    "title": PLAIN,
    "date": DATE, "updated": DATE, "lastmod": DATE, "modified": DATE,
    "author": PEOPLE, "authors": PEOPLE, "interviewees": PEOPLE,
    "reviewers": LIST_OF_PLAIN, "approved_by": PLAIN,
    "tags": LIST_OF_PLAIN, "category": LIST_OF_PLAIN, "categories": LIST_OF_PLAIN,
    "summary": INLINE_MARKDOWN, "description": INLINE_MARKDOWN, "excerpt": INLINE_MARKDOWN,
    "slug": PLAIN, "draft": BOOL, "status": PLAIN,
    "lang": PLAIN, "language": PLAIN, "locale": PLAIN,
    "image": URL,  # or a mapping: IMAGE_FIELDS
    "image_alt": PLAIN,
    "canonical_url": URL, "canonical": URL,
    "aliases": PATHS, "redirect_from": PATHS, "permalink": PATHS,
    "series": SERIES_FIELDS,  # or its name alone (plain text)
    "series_part": NUMBER,
    "event": EVENT_FIELDS,
    "layout": PLAIN, "pillar": PLAIN,
}

# What the default theme and the feeds show of each kind (for docs/security.md).
TABLES = {"document": FIELD_TYPES, "author profile": PROFILE_FIELDS, "event": EVENT_FIELDS,
          "series": SERIES_FIELDS, "image": IMAGE_FIELDS}

# Browsers drop ASCII tab and newline anywhere in a URL and leading C0 controls and spaces; what
# remains before the first ":" is the scheme, compared without case.
_IGNORED = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")


def refused_scheme(value) -> str | None:
    """The refused scheme ("javascript") a URL value has, seen as a browser would see it once the
    HTML around it is decoded (`&#106;avascript:`, `JaVa\\tscript:`, ` data:`), else None."""
    if not isinstance(value, str) or ":" not in value and "&" not in value:
        return None
    text = value
    for _ in range(3):  # `&amp;#106;` written in raw HTML is decoded once per layer it goes through
        decoded = unescape(text)
        if decoded == text:
            break
        text = decoded
    m = _SCHEME.match(_IGNORED.sub("", text).lower())
    return m.group(1) if m and m.group(1) in REFUSED_SCHEMES else None


def _check_url(value, rel: str, line: int | None, key: str) -> None:
    scheme = refused_scheme(value)
    if scheme is not None:
        raise ContentError(rel, "url-scheme-refused", line=line, field=key, scheme=scheme)


def _check(kind, value, rel: str, line: int | None, key: str) -> None:
    """Raise a ContentError when `value` (of the type `kind`) holds a refused address."""
    if value is None:
        return
    if kind == URL:
        if isinstance(value, dict):  # `image: {src: ..., alt: ...}`
            _check_mapping(IMAGE_FIELDS, value, rel, line, key)
        elif isinstance(value, list):
            for item in value:
                _check(URL, item, rel, line, key)
        else:
            _check_url(value, rel, line, key)
    elif kind == MAPPING_OF_URL:
        if isinstance(value, dict):
            for name, url in value.items():
                _check(URL, url, rel, line, f"{key}.{name}")
        elif isinstance(value, list):  # [{name: x, url: y}] or [url, ...]
            for item in value:
                if isinstance(item, dict):
                    _check(URL, item.get("url"), rel, line, f"{key}.{item.get('name', 'url')}")
                else:
                    _check(URL, item, rel, line, key)
    elif kind == PEOPLE:
        for person in value if isinstance(value, list) else [value]:
            if isinstance(person, dict):
                _check_mapping(PROFILE_FIELDS, {str(k).strip().lower(): v for k, v in person.items()},
                               rel, line, key)
    elif isinstance(kind, dict) and isinstance(value, dict):
        _check_mapping(kind, value, rel, line, key)


def _check_mapping(fields: dict, value: dict, rel: str, line: int | None, key: str) -> None:
    for name, item in value.items():
        kind = fields.get(str(name))
        if kind is not None:
            _check(kind, item, rel, line, f"{key}.{name}")


def typed_front_matter(meta: dict, key_lines: dict[str, int], rel: str) -> dict:
    """`meta` with every declared field checked against its type: a refused URL is a ContentError
    located at its key's line; Markdown fields are text. The one place a document's fields are typed."""
    for key, kind in FIELD_TYPES.items():
        value = meta.get(key)
        if value is None:
            continue
        _check(kind, value, rel, key_lines.get(key), key)
        if kind == INLINE_MARKDOWN and not isinstance(value, str):
            meta[key] = str(value)
    return meta


def typed_profile(data: dict, key_lines: dict[str, int], rel: str) -> dict:
    """An author profile with its fields checked (see typed_front_matter)."""
    for key, kind in PROFILE_FIELDS.items():
        value = data.get(key)
        if value is not None:
            _check(kind, value, rel, key_lines.get(key), key)
    return data


def is_trusted(data: dict, role: str) -> bool:
    """Whether raw HTML in this author's posts is kept (`markdown.raw_html` decides) or sanitized:
    `trusted:` in the profile, else staff are trusted and guests and interviewees are not."""
    value = data.get("trusted")
    if isinstance(value, bool):
        return value
    return role == "staff"


def markdown_tables() -> str:
    """The field tables of docs/security.md, as this module declares them (a test compares)."""
    out = []
    for name, table in TABLES.items():
        out.append(f"**{name}**\n\n| field | type |\n|---|---|")
        for key, kind in table.items():
            shown = "mapping (see below)" if isinstance(kind, dict) else kind
            if key == "image" and table is FIELD_TYPES:
                shown = "URL, or a mapping (see image)"
            if key == "series" and table is FIELD_TYPES:
                shown = "plain text, or a mapping (see series)"
            out.append(f"| `{key}` | {shown} |")
        out.append("")
    return "\n".join(out)
