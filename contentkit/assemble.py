"""Build the content model (`Site`) from read documents: resolve, check, link.

Stage three of the pipeline. Input: `SourceDocument`s (per-file, cacheable) and author profiles.
Output: a `Site` where every article has its date in the site timezone, its URL, its people and
terms, neighbours and related posts, and every problem found is in the `ProblemLog`.
This stage is cheap and always runs over the whole site, so cross-references stay consistent.
"""
from __future__ import annotations

import posixpath
import re
from collections import Counter, defaultdict
from html import unescape
from pathlib import Path
from zoneinfo import ZoneInfo

from .slugs import slugify

from .config import SiteConfig
from .content.liquid import guessed_address, post_url_targets, target_name
from .content.liquid import problems as liquid_problems
from .content.fields import is_trusted, typed_profile
from .content.markdown import RenderedMarkdown, render_markdown
from .content.sanitize import removed as sanitized_away, sanitize
from .content.typography import typeset
from .content.frontmatter import without_control_characters
from .content.reader import LANGUAGE_KEYS, SourceDocument, count_prose_words, line_in_body
from .text import lang_root, reading_time_minutes
from .dates import DateError, filename_date, parse_date
from .deferred import raw
from .errors import ContentError, ProblemLog
from .model import (AUTHOR_ROLES, STATUSES, Article, Author, BuildOptions, Event, Series, Site,
                    Taxonomy, Term, fingerprint)
from .urls import output_path, rooted_links, safe_url_path

KNOWN_KEYS = {
    "title", "date", "updated", "lastmod", "modified", "author", "authors", "tags", "category",
    "categories", "summary", "description", "excerpt", "slug", "draft", "lang", "image", "image_alt",
    "canonical_url", "canonical", "aliases", "redirect_from", "series", "series_part", "status",
    "reviewers", "approved_by", "interviewees", "event", "permalink", "layout", "pillar", *LANGUAGE_KEYS,
}
PROFILE_HOSTS = {"twitter": "https://twitter.com/", "github": "https://github.com/",
                 "linkedin": "https://www.linkedin.com/in/"}
LINK_KEYS = ("website", "twitter", "github", "linkedin", "mastodon")
# An author written in front matter as a mapping (Jekyll themes, jekyll-import's WordPress
# `author: {login, email, display_name}`, Hugo's `author: {name, email}`): the keys that name the
# person, that may be the id of a profile, and the other spellings of a profile's keys.
PERSON_NAME_KEYS = ("name", "display_name", "displayname", "full_name", "fullname")
PERSON_ID_KEYS = ("id", "login", "username", "slug", "handle")
PERSON_KEY_ALIASES = {"url": "website", "uri": "website", "site": "website", "homepage": "website",
                      "web": "website", "image": "photo", "picture": "photo", "avatar": "photo",
                      "description": "bio", "about": "bio", "x": "twitter", "title": "job_title"}
_TAG_RE = re.compile(r"<[^>]+>")


def plain_text(html: str) -> str:
    return " ".join(unescape(_TAG_RE.sub(" ", html)).split())


def shorten(text: str, limit: int = 160) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.!? \u00a0\u202f")
    return cut + "…"


