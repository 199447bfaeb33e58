"""Real blogs as they are (issue 18): what migrated Jekyll and Hugo posts meet, each in miniature.

Items 1 (authors written as mappings), 2 (control characters), 6 (`language:` / `locale:`) and
7 (empty feeds, an empty `title`). Every assertion reads what a reader gets: the built HTML (lxml),
the feeds (feedparser) and the problems the build reports.
"""
from __future__ import annotations

import dataclasses
from datetime import datetime, timezone

import feedparser
import pytest

from contentkit.errors import BuildFailed, ContentError
from contentkit.extensions import Extension
from contentkit.render.feeds import build_feed

from .conftest import run_cli

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
NBSP_COLON = ("\u00a0:", "\u202f:")


def _warnings(result, code):
    return [p for p in result.warnings if p.code == code]


def _feed(site, path):
    return feedparser.parse(site.output(path).read_bytes())


# 1. Authors written as mappings ------------------------------------------------------------------
def test_an_author_written_as_a_mapping_is_a_person(make_site):
    site = make_site(now=NOW, use_cache=False)
    site.post("equipe", "Le mot de l’équipe", "2026-01-10", body="Bonjour.",
              author={"name": "Team Burton", "avatar": None, "twitter": "teamburton",
                      "email": "team@burton.example", "url": "https://burton.example/"})
    result = site.build()
    article = site.html("/2026/le-mot-de-lequipe/")
    byline = " ".join(article.xpath("string(//*[contains(@class, 'byline')])").split())
    assert "Team Burton" in byline and "{" not in byline and "'name'" not in byline
    assert article.xpath("//*[contains(@class, 'byline')]//a/@href") == ["/authors/team-burton/"]
    profile = site.html("/authors/team-burton/")
    assert profile.xpath("string(//h1)").strip() == "Team Burton"
    links = profile.xpath("//ul[@class='links']//a/@href")
    assert "https://twitter.com/teamburton" in links and "https://burton.example/" in links
    entry = _feed(site, "atom.xml").entries[0]
    assert [a.name for a in entry.authors] == ["Team Burton"]
    assert entry.authors[0].href == "https://blog.example.com/authors/team-burton/"
    assert _feed(site, "rss.xml").entries[0].author == "Team Burton"
    # The e-mail address only matches a profile: it is printed nowhere.
    assert not [rel for rel, data in site.snapshot().items() if b"team@burton.example" in data]
    assert [dict(p.params) for p in _warnings(result, "author-profile-missing")] == [
        {"name": "Team Burton", "author_id": "team-burton"}]


def test_mappings_match_existing_profiles_and_lists_of_mappings_are_people(make_site):
    site = make_site(now=NOW, use_cache=False)
    site.author("alice", "Alice Durand", email="alice@example.com")
    site.author("bob", "Bob Martin")
    site.post("a", "Par nom", "2026-01-10", author={"name": "Alice Durand", "twitter": "ignored"})
    site.post("b", "Par courriel", "2026-01-11", author={"name": "A. Durand", "email": "Alice@example.com"})
    site.post("c", "Par identifiant", "2026-01-12", author={"login": "bob", "display_name": "Bobby"})
    site.post("d", "À plusieurs", "2026-01-13", authors=[{"name": "Bob Martin"}, {"name": "Chloé Petit"}])
    site.post("e", "Jekyll", "2026-01-14", author="alice")  # `author: login` of a _data/authors.yml
    result = site.build()
    def authors_of(url):
        return site.html(url).xpath("//*[contains(@class, 'byline')]//a/@href")
    assert authors_of("/2026/par-nom/") == ["/authors/alice/"]
    assert authors_of("/2026/par-courriel/") == ["/authors/alice/"]
    assert authors_of("/2026/par-identifiant/") == ["/authors/bob/"]
    assert authors_of("/2026/a-plusieurs/") == ["/authors/bob/", "/authors/chloe-petit/"]
    assert authors_of("/2026/jekyll/") == ["/authors/alice/"]
    assert [dict(p.params)["name"] for p in _warnings(result, "author-profile-missing")] == ["Chloé Petit"]
    entry = next(e for e in _feed(site, "atom.xml").entries if e.title == "À plusieurs")
    assert [a.name for a in entry.authors] == ["Bob Martin", "Chloé Petit"]


