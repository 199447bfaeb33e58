"""WordPress WXR (Tools → Export, WXR 1.0–1.2) -> ImportResult.

Streaming: `lxml.etree.iterparse` over the file, each <item> handled then cleared with the
siblings before it, so memory stays flat whatever the export's size. Hostile files are refused with
a clear message, never a traceback: a DOCTYPE declaring entities (XXE, billion laughs: a WordPress
export never has one; entities are never resolved, no DTD is loaded, no network), a truncated file,
bytes that are not the declared encoding, a file that is not XML or not a WordPress export. Text
nodes stay within libxml2's default bound (`huge_tree` off: 10 MB a node, depth 256).

Mapping (docs/import.md says it for users):
- post types: `post` -> posts, `page` -> pages; `attachment` gives media, featured images,
  galleries and attachment-page aliases; `nav_menu_item`, `wp_navigation`, `revision`, `wp_block`,
  templates and custom types are counted, not imported (`include_types` imports custom types as posts);
- `wp:status`: publish -> published, future -> scheduled (approved: WordPress only lets an editor
  schedule; its date in the export's timezone, from post_date - post_date_gmt), draft -> writing,
  pending -> review, private -> writing (listed: it was never public); auto-draft/trash/inherit
  skipped; a password-protected post is skipped and listed;
- authors: `dc:creator` and Co-Authors Plus `author` terms (`cap-<login>`), profiles from
  `wp:author` (the e-mail is never written to a profile; a login that is an e-mail address is not
  used as the profile's file name);
- categories: each post keeps its categories and gains their parents (WordPress's parent archive
  lists its children's posts; contentkit's categories are flat); tags as they are;
- URLs: <link>, /?p=ID (or /?page_id=ID), /YYYY/MM/DD/slug/ and attachment pages of the post
  become aliases (query URLs go to the host's redirect files); /category/<path>/ and /tag/<slug>/
  archives redirect to contentkit's term pages.
"""
from __future__ import annotations

import html as htmllib
import multiprocessing
import os
import re
from collections import deque
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from ..errors import ContentError
from ..slugs import slugify
from .common import (ImportedAuthor, ImportedItem, ImportResult, MediaRef, TermURL, decoded_slug,
                     safe_name)
from .html_to_markdown import GALLERY_TOKEN, BodyContext, finish_many, finish_markdown, prepare_markdown, to_text

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
WP_PREFIX = "http://wordpress.org/export/"
SKIPPED_TYPES = {"attachment", "nav_menu_item", "wp_navigation", "revision", "wp_block", "wp_template",
                 "wp_template_part", "wp_global_styles", "custom_css", "customize_changeset",
                 "oembed_cache", "user_request", "wp_font_family", "wp_font_face"}
STATUS = {"publish": "published", "future": "scheduled", "draft": "writing", "pending": "review",
          "private": "writing"}
_SIZE_VARIANT = re.compile(r"-(\d+)x(\d+)(?=\.[A-Za-z0-9]+$)")
_SCALED = re.compile(r"-(scaled|rotated)(?=\.[A-Za-z0-9]+$)")
_INVALID_XML = bytes(range(0, 9)) + b"\x0b\x0c" + bytes(range(14, 32))
PROLOG_LIMIT = 1 << 20
BATCH = 16  # bodies a worker converts at a time
IN_FLIGHT = 4  # batches sent and not yet back (bounds the memory they hold)


def import_processes() -> int:
    """How many processes convert bodies: CONTENTKIT_IMPORT_PROCESSES, else up to 2 (the output
    is the same whatever the number: the conversion is pure and results are taken in order)."""
    value = os.environ.get("CONTENTKIT_IMPORT_PROCESSES", "").strip()
    if value.isdigit() and int(value) >= 1:
        return int(value)
    return max(1, min(2, os.cpu_count() or 1))