class Assembler:
    def __init__(self, config: SiteConfig, options: BuildOptions, log: ProblemLog):
        self.config = config
        self.options = options
        self.log = log
        self.tz = config.tz
        self.root = config.root_path  # "/" or "/blog/"
        self.authors: dict[str, Author] = {}

    # People -------------------------------------------------------------------------------
    def load_authors(self, files: dict[str, tuple[dict, str, dict]]) -> None:
        for author_id, (data, rel, lines) in files.items():
            data, changed = without_control_characters(data)  # a YAML escape: feeds refuse them
            if changed:
                key = next((k for k, v in data.items() if without_control_characters(v)[1]), None)
                self.log.warning(rel, "control-character-escaped", line=lines.get(str(key)), field=key)
            try:
                typed_profile(data, lines, rel)  # a javascript:/data: link is refused, located
            except ContentError as exc:
                self.log.add(exc.problem)
                continue
            name = str(data.get("name") or "").strip()
            if not name:
                self.log.warning(rel, "author-no-name", line=1)
                name = author_id
            role = str(data.get("role") or "staff").strip().lower()
            if role not in AUTHOR_ROLES:
                self.log.warning(rel, "author-role-unknown", line=lines.get("role"), role=role,
                                 roles=", ".join(AUTHOR_ROLES))
                role = "staff"
            author = self._profile(author_id, name, role, data, rel)
            author.fingerprint = fingerprint(sorted(data.items(), key=str))
            self.authors[author_id] = author
        self._by_name = {a.name.casefold(): a for a in self.authors.values()}
        self._by_email = {a.email.casefold(): a for a in self.authors.values() if a.email}

    def _profile(self, author_id: str, name: str, role: str, data: dict, rel: str | None,
                 generated: bool = False) -> Author:
        """An Author from a profile's keys (a file of content/authors/, or a mapping in front matter)."""
        links = data.get("links") or {}
        if isinstance(links, list):  # [{name: x, url: y}] or [url, ...]
            links = {str(i.get("name", i.get("url"))) if isinstance(i, dict) else str(i):
                     str(i.get("url")) if isinstance(i, dict) else str(i) for i in links}
        if not isinstance(links, dict):
            links = {}
        for key in LINK_KEYS:
            if data.get(key) and key not in links:
                value = str(data[key]).lstrip("@")
                if key in PROFILE_HOSTS and not value.startswith(("http://", "https://")):
                    value = PROFILE_HOSTS[key] + value  # a bare handle, as migrated profiles have
                links[key] = value
        expertise = data.get("expertise") or []
        if isinstance(expertise, str):
            expertise = [e.strip() for e in expertise.split(",") if e.strip()]
        bio = data.get("bio") or ""
        localized = data.get(self.config.language.split("-")[0])
        if not bio and isinstance(localized, dict) and isinstance(localized.get("bio"), dict):
            # Migrated profiles (e.g. Phenomic/Gatsby JSON) keep one bio per language.
            bio = localized["bio"].get("long") or ""
            data = {**data, "job_title": data.get("job_title") or localized["bio"].get("short") or ""}
        if isinstance(bio, list):
            bio = "\n\n".join(str(b) for b in bio)
        bio = str(bio)
        known = {"name", "role", "job_title", "title", "company", "bio", "photo", "avatar",
                 "expertise", "links", "email", "hide_from_team", "website", "twitter", "github",
                 "linkedin", "mastodon", "fr", "en", "trusted"}
        return Author(
            id=author_id, name=name, role=role,
            job_title=str(data.get("job_title") or data.get("title") or ""),
            company=str(data.get("company") or ""), bio=bio,
            # Front-matter Markdown: raw HTML in a bio is shown as text, never passed.
            bio_html=render_markdown(bio, self.config.language, raw_html="escape").html if bio else "",
            photo=str(data.get("photo") or data.get("avatar") or ""),
            expertise=[str(e) for e in expertise], links={str(k): str(v) for k, v in links.items()},
            # An address written in a post's front matter is for matching a profile only: never shown.
            email="" if generated else str(data.get("email") or ""),
            hide_from_team=bool(data.get("hide_from_team", role != "staff")), generated=generated,
            trusted=is_trusted(data, role),
            source=rel, params={k: v for k, v in data.items() if k not in known},
            url=f"{self.root}authors/{author_id}/")

    def resolve_person(self, value, rel: str, line: int | None, role: str = "staff") -> Author | None:
        """An author id, a slug of an id, a plain name, or a mapping (`{name: ..., twitter: ...}`).
        Unknown names get a generated profile."""
        if isinstance(value, dict):
            return self._person_of_mapping(value, rel, line, role)
        text = str(value).strip()
        if not text:
            return None
        if text in self.authors:
            return self.authors[text]
        slug = slugify(text)
        if slug in self.authors:
            return self.authors[slug]
        if text.casefold() in self._by_name:
            return self._by_name[text.casefold()]
        author = Author(id=slug or "auteur", name=text, role=role, generated=True,
                        hide_from_team=role != "staff", url=f"{self.root}authors/{slug}/",
                        trusted=role == "staff")
        author.fingerprint = fingerprint("generated", text, role)
        self.authors[author.id] = author
        self._by_name[text.casefold()] = author
        self.log.warning(rel, "author-profile-missing", line=line, name=text, author_id=author.id)
        return author

    def _person_of_mapping(self, value: dict, rel: str, line: int | None, role: str) -> Author | None:
        """`author: {name: Team Burton, avatar: null, twitter: x}`: the profile it names (by id,
        name or e-mail), else a generated profile with what the mapping gives."""
        data = {str(k).strip().lower(): v for k, v in value.items() if v not in (None, "", [], {})}
        ident = next((str(data[k]).strip() for k in PERSON_ID_KEYS if isinstance(data.get(k), (str, int))), "")
        name = next((" ".join(str(data[k]).split()) for k in PERSON_NAME_KEYS
                     if isinstance(data.get(k), (str, int)) and str(data[k]).strip()), "")
        if not name and (data.get("first_name") or data.get("last_name")):
            name = " ".join(str(data.get(k) or "").strip() for k in ("first_name", "last_name")).strip()
        email = str(data.get("email") or "").strip().casefold()
        for key in (ident, slugify(ident) if ident else ""):
            if key and key in self.authors:
                return self.authors[key]
        if email and email in self._by_email:
            return self._by_email[email]
        if not name:
            if ident:  # a login with no profile: the login is the only name there is
                return self.resolve_person(ident, rel, line, role)
            self.log.warning(rel, "author-mapping-no-name", line=line)
            return None
        known = self.authors.get(slugify(name)) or self._by_name.get(name.casefold())
        if known is not None:
            return known
        fields = {PERSON_KEY_ALIASES.get(k, k): v for k, v in data.items() if k not in PERSON_NAME_KEYS}
        fields = {k: v for k, v in fields.items() if k in LINK_KEYS or k in ("photo", "bio", "job_title", "company")}
        slug = slugify(name) or "auteur"
        author = self._profile(slug, name, role, fields, None, generated=True)
        author.hide_from_team = role != "staff"
        author.fingerprint = fingerprint("generated", name, role, sorted(fields.items(), key=str))
        self.authors[author.id] = author
        self._by_name[name.casefold()] = author
        self.log.warning(rel, "author-profile-missing", line=line, name=name, author_id=author.id)
        return author

    # Articles -----------------------------------------------------------------------------
    def resolve(self, doc: SourceDocument, key: str, rel_path: str) -> Article:
        meta, rel, lines = doc.meta, doc.rel, doc.key_lines
        title = meta.get("title")
        if "title" not in meta:
            raise ContentError(rel, "title-missing", line=2)
        if title is None or not str(title).strip():  # `title: ""`, or `title:` with nothing after it
            raise ContentError(rel, "title-empty", line=lines.get("title") or 2)
        raw_title = " ".join(str(title).split())
        title = typeset(raw_title, lang_root(doc.lang))  # shown typeset; the slug comes from the raw title
        # Plain string operations: a Path per document costs more than the rest of this check.
        folder, name = posixpath.split(rel_path)
        is_bundle = name == "index.md" and doc.kind == "post"
        stem = posixpath.basename(folder) if is_bundle else posixpath.splitext(name)[0]
        file_date, stem_rest = filename_date(stem)
        date = self._date(meta, "date", rel, lines)
        if date is None and file_date is not None:
            date = parse_date(file_date, self.tz)
        status = self._status(meta, rel, lines)
        if date is None and doc.kind == "post" and status in ("idea", "writing"):
            # An idea has no date yet: it sorts as "now" and is only ever shown in the preview.
            date = self.options.at().astimezone(self.tz).replace(second=0, microsecond=0)
        if date is None and doc.kind == "post":
            raise ContentError(rel, "date-missing", line=lines.get("date") or 2)
        updated = (self._date(meta, "updated", rel, lines) or self._date(meta, "lastmod", rel, lines)
                   or self._date(meta, "modified", rel, lines))
        slug = self._slug(meta, raw_title, stem_rest, doc.kind, rel, lines)
        url_path = self._url_path(meta, slug, date, doc, rel, lines)
        people = self._people(meta, rel, lines, "authors", "author")
        if not people and self.config.author_default and doc.kind == "post":
            people = [p for p in [self.resolve_person(self.config.author_default, rel, None)] if p]
        interviewees = self._people(meta, rel, lines, "interviewees", None, role="interviewee")
        url = self.root.rstrip("/") + url_path
        policy = self.raw_html_policy(people)
        rendered, words = self._body_policy(doc, policy) if doc.rendered.raw_html and policy != "allow" \
            else (doc.rendered, doc.words)
        excerpt = (rendered.excerpt_html or (f"<p>{doc.summary_html}</p>" if doc.summary_html else "")
                   or rendered.first_paragraph_html)
        summary = plain_text(doc.summary_html) if doc.summary_html else shorten(
            plain_text(rendered.first_paragraph_html) or plain_text(rendered.html[:2000]))

        article = Article(
            source=rel, kind=doc.kind, title=title, slug=slug, url=url, output=output_path(url_path),
            lang=doc.lang, date=date, updated=updated, html=raw(rendered, "html"),
            excerpt_html=rooted_links(excerpt, url), summary=summary, toc=rendered.toc,
            toc_html=raw(rendered, "toc_html"), words=words,
            reading_time=reading_time_minutes(words, doc.lang), fingerprint="", raw_html=policy,
            status=status, authors=people, interviewees=interviewees,
            reviewers=[str(r) for r in _as_list(meta.get("reviewers"))],
            approved_by=str(meta.get("approved_by") or ""),
            image=self._image(meta.get("image"), url), image_alt=str(meta.get("image_alt") or ""),
            canonical_url=str(meta.get("canonical_url") or meta.get("canonical") or ""),
            aliases=self._aliases(meta, rel, lines), series=self._series(meta, rel, lines),
            event=self._event(meta, rel, lines),
            params={k: v for k, v in meta.items() if k not in KNOWN_KEYS},
            body=raw(doc, "body"), body_line=doc.body_line, key_lines=lines,
        )
        if is_bundle:
            bundle_dir = self.config.root / folder
            article.bundle_dir = bundle_dir
            article.bundle_files = sorted(
                p.relative_to(bundle_dir).as_posix() for p in bundle_dir.rglob("*")
                if p.is_file() and p.suffix not in (".md", ".markdown") and not p.name.startswith("."))
        if status == "scheduled" and not article.approved_by:
            raise ContentError(rel, "post-scheduled-unapproved", line=lines.get("status"))
        article.is_future = bool(date and date > self.options.at())
        if status == "scheduled" and not article.is_future:
            article.status = "published"  # its date has come: live like any published post
        article.tag_names = _as_list(meta.get("tags"), split_commas=True)
        article.category_names = _as_list(meta.get("categories") or meta.get("category"))
        article.source_key = key
        return article

    def raw_html_policy(self, people: list[Author]) -> str:
        """What raw HTML in a body by `people` may do: the site's `markdown.raw_html`, made
        "sanitize" when one of them is not trusted (guests and interviewees by default)."""
        policy = self.config.raw_html
        if policy == "allow" and any(not p.trusted for p in people):
            return "sanitize"
        return policy

    def _body_policy(self, doc: SourceDocument, policy: str) -> tuple[RenderedMarkdown, int]:
        """The body of `doc` (which holds raw HTML) under `policy`, and its word count. "sanitize":
        the cached HTML cleaned (content/sanitize.py), each kind of thing removed a located warning;
        "escape": the body rendered again with raw HTML shown as text."""
        rel, body = doc.rel, doc.body
        if policy == "escape":
            rendered = render_markdown(body, lang_root(doc.lang), raw_html="escape")
            self.log.warning(rel, "raw-html-escaped", line=line_in_body(body, doc.body_line, doc.rendered.raw_html[0]),
                             count=len(doc.rendered.raw_html))
            return rendered, count_prose_words(rendered.html, doc.lang)
        src = doc.rendered
        html = sanitize(src.html)
        for what, needles in sanitized_away(src.html, html):
            line = next((line_in_body(body, doc.body_line, n) for n in needles if n and n in body), doc.body_line)
            self.log.warning(rel, "raw-html-removed", line=line, what=what)
        rendered = RenderedMarkdown(
            html=html, excerpt_html=sanitize(src.excerpt_html) if src.excerpt_html else src.excerpt_html,
            first_paragraph_html=sanitize(src.first_paragraph_html), toc_html=sanitize(src.toc_html),
            toc=src.toc, liquid=src.liquid, template_tags=src.template_tags, raw_html=src.raw_html,
            refused=src.refused)
        return rendered, count_prose_words(html, doc.lang)

    def _date(self, meta, key, rel, lines):
        if meta.get(key) in (None, ""):
            return None
        try:
            return parse_date(meta[key], self.tz)
        except DateError:
            raise ContentError(rel, "date-unreadable", line=lines.get(key), field=key, value=meta[key]) from None

    def _slug(self, meta, title, stem, kind, rel, lines) -> str:
        raw = meta.get("slug")
        if raw is not None and str(raw).strip():
            raw = str(raw).strip()
            if "/" in raw or "\\" in raw or ".." in raw:
                raise ContentError(rel, "slug-unsafe", line=lines.get("slug"), slug=raw)
            slug = slugify(raw)
        elif kind == "post" and self.config.slug_from == "title":
            slug = slugify(title)
        else:
            slug = slugify(stem)
        if not slug:
            raise ContentError(rel, "slug-empty", line=lines.get("slug") or lines.get("title"))
        return slug

    def _url_path(self, meta, slug, date, doc, rel, lines) -> str:
        explicit = meta.get("permalink")
        if explicit:
            path = safe_url_path(str(explicit))
            if path is None:
                raise ContentError(rel, "permalink-outside", line=lines.get("permalink"), permalink=explicit)
            return path
        if doc.kind == "page":
            return "/" + slug + "/" if self.config.page_permalink == "/{slug}/" else \
                self.config.page_permalink.format(slug=slug)
        if doc.kind == "topic":
            return f"/topics/{slug}/"
        cats = _as_list(meta.get("categories") or meta.get("category"))
        path = self.config.permalink.format(
            year=f"{date.year:04d}", month=f"{date.month:02d}", day=f"{date.day:02d}", slug=slug,
            category=slugify(cats[0]) if cats else "blog", lang=doc.lang)
        safe = safe_url_path(path)
        if safe is None:
            raise ContentError(rel, "url-outside", line=lines.get("slug"), url=path)
        return safe

    def _status(self, meta, rel, lines) -> str:
        status = meta.get("status")
        if status is None:
            return "writing" if meta.get("draft") in (True, "true", "yes") else "published"
        status = str(status).strip().lower()
        if status == "draft":
            return "writing"
        if status not in STATUSES:
            raise ContentError(rel, "status-unknown", line=lines.get("status"), status=status,
                               statuses=", ".join(STATUSES))
        return status

    def _people(self, meta, rel, lines, many, one, role="staff") -> list[Author]:
        key = many if meta.get(many) not in (None, "", []) else one
        if key is None:
            return []
        people = []
        for value in _as_list(meta.get(key)):
            person = self.resolve_person(value, rel, lines.get(key), role)
            if person and person not in people:
                people.append(person)
        return people

    def _image(self, value, url: str) -> str:
        if isinstance(value, dict):
            value = value.get("src") or value.get("url") or value.get("path")
        if not value or not isinstance(value, str):
            return ""
        value = value.strip()
        if value.startswith(("http://", "https://", "/")):
            return value if not value.startswith("/") or value.startswith(self.root) \
                else self.root.rstrip("/") + value
        return posixpath.normpath(url + value)  # relative to the article (page bundle)

    def _aliases(self, meta, rel, lines) -> list[str]:
        out = []
        for key in ("aliases", "redirect_from"):
            for value in _as_list(meta.get(key)):
                path = safe_url_path(str(value))
                if path is None:
                    raise ContentError(rel, "alias-outside", line=lines.get(key), alias=value)
                if "//" in path:  # no file can live there: the writer would fail later with a misleading error
                    raise ContentError(rel, "alias-empty-segment", line=lines.get(key), alias=value)
                out.append(path)
        return out

    def _series(self, meta, rel, lines) -> Series | None:
        value = meta.get("series")
        if not value:
            return None
        if isinstance(value, dict):
            name, part = value.get("name"), value.get("part")
        else:
            name, part = value, meta.get("series_part")
        if not name:
            raise ContentError(rel, "series-no-name", line=lines.get("series"))
        try:
            part = int(part) if part is not None else 0
        except (TypeError, ValueError):
            raise ContentError(rel, "series-part-not-number", line=lines.get("series"), part=part) from None
        return Series(name=str(name), slug=slugify(str(name)), part=part)

    def _event(self, meta, rel, lines) -> Event | None:
        value = meta.get("event")
        if not value:
            return None
        line = lines.get("event")
        if not isinstance(value, dict) or not value.get("start"):
            raise ContentError(rel, "event-start-missing", line=line)
        tzname = str(value.get("timezone") or self.config.timezone)
        try:
            tz = ZoneInfo(tzname)
        except (KeyError, ValueError):  # ZoneInfoNotFoundError is a KeyError
            raise ContentError(rel, "event-timezone-unknown", line=line, timezone=tzname) from None
        dates = {}
        for part in ("start", "end"):
            try:
                dates[part] = parse_date(value[part], tz) if value.get(part) else None
            except ValueError:  # a DateError
                raise ContentError(rel, "event-date-unreadable", line=line, value=value[part]) from None
        start, end = dates["start"], dates["end"]
        if end and end < start:
            raise ContentError(rel, "event-ends-before-start", line=line)
        return Event(start=start, end=end, timezone=tzname, location=str(value.get("location") or ""),
                     registration_url=str(value.get("registration_url") or ""),
                     replay_url=str(value.get("replay_url") or ""))

    # Visibility -----------------------------------------------------------------------------
    def is_built(self, a: Article) -> bool:
        if self.options.preview:
            return True
        live = a.status == "published" or (a.status == "scheduled" and not a.is_future)
        if not live and not self.options.drafts:
            return False
        if a.is_future and not self.options.future and a.kind == "post":
            return False
        return True


