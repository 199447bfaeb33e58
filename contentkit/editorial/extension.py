"""The editorial features as one extension of the build (see contentkit/extensions.py).

    on_site          old URLs from the slug registry become redirects; the events page is not shadowed
    on_cache_read    the parsed slug registry of the last build (cache memo), reused when unchanged
    on_cache_write   the parsed slug registry, kept in the cache for the next build
    on_environment   filters `outbound` (rel/UTM on outbound links, links.py), `ics_url` (events.py);
                     global `events_page` (None until planned)
    on_plan          UTM on feed entry links (links.py); `.ics` of event posts and the events page
    on_write         `.contentkit/next-publish.json`: when the next rebuild is due (schedule.py)
    on_post_build    `content/.slugs.yml`: the URLs live posts have had (slugs.py), not in preview
"""
from __future__ import annotations

from ..extensions import Extension
from . import slugs
from .checks import link_editorial
from .events import ics_url, plan_events
from .links import feed_link_params, outbound_links
from .schedule import NEXT_PUBLISH, next_publish_json

SLUG_MEMO = "slug_registry"


class EditorialExtension(Extension):
    name = "editorial"

    def on_cache_read(self, memos) -> None:
        if isinstance(memos.get(SLUG_MEMO), dict):
            for path, value in memos[SLUG_MEMO].items():
                slugs.PARSED.setdefault(path, tuple(value))

    def on_site(self, site, log) -> None:
        link_editorial(site, log)

    def on_cache_write(self, memos, config) -> None:
        registry = {k: v for k, v in slugs.PARSED.items() if k == str(slugs.registry_path(config))}
        if registry:
            memos[SLUG_MEMO] = registry

    def on_environment(self, env, site) -> None:
        config = site.config
        env.filters.update(outbound=lambda html: outbound_links(html, config), ics_url=ics_url)
        env.globals.update(events_page=None)  # set by plan_events when the site has events

    def on_plan(self, planner) -> None:
        planner.feed_link_params = feed_link_params  # read when the feeds are rendered
        plan_events(planner)

    def on_write(self, site, writer) -> None:
        writer.add(NEXT_PUBLISH, next_publish_json(site))

    def on_post_build(self, site, options) -> None:
        if not options.preview:
            slugs.update_registry(site)
