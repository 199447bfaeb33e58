"""What the Jekyll, Hugo and Pelican readers share: reading a source file, splitting its front
matter (YAML `---`, TOML `+++`, JSON `{…}`), lists as those generators accept them, the old
site's URL patterns, and contentkit's own URL for an imported post (so an old URL that differs
becomes an alias, and a link between posts points at the new address).

Nothing here writes a file: the readers return an `ImportResult` (common.py) and `write_import`
writes it.
"""
from __future__ import annotations

import json
import os
import posixpath
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from ..dates import DateError, parse_date
from ..slugs import slugify
from ..yaml_safe import SAFE_LOADER

_KEY_LINE = re.compile(r"^\s*\"?([A-Za-z_][\w.-]*)\"?\s*[:=]")
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mkdn")
HIDDEN_FILE_PREFIXES = (".", "#", "~")  # dot files, Emacs autosaves, backups: never content


def visible_files(folder: Path) -> Iterator[Path]:
    """Every file under `folder` outside hidden (dot) folders, hidden files left out, in a stable
    order (sorted per folder) so two imports of one site list the same items in the same order."""
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith(HIDDEN_FILE_PREFIXES):
                yield Path(dirpath) / name


class SourceProblem(Exception):
    """A file that cannot be imported: a catalog code (errors.yml) and the line."""

    def __init__(self, code: str, line: int | None = None, **params):
        super().__init__(code)
        self.code, self.line, self.params = code, line, params


@dataclass
class Source:
    meta: dict
    body: str
    body_line: int  # 1-based line of the body's first line in the file
    key_lines: dict[str, int] = field(default_factory=dict)
    syntax: str = "yaml"  # yaml | toml | json | none


def read_text(path: Path) -> str:
    """A file's text: UTF-8 (BOM dropped), LF line endings. Raises SourceProblem."""
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceProblem("import-file-not-utf8", line=data[: exc.start].count(b"\n") + 1) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _key_lines(lines: list[str], first: int) -> dict[str, int]:
    out: dict[str, int] = {}
    for i, line in enumerate(lines):
        m = _KEY_LINE.match(line)
        if m and not line.startswith((" ", "\t")):
            out.setdefault(m.group(1), i + first)
    return out


def split_front_matter(text: str, allow_none: bool = True) -> Source:
    """YAML between `---` lines, TOML between `+++` lines, or a JSON object at the top (Hugo).
    A file without front matter is all body (`allow_none`). Raises SourceProblem."""
    lines = text.split("\n")
    first = lines[0].strip() if lines else ""
    if first in ("---", "+++"):
        end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == first
                    or (first == "---" and lines[i].rstrip() == "...")), None)
        if end is None:
            raise SourceProblem("import-front-matter-unclosed", line=1)
        raw = "\n".join(lines[1:end])
        body = "\n".join(lines[end + 1:])
        if first == "---":
            try:
                meta = yaml.load(raw, Loader=SAFE_LOADER) if raw.strip() else {}
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
                raise SourceProblem("import-front-matter-invalid", line=mark.line + 2 if mark else 1,
                                    problem=getattr(exc, "problem", None) or str(exc).splitlines()[0]) from None
            syntax = "yaml"
        else:
            try:
                meta = tomllib.loads(raw)
            except tomllib.TOMLDecodeError as exc:
                m = re.search(r"line (\d+)", str(exc))
                raise SourceProblem("import-front-matter-invalid", line=int(m.group(1)) + 1 if m else 1,
                                    problem=str(exc).split(" (at")[0]) from None
            syntax = "toml"
        if meta is None:
            meta = {}
        if not isinstance(meta, dict):
            raise SourceProblem("import-front-matter-not-mapping", line=2)
        return Source({str(k): v for k, v in meta.items()}, body, end + 2, _key_lines(lines[1:end], 2), syntax)
    if first.startswith("{"):
        decoder = json.JSONDecoder()
        try:
            meta, end = decoder.raw_decode(text)
        except json.JSONDecodeError as exc:
            raise SourceProblem("import-front-matter-invalid", line=exc.lineno, problem=exc.msg) from None
        if not isinstance(meta, dict):
            raise SourceProblem("import-front-matter-not-mapping", line=1)
        head = text[:end]
        body = text[end:].lstrip(" \t").removeprefix("\n")
        lines_before = head.count("\n") + (1 if text[end:].lstrip(" \t").startswith("\n") else 0)
        keys = {str(k): 1 + i for i, line in enumerate(head.split("\n"))
                for k in meta if f'"{k}"' in line}
        return Source({str(k): v for k, v in meta.items()}, body, lines_before + 1, keys, "json")
    if not allow_none:
        raise SourceProblem("import-front-matter-missing", line=1)
    return Source({}, text, 1, {}, "none")