def _as_list(value, split_commas: bool = False) -> list:
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple)):
        return [v for v in value if v is not None and str(v).strip() != ""]
    if isinstance(value, str) and split_commas:
        return [v.strip() for v in value.split(",") if v.strip()]
    return [value]


def assemble_site(config: SiteConfig, documents: dict[str, tuple[SourceDocument, str]],
                  author_files: dict, options: BuildOptions, log: ProblemLog) -> Site:
    asm = Assembler(config, options, log)
    asm.load_authors(author_files)
    articles: list[Article] = []
    foreign: dict[str, int] = {}  # another generator's syntax met, by kind (the build summary says it)
    linking: set[str] = set()  # sources with Jekyll {% post_url %} links
    for rel in sorted(documents):
        doc, key = documents[rel]
        for problem in doc.problems:  # found when reading (control characters, languages)
            log.add(problem)
        try:
            article = asm.resolve(doc, key, rel)
        except ContentError as exc:
            log.add(exc.problem)
            continue
        if doc.rendered.template_tags:  # those left literal and not listed below (content/liquid.py)
            log.warning(rel, "template-tags-foreign", line=doc.body_line, count=doc.rendered.template_tags)
        for problem in liquid_problems(rel, doc.body_line, doc.rendered.liquid):
            log.add(problem)
        if any(kind == "post_url" for kind, *_ in doc.rendered.liquid):
            linking.add(rel)
        for kind, _line, count, _detail in doc.rendered.liquid:
            foreign[kind] = foreign.get(kind, 0) + count
        articles.append(article)

    built = [a for a in articles if asm.is_built(a)]
    hidden = [a for a in articles if not asm.is_built(a)]
    posts = sorted((a for a in built if a.kind == "post"), key=lambda a: (a.date, a.source), reverse=True)
    pages = sorted((a for a in built if a.kind == "page"), key=lambda a: a.source)
    topics = sorted((a for a in built if a.kind == "topic"), key=lambda a: a.source)
    site = Site(config=config, posts=posts, pages=pages, topics=topics, authors=asm.authors,
                tags=Taxonomy("tag", f"{asm.root}tags/"),
                categories=Taxonomy("category", f"{asm.root}categories/"),
                author_terms=Taxonomy("author", f"{asm.root}authors/"),
                years=Taxonomy("year", f"{asm.root}archives/"),
                hidden=hidden, now=options.at(), preview=options.preview, foreign_syntax=foreign)
    _link_taxonomies(site, log)
    _link_neighbours(site)
    _link_series(site)
    _attach_topics(site, log)
    _check_collisions(site, log)
    post_links = _link_post_urls(site, linking, log)
    for a in site.all_documents:
        a.fingerprint = fingerprint(
            a.source_key, a.url, a.status, a.is_future, [p.fingerprint for p in a.authors + a.interviewees],
            [(t.slug, t.name) for t in a.tags], [(c.slug, c.name) for c in a.categories],
            a.series, a.event, a.date, a.updated, post_links.get(a.source), a.raw_html)
    return site