_BOMS = "\ufeff" + bytes((0xEF, 0xBB, 0xBF)).decode("latin-1")  # a BOM read as UTF-16 or Latin-1


class _Cleaned:
    """A file object that drops the control characters XML 1.0 forbids (WordPress exports carry
    them, copied from word processors), counting them. Only for 8-bit encodings (UTF-8, Latin-1):
    such bytes never occur inside a UTF-8 sequence."""

    def __init__(self, fh):
        self.fh = fh
        self.removed = 0
        self.read_bytes = 0

    def read(self, n=-1):
        data = self.fh.read(n)
        self.read_bytes += len(data)
        clean = data.translate(None, _INVALID_XML)
        self.removed += len(data) - len(clean)
        return clean


def _local(tag) -> tuple[str, str]:
    if not isinstance(tag, str):
        return "", ""
    if tag[0] == "{":
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return "", tag


def _check_prolog(path: Path) -> str:
    """What comes before the root element: refuse a DOCTYPE with entities; return the declared
    encoding (lowercase, '' when none) and check the file starts like XML at all."""
    with open(path, "rb") as fh:
        head = fh.read(PROLOG_LIMIT)
    if not head.strip():
        raise ContentError(path, "import-wxr-not-xml")
    utf16 = head[:2] in (b"\xff\xfe", b"\xfe\xff")
    text = head.decode("utf-16" if utf16 else "latin-1", errors="replace")
    start = re.search(r"<(?![?!])", text)
    prolog = text[: start.start()] if start else text
    if re.search(r"<!DOCTYPE", prolog, re.I) and re.search(r"<!ENTITY", prolog, re.I):
        raise ContentError(path, "import-wxr-entities")
    if re.search(r"<!DOCTYPE", prolog, re.I):
        raise ContentError(path, "import-wxr-doctype")
    if not text.lstrip(_BOMS + " \t\r\n").startswith("<"):
        raise ContentError(path, "import-wxr-not-xml")
    declared = re.match(r"\s*(?:\ufeff|\xef\xbb\xbf)?<\?xml[^>]*encoding=[\"']([\w.:-]+)", text)
    return "utf-16" if utf16 else (declared.group(1).lower() if declared else "utf-8")


