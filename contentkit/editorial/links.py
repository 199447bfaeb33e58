"""Marketing link hygiene: UTM parameters on feed links, rel and UTM on outbound links.

Feed links (`feed_link_params` in contentkit.yml) — appended to each entry's `<link>` (never to its
id/guid, which must stay the bare permalink). Values may use the placeholders `{feed}` (`home`, or
the tag/category slug, or the author id), `{kind}` (`home`, `tag`, `category`, `author`) and
`{format}` (`atom`, `rss`). The optional key `feeds` overrides parameters per feed: by kind
(`tag`, `category`, `author`, `home`) then by feed (`tag/cloud`, `author/alice`); a parameter set
to null is removed, a feed set to `false` gets no parameters::

    feed_link_params:
      utm_source: "{format}"
      utm_medium: feed
      utm_campaign: "{feed}"
      feeds:
        home: {utm_campaign: blog}
        author: {utm_medium: author-feed}
        tag/cloud: false

Outbound links (`outbound_rel`, `outbound_link_params`) — a link in article HTML whose host is not
the site's gets the rel tokens (merged with any it has) and the parameters (a parameter already in
the link is kept as written). Done at render time (the `outbound` template filter), so the cached
Markdown stage stays independent of the config.
"""
from __future__ import annotations

import html as htmllib
import re
import weakref
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..model import Site

_PLACEHOLDER = re.compile(r"\{(feed|kind|format)\}")
_A_TAG = re.compile(r"<a\s[^>]*>", re.IGNORECASE)
_HREF = re.compile(r"""\shref\s*=\s*("([^"]*)"|'([^']*)')""", re.IGNORECASE)
_REL = re.compile(r"""\srel\s*=\s*("([^"]*)"|'([^']*)')""", re.IGNORECASE)


_FEED_NAMES: "weakref.WeakKeyDictionary[Site, dict]" = weakref.WeakKeyDictionary()  # per site, per build


def _feed_identity(site: Site, page_url: str) -> tuple[str, str]:
    """(kind, slug) of the feed of a listing page: ("home", "home"), ("tag", "cloud")…"""
    names = _FEED_NAMES.get(site)
    if names is None:
        names = {}
        for tax in (site.tags, site.categories, site.author_terms, site.years):
            for term in tax.terms.values():
                names.setdefault(term.url, (term.kind, term.slug))
        _FEED_NAMES[site] = names
    if page_url == site.config.root_path:
        return "home", "home"
    return names.get(page_url, ("other", page_url.strip("/").replace("/", "-") or "home"))


def feed_link_params(site: Site, page_url: str, fmt: str) -> dict[str, str]:
    """The query parameters for entry links of the feed of `page_url` in format `fmt`."""
    config = site.config.feed_link_params or {}
    if not isinstance(config, dict) or not config:
        return {}
    kind, slug = _feed_identity(site, page_url)
    params = {str(k): v for k, v in config.items() if k != "feeds"}
    overrides = config.get("feeds") or {}
    if isinstance(overrides, dict):
        for key in (kind, f"{kind}/{slug}"):
            if key not in overrides:
                continue
            override = overrides[key]
            if override is False or override is None:
                return {}
            if isinstance(override, dict):
                params.update({str(k): v for k, v in override.items()})
    values = {"feed": slug, "kind": kind, "format": fmt}
    return {k: _PLACEHOLDER.sub(lambda m: values[m.group(1)], str(v))
            for k, v in params.items() if v is not None and str(v) != ""}


def add_params(url: str, params: dict[str, str]) -> str:
    """Append parameters the URL does not have yet (an explicit utm_campaign in content wins)."""
    if not params:
        return url
    parts = urlsplit(url)
    present = {k for k, _ in parse_qsl(parts.query, keep_blank_values=True)}
    extra = {k: v for k, v in params.items() if k not in present}
    if not extra:
        return url
    query = "&".join(q for q in (parts.query, urlencode(extra)) if q)
    return urlunsplit(parts._replace(query=query))


def is_outbound(url: str, site_host: str) -> bool:
    if url.startswith("//"):
        url = "https:" + url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    return parts.hostname.lower() != site_host


def outbound_links(html: str, config) -> str:
    """Add `outbound_rel` and `outbound_link_params` to links leaving the site."""
    rel_tokens = [t for t in str(config.outbound_rel or "").split() if t]
    params = {str(k): str(v) for k, v in (getattr(config, "outbound_link_params", None) or {}).items()
              if v is not None}
    if (not rel_tokens and not params) or "<a" not in html:
        return html
    site_host = (urlsplit(config.base_url).hostname or "").lower()

    def rewrite(m: re.Match) -> str:
        tag = m.group(0)
        href_m = _HREF.search(tag)
        if href_m is None:
            return tag
        raw = href_m.group(2) if href_m.group(2) is not None else href_m.group(3)
        url = htmllib.unescape(raw)
        if not is_outbound(url, site_host):
            return tag
        if params:
            new_url = add_params(url, params)
            if new_url != url:
                tag = tag[: href_m.start()] + f' href="{htmllib.escape(new_url, quote=True)}"' + tag[href_m.end():]
        if rel_tokens:
            rel_m = _REL.search(tag)
            if rel_m is None:
                end = len(tag) - (2 if tag.endswith("/>") else 1)
                tag = tag[:end] + f' rel="{" ".join(rel_tokens)}"' + tag[end:]
            else:
                current = (rel_m.group(2) if rel_m.group(2) is not None else rel_m.group(3)).split()
                merged = current + [t for t in rel_tokens if t.lower() not in {c.lower() for c in current}]
                tag = tag[: rel_m.start()] + f' rel="{htmllib.escape(" ".join(merged), quote=True)}"' + tag[rel_m.end():]
        return tag

    return _A_TAG.sub(rewrite, html)
