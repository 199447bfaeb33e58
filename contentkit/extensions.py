"""The named extension points of the build, as MkDocs' plugin events.

The site core (config, content/, model, urls, assemble, render/, build, output) knows features only
through these hooks; it imports none of them. `build.py` calls the hooks in pipeline order:

    on_cache_read(memos)            before the site is assembled: whole-site results the last build
                                    kept in the cache (a dict, name -> JSON-able value)
    on_site(site, log)              the site is assembled (articles, people, terms, redirects);
                                    an extension may add redirects or report problems
    on_cache_write(memos, config)   after on_site: put results worth keeping into the cache's memos
    on_environment(env, site)       the Jinja environment is made: add filters and globals
    on_plan(planner)                every page is planned: add files (planner.add / planner.page)
    staged_output(site, log)        a callable run on the complete output, staged before it is
                                    swapped in (a search index), or None; the top-level folders
                                    it makes are its attribute `generated_dirs` (a tuple)
    on_write(site, writer)          extra files to publish with the site (writer.add)
    on_post_build(site, options)    the site is published: update the site's own records

Built-in features register in pyproject.toml under the entry-point group `contentkit.extensions`,
so third-party packages plug in the same way; `build_site(extensions=[...])` overrides the list.
An extension's name is its entry-point name; extensions run in the order of (`order`, name).
"""
from __future__ import annotations

from importlib.metadata import entry_points
from typing import Callable

GROUP = "contentkit.extensions"


class Extension:
    """Base class: every hook does nothing. Subclasses override the hooks they need."""

    name = "extension"
    order = 100  # lower runs first

    def on_cache_read(self, memos) -> None:
        pass

    def on_site(self, site, log) -> None:
        pass

    def on_cache_write(self, memos, config) -> None:
        pass

    def on_environment(self, env, site) -> None:
        pass

    def on_plan(self, planner) -> None:
        pass

    def staged_output(self, site, log) -> Callable | None:
        return None

    def on_write(self, site, writer) -> None:
        pass

    def on_post_build(self, site, options) -> None:
        pass


class Extensions(list):
    """The extensions of one build, in the order they run."""

    def run(self, hook: str, *args) -> None:
        for extension in self:
            getattr(extension, hook)(*args)

    def collect(self, hook: str, *args) -> list:
        """The non-None results of `hook` (e.g. staged_output callables)."""
        return [r for r in (getattr(e, hook)(*args) for e in self) if r is not None]


def installed_extensions() -> Extensions:
    """The extensions installed under the entry-point group, built-in features included."""
    found = []
    for point in entry_points(group=GROUP):
        extension = point.load()()
        extension.name = point.name
        found.append(extension)
    return Extensions(sorted(found, key=lambda e: (e.order, e.name)))