def _link_post_urls(site: Site, linking: set[str], log: ProblemLog) -> dict[str, tuple]:
    """Jekyll's `{% post_url 2020-01-15-name %}` points at a post by its file name; the reader wrote
    its guess /2020/name/ (content/liquid.py). Here every address is known: each guess becomes the
    address the post has on this site (its slug may come from its title). {source: (guess, address)
    pairs}, part of the linking article's fingerprint, so a renamed target re-renders the link."""
    if not linking:
        return {}
    root = site.config.root_path
    by_name = {Path(a.source).stem: a for a in site.posts + site.pages}
    resolved: dict[str, tuple] = {}
    for a in site.all_documents:
        if a.source not in linking:
            continue
        pairs = []
        for line, target in post_url_targets(a.body):
            post, guess = by_name.get(target_name(target)), guessed_address(target)
            if post is None or guess is None:
                log.warning(a.source, "liquid-post-url-unknown", line=a.body_line + line, name=target)
                continue
            address = "/" + post.url[len(root):] if post.url.startswith(root) else post.url
            pairs.append((guess, address))
            if address != guess:
                a.html = a.html.replace(f'href="{guess}', f'href="{address}')
                if a.excerpt_html:
                    a.excerpt_html = a.excerpt_html.replace(f'href="{guess}', f'href="{address}')
        resolved[a.source] = tuple(pairs)
    return resolved


