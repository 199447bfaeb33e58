"""The content model: what a site is made of once its files are read.

Plain dataclasses shared by the site side (render/, build.py) and the analytics side (analytics/).
Nothing here reads files or renders templates.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .config import SiteConfig
from .deferred import deferrable
from .extensions import Extensions

# Editorial workflow. `draft: true` in front matter maps to "writing".
STATUSES = ("idea", "writing", "review", "approved", "scheduled", "published")
AUTHOR_ROLES = ("staff", "guest", "interviewee")


@dataclass
class BuildOptions:
    drafts: bool = False
    future: bool = False
    preview: bool = False  # `contentkit serve`: everything visible, marked as such
    now: datetime | None = None

    def at(self) -> datetime:
        return self.now or datetime.now(timezone.utc)


@dataclass(eq=False)  # identity: objects reference each other
class Author:
    id: str
    name: str
    role: str = "staff"
    job_title: str = ""
    company: str = ""
    bio: str = ""
    bio_html: str = ""
    photo: str = ""
    expertise: list[str] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)
    email: str = ""
    hide_from_team: bool = False
    generated: bool = False  # no profile file: made up from a name in front matter
    # Raw HTML in this author's posts is kept as `markdown.raw_html` says (true) or sanitized
    # (false): `trusted:` in the profile, else true for staff, false for guests and interviewees.
    trusted: bool = True
    source: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    url: str = ""
    fingerprint: str = ""
    articles: list["Article"] = field(default_factory=list, repr=False)
    interviews: list["Article"] = field(default_factory=list, repr=False)


@dataclass
class Series:
    name: str
    slug: str
    part: int


@dataclass
class Event:
    """A webinar or meeting announced by a post; it becomes a replay once it has ended."""

    start: datetime
    end: datetime | None
    timezone: str
    location: str = ""
    registration_url: str = ""
    replay_url: str = ""


def event_switch(ev: Event) -> datetime:
    """The instant an event page turns from "upcoming" into "replay": its end, or its start."""
    return ev.end or ev.start


def event_is_past(ev: Event, now: datetime) -> bool:
    # Same comparison as themes/default/templates/partials/event.html.
    return event_switch(ev) < now


def event_phase(a: Article, now: datetime | None) -> str | None:
    """"upcoming" | "past" | None: part of an article page's signature (render/pages.py), so the
    switch re-renders the page. In the core because the core plans article pages."""
    if a.event is None:
        return None
    return "past" if now is not None and event_is_past(a.event, now) else "upcoming"


@deferrable("html", "toc_html", "body")  # read from the cache when first used (deferred.py)
@dataclass(eq=False)  # identity: objects reference each other
class Article:
    """A post, a static page or a topic hub, fully resolved (dates, URL, people, terms)."""

    source: str  # path relative to the site folder, e.g. "content/posts/2015/x.md"
    kind: str  # "post" | "page" | "topic"
    title: str
    slug: str
    url: str  # root-relative, starts with the site's root path
    output: str  # file path inside the output folder, e.g. "2015/x/index.html"
    lang: str
    date: datetime | None
    updated: datetime | None
    html: str
    excerpt_html: str  # what lists and summary feeds show
    summary: str  # plain text, for meta description and social cards
    toc: list
    toc_html: str
    words: int
    reading_time: int
    fingerprint: str  # changes whenever anything this article shows changes
    status: str = "published"
    authors: list[Author] = field(default_factory=list)
    interviewees: list[Author] = field(default_factory=list)
    reviewers: list[str] = field(default_factory=list)
    approved_by: str = ""
    tags: list["Term"] = field(default_factory=list)
    categories: list["Term"] = field(default_factory=list)
    image: str = ""
    image_alt: str = ""
    canonical_url: str = ""
    aliases: list[str] = field(default_factory=list)
    series: Series | None = None
    event: Event | None = None
    params: dict[str, Any] = field(default_factory=dict)  # unknown front-matter keys, for templates
    bundle_dir: Path | None = None  # folder of a page bundle, whose other files are copied beside
    bundle_files: list[str] = field(default_factory=list)
    is_future: bool = False
    body: str = field(default="", repr=False)  # Markdown source of the body
    body_line: int = 1
    key_lines: dict[str, int] = field(default_factory=dict, repr=False)
    # Filled in by the model builder.
    previous: "Article | None" = field(default=None, repr=False)
    next: "Article | None" = field(default=None, repr=False)
    related: list["Article"] = field(default_factory=list, repr=False)
    series_parts: list["Article"] = field(default_factory=list, repr=False)
    topic: "Article | None" = field(default=None, repr=False)
    # Front-matter names of its tags and categories, linked to terms by the model builder.
    tag_names: list = field(default_factory=list, repr=False)
    category_names: list = field(default_factory=list, repr=False)
    source_key: str = field(default="", repr=False)  # the source document's cache key (its content)
    # What raw HTML in the body was allowed to do ("allow", "sanitize", "escape"; docs/security.md).
    raw_html: str = "allow"

    @property
    def category(self) -> "Term | None":
        return self.categories[0] if self.categories else None

    @property
    def is_published(self) -> bool:
        return self.status == "published"

    @property
    def year(self) -> int | None:
        return self.date.year if self.date else None


@dataclass(eq=False)  # identity: objects reference each other
class Term:
    """One tag, category, author or year, with the articles filed under it (newest first)."""

    kind: str  # "tag" | "category" | "author" | "year"
    slug: str
    name: str
    url: str
    articles: list[Article] = field(default_factory=list, repr=False)
    author: Author | None = None  # for kind == "author"
    topic: Article | None = None  # topic hub page with editorial intro, if any

    def feed_url(self, fmt: str) -> str:
        return f"{self.url}{'atom.xml' if fmt == 'atom' else 'rss.xml'}"


@dataclass(eq=False)  # identity: objects reference each other
class Taxonomy:
    """One abstraction for tags, categories, authors and yearly archives: terms with pages and feeds."""

    kind: str
    base_url: str  # e.g. "/tags/"
    terms: dict[str, Term] = field(default_factory=dict)

    def sorted_terms(self) -> list[Term]:
        return sorted(self.terms.values(), key=lambda t: (-len(t.articles), t.name.casefold()))


@dataclass(eq=False)  # identity: objects reference each other
class Site:
    config: SiteConfig
    posts: list[Article]  # built posts, newest first
    pages: list[Article]
    topics: list[Article]
    authors: dict[str, Author]
    tags: Taxonomy
    categories: Taxonomy
    author_terms: Taxonomy
    years: Taxonomy
    hidden: list[Article] = field(default_factory=list)  # drafts/future not built this time
    now: datetime | None = None
    preview: bool = False  # built by `contentkit serve`
    redirects: dict[str, Article] = field(default_factory=dict)  # alias output path -> target
    # another generator's syntax met in the sources, by kind (content/liquid.py): {"highlight": 3, ...}
    foreign_syntax: dict[str, int] = field(default_factory=dict)
    # the build's extensions (extensions.py): render/ calls their on_environment and on_plan hooks
    extensions: Extensions = field(default_factory=Extensions)

    @property
    def all_documents(self) -> list[Article]:
        return self.posts + self.pages + self.topics

    @property
    def every_document(self) -> list[Article]:
        """Built documents, then the ones not built this time (drafts, future), each once."""
        seen, out = set(), []
        for a in self.all_documents + self.hidden:
            if id(a) not in seen:
                seen.add(id(a))
                out.append(a)
        return out

    @property
    def taxonomies(self) -> list[Taxonomy]:
        return [self.tags, self.categories, self.author_terms, self.years]


def fingerprint(*parts: Any) -> str:
    h = hashlib.blake2b(digest_size=12)
    for part in parts:
        h.update(repr(part).encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()
