"""`contentkit check`: what an editor should fix before publishing.

Reads the content model twice through `load_site` (never parsing content itself):
  * with drafts and future posts, for the articles to check (every post, page and topic hub);
  * as `contentkit build` would, for the set of URLs the published site really has: the planner's
    output files (articles, tag/category/author/year pages and their pagination, feeds, redirects
    of old URLs, events, search) and copied files (static/, theme, page bundles).

Findings (severity `error` makes the command exit 1; `--strict` counts warnings too):
  error    broken-link          internal link to a URL the build does not produce
  error    broken-anchor        `#section` that does not exist on the target page
  error    unpublished-link     a live article links to a draft / future / unpublished post
  error    missing-image        local image (body, front matter `image`, author photo) not found
  error    content              problems of the content itself (front matter, collisions…)
  error    external-link        (`--external`) an external link answers 4xx/5xx
  warning  unpublished-link     an unpublished article links to another unpublished one
  warning  redirected-link     link to an old URL that only redirects
  warning  image-alt            image without alt text (body, or `image` without `image_alt`)
  warning  social-image         front matter `image` is an SVG, which social networks do not show
  warning  no-summary           no `summary`/`description`: the first paragraph is used
  warning  long-title / long-description   over 60 / 160 characters (cut by search engines)
  warning  duplicate-title      two articles with the same title
  warning  orphan               a published post no other article links to
  warning  future               a post dated in the future
  warning  unknown-author       an author without a profile (a minimal one is generated)
  warning  external-unreachable (`--external`) timeout or network error

Each finding names the Markdown file and line (for a link or image: `body_line` + the line of the
match in the body), what is wrong and how to fix it. `--format json` prints the same as data.
External links are only checked with `--external` (timeout, on-disk cache of successes in
`.contentkit-cache/external-links.json`).
"""
from __future__ import annotations

import json
import re
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import click

from .assemble import BuildOptions
from .model import Article, Site