def test_a_mapping_without_a_name_is_a_located_warning(make_site):
    site = make_site(now=NOW, use_cache=False)
    site.post("sans-nom", "Sans nom", "2026-01-10", body="Texte.",
              authors=[{"twitter": "anonyme"}, {"name": "Chloé Petit"}])
    result = site.build()
    [problem] = _warnings(result, "author-mapping-no-name")
    assert (problem.file, problem.line) == ("content/posts/sans-nom.md", 4)
    english = problem.in_language("en")
    assert "without `name:`" in english.message and "name: " in english.hint
    assert site.html("/2026/sans-nom/").xpath("//*[contains(@class, 'byline')]//a/@href") == ["/authors/chloe-petit/"]


# 2. Control characters ----------------------------------------------------------------------------
def test_control_characters_are_reported_where_they_are_and_removed(make_site):
    site = make_site(now=NOW, use_cache=False)
    site.post("propre", "Un article propre", "2026-01-09", body="Rien à signaler.")
    site.write("content/posts/colle.md", (
        "---\n"
        "title: \"Collé depuis\x0b Word\"\n"
        "date: 2026-01-10\n"
        "summary: \"Un résumé\x0c\"\n"
        "---\n"
        "Premier paragraphe.\n"
        "\n"
        "Un saut\x0b de ligne vertical et un nul\x00 ici.\n").encode("utf-8"))
    site.post("echappe", "Échappé\x07 en YAML", "2026-01-11", body="Texte.")  # dumped as "\a"
    result = site.build()
    located = [(p.file, p.line, dict(p.params)["column"], dict(p.params)["char"])
               for p in _warnings(result, "control-character")]
    assert located == [("content/posts/colle.md", 2, "21", "U+000B"), ("content/posts/colle.md", 4, "20", "U+000C"),
                       ("content/posts/colle.md", 8, "8", "U+000B")]
    [more] = _warnings(result, "control-character-more")
    assert (more.file, more.line, dict(more.params)["count"]) == ("content/posts/colle.md", 8, "1")
    [escaped] = _warnings(result, "control-character-escaped")
    assert (escaped.file, escaped.line, dict(escaped.params)["field"]) == ("content/posts/echappe.md", 2, "title")
    assert "column" in _warnings(result, "control-character")[0].in_language("en").message
    # Removed everywhere: page, feeds (which lxml would refuse), sitemap.
    page = site.html("/2026/colle-depuis-word/")
    assert page.xpath("string(//h1)").strip() == "Collé depuis Word"
    assert "Un saut de ligne vertical et un nul ici." in page.xpath("string(//main)")
    for feed in ("atom.xml", "rss.xml"):
        parsed = _feed(site, feed)
        assert not parsed.bozo
        assert {e.title for e in parsed.entries} == {"Un article propre", "Collé depuis Word", "Échappé en YAML"}
    assert not [rel for rel, data in site.snapshot().items() if rel.endswith((".html", ".xml", ".json"))
                and any(ch in data for ch in (b"\x0b", b"\x0c", b"\x00", b"\x07"))]


def test_a_feed_error_names_the_article_that_caused_it(make_site):
    site = make_site(now=NOW, use_cache=False)
    site.post("a", "Premier", "2026-01-10", body="Texte.")
    site.post("b", "Second", "2026-01-11", body="Texte.")
    model = site.load()
    # What reading removes now, put back as another stage could (an extension, a later change):
    # lxml refuses it, and the problem names the article's file, not "template".
    bad = next(a for a in model.posts if a.title == "Second")
    bad.title = "Second\x0b"
    for fmt in ("atom", "rss"):
        with pytest.raises(ContentError) as caught:
            build_feed(model, model.posts, title="Carnet", page_url="/", feed_path="/atom.xml", fmt=fmt)
        problem = caught.value.problem
        assert (problem.code, problem.file) == ("feed-entry-invalid", "content/posts/b.md")
        assert "XML" in problem.message


