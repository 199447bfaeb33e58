"""Read a Jekyll site folder into an `ImportResult` (`contentkit import jekyll PATH`).

What Jekyll does, and so what is read here:
- posts: `_posts/YYYY-MM-DD-name.(md|markdown|html)`, also `<folder>/_posts/` (the folders are
  categories); a file in `_posts` without the date is ignored by Jekyll, and skipped here;
- drafts: `_drafts/` (never published: contentkit's `writing`); `published: false` likewise;
- pages: Markdown files with front matter outside `_` folders (home and listing pages, which
  Jekyll's templates fill with posts, are contentkit's own and skipped);
- `_config.yml`: title, url + baseurl, permalink (with the `date`, `pretty`, `ordinal`,
  `weekdate` and `none` presets), paginate, lang, timezone, front-matter `defaults`, `exclude`;
- `_data/authors.yml`: people (posts name them by key);
- every post's old URL, computed by Jekyll's rules (`:categories`, `:title` kept as written,
  `:output_ext`...) or its `permalink`, plus its `redirect_from`: an alias when contentkit's URL
  differs, so nothing that was indexed 404s.

Bodies stay as they are (contentkit reads Jekyll's Liquid and kramdown: content/liquid.py), but for
`{% post_url %}` / `{% link %}` (the target's new URL), `{{ site.baseurl }}` prefixes, and local
files (copied next to the article). The Liquid tags left are counted by name.
"""
from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path

import yaml

from ..slugs import slugify
from ..yaml_safe import SAFE_LOADER
from .common import ImportedAuthor, ImportedItem, ImportResult
from .ssg_common import (report_problem, MARKDOWN_SUFFIXES, Context, SiteReader, SourceProblem, as_list, clean_path,
                         count_foreign_tags, inside, read_text, source_datetime, split_front_matter,
                         strip_html, unique, zone, HIDDEN_FILE_PREFIXES)

PRESETS = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
POST_NAME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})-(.+?)(\.[^.]+)?$")
POST_SUFFIXES = MARKDOWN_SUFFIXES + (".html", ".htm")
DEFAULT_EXCLUDES = {"node_modules", "vendor", "Gemfile", "Gemfile.lock", "gemfiles", ".sass-cache",
                    ".jekyll-cache", "_site", "README.md", "readme.md", "LICENSE.md", "CHANGELOG.md",
                    "CONTRIBUTING.md", "CODE_OF_CONDUCT.md", "package.json", "site"}
# Front-matter keys read here (the rest is kept as the post's own, under its name).
MAPPED = {"title", "date", "slug", "permalink", "categories", "category", "tags", "tag", "redirect_from",
          "layout", "published", "author", "authors", "excerpt", "excerpt_separator", "description",
          "last_modified_at", "updated", "modified", "lastmod", "draft"}
# Keys contentkit reads with a meaning of its own: kept only under another name.
RESERVED = {"status", "event", "series_part", "reviewers", "approved_by", "interviewees", "pillar",
            "aliases", "summary", "canonical", "redirect_to"}
_PAGINATED = re.compile(r"\bpaginator\.|\bsite\.(?:posts|categories|tags)\b")
_POST_URL = re.compile(r"\{%-?\s*post_url\s+(?P<name>[^\s%]+)\s*-?%\}")
_LINK_TAG = re.compile(r"\{%-?\s*link\s+(?P<path>[^\s%]+)\s*-?%\}")
_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\}", re.S)
_BASEURL = re.compile(r"\{\{-?\s*site\.url\s*-?\}\}\s*\{\{-?\s*site\.baseurl\s*-?\}\}|\{\{-?\s*site\.(?:baseurl|url)\s*-?\}\}")


def read_jekyll(path) -> ImportResult:
    """A Jekyll site folder (the one with `_config.yml` and `_posts/`) -> ImportResult."""
    return JekyllReader(Path(path)).read()


def pretty_slug(text: str, cased: bool = True) -> str:
    """Jekyll's `Utils.slugify(mode: "pretty", cased: true)`, which `:title` uses."""
    text = re.sub(r"[^\w._~!$&'()+,;=@]+", "-", str(text))
    text = re.sub(r"^-+|-+$", "", text)
    return text if cased else text.lower()


