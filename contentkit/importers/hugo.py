"""Read a Hugo site folder into an `ImportResult` (`contentkit import hugo PATH`).

- config: `hugo.toml|yaml|json`, `config.toml|yaml|json` or `config/_default/` (keys read the way
  Hugo does, whatever their case): title, baseURL, languageCode, defaultContentLanguage,
  permalinks, paginate / pagination.pagerSize, timeZone, taxonomies, uglyURLs, contentDir,
  staticDir;
- front matter in TOML (`+++`), YAML (`---`) or JSON (`{…}`): title, date, publishDate, lastmod,
  expiryDate, draft, slug, url, aliases, categories, tags and the site's other taxonomies,
  summary, description, author(s), images;
- leaf bundles (`index.md` and its resources: every file is copied next to the article) and
  branch bundles (`_index.md`: a section's page, imported when it has text of its own);
- files in a section with a date are posts, the others pages; drafts, future and expired content
  is never published;
- every old URL by Hugo's rules (`url`, the section's `permalinks` pattern, or the path of the
  file; lowercased, `uglyURLs`), and its `aliases`;
- shortcodes: `figure` (a <figure> with its caption), `youtube`, `vimeo`, `tweet`, `x`, `gist`,
  `instagram` (a link on its own line), `ref` / `relref` (the target's new URL), `highlight`
  (a fenced code block); the others are kept in the file as HTML comments (never shown on a
  page as `{{< … >}}`), listed and counted.
"""
from __future__ import annotations

import json
import os
import re
import tomllib
from datetime import datetime, timezone
from html import escape
from pathlib import Path

import yaml

from ..slugs import slugify
from ..yaml_safe import SAFE_LOADER
from .common import ImportedAuthor, ImportedItem, ImportResult
from .ssg_common import (report_problem, MARKDOWN_SUFFIXES, Context, SiteReader, SourceProblem, as_list, clean_path,
                         count_foreign_tags, inside, read_text, source_datetime, split_front_matter,
                         unique, visible_files, zone)

CONFIG_NAMES = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml",
                "config.yml", "config.json")
OTHER_FORMATS = (".adoc", ".asciidoc", ".org", ".rst", ".pandoc", ".pdc", ".html", ".htm")
MAPPED = {"title", "date", "publishdate", "pubdate", "published", "lastmod", "modified", "expirydate",
          "unpublishdate", "draft", "slug", "url", "aliases", "categories", "tags", "summary",
          "description", "author", "authors", "layout", "type", "weight", "headless", "build",
          "cascade", "outputs", "markup", "translationkey", "linktitle", "menu", "menus", "keywords"}
RESERVED = {"status", "event", "series_part", "reviewers", "approved_by", "interviewees", "pillar",
            "redirect_from", "permalink", "canonical", "excerpt"}
_SHORTCODE = re.compile(r"\{\{(?P<open>[<%])\s*(?P<close>/)?\s*(?P<name>[\w./-]+)"
                        r"(?P<args>(?:[^>%}\"'`]|\"(?:[^\"\\]|\\.)*\"|'[^']*'|`[^`]*`)*?)\s*/?[>%]\}\}", re.S)
_ARG = re.compile(r"(?:(?P<key>[\w-]+)\s*=\s*)?(?P<value>\"(?:[^\"\\]|\\.)*\"|`[^`]*`|'[^']*'|[^\s\"'`]+)")
EMBEDS = {
    "youtube": "https://www.youtube.com/watch?v={id}",
    "vimeo": "https://vimeo.com/{id}",
    "instagram": "https://www.instagram.com/p/{id}/",
}


def read_hugo(path) -> ImportResult:
    """A Hugo site folder (the one with hugo.toml or config.toml and content/) -> ImportResult."""
    return HugoReader(Path(path)).read()


def urlize(text: str) -> str:
    """Hugo's urlize, as near as it matters here: lowercase, spaces to hyphens, accents kept."""
    text = re.sub(r"[\s]+", "-", str(text).strip())
    text = re.sub(r"[^\w./~-]+", "", text)
    return re.sub(r"-{2,}", "-", text).lower()


