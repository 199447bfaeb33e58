"""Read a Pelican site folder into an `ImportResult` (`contentkit import pelican PATH`).

- `pelicanconf.py` (then `publishconf.py`, which usually holds the real SITEURL) is read with
  `ast`, never executed: only assignments of literal values count (SITENAME, SITEURL, PATH,
  ARTICLE_URL, ARTICLE_SAVE_AS, ARTICLE_LANG_URL, PAGE_URL, PAGE_SAVE_AS, PAGE_PATHS,
  ARTICLE_PATHS, STATIC_PATHS, DEFAULT_PAGINATION, DEFAULT_LANG, TIMEZONE, DEFAULT_CATEGORY,
  USE_FOLDER_AS_CATEGORY, SLUGIFY_SOURCE); any other statement is ignored, and the settings
  written with an expression are listed;
- Markdown files with their `Key: value` header (Title, Date, Modified, Category, Tags, Slug,
  Author(s), Summary, Status draft/hidden/published, Lang, Translation, Save_as, URL), or a YAML
  header; reStructuredText and HTML sources are skipped and listed;
- `{filename}` links (the target's new URL), `{static}` / `{attach}` (the file copied next to the
  article), `{tag}`, `{category}`, `{author}`, `{index}` (contentkit's pages for them);
- each article's old URL from ARTICLE_URL / ARTICLE_SAVE_AS (default `{slug}.html`), and for a
  translation ARTICLE_LANG_URL (`{slug}-{lang}.html`): an alias when contentkit's differs.
"""
from __future__ import annotations

import ast
import re
import unicodedata
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote

from text_unidecode import unidecode

from ..slugs import slugify
from .common import ImportedAuthor, ImportedItem, ImportResult
from .ssg_common import (report_problem, MARKDOWN_SUFFIXES, Context, SiteReader, SourceProblem, as_list, clean_path,
                         count_foreign_tags, inside, outside_code, read_text, relative_target, source_datetime,
                         split_front_matter, unique, visible_files, zone)

SETTINGS = {"SITENAME", "SITEURL", "PATH", "ARTICLE_URL", "ARTICLE_SAVE_AS", "ARTICLE_LANG_URL",
            "ARTICLE_LANG_SAVE_AS", "PAGE_URL", "PAGE_SAVE_AS", "PAGE_LANG_URL", "PAGE_PATHS",
            "ARTICLE_PATHS", "STATIC_PATHS", "DEFAULT_PAGINATION", "DEFAULT_LANG", "TIMEZONE",
            "DEFAULT_CATEGORY", "USE_FOLDER_AS_CATEGORY", "SLUGIFY_SOURCE", "ARTICLE_EXCLUDES",
            "PAGE_EXCLUDES", "FILENAME_METADATA", "AUTHOR", "DEFAULT_DATE", "TAG_URL", "CATEGORY_URL"}
DEFAULTS = {"PATH": "content", "ARTICLE_URL": "{slug}.html", "ARTICLE_SAVE_AS": "{slug}.html",
            "ARTICLE_LANG_URL": "{slug}-{lang}.html", "ARTICLE_LANG_SAVE_AS": "{slug}-{lang}.html",
            "PAGE_URL": "pages/{slug}.html", "PAGE_SAVE_AS": "pages/{slug}.html",
            "PAGE_LANG_URL": "pages/{slug}-{lang}.html", "PAGE_PATHS": ["pages"], "ARTICLE_PATHS": [""],
            "STATIC_PATHS": ["images"], "DEFAULT_LANG": "en", "TIMEZONE": "UTC", "DEFAULT_CATEGORY": "misc",
            "USE_FOLDER_AS_CATEGORY": True, "SLUGIFY_SOURCE": "title", "ARTICLE_EXCLUDES": [],
            "PAGE_EXCLUDES": [], "FILENAME_METADATA": r"(?P<date>\d{4}-\d{2}-\d{2}).*", "SITENAME": "",
            "SITEURL": "", "DEFAULT_PAGINATION": False, "AUTHOR": "", "DEFAULT_DATE": None}