def _term(tax: Taxonomy, name: str, slug: str | None = None) -> Term:
    slug = slug or slugify(name) or "x"
    term = tax.terms.get(slug)
    if term is None:
        term = tax.terms[slug] = Term(tax.kind, slug, name, f"{tax.base_url}{slug}/")
    return term


def _link_taxonomies(site: Site, log: ProblemLog) -> None:
    # Display name of a tag = its most used spelling (real blogs mix `javascript` and `JavaScript`).
    spellings: dict[str, Counter] = defaultdict(Counter)
    for a in site.posts:
        for name in a.tag_names:
            spellings[slugify(str(name))][str(name).strip()] += 1
    display = {slug: names.most_common(1)[0][0] for slug, names in spellings.items()}
    for a in site.posts:
        seen = set()
        for name in a.tag_names:
            slug = slugify(str(name))
            if not slug or slug in seen:
                continue
            seen.add(slug)
            term = _term(site.tags, display[slug], slug)
            term.articles.append(a)
            a.tags.append(term)
        for name in a.category_names:
            term = _term(site.categories, str(name).strip())
            if term not in a.categories:  # the same category twice in one post
                term.articles.append(a)
                a.categories.append(term)
        for person in a.authors:
            term = _term(site.author_terms, person.name, person.id)
            term.author = person
            term.articles.append(a)
            person.articles.append(a)
        for person in a.interviewees:
            person.interviews.append(a)
        year = _term(site.years, str(a.date.year))
        year.articles.append(a)
    for person in site.authors.values():  # profiles with no post yet still get their page
        if person.id not in site.author_terms.terms and (person.interviews or not person.generated):
            _term(site.author_terms, person.name, person.id).author = person