def as_list(value, split: str | None = None) -> list[str]:
    """A front-matter list: a list, or a string split on `split` (" " = any whitespace, Jekyll's
    `categories: a b`; "," = Pelican's `Tags: a, b`), or one value."""
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple)):
        out = []
        for v in value:
            out.extend(as_list(v) if isinstance(v, (list, tuple)) else ([str(v).strip()] if str(v).strip() else []))
        return out
    if isinstance(value, dict):
        return []
    text = str(value)
    if split == " ":
        return text.split()
    if split:
        return [v.strip() for v in text.split(split) if v.strip()]
    return [text.strip()] if text.strip() else []


def unique(values) -> list:
    seen, out = set(), []
    for v in values:
        key = v.casefold() if isinstance(v, str) else v
        if key not in seen:
            seen.add(key)
            out.append(v)
    return out


def zone(name, default: str = "UTC") -> ZoneInfo:
    try:
        return ZoneInfo(str(name)) if name else ZoneInfo(default)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(default)


def to_datetime(value, tz: ZoneInfo) -> datetime | None:
    """A front-matter date (YAML/TOML date or datetime, string) -> aware datetime, None if absent
    or unreadable (the caller says which)."""
    if value in (None, ""):
        return None
    if isinstance(value, time):
        return None
    try:
        return parse_date(value, tz)
    except (DateError, ValueError, OverflowError, TypeError):
        return None


def is_date_like(value) -> bool:
    return isinstance(value, (date, datetime))


# URLs ------------------------------------------------------------------------------------------
def clean_path(path: str) -> str:
    """An old site's URL path as a file server maps it: percent-escapes decoded, one leading slash,
    runs of slashes squeezed, `index.html` kept as written."""
    path = unquote(path.strip())
    path = re.sub(r"/{2,}", "/", "/" + path.lstrip("/"))
    return path


def contentkit_url(permalink: str, slug: str, when: datetime, categories: list[str], lang: str,
                   tz: ZoneInfo) -> str:
    """The path contentkit gives a post (assemble.py `_url_path`), under the site's root."""
    local = when.astimezone(tz)
    return permalink.format(year=f"{local.year:04d}", month=f"{local.month:02d}", day=f"{local.day:02d}",
                            slug=slug, category=slugify(categories[0]) if categories else "blog", lang=lang)


def same_url(a: str, b: str) -> bool:
    """Two site paths the same file answers (`/x/` and `/x/index.html`)."""
    def norm(p: str) -> str:
        p = clean_path(p)
        return p[: -len("index.html")] if p.endswith("/index.html") else p
    return norm(a) == norm(b)


def alias_paths(old_urls, new_url: str) -> list[str]:
    """The old URLs that are not the new one, without repeats (what becomes `aliases`)."""
    out = []
    for url in old_urls:
        if not url:
            continue
        path = clean_path(url)
        if ".." in path.split("/") or path == "/":
            continue
        if not same_url(path, new_url) and all(not same_url(path, o) for o in out):
            out.append(path)
    return out


def relative_target(base_dir: str, link: str) -> str:
    """`link` (relative to `base_dir`, or rooted at the content folder when it starts with '/')
    as a normalized posix path inside the content folder."""
    link = unquote(link.split("#", 1)[0].split("?", 1)[0])
    if link.startswith("/"):
        return posixpath.normpath(link.lstrip("/"))
    return posixpath.normpath(posixpath.join(base_dir, link))


def strip_html(text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())


