"""What the published site contains: the URLs a normal `contentkit build` produces (the planner's
output files and copied files, every document, redirects of old URLs) and the ids on each page."""
from __future__ import annotations

from ..model import Article, Site
from ..render.env import load_strings, make_environment
from ..render.pages import Planner
from .html import element_ids


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
                ids = element_ids(render().decode("utf-8", "replace"))
            except Exception:
                ids = None
        if ids is None and url in self.articles:
            ids = element_ids(self.articles[url].html)
        self._ids[url] = ids
        return ids