RELATED_MEMO: dict = {}  # {"key": fingerprint of the inputs, "related": [[post index, ...], ...]}


def _link_neighbours(site: Site, window: int = 40) -> None:
    """previous/next in date order; related = most shared tags, then nearest in time.

    Only the `window` posts nearest in time within each shared tag are candidates, which keeps this
    linear in the number of posts (a site-wide pairwise comparison is quadratic at 5,000 posts).
    Posts are handled by their index in `site.posts` (newest first) and ranked by the tuple
    (-score, distance in time, index), so ties always break the same way.
    """
    posts = site.posts
    for i, a in enumerate(posts):
        a.next = posts[i - 1] if i > 0 else None  # newer
        a.previous = posts[i + 1] if i + 1 < len(posts) else None  # older
    count = site.config.related_posts
    # The ranking depends only on the order of posts, their tags and categories: when none of
    # them changed (an edited body, a new typo fix), reuse the previous build's result (the build
    # cache keeps RELATED_MEMO between builds).
    key = fingerprint("related-v1", window, count,
                      [(a.source, [t.slug for t in a.tags], [c.slug for c in a.categories]) for a in posts])
    if RELATED_MEMO.get("key") == key:
        for a, related in zip(posts, RELATED_MEMO["related"]):
            a.related = [posts[j] for j in related]
        return
    index = {id(a): i for i, a in enumerate(posts)}
    members = {id(t): [index[id(m)] for m in t.articles] for t in site.tags.terms.values()}
    positions = {key: {j: pos for pos, j in enumerate(m)} for key, m in members.items()}
    categories = [frozenset(c.slug for c in a.categories) for a in posts]
    memo: list[list[int]] = []
    for me, a in enumerate(posts):
        shared: Counter = Counter()  # candidate -> number of shared tags (counted in C)
        for term in a.tags:
            m = members[id(term)]
            pos = positions[id(term)][me]
            shared.update(m[max(0, pos - window): pos + window + 1])
        shared.pop(me, None)
        # score = 2 per shared tag, +1 for a shared category (tie-break). Every candidate sharing n
        # tags scores at least 2n, more than any candidate sharing n-1 (at most 2n-1): rank level by
        # level, most shared tags first, and stop once `count` are ranked.
        cats = categories[me]
        by_level = shared.most_common()
        ranked: list[tuple[int, int, int]] = []
        i = 0
        while i < len(by_level) and len(ranked) < count:
            level = by_level[i][1]
            group = []
            while i < len(by_level) and by_level[i][1] == level:
                group.append(by_level[i][0])
                i += 1
            keys = [(-2 * level - (0 if not cats or cats.isdisjoint(categories[j]) else 1), abs(j - me), j)
                    for j in group]
            keys.sort()
            ranked.extend(keys)
        memo.append([j for _, _, j in ranked[:count]])
        a.related = [posts[j] for j in memo[-1]]
    RELATED_MEMO.clear()
    RELATED_MEMO.update(key=key, related=memo)