# Bodies: links and media ------------------------------------------------------------------------
_MD_LINK = re.compile(r"(?P<head>!?\[(?:[^\]\[]|\[[^\]]*\])*\]\(\s*)(?P<angle><?)(?P<url>[^)\s>]+)>?(?P<tail>(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\))")
_MD_REF = re.compile(r"^(?P<head>[ ]{0,3}\[[^\]]+\]:[ \t]*)<?(?P<url>[^\s>]+)>?(?P<tail>.*)$", re.M)
_HTML_ATTR = re.compile(r"(?P<head>\b(?:src|href|poster)\s*=\s*)(?P<q>[\"'])(?P<url>[^\"'<>]*)(?P=q)", re.I)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//|^#|^\?")
_FENCE_LINE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")


def outside_code(body: str, func) -> str:
    """`func(text)` applied to the parts of a Markdown body outside fenced code blocks and
    inline code spans (sample code keeps `{{ }}`, links and paths as written)."""
    out, chunk, fence = [], [], None
    for line in body.split("\n"):
        m = _FENCE_LINE.match(line)
        if fence is None and m:
            out.append(_outside_spans(("\n".join(chunk) + "\n") if chunk else "", func))
            chunk, fence = [], m.group(1)
            out.append(line + "\n")
        elif fence is not None:
            out.append(line + "\n")
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line.strip()[len(m.group(1)):].strip():
                fence = None
        else:
            chunk.append(line)
    out.append(_outside_spans("\n".join(chunk), func) if chunk else "")
    text = "".join(out)
    return text[:-1] if text.endswith("\n") and not body.endswith("\n") else text


_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.S)


def _outside_spans(text: str, func) -> str:
    parts, last = [], 0
    for m in _SPAN.finditer(text):
        parts.append(func(text[last:m.start()]))
        parts.append(m.group(0))
        last = m.end()
    parts.append(func(text[last:]))
    return "".join(parts)


def rewrite_links(body: str, func) -> str:
    """Every link target of a Markdown body (inline links and images, reference definitions,
    HTML src/href) through `func(url) -> new url or None (kept)`, outside code."""
    def one(m: re.Match) -> str:
        new = func(m.group("url"))
        if new is None:
            return m.group(0)
        if m.re is _HTML_ATTR:
            return f"{m.group('head')}{m.group('q')}{new}{m.group('q')}"
        if m.re is _MD_LINK:
            return f"{m.group('head')}{new}{m.group('tail')}"
        return f"{m.group('head')}{new}{m.group('tail')}"

    def run(text: str) -> str:
        text = _MD_LINK.sub(one, text)
        text = _MD_REF.sub(one, text)
        return _HTML_ATTR.sub(one, text)
    return outside_code(body, run)


def is_local(url: str) -> bool:
    return bool(url) and not _SCHEME.match(url)


class MediaNames:
    """File names next to one article: the same source file keeps one name, two files with the
    same name get `name-2.ext`."""

    def __init__(self):
        self.by_source: dict[Path, str] = {}
        self.taken: set[str] = set()

    def name(self, source: Path, wanted: str | None = None) -> str:
        source = source.resolve()
        if source in self.by_source:
            return self.by_source[source]
        base = wanted or source.name
        stem, dot, ext = base.rpartition(".") if "." in base else (base, "", "")
        name, n = base, 2
        while name.casefold() in self.taken or name.endswith((".md", ".markdown")):
            name = f"{stem}-{n}{dot}{ext}" if dot else f"{base}-{n}"
            n += 1
        self.taken.add(name.casefold())
        self.by_source[source] = name
        return name


def inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False


def count_foreign_tags(body: str, counts: dict, prefix: str) -> None:
    """Liquid / Go-template tags left in a body (outside code), by name: `{% include %}` ->
    "<prefix>include", `{{ site.title }}` -> "<prefix>{{ site.title }}"."""
    def scan(text: str) -> str:
        for m in re.finditer(r"\{%-?\s*(\w+)", text):
            key = prefix + m.group(1)
            counts[key] = counts.get(key, 0) + 1
        for m in re.finditer(r"\{\{-?\s*([\w.]+)", text):
            key = prefix + "{{ " + m.group(1) + " }}"
            counts[key] = counts.get(key, 0) + 1
        return text
    outside_code(body, scan)


def line_of(body: str, index: int, body_line: int) -> int:
    return body_line + body.count("\n", 0, index)


