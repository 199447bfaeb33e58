"""Scheduling honest about static hosting: a static site changes only when it is rebuilt.

A post dated in the future (`status: scheduled`, or `published` with a future date) is left out of
the build until its date; an event page turns from "upcoming" into "replay" once the event has
ended. Neither happens by itself on a static host: something has to rebuild the site at that
instant. The build therefore writes the next such instant to `.contentkit/next-publish.json` in
the output folder (not meant to be deployed), so a cron job or a CI schedule can rebuild on time.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone

from ..model import Article, Site, event_switch

NEXT_PUBLISH = ".contentkit/next-publish.json"
LIVE_STATUSES = ("published", "scheduled")


def _candidates(site: Site) -> list[Article]:
    seen: set[int] = set()
    out = []
    for a in site.all_documents + site.hidden:
        if id(a) not in seen:
            seen.add(id(a))
            out.append(a)
    return out


def upcoming_changes(site: Site) -> list[dict]:
    """Every future instant at which the built site changes, soonest first.

    - "publish": a post with `status: published|scheduled` and a future date goes live;
    - "event-ended": a built page announcing an event becomes its replay page.
    """
    now = site.now or datetime.now(timezone.utc)
    changes: list[tuple[datetime, str, Article]] = []
    built = {id(a) for a in site.all_documents}
    for a in _candidates(site):
        if a.kind == "post" and a.status in LIVE_STATUSES and a.date and a.date > now:
            changes.append((a.date, "publish", a))
        if a.event is not None and id(a) in built and a.status == "published" and not a.is_future:
            switch = event_switch(a.event)
            if switch > now:
                changes.append((switch, "event-ended", a))
    changes.sort(key=lambda c: (c[0].astimezone(timezone.utc), c[1], c[2].source))
    tz = site.config.tz
    return [{"at": at.astimezone(tz).isoformat(), "at_utc": _utc(at), "reason": reason,
             "source": a.source, "title": a.title, "url": site.config.absolute(a.url)}
            for at, reason, a in changes]


def _utc(d: datetime) -> str:
    return d.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def next_publish(site: Site) -> dict:
    """What `.contentkit/next-publish.json` holds. `next` is null when nothing is pending.

    Deliberately holds no build time, so an unchanged site writes identical bytes.
    """
    changes = upcoming_changes(site)
    first = changes[0] if changes else None
    return {
        "generator": "contentkit",
        "timezone": site.config.timezone,
        "next": first["at"] if first else None,
        "next_utc": first["at_utc"] if first else None,
        "changes": changes,
    }


def next_publish_json(site: Site) -> bytes:
    return (json.dumps(next_publish(site), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def describe_next(site: Site) -> str | None:
    """One line for the build summary, or None when nothing is pending."""
    changes = upcoming_changes(site)
    if not changes:
        return None
    first = changes[0]
    what = "goes live" if first["reason"] == "publish" else "becomes a replay"
    more = f" (+{len(changes) - 1} later)" if len(changes) > 1 else ""
    at = datetime.fromisoformat(first["at"])
    return (f"Next change: {at:%Y-%m-%d %H:%M} {site.config.timezone} ({first['at_utc']}): "
            f"“{first['title']}” {what}{more}. Rebuild then; see {NEXT_PUBLISH}.")