def test_a_feed_error_during_a_build_is_located_on_the_article(make_site):
    class Poison(Extension):
        """An extension that puts an invalid character back into a summary after reading."""
        def on_environment(self, env, site):
            next(a for a in site.posts if a.title == "Second").summary = "R\x0bsumé"

    site = make_site(now=NOW, use_cache=False, workers=1)
    site.post("a", "Premier", "2026-01-10", body="Texte.")
    site.post("b", "Second", "2026-01-11", body="Texte.")
    with pytest.raises(BuildFailed) as caught:
        site.build(extensions=[Poison()])
    files = {(p.code, p.file) for p in caught.value.problems}
    assert ("feed-entry-invalid", "content/posts/b.md") in files
    assert not [p for p in caught.value.problems if p.code == "template-error"]


# 6. lang, language, locale ---------------------------------------------------------------------------
@pytest.mark.parametrize("front", [{"language": "en"}, {"locale": "en_US"}, {"lang": "en-US"},
                                   {"language": "EN", "locale": "en_GB"}])
def test_an_english_post_on_a_french_site_is_english(make_site, front):
    site = make_site(now=NOW, use_cache=False)
    site.post("english", "Lessons learned: scaling", "2026-01-10",
              body='We said: "it works".\n', **front)
    result = site.build()
    page = site.html("/2026/lessons-learned-scaling/")
    assert page.get("lang") == "en"  # the site's convention: a bare code (`language: fr`)
    title = page.xpath("string(//h1)")
    assert not any(s in title for s in NBSP_COLON)
    body = page.xpath("string(//main//p[contains(., 'We said')])")
    assert "We said: \u201cit works\u201d." in body
    assert not _warnings(result, "language-disagree")


def test_an_english_post_on_a_french_site_is_dated_in_english_and_marked_on_lists(make_site):
    site = make_site(now=NOW, use_cache=False)
    site.post("english", "Lessons learned", "2025-09-01", body="We said it works.\n", language="en")
    site.post("francais", "Leçons apprises", "2025-09-01", body="Nous l’avons dit.\n")
    site.build()
    page = site.html("/2025/lessons-learned/")
    assert page.xpath("string(//article//p[@class='byline']/time)") == "September 1, 2025"
    french = site.html("/2025/lecons-apprises/")
    assert french.xpath("string(//article//p[@class='byline']/time)") == "1er septembre 2025"
    home = site.html("/")
    card = home.xpath("//article[@class='card'][.//a[.='Lessons learned']]")[0]
    assert card.xpath("h2/@lang") == ["en"] and card.xpath(".//time/@lang") == ["en"]
    assert card.xpath(".//time/text()") == ["September 1, 2025"]
    other = home.xpath("//article[@class='card'][.//a[.='Leçons apprises']]")[0]
    assert other.xpath(".//@lang") == []  # the page's own language: nothing to mark


def test_a_region_is_kept_on_a_site_that_writes_one(make_site):
    site = make_site(now=NOW, use_cache=False, config={"language": "fr-FR"})
    site.post("english", "Scaling: notes", "2026-01-10", body="Text.", locale="en_us")
    site.build()
    assert site.html("/2026/scaling-notes/").get("lang") == "en-US"


def test_disagreeing_language_keys_are_a_warning(make_site):
    site = make_site(now=NOW, use_cache=False)
    site.post("melange", "Mélange", "2026-01-10", body="Texte.", lang="fr", language="en", locale="English")
    result = site.build()
    [disagree] = _warnings(result, "language-disagree")
    assert (disagree.file, disagree.line) == ("content/posts/melange.md", 5)
    assert dict(disagree.params) == {"field": "language", "value": "en", "first": "lang", "language": "fr"}
    [unknown] = _warnings(result, "language-unknown")
    assert (unknown.line, dict(unknown.params)) == (6, {"field": "locale", "value": "English"})
    assert site.html("/2026/melange/").get("lang") == "fr"


# 7. Empty feeds, empty titles ------------------------------------------------------------------------
def test_an_empty_feed_is_neither_written_nor_advertised(make_site):
    site = make_site(now=NOW, use_cache=False)
    site.author("alice", "Alice Durand")
    site.author("ines", "Inès Client", role="interviewee")
    site.author("zoe", "Zoé Nouvelle")  # a profile with no post yet
    site.post("entretien", "Entretien avec Inès", "2026-01-10", body="Questions.",
              authors=["alice"], interviewees=["ines"])
    site.build()
    files = site.snapshot()
    for person in ("ines", "zoe"):
        assert f"authors/{person}/index.html" in files
        assert f"authors/{person}/atom.xml" not in files and f"authors/{person}/rss.xml" not in files
        page = site.html(f"/authors/{person}/")
        assert page.xpath("//link[@rel='alternate']/@href") == []  # the site's would be named after the page
        assert not page.xpath(f"//a[contains(@href, '/authors/{person}/')][contains(@href, '.xml')]")
    assert site.html("/authors/alice/").xpath("//link[@rel='alternate']/@href") == [
        "/authors/alice/atom.xml", "/authors/alice/rss.xml"]
    for rel, data in files.items():
        if rel.endswith((".xml")) and rel != "sitemap.xml":
            parsed = feedparser.parse(data)
            assert parsed.entries, rel
            assert parsed.feed.updated_parsed[0] == 2026, rel


