"""Events: upcoming -> replay on the next build (not hidden), .ics file, JSON-LD, events page."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import icalendar
from contentkit.build import BuildState

UTC = timezone.utc
BEFORE = datetime(2026, 6, 1, tzinfo=UTC)
DURING = datetime(2026, 6, 10, 9, 30, tzinfo=UTC)  # 11:30 in Paris, the event runs 11:00-12:00
AFTER = datetime(2026, 6, 10, 10, 1, tzinfo=UTC)  # 12:01 in Paris

WEBINAR = """
---
title: "Webinaire : le cloud souverain en pratique"
date: 2026-05-02 09:00
authors: [alice]
summary: Une heure pour comprendre le cloud souverain.
event:
  start: 2026-06-10 11:00
  end: 2026-06-10 12:00
  location: En ligne
  registration_url: https://events.example.net/inscription
  replay_url: https://video.example.net/replay
---
Inscrivez-vous à notre webinaire.
"""

FILES = {
    "content/authors/alice.yml": "name: Alice Durand\nrole: staff\n",
    "content/posts/webinaire.md": WEBINAR,
    "content/posts/rencontre.md": """
        ---
        title: Petit-déjeuner à Nantes
        date: 2026-03-01
        authors: [alice]
        event: {start: 2026-09-15T08:30, end: 2026-09-15T10:00, location: "Nantes, 12 quai de la Fosse"}
        ---
        Rencontre.
        """,
    "content/posts/ancien.md": """
        ---
        title: Webinaire de l'an dernier
        date: 2025-01-10
        authors: [alice]
        event: {start: 2025-02-01T11:00, end: 2025-02-01T12:00, replay_url: "https://video.example.net/old"}
        ---
        Passé.
        """,
    "content/posts/article.md": """
        ---
        title: Un article ordinaire
        date: 2026-01-10
        authors: [alice]
        ---
        Texte.
        """,
}

PAGE = "2026/webinaire-le-cloud-souverain-en-pratique/index.html"


def text(el) -> str:
    return " ".join(el.text_content().split())


def jsonld(doc) -> list[dict]:
    return [json.loads(s.text) for s in doc.xpath("//script[@type='application/ld+json']")]


def event_box(doc):
    [box] = doc.xpath("//aside[contains(concat(' ', @class, ' '), ' event ')]")
    return box


def test_event_page_switches_from_upcoming_to_replay(make_site, tmp_path):
    site = make_site(FILES)
    out = tmp_path / "out"
    state = BuildState()
    site.build(out, now=BEFORE, state=state)
    doc = site.html(PAGE, out)
    box = event_box(doc)
    assert "event-upcoming" in box.get("class")
    assert "Webinaire à venir" in text(box)
    assert box.xpath(".//a[@href='https://events.example.net/inscription']")
    [ics] = box.xpath(".//a[contains(@class,'event-ics')]")
    assert ics.get("href") == "/2026/webinaire-le-cloud-souverain-en-pratique/event.ics"
    assert not box.xpath(".//a[@href='https://video.example.net/replay']")
    assert "11:00" in text(box) and "12:00" in text(box)
    [ev] = [d for d in jsonld(doc) if d["@type"] == "Event"]
    assert ev["eventStatus"] == "https://schema.org/EventScheduled"
    assert ev["startDate"] == "2026-06-10T11:00:00+02:00"
    assert ev["eventAttendanceMode"].endswith("OnlineEventAttendanceMode")

    # During the event the page still invites to join; the next build after its end turns it
    # into the replay page, re-rendered by the incremental build (the phase is in its signature).
    result = site.build(out, now=DURING, state=state)
    assert "event-upcoming" in event_box(site.html(PAGE, out)).get("class")
    result = site.build(out, now=AFTER, state=state)
    assert PAGE in result.report.written
    doc = site.html(PAGE, out)
    box = event_box(doc)
    assert "event-past" in box.get("class")
    assert "Replay disponible" in text(box)
    assert box.xpath(".//a[@href='https://video.example.net/replay']")
    assert not box.xpath(".//a[@href='https://events.example.net/inscription']")
    assert not box.xpath(".//a[contains(@class,'event-ics')]")
    assert doc.xpath("//h1")[0].text_content().startswith("Webinaire")  # same page, transformed
    [ev] = [d for d in jsonld(doc) if d["@type"] == "Event"]  # still an Event after it happened
    assert ev["eventStatus"] == "https://schema.org/EventScheduled"
    assert ev["endDate"] == "2026-06-10T12:00:00+02:00"

    # Same bytes as a clean build at that instant.
    clean = tmp_path / "clean"
    site.build(clean, now=AFTER, use_cache=False)
    assert (clean / PAGE).read_bytes() == (out / PAGE).read_bytes()


def test_ics_file(make_site, tmp_path):
    site = make_site(FILES)
    out = tmp_path / "out"
    site.build(out, now=BEFORE, use_cache=False)
    data = (out / "2026/webinaire-le-cloud-souverain-en-pratique/event.ics").read_bytes()
    cal = icalendar.Calendar.from_ical(data)
    [ev] = cal.walk("VEVENT")
    assert str(ev["SUMMARY"]).startswith("Webinaire")
    assert ev["DTSTART"].params["TZID"] == "Europe/Paris"
    assert ev.decoded("DTSTART").astimezone(UTC) == datetime(2026, 6, 10, 9, 0, tzinfo=UTC)
    assert ev.decoded("DTEND").astimezone(UTC) == datetime(2026, 6, 10, 10, 0, tzinfo=UTC)
    assert str(ev["URL"]) == "https://blog.example.com/2026/webinaire-le-cloud-souverain-en-pratique/"
    assert "cloud souverain" in str(ev["DESCRIPTION"])
    assert "https://events.example.net/inscription" in str(ev["DESCRIPTION"])
    assert str(ev["LOCATION"]) == "En ligne"
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]
    uid = str(ev["UID"])
    assert uid.endswith("@blog.example.com")

    # UID stable across rebuilds and a title change; bytes identical when nothing changed.
    site.build(tmp_path / "again", now=AFTER, use_cache=False)
    assert (tmp_path / "again/2026/webinaire-le-cloud-souverain-en-pratique/event.ics").read_bytes() == data
    post = site.root / "content/posts/webinaire.md"
    post.write_text(post.read_text().replace("le cloud souverain en pratique", "le cloud de confiance"))
    site.build(tmp_path / "renamed", now=BEFORE, use_cache=False)
    renamed = icalendar.Calendar.from_ical(
        (tmp_path / "renamed/2026/webinaire-le-cloud-de-confiance/event.ics").read_bytes())
    assert str(renamed.walk("VEVENT")[0]["UID"]) == uid


def test_ics_in_utc_when_the_event_zone_is_utc(make_site, tmp_path):
    files = dict(FILES)
    files["content/posts/webinaire.md"] = WEBINAR.replace("  location: En ligne", "  timezone: UTC")
    site = make_site(files)
    site.build(tmp_path / "out", now=BEFORE, use_cache=False)
    cal = icalendar.Calendar.from_ical(
        (tmp_path / "out/2026/webinaire-le-cloud-souverain-en-pratique/event.ics").read_bytes())
    ev = cal.walk("VEVENT")[0]
    assert ev.decoded("DTSTART") == datetime(2026, 6, 10, 11, 0, tzinfo=UTC)
    assert "TZID" not in ev["DTSTART"].params and not cal.walk("VTIMEZONE")


def test_events_page_lists_upcoming_then_past(make_site, tmp_path):
    site = make_site(FILES)
    out = tmp_path / "out"
    site.build(out, now=BEFORE, use_cache=False)
    doc = site.html("evenements/index.html", out)
    upcoming = [text(a) for a in doc.xpath("//section[contains(@class,'events-upcoming')]//h3/a")]
    past = [text(a) for a in doc.xpath("//section[contains(@class,'events-past')]//h3/a")]
    assert upcoming == ["Webinaire : le cloud souverain en pratique", "Petit-déjeuner à Nantes"]
    assert past == ["Webinaire de l’an dernier"]
    assert doc.xpath("//header//nav//a[@href='/evenements/']")  # in the menu
    # the event page links to the list, which is in the menu of every page
    assert site.html(PAGE, out).xpath("//aside//a[@href='/evenements/']")
    assert site.html("index.html", out).xpath("//header//nav//a[@href='/evenements/']")
    assert b"<loc>https://blog.example.com/evenements/</loc>" in (out / "sitemap.xml").read_bytes()

    site.build(out, now=AFTER, use_cache=False)
    doc = site.html("evenements/index.html", out)
    past = [text(a) for a in doc.xpath("//section[contains(@class,'events-past')]//h3/a")]
    assert past == ["Webinaire : le cloud souverain en pratique", "Webinaire de l’an dernier"]
    assert doc.xpath("//section[contains(@class,'events-past')]//a[@href='https://video.example.net/replay']")


def test_events_page_path_in_english_and_no_page_without_events(make_site, tmp_path):
    config = ('title: "Test"\nbase_url: "https://blog.example.com/"\nlanguage: en\n'
              "timezone: Europe/London\n")
    site = make_site(FILES, config=config)
    site.build(tmp_path / "en", now=BEFORE, use_cache=False)
    assert (tmp_path / "en/events/index.html").is_file()
    assert "Upcoming webinar" in text(event_box(site.html(PAGE, tmp_path / "en")))
    plain = make_site({k: v for k, v in FILES.items() if k.endswith(("alice.yml", "article.md"))}, name="plain")
    plain.build(tmp_path / "plain-out", now=BEFORE, use_cache=False)
    assert not (tmp_path / "plain-out/evenements").exists()
    assert not plain.html("/", tmp_path / "plain-out").xpath("//a[@href='/evenements/']")


def test_next_publish_names_the_event_switch(make_site, tmp_path):
    site = make_site(FILES)
    out = tmp_path / "out"
    site.build(out, now=BEFORE, use_cache=False)
    data = json.loads((out / ".contentkit/next-publish.json").read_text())
    assert data["next"] == "2026-06-10T12:00:00+02:00"
    assert [(c["reason"], c["source"]) for c in data["changes"]] == [
        ("event-ended", "content/posts/webinaire.md"), ("event-ended", "content/posts/rencontre.md")]