def _arguments(text: str) -> tuple[list[str], dict[str, str]]:
    positional, named = [], {}
    for m in _ARG.finditer(text or ""):
        value = m.group("value")
        if value[:1] == '"' and value[-1:] == '"':
            value = value[1:-1].replace('\\"', '"')
        elif value[:1] in "`'" and value[-1:] == value[:1]:
            value = value[1:-1]
        if m.group("key"):
            named[m.group("key").lower()] = value
        else:
            positional.append(value)
    return positional, named


def _load_any(path: Path) -> dict:
    text = read_text(path)
    if path.suffix == ".toml":
        data = tomllib.loads(text)
    elif path.suffix == ".json":
        data = json.loads(text)
    else:
        data = yaml.load(text, Loader=SAFE_LOADER)
    return data if isinstance(data, dict) else {}


def _lower(data) -> dict:
    return {str(k).lower(): v for k, v in data.items()} if isinstance(data, dict) else {}


class HugoReader(SiteReader):
    kind = "hugo"

    def read(self) -> ImportResult:
        self._config()
        self.read_items()
        self._main_section_permalink()
        return self.finish()

    def _main_section_permalink(self) -> None:
        """Without a `permalinks` pattern, Hugo serves a section's posts at /<section>/<slug>/:
        contentkit's pattern is made the same for the main section (params.mainSections, else the
        section with the most posts), so those addresses do not change."""
        sections: dict[str, int] = {}
        for item, ctx in self.entries:
            if item.kind == "post":
                section = ctx.content_rel.split("/", 1)[0]
                sections[section] = sections.get(section, 0) + 1
        main = next((s for s in self.main_sections if s in sections), None) or \
            (max(sorted(sections), key=lambda s: sections[s]) if sections else None)
        if main and main not in self.permalinks and re.fullmatch(r"[a-z0-9_-]+", main):
            self.result.permalink = f"/{main}/{{slug}}/"

    # Config ----------------------------------------------------------------------------------
    def _config(self) -> None:
        cfg: dict = {}
        candidates = [self.root / n for n in CONFIG_NAMES] + \
            [self.root / "config" / "_default" / n for n in CONFIG_NAMES]
        for path in candidates:
            if path.is_file():
                try:
                    cfg = _lower(_load_any(path))
                except (tomllib.TOMLDecodeError, yaml.YAMLError, ValueError, SourceProblem):
                    rel = path.relative_to(self.root).as_posix()
                    self.result.log.warning(f"{rel}:1", "import-config-unreadable", path=rel)
                    cfg = {}
                break
        self.cfg = cfg
        r = self.result
        r.site_title = str(cfg.get("title") or "")
        base = str(cfg.get("baseurl") or "")
        if base.startswith(("http://", "https://")):
            r.base_url = base if base.endswith("/") else base + "/"
        self.default_lang = str(cfg.get("defaultcontentlanguage") or "").lower()
        code = str(cfg.get("languagecode") or self.default_lang or "")
        if code:
            r.language = code.replace("_", "-").split("-")[0].lower()
        self.default_lang = self.default_lang or r.language or "en"
        self.multilingual = isinstance(cfg.get("languages"), dict) and len(cfg["languages"]) > 1
        self.lang_in_subdir = bool(cfg.get("defaultcontentlanguageinsubdir"))
        pag = _lower(cfg.get("pagination"))
        per_page = pag.get("pagersize") or cfg.get("paginate")
        if isinstance(per_page, int) and not isinstance(per_page, bool) and per_page > 0:
            r.per_page = per_page
        self.tz = zone(cfg.get("timezone")) if cfg.get("timezone") else None
        links = _lower(cfg.get("permalinks"))
        if isinstance(links.get("page"), dict):  # Hugo 0.120+: permalinks.page.<section>
            links = _lower(links["page"])
        self.permalinks = {k: str(v) for k, v in links.items() if isinstance(v, str)}
        taxonomies = cfg.get("taxonomies")
        if isinstance(taxonomies, dict):
            self.taxonomies = {str(v).lower() for v in taxonomies.values()}
        else:
            self.taxonomies = {"tags", "categories"}
        self.ugly = cfg.get("uglyurls")
        self.lowercase = not cfg.get("disablepathtolower")
        self.content_dir = self.root / str(cfg.get("contentdir") or "content")
        self.static_dirs = [self.root / str(d) for d in as_list(cfg.get("staticdir") or "static")]
        self.assets_dir = self.root / str(cfg.get("assetdir") or "assets")
        self.people = self._authors()
        self.main_sections = {str(s) for s in as_list(_lower(cfg.get("params")).get("mainsections"))}
        section_permalink = next((self.permalinks[s] for s in ("posts", "post", "blog", "articles")
                                  if s in self.permalinks), None)
        r.permalink = contentkit_permalink(section_permalink) if section_permalink else "/{year}/{slug}/"

    def _authors(self) -> dict[str, ImportedAuthor]:
        people: dict[str, ImportedAuthor] = {}
        data_dir = self.root / "data"
        found: dict = {}
        for ext in ("yaml", "yml", "toml", "json"):
            path = data_dir / f"authors.{ext}"
            if path.is_file():
                try:
                    found.update(_load_any(path))
                except (tomllib.TOMLDecodeError, yaml.YAMLError, ValueError, SourceProblem):
                    self.result.log.warning(f"data/authors.{ext}:1", "import-config-unreadable", path=f"data/authors.{ext}")
        folder = data_dir / "authors"
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.suffix in (".yaml", ".yml", ".toml", ".json"):
                    try:
                        found[path.stem] = _load_any(path)
                    except (tomllib.TOMLDecodeError, yaml.YAMLError, ValueError, SourceProblem):
                        rel = path.relative_to(self.root).as_posix()
                        self.result.log.warning(f"{rel}:1", "import-config-unreadable", path=rel)
        from .jekyll import person
        for key, value in found.items():
            people[str(key)] = person(str(key), value)
        self.result.authors.extend(people.values())
        return people

    # Files -----------------------------------------------------------------------------------
    def read_items(self) -> None:
        if not self.content_dir.is_dir():
            self.result.log.warning("content:1", "import-content-folder-missing", folder=self.content_dir.name)
            return
        self.now = datetime.now(timezone.utc)
        leaf_dirs = set()
        files = list(visible_files(self.content_dir))
        for path in files:
            if path.name.split(".")[0] == "index" and path.suffix.lower() in MARKDOWN_SUFFIXES:
                leaf_dirs.add(path.parent)
        for path in files:
            rel = path.relative_to(self.root).as_posix()
            suffix = path.suffix.lower()
            if any(p in leaf_dirs for p in path.parents) and not (path.parent in leaf_dirs and path.name.split(".")[0] == "index"):
                # A resource of a leaf bundle (copied with it); a Markdown file there is one too:
                # Hugo never rendered it as a page, so it is listed, not imported.
                if suffix in MARKDOWN_SUFFIXES:
                    self.result.skip(self.ref(rel), "import-hugo-inside-bundle")
                    self.result.log.warning(self.ref(rel), "import-hugo-inside-bundle", path=rel)
                continue
            if suffix in MARKDOWN_SUFFIXES:
                self._content(rel, path)
            elif suffix in OTHER_FORMATS:
                self.result.skip(self.ref(rel), "import-format-unsupported")
                self.result.log.warning(self.ref(rel), "import-format-unsupported", path=rel, suffix=suffix)

    def _content(self, rel: str, path: Path) -> None:
        if not self.within(rel, path):
            return
        try:
            src = split_front_matter(read_text(path))
        except SourceProblem as exc:
            report_problem(self.result, self.ref(rel, exc.line), exc)
            return
        meta = _lower(src.meta)
        originals = {str(k).lower(): str(k) for k in src.meta}
        lines = {str(k).lower(): v for k, v in src.key_lines.items()}
        content_rel = path.relative_to(self.content_dir).as_posix()
        parts = content_rel.split("/")
        name = path.name
        base, lang = self._base_and_lang(name)
        leaf = base == "index"
        branch = base == "_index"
        folder_parts = parts[:-1]
        section = folder_parts[0] if folder_parts else ""
        ref = self.ref(rel)
        if meta.get("headless") is True or (isinstance(meta.get("build"), dict)
                                            and _lower(meta["build"]).get("render") in ("never", False)):
            self.result.skip(ref, "import-hugo-headless")
            return
        if branch and (not folder_parts or not src.body.strip()):
            self.result.skip(ref, "import-listing-page")
            return
        file_name = folder_parts[-1] if (leaf or branch) and folder_parts else base
        when = source_datetime(meta.get("date"), self.tz)
        publish = source_datetime(meta.get("publishdate") or meta.get("pubdate") or meta.get("published"), self.tz)
        for key in ("date", "publishdate", "lastmod", "expirydate"):
            if meta.get(key) not in (None, "") and source_datetime(meta.get(key), self.tz) is None:
                self.result.log.warning(self.ref(rel, lines.get(key)), "import-date-unreadable", value=meta.get(key))
        kind = "post" if (section and not branch and (when or publish)) else "page"
        if leaf and len(folder_parts) == 1 and not (when or publish):
            kind = "page"
        title = meta.get("title")
        if title is None or not str(title).strip():
            from .jekyll import titleize
            title = titleize(file_name)
            self.result.log.warning(self.ref(rel, 1), "import-title-from-file-name", title=title)
        title = " ".join(str(title).split())
        slug_source = str(meta.get("slug") or "").strip() or file_name
        pattern = self.permalinks.get(section) if section and not ((leaf or branch) and folder_parts == [section]) else None
        if pattern and re.search(r":slug\b", pattern):  # the old URL's own word, kept
            slug_source = str(meta.get("slug") or "").strip() or title
        elif pattern and re.search(r":title\b", pattern):
            slug_source = title
        status = "published"
        if meta.get("draft") in (True, "true"):
            status = "writing"
        expiry = source_datetime(meta.get("expirydate") or meta.get("unpublishdate"), self.tz)
        if expiry is not None:
            aware = expiry if expiry.tzinfo else expiry.replace(tzinfo=timezone.utc)
            if aware <= self.now:
                status = "writing"
                self.result.log.warning(self.ref(rel, lines.get("expirydate") or lines.get("unpublishdate")),
                                        "import-hugo-expired", date=expiry.date().isoformat())
            else:
                self.result.log.warning(self.ref(rel, lines.get("expirydate") or lines.get("unpublishdate")),
                                        "import-hugo-expiry-ignored", date=expiry.date().isoformat())
        item = ImportedItem(kind=kind, source_ref=ref, title=title, slug=slugify(slug_source) or slugify(title),
                            date=publish or when if kind == "post" else (when or publish),
                            updated=source_datetime(meta.get("lastmod") or meta.get("modified"), self.tz),
                            status=status)
        item.categories = unique(as_list(meta.get("categories"))) if kind == "post" else []
        item.tags = unique(as_list(meta.get("tags"))) if kind == "post" else []
        for taxonomy in sorted(self.taxonomies - {"tags", "categories"}):
            terms = as_list(meta.get(taxonomy))
            if not terms:
                continue
            if taxonomy == "series" and kind == "post":
                item.extra["series"] = terms[0]
                continue
            if kind == "post":
                item.tags = unique(item.tags + terms)
            self.result.log.warning(self.ref(rel, lines.get(taxonomy)), "import-hugo-taxonomy-as-tags",
                                    taxonomy=taxonomy)
        summary = meta.get("summary") or meta.get("description")
        if isinstance(summary, str):
            item.summary = " ".join(summary.split())
        if isinstance(meta.get("description"), str) and meta.get("summary"):
            item.extra["description"] = meta["description"]
        people = meta.get("authors") if meta.get("authors") not in (None, "", []) else meta.get("author")
        item.authors = self._people(people)
        if lang and lang != self.default_lang:
            item.extra["lang"] = lang
        elif isinstance(meta.get("lang"), str):
            item.extra["lang"] = meta["lang"]
        if meta.get("layout") or meta.get("type"):
            self.result.count(f"layout:{meta.get('layout') or meta.get('type')}")
        images = meta.get("images") or meta.get("image") or meta.get("featured_image") or meta.get("cover")
        if isinstance(images, list):
            images = images[0] if images else None
        if isinstance(images, dict):
            images = images.get("image") or images.get("src")
        for key, value in meta.items():
            if key in MAPPED or key in self.taxonomies or key in ("images", "image", "featured_image", "cover", "lang"):
                continue
            original = originals.get(key, key)
            if key in RESERVED:
                item.extra[f"hugo_{original}"] = value
                self.result.log.warning(self.ref(rel, lines.get(key)), "import-key-renamed", key=original,
                                        new=f"hugo_{original}")
                continue
            item.extra[original] = value
        item.body = src.body
        # Old addresses ------------------------------------------------------------------------
        old = self._old_url(meta, folder_parts, file_name, section, when or publish, title, lang, leaf or branch)
        future = item.date is not None and (item.date if item.date.tzinfo else item.date.replace(tzinfo=timezone.utc)) > self.now
        if status == "published" and not future:  # Hugo builds no future content: no old address
            item.old_urls.append(old)
            if kind == "page" and old.endswith("/") and old != f"/{item.slug}/":
                item.extra["permalink"] = old  # a page's own address, kept as it was
        base_dir = old if old.endswith("/") else old.rsplit("/", 1)[0] + "/"
        for alias in as_list(meta.get("aliases")):
            alias = alias.strip()
            item.old_urls.append(clean_path(alias if alias.startswith("/") else base_dir.rsplit("/", 2)[0] + "/" + alias))
        ctx = Context(rel, path, src.body_line, kind=kind, bundle=leaf or branch, old_url=old,
                      content_rel=content_rel, image=images)
        self.add(item, ctx)
        self.by_rel[content_rel] = item
        if leaf or branch:
            self.by_rel["/".join(folder_parts)] = item

    @staticmethod
    def _base_and_lang(name: str) -> tuple[str, str]:
        stem = name.rsplit(".", 1)[0]
        m = re.match(r"^(.*)\.([a-z]{2}(?:-[a-zA-Z]{2,4})?)$", stem)
        if m:
            return m.group(1), m.group(2).lower()
        return stem, ""

    def _old_url(self, meta, folder_parts, file_name, section, when, title, lang, bundle) -> str:
        prefix = ""
        if lang and (lang != self.default_lang or self.lang_in_subdir):
            prefix = "/" + lang
        elif not lang and self.multilingual and self.lang_in_subdir:
            prefix = "/" + self.default_lang
        if isinstance(meta.get("url"), str) and meta["url"].strip():
            url = meta["url"].strip()
            return clean_path(url if url.startswith("/") else "/" + url)
        slug = str(meta.get("slug") or "").strip()
        pattern = self.permalinks.get(section) if section and not (bundle and folder_parts == [section]) else None
        ugly = self.ugly.get(section) if isinstance(self.ugly, dict) else bool(self.ugly)
        if pattern and when is not None:
            fields = {
                "year": when.strftime("%Y"), "month": when.strftime("%m"), "monthname": when.strftime("%B").lower(),
                "day": when.strftime("%d"), "weekday": str(when.isoweekday() % 7),
                "weekdayname": when.strftime("%A").lower(), "yearday": str(int(when.strftime("%j"))),
                "section": section, "sections": "/".join(folder_parts if not bundle else folder_parts[:-1]),
                "title": urlize(title), "slug": urlize(slug or title), "filename": file_name,
                "contentbasename": file_name, "slugorfilename": slug or file_name,
                "slugorcontentbasename": slug or file_name,
            }
            url = re.sub(r":(slugorcontentbasename|slugorfilename|contentbasename|monthname|weekdayname|"
                         r"weekday|yearday|sections|section|filename|title|slug|year|month|day)",
                         lambda m: fields[m.group(1)], pattern)
            url = clean_path(url)
        else:
            dirs = folder_parts[:-1] if bundle else folder_parts
            last = slug or file_name
            url = "/" + "/".join([*dirs, last]) + "/"
            url = clean_path(url.replace(" ", "-"))
        if self.lowercase:
            url = url.lower()
        if ugly and url.endswith("/") and url != "/":
            url = url[:-1] + ".html"
        return clean_path(prefix + url)

    def _people(self, value) -> list[str]:
        keys = []
        for v in (value if isinstance(value, list) else [value]):
            if v in (None, ""):
                continue
            if isinstance(v, dict):
                from .jekyll import person
                key = slugify(str(v.get("name") or "").strip())
                if key:
                    keys.append(self.add_person(person(key, v)))
                continue
            text = str(v).strip()
            key = self.known_person(text) or slugify(text)
            if key:
                keys.append(self.add_person(ImportedAuthor(key=key, name=text)))
        return unique(keys)

    # Bodies ----------------------------------------------------------------------------------
    def after_body(self, item, ctx) -> None:
        if ctx.bundle:  # every resource of a bundle goes with it, linked or not
            names = {m.target for m in item.media}
            for path in sorted(ctx.dir.rglob("*")):
                if path.is_file() and not path.name.startswith(".") and path.suffix.lower() not in MARKDOWN_SUFFIXES \
                        and inside(path, self.root) \
                        and str(path.resolve()) not in {m.source for m in item.media}:
                    rel = path.relative_to(ctx.dir).as_posix().replace("/", "-")
                    name, n = rel, 2
                    while name in names:
                        name, n = f"{n}-{rel}", n + 1
                    names.add(name)
                    from .common import MediaRef
                    item.media.append(MediaRef(str(path.resolve()), name))
        image = ctx.image
        if isinstance(image, str) and image.strip():
            file = self.media_file(ctx, image.strip())
            if file is not None:
                known = next((m.target for m in item.media if m.source == str(file.resolve())), None)
                if known is None:
                    from .common import MediaRef
                    known = file.name
                    item.media.append(MediaRef(str(file.resolve()), known))
                item.extra["image"] = known
            else:
                item.extra["image"] = image

    def transform_body(self, item, ctx, body, names):
        body = self._shortcodes(item, ctx, body)
        count_foreign_tags(re.sub(r"\{\{[<%].*?[>%]\}\}", "", body, flags=re.S), self.result.counts, "go-template:")
        return body

    def _shortcodes(self, item, ctx, body: str) -> str:
        out, pos = [], 0
        self._kept: set[str] = set()
        for m in _SHORTCODE.finditer(body):
            if m.start() < pos:
                continue
            out.append(body[pos:m.start()])
            pos = m.end()
            name = m.group("name").lower()
            if m.group("close"):  # the end of a paired shortcode kept below: hidden the same way
                out.append(f"<!-- {m.group(0)} -->" if m.group("name").lower() in self._kept else m.group(0))
                continue
            positional, named = _arguments(m.group("args"))
            inner, end = None, None
            closing = re.compile(r"\{\{[<%]\s*/\s*" + re.escape(m.group("name")) + r"\s*[>%]\}\}")
            if name in ("highlight",):
                c = closing.search(body, m.end())
                if c:
                    inner, end = body[m.end():c.start()], c.end()
            replacement = self._shortcode(item, ctx, name, positional, named, inner, m)
            if replacement is None:
                # Kept in the file for the editor, as an HTML comment: never shown as `{{< … >}}`.
                self._kept.add(name)
                out.append(f"<!-- {m.group(0)} -->")
                self.result.count(f"shortcode:{name}")
                self.result.log.warning(self._line_ref(ctx, body, m.start()), "import-shortcode-kept", name=name)
                continue
            self.result.count(f"converted:{name}")
            out.append(replacement)
            if end is not None:
                pos = end
        out.append(body[pos:])
        return "".join(out)

    def _line_ref(self, ctx, body: str, index: int) -> str:
        return self.ref(ctx.rel, ctx.body_line + body.count("\n", 0, index))

    def _shortcode(self, item, ctx, name, positional, named, inner, m) -> str | None:
        if name in ("ref", "relref"):
            target = named.get("path") or (positional[0] if positional else "")
            url = self._ref(ctx, target)
            if url is None:
                self.result.log.warning(item.source_ref, "import-link-target-unknown", target=target)
                return "#"
            return url
        if name == "figure":
            src = named.get("src") or (positional[0] if positional else "")
            if not src:
                return None
            caption = named.get("caption") or named.get("title") or ""
            alt = named.get("alt") or caption
            img = f'<img src="{escape(src, quote=True)}" alt="{escape(alt, quote=True)}"'
            for key in ("width", "height"):
                if named.get(key):
                    img += f' {key}="{escape(named[key], quote=True)}"'
            img += ">"
            if named.get("link"):
                img = f'<a href="{escape(named["link"], quote=True)}">{img}</a>'
            parts = [img]
            if named.get("title") and named.get("caption"):
                parts.append(f"<figcaption><strong>{escape(named['title'])}</strong> {escape(named['caption'])}</figcaption>")
            elif caption or named.get("attr"):
                text = escape(caption)
                if named.get("attr"):
                    attr = escape(named["attr"])
                    if named.get("attrlink"):
                        attr = f'<a href="{escape(named["attrlink"], quote=True)}">{attr}</a>'
                    text = f"{text} {attr}".strip()
                parts.append(f"<figcaption>{text}</figcaption>")
            cls = f' class="{escape(named["class"], quote=True)}"' if named.get("class") else ""
            return f"\n\n<figure{cls}>\n" + "\n".join(parts) + "\n</figure>\n\n"
        if name in EMBEDS:
            ident = named.get("id") or (positional[0] if positional else "")
            if not ident:
                return None
            url = EMBEDS[name].format(id=ident)
            label = named.get("title") or url
            return f"\n\n[{label}]({url})\n\n"
        if name in ("tweet", "x"):
            user = named.get("user") or (positional[0] if len(positional) > 1 else "i")
            ident = named.get("id") or (positional[-1] if positional else "")
            if not ident:
                return None
            url = f"https://x.com/{user}/status/{ident}"
            return f"\n\n[{url}]({url})\n\n"
        if name == "gist":
            if len(positional) < 2:
                return None
            url = f"https://gist.github.com/{positional[0]}/{positional[1]}"
            if len(positional) > 2:
                url += f"#file-{positional[2].replace('.', '-')}"
            return f"\n\n[{url}]({url})\n\n"
        if name == "highlight" and inner is not None:
            lang = positional[0] if positional else ""
            code = inner.strip("\n")
            fence = "```"
            while fence in code:
                fence += "`"
            return f"{fence}{lang}\n{code}\n{fence}"
        return None

    def _ref(self, ctx, target: str) -> str | None:
        path, _, anchor = target.partition("#")
        anchor = "#" + anchor if anchor else ""
        if not path:
            return anchor or None
        candidates = []
        if path.startswith("/"):
            candidates.append(path.strip("/"))
        else:
            here = ctx.content_rel.rsplit("/", 1)[0] if "/" in ctx.content_rel else ""
            candidates.append(os.path.normpath(f"{here}/{path}").lstrip("./") if here else path)
            candidates.append(path.strip("/"))
        for c in candidates:
            for key in (c, c + ".md", c + "/index.md", c + "/_index.md", c.removesuffix("/")):
                item = self.by_rel.get(key)
                if item is not None:
                    return self.url_of(item) + anchor
        base = path.rsplit("/", 1)[-1]  # Hugo also finds a page by its file name alone
        matches = [i for i, c in self.entries
                   if c.content_rel.rsplit("/", 1)[-1] in (base, base + ".md")
                   or c.content_rel.rsplit("/", 2)[-2:-1] == [base.removesuffix(".md")]]
        if len(matches) == 1:
            return self.url_of(matches[0]) + anchor
        return None

    def content_target(self, ctx, url):
        found = super().content_target(ctx, url)
        if found is None:
            path = url.split("#", 1)[0]
            if path.endswith(MARKDOWN_SUFFIXES) and not path.startswith("/"):
                here = ctx.content_rel.rsplit("/", 1)[0] if "/" in ctx.content_rel else ""
                found = self.by_rel.get(os.path.normpath(f"{here}/{path}") if here else path)
        return found

    def media_file(self, ctx, url):
        from urllib.parse import unquote
        path = unquote(url.split("#", 1)[0].split("?", 1)[0])
        if not path or path.endswith(MARKDOWN_SUFFIXES) or path.endswith("/"):
            return None
        candidates = []
        if path.startswith("/"):
            candidates += [d / path.lstrip("/") for d in self.static_dirs]
        else:
            candidates.append(ctx.dir / path)
            old_dir = ctx.old_url if ctx.old_url.endswith("/") else ctx.old_url.rsplit("/", 1)[0] + "/"
            candidates += [d / old_dir.lstrip("/") / path for d in self.static_dirs]  # relative to the page's URL
            candidates += [d / path for d in self.static_dirs]
        for file in candidates:
            if file.is_file() and (inside(file, self.root)) and not file.name.startswith("."):
                return file
        return None


def contentkit_permalink(pattern: str) -> str:
    """The contentkit pattern closest to a Hugo one (`/:year/:month/:slug/`)."""
    parts = []
    for seg in pattern.split("/"):
        if not seg:
            continue
        seg = re.sub(r":(slugorcontentbasename|slugorfilename|contentbasename|filename|title|slug)\b", "{slug}", seg)
        seg = re.sub(r":(year|month|day)\b", lambda m: "{" + m.group(1) + "}", seg)
        seg = seg.replace(":section", "") if ":section" in seg else seg
        if ":" in seg or not seg:
            continue
        parts.append(seg.removesuffix(".html"))
    out = "/" + "/".join(parts) + "/"
    return out if "{slug}" in out else "/{year}/{slug}/"
