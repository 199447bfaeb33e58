"""`contentkit status`: the editorial pipeline at a glance.

Who is writing what, what waits for review or approval, what goes live when (and which events turn
into replays), from the same content model as the build (`load_site` in preview mode, so every
state is seen). `--format json` gives the same for scripts and dashboards. The exit status is 1
when the content has errors (e.g. `status: scheduled` without `approved_by`), so CI can use it.

This module holds the data (`pipeline`, `attention_codes`); the click command and the tables it
prints, worded from the `cli` catalog in the site's language, are in contentkit/commands/status.py.
"""
from __future__ import annotations

from datetime import datetime, timezone

from ..model import STATUSES, Article, Site
from ..model import event_phase, event_switch
from .schedule import upcoming_changes

IN_PROGRESS = ("idea", "writing", "review", "approved")
# What an editor should look at, by code (`cli.status.attention.<code>` in the terminal tables); the
# English wording is the `attention` list of `--format json`.
ATTENTION = {
    "no_reviewers": "in review but no `reviewers`",
    "no_approver": "approved but no `approved_by`",
    "approved_future": "approved with a future date: set `status: scheduled` to publish it then",
    "no_author": "goes live without an author",
}


def _iso(d: datetime | None) -> str | None:
    return d.isoformat() if d else None


def is_live(a: Article) -> bool:
    """On the public site now: published and dated in the past (scheduled posts become published)."""
    return a.status == "published" and not a.is_future


def pipeline(site: Site, problems: list | None = None, published: int = 5) -> dict:
    """Everything `contentkit status` shows, as plain data (also the `--format json` output)."""
    now = site.now or datetime.now(timezone.utc)
    docs = site.every_document
    order = {s: i for i, s in enumerate(STATUSES)}

    def person_ids(people):
        return [p.id for p in people]

    def entry(a: Article) -> dict:
        data = {
            "source": a.source, "kind": a.kind, "title": a.title, "status": a.status, "live": is_live(a),
            "date": _iso(a.date), "url": site.config.absolute(a.url),
            "authors": person_ids(a.authors), "interviewees": person_ids(a.interviewees),
            "reviewers": list(a.reviewers), "approved_by": a.approved_by or None,
            "attention": attention(a),
        }
        if a.series:
            data["series"] = {"name": a.series.name, "part": a.series.part}
        if a.event:
            data["event"] = {"start": _iso(a.event.start), "end": _iso(a.event.end),
                             "phase": event_phase(a, now), "switch": _iso(event_switch(a.event))}
        return data

    in_progress = sorted((a for a in docs if a.status in IN_PROGRESS),
                         key=lambda a: (order[a.status], a.date or now, a.source))
    going_live = sorted((a for a in docs if a.status in ("scheduled", "published") and a.is_future),
                        key=lambda a: (a.date, a.source))
    recent = sorted((a for a in docs if is_live(a) and a.kind == "post"),
                    key=lambda a: (a.date, a.source), reverse=True)
    events = sorted((a for a in docs if a.event is not None and a.status in ("published", "scheduled")),
                    key=lambda a: (a.event.start, a.source))
    counts = {s: sum(1 for a in docs if a.status == s) for s in STATUSES}
    counts["future"] = len(going_live)
    changes = upcoming_changes(site)
    return {
        "site": site.config.title,
        "now": now.astimezone(site.config.tz).isoformat(),
        "timezone": site.config.timezone,
        "counts": counts,
        "in_progress": [entry(a) for a in in_progress],
        "going_live": [entry(a) for a in going_live],
        "events": [entry(a) for a in events],
        "recently_published": [entry(a) for a in recent[:published]],
        "next_change": changes[0] if changes else None,
        "changes": changes,
        "problems": [p.as_dict() for p in (problems or [])],
    }


def attention_codes(a: Article) -> list[str]:
    """What an editor should look at for this post (the hard rule is an error in assemble.py)."""
    codes = []
    if a.status == "review" and not a.reviewers:
        codes.append("no_reviewers")
    if a.status == "approved" and not a.approved_by:
        codes.append("no_approver")
    if a.status == "approved" and a.date and a.is_future:
        codes.append("approved_future")
    if a.status in ("scheduled", "published") and a.is_future and not a.authors:
        codes.append("no_author")
    return codes


def attention(a: Article) -> list[str]:
    return [ATTENTION[code] for code in attention_codes(a)]
