"""People (staff, guests, interviewees), series with next/previous, topic hubs."""
from __future__ import annotations

import json
from datetime import datetime, timezone

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)

PEOPLE = {
    "content/authors/alice.yml": """
        name: Alice Durand
        role: staff
        job_title: Directrice data
        links: {linkedin: "https://www.linkedin.com/in/alice-example"}
        """,
    "content/authors/bruno.yml": "name: Bruno Ancien\nrole: staff\nhide_from_team: true\n",
    "content/authors/gilles.yml": """
        name: Gilles Martin
        role: guest
        job_title: DSI
        company: ACME Industrie
        website: https://acme.example/
        bio: Gilles dirige la DSI d'ACME.
        """,
    "content/authors/ines.yml": """
        name: Inès Leroy
        role: interviewee
        job_title: Directrice logistique
        company: Transports Ouest
        """,
}


def text(el) -> str:
    return " ".join(el.text_content().split())


def jsonld(doc) -> list[dict]:
    return [json.loads(s.text) for s in doc.xpath("//script[@type='application/ld+json']")]


# People ------------------------------------------------------------------------------------------------
POSTS = {
    "content/posts/tribune.md": """
        ---
        title: La DSI doit cesser de dire non
        date: 2026-02-01
        authors: [gilles]
        ---
        Une tribune.
        """,
    "content/posts/entretien.md": """
        ---
        title: Le dernier kilomètre en 2026
        date: 2026-03-01
        authors: [alice]
        interviewees: [ines]
        ---
        Un entretien.
        """,
    "content/posts/ancien.md": """
        ---
        title: Un vieil article
        date: 2020-03-01
        authors: [bruno]
        ---
        Texte.
        """,
}


def test_interviewees_are_shown_apart_from_authors(make_site):
    site = make_site({**PEOPLE, **POSTS}, now=NOW, use_cache=False)
    result = site.build()
    doc = site.html("/2026/le-dernier-kilometre-en-2026/")
    [label] = doc.xpath("//p[@class='interview-label']")
    assert text(label).startswith("Entretien avec Inès Leroy (Directrice logistique, Transports Ouest)")
    assert label.xpath(".//a[@href='/authors/ines/']")
    byline = text(doc.xpath("//header//p[@class='byline']")[0])
    assert "Alice Durand" in byline and "Inès" not in byline
    [article] = [d for d in jsonld(doc) if d["@type"] == "BlogPosting"]
    assert [p["name"] for p in article["author"]] == ["Alice Durand"]
    assert [p["name"] for p in article["mentions"]] == ["Inès Leroy"]
    # The interviewee's profile lists the interview; she is not an author of it.
    profile = site.html("/authors/ines/")
    assert profile.xpath("//section//a[@href='/2026/le-dernier-kilometre-en-2026/']")
    ines = result.site.authors["ines"]
    assert ines.interviews and not ines.articles


def test_guest_profile_and_team_page(make_site):
    site = make_site({**PEOPLE, **POSTS}, now=NOW, use_cache=False)
    site.build()
    profile = site.html("/authors/gilles/")
    assert "DSI, ACME Industrie" in text(profile.xpath("//p[@class='role']")[0])
    assert "Tribune libre" in text(profile.xpath("//p[contains(@class,'badge-role')]")[0])
    [link] = profile.xpath("//ul[@class='links']//a")
    assert link.get("href") == "https://acme.example/"
    [person] = [d["mainEntity"] for d in jsonld(profile) if d["@type"] == "ProfilePage"]
    assert person["sameAs"] == ["https://acme.example/"]
    assert person["worksFor"]["name"] == "ACME Industrie"

    team = site.html("/authors/")
    staff = [text(a) for a in team.xpath("//ul[@class='team']//h2/a")]
    guests = [text(a) for a in team.xpath("//ul[@class='guests']/li/a")]
    assert staff == ["Alice Durand"]  # Bruno is hidden from the team page, and is no guest
    assert guests == ["Gilles Martin", "Inès Leroy"]
    assert "Bruno" not in text(team.xpath("//main")[0])
    assert site.output("/authors/bruno/").is_file()  # his articles keep their author page


def test_person_json_ld_same_as_for_staff(make_site):
    site = make_site({**PEOPLE, **POSTS}, now=NOW, use_cache=False)
    site.build()
    doc = site.html("/authors/alice/")
    [person] = [d["mainEntity"] for d in jsonld(doc) if d["@type"] == "ProfilePage"]
    assert person["sameAs"] == ["https://www.linkedin.com/in/alice-example"]
    assert person["url"] == "https://blog.example.com/authors/alice/"
    assert person["jobTitle"] == "Directrice data"


# Series -------------------------------------------------------------------------------------------------
def series_post(part: int, date: str, title: str) -> str:
    return f"""
        ---
        title: "{title}"
        date: {date}
        authors: [alice]
        series: {{name: "Cloud souverain", part: {part}}}
        ---
        Partie {part}.
        """


