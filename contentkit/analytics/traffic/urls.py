"""Normalise page URLs and paths from analytics exports to one comparable path form.

Analytics tools disagree on how they name a page: GA4 gives paths (``/2015/mon-article``),
``Page location`` and Search Console give full URLs (``https://www.example.com/2015/mon-article/``),
UA keeps query strings (``/?utm_source=x``), Search Console keeps ``#fragment`` anchors, and
percent-encoding varies (``%C2%B2`` vs ``²``). :func:`normalize_url` maps them all to one form,
which another module matches to article permalinks and aliases:

1. scheme and host are dropped when the host is one of ``site_hosts`` (or any host when
   ``site_hosts`` is None); ``www.`` and a port are ignored for that comparison. A URL of another
   host keeps it, as ``//host/path/``, so it can never collide with a page of the site;
2. the whole query string is dropped, not just ``utm_*``/``fbclid``/``gclid``: a static blog serves
   the same page whatever the query, and exports split one page into many rows by query
   (campaign tags, search-engine click ids, pagination-less ``?amp``), so keeping any query would
   scatter one article's traffic; the fragment (``#section``) is dropped too;
3. the path is percent-decoded, lowercased, then re-encoded the same way every time (UTF-8,
   uppercase hex, only RFC 3986 unreserved and sub-delimiter characters left as is);
4. repeated slashes collapse, a trailing ``index.html`` / ``index.htm`` is dropped;
5. a leading slash is ensured, and a trailing slash is added to directory-like paths
   (``/2015/mon-article`` → ``/2015/mon-article/``); a last segment with a file extension
   (``/feed.xml``, ``/cv.pdf``, ``/page.html``) is kept as is.

Only ``scheme://`` starts a URL: a value starting with ``//`` is a path with a doubled slash
(GA4 reports ``//checkout/``), not a scheme-relative URL. Values that are not URLs nor paths,
like GA4's ``(not set)`` and ``(other)``, are returned unchanged.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from urllib.parse import quote, unquote, urlsplit

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*://")
_FILE_EXT = re.compile(r"\.[a-z0-9]{1,6}$")
_SLASHES = re.compile(r"/{2,}")
_SAFE = "/:@!$&'()*+,;=-._~"


def _host_key(host: str) -> str:
    host = host.strip().lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    return host


def normalize_host(host_or_url: str) -> str:
    """``https://www.Example.com:443/`` or ``www.example.com`` → ``example.com``."""
    text = host_or_url.strip()
    if "//" in text:
        text = urlsplit(text if _SCHEME.match(text) else "http:" + text[text.index("//"):]).hostname or ""
    return _host_key(text.split("/")[0].split(":")[0])


def _normalize_path(path: str) -> str:
    path = unquote(path, errors="replace").lower()
    path = quote(path, safe=_SAFE)
    if not path.startswith("/"):
        path = "/" + path
    path = _SLASHES.sub("/", path)
    for index in ("index.html", "index.htm"):
        if path.endswith("/" + index):
            path = path[: -len(index)]
            break
    last = path.rsplit("/", 1)[-1]
    if last and not _FILE_EXT.search(last):
        path += "/"
    return path


def normalize_url(url_or_path: str, site_hosts: Iterable[str] | None = None) -> str:
    """Path form of a URL or path as written in an export (see the module docstring)."""
    text = url_or_path.strip()
    if not text or text.startswith("(") or text.lower() in ("not set", "(not set)"):
        return text
    hosts = None if site_hosts is None else {normalize_host(h) for h in site_hosts}
    return _normalize(text, hosts)


def _normalize(text: str, hosts: set[str] | None) -> str:
    host = ""
    if _SCHEME.match(text):
        parts = urlsplit(text)
        host = _host_key(parts.hostname or "")
        path = parts.path
    else:
        # a bare path (possibly with ?query / #fragment); cut them without urlsplit, which would
        # read "a:b" as a scheme and "//checkout/" (a real GA4 path) as a host
        path = text.split("#", 1)[0].split("?", 1)[0]
    normal = _normalize_path(path)
    if host and hosts is not None and host not in hosts:
        return "//" + host + normal
    return normal


def make_normalizer(site_hosts: Iterable[str] | None = None) -> Callable[[str], str]:
    """A caching :func:`normalize_url` for one import (a big export repeats the same URLs)."""
    hosts = None if site_hosts is None else {normalize_host(h) for h in site_hosts}
    cache: dict[str, str] = {}

    def normalize(url: str) -> str:
        try:
            return cache[url]
        except KeyError:
            text = url.strip()
            if not text or text.startswith("(") or text.lower() == "not set":
                value = text
            else:
                value = _normalize(text, hosts)
            if len(cache) < 500_000:
                cache[url] = value
            return value

    normalize.cache = cache  # type: ignore[attr-defined]
    return normalize