def source_datetime(value, tz: ZoneInfo | None = None) -> datetime | None:
    """A front-matter date as the old generator read it, as a naive datetime: the wall time of the
    old site (a date with an offset is moved to `tz`, the old site's timezone, when known, else
    kept in its own). None when absent or unreadable."""
    if value in (None, "") or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, time(0, 0))
    elif isinstance(value, str):
        text = re.sub(r"^(\d{4}-\d{1,2}-\d{1,2})[ T](\d)(:\d\d)", r"\1 0\2\3", value.strip())
        text = re.sub(r"\s+([+-]\d{2}):?(\d{2})$", r"\1:\2", text)  # "2020-01-15 10:00:00 +0100"
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            try:
                from dateutil import parser as date_parser
                parsed = date_parser.parse(text, dayfirst=not re.match(r"^\d{4}", text))
            except (ValueError, OverflowError):
                return None
    else:
        return None
    if parsed.tzinfo is not None:
        # The old site's wall time, without its zone: the day in every URL stays the one the old
        # site used, and the build and write_import (which reads an aware date in the new site's
        # zone, a naive one as it is written) agree on it.
        parsed = (parsed.astimezone(tz) if tz is not None else parsed).replace(tzinfo=None)
    return parsed


def same_kind(first: datetime | None, second: datetime | None, tz: ZoneInfo | None):
    """Two dates of one item both naive or both aware (a TOML `date` with an offset beside a
    `lastmod` without one): the naive one is read in the other's zone."""
    if first is None or second is None or (first.tzinfo is None) == (second.tzinfo is None):
        return first, second
    if first.tzinfo is not None:
        return first, second.replace(tzinfo=first.tzinfo)
    return first, second.astimezone(tz or ZoneInfo("UTC")).replace(tzinfo=None)


class Context:
    """Where an item came from, for its second pass (links, media)."""

    def __init__(self, rel: str, path: Path, body_line: int = 1, **more):
        self.rel, self.path, self.dir, self.body_line = rel, path, path.parent, body_line
        self.__dict__.update(more)