def default_slug(text: str) -> str:
    """Jekyll's `Utils.slugify` (default mode), which `:slug` uses."""
    return re.sub(r"^-+|-+$", "", re.sub(r"[^\w]+|_+", "-", str(text))).lower()


def titleize(slug: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in slug.split("-") if w)


def expand(template: str, fields: dict) -> str:
    """A Jekyll URL template with its placeholders replaced (URL#generate_url_from_drop), slashes
    squeezed (URL#sanitize_url)."""
    def one(m: re.Match) -> str:
        name = m.group(1)
        for key in (name, name.rstrip("_")):
            if key in fields:
                return str(fields[key])
        return m.group(0)
    url = re.sub(r":([a-z_]+)", one, template)
    url = re.sub(r"/{2,}", "/", "/" + url.lstrip("/"))
    return url.replace("/./", "/")


def contentkit_permalink(template: str) -> str:
    """The contentkit pattern closest to a Jekyll one: `:year/:month/:day/:title` keep their
    places, the rest (`:categories`, `:output_ext`, ...) is left out; its URLs are clean."""
    parts = []
    for segment in template.split("/"):
        if not segment:
            continue
        seg = segment.replace(":output_ext", "").replace(".html", "")
        seg = re.sub(r":(title|slug)\b", "{slug}", seg)
        seg = re.sub(r":(year|month|day)\b", lambda m: "{" + m.group(1) + "}", seg)
        if ":" in seg or not seg:
            continue
        parts.append(seg)
    pattern = "/" + "/".join(parts) + "/"
    return pattern if "{slug}" in pattern else "/{year}/{slug}/"


