"""Plan every output file of a site: what it is, what it depends on, and how to render it.

Rendering is lazy: each `PlannedFile` carries the data it shows (`deps`), from which the build
computes a signature; only files whose signature changed since the last build are rendered and
written. That is the dependency tracking behind incremental builds and the preview.
"""
from __future__ import annotations

import dataclasses
import math
from functools import partial
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import jinja2

from .. import __version__
from ..urls import output_path
from ..model import Article, Site, event_phase
from .env import PartialMemo, fingerprint_files, static_dirs, template_dirs
from .feeds import build_feed
from .seo import Fields, page_meta, robots_txt, sitemap_xml


@dataclass
class PlannedFile:
    output: str  # path inside the output folder
    deps: tuple  # everything the file shows; a change here means a re-render
    render: Callable[[], bytes] = field(repr=False)
    template: str | None = None  # the page's template, if any
    cards: list = field(default_factory=list, repr=False)  # articles it lists (cards), for warm()


@dataclass
class CopiedFile:
    output: str
    source: Path


def _brief(a: Article | None) -> tuple | None:
    return (a.url, a.title) if a is not None else None


def site_wide_inputs(site: Site, env: jinja2.Environment, strings: dict[str, str]) -> dict[str, object]:
    """What every page shows beyond its own `deps`: the build signs each planned file with these
    and its deps, so a change here re-renders every page (and anything missing here, that a
    template shows on every page, would leave stale pages in an incremental build).

    Only what base.html or a partial every page includes reads, and a page's deps do not hold
    (tests/test_site_signature.py proves each item is needed and that they are enough):

    generator     the contentkit version: the code that renders (filters, page_meta, feeds...)
    config        every field of contentkit.yml, the `config` global of every template
                  (base.html: title, root_path, language, builds(), publisher.name; seo.html:
                  title and the meta page_meta computes from the config; the filters `date`,
                  `absolute`, `outbound` read it; taxonomy base URLs derive from root_path)
    templates     every file of the template folders (site, theme, built-in): base.html and the
                  partials are part of every page
    strings       the UI strings behind `t()` (catalog, theme and site i18n overrides)
    pages         site.pages' URL and title: base.html's navigation lists them
    globals       the data globals the extensions set for all templates (functions and the
                  config left out): events_page (base.html's menu, partials/event.html; editorial)
                  and search_page (base.html's search form; search). Signed by repr: a
                  global must have a stable one, or every build re-renders every page

    Not here, because each page's deps hold what it shows of them: categories, tags and authors
    (bylines and cards show an article's own, in its fingerprint), the latest posts (404 page),
    the build options (they decide which articles exist, which the deps list)."""
    cfg = site.config
    return {
        "generator": __version__,
        "config": sorted((f.name, repr(getattr(cfg, f.name))) for f in dataclasses.fields(cfg)),
        "templates": fingerprint_files(template_dirs(cfg)),
        "strings": sorted(strings.items()),
        "pages": [(p.url, p.title) for p in site.pages],
        "globals": sorted((name, repr(value)) for name, value in env.globals.items()
                          if name != "config" and not callable(value)),
    }