def _date(value: str) -> datetime | None:
    value = (value or "").strip()
    if not value or value.startswith("0000"):
        return None
    try:
        return datetime.strptime(value[:19], "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


class WXRReader:
    def __init__(self, path: Path, media_dir: Path | None = None, include_types: tuple = ()):
        self.path = Path(path)
        self.media_dir = Path(media_dir) if media_dir else None
        self.include_types = set(include_types)
        self.result = ImportResult()
        self.base = ""  # the old blog's address, no trailing slash
        self.base_path = ""  # its path ("" or "/blog")
        self.hosts: set[str] = set()
        self.authors: dict[str, ImportedAuthor] = {}  # login (casefolded) -> profile
        self.author_keys: dict[str, str] = {}
        self.categories: dict[str, dict] = {}  # nicename -> {name, parent}
        self.tags: dict[str, str] = {}  # slug -> name
        self.attachments: dict[str, dict] = {}  # id -> {url, file, parent, link, alt}
        self.by_id: dict[str, ImportedItem] = {}
        self.offsets: Counter = Counter()  # post_date - post_date_gmt, minutes
        self.naive: list[tuple[ImportedItem, datetime, datetime | None]] = []
        self.pending_galleries: list[ImportedItem] = []
        self.thumbnails: list[tuple[ImportedItem, str]] = []
        self.item_media: dict[str, dict[str, str]] = {}  # source_ref -> {target: source}
        self._current_media: dict[str, str] = {}
        self._current_ref = ""
        self.is_wxr = False
        self.links: list[tuple[ImportedItem, str]] = []  # (post, its <link> path) for the permalink
        self.processes = import_processes()
        self._pool = None
        self._batch: list[tuple[ImportedItem, object]] = []  # bodies prepared, not yet sent
        self._in_flight: deque = deque()  # (items, AsyncResult), oldest first

    # Reading -----------------------------------------------------------------------------------
    def read(self) -> ImportResult:
        if not self.path.is_file():
            raise ContentError(self.path, "import-file-missing")
        encoding = _check_prolog(self.path)
        try:
            with open(self.path, "rb") as raw:
                source = _Cleaned(raw) if encoding in ("utf-8", "utf8", "iso-8859-1", "latin-1",
                                                        "windows-1252", "us-ascii", "ascii") else raw
                context = etree.iterparse(source, events=("start", "end"), resolve_entities=False,
                                          no_network=True, load_dtd=False, huge_tree=False,
                                          remove_blank_text=False, dtd_validation=False)
                try:
                    self._parse(context)
                    self._drain()
                finally:
                    if self._pool is not None:
                        self._pool.terminate()
                        self._pool.join()
                        self._pool = None
                if isinstance(source, _Cleaned) and source.removed:
                    self.result.log.warning(self.path.name, "import-control-characters", count=source.removed)
        except ContentError:
            raise
        except etree.XMLSyntaxError as exc:
            raise self._syntax_error(exc) from None
        except (LookupError, UnicodeError) as exc:
            raise ContentError(self.path, "import-wxr-encoding", detail=str(exc)) from None
        if not self.is_wxr:
            raise ContentError(self.path, "import-wxr-not-wordpress")
        self._finish()
        return self.result

    def _syntax_error(self, exc: etree.XMLSyntaxError) -> ContentError:
        line = exc.lineno or (exc.position[0] if getattr(exc, "position", None) else None)
        message = str(getattr(exc, "msg", "") or exc).strip()
        low = message.lower()
        if "encoding" in low or "utf-8" in low or "bytes:" in low or "char value" in low:
            return ContentError(self.path, "import-wxr-encoding", line=line, detail=message)
        if "entity" in low or "entities" in low:
            return ContentError(self.path, "import-wxr-entities", line=line)
        if not _ends_like_rss(self.path) and (  # cut short: no </rss>, and the error is where the file stops
                any(w in low for w in ("premature end", "end of data", "not finished")) or _at_end(self.path, line)):
            return ContentError(self.path, "import-wxr-truncated", line=line)
        if "document is empty" in low or "start tag expected" in low:
            return ContentError(self.path, "import-wxr-not-xml", line=line)
        return ContentError(self.path, "import-wxr-malformed", line=line, detail=message)

    def _parse(self, context) -> None:
        depth = 0
        in_item = False
        for event, el in context:
            ns, name = _local(el.tag)
            if event == "start":
                depth += 1
                if depth == 1 and name != "rss":
                    raise ContentError(self.path, "import-wxr-not-wordpress")
                if name == "item" and depth == 3:
                    in_item = True
                continue
            depth -= 1
            if in_item and not (name == "item" and depth == 2):
                continue
            if ns.startswith(WP_PREFIX) and not self.is_wxr:
                self.is_wxr = True
            if depth == 2:  # a child of <channel>
                if name == "item":
                    in_item = False
                    if not self.is_wxr:
                        self.is_wxr = any(_local(c.tag)[0].startswith(WP_PREFIX) for c in el)
                    self._item(el)
                elif ns.startswith(WP_PREFIX):
                    self._channel_wp(name, el)
                elif name == "title" and not ns:
                    self.result.site_title = (el.text or "").strip()
                elif name == "link" and not ns and not self.base:
                    self._set_base((el.text or "").strip())
                elif name == "language" and not ns:
                    lang = (el.text or "").strip().split("-")[0].lower()
                    self.result.language = lang if re.fullmatch(r"[a-z]{2,3}", lang) else ""
                el.clear(keep_tail=False)
                parent = el.getparent()
                if parent is not None:
                    while el.getprevious() is not None:
                        del parent[0]

    def _set_base(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.netloc:
            self.base = f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"
            self.base_path = parts.path.rstrip("/")
            self.result.base_url = self.base + "/"
            self.hosts.add(parts.netloc.lower())
            host = parts.netloc.lower()
            self.hosts.add(host[4:] if host.startswith("www.") else "www." + host)

    def _channel_wp(self, name: str, el) -> None:
        fields = {_local(c.tag)[1]: (c.text or "") for c in el}
        if name == "base_blog_url":
            self._set_base((el.text or "").strip())
        elif name == "base_site_url":
            parts = urlsplit((el.text or "").strip())
            if parts.netloc:
                self.hosts.add(parts.netloc.lower())
        elif name == "author":
            login = fields.get("author_login", "").strip()
            if not login:
                return
            display = _plain(fields.get("author_display_name")) or _plain(
                f"{fields.get('author_first_name', '')} {fields.get('author_last_name', '')}") or login
            self._author(login, display, fields.get("author_email", "").strip())
        elif name == "category":
            nicename = decoded_slug(fields.get("category_nicename", ""))
            if nicename:
                self.categories[nicename] = {"name": _plain(fields.get("cat_name")) or nicename,
                                             "parent": decoded_slug(fields.get("category_parent", ""))}
        elif name == "tag":
            slug = decoded_slug(fields.get("tag_slug", ""))
            if slug:
                self.tags[slug] = _plain(fields.get("tag_name")) or slug
        elif name == "term" and fields.get("term_taxonomy") == "author":  # Co-Authors Plus guests
            pass

    def _author(self, login: str, name: str, email: str = "") -> str:
        folded = login.casefold()
        if folded in self.author_keys:
            return self.author_keys[folded]
        key = slugify(name if "@" in login else login) or slugify(name) or "author"
        taken = {a.key for a in self.authors.values()}
        base, n = key, 2
        while key in taken:
            key, n = f"{base}-{n}", n + 1
        self.authors[folded] = ImportedAuthor(key=key, name=name, email=email)
        self.author_keys[folded] = key
        self.result.authors.append(self.authors[folded])
        return key

    # Items --------------------------------------------------------------------------------------
    def _item(self, el) -> None:
        f: dict[str, str] = {}
        terms: list[tuple[str, str, str]] = []  # (domain, nicename, name)
        meta: dict[str, str] = {}
        comments: list[dict] = []
        for child in el:
            ns, name = _local(child.tag)
            if name == "category" and not ns:
                terms.append((child.get("domain", ""), decoded_slug(child.get("nicename", "")),
                              _plain(child.text)))
            elif name == "postmeta":
                kv = {_local(c.tag)[1]: (c.text or "") for c in child}
                meta[kv.get("meta_key", "")] = kv.get("meta_value", "")
            elif name == "comment":
                comments.append({_local(c.tag)[1]: (c.text or "") for c in child if _local(c.tag)[1] != "commentmeta"})
            elif ns == CONTENT_NS and name == "encoded":
                f["content"] = child.text or ""
            elif ns.endswith("/excerpt/") and name == "encoded":
                f["excerpt"] = child.text or ""
            elif ns == DC_NS and name == "creator":
                f["creator"] = (child.text or "").strip()
            else:
                f.setdefault(name, child.text or "")
        post_id = f.get("post_id", "").strip()
        ref = f"wp:{post_id or '?'}"
        kind = (f.get("post_type") or "post").strip()
        status = (f.get("status") or "").strip()
        if kind == "attachment":
            self.result.count("attachment")
            self.attachments[post_id] = {"url": f.get("attachment_url", "").strip(),
                                         "file": meta.get("_wp_attached_file", ""),
                                         "parent": f.get("post_parent", "0").strip(),
                                         "link": f.get("link", "").strip(),
                                         "alt": meta.get("_wp_attachment_image_alt", ""),
                                         "caption": to_text(f.get("excerpt", ""))}
            return
        if kind in ("post", "page") or kind in self.include_types:
            pass
        elif kind in SKIPPED_TYPES:
            self.result.count(f"type:{kind}")
            return
        else:
            self.result.count(f"type:{kind}")
            self.result.log.warning(ref, "import-custom-type", type=kind)
            self.result.skip(ref, "import-custom-type")
            return
        if status in ("auto-draft", "trash", "inherit"):
            self.result.count(f"status:{status}")
            self.result.skip(ref, "import-status-skipped")
            return
        if status not in STATUS:
            self.result.log.warning(ref, "import-status-unknown", status=status)
            self.result.skip(ref, "import-status-unknown")
            return
        if (f.get("post_password") or "").strip():
            self.result.log.warning(ref, "import-password-protected", title=(f.get("title") or "").strip())
            self.result.skip(ref, "import-password-protected")
            return
        self._current_ref = ref
        self._current_media = {}
        local, gmt = _date(f.get("post_date", "")), _date(f.get("post_date_gmt", ""))
        title = _plain(f.get("title"))
        raw_slug = (f.get("post_name") or "").strip()
        slug = decoded_slug(raw_slug) or slugify(title) or (f"{kind}-{post_id}" if post_id else kind)
        if not title:
            title = slug
            self.result.log.warning(ref, "import-title-missing", slug=slug)
        wp_status = STATUS[status]
        if status == "private":
            self.result.log.warning(ref, "import-private", title=title)
        ctx = BodyContext(ref, media=self._media, local_link=self._local_link, post_id=post_id)
        prepared = prepare_markdown(f.get("content", ""), ctx)
        for code, params in ctx.notes:
            if code == "import-block-reusable":
                self.result.log.warning(ref, "import-block-reusable", ref=params["ref"])
            else:
                self.result.log.warning(ref, "import-block-dynamic", block=params["block"])
        for key, n in ctx.counts.items():
            self.result.count(key, n)
        item = ImportedItem(kind="page" if kind == "page" else "post", source_ref=ref, title=title,
                            slug=slug, status=wp_status)
        if kind not in ("post", "page"):
            item.extra["type"] = kind
        item.summary = to_text(f.get("excerpt", ""))
        # Dates: the export's wall-clock time and its offset from GMT (the blog's timezone).
        if local and gmt:
            offset = local - gmt
            minutes = int(offset.total_seconds() // 60)
            if abs(minutes) <= 14 * 60:
                self.offsets[minutes] += 1
                item.date = local.replace(tzinfo=timezone(timedelta(minutes=minutes)))
            else:
                item.date = gmt.replace(tzinfo=timezone.utc)
        elif local or gmt:
            self.naive.append((item, local or gmt, None))
        mod, mod_gmt = _date(f.get("post_modified", "")), _date(f.get("post_modified_gmt", ""))
        if mod and mod_gmt and abs((mod - mod_gmt).total_seconds()) <= 14 * 3600:
            item.updated = mod.replace(tzinfo=timezone(mod - mod_gmt))
        if wp_status == "scheduled":
            item.extra["approved_by"] = "WordPress"
        if item.kind == "post" and item.date is None and not (local or gmt) and wp_status in ("published", "scheduled"):
            self.result.log.warning(ref, "import-date-missing", title=title)
            item.status = "writing"
        # People
        creator = f.get("creator", "")
        coauthors = [(nice, name) for domain, nice, name in terms if domain == "author"]
        if coauthors:
            for nice, name in coauthors:
                login = nice[4:] if nice.startswith("cap-") else nice
                item.authors.append(self._author(login, name or login))
        elif creator:
            item.authors.append(self._author(creator, creator))
        # Terms
        for domain, nice, name in terms:
            if domain == "category":
                entry = self.categories.get(nice) or {"name": name or nice, "parent": ""}
                chain, seen = [], set()
                while entry and nice not in seen:
                    seen.add(nice)
                    chain.append(entry["name"])
                    nice = entry["parent"]
                    entry = self.categories.get(nice) if nice else None
                for cname in chain:
                    if cname not in item.categories:
                        item.categories.append(cname)
            elif domain == "post_tag":
                tname = name or self.tags.get(nice, nice)
                if tname and tname not in item.tags:
                    item.tags.append(tname)
            elif domain == "language" and nice:  # Polylang
                item.extra["lang"] = nice.split("_")[0].lower()
            elif domain == "post_format" and nice:
                self.result.count(f"format:{nice.replace('post-format-', '')}")
        if (f.get("is_sticky") or "0").strip() == "1":
            item.extra["sticky"] = True
        if meta.get("_thumbnail_id", "").strip().isdigit():
            self.thumbnails.append((item, meta["_thumbnail_id"].strip()))
        # Old URLs (only for what was public)
        if wp_status == "published":  # drafts, private and future posts never had a public URL
            link = f.get("link", "").strip()
            if link:
                self._old_url(item, link, own=True)
            if post_id:
                query = f"/?page_id={post_id}" if item.kind == "page" else f"/?p={post_id}"
                self.result.query_urls[query] = ref
            guid = f.get("guid", "").strip()
            if guid and urlsplit(guid).netloc.lower() in self.hosts and urlsplit(guid).query:
                parts = urlsplit(guid)
                self.result.query_urls[f"/?{parts.query}"] = ref
            if item.kind == "post" and item.date and raw_slug and "/" not in decoded_slug(raw_slug):
                d = item.date
                item.old_urls.append(f"{self.base_path}/{d.year:04d}/{d.month:02d}/{d.day:02d}/{raw_slug}/")
        # Comments (approved ones; spam and trash left out)
        kept = []
        for c in comments:
            approved = c.get("comment_approved", "").strip()
            if approved != "1":
                self.result.count("comment-unapproved")
                continue
            ctype = c.get("comment_type", "").strip() or "comment"
            self.result.count("pingback" if ctype in ("pingback", "trackback") else "comment")
            kept.append({"id": c.get("comment_id", "").strip(), "parent": c.get("comment_parent", "0").strip(),
                         "type": ctype, "author": c.get("comment_author", "").strip(),
                         "url": c.get("comment_author_url", "").strip(), "date": c.get("comment_date_gmt", "").strip(),
                         "content": c.get("comment_content", "")})
        if kept:
            self.result.comments[ref] = kept
        item.media = [MediaRef(source=src, target=target) for target, src in self._current_media.items()]
        if post_id:
            self.by_id[post_id] = item
        self.result.items.append(item)
        self.result.count(item.kind)
        self._convert(item, prepared)

    # Bodies: markdownify in worker processes (forked; the streaming reader stays here) --------------
    def _convert(self, item: ImportedItem, prepared) -> None:
        if self.processes <= 1:
            self._body_done(item, finish_markdown(prepared))
            return
        self._batch.append((item, prepared))
        if len(self._batch) >= BATCH:
            self._send()

    def _send(self) -> None:
        if not self._batch:
            return
        if self._pool is None:
            self._pool = multiprocessing.get_context("fork").Pool(self.processes)
        items = [it for it, _ in self._batch]
        self._in_flight.append((items, self._pool.apply_async(finish_many, ([p for _, p in self._batch],))))
        self._batch = []
        while len(self._in_flight) > IN_FLIGHT:
            self._receive()

    def _receive(self) -> None:
        items, pending = self._in_flight.popleft()
        for item, body in zip(items, pending.get()):
            self._body_done(item, body)

    def _drain(self) -> None:
        self._send()
        while self._in_flight:
            self._receive()

    def _body_done(self, item: ImportedItem, body: str) -> None:
        item.body = body
        if GALLERY_TOKEN in body:
            self.pending_galleries.append(item)

    def _old_url(self, item: ImportedItem, url: str, own: bool = False) -> None:
        parts = urlsplit(url)
        if parts.netloc and parts.netloc.lower() not in self.hosts:
            return
        path = parts.path or "/"
        if self.base_path and path.startswith(self.base_path):
            path = path[len(self.base_path):] or "/"
        if parts.query:
            self.result.query_urls[f"{path}?{parts.query}"] = item.source_ref
        else:
            item.old_urls.append(path)
            if own and item.kind == "post":
                self.links.append((item, unquote(path)))

    # Media ------------------------------------------------------------------------------------
    def _upload_path(self, url: str) -> str | None:
        """'https://old/wp-content/uploads/2020/05/x-150x150.jpg' -> '2020/05/x-150x150.jpg'."""
        parts = urlsplit(url.strip())
        if parts.netloc and parts.netloc.lower() not in self.hosts:
            return None
        path = unquote(parts.path)
        marker = "/wp-content/uploads/"
        if marker not in path:
            return None
        return path.split(marker, 1)[1]

    def _media(self, url: str) -> str | None:
        rel = self._upload_path(url) if url else None
        if rel is None:
            return None
        if self.media_dir is None:
            self.result.external_media.append((self._current_ref, url))
            return None
        candidates = [rel]
        original = _SCALED.sub("", _SIZE_VARIANT.sub("", rel))
        if original != rel:
            candidates.insert(0, original)
        for cand in candidates:
            parts = cand.split("/")
            if any(p in ("", ".", "..") for p in parts) or "\\" in cand or "\x00" in cand:
                self.result.log.warning(self._current_ref, "import-media-unsafe", name=cand)
                return None
            src = self.media_dir.joinpath(*parts)
            try:
                inside = src.resolve().is_relative_to(self.media_dir.resolve())
            except OSError:
                inside = False
            if inside and src.is_file():
                target = safe_name(parts[-1])
                if not target:
                    return None
                prior = self._current_media.get(target)
                if prior is not None and prior != str(src):
                    stem, dot, ext = target.rpartition(".")
                    target = f"{stem}-{len(self._current_media)}.{ext}" if dot else f"{target}-{len(self._current_media)}"
                self._current_media[target] = str(src)
                return target
        self.result.log.warning(self._current_ref, "import-media-missing", path=rel)
        return None

    def _local_link(self, url: str) -> str | None:
        """A link to a page of the old blog -> its path, so it follows the aliases on the new site."""
        parts = urlsplit(url.strip())
        if not parts.netloc or parts.netloc.lower() not in self.hosts or "/wp-content/" in parts.path:
            return None
        path = parts.path or "/"
        if self.base_path:
            if not path.startswith(self.base_path):
                return None
            path = path[len(self.base_path):] or "/"
        return path + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")

    # After the last item --------------------------------------------------------------------------
    def _finish(self) -> None:
        offset = self.offsets.most_common(1)[0][0] if self.offsets else 0
        tz = timezone(timedelta(minutes=offset))
        for item, naive, _ in self.naive:
            item.date = naive.replace(tzinfo=tz)
        # Attachments: their pages redirect to the post they belong to; featured images; galleries.
        for att_id, att in self.attachments.items():
            parent = self.by_id.get(att["parent"])
            if parent is not None and parent.status == "published" and att["link"]:
                self._old_url(parent, att["link"])
                self.result.query_urls[f"/?attachment_id={att_id}"] = parent.source_ref
        for item, thumb in self.thumbnails:
            att = self.attachments.get(thumb)
            if att:
                self._current_ref, self._current_media = item.source_ref, {m.target: m.source for m in item.media}
                local = self._media(att["url"])
                item.extra["image"] = local or att["url"]
                if att["alt"]:
                    item.extra["image_alt"] = att["alt"]
                item.media = [MediaRef(source=s, target=t) for t, s in self._current_media.items()]
        for item in self.pending_galleries:
            self._current_ref, self._current_media = item.source_ref, {m.target: m.source for m in item.media}
            item.body = re.sub(f"{GALLERY_TOKEN}(.*?)ckend", lambda m: self._gallery(item, m.group(1)), item.body)
            item.media = [MediaRef(source=s, target=t) for t, s in self._current_media.items()]
        # Category and tag archives of the old blog -> contentkit's term pages.
        for nicename, entry in self.categories.items():
            chain, nice, seen = [], nicename, set()
            while nice and nice in self.categories and nice not in seen:
                seen.add(nice)
                chain.append(nice)
                nice = self.categories[nice]["parent"]
            path = "/".join(reversed(chain))
            self.result.term_urls.append(TermURL(f"/category/{path}/", "category", entry["name"]))
        used_tags = {t for i in self.result.items for t in i.tags}
        for slug, name in self.tags.items():
            if name in used_tags:
                self.result.term_urls.append(TermURL(f"/tag/{slug}/", "tag", name))
        used_categories = {c for i in self.result.items for c in i.categories}
        self.result.term_urls = [t for t in self.result.term_urls
                                 if t.taxonomy == "tag" or t.name in used_categories]
        if self.offsets:
            self.result.counts["timezone-offset-minutes"] = offset
        self.result.permalink = self._permalink()

    def _permalink(self) -> str:
        """The contentkit pattern every published post's <link> follows, when one does."""
        patterns = {"/{year}/{month}/{day}/{slug}/": "{y}/{m}/{d}/{s}", "/{year}/{month}/{slug}/": "{y}/{m}/{s}",
                    "/{year}/{slug}/": "{y}/{s}", "/{slug}/": "{s}"}
        fits = set(patterns)
        seen = 0
        for item, link in self.links:
            d = item.date
            if d is None:
                continue
            seen += 1
            values = {"y": f"{d.year:04d}", "m": f"{d.month:02d}", "d": f"{d.day:02d}", "s": item.slug}
            fits = {p for p in fits if link == "/" + patterns[p].format(**values) + "/"}
            if not fits:
                return ""
        return next(iter(fits)) if seen and len(fits) == 1 else ""

    def _gallery(self, item: ImportedItem, spec: str) -> str:
        if spec.startswith("post"):
            pid = spec[4:]
            ids = [i for i, a in self.attachments.items() if a["parent"] == pid]
        else:
            ids = [i for i in spec.split(",") if i]
        lines = []
        for att_id in ids:
            att = self.attachments.get(att_id)
            if not att or not att["url"]:
                self.result.log.warning(item.source_ref, "import-gallery-missing", id=att_id)
                continue
            src = self._media(att["url"]) or att["url"]
            alt = (att["alt"] or "").replace("]", "")
            title = f' "{att["caption"]}"' if att["caption"] else ""
            lines.append(f"![{alt}]({src}{title})")
        return "\n\n".join(lines)


def _plain(value) -> str:
    """A title or a name as WordPress stores it (HTML entities, stray tags) -> plain text."""
    text = htmllib.unescape(re.sub(r"<[^>]+>", "", str(value or "")))
    return " ".join(text.split())


def _ends_like_rss(path: Path) -> bool:
    with open(path, "rb") as fh:
        fh.seek(max(0, path.stat().st_size - 64))
        return fh.read().rstrip().endswith(b"</rss>")


def _at_end(path: Path, line) -> bool:
    """Whether a syntax error's line is the last line of the file (a truncated export)."""
    try:
        line = int(line)
    except (TypeError, ValueError):
        return False
    with open(path, "rb") as fh:
        total = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
    return line >= total


def read_wordpress(path: Path, media_dir: Path | None = None, include_types: tuple = ()) -> ImportResult:
    """Read a WXR export (see the module docstring); raises ImportFailed when it cannot be read."""
    return WXRReader(path, media_dir, include_types).read()
