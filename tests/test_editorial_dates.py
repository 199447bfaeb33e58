"""Scheduling in the site timezone: DST boundaries, dates without time, next-publish.json."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
import yaml

from contentkit.model import BuildOptions
from contentkit.build import build_site, load_site
from contentkit.dates import parse_date
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
def site_files(date_value: str, status: str = "scheduled", approved: bool = True) -> dict:
    return {
        "content/authors/alice.yml": "name: Alice Durand\nrole: staff\n",
        "content/posts/live.md": """
            ---
            title: Déjà en ligne
            date: 2026-01-05 09:00
            authors: [alice]
            ---
            Un article publié.
            """,
        "content/posts/later.md": f"""
            ---
            title: Programmé pour plus tard
            date: {date_value}
            status: {status}
            authors: [alice]
            {"approved_by: alice" if approved else ""}
            ---
            Un article programmé.
            """,
    }


def built_titles(root, now) -> set[str]:
    site = load_site(root, BuildOptions(now=now), use_cache=False)
    return {a.title for a in site.posts}


@pytest.mark.parametrize("status", ["scheduled", "published"])
def test_post_goes_live_at_its_instant_across_the_spring_gap(make_site, status):
    root = make_site(site_files("2026-03-29 02:30", status))
    assert built_titles(root, utc(2026, 3, 29, 1, 29)) == {"Déjà en ligne"}
    assert built_titles(root, utc(2026, 3, 29, 1, 31)) == {"Déjà en ligne", "Programmé pour plus tard"}


def test_date_without_time_is_midnight_in_the_site_timezone_not_utc(make_site):
    root = make_site(site_files("2026-07-01"))
    assert "Programmé pour plus tard" not in built_titles(root, utc(2026, 6, 30, 21, 59))
    assert "Programmé pour plus tard" in built_titles(root, utc(2026, 6, 30, 22, 1))


def test_scheduled_post_whose_date_has_come_is_published(make_site):
    root = make_site(site_files("2026-02-01 08:00"))
    site = load_site(root, BuildOptions(now=utc(2026, 3, 1)), use_cache=False)
    post = next(a for a in site.posts if a.source.endswith("later.md"))
    assert post.status == "published" and not post.is_future


def test_scheduled_without_approval_is_an_error(make_site):
    root = make_site(site_files("2026-09-01", approved=False))
    with pytest.raises(BuildFailed) as info:
        build_site(root, root.parent / "out", BuildOptions(now=utc(2026, 3, 1)), use_cache=False)
    [problem] = info.value.problems
    assert problem.file == "content/posts/later.md"
    assert "approved_by" in problem.message
    assert not (root.parent / "out").exists()  # a failed build writes nothing
    log = ProblemLog()  # the preview reports it too
    load_site(root, BuildOptions(preview=True), log, use_cache=False)
    assert any("approved_by" in p.message for p in log.errors)


# next-publish.json -------------------------------------------------------------------------------------
def test_build_writes_the_next_publication_instant(make_site, tmp_path):
    root = make_site(site_files("2026-03-29 02:30"))
    out = tmp_path / "out"
    result = build_site(root, out, BuildOptions(now=utc(2026, 3, 1)), use_cache=False)
    data = json.loads((out / ".contentkit" / "next-publish.json").read_text())
    assert data["timezone"] == "Europe/Paris"
    assert data["next"] == "2026-03-29T03:30:00+02:00"
    assert data["next_utc"] == "2026-03-29T01:30:00Z"
    [change] = data["changes"]
    assert change["reason"] == "publish" and change["source"] == "content/posts/later.md"
    assert change["url"] == "https://blog.example.com/2026/programme-pour-plus-tard/"
    assert not (out / "2026" / "programme-pour-plus-tard").exists()
    from contentkit.editorial.schedule import describe_next
    assert "2026-03-29 03:30 Europe/Paris" in describe_next(result.site)

    # Once live, nothing is pending, and the post is there.
    build_site(root, out, BuildOptions(now=utc(2026, 3, 29, 1, 30, 1)), use_cache=False)
    data = json.loads((out / ".contentkit" / "next-publish.json").read_text())
    assert data["next"] is None and data["changes"] == []
    assert (out / "2026" / "programme-pour-plus-tard" / "index.html").is_file()


def test_next_publish_ignores_drafts_and_unapproved_work(make_site, tmp_path):
    files = site_files("2026-05-01")
    files["content/posts/draft.md"] = """
        ---
        title: Brouillon daté
        date: 2026-04-01
        draft: true
        ---
        Brouillon.
        """
    files["content/posts/approved.md"] = """
        ---
        title: Validé mais pas programmé
        date: 2026-04-02
        status: approved
        approved_by: alice
        ---
        Validé.
        """
    root = make_site(files)
    build_site(root, tmp_path / "out", BuildOptions(now=utc(2026, 3, 1)), use_cache=False)
    data = json.loads((tmp_path / "out" / ".contentkit" / "next-publish.json").read_text())
    assert [c["source"] for c in data["changes"]] == ["content/posts/later.md"]
    assert data["next"] == "2026-05-01T00:00:00+02:00"
