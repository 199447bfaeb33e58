"""`contentkit status`: the editorial pipeline at a glance.

Who is writing what, what waits for review or approval, what goes live when (and which events turn
into replays), from the same content model as the build (`load_site` in preview mode, so every
state is seen). `--format json` gives the same for scripts and dashboards. The exit status is 1
when the content has errors (e.g. `status: scheduled` without `approved_by`), so CI can use it.

This module holds the data (`pipeline`) and the tables (`print_tables`); the click command is in
contentkit/commands/status.py.
"""
from __future__ import annotations

from datetime import datetime, timezone

from rich.console import Console
from rich.table import Table

from ..model import STATUSES, Article, Site
from ..model import event_phase, event_switch
from .schedule import upcoming_changes

IN_PROGRESS = ("idea", "writing", "review", "approved")
STATUS_LABELS = {"idea": "idea", "writing": "writing", "review": "in review", "approved": "approved",
                 "scheduled": "scheduled", "published": "published"}


def _iso(d: datetime | None) -> str | None:
    return d.isoformat() if d else None


def _local(site: Site, d: datetime | None) -> str:
    return d.astimezone(site.config.tz).strftime("%Y-%m-%d %H:%M") if d else "—"


def _delta(now: datetime, d: datetime) -> str:
    seconds = int((d - now).total_seconds())
    days, rest = divmod(abs(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    text = f"{days} d {hours} h" if days else (f"{hours} h {minutes} min" if hours else f"{minutes} min")
    return f"in {text}" if seconds >= 0 else f"{text} ago"


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


def attention(a: Article) -> list[str]:
    """What an editor should look at for this post (the hard rule is an error in assemble.py)."""
    notes = []
    if a.status == "review" and not a.reviewers:
        notes.append("in review but no `reviewers`")
    if a.status == "approved" and not a.approved_by:
        notes.append("approved but no `approved_by`")
    if a.status == "approved" and a.date and a.is_future:
        notes.append("approved with a future date: set `status: scheduled` to publish it then")
    if a.status in ("scheduled", "published") and a.is_future and not a.authors:
        notes.append("goes live without an author")
    return notes


def _people(names: list[str], site: Site) -> str:
    return ", ".join(site.authors[n].name if n in site.authors else n for n in names) or "—"


def print_tables(site: Site, data: dict) -> None:
    console = Console(highlight=False)
    now = site.now or datetime.now(timezone.utc)
    counts = data["counts"]
    summary = " · ".join(f"{counts[s]} {STATUS_LABELS[s]}" for s in STATUSES if counts[s])
    console.print(f"[bold]{data['site']}[/] — editorial pipeline at {_local(site, now)} "
                  f"{data['timezone']}\n{summary}")

    def title_of(e: dict) -> str:
        return e["title"] + ("" if e["kind"] == "post" else f" [{e['kind']}]")

    if data["in_progress"]:
        table = Table(title="In progress", title_justify="left", expand=False)
        for col in ("Status", "Title", "Authors", "Reviewers", "Approved by", "Date", "File"):
            table.add_column(col, overflow="fold")
        for e in data["in_progress"]:
            notes = "".join(f"\n[yellow]⚠ {n}[/]" for n in e["attention"])
            table.add_row(STATUS_LABELS[e["status"]], title_of(e) + notes, _people(e["authors"], site),
                          _people(e["reviewers"], site), _people([e["approved_by"]] if e["approved_by"] else [], site),
                          _local(site, datetime.fromisoformat(e["date"])) if e["date"] else "—",
                          e["source"])
        console.print(table)
    else:
        console.print("Nothing in progress.")

    if data["going_live"]:
        table = Table(title="Going live", title_justify="left")
        for col in ("When", "", "Title", "Authors", "Approved by", "Status", "File"):
            table.add_column(col, overflow="fold")
        for e in data["going_live"]:
            d = datetime.fromisoformat(e["date"])
            table.add_row(_local(site, d), _delta(now, d), title_of(e), _people(e["authors"], site),
                          _people([e["approved_by"]] if e["approved_by"] else [], site), e["status"], e["source"])
        console.print(table)
    else:
        console.print("Nothing scheduled.")

    if data["events"]:
        table = Table(title="Events", title_justify="left")
        for col in ("Starts", "Page", "Title", "File"):
            table.add_column(col, overflow="fold")
        for e in data["events"]:
            start = datetime.fromisoformat(e["event"]["start"])
            switch = datetime.fromisoformat(e["event"]["switch"])
            page = ("replay" if e["event"]["phase"] == "past"
                    else f"upcoming → replay {_delta(now, switch)}")
            if not e["live"]:
                page = f"not live yet ({page})"
            table.add_row(_local(site, start), page, title_of(e), e["source"])
        console.print(table)

    if data["recently_published"]:
        table = Table(title="Recently published", title_justify="left")
        for col in ("Date", "Title", "Authors", "File"):
            table.add_column(col, overflow="fold")
        for e in data["recently_published"]:
            table.add_row(_local(site, datetime.fromisoformat(e["date"])), title_of(e),
                          _people(e["authors"], site), e["source"])
        console.print(table)

    nxt = data["next_change"]
    if nxt:
        what = "goes live" if nxt["reason"] == "publish" else "becomes a replay"
        at = datetime.fromisoformat(nxt["at"])
        console.print(f"[bold]Next rebuild due[/] {_local(site, at)} {data['timezone']} "
                      f"({nxt['at_utc']}, {_delta(now, at)}): “{nxt['title']}” {what}.")
    else:
        console.print("No rebuild pending: nothing is scheduled and no event page will change.")