MAPPED = {"title", "date", "modified", "category", "tags", "tag", "keywords", "slug", "author", "authors",
          "summary", "status", "lang", "translation", "save_as", "url", "template", "description"}
RESERVED = {"event", "series_part", "reviewers", "approved_by", "interviewees", "pillar", "draft",
            "aliases", "redirect_from", "permalink", "excerpt", "updated", "categories"}
_META_LINE = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9_ -]*?):\s*(?P<value>.*)$")
_PELICAN_LINK = re.compile(r"(?P<q>[\"'(]?)(?:\{|\|)(?P<what>filename|static|attach|tag|category|author|index)(?:\}|\|)(?P<path>[^\"')\s>]*)")


def read_pelican(path) -> ImportResult:
    """A Pelican site folder (pelicanconf.py beside content/) -> ImportResult. Never runs its code."""
    return PelicanReader(Path(path)).read()


def literal_settings(text: str) -> tuple[dict, list[str]]:
    """The settings a Pelican config assigns with literal values (`NAME = 'x'`, `A = B = 1`,
    `X: int = 3`), read with `ast` without running anything, and the names of the settings it
    computes (whose values are not known without running it)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return {}, ["(syntax)"]
    values, computed = {}, []
    for node in tree.body:
        targets, value = [], None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        names = [t.id for t in targets if isinstance(t, ast.Name)]
        if not names:
            continue
        try:
            literal = ast.literal_eval(value)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            computed.extend(n for n in names if n in SETTINGS)
            for n in names:
                values.pop(n, None)
            continue
        for n in names:
            values[n] = literal
    return values, computed


def pelican_slug(text: str, preserve_case: bool = False) -> str:
    """Pelican's `utils.slugify` with its default SLUG_REGEX_SUBSTITUTIONS: transliterated, every
    character but letters, digits, spaces and hyphens removed (`L'été` -> `lete`), spaces and
    hyphens squeezed into one hyphen."""
    value = unidecode(unicodedata.normalize("NFKC", str(text)))
    value = re.sub(r"[^\w\s-]", "", value)
    value = value.strip()
    value = re.sub(r"[-\s]+", "-", value)
    return value if preserve_case else value.lower()


def parse_header(text: str) -> tuple[dict, dict, str, int]:
    """A Pelican Markdown file's `Key: value` header (Python-Markdown's meta extension: keys
    lowercased, indented lines continue the value) -> (meta, key lines, body, body line)."""
    lines = text.split("\n")
    meta: dict[str, str] = {}
    key_lines: dict[str, int] = {}
    key = None
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            break
        m = _META_LINE.match(line)
        if m and not line.startswith((" ", "\t")):
            key = m.group("key").strip().lower()
            meta[key] = m.group("value").strip()
            key_lines.setdefault(key, i + 1)
        elif key is not None and line.startswith((" ", "\t")):
            meta[key] = (meta[key] + " " + line.strip()).strip()
        else:
            break  # not a header line: the body starts here
        i += 1
    if not meta:
        return {}, {}, text, 1
    return meta, key_lines, "\n".join(lines[i:]), i + 1


class PelicanReader(SiteReader):
    kind = "pelican"

    def read(self) -> ImportResult:
        self._config()
        self.read_items()
        return self.finish()

    def _config(self) -> None:
        settings = dict(DEFAULTS)
        computed: list[str] = []
        self.config_files = []
        for name in ("pelicanconf.py", "publishconf.py"):
            path = self.root / name
            if path.is_file():
                try:
                    values, names = literal_settings(read_text(path))
                except SourceProblem:
                    values, names = {}, ["(encoding)"]
                settings.update(values)
                computed.extend(f"{name}: {n}" for n in names)
                self.config_files.append(name)
        if computed:
            self.result.log.warning(f"{self.config_files[0] if self.config_files else 'pelicanconf.py'}:1",
                                    "import-pelican-setting-computed", names=", ".join(computed))
        self.s = settings
        r = self.result
        r.site_title = str(settings.get("SITENAME") or "")
        site_url = str(settings.get("SITEURL") or "")
        if site_url.startswith(("http://", "https://")):
            r.base_url = site_url.rstrip("/") + "/"
        r.language = str(settings.get("DEFAULT_LANG") or "en").replace("_", "-").split("-")[0].lower()
        pagination = settings.get("DEFAULT_PAGINATION")
        if isinstance(pagination, int) and not isinstance(pagination, bool) and pagination > 0:
            r.per_page = pagination
        self.tz = zone(settings.get("TIMEZONE"))
        r.permalink = contentkit_permalink(str(settings.get("ARTICLE_URL") or DEFAULTS["ARTICLE_URL"]))
        self.content = (self.root / str(settings.get("PATH") or "content")).resolve()
        if not inside(self.content, self.root):
            self.content = (self.root / "content").resolve()
        self.people: dict[str, ImportedAuthor] = {}

    # Files -----------------------------------------------------------------------------------
    def read_items(self) -> None:
        if not self.content.is_dir():
            self.result.log.warning("content:1", "import-content-folder-missing", folder=self.content.name)
            return
        statics = [str(p).strip("/") for p in as_list(self.s.get("STATIC_PATHS"))]
        pages = [str(p).strip("/") for p in as_list(self.s.get("PAGE_PATHS"))]
        excludes = [str(p).strip("/") for p in as_list(self.s.get("ARTICLE_EXCLUDES")) + as_list(self.s.get("PAGE_EXCLUDES"))]
        for path in visible_files(self.content):
            crel = path.relative_to(self.content).as_posix()
            rel = path.relative_to(self.root).as_posix()
            under = lambda folders: any(f == "" or crel == f or crel.startswith(f + "/") for f in folders)
            if under([s for s in statics if s]) or under([e for e in excludes if e]):
                continue
            suffix = path.suffix.lower()
            if suffix in (".rst", ".html", ".htm", ".ipynb"):
                self.result.skip(self.ref(rel), "import-format-unsupported")
                self.result.log.warning(self.ref(rel), "import-format-unsupported", path=rel, suffix=suffix)
                continue
            if suffix not in MARKDOWN_SUFFIXES:
                continue
            kind = "page" if under([p for p in pages if p]) else "post"
            self._content(rel, crel, path, kind)

    def _content(self, rel: str, crel: str, path: Path, kind: str) -> None:
        if not self.within(rel, path):
            return
        try:
            text = read_text(path)
            if text.startswith("---\n"):
                src = split_front_matter(text)
                meta = {k.lower(): v for k, v in src.meta.items()}
                key_lines = {k.lower(): v for k, v in src.key_lines.items()}
                body, body_line = src.body, src.body_line
            else:
                meta, key_lines, body, body_line = parse_header(text)
        except SourceProblem as exc:
            report_problem(self.result, self.ref(rel, exc.line), exc)
            return
        ref = self.ref(rel)
        title = str(meta.get("title") or "").strip()
        if not title:
            self.result.skip(ref, "import-pelican-no-title")
            self.result.log.warning(ref, "import-pelican-no-title", path=rel)
            return
        when = source_datetime(meta.get("date"), self.tz)
        if meta.get("date") not in (None, "") and when is None:
            self.result.log.warning(self.ref(rel, key_lines.get("date")), "import-date-unreadable", value=meta.get("date"))
        if when is None:
            m = re.match(str(self.s.get("FILENAME_METADATA") or DEFAULTS["FILENAME_METADATA"]), path.stem)
            if m and m.groupdict().get("date"):
                when = source_datetime(m.group("date"), None)
        status_word = str(meta.get("status") or "published").strip().lower()
        status = "writing" if status_word == "draft" else "published"
        if kind == "post" and when is None and status == "published":
            if self.s.get("DEFAULT_DATE") == "fs":
                when = datetime.fromtimestamp(path.stat().st_mtime)
            else:
                self.result.skip(ref, "import-pelican-no-date")
                self.result.log.warning(ref, "import-pelican-no-date", path=rel)
                return
        if status_word == "hidden":
            self.result.log.warning(self.ref(rel, key_lines.get("status")), "import-pelican-hidden-listed")
        elif status_word not in ("draft", "published"):
            self.result.log.warning(self.ref(rel, key_lines.get("status")), "import-pelican-status-unknown",
                                    status=status_word)
        if meta.get("slug"):
            slug = str(meta["slug"]).strip()
        elif str(self.s.get("SLUGIFY_SOURCE")) == "basename":
            slug = pelican_slug(path.stem)
        else:
            slug = pelican_slug(title)
        lang = str(meta.get("lang") or self.s.get("DEFAULT_LANG") or "en").strip()
        folder = crel.rsplit("/", 1)[0] if "/" in crel else ""
        category = str(meta.get("category") or "").strip()
        if not category and kind == "post":
            category = folder.split("/")[-1] if folder and self.s.get("USE_FOLDER_AS_CATEGORY") else \
                str(self.s.get("DEFAULT_CATEGORY") or "misc")
        item = ImportedItem(kind=kind, source_ref=ref, title=" ".join(title.split()), slug=slugify(slug) or "x",
                            date=when, updated=source_datetime(meta.get("modified"), self.tz), status=status)
        if kind == "post":
            item.categories = [category] if category else []
            item.tags = unique(as_list(meta.get("tags") or meta.get("tag") or meta.get("keywords"),
                                       split=";" if ";" in str(meta.get("tags") or "") else ","))
        authors = meta.get("authors") or meta.get("author") or self.s.get("AUTHOR")
        names = as_list(authors, split=";" if ";" in str(authors or "") else ",") if isinstance(authors, str) else as_list(authors)
        item.authors = self._people(names)
        if isinstance(meta.get("summary"), str):
            item.summary = " ".join(re.sub(r"<[^>]+>", " ", meta["summary"]).split())
        elif isinstance(meta.get("description"), str):
            item.summary = " ".join(meta["description"].split())
        if lang != self.s.get("DEFAULT_LANG"):
            item.extra["lang"] = lang
        translation = str(meta.get("translation") or "").strip().lower() in ("true", "yes", "1")
        for key, value in meta.items():
            if key in MAPPED:
                continue
            if key in RESERVED:
                item.extra[f"pelican_{key}"] = value
                self.result.log.warning(self.ref(rel, key_lines.get(key)), "import-key-renamed", key=key,
                                        new=f"pelican_{key}")
                continue
            item.extra[key] = value
        if meta.get("template"):
            self.result.count(f"layout:{meta['template']}")
        item.body = body
        ctx = Context(rel, path, body_line, kind=kind, crel=crel, slug=slug, lang=lang, translation=translation,
                      category=category, meta=meta)
        self.add(item, ctx)
        self.by_rel[crel] = item

    def finish(self):
        # Old addresses once every item is known (a translation shares its original's slug).
        slugs_default = {(c.slug, c.kind) for i, c in self.entries if c.lang == self.s.get("DEFAULT_LANG")}
        for item, ctx in self.entries:
            if item.status != "published":
                continue
            is_translation = ctx.translation or (ctx.lang != self.s.get("DEFAULT_LANG") and (ctx.slug, ctx.kind) in slugs_default)
            prefix = "PAGE" if ctx.kind == "page" else "ARTICLE"
            if ctx.meta.get("url") or ctx.meta.get("save_as"):
                patterns = [str(ctx.meta[k]) for k in ("url", "save_as") if ctx.meta.get(k)]
            elif is_translation:
                patterns = [str(self.s.get(f"{prefix}_LANG_URL") or DEFAULTS.get(f"{prefix}_LANG_URL", "")),
                            str(self.s.get(f"{prefix}_LANG_SAVE_AS") or self.s.get(f"{prefix}_LANG_URL")
                                or DEFAULTS.get(f"{prefix}_LANG_SAVE_AS", "{slug}-{lang}.html"))]
            else:
                patterns = [str(self.s.get(f"{prefix}_URL") or DEFAULTS[f"{prefix}_URL"]),
                            str(self.s.get(f"{prefix}_SAVE_AS") or DEFAULTS[f"{prefix}_SAVE_AS"])]
            for pattern in patterns:
                url = self._format(pattern, item, ctx)
                if url is None:
                    self.result.log.warning(item.source_ref, "import-pelican-url-pattern", pattern=pattern)
                    continue
                if url not in item.old_urls:
                    item.old_urls.append(url)
            if ctx.kind == "page" and item.old_urls and item.old_urls[0].endswith("/") \
                    and item.old_urls[0] != f"/{item.slug}/":
                item.extra["permalink"] = item.old_urls[0]
        return super().finish()

    def _format(self, pattern: str, item, ctx) -> str | None:
        when = item.date or datetime(1970, 1, 1)
        author = item.authors[0] if item.authors else ""
        fields = {"slug": ctx.slug, "lang": ctx.lang, "date": when, "category": pelican_slug(ctx.category),
                  "author": pelican_slug(self.people[author].name) if author in self.people else "",
                  "path": ctx.crel, "filename": Path(ctx.crel).name}
        try:
            url = pattern.format(**fields)
        except (KeyError, IndexError, ValueError, AttributeError):
            return None
        return clean_path(url)

    def _people(self, names: list[str]) -> list[str]:
        keys = []
        for name in names:
            key = pelican_slug(name) or slugify(name)
            if not key:
                continue
            keys.append(self.add_person(ImportedAuthor(key=key, name=name)))
        return unique(keys)

    # Bodies ----------------------------------------------------------------------------------
    def transform_body(self, item, ctx, body, names):
        def one(m: re.Match) -> str:
            what, target = m.group("what"), unquote(m.group("path"))
            q = m.group("q")
            if what == "index":
                return q + "/"
            if what in ("tag", "category", "author"):
                base = {"tag": "tags", "category": "categories", "author": "authors"}[what]
                return q + f"/{base}/{slugify(target)}/"
            path, _, anchor = target.partition("#")
            anchor = "#" + anchor if anchor else ""
            rel = relative_target(ctx.crel.rsplit("/", 1)[0] if "/" in ctx.crel else "", path)
            if what == "filename":
                other = self.by_rel.get(rel)
                if other is not None:
                    return q + self.url_of(other) + anchor
            file = (self.content / rel)
            if file.is_file() and inside(file, self.content):
                return q + self.attach(item, ctx, file, names) + anchor
            self.result.log.warning(item.source_ref, "import-link-target-unknown", target=m.group(0).lstrip("\"'("))
            return m.group(0)
        body = outside_code(body, lambda text: _PELICAN_LINK.sub(one, text))
        count_foreign_tags(body, self.result.counts, "template:")
        return body

    def media_file(self, ctx, url):
        path = unquote(url.split("#", 1)[0].split("?", 1)[0])
        if not path or path.endswith(MARKDOWN_SUFFIXES) or path.endswith("/"):
            return None
        file = self.content / path.lstrip("/") if path.startswith("/") else ctx.dir / path
        if file.is_file() and inside(file, self.content) and not file.name.startswith("."):
            return file
        return None

    def content_target(self, ctx, url):
        path = unquote(url.split("#", 1)[0])
        if not path.endswith(MARKDOWN_SUFFIXES):
            return None
        return self.by_rel.get(relative_target(ctx.crel.rsplit("/", 1)[0] if "/" in ctx.crel else "", path))


def contentkit_permalink(pattern: str) -> str:
    """The contentkit pattern closest to Pelican's ARTICLE_URL (`{date:%Y}/{date:%m}/{slug}/`)."""
    parts = []
    for seg in pattern.split("/"):
        if not seg:
            continue
        seg = seg.replace("{date:%Y}", "{year}").replace("{date:%m}", "{month}").replace("{date:%d}", "{day}")
        seg = seg.replace("{category}", "{category}").removesuffix(".html")
        if re.search(r"\{(?!year\}|month\}|day\}|slug\}|category\})[^}]*\}", seg) or not seg:
            continue
        parts.append(seg)
    out = "/" + "/".join(parts) + "/"
    return out if "{slug}" in out else "/{year}/{slug}/"