def test_the_feed_of_a_site_with_no_post_yet_carries_the_build_date(make_site):
    site = make_site(now=NOW, use_cache=False)
    site.page("a-propos", "À propos", body="Nous.")
    site.build()
    atom = _feed(site, "atom.xml")
    assert not atom.bozo and atom.entries == []
    assert atom.feed.updated_parsed[:3] == (2026, 3, 1)


def test_an_empty_title_says_empty(make_site):
    site = make_site(now=NOW, use_cache=False, config={"language": "en"})
    site.post("ok", "A fine post", "2026-01-09", body="Text.")
    site.write("content/posts/vide.md", '---\ntitle: ""\ndate: 2026-01-10\n---\nText.\n')
    site.write("content/posts/blanc.md", "---\ntitle:\ndate: 2026-01-10\n---\nText.\n")
    site.write("content/posts/absent.md", "---\ndate: 2026-01-10\n---\nText.\n")
    with pytest.raises(BuildFailed) as caught:
        site.build()
    by_file = {p.file: p for p in caught.value.problems}
    assert by_file["content/posts/vide.md"].code == "title-empty"
    assert by_file["content/posts/vide.md"].message == "empty `title`"
    assert by_file["content/posts/vide.md"].line == 2
    assert by_file["content/posts/blanc.md"].code == "title-empty"
    assert by_file["content/posts/absent.md"].message == "missing `title`"
    assert set(by_file) == {"content/posts/vide.md", "content/posts/blanc.md", "content/posts/absent.md"}


def test_the_same_problem_in_every_post_is_said_once_with_its_files(make_site):
    site = make_site(config={"language": "en"})
    for n in range(1, 5):
        site.write(f"content/posts/p{n}.md", f'---\ntitle: ""\ndate: 2026-01-0{n}\n---\nText.\n')
    site.write("content/posts/apart.md", "---\ndate: 2026-01-09\n---\nText.\n")  # another problem
    run = run_cli("build", "--root", str(site), "--no-cache")
    assert run.returncode == 1
    out = run.stdout + run.stderr
    assert out.count("empty `title`") == 1 and "empty `title`, in 4 files:" in out
    assert [line.strip() for line in out.splitlines() if line.strip().startswith("content/posts/p")] == [
        f"content/posts/p{n}.md:2" for n in range(1, 5)]
    assert out.count("write the title between the quotes") == 1
    assert "content/posts/apart.md:2: missing `title`" in out  # a problem of its own stays as it was
    assert "Build failed: 5 errors" in out