class SiteReader:
    """The two passes of the Jekyll, Hugo and Pelican readers. First `read_items` makes every
    ImportedItem (metadata, raw body, old URLs); then, every item's new address known, `finish`
    turns each body into contentkit Markdown: the reader's own syntax (`transform_body`), links to
    other content (source paths, old URLs) made the new URLs, local files next to the article."""

    kind = "ssg"

    def __init__(self, root: Path):
        from ..errors import ContentError
        from .common import ImportResult
        if not Path(root).is_dir():
            raise ContentError(str(root), "import-folder-missing")
        self.root = Path(root).resolve()
        self.result = ImportResult()
        self.entries: list[tuple] = []  # (ImportedItem, Context)
        self.by_rel: dict[str, object] = {}
        self.by_old: dict[str, object] = {}
        self._urls: dict[int, str] = {}

    def within(self, rel: str, path: Path) -> bool:
        """Whether a source file really is in the site folder: a symbolic link to a file outside it
        (`_posts/x.md -> ~/.ssh/id_rsa` in a cloned repository) is never read nor published."""
        if inside(path, self.root):
            return True
        self.result.skip(self.ref(rel), "import-file-outside")
        self.result.log.warning(self.ref(rel), "import-file-outside", path=rel)
        return False

    def ref(self, rel: str, line: int | None = 1) -> str:
        return f"{rel}:{line or 1}"

    # People: `self.people` (key -> ImportedAuthor) is set by each reader from the old site's data.
    def add_person(self, author) -> str:
        """Register a person once (the first profile met for a key wins); their key."""
        if author.key not in self.people:
            self.people[author.key] = author
            self.result.authors.append(author)
        return author.key

    def known_person(self, text: str) -> str | None:
        """The key of a person already known by that key or, ignoring case, by that name."""
        if text in self.people:
            return text
        return next((k for k, a in self.people.items() if a.name.casefold() == text.casefold()), None)

    def add(self, item, ctx: Context) -> None:
        self.result.items.append(item)
        self.entries.append((item, ctx))
        self.by_rel[ctx.rel] = item

    def site_config(self):
        from ..config import SiteConfig
        return SiteConfig(base_url="http://localhost/", permalink=self.result.permalink or "/{year}/{slug}/",
                          language=self.result.language or "fr")

    def url_of(self, item) -> str:
        return self._urls.get(id(item), "")

    def finish(self):
        from .common import new_url
        cfg = self.site_config()
        taken: dict[str, object] = {}
        for item, _ctx in self.entries:
            item.date, item.updated = same_kind(item.date, item.updated, getattr(self, "tz", None))
            url = new_url(item, cfg)
            if item.status == "published" and url in taken and "permalink" not in item.extra:
                # Two items at one address (a translation with its original's slug): the second
                # gets its language (or a number) after its slug, here, so links to it are right.
                base, n = item.slug, 2
                lang = str(item.extra.get("lang") or "")
                item.slug = f"{base}-{lang}" if lang else f"{base}-{n}"
                while new_url(item, cfg) in taken:
                    item.slug, n = f"{base}-{n}", n + 1
                url = new_url(item, cfg)
            if item.status == "published":
                taken[url] = item
            self._urls[id(item)] = url
            item.old_urls = alias_paths(item.old_urls, url)
            for old in item.old_urls:
                path = clean_path(old)
                self.by_old.setdefault(path, item)
                if path.endswith("/index.html"):
                    self.by_old.setdefault(path[: -len("index.html")], item)
        for item, ctx in self.entries:
            names = MediaNames()
            body = self.transform_body(item, ctx, item.body, names)
            body = rewrite_links(body, lambda url: self._link(item, ctx, url, names))
            body = re.sub(r"<!--\s*more\s*-->", "<!-- more -->", body)
            item.body = body
            self.after_body(item, ctx)
        return self.result

    # Hooks ----------------------------------------------------------------------------------
    def transform_body(self, item, ctx: Context, body: str, names: MediaNames) -> str:
        return body

    def after_body(self, item, ctx: Context) -> None:
        pass

    def media_file(self, ctx: Context, url: str) -> Path | None:
        """The local file a link of this item names, if the old site had one."""
        return None

    def content_target(self, ctx: Context, url: str):
        """The item a link names by its source path (`../other.md`), if any."""
        path = unquote(url.split("#", 1)[0].split("?", 1)[0])
        if not path.endswith(MARKDOWN_SUFFIXES):
            return None
        rel = relative_target(posixpath.dirname(ctx.rel), path)
        return self.by_rel.get(rel)

    # The generic pass ---------------------------------------------------------------------------
    def attach(self, item, ctx: Context, source: Path, names: MediaNames) -> str:
        from .common import MediaRef
        name = names.name(source)
        if all(m.target != name for m in item.media):
            item.media.append(MediaRef(str(source.resolve()), name))
        return name

    def _link(self, item, ctx: Context, url: str, names: MediaNames) -> str | None:
        if not is_local(url):
            return None
        anchor = "#" + url.split("#", 1)[1] if "#" in url else ""
        target = self.content_target(ctx, url)
        if target is not None:
            return self.url_of(target) + anchor
        file = self.media_file(ctx, url)
        if file is not None:
            return self.attach(item, ctx, file, names)
        if url.startswith("/"):
            path = clean_path(url.split("#", 1)[0].split("?", 1)[0])
            other = self.by_old.get(path)
            if other is not None:
                return self.url_of(other) + anchor
        return None


def report_problem(result, ref: str, exc: SourceProblem) -> None:
    """A file that could not be imported: skipped, and a warning naming why (one literal catalog
    code per case, so tests/test_messages.py checks each wording's parameters)."""
    result.skip(ref, exc.code)
    if exc.code == "import-front-matter-invalid":
        result.log.warning(ref, "import-front-matter-invalid", problem=exc.params.get("problem", ""))
    elif exc.code == "import-front-matter-unclosed":
        result.log.warning(ref, "import-front-matter-unclosed")
    elif exc.code == "import-front-matter-not-mapping":
        result.log.warning(ref, "import-front-matter-not-mapping")
    elif exc.code == "import-front-matter-missing":
        result.log.warning(ref, "import-front-matter-missing")
    else:
        result.log.warning(ref, "import-file-not-utf8")
