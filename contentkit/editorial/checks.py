"""Site-wide editorial steps, run once the site is assembled (EditorialExtension.on_site)."""
from __future__ import annotations

from ..errors import ProblemLog
from ..model import Site
from .events import events_page_output, events_url
from .slugs import apply_slug_history


def link_editorial(site: Site, log: ProblemLog) -> None:
    """Old URLs from the slug registry become redirects; the events page must not be shadowed."""
    events_out = events_page_output(site)
    if events_out:
        for a in site.posts + site.pages:
            if a.output == events_out:
                log.warning(a.source, "events-page-shadowed", url=events_url(site))
    apply_slug_history(site, log)