# The fixture blog: Jekyll posts copied unchanged -------------------------------------------------
def test_a_migrated_jekyll_blog_reads_as_its_authors_meant_it():
    """tests/fixtures/jekyll_blog (also under the Nu checker and feed validators in test_quality_*)."""
    from .quality_support import jekyll_build
    import lxml.html

    result, out = jekyll_build()
    codes = {(w.code, w.file.rsplit("/", 1)[-1]) for w in result.warnings}
    assert ("control-character", "2020-12-08-lessons-from-on-call.md") in codes
    assert "liquid-include" in {c for c, _ in codes}  # left for the author to replace
    assert not {c for c, _ in codes if c.startswith("liquid-post-url")}  # its target exists: resolved
    nginx = lxml.html.parse(str(out / "2019/migrer-d-apache-vers-nginx-sans-coupure/index.html")).getroot()
    assert not nginx.xpath("//virtualhost") and "<VirtualHost *:80>" in nginx.xpath("string(//li//pre)")
    assert not [el for el in nginx.iter() if isinstance(el.tag, str) and
                any(name in ("_", "endhighlight", "toc") for name in el.attrib)]
    assert any("server_name" in block.text_content() for block in nginx.xpath("//div[@class='highlight']"))
    assert not nginx.xpath("//blockquote//p//div")  # raw HTML in a blockquote stays a block
    # {% post_url 2018-11-02-preparer-une-bascule %}: the address that post has here (slug from its title)
    assert nginx.xpath("//a[.='notre article précédent']/@href") == ["/2018/preparer-une-bascule-de-production/"]
    switch = lxml.html.parse(str(out / "2018/preparer-une-bascule-de-production/index.html")).getroot()
    assert "{{ client.nom }}" in switch.xpath("string(//main)")  # {% raw %}: shown as written
    assert "{% raw %}" not in switch.xpath("string(//main)")
    assert switch.xpath("//main//a[.='la page d’accueil']/@href") == ["/"]  # {{ site.baseurl }}/
    byline = switch.xpath("string(//article//p[@class='byline'])")
    assert "Équipe Nordlys" in byline and "{" not in byline
    assert "equipe@nordlys.example" not in "".join(p.read_text(encoding="utf-8", errors="replace")
                                                   for p in out.rglob("*") if p.is_file())
    english = lxml.html.parse(str(out / "2020/lessons-from-a-year-of-on-call/index.html")).getroot()
    assert english.xpath("//article/@lang") == ["en"]
    assert english.xpath("string(//article//p[@class='byline']/time)") == "December 8, 2020"
    assert "mixedInstancesPolicy : spot" in english.xpath("string(//pre)")  # code never typeset
    assert "\x0b" not in english.xpath("string(//main)")


def test_the_build_summary_counts_what_it_did_with_jekyll_syntax(tmp_path):
    import shutil

    from .quality_support import JEKYLL_BLOG

    root = tmp_path / "blog"
    shutil.copytree(JEKYLL_BLOG, root)
    done = run_cli("build", "--root", str(root))
    assert done.returncode == 0, done.stdout + done.stderr
    out = " ".join((done.stdout + done.stderr).split())
    assert ("Syntaxe Jekyll et kramdown lue pour ce qu’elle veut dire : 1 bloc {% highlight %} en code, "
            "1 bloc {% raw %} en texte, 1 {:toc} en table des matières, 1 {{ site.baseurl }} retiré d’un lien, "
            "1 {% post_url %} en lien vers l’article.") in out
    assert "Laissé tel quel ou retiré (chacun est listé plus haut) : 1 {% include %}." in out


def test_a_post_url_link_follows_its_target_across_incremental_builds(make_site, tmp_path):
    site = make_site(now=NOW)
    site.post("2020-01-15-premier", "Premier article", "2020-01-15", "Le premier.\n")
    site.post("2020-02-01-second", "Second article", "2020-02-01",
              "Voir [le premier]({% post_url 2020-01-15-premier %}) et [un absent]({% post_url 2019-01-01-absent %}).\n")
    result = site.build()
    page = site.html("/2020/second-article/")
    assert page.xpath("//a[.='le premier']/@href") == ["/2020/premier-article/"]
    unknown = [p for p in result.warnings if p.code == "liquid-post-url-unknown"]
    assert [(p.file, p.line) for p in unknown] == [("content/posts/2020-02-01-second.md", 5)]
    site.edit("content/posts/2020-01-15-premier.md", title="Premier billet")
    site.build()  # incremental: the linking page must follow
    assert site.html("/2020/second-article/").xpath("//a[.='le premier']/@href") == ["/2020/premier-billet/"]
    clean = tmp_path / "clean-out"
    site.build(clean, use_cache=False)
    from .conftest import snapshot
    assert snapshot(site.out) == snapshot(clean)


def test_a_failed_build_says_the_other_files_are_fine(make_site):
    site = make_site()
    site.post("vide", "", "2024-01-01", "Un texte.\n")
    for name in ("un", "deux", "trois"):
        site.post(name, f"Article {name}", "2024-01-02", "Un texte.\n")
    done = run_cli("build", "--root", str(site.root))
    assert done.returncode == 1
    out = " ".join((done.stdout + done.stderr).split())
    assert "content/posts/vide.md:2" in out and "Les 3 autres fichiers de contenu n’ont pas d’erreur." in out
