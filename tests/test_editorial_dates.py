"""Scheduling in the site timezone: DST boundaries, dates without time, next-publish.json."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
import yaml

from contentkit.dates import parse_date
from contentkit.editorial.schedule import describe_next
from contentkit.errors import BuildFailed, ProblemLog

PARIS = ZoneInfo("Europe/Paris")
UTC = timezone.utc


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


# DST decisions (contentkit/dates.py: localize) ---------------------------------------------------
def test_time_skipped_by_spring_change_moves_forward():
    # 2026-03-29 02:30 does not exist in Paris (02:00 -> 03:00): it is read as 03:30 summer time.
    d = parse_date("2026-03-29 02:30", PARIS)
    assert d.isoformat() == "2026-03-29T03:30:00+02:00"
    assert d.astimezone(UTC) == utc(2026, 3, 29, 1, 30)


def test_time_repeated_by_autumn_change_is_its_first_occurrence():
    # 2026-10-25 02:30 happens twice: the first one (summer time, +02:00) is chosen.
    d = parse_date("2026-10-25 02:30", PARIS)
    assert d.isoformat() == "2026-10-25T02:30:00+02:00"
    assert d.astimezone(UTC) == utc(2026, 10, 25, 0, 30)
    # An explicit offset picks the second one.
    assert parse_date("2026-10-25T02:30:00+01:00", PARIS).astimezone(UTC) == utc(2026, 10, 25, 1, 30)


def test_yaml_datetimes_and_dates_are_read_in_the_site_timezone():
    meta = yaml.safe_load("a: 2026-03-29 02:30:00\nb: 2026-07-01\nc: 2026-07-01T10:00:00Z")
    assert parse_date(meta["a"], PARIS).isoformat() == "2026-03-29T03:30:00+02:00"
    assert parse_date(meta["b"], PARIS).isoformat() == "2026-07-01T00:00:00+02:00"  # never UTC midnight
    assert parse_date(meta["c"], PARIS).astimezone(UTC) == utc(2026, 7, 1, 10, 0)
    assert parse_date("2026-01-15", PARIS).isoformat() == "2026-01-15T00:00:00+01:00"


# Visibility at the boundary ------------------------------------------------------------------------
def scheduling_site(make_site, date_value: str, status: str = "scheduled", approved: bool = True):
    """A live post and one programmed at `date_value` (typed as in a file); clean builds."""
    site = make_site(use_cache=False)
    site.author("alice", "Alice Durand")
    site.post("live", "Déjà en ligne", "2026-01-05 09:00", authors=["alice"], body="Un article publié.")
    site.post("later", "Programmé pour plus tard", date_value, status=status, authors=["alice"],
              approved_by="alice" if approved else None, body="Un article programmé.")
    return site


def built_titles(site, now) -> set[str]:
    return {a.title for a in site.load(now=now).posts}


@pytest.mark.parametrize("status", ["scheduled", "published"])
def test_post_goes_live_at_its_instant_across_the_spring_gap(make_site, status):
    site = scheduling_site(make_site, "2026-03-29 02:30", status)
    assert built_titles(site, utc(2026, 3, 29, 1, 29)) == {"Déjà en ligne"}
    assert built_titles(site, utc(2026, 3, 29, 1, 31)) == {"Déjà en ligne", "Programmé pour plus tard"}


def test_date_without_time_is_midnight_in_the_site_timezone_not_utc(make_site):
    site = scheduling_site(make_site, "2026-07-01")
    assert "Programmé pour plus tard" not in built_titles(site, utc(2026, 6, 30, 21, 59))
    assert "Programmé pour plus tard" in built_titles(site, utc(2026, 6, 30, 22, 1))


def test_scheduled_post_whose_date_has_come_is_published(make_site):
    site = scheduling_site(make_site, "2026-02-01 08:00")
    post = next(a for a in site.load(now=utc(2026, 3, 1)).posts if a.source.endswith("later.md"))
    assert post.status == "published" and not post.is_future


def test_scheduled_without_approval_is_an_error(make_site):
    site = scheduling_site(make_site, "2026-09-01", approved=False)
    with pytest.raises(BuildFailed) as info:
        site.build(site.root.parent / "out", now=utc(2026, 3, 1))
    [problem] = info.value.problems
    assert problem.file == "content/posts/later.md"
    assert "approved_by" in problem.message
    assert not (site.root.parent / "out").exists()  # a failed build writes nothing
    log = ProblemLog()  # the preview reports it too
    site.load(log, preview=True)
    assert any("approved_by" in p.message for p in log.errors)


# next-publish.json -------------------------------------------------------------------------------------
def test_build_writes_the_next_publication_instant(make_site, tmp_path):
    site = scheduling_site(make_site, "2026-03-29 02:30")
    out = tmp_path / "out"
    result = site.build(out, now=utc(2026, 3, 1))
    data = json.loads((out / ".contentkit" / "next-publish.json").read_text())
    assert data["timezone"] == "Europe/Paris"
    assert data["next"] == "2026-03-29T03:30:00+02:00"
    assert data["next_utc"] == "2026-03-29T01:30:00Z"
    [change] = data["changes"]
    assert change["reason"] == "publish" and change["source"] == "content/posts/later.md"
    assert change["url"] == "https://blog.example.com/2026/programme-pour-plus-tard/"
    assert not (out / "2026" / "programme-pour-plus-tard").exists()
    assert "2026-03-29 03:30 Europe/Paris" in describe_next(result.site)

    # Once live, nothing is pending, and the post is there.
    site.build(out, now=utc(2026, 3, 29, 1, 30, 1))
    data = json.loads((out / ".contentkit" / "next-publish.json").read_text())
    assert data["next"] is None and data["changes"] == []
    assert (out / "2026" / "programme-pour-plus-tard" / "index.html").is_file()


def test_next_publish_ignores_drafts_and_unapproved_work(make_site, tmp_path):
    site = scheduling_site(make_site, "2026-05-01")
    site.post("draft", "Brouillon daté", "2026-04-01", draft=True, body="Brouillon.")
    site.post("approved", "Validé mais pas programmé", "2026-04-02", status="approved", approved_by="alice",
              body="Validé.")
    site.build(tmp_path / "out", now=utc(2026, 3, 1))
    data = json.loads((tmp_path / "out" / ".contentkit" / "next-publish.json").read_text())
    assert [c["source"] for c in data["changes"]] == ["content/posts/later.md"]
    assert data["next"] == "2026-05-01T00:00:00+02:00"
