"""Editorial workflow: what a build shows, what the preview shows, and `contentkit status`."""
from __future__ import annotations

import json
from datetime import datetime, timezone

from click.testing import CliRunner

from contentkit.cli import main

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=timezone.utc)  # 10:00 in Paris


POSTS = {  # name: (title, date, other front matter)
    "idee": ("Une idée", "2026-07-01", {"status": "idea"}),
    "brouillon": ("Un brouillon", "2026-05-20", {"draft": True}),
    "relecture": ("En relecture", "2026-05-21", {"status": "review", "reviewers": ["bob"]}),
    "relecture-seule": ("Relecture sans relecteur", "2026-05-22", {"status": "review"}),
    "valide": ("Validé", "2026-05-23", {"status": "approved", "approved_by": "bob"}),
    "programme": ("Programmé", "2026-06-15 09:00", {"status": "scheduled", "approved_by": "bob"}),
    "futur": ("Publié mais futur", "2026-06-03 07:30", {}),
    "passe-programme": ("Programmé et paru", "2026-05-10", {"status": "scheduled", "approved_by": "bob"}),
    "publie": ("Publié", "2026-05-01", {}),
}


def editorial_site(make_site):
    site = make_site(now=NOW, use_cache=False)
    site.author("alice", "Alice Durand")
    site.author("bob", "Bob Relecteur")
    for name, (title, date, front) in POSTS.items():
        site.post(name, title, date, authors=["alice"], **front, body=f"Texte de « {title} ».")
    return site


STATES = {"Une idée": "idea", "Un brouillon": "writing", "En relecture": "review",
          "Relecture sans relecteur": "review", "Validé": "approved", "Programmé": "scheduled",
          "Publié mais futur": "future"}


def text(el) -> str:
    return " ".join(el.text_content().split())


def card_titles(doc) -> list[str]:
    return [text(a) for a in doc.xpath("//h2[@class='card-title']/a")]


def test_build_shows_only_live_posts(make_site):
    site = editorial_site(make_site)
    result = site.build()
    out = site.out
    assert sorted(a.title for a in result.site.posts) == ["Programmé et paru", "Publié"]
    home = site.html("/")
    assert card_titles(home) == ["Programmé et paru", "Publié"]
    assert not home.xpath("//*[contains(@class,'badge')]")
    page = site.html("/2026/programme-et-paru/")
    assert not page.xpath("//p[@class='preview-banner']")
    assert not page.xpath("//meta[@name='robots']")  # a scheduled post whose date came is indexable
    assert not (out / "2026/une-idee").exists() and not (out / "2026/programme").exists()


def test_preview_shows_every_state_with_a_badge(make_site):
    site = editorial_site(make_site)
    site.build(preview=True)
    home = site.html("/")
    assert len(card_titles(home)) == len(POSTS)
    for card in home.xpath("//article[@class='card']"):
        title = text(card.xpath(".//h2/a")[0])
        badges = card.xpath(".//span[contains(@class,'badge')]")
        if title in STATES:
            [badge] = badges
            assert f"badge-{STATES[title] if STATES[title] != 'future' else 'published'}" in badge.get("class")
        else:
            assert not badges, title
    banners = {
        "une-idee": "Idée – non publiée", "un-brouillon": "Brouillon – non publié",
        "en-relecture": "En relecture – non publié", "valide": "Validé – pas encore programmé",
        "programme": "Programmé – sera publié à sa date",
        "publie-mais-futur": "Date de publication future – pas encore visible",
    }
    for slug, banner in banners.items():
        doc = site.html(f"/2026/{slug}/")
        assert text(doc.xpath("//p[@class='preview-banner']")[0]) == banner
    assert site.html("/2026/un-brouillon/").xpath("//meta[@name='robots'][@content='noindex']")
    assert not site.html("/2026/publie/").xpath("//p[@class='preview-banner']")


def run_status(root, *args):
    return CliRunner().invoke(main, ["status", "--root", str(root), "--now", "2026-06-01 10:00", *args])


def test_status_json(make_site):
    root = editorial_site(make_site).root
    result = run_status(root, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["timezone"] == "Europe/Paris" and data["now"].startswith("2026-06-01T10:00:00+02:00")
    assert [(e["title"], e["status"]) for e in data["in_progress"]] == [
        ("Une idée", "idea"), ("Un brouillon", "writing"), ("En relecture", "review"),
        ("Relecture sans relecteur", "review"), ("Validé", "approved")]
    review = data["in_progress"][2]
    assert review["reviewers"] == ["bob"] and review["authors"] == ["alice"] and not review["live"]
    assert data["in_progress"][3]["attention"] == ["in review but no `reviewers`"]
    assert [(e["title"], e["date"]) for e in data["going_live"]] == [
        ("Publié mais futur", "2026-06-03T07:30:00+02:00"), ("Programmé", "2026-06-15T09:00:00+02:00")]
    assert data["going_live"][1]["approved_by"] == "bob"
    assert data["next_change"]["at"] == "2026-06-03T07:30:00+02:00"
    assert data["next_change"]["source"] == "content/posts/futur.md"
    assert [e["title"] for e in data["recently_published"]] == ["Programmé et paru", "Publié"]
    assert data["counts"]["published"] == 3 and data["counts"]["scheduled"] == 1
    assert data["problems"] == []


def test_status_table(make_site):
    root = editorial_site(make_site).root
    result = CliRunner().invoke(main, ["status", "--root", str(root), "--now", "2026-06-01 10:00"],
                                terminal_width=200, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    out = result.output
    for heading in ("En cours", "Mises en ligne à venir", "Publiés récemment", "Prochaine reconstruction"):
        assert heading in out  # the site is French
    assert "Relecture sans relecteur" in out and "en relecture mais sans `reviewers`" in out
    assert "2026-06-03 07:30" in out and "2026-06-15 09:00" in out
    assert "Prochaine reconstruction le 2026-06-03 07:30 Europe/Paris (2026-06-03T05:30:00Z" in out


def test_status_reports_scheduled_without_approval(make_site):
    site = editorial_site(make_site)
    site.post("sans-validation", "Sans validation", "2026-07-01", authors=["alice"], status="scheduled",
              body="Texte de « Sans validation ».")
    root = site.root
    result = run_status(root, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    [problem] = data["problems"]
    assert problem["file"] == "content/posts/sans-validation.md" and "approved_by" in problem["message"]
    table = run_status(root)
    assert table.exit_code == 1 and "approved_by" in table.output


def test_status_is_a_registered_command():
    assert "status" in main.commands
    assert "editorial pipeline" in CliRunner().invoke(main, ["status", "--help"]).output