def _link_series(site: Site) -> None:
    groups: dict[str, list[Article]] = defaultdict(list)
    for a in site.posts:
        if a.series:
            groups[a.series.slug].append(a)
    for parts in groups.values():
        parts.sort(key=lambda a: (a.series.part or 10**6, a.date))
        for a in parts:
            a.series_parts = parts


def _attach_topics(site: Site, log: ProblemLog) -> None:
    for topic in site.topics:
        matching = [t for t in (site.categories.terms.get(topic.slug), site.tags.terms.get(topic.slug)) if t]
        term = next((t for t in matching if site.config.builds(t.kind)), None)  # a category first
        if term is None and matching:
            log.warning(topic.source, "topic-term-disabled", line=1, slug=topic.slug)
            continue
        if term is None:
            log.warning(topic.source, "topic-no-term", line=1, slug=topic.slug)
            continue
        term.topic = topic
        topic.url, topic.output = term.url, output_path(term.url[len(site.config.root_path) - 1:])
        for a in term.articles:
            a.topic = a.topic or topic


def _check_collisions(site: Site, log: ProblemLog) -> None:
    claimed: dict[str, Article] = {}
    for a in site.posts + site.pages:
        other = claimed.get(a.output)
        if other is not None:
            log.error(a.source, "url-claimed-twice", line=a.key_lines.get("slug") or a.key_lines.get("title"),
                      other=other.source, url=a.url)
            continue
        claimed[a.output] = a
    reserved = {"index.html", "404.html", "sitemap.xml", "robots.txt", "atom.xml", "rss.xml"}
    for tax in site.taxonomies:
        for term in tax.terms.values():
            reserved.add(output_path(term.url[len(site.config.root_path) - 1:]))
    for a in site.posts + site.pages:
        if a.output in reserved and a.kind != "topic":
            log.error(a.source, "url-reserved", line=a.key_lines.get("slug"), url=a.url)
        for alias in a.aliases:
            out = output_path(alias)
            if out in claimed or out in reserved:
                owner = claimed.get(out)
                line = a.key_lines.get("aliases") or a.key_lines.get("redirect_from")
                if owner:
                    log.error(a.source, "alias-collides-page", line=line, alias=alias, other=owner.source)
                else:
                    log.error(a.source, "alias-collides-generated", line=line, alias=alias)
            elif out in site.redirects and site.redirects[out] is not a:
                log.error(a.source, "alias-claimed-twice", line=a.key_lines.get("aliases"), alias=alias,
                          other=site.redirects[out].source)
            else:
                site.redirects[out] = a