class Planner:
    def __init__(self, site: Site, env: jinja2.Environment):
        self.site = site
        self.env = env
        self.cfg = site.config
        self.root = self.cfg.root_path
        self.files: list[PlannedFile] = []
        self.copies: list[CopiedFile] = []
        self.feed_contents: dict = {}  # article -> feed entry content, for this build (feeds.py)
        self._feeds: dict[str, list] = {}
        # The query parameters of entry links in the feed of a page, per format: none here; an
        # extension's on_environment/on_plan may set it (editorial: UTM, editorial/links.py). Read
        # when a feed is rendered, so it may be set after the feeds are planned.
        self.feed_link_params: Callable[[Site, str, str], dict] = lambda site, page_url, fmt: {}

    def rel(self, url: str) -> str:
        return output_path(url[len(self.root) - 1:])

    def add(self, output: str, deps: tuple, render: Callable[[], bytes], **info) -> None:
        self.files.append(PlannedFile(output, deps, render, **info))

    def page(self, url: str, template: str, deps: tuple, **context) -> None:
        """`meta` may be a callable: computed only if the page is rendered (most are not, in an
        incremental build)."""
        def render() -> bytes:
            ctx = {"site": self.site, "page_url": url, **context}
            if callable(ctx.get("meta")):
                ctx["meta"] = ctx["meta"]()
            return self.env.get_template(template).render(ctx).encode("utf-8")
        self.add(self.rel(url), (template, url) + deps, render, template=template,
                 cards=context.get("articles") or [])

    def warm(self, files: list[PlannedFile], workers: int) -> list[PlannedFile]:
        """Before `workers` render processes share `files` (build._render forks workers - 1 of them
        and renders too, taking slices from the end of the queue): returns the files in the order
        to render them, pages that list cards last. So in a full build the parent renders every
        card once, on its own, while the workers render the articles; when pages with cards are
        more than the parent's share (most of an incremental build after a new post), workers
        will meet them too: their cards are then rendered here, once, before forking (when the
        list templates call `card(a)`), and inherited. Never fails: an error shows where it
        belongs, when the page that meets it is rendered."""
        env = self.env
        for memo in (PartialMemo.of(env, "card"), PartialMemo.of(env, "byline")):
            bool(memo)  # which globals the partial reads: found once, here, for all processes
        listing = [f for f in files if f.cards]
        card = PartialMemo.of(env, "card")
        if len(listing) * workers > len(files) and isinstance(card, PartialMemo) and card:
            listed: dict[int, Article] = {}
            for f in listing:
                if card.called_by(f.template):
                    for a in f.cards:
                        listed.setdefault(id(a), a)
            card.fill(listed.values())
        return [f for f in files if not f.cards] + listing

    def feeds_for(self, url: str) -> list[dict]:
        """The feed links of a page's <head> (the same read-only list for all pages of a URL)."""
        feeds = self._feeds.get(url)
        if feeds is None:
            feeds = self._feeds[url] = [
                Fields({"type": f"application/{fmt}+xml", "url": f"{url}{fmt}.xml", "fmt": fmt})
                for fmt in ("atom", "rss") if self.cfg.builds(fmt)]
        return feeds

    def term_has_feeds(self, kind: str) -> bool:
        """Whether the terms of a taxonomy have their own feeds (years never do)."""
        return kind != "year" and self.cfg.builds("term_feed")

    def has_feed(self, page_url: str, articles: list[Article]) -> bool:
        """An empty feed (an interviewee's, a profile with no post yet) is neither written nor
        advertised, as Hugo writes a feed only for a list that has pages (its terms exist only
        with pages): a feed reader would otherwise show a subscription dated 1970 that says
        nothing for months. The site's own feed is always written, from before the first post
        (as WordPress's is), so its address never 404s."""
        return bool(articles) or page_url == self.root

    def feed(self, articles: list[Article], title: str, page_url: str, description: str = "") -> None:
        if not self.has_feed(page_url, articles):
            return
        items = articles[: self.cfg.feed_items]
        for fmt in ("atom", "rss"):
            if not self.cfg.builds(fmt):
                continue
            path = page_url + ("atom.xml" if fmt == "atom" else "rss.xml")
            self.add(path[len(self.root):], ("feed", fmt, title, description, [a.fingerprint for a in items]),
                     lambda fmt=fmt, path=path: build_feed(self.site, articles, title=title, page_url=page_url,
                                                           feed_path=path, fmt=fmt, description=description,
                                                           content_memo=self.feed_contents,
                                                           link_params=self.feed_link_params(self.site, page_url, fmt)))

    def listing(self, base_url: str, template: str, articles: list[Article], title: str,
                description: str, deps: tuple, **context) -> None:
        """A paginated list: base_url, base_url/page/2/, ... (one page for a term when
        `paginate_terms` is off). Its <head> links the list's own feeds if it has some."""
        per = self.cfg.per_page
        term = context.get("term")
        if term is not None and not self.cfg.paginate_terms:
            per = max(1, len(articles))
        own = term is None or self.term_has_feeds(term.kind)  # the home's feeds are the site's
        if own and not self.has_feed(base_url, articles):
            # An empty term (an interviewee's page) has no feed of its own, and <head> names its
            # feeds after the page ("Amélie Chen (ATOM)"): the site's would be mislabelled there.
            own, feeds = False, []
        else:
            feeds = self.feeds_for(base_url if own else self.root)
        pages = max(1, math.ceil(len(articles) / per))
        for n in range(1, pages + 1):
            url = base_url if n == 1 else f"{base_url}page/{n}/"
            chunk = articles[(n - 1) * per: n * per]
            pagination = Fields({"page": n, "pages": pages, "total": len(articles),
                                 "prev_url": (base_url if n == 2 else f"{base_url}page/{n - 1}/") if n > 1 else None,
                                 "next_url": f"{base_url}page/{n + 1}/" if n < pages else None})
            page_title = title if n == 1 else f"{title} – {self.env.globals['t']('page_n', n=n)}"
            meta = partial(page_meta, self.site, title=page_title, url=url, description=description,
                           term=context.get("term"), noindex=False)
            self.page(url, template, deps + (n, pages, len(articles), [a.fingerprint for a in chunk]),
                      articles=chunk, pagination=pagination, meta=meta, title=title, feeds=feeds,
                      own_feed=feeds[0] if own and feeds else None, **context)

    # -------------------------------------------------------------------------------------
    def plan(self) -> "Planner":
        site, cfg, t = self.site, self.cfg, self.env.globals["t"]
        site.extensions.run("on_environment", self.env, site)  # filters and globals of the features
        posts = site.posts
        self.listing(self.root, "index.html", posts, cfg.title, cfg.description, ("home",), is_home=True)
        self.feed(posts, cfg.title, self.root, cfg.description)

        for a in posts:
            deps = (a.fingerprint, _brief(a.previous), _brief(a.next), [_brief(r) + (r.date,) for r in a.related],
                    [_brief(p) for p in a.series_parts], _brief(a.topic), event_phase(a, site.now))
            meta = partial(page_meta, site, title=a.title, url=a.url, description=a.summary, article=a)
            self.page(a.url, "article.html", deps, article=a, meta=meta, feeds=self.feeds_for(self.root))
        for a in site.pages:
            meta = page_meta(site, title=a.title, url=a.url, description=a.summary, article=a)
            self.page(a.url, "page.html", (a.fingerprint,), article=a, meta=meta, feeds=self.feeds_for(self.root))

        for tax, label in ((site.tags, "tag"), (site.categories, "category"), (site.years, "year")):
            if not cfg.builds(label):
                continue
            terms = tax.sorted_terms() if tax.kind != "year" else sorted(tax.terms.values(), key=lambda x: x.slug, reverse=True)
            for term in terms:
                title = t(f"{label}_title", name=term.name)
                description = term.topic.summary if term.topic else t(f"{label}_description", name=term.name)
                self.listing(term.url, "term.html", term.articles, title, description,
                             (label, term.name, term.topic.fingerprint if term.topic else None), term=term)
                if self.term_has_feeds(tax.kind):
                    self.feed(term.articles, f"{cfg.title} – {term.name}", term.url, description)
            index_title = t(f"{label}_index_title")
            self.page(tax.base_url, "terms.html", (label, [(x.slug, x.name, len(x.articles)) for x in terms]),
                      terms=terms, taxonomy=tax, title=index_title,
                      meta=page_meta(site, title=index_title, url=tax.base_url), feeds=self.feeds_for(self.root))

        if cfg.builds("author"):
            self.plan_authors()
        site.extensions.run("on_plan", self)  # e.g. .ics files and events page, search page
        self.page(self.root + "404.html", "404.html", ("404", [_brief(a) for a in posts[:5]]), title=t("not_found_title"),
                  meta=page_meta(site, title=t("not_found_title"), url=self.root + "404.html", noindex=True),
                  feeds=[])
        for out, target in sorted(site.redirects.items()):
            self.add(out, ("redirect", target.url, target.title, target.lang),
                     lambda target=target: self.env.get_template("redirect.html").render(
                         site=site, target=target, target_url=cfg.absolute(target.url)).encode("utf-8"))
        self.add("sitemap.xml", ("sitemap", self.sitemap_entries()), lambda: sitemap_xml(self.sitemap_entries()))
        self.add("robots.txt", ("robots", cfg.base_url), lambda: robots_txt(site))
        self.plan_copies()
        return self

    def plan_authors(self) -> None:
        """Each author's pages and feeds, and the team page."""
        site, cfg, t = self.site, self.cfg, self.env.globals["t"]
        for term in site.author_terms.sorted_terms():
            person = term.author
            title = person.name
            description = (person.job_title + (f" – {person.company}" if person.company else "")) or t("author_description", name=person.name)
            self.listing(term.url, "author.html", term.articles, title, description,
                         ("author", person.fingerprint, [_brief(i) for i in person.interviews]),
                         term=term, author=person)
            if self.term_has_feeds("author"):
                self.feed(term.articles, f"{cfg.title} – {person.name}", term.url, description)
        team = [a for a in site.authors.values() if not a.hide_from_team and not a.generated]
        team.sort(key=lambda p: (-len(p.articles), p.name.casefold()))
        guests = [a for a in site.authors.values()
                  if a.hide_from_team and a.role != "staff" and (a.articles or a.interviews)]
        guests.sort(key=lambda p: p.name.casefold())
        self.page(site.author_terms.base_url, "team.html",
                  ("team", [p.fingerprint for p in team + guests], [len(p.articles) for p in team + guests]),
                  team=team, guests=guests, title=t("team_title"),
                  meta=page_meta(site, title=t("team_title"), url=site.author_terms.base_url),
                  feeds=self.feeds_for(self.root))

    def sitemap_entries(self) -> list[tuple[str, str | None]]:
        site, cfg = self.site, self.cfg
        def day(d):
            return d.date().isoformat() if d else None
        newest = day(site.posts[0].updated or site.posts[0].date) if site.posts else None
        entries = [(cfg.absolute(self.root), newest)]
        entries += [(cfg.absolute(a.url), day(a.updated or a.date)) for a in site.posts if not a.canonical_url]
        entries += [(cfg.absolute(a.url), day(a.updated or a.date)) for a in site.pages]
        for tax in site.taxonomies:
            if not cfg.builds(tax.kind):
                continue
            for term in tax.terms.values():
                if term.articles:
                    latest = max((a.updated or a.date) for a in term.articles)
                    entries.append((cfg.absolute(term.url), day(latest)))
        if self.env.globals.get("events_page"):  # set by the editorial extension (editorial/events.py)
            entries.append((cfg.absolute(self.env.globals["events_page"]), None))
        return entries

    def plan_copies(self) -> None:
        seen: dict[str, Path] = {}
        for d in static_dirs(self.cfg):  # later directories override earlier ones
            for path in sorted(p for p in d.rglob("*") if p.is_file() and not p.name.startswith(".")):
                seen[path.relative_to(d).as_posix()] = path
        for a in self.site.posts:
            if a.bundle_dir:
                base = a.output.rsplit("/", 1)[0] + "/" if "/" in a.output else ""
                for name in a.bundle_files:
                    seen[base + name] = a.bundle_dir / name
        self.copies = [CopiedFile(out, src) for out, src in sorted(seen.items())]
