"""The editor checks in one pass: loads the site twice (everything, and what is published), then
runs the checks of links.py, images.py, metadata.py and external.py on every document."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from ..build import load_site
from ..errors import ProblemLog
from ..model import Article, BuildOptions
from . import external, images, links, metadata
from .html import Locator, html_refs
from .published import PublishedSite
from .report import CheckReport


# The content warning the assembler gives an author without a profile: the check reports it as
# `unknown-author` (with the line of the article's `authors:` key) instead.
AUTHOR_PROFILE_MISSING = "author-profile-missing"


class Checker:
    """Runs every check on a site; findings go to `self.log`, a ProblemLog worded in the site's
    language (`log.error(file, code, line=..., **params)`, codes and wordings in the errors catalog)."""

    def __init__(self, root: Path, *, external: bool = False, timeout: float = 10.0,
                 cache_days: float = 7.0, workers: int = 8, now=None):
        self.root = Path(root)
        self.external = external
        self.timeout = timeout
        self.cache_days = cache_days
        self.workers = workers
        self.now = now
        self.log = ProblemLog()
        self.report = CheckReport(self.log)

    def run(self) -> CheckReport:
        content = ProblemLog()
        site = load_site(self.root, BuildOptions(drafts=True, future=True, now=self.now), content)
        live_site = load_site(self.root, BuildOptions(now=self.now), ProblemLog())
        self.site, self.cfg = site, site.config
        self.log.lang = content.lang  # the site's language, set by load_config
        self.published = PublishedSite(live_site)
        self.live_sources = {a.source for a in live_site.all_documents}
        for p in content.problems:
            if p.code == AUTHOR_PROFILE_MISSING:
                continue  # reported below as unknown-author, with the same location
            # content problems keep their own catalog code; free-text ones are `content`
            self.log.add(p if p.code else dataclasses.replace(p, code="content"))
        if self.published.plan_error:
            # an error: without the plan, the check cannot say the site is ready (nor exit 0)
            self.log.error(self.cfg.source_file or "contentkit.yml", "site-plan", error=self.published.plan_error)

        articles = site.every_document
        self.report.articles = len(articles)
        self.by_url = {a.url: a for a in articles}
        self.inbound: dict[str, set[str]] = {a.source: set() for a in articles}
        external_refs: dict[str, list[tuple[Article, int | None, str]]] = {}
        for a in articles:
            locator = Locator(a)
            for ref in html_refs(a.html):
                links.check_ref(self, a, ref, locator, external_refs)
            metadata.check_metadata(self, a)
        images.check_images_front_matter(self, articles)
        images.check_author_photos(self, site)
        metadata.check_duplicates(self, articles)
        metadata.check_orphans(self, articles)
        if self.external and external_refs:
            external.check_external(self, external_refs)
        order = {"error": 0, "warning": 1}
        self.log.problems.sort(key=lambda f: (order.get(f.severity, 2), f.file, f.line or 0, f.code))
        return self.report

    def is_live(self, a: Article) -> bool:
        return a.source in self.live_sources


def run_checks(root: Path | str = ".", **options) -> CheckReport:
    return Checker(Path(root), **options).run()
