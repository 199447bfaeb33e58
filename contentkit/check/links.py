"""Links in an article's body: internal links (pages the build produces), anchors (`#section` on
the target page), links to unpublished articles, links to old URLs that only redirect. External
links are collected here and checked by `external.py` (`--external`). Who links to whom is noted
for the orphan check."""
from __future__ import annotations

import posixpath
from urllib.parse import unquote, urlsplit

from ..model import Article
from .html import Locator, Ref, element_ids
from .images import check_body_image, missing_image

_SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "sms:", "ftp:")


def internal_path(checker, url: str, base: str) -> tuple[str, str] | None:
    """(root-relative path, fragment) of a link to this site, or None for an external link."""
    if url.startswith("//"):
        url = urlsplit(checker.cfg.base_url).scheme + ":" + url
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        if parts.scheme not in ("http", "https") or parts.netloc != urlsplit(checker.cfg.base_url).netloc:
            return None
        path = parts.path or "/"
    elif not parts.path:
        path = base  # "#section" or "?q=": this page
    elif parts.path.startswith("/"):
        path = parts.path
    else:
        path = posixpath.normpath(posixpath.join(base, parts.path))
        if parts.path.endswith("/") and not path.endswith("/"):
            path += "/"
        if not path.startswith("/"):
            path = "/" + path
    return unquote(path), unquote(parts.fragment)


def check_ref(checker, a: Article, ref: Ref, locator: Locator, external_refs: dict) -> None:
    url = ref.url
    line = locator.line(url) if url else None  # every reference advances the locator once
    if ref.kind == "img":
        check_body_image(checker, a, ref, line)
    if not url:
        return
    if url.lower().startswith(_SKIP_SCHEMES):
        return
    internal = internal_path(checker, url, a.url)
    if internal is None:
        if url.lower().startswith(("http://", "https://", "//")):
            key = "https:" + url if url.startswith("//") else url
            external_refs.setdefault(key, []).append((a, line, ref.kind))
        return
    path, fragment = internal
    published = checker.published
    target_url = published.resolve(path)
    if target_url is None and path.endswith("/index.html"):
        target_url = published.resolve(path[: -len("index.html")])
    if target_url is None:
        draft = checker.by_url.get(path) or checker.by_url.get(path + "/")
        if draft is not None and draft.source == a.source:
            if fragment and ref.kind == "a":  # an unpublished article linking into itself
                check_anchor(checker, a, url, line, fragment, element_ids(a.html))
        elif draft is not None:
            checker.inbound.setdefault(draft.source, set()).add(a.source)
            unpublished(checker, a, draft, url, line)
        elif ref.kind == "img":
            missing_image(checker, a, url, line, path)
        else:
            broken_link(checker, a, url, line, path)
        return
    target = published.articles.get(target_url)
    if target is None and target_url in published.redirects:
        target = published.redirects[target_url]
        checker.log.warning(a.source, "redirected-link", line=line, url=url, target=target.url)
        target_url = target.url
    if target is not None and target.source != a.source:
        checker.inbound.setdefault(target.source, set()).add(a.source)
    if fragment and ref.kind == "a":
        ids = published.ids(target_url)
        if target is not None and target.source == a.source:
            ids = (ids or set()) | element_ids(a.html)
        if ids is not None:
            check_anchor(checker, a, url, line, fragment, ids)


def check_anchor(checker, a: Article, url: str, line: int | None, fragment: str, ids: set[str]) -> None:
    if fragment in ids:
        return
    stem = fragment.split("-")[0]
    close = sorted(i for i in ids if stem and stem in i)[:3]
    if close:
        checker.log.error(a.source, "broken-anchor-similar", line=line, url=url, anchor=fragment,
                          anchors=", ".join("#" + c for c in close))
    else:
        checker.log.error(a.source, "broken-anchor", line=line, url=url, anchor=fragment)


def unpublished(checker, a: Article, target: Article, url: str, line: int | None) -> None:
    """A link to an article that is not on the live site: an error from a live article, a warning
    from one that is not live either; the target is dated in the future or not published."""
    future = target.is_future and target.date is not None and target.status in ("published", "scheduled")
    if checker.is_live(a):
        if future:
            checker.log.error(a.source, "unpublished-link-future", line=line, url=url, target=target.source,
                              date=f"{target.date:%Y-%m-%d}")
        else:
            checker.log.error(a.source, "unpublished-link", line=line, url=url, target=target.source,
                              status=target.status)
    elif future:
        checker.log.warning(a.source, "unpublished-link-draft-future", line=line, url=url, target=target.source)
    else:
        checker.log.warning(a.source, "unpublished-link-draft", line=line, url=url, target=target.source,
                            status=target.status)


def broken_link(checker, a: Article, url: str, line: int | None, path: str) -> None:
    """A link to no page of the site; the hint depends on what it looks like: the site's sub-path
    forgotten, a close address, or neither."""
    root = checker.cfg.root_path
    if root != "/" and not path.startswith(root):
        checker.log.error(a.source, "broken-link-site-path", line=line, url=url, root=root,
                          example=f"{root}{path.lstrip('/')}")
        return
    slug = path.rstrip("/").rsplit("/", 1)[-1]
    if slug:
        close = [u for u in checker.published.articles if slug in u or u.rstrip("/").rsplit("/", 1)[-1] in path]
        if close:
            checker.log.error(a.source, "broken-link-similar", line=line, url=url, pages=", ".join(sorted(close)[:2]))
            return
    checker.log.error(a.source, "broken-link", line=line, url=url)
