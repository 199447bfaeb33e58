"""Events and webinars: the `.ics` file of each event post and the events page.

An event post is transformed, not hidden, once the event is over: the same page shows "upcoming"
with a registration button and an `.ics` download before, and "replay" after (see
partials/event.html). The switch happens at the next build after the event's end (see
schedule.py, which tells when that build is due).

Events page: `/evenements/` on a French site, `/events/` otherwise (`events_path` in the config's
`params:` overrides it, e.g. `params: {events_path: /webinaires/}`). It lists upcoming events
(soonest first) then past ones (most recent first), and is only made when a built post has an
event.
"""
from __future__ import annotations

from datetime import date, timezone
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from ..urls import output_path, safe_url_path
from ..model import Article, Site, event_is_past, event_phase, event_switch, fingerprint
from ..render.seo import page_meta

ICS_NAME = "event.ics"


def ics_url(a: Article) -> str:
    """`/2026/webinaire/` -> `/2026/webinaire/event.ics`; `/old.html` -> `/old.ics`."""
    if a.url.endswith("/"):
        return a.url + ICS_NAME
    head, _, last = a.url.rpartition("/")
    return f"{head}/{last.rsplit('.', 1)[0]}.ics"


def ics_output(site: Site, a: Article) -> str:
    """Path of the `.ics` file inside the output folder."""
    return ics_url(a)[len(site.config.root_path):]


def event_uid(site: Site, a: Article) -> str:
    """Stable across rebuilds and title/slug changes: derived from the source path."""
    host = urlsplit(site.config.base_url).hostname or "contentkit"
    return f"{fingerprint('event', a.source)}@{host}"


def event_ics(site: Site, a: Article) -> bytes:
    """An iCalendar file (RFC 5545) for the event announced by `a`.

    DTSTART/DTEND carry the event's TZID (with its VTIMEZONE) so calendars show the organiser's
    wall-clock time; UTC when the event's zone is UTC. DTSTAMP is the post's last modification,
    not the build time, so rebuilding produces identical bytes.
    """
    from icalendar import Calendar, Event as VEvent

    ev, cfg = a.event, site.config
    tz = ZoneInfo(ev.timezone)
    utc = ev.timezone.upper() in ("UTC", "ETC/UTC", "Z")

    def when(d):
        return d.astimezone(timezone.utc) if utc else d.astimezone(tz)

    cal = Calendar()
    cal.add("prodid", "-//contentkit//contentkit//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    item = VEvent()
    item.add("uid", event_uid(site, a))
    item.add("dtstamp", (a.updated or a.date or ev.start).astimezone(timezone.utc))
    item.add("dtstart", when(ev.start))
    if ev.end:
        item.add("dtend", when(ev.end))
    item.add("summary", _plain(a.title))
    url = cfg.absolute(a.url)
    item.add("url", url)
    lines = [_plain(a.summary)] if a.summary else []
    if ev.registration_url:
        lines.append(f"Inscription / registration: {ev.registration_url}")
    lines.append(url)
    item.add("description", "\n\n".join(lines))
    item.add("location", ev.location or ev.registration_url or url)
    cal.add_component(item)
    if not utc:  # VTIMEZONE covering the event's years only (the default spans 1970-2038)
        cal.add_missing_timezones(first_date=date(ev.start.year, 1, 1),
                                  last_date=date((ev.end or ev.start).year + 1, 1, 1))
    return cal.to_ical()


def _plain(text: str) -> str:
    # Titles are typeset with no-break spaces; calendars do fine with ordinary ones.
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def events_url(site_or_config) -> str:
    cfg = getattr(site_or_config, "config", site_or_config)
    custom = cfg.params.get("events_path") if isinstance(cfg.params, dict) else None
    path = safe_url_path(str(custom)) if custom else None
    if path is None:
        path = "/evenements/" if cfg.language.split("-")[0] == "fr" else "/events/"
    if not path.endswith("/"):
        path += "/"
    return cfg.root_path.rstrip("/") + path


def event_posts(site: Site) -> tuple[list[Article], list[Article]]:
    """(upcoming soonest first, past most recent first) among built posts."""
    now = site.now
    with_event = [a for a in site.posts if a.event is not None]
    upcoming = sorted((a for a in with_event if not event_is_past(a.event, now)),
                      key=lambda a: (a.event.start, a.source))
    past = sorted((a for a in with_event if event_is_past(a.event, now)),
                  key=lambda a: (event_switch(a.event), a.source), reverse=True)
    return upcoming, past


def plan_events(planner) -> None:
    """Add the `.ics` file of every event post and the events page to a render.pages.Planner."""
    site, env = planner.site, planner.env
    for a in site.posts:
        if a.event is not None:
            planner.add(ics_output(site, a), ("ics", a.source, a.fingerprint, a.title, a.summary, a.url),
                        lambda a=a: event_ics(site, a))
    upcoming, past = event_posts(site)
    if not upcoming and not past:
        return
    url = events_url(site)
    if planner.rel(url) in {x.output for x in site.posts + site.pages}:
        return  # a page of the site already lives there (a warning from checks.py says so)
    env.globals["events_page"] = url  # the menu links to it (build.py signs `has events`)
    t = env.globals["t"]
    title = t("events_title")
    planner.page(url, "events.html",
                 ("events", [(a.fingerprint, event_phase(a, site.now)) for a in upcoming + past]),
                 upcoming=upcoming, past=past, title=title,
                 meta=page_meta(site, title=title, url=url, description=t("events_description")),
                 feeds=planner.feeds_for(site.config.root_path))


def events_page_output(site: Site) -> str | None:
    """Output path of the events page when there is one (for the collision check)."""

    if not any(a.event is not None for a in site.posts):
        return None
    return output_path(events_url(site)[len(site.config.root_path) - 1:])


__all__ = ["event_ics", "event_posts", "event_uid", "events_url", "ics_output", "ics_url",
           "plan_events"]