class JekyllReader(SiteReader):
    kind = "jekyll"

    def read(self) -> ImportResult:
        self.config = self._config()
        self.read_items()
        return self.finish()

    # Config ----------------------------------------------------------------------------------
    def _config(self) -> dict:
        result = self.result
        cfg: dict = {}
        for name in ("_config.yml", "_config.yaml"):
            path = self.root / name
            if path.is_file():
                try:
                    cfg = yaml.load(read_text(path), Loader=SAFE_LOADER) or {}
                except (yaml.YAMLError, SourceProblem) as exc:
                    line = getattr(getattr(exc, "problem_mark", None), "line", 0) + 1
                    result.log.warning(f"{name}:{line}", "import-config-unreadable", path=name)
                    cfg = {}
                if not isinstance(cfg, dict):
                    cfg = {}
                break
        self.tz = zone(cfg.get("timezone")) if cfg.get("timezone") else None
        result.site_title = str(cfg.get("title") or cfg.get("name") or "")
        url, baseurl = str(cfg.get("url") or "").rstrip("/"), str(cfg.get("baseurl") or "").strip("/")
        if url:
            result.base_url = url + "/" + (baseurl + "/" if baseurl else "")
        self.baseurl = "/" + baseurl if baseurl else ""
        lang = cfg.get("lang") or cfg.get("language") or cfg.get("locale")
        if lang:
            result.language = str(lang).replace("_", "-").split("-")[0].lower()
        paginate = cfg.get("paginate")
        if paginate is None and isinstance(cfg.get("pagination"), dict):
            paginate = cfg["pagination"].get("per_page")
        if isinstance(paginate, int) and not isinstance(paginate, bool) and paginate > 0:
            result.per_page = paginate
        style = str(cfg.get("permalink") or "date")
        self.permalink_style = style
        self.permalink = PRESETS.get(style, style)
        result.permalink = contentkit_permalink(self.permalink)
        self.excludes = DEFAULT_EXCLUDES | {str(e).strip("/") for e in as_list(cfg.get("exclude"))}
        self.includes = {str(e).strip("/") for e in as_list(cfg.get("include"))}
        self.defaults = [d for d in (cfg.get("defaults") or []) if isinstance(d, dict)] \
            if isinstance(cfg.get("defaults"), list) else []
        self.separator = cfg.get("excerpt_separator")
        self.people = self._authors(cfg)
        return cfg

    def _authors(self, cfg: dict) -> dict[str, ImportedAuthor]:
        people: dict[str, ImportedAuthor] = {}
        data = None
        for name in ("authors.yml", "authors.yaml", "authors.json"):
            path = self.root / "_data" / name
            if path.is_file():
                try:
                    data = yaml.load(read_text(path), Loader=SAFE_LOADER)
                except (yaml.YAMLError, SourceProblem):
                    self.result.log.warning(f"_data/{name}:1", "import-config-unreadable", path=f"_data/{name}")
                break
        if isinstance(data, list):  # [{key|id|username: x, name: ...}]
            data = {str(d.get("key") or d.get("id") or d.get("username") or d.get("login") or slugify(str(d.get("name") or ""))): d
                    for d in data if isinstance(d, dict)}
        for key, value in (data or {}).items() if isinstance(data, dict) else ():
            people[str(key)] = person(str(key), value)
        self.result.authors.extend(people.values())
        self.site_author = cfg.get("author")
        return people

    def _defaults(self, rel: str, kind: str) -> dict:
        values: dict = {}
        for d in self.defaults:
            scope = d.get("scope") or {}
            if not isinstance(scope, dict) or not isinstance(d.get("values"), dict):
                continue
            path = str(scope.get("path") or "").strip("/")
            if path and not (rel == path or rel.startswith(path + "/")):
                continue
            if scope.get("type") and str(scope["type"]) != kind:
                continue
            values.update(d["values"])
        return values

    # Files -----------------------------------------------------------------------------------
    def _walk(self):
        for dirpath, dirnames, filenames in os.walk(self.root):
            rel_dir = os.path.relpath(dirpath, self.root).replace(os.sep, "/")
            rel_dir = "" if rel_dir == "." else rel_dir
            keep = []
            for d in sorted(dirnames):
                rel = f"{rel_dir}/{d}" if rel_dir else d
                if rel in self.includes or d in ("_posts", "_drafts"):
                    keep.append(d)
                elif d.startswith((".", "_")) or d in self.excludes or rel in self.excludes:
                    continue
                else:
                    keep.append(d)
            dirnames[:] = keep
            for name in sorted(filenames):
                rel = f"{rel_dir}/{name}" if rel_dir else name
                if name.startswith(HIDDEN_FILE_PREFIXES) or name in self.excludes or rel in self.excludes:
                    continue
                yield rel, Path(dirpath) / name

    def read_items(self) -> None:
        for rel, path in self._walk():
            parts = rel.split("/")
            if "_posts" in parts[:-1]:
                self._post(rel, path, parts[: parts.index("_posts")], draft=False)
            elif "_drafts" in parts[:-1]:
                self._post(rel, path, parts[: parts.index("_drafts")], draft=True)
            elif not any(p.startswith("_") for p in parts[:-1]) and path.suffix.lower() in POST_SUFFIXES:
                self._page(rel, path)

    def _source(self, rel: str, path: Path):
        if not self.within(rel, path):
            return None
        try:
            return split_front_matter(read_text(path))
        except SourceProblem as exc:
            report_problem(self.result, self.ref(rel, exc.line), exc)
            return None
        except OSError:
            self.result.skip(self.ref(rel), "import-file-unreadable")
            return None

    def _post(self, rel: str, path: Path, folders: list[str], draft: bool) -> None:
        name = path.name
        suffix = path.suffix.lower()
        if suffix not in POST_SUFFIXES:
            self.result.skip(self.ref(rel), "import-format-unsupported")
            self.result.log.warning(self.ref(rel), "import-format-unsupported", path=rel, suffix=suffix or name)
            return
        m = POST_NAME.match(name)
        if not m and not draft:
            self.result.skip(self.ref(rel), "import-jekyll-post-undated")
            self.result.log.warning(self.ref(rel), "import-jekyll-post-undated", path=rel)
            return
        src = self._source(rel, path)
        if src is None:
            return
        if src.syntax == "none":  # Jekyll copies a post without front matter as a plain file
            report_problem(self.result, self.ref(rel), SourceProblem("import-front-matter-missing"))
            return
        stem = m.group(4) if m else path.stem
        meta = {**self._defaults(rel, "drafts" if draft else "posts"), **self._defaults(rel, "posts"), **src.meta}
        file_date = None
        if m:
            try:
                file_date = datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                file_date = None
        when = source_datetime(meta.get("date"), self.tz)
        if meta.get("date") not in (None, "") and when is None:
            self.result.log.warning(self.ref(rel, src.key_lines.get("date")), "import-date-unreadable",
                                    value=meta.get("date"))
        when = when or file_date
        slug_source = str(meta.get("slug") or stem)
        categories = unique([*folders, *self._plural(meta, "category", "categories")])
        tags = unique(self._plural(meta, "tag", "tags"))
        title = meta.get("title")
        if title is None or not str(title).strip():
            title = titleize(slug_source)
            self.result.log.warning(self.ref(rel, 1), "import-title-from-file-name", title=title)
        status = "writing" if draft or meta.get("draft") is True else "published"
        if meta.get("published") is False:
            status = "writing"
            self.result.log.warning(self.ref(rel, src.key_lines.get("published")), "import-unpublished-kept-draft")
        item = ImportedItem(kind="post", source_ref=self.ref(rel), title=" ".join(str(title).split()),
                            slug=slugify(slug_source) or slugify(str(title)), date=when,
                            updated=source_datetime(meta.get("last_modified_at") or meta.get("updated")
                                                    or meta.get("modified") or meta.get("lastmod"), self.tz),
                            status=status, categories=categories, tags=tags)
        self._common(item, meta, src, rel)
        if status == "published" and when is not None:
            fields = self._fields(when, slug_source, stem, categories, suffix)
            template = str(meta["permalink"]) if meta.get("permalink") else self.permalink
            old = expand(template, fields)
            item.old_urls.extend(self._served_as(old))
            if meta.get("permalink") and old.endswith("/") and ":" not in old:
                item.extra["permalink"] = clean_path(old)  # a clean address chosen for this post: kept
        item.old_urls.extend(self._redirect_from(meta))
        self.add(item, Context(rel, path, src.body_line, stem=path.stem, kind="post"))

    def _page(self, rel: str, path: Path) -> None:
        src = self._source(rel, path)
        if src is None:
            return
        if src.syntax == "none":
            return  # no front matter: a file Jekyll copies as it is, not a page
        meta = {**self._defaults(rel, "pages"), **src.meta}
        suffix = path.suffix.lower()
        basename = path.stem
        folder = rel.rsplit("/", 1)[0] if "/" in rel else ""
        if suffix in (".html", ".htm"):
            self.result.skip(self.ref(rel), "import-jekyll-html-page")
            return
        if (basename == "index" and not folder) or _PAGINATED.search(src.body):
            self.result.skip(self.ref(rel), "import-listing-page")
            return
        if basename in ("404", "search", "feed", "sitemap", "tags", "categories", "archive", "archives") and not folder:
            self.result.skip(self.ref(rel), "import-generated-page")
            return
        slug_source = str(meta.get("slug") or (folder.rsplit("/", 1)[-1] if basename == "index" else basename))
        title = meta.get("title")
        if title is None or not str(title).strip():
            title = titleize(slug_source)
            self.result.log.warning(self.ref(rel, 1), "import-title-from-file-name", title=title)
        status = "writing" if meta.get("published") is False or meta.get("draft") is True else "published"
        item = ImportedItem(kind="page", source_ref=self.ref(rel), title=" ".join(str(title).split()),
                            slug=slugify(slug_source) or "page", status=status,
                            date=source_datetime(meta.get("date"), self.tz),
                            updated=source_datetime(meta.get("last_modified_at") or meta.get("updated"), self.tz))
        self._common(item, meta, src, rel)
        item.categories, item.tags = [], []
        if meta.get("permalink"):
            old = expand(str(meta["permalink"]), {"path": folder, "basename": basename, "output_ext": ".html",
                                                  "name": basename, "title": basename, "slug": basename})
        else:
            index = basename == "index"
            template = "/:path/" if index else "/:path/:basename" + self._page_suffix()
            old = expand(template, {"path": folder, "basename": basename, "output_ext": ".html"})
        if status == "published":
            item.old_urls.extend(self._served_as(old))
            if old.endswith("/") and clean_path(old) != f"/{item.slug}/":
                item.extra["permalink"] = clean_path(old)  # a clean address of its own: kept
        item.old_urls.extend(self._redirect_from(meta))
        self.add(item, Context(rel, path, src.body_line, stem=path.stem, kind="page"))

    def _page_suffix(self) -> str:
        style = self.permalink_style
        if style == "pretty":
            return "/"
        if style in PRESETS:
            return ":output_ext"
        if style.endswith("/"):
            return "/"
        if style.endswith(":output_ext"):
            return ":output_ext"
        return ""

    # Metadata --------------------------------------------------------------------------------
    @staticmethod
    def _plural(meta: dict, singular: str, plural: str) -> list[str]:
        """Jekyll's pluralized_array_from_hash: `category: Data Science` is one category,
        `categories: data science` two (a string is split on spaces), a list as it is."""
        if meta.get(singular) not in (None, "", []):
            return as_list(meta.get(singular))
        return as_list(meta.get(plural), split=" ")

    def _fields(self, when: datetime, slug_source: str, stem: str, categories: list[str], suffix: str) -> dict:
        cats = "/".join(unique([c.lower() for c in categories]))
        return {
            "year": when.strftime("%Y"), "month": when.strftime("%m"), "day": when.strftime("%d"),
            "i_month": str(when.month), "i_day": str(when.day), "short_year": when.strftime("%y"),
            "hour": when.strftime("%H"), "minute": when.strftime("%M"), "second": when.strftime("%S"),
            "y_day": when.strftime("%j"), "short_month": when.strftime("%b"), "long_month": when.strftime("%B"),
            "short_day": when.strftime("%a"), "long_day": when.strftime("%A"), "week": when.strftime("%V"),
            "w_year": when.strftime("%G"), "w_day": when.strftime("%u"),
            "title": pretty_slug(slug_source), "slug": default_slug(slug_source), "name": stem,
            "categories": cats, "output_ext": ".html", "path": "",
        }

    @staticmethod
    def _served_as(url: str) -> list[str]:
        """The addresses a Jekyll URL was served at: `/x/` (its index.html), `/x.html`, and for
        an extensionless `/x` both `/x` and the `/x.html` file Jekyll wrote."""
        url = clean_path(url)
        last = url.rsplit("/", 1)[-1]
        if url.endswith("/") or "." in last:
            return [url]
        return [url, url + ".html"]

    @staticmethod
    def _redirect_from(meta: dict) -> list[str]:
        return [clean_path(str(u)) for u in as_list(meta.get("redirect_from")) if str(u).strip()]

    def _common(self, item: ImportedItem, meta: dict, src, rel: str) -> None:
        """Authors, summary, layout and the keys kept as they are."""
        people = meta.get("authors") if meta.get("authors") not in (None, "", []) else meta.get("author")
        if people in (None, "", []) and item.kind == "post":
            people = self.site_author
        item.authors = self._people(people)
        excerpt = meta.get("excerpt")
        if isinstance(excerpt, str) and excerpt.strip():
            item.summary = strip_html(excerpt)
        elif isinstance(meta.get("description"), str):
            item.summary = " ".join(meta["description"].split())
        if meta.get("layout"):
            self.result.count(f"layout:{meta['layout']}")
        body = src.body
        separator = meta.get("excerpt_separator") or self.separator
        if isinstance(separator, str) and separator.strip() and separator in body and "<!--" in separator:
            body = body.replace(separator, "<!-- more -->", 1)
        item.body = body
        for key, value in meta.items():
            if key in MAPPED:
                continue
            if key in RESERVED:
                item.extra[f"jekyll_{key}"] = value
                self.result.log.warning(self.ref(rel, src.key_lines.get(key)), "import-key-renamed",
                                        key=key, new=f"jekyll_{key}")
                continue
            item.extra[key] = value
        if item.kind == "post" and isinstance(meta.get("description"), str) and item.summary != meta["description"]:
            item.extra["description"] = meta["description"]

    def _people(self, value) -> list[str]:
        keys = []
        values = value if isinstance(value, list) else [value]
        for v in values:
            if v in (None, ""):
                continue
            if isinstance(v, dict):
                name = str(v.get("name") or v.get("display_name") or "").strip()
                key = str(v.get("login") or v.get("id") or v.get("username") or slugify(name))
                if not key:
                    continue
                keys.append(self.add_person(person(key, v)))
                continue
            text = str(v).strip()
            key = self.known_person(text) or slugify(text)
            if key:
                keys.append(self.add_person(ImportedAuthor(key=key, name=text)))
        return unique(keys)

    # Bodies ----------------------------------------------------------------------------------
    def transform_body(self, item, ctx, body, names):
        ref = item.source_ref

        def post_url(m: re.Match) -> str:
            name = m.group("name").strip("\"'")
            target = self._by_stem(name)
            if target is None:
                return m.group(0)  # contentkit guesses it and says so (liquid-post-url-unknown)
            self.result.count("converted:post_url")
            return self.url_of(target)

        def link(m: re.Match) -> str:
            target = self.by_rel.get(m.group("path").strip("\"'").lstrip("/"))
            if target is None:
                self.result.log.warning(ref, "import-link-target-unknown", target=m.group("path"))
                return m.group(0)
            self.result.count("converted:link")
            return self.url_of(target)

        body = _POST_URL.sub(post_url, body)
        body = _LINK_TAG.sub(link, body)
        body = _BASEURL.sub("", body)
        count_foreign_tags(_RAW.sub("{% raw %}{% endraw %}", body), self.result.counts, "liquid:")
        image = item.extra.get("image")
        if isinstance(image, str) and image.strip():
            file = self.media_file(ctx, _BASEURL.sub("", image.strip()))
            if file is not None:
                item.extra["image"] = self.attach(item, ctx, file, names)
        return body

    def _by_stem(self, name: str):
        name = name.rsplit("/", 1)[-1]
        for item, ctx in self.entries:
            if ctx.kind == "post" and ctx.stem == name:
                return item
        return None

    def content_target(self, ctx, url):
        found = super().content_target(ctx, url)
        if found is None and url.startswith("/") and self.baseurl and url.startswith(self.baseurl + "/"):
            found = super().content_target(ctx, url[len(self.baseurl):])
        return found

    def media_file(self, ctx, url):
        path = url.split("#", 1)[0].split("?", 1)[0]
        if not path or path.endswith(MARKDOWN_SUFFIXES) or path.endswith("/"):
            return None
        from urllib.parse import unquote
        path = unquote(path)
        if path.startswith("/"):
            if self.baseurl and path.startswith(self.baseurl + "/"):
                path = path[len(self.baseurl):]
            file = self.root / path.lstrip("/")
        else:
            file = ctx.dir / path
        if file.is_file() and inside(file, self.root) and not file.name.startswith("."):
            return file
        return None


def person(key: str, value) -> ImportedAuthor:
    """An `_data/authors.yml` entry (or an author mapping) -> ImportedAuthor."""
    if not isinstance(value, dict):
        return ImportedAuthor(key=key, name=str(value or key))
    name = str(value.get("name") or value.get("display_name") or value.get("full_name") or key).strip()
    links = {}
    for k in ("website", "url", "web", "homepage", "twitter", "github", "linkedin", "mastodon"):
        if value.get(k):
            links["website" if k in ("url", "web", "homepage") else k] = str(value[k])
    if isinstance(value.get("links"), dict):
        links.update({str(k): str(v) for k, v in value["links"].items()})
    return ImportedAuthor(key=key, name=name, bio=str(value.get("bio") or value.get("description") or "").strip(),
                          email=str(value.get("email") or ""), links=links)