TITLE_MAX = 60
DESCRIPTION_MAX = 160
EXTERNAL_CACHE = "external-links.json"
USER_AGENT = "contentkit-check (+https://github.com/contentkit; link checker)"
_GENERATED_CLASSES = {"heading-anchor", "footnote-ref", "footnote-backref"}
_SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "sms:", "ftp:")
_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})[^\n]*\n.*?(?:^\1?\2[`~]*[ \t]*$|\Z)", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_ID_ATTR = re.compile(r"""\s(?:id|name)\s*=\s*["']([^"']+)["']""")


@dataclass(frozen=True)
class Finding:
    file: str
    line: int | None
    severity: str  # "error" | "warning"
    code: str
    message: str
    hint: str = ""

    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "severity": self.severity, "code": self.code,
                "message": self.message, "hint": self.hint}


@dataclass
class CheckReport:
    findings: list[Finding] = field(default_factory=list)
    articles: int = 0
    external_checked: int = 0

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    def as_dict(self) -> dict:
        return {"summary": {"articles": self.articles, "errors": len(self.errors),
                            "warnings": len(self.warnings), "external_checked": self.external_checked},
                "findings": [f.as_dict() for f in self.findings]}


# ----------------------------------------------------------------------------------------------
# Reading the rendered HTML of an article (the model's `.html`) and locating things in `.body`

@dataclass
class Ref:
    kind: str  # "a" | "img"
    url: str
    alt: str | None = None  # img only; None = no alt attribute


class _RefParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs: list[Ref] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href") is not None:
            if _GENERATED_CLASSES & set((a.get("class") or "").split()):
                return  # heading permalinks and footnote links are generated, always valid
            self.refs.append(Ref("a", a["href"].strip()))
        elif tag == "img":
            self.refs.append(Ref("img", (a.get("src") or "").strip(), a.get("alt")))

    handle_startendtag = handle_starttag


def html_refs(html: str) -> list[Ref]:
    parser = _RefParser()
    parser.feed(html)
    parser.close()
    return parser.refs


def _mask_code(body: str) -> str:
    """The body with code blocks, code spans and comments blanked (same length, same newlines)."""
    def blank(m: re.Match) -> str:
        return re.sub(r"[^\n]", " ", m.group(0))
    masked = _FENCE.sub(blank, body)
    masked = _HTML_COMMENT.sub(blank, masked)
    return _CODE_SPAN.sub(blank, masked)


class Locator:
    """Line numbers of URLs in an article's Markdown body, occurrence after occurrence."""

    def __init__(self, article: Article):
        self.article = article
        self.body = _mask_code(article.body or "")
        self.cursor: dict[str, int] = {}

    def line(self, url: str) -> int | None:
        needles = [url, url.replace("&", "&amp;"), unquote(url)]
        for needle in dict.fromkeys(n for n in needles if n):
            # the whole URL, not a prefix of a longer one ("/a/" must not match in "/a/#b")
            pattern = re.compile(r"(?<![\w/.#?=&%~-])" + re.escape(needle) + r"(?![\w/#?=&%~-])")
            start = self.cursor.get(needle, 0)
            m = pattern.search(self.body, start) or (pattern.search(self.body) if start else None)
            if m:
                self.cursor[needle] = m.end()
                return self.article.body_line + self.body.count("\n", 0, m.start())
        return None


# ----------------------------------------------------------------------------------------------
# What the published site contains

class PublishedSite:
    """URLs a normal `contentkit build` produces, and the ids on each page (rendered on demand)."""

    def __init__(self, site: Site):
        self.site = site
        self.root = site.config.root_path
        self.urls: set[str] = set()
        self.renderers: dict[str, object] = {}
        self.articles: dict[str, Article] = {}
        self.redirects: dict[str, Article] = {}
        self._ids: dict[str, set[str]] = {}
        self.plan_error = ""
        try:
            from .render.env import load_strings, make_environment
            from .render.pages import Planner

            planner = Planner(site, make_environment(site.config, load_strings(site.config))).plan()
        except Exception as exc:  # a theme in progress must not hide content problems
            self.plan_error = f"{type(exc).__name__}: {exc}"
            planner = None
        if planner is not None:
            for planned in planner.files:
                for url in self._urls_of(planned.output):
                    self.urls.add(url)
                    self.renderers[url] = planned.render
            for copied in planner.copies:
                self.urls.add(self.root + copied.output)
        for a in site.all_documents:
            self.urls.add(a.url)
            self.articles[a.url] = a
        for out, target in site.redirects.items():
            for url in self._urls_of(out):
                self.redirects[url] = target

    def _urls_of(self, output: str) -> list[str]:
        url = self.root + output
        if output == "index.html" or output.endswith("/index.html"):
            return [url[: -len("index.html")], url]
        return [url]

    def resolve(self, path: str) -> str | None:
        """The published URL a link path lands on, or None."""
        for candidate in (path, path + "/" if not path.endswith("/") else None):
            if candidate and candidate in self.urls:
                return candidate
        return None

    def ids(self, url: str) -> set[str] | None:
        """Element ids of the page at `url` (None when the page cannot be rendered)."""
        if url in self._ids:
            return self._ids[url]
        ids: set[str] | None = None
        render = self.renderers.get(url)
        if render is not None:
            try:
                ids = set(_ID_ATTR.findall(render().decode("utf-8", "replace")))
            except Exception:
                ids = None
        if ids is None and url in self.articles:
            ids = set(_ID_ATTR.findall(self.articles[url].html))
        self._ids[url] = ids
        return ids


# ----------------------------------------------------------------------------------------------

class Checker:
    def __init__(self, root: Path, *, external: bool = False, timeout: float = 10.0,
                 cache_days: float = 7.0, workers: int = 8, now=None):
        self.root = Path(root)
        self.external = external
        self.timeout = timeout
        self.cache_days = cache_days
        self.workers = workers
        self.now = now
        self.report = CheckReport()

    def add(self, file: str, line: int | None, severity: str, code: str, message: str, hint: str = "") -> None:
        self.report.findings.append(Finding(file, line, severity, code, message, hint))

    def run(self) -> CheckReport:
        from .build import load_site
        from .errors import ProblemLog

        log = ProblemLog()
        site = load_site(self.root, BuildOptions(drafts=True, future=True, now=self.now), log)
        live_site = load_site(self.root, BuildOptions(now=self.now), ProblemLog())
        self.site, self.cfg = site, site.config
        self.published = PublishedSite(live_site)
        self.live_sources = {a.source for a in live_site.all_documents}
        for p in log.problems:
            if "has no author profile" in p.message:
                continue  # reported below as unknown-author, with the same location
            self.add(p.file, p.line, p.severity, "content", p.message, p.hint)
        if self.published.plan_error:
            self.add(self.cfg.source_file or "contentkit.yml", None, "warning", "content",
                     f"the site could not be planned ({self.published.plan_error}); links to generated "
                     "pages may be reported as broken", "run `contentkit build` to see the problem")

        articles = site.every_document
        self.report.articles = len(articles)
        self.by_url = {a.url: a for a in articles}
        self.inbound: dict[str, set[str]] = {a.source: set() for a in articles}
        external_refs: dict[str, list[tuple[Article, int | None, str]]] = {}
        for a in articles:
            locator = Locator(a)
            for ref in html_refs(a.html):
                self._check_ref(a, ref, locator, external_refs)
            self._check_metadata(a)
        self._check_images_front_matter(articles)
        self._check_author_photos(site)
        self._check_duplicates(articles)
        self._check_orphans(articles)
        if self.external and external_refs:
            self._check_external(external_refs)
        order = {"error": 0, "warning": 1}
        self.report.findings.sort(key=lambda f: (order.get(f.severity, 2), f.file, f.line or 0, f.code))
        return self.report

    def is_live(self, a: Article) -> bool:
        return a.source in self.live_sources

    # Links and images in the body -------------------------------------------------------------
    def _internal_path(self, url: str, base: str) -> tuple[str, str] | None:
        """(root-relative path, fragment) of a link to this site, or None for an external link."""
        if url.startswith("//"):
            url = urlsplit(self.cfg.base_url).scheme + ":" + url
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            if parts.scheme not in ("http", "https") or parts.netloc != urlsplit(self.cfg.base_url).netloc:
                return None
            path = parts.path or "/"
        elif not parts.path:
            path = base  # "#section" or "?q=": this page
        elif parts.path.startswith("/"):
            path = parts.path
        else:
            import posixpath
            path = posixpath.normpath(posixpath.join(base, parts.path))
            if parts.path.endswith("/") and not path.endswith("/"):
                path += "/"
            if not path.startswith("/"):
                path = "/" + path
        return unquote(path), unquote(parts.fragment)

    def _check_ref(self, a: Article, ref: Ref, locator: Locator, external_refs: dict) -> None:
        url = ref.url
        what = "image" if ref.kind == "img" else "link"
        line = locator.line(url) if url else None  # every reference advances the locator once
        if ref.kind == "img" and (ref.alt is None or not ref.alt.strip()):
            self.add(a.source, line, "warning", "image-alt", f"image {url or '(no src)'} has no alt text",
                     "describe what the image shows: ![Courbe des ventes 2019-2023](…); "
                     "screen readers and search engines read it")
        if not url:
            if ref.kind == "img":
                self.add(a.source, None, "error", "missing-image", "an image has no source",
                         "write ![description](chemin/vers/image.png)")
            return
        if url.lower().startswith(_SKIP_SCHEMES):
            return
        internal = self._internal_path(url, a.url)
        if internal is None:
            if url.lower().startswith(("http://", "https://", "//")):
                key = "https:" + url if url.startswith("//") else url
                external_refs.setdefault(key, []).append((a, line, what))
            return
        path, fragment = internal
        published = self.published
        target_url = published.resolve(path)
        if target_url is None and path.endswith("/index.html"):
            target_url = published.resolve(path[: -len("index.html")])
        if target_url is None:
            draft = self.by_url.get(path) or self.by_url.get(path + "/")
            if draft is not None and draft.source == a.source:
                if fragment and ref.kind == "a":  # an unpublished article linking into itself
                    self._check_anchor(a, url, line, fragment, set(_ID_ATTR.findall(a.html)))
            elif draft is not None:
                self.inbound.setdefault(draft.source, set()).add(a.source)
                self._unpublished(a, draft, url, line)
            elif ref.kind == "img":
                self.add(a.source, line, "error", "missing-image", f"image {url} not found",
                         self._missing_file_hint(a, path))
            else:
                self.add(a.source, line, "error", "broken-link", f"link to {url}: no such page on the site",
                         self._broken_hint(path))
            return
        target = published.articles.get(target_url)
        if target is None and target_url in published.redirects:
            target = published.redirects[target_url]
            self.add(a.source, line, "warning", "redirected-link",
                     f"link to the old URL {url}, which only redirects to {target.url}",
                     f"link to {target.url} directly")
            target_url = target.url
        if target is not None and target.source != a.source:
            self.inbound.setdefault(target.source, set()).add(a.source)
        if fragment and ref.kind == "a":
            ids = published.ids(target_url)
            if target is not None and target.source == a.source:
                ids = (ids or set()) | set(_ID_ATTR.findall(a.html))
            if ids is not None:
                self._check_anchor(a, url, line, fragment, ids)

    def _check_anchor(self, a: Article, url: str, line: int | None, fragment: str, ids: set[str]) -> None:
        if fragment in ids:
            return
        stem = fragment.split("-")[0]
        close = sorted(i for i in ids if stem and stem in i)[:3]
        self.add(a.source, line, "error", "broken-anchor", f"link to {url}: the page has no section #{fragment}",
                 ("anchors that look close: " + ", ".join("#" + c for c in close)) if close
                 else "headings get their anchor from their text (« Mise en œuvre » -> #mise-en-oeuvre); "
                      "check the heading in the target article")

    def _unpublished(self, a: Article, target: Article, url: str, line: int | None) -> None:
        state = "dated in the future" if target.is_future and target.status in ("published", "scheduled") \
            else f"not published (status: {target.status})"
        when = f" until {target.date:%Y-%m-%d}" if target.is_future and target.date else ""
        if self.is_live(a):
            self.add(a.source, line, "error", "unpublished-link",
                     f"link to {url} ({target.source}), which is {state}: broken on the live site{when}",
                     "publish that article first, or remove the link until it is published")
        else:
            self.add(a.source, line, "warning", "unpublished-link",
                     f"link to {url} ({target.source}), which is {state}",
                     "publish that article before (or together with) this one")

    def _broken_hint(self, path: str) -> str:
        root = self.cfg.root_path
        if root != "/" and not path.startswith(root):
            return f"internal links start with the site's path {root} (base_url), e.g. {root}{path.lstrip('/')}"
        slug = path.rstrip("/").rsplit("/", 1)[-1]
        if slug:
            close = [u for u in self.published.articles if slug in u or u.rstrip("/").rsplit("/", 1)[-1] in path]
            if close:
                return "did you mean " + " or ".join(sorted(close)[:2]) + " ?"
        return "copy the address of the target article from the built site (year and slug: /2021/mon-article/)"

    def _missing_file_hint(self, a: Article, path: str) -> str:
        if a.bundle_dir is not None:
            return (f"put the file in the article's folder ({Path(a.source).parent.as_posix()}/) and link it "
                    "by its name, or in static/ and link it from the site root (/images/…)")
        return f"put the file in static{path} (static/ is copied to the site root) or fix the path"

    # Front matter ---------------------------------------------------------------------------------
    def _check_metadata(self, a: Article) -> None:
        lines = a.key_lines
        title_line = lines.get("title")
        if len(a.title) > TITLE_MAX:
            self.add(a.source, title_line, "warning", "long-title",
                     f"title of {len(a.title)} characters (over {TITLE_MAX}): search engines cut it",
                     "shorten the title; keep the words people search for at the start")
        if a.kind == "post":
            explicit = next((k for k in ("summary", "description", "excerpt") if k in lines), None)
            if explicit is None:
                self.add(a.source, title_line, "warning", "no-summary",
                         "no summary: the first paragraph is used for search results, social cards and feeds",
                         "add `summary: \"…\"` (one or two sentences, 160 characters at most) to the front matter")
            elif len(a.summary) > DESCRIPTION_MAX:
                self.add(a.source, lines.get(explicit), "warning", "long-description",
                         f"{explicit} of {len(a.summary)} characters (over {DESCRIPTION_MAX}): search "
                         "engines and social networks cut it", "shorten it to one or two sentences")
            if a.is_future and a.date:
                scheduled = a.status == "scheduled"
                self.add(a.source, lines.get("date"), "warning", "future",
                         f"dated in the future ({a.date:%Y-%m-%d %H:%M}): "
                         + ("scheduled, it goes live then" if scheduled else
                            "it is not on the site until then"),
                         "check the date; `contentkit build --future` previews it" if not scheduled
                         else "nothing to do if the date is right")
        for person in a.authors + a.interviewees:
            if person.generated:
                key = next((k for k in ("authors", "author", "interviewees") if k in lines), None)
                self.add(a.source, lines.get(key) if key else None, "warning", "unknown-author",
                         f"'{person.name}' has no author profile (a minimal page is generated)",
                         f"create content/authors/{person.id}.yml with name, job_title, bio and photo, "
                         "or use the id of an existing profile")

    def _check_images_front_matter(self, articles: list[Article]) -> None:
        for a in articles:
            if not a.image:
                continue
            line = a.key_lines.get("image")
            if not a.image_alt.strip():
                self.add(a.source, line, "warning", "image-alt", f"`image: {a.image}` has no `image_alt`",
                         "add `image_alt: \"…\"` describing the image (used by social networks)")
            if urlsplit(a.image).path.lower().endswith((".svg", ".svgz")):
                self.add(a.source, line, "warning", "social-image",
                         f"`image: {a.image}` is an SVG: social networks do not show SVG previews",
                         "use a PNG or JPEG, ideally 1200×630 pixels, for the social card")
            if a.image.startswith(("http://", "https://", "//")):
                continue
            path = unquote(urlsplit(a.image).path)
            if self.published.resolve(path) is None and not self._source_file_exists(a, path):
                self.add(a.source, line, "error", "missing-image", f"image {a.image} not found",
                         self._missing_file_hint(a, path))

    def _source_file_exists(self, a: Article, path: str) -> bool:
        """A bundle file of an unpublished post (not in the published site yet)."""
        if a.bundle_dir is None:
            return False
        base = a.url
        return path.startswith(base) and (a.bundle_dir / path[len(base):]).is_file()

    def _check_author_photos(self, site: Site) -> None:
        for person in site.authors.values():
            if person.generated or not person.photo or person.photo.startswith(("http://", "https://", "//")):
                continue
            photo = person.photo if person.photo.startswith("/") else "/" + person.photo
            if not photo.startswith(self.cfg.root_path):
                photo = self.cfg.root_path.rstrip("/") + photo
            if self.published.resolve(unquote(photo)) is None:
                self.add(person.source or "content/authors", None, "error", "missing-image",
                         f"photo {person.photo} of {person.name} not found",
                         f"put the file in static{photo[len(self.cfg.root_path) - 1:]} or fix `photo:`")

    def _check_duplicates(self, articles: list[Article]) -> None:
        seen: dict[str, Article] = {}
        for a in articles:
            key = " ".join(a.title.replace("\u202f", " ").replace("\u00a0", " ").split()).casefold()
            other = seen.get(key)
            if other is None:
                seen[key] = a
                continue
            for x, y in ((a, other), (other, a)):
                self.add(x.source, x.key_lines.get("title"), "warning", "duplicate-title",
                         f"same title as {y.source}", "give each article its own title (readers and "
                         "search engines cannot tell them apart)")

    def _check_orphans(self, articles: list[Article]) -> None:
        for a in articles:
            if a.kind != "post" or not self.is_live(a):
                continue
            if not self.inbound.get(a.source):
                self.add(a.source, a.key_lines.get("title"), "warning", "orphan",
                         "no other article links to this one",
                         "link to it from a related article or from a topic hub (content/topics/), so "
                         "readers and search engines find it")

    # External links -------------------------------------------------------------------------------
    def _check_external(self, refs: dict[str, list[tuple[Article, int | None, str]]]) -> None:
        from .content.cache import CACHE_DIR

        cache_file = self.cfg.root / CACHE_DIR / EXTERNAL_CACHE
        try:
            cache = json.loads(cache_file.read_text(encoding="utf-8"))
            if not isinstance(cache, dict):
                cache = {}
        except (OSError, ValueError):
            cache = {}
        now = time.time()
        ttl = self.cache_days * 86400
        todo = [u for u in refs if not (isinstance(cache.get(u), dict) and cache[u].get("ok")
                                        and now - cache[u].get("checked", 0) < ttl)]
        with ThreadPoolExecutor(max_workers=max(1, self.workers)) as pool:
            results = dict(zip(todo, pool.map(lambda u: probe(u, self.timeout), todo)))
        self.report.external_checked = len(todo)
        for url, (status, error) in results.items():
            ok = status is not None and status < 400
            if ok:
                cache[url] = {"ok": True, "status": status, "checked": now}
            else:
                cache.pop(url, None)  # failures are checked again next time
        for url, places in refs.items():
            if url in results:
                status, error = results[url]
            else:
                status, error = cache[url].get("status"), ""
            if status is not None and status < 400:
                continue
            for a, line, what in places:
                if status is not None:
                    self.add(a.source, line, "error", "external-link",
                             f"external {what} {url} answers HTTP {status}",
                             "find the new address of that page (or an archived copy) or remove the link")
                else:
                    self.add(a.source, line, "warning", "external-unreachable",
                             f"external {what} {url} could not be reached ({error})",
                             "check the address; the site may be down temporarily")
        try:
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache_file.with_suffix(".tmp")
            tmp.write_text(json.dumps(cache, indent=1, sort_keys=True), encoding="utf-8")
            tmp.replace(cache_file)
        except OSError:
            pass


def probe(url: str, timeout: float) -> tuple[int | None, str]:
    """(HTTP status, "") or (None, error text). HEAD first, GET when HEAD is refused."""
    last_error = ""
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT,
                                                                      "Accept": "*/*"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                if method == "GET":
                    response.read(1024)
                return response.status, ""
        except urllib.error.HTTPError as exc:
            if method == "HEAD" and exc.code in (400, 403, 404, 405, 429, 500, 501, 503):
                last_error = f"HTTP {exc.code}"
                continue  # some servers refuse HEAD: ask again with GET
            return exc.code, ""
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            return None, "timeout" if "timed out" in str(reason) else str(reason)
    return None, last_error


def run_checks(root: Path | str = ".", **options) -> CheckReport:
    return Checker(Path(root), **options).run()


# ----------------------------------------------------------------------------------------------
@click.command()
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="The site folder (holds content/ and contentkit.yml).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--external", is_flag=True, help="Also check links to other sites (slow; results cached).")
@click.option("--timeout", type=float, default=10.0, show_default=True, help="Seconds per external link.")
@click.option("--cache-days", type=float, default=7.0, show_default=True,
              help="Re-check external links that worked more than this many days ago.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
def check(root: Path, fmt: str, external: bool, timeout: float, cache_days: float, strict: bool) -> None:
    """Check content before publishing: links, anchors, images, summaries, titles, authors."""
    from .errors import BuildFailed

    try:
        report = run_checks(root, external=external, timeout=timeout, cache_days=cache_days)
    except BuildFailed as exc:  # the config itself cannot be read
        report = CheckReport(findings=[Finding(p.file, p.line, p.severity, "content", p.message, p.hint)
                                       for p in exc.problems])
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        _print_text(report)
    failed = bool(report.errors) or (strict and bool(report.warnings))
    sys.exit(1 if failed else 0)


def _print_text(report: CheckReport) -> None:
    from rich.console import Console

    console = Console(highlight=False, soft_wrap=True)
    for f in report.findings:
        style = "bold red" if f.severity == "error" else "yellow"
        console.print(f"[{style}]{f.severity}[/] [bold]{f.location()}[/] [dim]({f.code})[/]", end=" ")
        console.print(f.message, markup=False)
        if f.hint:
            console.print(f"    → {f.hint}", markup=False)
    errors, warnings = len(report.errors), len(report.warnings)
    verdict = "[bold red]not ready[/]" if errors else "[green]ready to publish[/]"
    console.print(f"{report.articles} articles checked: {errors} error(s), {warnings} warning(s) — {verdict}"
                  + (f" ({report.external_checked} external links checked)" if report.external_checked else ""))
