"""What every importer shares: the imported model and the one writer of a site folder.

A reader (`wordpress.read_wordpress`, `jekyll.read_jekyll`, ...) returns an `ImportResult`: items
(posts and pages with Markdown bodies), authors, what it skipped and why, located warnings (catalog
codes of `errors.yml`), counts. `write_import` turns it into files of a site:

    content/posts/YYYY/<slug>.md            (content/posts/YYYY/<slug>/index.md + media: a page bundle)
    content/pages/<slug>.md                 (its media in static/media/<slug>/)
    content/authors/<key>.yml               (never the e-mail address: kept in the report only)
    import/comments/<slug>.json             (not published: contentkit has no comments)
    static/<old term archive>/index.html    (redirect pages for /category/x/, /tag/y/ ...)
    static/_redirects                       (Netlify: copied into the built site)
    redirects.csv, redirects.nginx.map, import-report.json, .contentkit-import.json (the manifest)

Safety: every path is checked lexically and resolved inside `into` (`output.safe_join`); a file the
import did not create is never overwritten, nor one edited since (hash in the manifest): both are
reported as conflicts. `dry_run` computes the same report and writes nothing.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import posixpath
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import datetime
from html import escape
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import yaml

from ..config import SiteConfig, find_config_file, load_config
from ..errors import ContentError, Problem, ProblemLog
from ..output import UnsafePath, check_rel, safe_join, write_atomic
from ..slugs import slugify
from ..urls import output_path, safe_url_path

MANIFEST = ".contentkit-import.json"
REPORT = "import-report.json"
MANIFEST_VERSION = 1


@dataclass
class ImportedAuthor:
    key: str  # login / slug: the profile's file name
    name: str
    bio: str = ""
    email: str = ""  # never written to the public profile (only to the report, for matching)
    links: dict = field(default_factory=dict)  # website, twitter, ...


@dataclass
class MediaRef:
    source: str  # a path (absolute, or relative to the reader's media folder) or a URL
    target: str  # the file name next to the article, as the body links it


@dataclass
class ImportedItem:
    kind: str  # "post" | "page"
    source_ref: str  # "wp:123" or "path/to/file.md:1": in every warning
    title: str
    slug: str
    date: datetime | None = None
    updated: datetime | None = None
    status: str = "published"  # contentkit's workflow states (model.STATUSES)
    authors: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    summary: str = ""
    body: str = ""  # Markdown
    old_urls: list[str] = field(default_factory=list)  # every URL the item had: aliases / redirects
    media: list[MediaRef] = field(default_factory=list)
    extra: dict = field(default_factory=dict)  # other front matter (sticky, image, lang, ...)


# A reader stops on an export it cannot read with ContentError(path, "code", line=..., **params):
# the CLI words it in the site's language and prints no traceback.
ImportFailed = ContentError


@dataclass
class ImportWarning:
    source_ref: str
    code: str  # an entry of catalogs/<lang>/errors.yml
    params: dict = field(default_factory=dict)

    def worded(self, lang: str) -> Problem:
        """The warning as a located problem worded in `lang` (the catalog's wording)."""
        words = ProblemLog(lang=lang)
        _forward(words, self.source_ref, self.code, self.params)
        return words.problems[0]


def _forward(words: ProblemLog, ref: str, code: str, params: dict) -> None:
    """Word a stored (code, params) pair: the codes were checked where they were recorded
    (`ImportLog.warning` calls name literal catalog codes, see tests/test_messages.py)."""
    words.warning(ref, code, **params)


@dataclass
class TermURL:
    """An archive URL of the old site (/category/x/, /tag/y/) and the term it listed."""
    old: str
    taxonomy: str  # "category" | "tag"
    name: str


class ImportLog:
    """Warnings of an import, by catalog code: `result.log.warning(ref, "code", **params)`
    (tests/test_messages.py checks each call names a catalog entry with its exact parameters)."""

    def __init__(self, warnings: list):
        self.warnings = warnings

    def warning(self, source_ref: str, code: str, **params) -> ImportWarning:
        w = ImportWarning(source_ref, code, {k: "" if v is None else str(v) for k, v in params.items()})
        self.warnings.append(w)
        return w


@dataclass
class ImportResult:
    site_title: str = ""
    base_url: str = ""  # the old site's address
    language: str = ""
    permalink: str = ""  # contentkit pattern matching the old URLs, when one does
    per_page: int | None = None
    items: list[ImportedItem] = field(default_factory=list)
    authors: list[ImportedAuthor] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (source_ref, reason code)
    warnings: list[ImportWarning] = field(default_factory=list)
    counts: dict = field(default_factory=dict)  # e.g. {"attachment": 3, "comment": 5, "shortcode:foo": 1}
    comments: dict = field(default_factory=dict)  # source_ref -> [comment dict]
    term_urls: list[TermURL] = field(default_factory=list)
    query_urls: dict = field(default_factory=dict)  # "/?p=12" -> source_ref (redirect files only)
    external_media: list[tuple[str, str]] = field(default_factory=list)  # (source_ref, URL kept)

    def __post_init__(self):
        self.log = ImportLog(self.warnings)

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def skip(self, source_ref: str, code: str) -> None:
        self.skipped.append((source_ref, code))


@dataclass
class ImportReport:
    source_kind: str
    into: str
    dry_run: bool
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[tuple[str, str]] = field(default_factory=list)  # (path, "not-ours"|"edited"|"removed")
    items: list[dict] = field(default_factory=list)  # source_ref, kind, status, file, url
    redirects: list[tuple[str, str]] = field(default_factory=list)  # (old URL path, new URL)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[ImportWarning] = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    external_media: list[tuple[str, str]] = field(default_factory=list)
    config_found: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        data = asdict(self)
        data["warnings"] = [asdict(w) for w in self.warnings]
        return data


# Names and paths --------------------------------------------------------------------------------
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


def decoded_slug(value: str) -> str:
    """A WordPress-style slug as its author wrote it: percent-decoded (`caf%c3%a9` -> `café`)."""
    return unicodedata.normalize("NFC", unquote(str(value or "")).strip())


def safe_name(value: str, fallback: str = "") -> str:
    """A file or folder name that cannot leave its folder: no separators, no '..', no control
    characters, no leading dots; '' when nothing is left (the caller then uses `fallback`)."""
    name = _UNSAFE_NAME.sub("-", decoded_slug(value)).strip(" .-")
    name = re.sub(r"\.{2,}", ".", name)
    return name[:120] or fallback


def url_path(url: str) -> str:
    """'https://old.example.com/2020/05/caf%C3%A9/?x' -> '/2020/05/café/' (decoded, no query)."""
    parts = urlsplit(url)
    return unquote(parts.path) or "/"


def encoded(path: str) -> str:
    """A decoded URL path as a browser sends it (non-ASCII percent-encoded)."""
    return quote(path, safe="/?=&%:@!$'()*+,;~-._")


# Writing ------------------------------------------------------------------------------------------
def _front_matter(data: dict) -> str:
    data = {k: v for k, v in data.items() if v not in (None, "", [], {})}
    text = yaml.dump(data, Dumper=_FAST_DUMPER, **_DUMP_OPTIONS)
    if "\\" in text:  # libyaml escapes characters beyond U+FFFF (emoji): let PyYAML write them as they are
        text = yaml.dump(data, Dumper=yaml.SafeDumper, **_DUMP_OPTIONS)
    return text


# libyaml's emitter is several times faster than PyYAML's and, but for the escapes above, writes the
# same documents (tests/test_import_speed_same.py compares them on generated front matter).
_FAST_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_DUMP_OPTIONS = dict(allow_unicode=True, sort_keys=False, width=1 << 16, default_flow_style=False)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class _Plan:
    """Files to write (relative path -> bytes, or a source file to copy), in order."""

    def __init__(self, into: Path):
        self.into = into
        self.files: dict[str, bytes | Path] = {}

    def add(self, rel: str, data: bytes | str | Path) -> None:
        check_rel(rel)
        self.files[rel] = data.encode("utf-8") if isinstance(data, str) else data


def _site_config(into: Path, result: ImportResult) -> tuple[SiteConfig, str | None]:
    """The target site's settings (URLs are computed as the build will) and, when the folder has no
    contentkit.yml yet, the text of one made from what the export says."""
    if find_config_file(into) is not None:
        return load_config(into, ProblemLog()), None
    cfg = SiteConfig()
    lines = {}
    if result.site_title:
        cfg.title = result.site_title
        lines["title"] = result.site_title
    if result.base_url:
        base = result.base_url if result.base_url.endswith("/") else result.base_url + "/"
        if base.startswith(("http://", "https://")):
            cfg.base_url = base
            lines["base_url"] = base
    if result.language:
        cfg.language = result.language
        lines["language"] = result.language
    if result.permalink:
        cfg.permalink = result.permalink
        lines["permalink"] = result.permalink
    if result.per_page:
        cfg.per_page = result.per_page
        lines["per_page"] = result.per_page
    return cfg, _front_matter(lines) if lines else _front_matter({"title": cfg.title})


def new_url(item: ImportedItem, cfg: SiteConfig) -> str:
    """The address the build will give the item (assemble.Assembler._url_path, no explicit permalink)."""
    slug = slugify(item.slug) or "x"
    root = cfg.root_path.rstrip("/")
    explicit = item.extra.get("permalink")
    if explicit and safe_url_path(str(explicit)):
        return root + safe_url_path(str(explicit))
    if item.kind == "page":
        path = "/" + slug + "/" if cfg.page_permalink == "/{slug}/" else cfg.page_permalink.format(slug=slug)
        return root + path
    if item.date is None:
        date = datetime.now(cfg.tz)
    elif item.date.tzinfo is None:  # a wall time as written: the build reads it in the site's zone
        date = item.date.replace(tzinfo=cfg.tz)
    else:
        date = item.date.astimezone(cfg.tz)
    lang = str(item.extra.get("lang") or cfg.language)
    path = cfg.permalink.format(year=f"{date.year:04d}", month=f"{date.month:02d}", day=f"{date.day:02d}",
                                slug=slug, category=slugify(item.categories[0]) if item.categories else "blog",
                                lang=lang)
    return root + (safe_url_path(path) or "/" + slug + "/")


_GENERATED_PREFIXES = ("tags/", "categories/", "authors/", "archives/", "page/", "topics/")
_GENERATED_FILES = {"index.html", "404.html", "sitemap.xml", "robots.txt", "atom.xml", "rss.xml",
                    "feed.xml", "search/index.html"}


def _is_generated(out: str) -> bool:
    return out in _GENERATED_FILES or out.startswith(_GENERATED_PREFIXES)


def _redirect_page(target: str, name: str, lang: str) -> str:
    t, n = escape(target, quote=True), escape(name)
    return ("<!DOCTYPE html>\n"
            f'<html lang="{escape(lang, quote=True)}">\n<head>\n<meta charset="utf-8">\n<title>{n}</title>\n'
            f'<link rel="canonical" href="{t}">\n<meta name="robots" content="noindex">\n'
            f'<meta http-equiv="refresh" content="0; url={t}">\n</head>\n<body>\n'
            f'<p><a href="{t}">{n}</a></p>\n</body>\n</html>\n')


_LINK_TARGET = re.compile(r'(\]\(|href=")(/[^)\s"]*)')


def _relinked(body: str, moved: dict[str, str]) -> str:
    """`](/2024/02/05/old/)` -> `](/2024/old/)` when the old address is an imported item's."""
    def swap(m: re.Match) -> str:
        target, _, fragment = m.group(2).partition("#")
        path, _, query = target.partition("?")
        key = unquote(path) + (f"?{query}" if query else "")
        new = moved.get(key)
        if new is None:
            return m.group(0)
        return m.group(1) + new + (f"#{fragment}" if fragment else "")
    return _LINK_TARGET.sub(swap, body)


def _rooted(body: str, targets: list[str], prefix: str) -> str:
    """Point a page's relative links to its media at `prefix` + name (pages are not bundles)."""
    for name in targets:
        body = body.replace(f"]({name})", f"]({prefix}{name})").replace(f"]({name} ", f"]({prefix}{name} ")
        body = body.replace(f'src="{name}"', f'src="{prefix}{name}"').replace(f'href="{name}"', f'href="{prefix}{name}"')
    return body


def write_import(result: ImportResult, into: Path, *, dry_run: bool, source_kind: str,
                 media_root: Path | None = None) -> ImportReport:
    """Write `result` into the site folder `into` (see the module docstring); the report of what
    was (or, with dry_run, would be) written."""
    into = Path(into)
    report = ImportReport(source_kind=source_kind, into=str(into), dry_run=dry_run,
                          skipped=list(result.skipped), counts=dict(result.counts),
                          external_media=list(result.external_media))
    report.config_found = {k: v for k, v in (("title", result.site_title), ("base_url", result.base_url),
                                             ("language", result.language), ("permalink", result.permalink),
                                             ("per_page", result.per_page)) if v}
    warnings = list(result.warnings)
    ilog = ImportLog(warnings)
    cfg, config_text = _site_config(into, result)
    plan = _Plan(into)
    if config_text is not None:
        plan.add("contentkit.yml", config_text)

    # Files and addresses of the items ------------------------------------------------------
    owned_before = set(_read_manifest(into / MANIFEST).get("files", {}))
    taken_files: set[str] = set()
    claimed: dict[str, str] = {}  # output path -> source_ref of the imported page there
    existing = _existing_outputs(into, owned_before)  # output path -> the site's file there
    placed = []
    for item in result.items:
        slug = safe_name(item.slug) or safe_name(slugify(item.title)) or \
            "item-" + (safe_name(item.source_ref.replace(":", "-")) or "x")
        if slug != decoded_slug(item.slug):
            ilog.warning(item.source_ref, "import-slug-unsafe", slug=item.slug, name=slug)
        item.slug = slug
        if item.kind == "page":
            folder = "content/pages"
            stem = slug
        else:
            year = f"{item.date.year:04d}" if item.date else "undated"
            folder = f"content/posts/{year}"
            stem = slug
        base_stem, n = stem, 2
        while (f"{folder}/{stem}.md" in taken_files or f"{folder}/{stem}/index.md" in taken_files):
            stem, n = f"{base_stem}-{n}", n + 1
        bundle = item.kind == "post" and bool(item.media)
        rel = f"{folder}/{stem}/index.md" if bundle else f"{folder}/{stem}.md"
        taken_files.add(rel)
        url = new_url(item, cfg)
        out = output_path(url[len(cfg.root_path) - 1:])
        live = item.status in ("published", "scheduled")
        if (live and out in claimed) or out in existing:
            # Two items at one address (same slug, same year, or a page the site already has): this
            # one gets its own slug, so the build does not fail on a URL claimed twice.
            other = claimed.get(out) or existing[out]
            ilog.warning(item.source_ref, "import-url-taken", url=url, other=other)
            k = 2
            while (out in claimed or out in existing) and k < 1000:
                item.slug = f"{slug}-{k}"
                url = new_url(item, cfg)
                out = output_path(url[len(cfg.root_path) - 1:])
                k += 1
        if live:
            claimed[out] = item.source_ref
        placed.append((item, rel, url, bundle))

    # Aliases: every old path that is not already the new address, claimed once ---------------
    alias_owner: dict[str, str] = {}
    for item, rel, url, bundle in placed:
        live = item.status in ("published", "scheduled")
        aliases = []
        for old in item.old_urls:
            path = url_path(old)
            if urlsplit(old).query:
                continue  # ?p=ID: only the host's redirect files can match a query
            safe = safe_url_path(path)
            if safe is None or "//" in safe or any(c in safe for c in "\x00\r\n\t"):
                ilog.warning(item.source_ref, "import-alias-unsafe", url=old)
                continue
            full = cfg.root_path.rstrip("/") + safe
            if full == url or full.rstrip("/") == url.rstrip("/"):
                continue
            out = output_path(safe)
            if _is_generated(out) or out in claimed or out in existing:
                ilog.warning(item.source_ref, "import-alias-taken", url=safe)
                continue
            if out in alias_owner and alias_owner[out] != item.source_ref:
                ilog.warning(item.source_ref, "import-alias-taken", url=safe)
                continue
            if safe not in aliases:
                aliases.append(safe)
                if live:
                    alias_owner[out] = item.source_ref
                    report.redirects.append((safe, url))
        item.extra = {**item.extra}
        if aliases:
            item.extra["aliases"] = aliases
        for old, ref in result.query_urls.items():
            if ref == item.source_ref and live:
                report.redirects.append((old, url))

    # Links between imported items to an old address point at the new one directly.
    moved = {old: new for old, new in report.redirects}
    for item, rel, url, bundle in placed:
        for old in item.old_urls:
            if item.status == "published" and not urlsplit(old).query:
                moved.setdefault(url_path(old), url)

    # Content files, media, comments ----------------------------------------------------------
    for item, rel, url, bundle in placed:
        body = _relinked(item.body, moved) if moved else item.body
        if item.media and not bundle:  # a page: its media under static/media/<slug>/
            prefix = f"{cfg.root_path}media/{item.slug}/"
            body = _rooted(body, [m.target for m in item.media], prefix)
        front = {"title": item.title}
        if item.date:
            front["date"] = item.date
        if item.updated and (not item.date or item.updated > item.date):
            front["updated"] = item.updated
        front["slug"] = item.slug
        front["status"] = item.status
        for key in ("approved_by",):
            if key in item.extra:
                front[key] = item.extra[key]
        front["authors"] = list(item.authors)
        front["categories"] = list(item.categories)
        front["tags"] = list(item.tags)
        front["summary"] = item.summary
        front.update({k: v for k, v in item.extra.items() if k not in front})
        text = "---\n" + _front_matter(front) + "---\n" + body.strip("\n") + "\n"
        plan.add(rel, text)
        media_folder = posixpath.dirname(rel) if bundle else f"static/media/{item.slug}"
        for m in item.media:
            name = safe_name(m.target)
            if not name:
                ilog.warning(item.source_ref, "import-media-unsafe", name=m.target)
                continue
            src = Path(m.source)
            if media_root is not None and not src.is_absolute():
                src = media_root / m.source
            plan.add(f"{media_folder}/{name}", src)
        comments = result.comments.get(item.source_ref)
        if comments:
            plan.add(f"import/comments/{item.slug}.json",
                     json.dumps({"source": item.source_ref, "url": url, "comments": comments},
                                ensure_ascii=False, indent=2, default=str) + "\n")
        report.items.append({"source_ref": item.source_ref, "kind": item.kind, "status": item.status,
                             "file": rel, "url": url, "title": item.title})

    for author in result.authors:
        key = safe_name(author.key) or safe_name(slugify(author.name))
        if not key:
            continue
        if key != author.key:
            ilog.warning(f"author:{author.key}", "import-slug-unsafe", slug=author.key, name=key)
        profile = {"name": author.name, "bio": author.bio, "links": author.links}
        plan.add(f"content/authors/{key}.yml", _front_matter(profile) if any(profile.values()) else "{}\n")

    # Term archives: static redirect pages + the host's redirect files --------------------------
    lang = cfg.language.split("-")[0]
    term_seen: set[str] = set()
    for term in result.term_urls:
        kind = "categories" if term.taxonomy == "category" else "tags"
        if not cfg.builds(term.taxonomy):
            continue
        target = f"{cfg.root_path}{kind}/{slugify(term.name) or 'x'}/"
        safe = safe_url_path(url_path(term.old))
        if safe is None or "//" in safe or safe in term_seen:
            continue
        out = output_path(safe)
        if _is_generated(out) or out in claimed or out in alias_owner or out in existing:
            continue
        term_seen.add(safe)
        plan.add(f"static/{out}", _redirect_page(cfg.absolute(target) if hasattr(cfg, "absolute") else target,
                                                 term.name, lang))
        report.redirects.append((safe, target))

    _plan_redirect_files(plan, report.redirects)
    report.warnings = warnings

    # Apply the plan against the manifest --------------------------------------------------------
    manifest_path = into / MANIFEST
    manifest = _read_manifest(manifest_path)
    owned: dict[str, str] = dict(manifest.get("files", {}))
    new_owned: dict[str, str] = {}
    for rel, data in plan.files.items():
        try:
            target = safe_join(into, rel)
        except UnsafePath:
            ilog.warning(rel, "import-path-unsafe", path=rel)
            continue
        if isinstance(data, Path):
            try:
                blob = data.read_bytes()
            except OSError:
                ilog.warning(rel, "import-media-missing", path=str(data))
                continue
        else:
            blob = data
        digest = _sha(blob)
        if target.is_symlink():
            report.conflicts.append((rel, "not-ours"))
            continue
        exists = target.is_file()
        if rel in owned:
            if not exists:
                report.conflicts.append((rel, "removed"))
                continue
            current = _sha(target.read_bytes())
            if current != owned[rel]:
                report.conflicts.append((rel, "edited"))
                new_owned[rel] = owned[rel]
                continue
            new_owned[rel] = digest
            if current == digest:
                report.unchanged.append(rel)
                continue
            report.updated.append(rel)
        elif exists or target.exists():
            if target.is_file() and _sha(target.read_bytes()) == digest:
                report.unchanged.append(rel)  # the same bytes already there: nothing to say
                continue
            report.conflicts.append((rel, "not-ours"))
            continue
        else:
            report.created.append(rel)
            new_owned[rel] = digest
        if not dry_run:
            write_atomic(target, blob)
    for rel, digest in owned.items():  # files of an earlier run this run did not plan: still ours
        new_owned.setdefault(rel, digest)
    if not dry_run:
        write_atomic(manifest_path, (json.dumps({"version": MANIFEST_VERSION, "source": source_kind,
                                                 "files": dict(sorted(new_owned.items()))},
                                                indent=2, ensure_ascii=False) + "\n").encode())
        write_atomic(into / REPORT, (json.dumps(report.to_json(), indent=2, ensure_ascii=False,
                                                default=str) + "\n").encode())
    return report


def _existing_outputs(into: Path, ours: set[str]) -> dict[str, str]:
    """Output paths the site's own content (not an earlier import's) already takes, with the file
    taking each: an imported item must not claim them (the build would fail)."""
    if not (into / "content").is_dir() or find_config_file(into) is None:
        return {}
    from ..build import load_site  # the content model, as the build sees it (drafts included)
    from ..model import BuildOptions
    try:
        site = load_site(into, BuildOptions(preview=True), log=ProblemLog(), use_cache=False, workers=1,
                         extensions=[])
    except Exception:  # a site that does not load yet: its build will say why
        return {}
    taken = {}
    for a in site.posts + site.pages + list(site.hidden):
        if a.source not in ours and f"content/{a.source}" not in ours:
            taken[a.output] = a.source
    for out, a in site.redirects.items():
        if a.source not in ours and f"content/{a.source}" not in ours:
            taken.setdefault(out, a.source)
    return taken


def _read_manifest(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        return {}
    return data


def _plan_redirect_files(plan: _Plan, redirects: list[tuple[str, str]]) -> None:
    """redirects.csv (old,new), static/_redirects (Netlify, published with the site) and
    redirects.nginx.map (for `map $request_uri $contentkit_redirect { include ...; }`)."""
    rows = sorted(set(redirects))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["old", "new"])
    for old, new in rows:
        writer.writerow([old, new])
    plan.add("redirects.csv", buf.getvalue())
    netlify, nginx = [], []
    for old, new in rows:
        path, _, query = encoded(old).partition("?")
        netlify.append(f"{path} {query.replace('&', ' ')} {encoded(new)} 301" if query
                       else f"{path} {encoded(new)} 301")
        nginx.append(f'"{encoded(old)}" "{encoded(new)}";')
        if not query and old.endswith("/") and old != "/":
            nginx.append(f'"{encoded(old[:-1])}" "{encoded(new)}";')
    plan.add("static/_redirects", "\n".join(netlify) + ("\n" if netlify else ""))
    plan.add("redirects.nginx.map", "\n".join(nginx) + ("\n" if nginx else ""))
