"""Slug history: when a post's URL changes, its old URL becomes a redirect automatically.

The build keeps `content/.slugs.yml`, committed with the content: for each source file (keyed by
its path under the site folder), every URL it has had while live, oldest first, the current one
last. It is updated only by a successful, non-preview build, and only for live posts and pages
(published, date come), so URLs tried out in drafts never become redirects.

On every build, each URL a live post or page had before becomes an alias of it (a redirect page),
unless that URL is now taken: by another post or page, a generated page (tag, category, feed…) or
another file's alias. Then no redirect is made and a warning names both files.

Keyed by source path: renaming or moving a file starts a new history. When renaming a published
post's file, rename its key in `content/.slugs.yml` too (or add its old URL to `aliases:`).
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import yaml

from ..yaml_safe import SAFE_LOADER
from ..errors import ProblemLog
from ..model import Article, Site
from ..urls import output_path, safe_url_path
from .events import events_page_output

REGISTRY = ".slugs.yml"
HEADER = ("# contentkit slug registry: every URL each post has had while live, oldest first.\n"
          "# Maintained by `contentkit build`; commit it with the content. When a post's URL changes,\n"
          "# its old URLs become redirects automatically. Keys are source paths: when you rename a\n"
          "# published post's file, rename its key here too.\n")


def registry_path(site_or_config) -> Path:
    config = getattr(site_or_config, "config", site_or_config)
    return config.content_dir / REGISTRY


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def load_registry(config, log: ProblemLog | None = None) -> dict[str, list[str]]:
    path = registry_path(config)
    if not path.is_file():
        return {}
    rel = _rel(path, config.root)
    data = _parse(path)
    if data is None:
        if log is not None:
            log.warning(rel, "slug-registry-unreadable")
        return {}
    out: dict[str, list[str]] = {}
    for source, urls in data.items():
        if isinstance(urls, str):
            urls = [urls]
        if isinstance(urls, list):
            out[str(source)] = [str(u) for u in urls if isinstance(u, str) and u.startswith("/")]
    return out


# path -> (sha1 of the text, data): the registry is read 3x per build and parsed once; the build
# cache keeps this between builds (`.contentkit-cache/sources.bin`), so an unchanged registry of
# thousands of URLs is not parsed again at every build.
PARSED: dict[str, tuple[bytes, dict | None]] = {}


def _parse(path: Path) -> dict | None:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    digest = hashlib.sha1(text.encode("utf-8", "surrogatepass"), usedforsecurity=False).digest()
    hit = PARSED.get(str(path))
    if hit is not None and hit[0] == digest:  # same text, same data (callers do not mutate it)
        return hit[1]
    try:
        data = yaml.load(text, Loader=SAFE_LOADER) or {}
    except yaml.YAMLError:
        data = None
    data = data if isinstance(data, dict) else None
    PARSED[str(path)] = (digest, data)
    return data


def url_path(site: Site, a: Article) -> str:
    """The article's URL relative to the site root: what `aliases:` and the registry hold."""
    return "/" + a.url[len(site.config.root_path):]


def is_live(a: Article) -> bool:
    return a.kind in ("post", "page") and a.status == "published" and not a.is_future


def apply_slug_history(site: Site, log: ProblemLog) -> None:
    """Turn the old URLs of built posts and pages into redirects (after the collision check)."""

    registry = load_registry(site.config, log)
    if not registry:
        return
    root = site.config.root_path
    # Only built pages count: a draft taking an old URL gets it when it goes live.
    owners: dict[str, Article] = {a.output: a for a in site.posts + site.pages}
    generated = {"index.html", "404.html", "sitemap.xml", "robots.txt", "atom.xml", "rss.xml"}
    for tax in site.taxonomies:
        generated.add(output_path(tax.base_url[len(root) - 1:]))
        for term in tax.terms.values():
            generated.add(output_path(term.url[len(root) - 1:]))
    events_out = events_page_output(site)
    if events_out:
        generated.add(events_out)
    rel = _rel(registry_path(site), site.config.root)
    for a in site.posts + site.pages:
        current = url_path(site, a)
        for old in registry.get(a.source, []):
            path = safe_url_path(old)
            if path is None or path == current or path in a.aliases:
                continue
            out = output_path(path)
            owner = owners.get(out)
            if owner is a:
                continue
            if owner is not None:
                log.warning(a.source, "slug-old-url-used-by-page", url=path, registry=rel,
                            owner=owner.source)
                continue
            if out in generated:
                log.warning(a.source, "slug-old-url-used-by-generated-page", url=path, registry=rel)
                continue
            taken = site.redirects.get(out)
            if taken is not None and taken is not a:
                log.warning(a.source, "slug-old-url-is-alias", url=path, registry=rel,
                            owner=taken.source)
                continue
            site.redirects[out] = a
            a.aliases.append(path)


def updated_registry(site: Site, registry: dict[str, list[str]]) -> dict[str, list[str]]:
    out = {k: list(v) for k, v in registry.items()}
    for a in site.posts + site.pages:
        if not is_live(a):
            continue
        current = url_path(site, a)
        urls = [u for u in out.get(a.source, []) if u != current]
        out[a.source] = urls + [current]
    return dict(sorted(out.items()))


def dump_registry(registry: dict[str, list[str]]) -> str:
    body = yaml.safe_dump(registry, allow_unicode=True, sort_keys=True, default_flow_style=False,
                          width=1000)
    return HEADER + body


def update_registry(site: Site) -> bool:
    """Record the current URLs of live posts and pages; True when the file changed.

    Call only after a successful, non-preview build.
    """
    path = registry_path(site)
    old_text = path.read_text(encoding="utf-8-sig") if path.is_file() else None
    if old_text is not None and _parse(path) is None:
        return False  # never overwrite a history we cannot read
    registry = load_registry(site.config) if old_text is not None else {}
    new = updated_registry(site, registry)
    if not new and old_text is None:
        return False
    if old_text is not None and old_text.startswith(HEADER) and new == registry:
        return False  # same URLs: skip the (slow, pure-Python) YAML dump of the whole registry
    text = dump_registry(new)
    if text == old_text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return True