SERIES = {
    # Written out of order: part 3 was dated before part 2. Order follows `part`.
    "content/posts/s1.md": series_post(1, "2026-01-10", "Les bases du cloud souverain"),
    "content/posts/s3.md": series_post(3, "2026-01-12", "Migrer sans casse"),
    "content/posts/s2.md": series_post(2, "2026-01-20", "Choisir son hébergeur"),
}


def test_series_order_label_and_next_previous(make_site):
    site = make_site({**PEOPLE, **SERIES}, now=NOW, use_cache=False)
    result = site.build()
    parts = [a.title for a in result.site.posts[0].series_parts]
    assert parts == ["Les bases du cloud souverain", "Choisir son hébergeur", "Migrer sans casse"]

    doc = site.html("/2026/choisir-son-hebergeur/")
    assert text(doc.xpath("//p[@class='series-label']")[0]) == "Série « Cloud souverain », partie 2 sur 3"
    [nav] = doc.xpath("//nav[@class='series']")
    assert [text(li) for li in nav.xpath(".//ol/li")] == parts
    assert nav.xpath(".//ol/li[2]/span[@aria-current='page']")
    [prev] = nav.xpath(".//a[@class='series-prev']")
    [nxt] = nav.xpath(".//a[@class='series-next']")
    assert prev.get("href") == "/2026/les-bases-du-cloud-souverain/" and "Partie 1" in text(prev)
    assert nxt.get("href") == "/2026/migrer-sans-casse/" and "Partie 3" in text(nxt)

    first = site.html("/2026/les-bases-du-cloud-souverain/")
    assert not first.xpath("//a[@class='series-prev']")
    assert first.xpath("//a[@class='series-next']/@href") == ["/2026/choisir-son-hebergeur/"]
    last = site.html("/2026/migrer-sans-casse/")
    assert last.xpath("//a[@class='series-prev']/@href") == ["/2026/choisir-son-hebergeur/"]
    assert not last.xpath("//a[@class='series-next']")


def test_series_counts_only_published_parts(make_site):
    files = dict(SERIES)
    files["content/posts/s3.md"] = files["content/posts/s3.md"].replace(
        "date: 2026-01-12", "date: 2026-09-01\n        status: scheduled\n        approved_by: alice")
    site = make_site({**PEOPLE, **files}, now=NOW, use_cache=False)
    site.build()
    doc = site.html("/2026/choisir-son-hebergeur/")
    assert text(doc.xpath("//p[@class='series-label']")[0]).endswith("partie 2 sur 2")
    assert not doc.xpath("//a[@class='series-next']")


# Topic hubs ---------------------------------------------------------------------------------------------
TOPIC = {
    "content/topics/cloud.md": """
        ---
        title: "Le cloud, notre dossier"
        summary: Tout ce que nous avons écrit sur le cloud.
        ---
        Notre **dossier** sur le cloud : par où commencer.
        """,
    "content/posts/a.md": """
        ---
        title: Premier article cloud
        date: 2026-01-10
        authors: [alice]
        tags: [Cloud, Sécurité]
        ---
        Texte.
        """,
    "content/posts/b.md": """
        ---
        title: Second article cloud
        date: 2026-02-10
        authors: [alice]
        tags: [cloud]
        ---
        Texte.
        """,
}


def test_topic_hub_is_the_pillar_page_of_its_tag(make_site):
    site = make_site({**PEOPLE, **TOPIC}, now=NOW, use_cache=False)
    result = site.build()
    hub = site.html("/tags/cloud/")
    assert text(hub.xpath("//h1")[0]) == "Le cloud, notre dossier"
    intro = hub.xpath("//div[@class='topic-intro']")[0]
    assert intro.xpath(".//strong") and "par où commencer" in text(intro)
    assert [text(a) for a in hub.xpath("//h2[@class='card-title']/a")] == [
        "Second article cloud", "Premier article cloud"]
    assert hub.xpath("//meta[@name='description']/@content") == ["Tout ce que nous avons écrit sur le cloud."]
    for slug in ("premier-article-cloud", "second-article-cloud"):
        doc = site.html(f"/2026/{slug}/")
        [link] = doc.xpath("//p[@class='topic-link']/a")
        assert link.get("href") == "/tags/cloud/" and text(link) == "Le cloud, notre dossier"
    # A tag without a hub has a plain listing and no back link.
    assert not site.html("/tags/securite/").xpath("//div[@class='topic-intro']")
    assert not (site.out / "topics").exists()


def test_topic_hub_matching_nothing_is_a_warning(make_site):
    files = dict(TOPIC)
    files["content/topics/ia.md"] = "---\ntitle: L'IA\n---\nIntro.\n"
    site = make_site({**PEOPLE, **files}, now=NOW, use_cache=False)
    result = site.build()
    assert any(p.file == "content/topics/ia.md" and "matches no tag" in p.in_language("en").message
               for p in result.warnings)
