"""`contentkit build` end to end on small sites with real-world-shaped front matter.

Every assertion parses what was produced (lxml for HTML/XML, feedparser for feeds, json for JSON-LD).
"""
from __future__ import annotations

import json

import feedparser
import pytest
from lxml import etree, html

from .conftest import SiteFactory, run_cli

AUTHOR = """
name: Alice Durand
role: staff
job_title: Directrice data
bio: "Alice **dirige** le pôle data."
expertise: [Données, Gouvernance]
photo: /images/alice.svg
links: {linkedin: "https://www.linkedin.com/in/alice-example"}
"""

LONG_BODY = "\n\n".join(
    f"## Partie {i}\n\nLe paragraphe numéro {i} explique la gouvernance des données en détail, "
    "avec des exemples concrets et des chiffres." for i in range(1, 6))

RICH_SITE = {
    "content/authors/alice.yml": AUTHOR,
    # YAML date, author id, tags list, category, summary, <!-- more -->, code with template syntax.
    "content/posts/2015/economie.md": """
        ---
        title: "L'économie des données"
        date: 2015-03-30
        authors: [alice]
        tags: [Cloud, "Sécurité"]
        category: Data & IA
        summary: "Pourquoi les données valent de l'or: un résumé."
        aliases: ["/ancien/economie-donnees/"]
        custom_flag: "visible-in-templates"
        ---
        Introduction "citée" : les données sont partout !

        <!-- more -->

        ## Première partie

        Voir [l'autre article](/2016/un-titre-avec-des-accents-ecole/).

        ```python
        template = "{{ not_a_jinja_variable }}"
        ```

        Texte avec {{ site.title }} et {% include "x.html" %} littéraux.
        """,
    # Quoted ISO datetime with offset, plain author name with no profile, tags as a comma string.
    "content/posts/2016/ecole.md": """
        ---
        title: "Un titre avec des accents : école"
        date: '2016-05-14T11:02:00-04:00'
        author: Bob Martin
        tags: "cloud, management"
        category: Management
        ---
        Premier paragraphe de l'article sur l'école.
        """,
    # Jekyll: date only in the file name, not zero-padded; unquoted datetime with a 1-digit hour.
    "content/posts/2017-1-5-jekyll-style.md": """
        ---
        title: Jekyll style
        authors:
          - alice
        tags: [cloud]
        ---
        Body of a migrated post.
        """,
    "content/posts/2018/heure.md": "---\ntitle: Heure courte\ndate: 2018-02-03 9:05:00\nauthors: [alice]\n---\n"
                                   + LONG_BODY,
    # A page bundle: the image beside index.md must keep working through its relative link.
    "content/posts/2019/bundle/index.md": """
        ---
        title: Un article avec schéma
        date: 2019-06-01
        authors: [alice]
        tags: [cloud]
        ---
        ![Le schéma d'architecture](schema.svg)

        Explications.
        """,
    "content/posts/2019/bundle/schema.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
    "content/posts/2020/brouillon.md": """
        ---
        title: Brouillon
        date: 2020-01-01
        draft: true
        ---
        Pas encore.
        """,
    "content/posts/2099/futur.md": """
        ---
        title: Article futur
        date: 2099-01-01
        ---
        Plus tard.
        """,
    "content/pages/a-propos.md": """
        ---
        title: À propos
        ---
        Nous sommes des professionnels qui bloguent.
        """,
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site = SiteFactory(tmp_path_factory.mktemp("rich") / "src", RICH_SITE)
    return site, site.build()


def test_every_expected_page_is_built(built):
    site, result = built
    out = site.out
    expected = [
        "index.html", "404.html", "robots.txt", "sitemap.xml", "atom.xml", "rss.xml",
        "2015/l-economie-des-donnees/index.html", "2016/un-titre-avec-des-accents-ecole/index.html",
        "2017/jekyll-style/index.html", "2019/un-article-avec-schema/index.html",
        "2019/un-article-avec-schema/schema.svg", "a-propos/index.html",
        "tags/index.html", "tags/cloud/index.html", "tags/cloud/atom.xml", "tags/cloud/rss.xml",
        "categories/data-ia/index.html", "categories/data-ia/atom.xml",
        "authors/index.html", "authors/alice/index.html", "authors/alice/rss.xml",
        "authors/bob-martin/index.html", "archives/2015/index.html", "archives/index.html",
        "ancien/economie-donnees/index.html", "theme/style.css", "favicon.svg",
    ]
    missing = [rel for rel in expected if not (out / rel).is_file()]
    assert not missing
    # Drafts and future posts are not built by default.
    assert not (out / "2020/brouillon/index.html").exists()
    assert not (out / "2099/article-futur/index.html").exists()
    assert len(result.site.hidden) == 2


def test_article_page_shows_people_date_terms_and_typography(built):
    site, _ = built
    doc = site.html("2015/l-economie-des-donnees/index.html")
    assert doc.findtext(".//h1") == "L’économie des données"
    assert doc.xpath("//html/@lang") == ["fr"]
    assert doc.xpath("string(//p[@class='byline']/time)") == "30 mars 2015"
    assert doc.xpath("//p[@class='byline']/a[@href='/authors/alice/']/text()") == ["Alice Durand"]
    assert doc.xpath("//a[@rel='tag']/text()") == ["cloud", "Sécurité"]  # most used spelling
    intro = doc.xpath("string(//div[@class='post-body']/p[1])")
    # French: guillemets with no-break spaces, NBSP before ':', narrow NBSP before '!'.
    assert "«\u00a0citée\u00a0»" in intro and "\u00a0:" in intro and "\u202f!" in intro
    # Code is never touched by typography nor executed as a template.
    code = doc.xpath("string(//div[@class='highlight']//code)")
    assert '"{{ not_a_jinja_variable }}"' in code
    body = doc.xpath("string(//div[@class='post-body'])")
    assert "{{ site.title }}" in body and '{% include' in body
    # Heading anchors are transliterated.
    assert doc.xpath("//div[@class='post-body']//h2/@id") == ["premiere-partie"]


def test_unknown_front_matter_keys_reach_templates(make_site):
    site = make_site({
        "content/posts/2021/x.md": "---\ntitle: X\ndate: 2021-01-01\ncustom_flag: visible\n---\nTexte.\n",
        "templates/page.html": "unused",
        "templates/article.html": '{% extends "base.html" %}{% block content %}'
                                  '<p id="flag">{{ article.params.custom_flag }}</p>{% endblock %}',
    })
    site.build()
    doc = site.html("2021/x/index.html")
    assert doc.xpath("string(//p[@id='flag'])") == "visible"
    # The site's override wins, the theme's base template is still used.
    assert doc.xpath("//a[@class='skip-link']")


def test_dates_are_resolved_in_the_site_timezone(built):
    _site, result = built
    by_title = {a.title: a for a in result.site.posts}
    assert by_title["Jekyll style"].date.isoformat() == "2017-01-05T00:00:00+01:00"
    assert by_title["Heure courte"].date.isoformat() == "2018-02-03T09:05:00+01:00"
    assert by_title["Un titre avec des accents\u00a0: école"].date.utcoffset().total_seconds() == -4 * 3600


def test_generated_author_profile_and_warning(built):
    site, result = built
    warning = [w for w in result.warnings if "Bob Martin" in w.message]
    assert warning and "content/authors/bob-martin.yml" in warning[0].hint
    assert warning[0].file == "content/posts/2016/ecole.md" and warning[0].line == 4
    doc = site.html("authors/bob-martin/index.html")
    assert doc.findtext(".//h1").strip() == "Bob Martin"


def test_author_page_is_a_profile(built):
    site, _ = built
    doc = site.html("authors/alice/index.html")
    assert doc.xpath("string(//p[@class='role'])") == "Directrice data"
    assert doc.xpath("//ul[@class='expertise-list']/li/text()") == ["Données", "Gouvernance"]
    assert doc.xpath("//div[@class='bio']//strong/text()") == ["dirige"]
    assert doc.xpath("//ul[@class='links']//a/@href") == ["https://www.linkedin.com/in/alice-example"]
    titles = doc.xpath("//h2[@class='card-title']/a/text()")
    assert titles[0] == "Un article avec schéma" and len(titles) == 4  # newest first
    ld = [json.loads(s) for s in doc.xpath("//script[@type='application/ld+json']/text()")]
    assert ld[0]["@type"] == "ProfilePage"
    assert ld[0]["mainEntity"]["sameAs"] == ["https://www.linkedin.com/in/alice-example"]


def test_page_bundle_relative_image_keeps_working(built):
    site, _ = built
    out = site.out
    doc = site.html("2019/un-article-avec-schema/index.html")
    src = doc.xpath("//div[@class='post-body']//img/@src")[0]
    assert (out / "2019/un-article-avec-schema" / src).is_file()
    # On the home page the same excerpt is shown elsewhere: its image URL is made root-relative.
    home = site.html("index.html")
    assert "/2019/un-article-avec-schema/schema.svg" in home.xpath("//div[@class='card-excerpt']//img/@src")


def test_excerpt_uses_more_marker_then_summary_then_first_paragraph(built):
    site, _ = built
    cards = {c.xpath("string(.//h2)").strip(): c for c in site.html("index.html").xpath("//article[@class='card']")}
    assert cards["L’économie des données"].xpath("string(.//div[@class='card-excerpt'])").strip().startswith("Introduction")
    assert "Première partie" not in cards["L’économie des données"].xpath("string(.)")
    assert cards["Jekyll style"].xpath("string(.//div[@class='card-excerpt'])").strip() == "Body of a migrated post."


def test_seo_metadata_and_json_ld(built):
    site, _ = built
    doc = site.html("2015/l-economie-des-donnees/index.html")
    meta = {m.get("property") or m.get("name"): m.get("content") for m in doc.xpath("//meta[@content]")}
    url = "https://blog.example.com/2015/l-economie-des-donnees/"
    assert doc.xpath("//link[@rel='canonical']/@href") == [url]
    assert meta["og:type"] == "article" and meta["og:url"] == url
    assert meta["description"].startswith("Pourquoi les données valent de l’or")
    assert meta["og:image"].startswith("https://blog.example.com/")
    assert meta["twitter:card"] == "summary_large_image"
    ld = json.loads(doc.xpath("//script[@type='application/ld+json']/text()")[0])
    assert ld["@type"] == "BlogPosting" and ld["headline"] == "L’économie des données"
    assert ld["datePublished"] == "2015-03-30T00:00:00+02:00"
    assert ld["author"][0] == {"@type": "Person", "name": "Alice Durand", "url": "https://blog.example.com/authors/alice/",
                               "jobTitle": "Directrice data", "worksFor": {"@type": "Organization", "name": "Carnet de test"},
                               "image": "https://blog.example.com/images/alice.svg",
                               "sameAs": ["https://www.linkedin.com/in/alice-example"]}
    assert ld["publisher"]["@type"] == "Organization"
    feeds = doc.xpath("//link[@rel='alternate']/@href")
    assert feeds == ["/atom.xml", "/rss.xml"]


def test_tag_and_author_pages_link_their_own_feeds(built):
    site, _ = built
    doc = site.html("tags/cloud/index.html")
    assert doc.xpath("//link[@rel='alternate']/@href") == ["/tags/cloud/atom.xml", "/tags/cloud/rss.xml"]
    # "Cloud" and "cloud" are one tag, named after its most used spelling.
    assert len(doc.xpath("//article[@class='card']")) == 4


@pytest.mark.parametrize("feed", ["atom.xml", "rss.xml", "tags/cloud/atom.xml", "tags/cloud/rss.xml",
                                  "categories/data-ia/atom.xml", "authors/alice/atom.xml", "authors/alice/rss.xml"])
def test_feeds_parse_with_absolute_links_and_full_content(built, feed):
    site, _ = built
    out = site.out
    parsed = feedparser.parse((out / feed).read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.entries
    for entry in parsed.entries:
        assert entry.link.startswith("https://blog.example.com/")
        assert entry.id.startswith("https://blog.example.com/")
        content = entry.content[0].value
        fragment = html.fromstring(f"<div>{content}</div>")
        for url in fragment.xpath("//@href | //@src"):
            assert url.startswith(("https://", "http://", "#", "mailto:")), url
    dates = [e.published_parsed for e in parsed.entries]
    assert dates == sorted(dates, reverse=True)


def test_feed_entry_ids_are_stable_across_builds(built, tmp_path):
    site, _ = built
    out = site.out
    first = [e.id for e in feedparser.parse((out / "atom.xml").read_bytes()).entries]
    site.build(tmp_path / "again", use_cache=False)
    again = [e.id for e in feedparser.parse((tmp_path / "again" / "atom.xml").read_bytes()).entries]
    assert first == again
    assert (out / "atom.xml").read_bytes() == (tmp_path / "again" / "atom.xml").read_bytes()


def test_sitemap_and_robots(built):
    site, _ = built
    out = site.out
    tree = etree.parse(str(out / "sitemap.xml"))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = dict(zip(tree.xpath("//s:url/s:loc/text()", namespaces=ns),
                    [u.findtext("s:lastmod", namespaces=ns) for u in tree.xpath("//s:url", namespaces=ns)]))
    assert locs["https://blog.example.com/2015/l-economie-des-donnees/"] == "2015-03-30"
    assert "https://blog.example.com/a-propos/" in locs
    assert not any("brouillon" in u for u in locs)
    robots = (out / "robots.txt").read_text()
    assert "Sitemap: https://blog.example.com/sitemap.xml" in robots


def test_alias_is_a_redirect_to_the_article(built):
    site, _ = built
    doc = site.html("ancien/economie-donnees/index.html")
    target = "https://blog.example.com/2015/l-economie-des-donnees/"
    assert doc.xpath("//meta[@http-equiv='refresh']/@content") == [f"0; url={target}"]
    assert doc.xpath("//link[@rel='canonical']/@href") == [target]


def test_long_article_has_toc_and_neighbours(built):
    site, _ = built
    doc = site.html("2018/heure-courte/index.html")
    assert doc.xpath("//nav[@class='toc-box']//a/@href")[:2] == ["#partie-1", "#partie-2"]
    assert doc.xpath("//nav[@class='prev-next']/a[@rel='prev']/@href") == ["/2017/jekyll-style/"]
    assert doc.xpath("//nav[@class='prev-next']/a[@rel='next']/@href") == ["/2019/un-article-avec-schema/"]
    related = doc.xpath("//section[@class='related']//a/@href")
    assert related == []  # no tags: nothing is related
    cloud = site.html("2017/jekyll-style/index.html").xpath("//section[@class='related']//a/@href")
    assert set(cloud) == {"/2019/un-article-avec-schema/", "/2016/un-titre-avec-des-accents-ecole/",
                          "/2015/l-economie-des-donnees/"}


def test_drafts_and_future_flags(make_site):
    site = make_site({k: v for k, v in RICH_SITE.items()})
    result = site.build(site.root / "out", drafts=True, future=True)
    assert (site.root / "out/2020/brouillon/index.html").is_file()
    assert (site.root / "out/2099/article-futur/index.html").is_file()
    banner = site.html("2020/brouillon/index.html", site.root / "out").xpath("string(//p[@class='preview-banner'])")
    assert "Brouillon" in banner
    # Unpublished pages are never indexed.
    assert site.html("2020/brouillon/index.html", site.root / "out").xpath("//meta[@name='robots']/@content") == ["noindex"]
    assert len(result.site.hidden) == 0


def test_pagination(make_site):
    posts = {f"content/posts/p{i}.md": f"---\ntitle: Post {i}\ndate: 2020-01-{i + 1:02d}\n---\nTexte {i}.\n"
             for i in range(5)}
    site = make_site(posts, config='title: T\nbase_url: "https://x.example/"\nper_page: 2\n')
    site.build()
    out = site.out
    assert (out / "page/2/index.html").is_file() and (out / "page/3/index.html").is_file()
    assert not (out / "page/4/index.html").exists()
    first = site.html("index.html")
    assert first.xpath("//h2[@class='card-title']/a/text()") == ["Post 4", "Post 3"]
    assert first.xpath("//nav[@class='pagination']/a[@rel='next']/@href") == ["/page/2/"]
    last = site.html("page/3/index.html")
    assert last.xpath("//h2[@class='card-title']/a/text()") == ["Post 0"]
    assert last.xpath("//nav[@class='pagination']/a[@rel='prev']/@href") == ["/page/2/"]


def test_english_site_uses_english_dates_and_ui(make_site):
    site = make_site({"content/posts/x.md": "---\ntitle: \"It's here\"\ndate: 2015-03-30\n---\nShe said \"hello\".\n"},
                     config='title: Blog\nbase_url: "https://x.example/"\nlanguage: en\n')
    site.build()
    doc = site.html("2015/it-s-here/index.html")
    assert doc.xpath("string(//p[@class='byline']/time)") == "March 30, 2015"
    assert doc.xpath("string(//a[@class='skip-link'])") == "Skip to content"
    assert doc.xpath("string(//div[@class='post-body']/p)") == "She said \u201chello\u201d."
    assert doc.findtext(".//h1") == "It\u2019s here"


def test_base_url_with_a_path_prefixes_every_internal_link(make_site):
    site = make_site({"content/posts/x.md": "---\ntitle: X\ndate: 2015-03-30\ntags: [a]\n---\nTexte.\n"},
                     config='title: Blog\nbase_url: "https://x.example/blog/"\n')
    site.build()
    doc = site.html("2015/x/index.html")
    assert doc.xpath("//link[@rel='stylesheet']/@href") == ["/blog/theme/style.css"]
    assert doc.xpath("//a[@rel='tag']/@href") == ["/blog/tags/a/"]
    assert doc.xpath("//link[@rel='canonical']/@href") == ["https://x.example/blog/2015/x/"]


def test_permalink_pattern_is_configurable(make_site):
    site = make_site({"content/posts/x.md": "---\ntitle: Éco\ndate: 2015-03-09\ncategory: Data\n---\nTexte.\n"},
                     config='title: Blog\nbase_url: "https://x.example/"\npermalink: "/{category}/{year}/{month}/{slug}.html"\n')
    site.build()
    assert (site.root / "site/data/2015/03/eco.html").is_file()


def test_new_and_init_scaffold_sites_that_build(tmp_path):
    site = tmp_path / "nouveau"
    result = run_cli("init", str(site), "--title", "Blog d'experts")
    assert result.returncode == 0, result.stderr
    result = run_cli("new", "Économie circulaire : le guide", "--author", "moi", "--root", str(site),
                     "--date", "2024-05-02", "--tags", "ESG, industrie")
    assert result.returncode == 0, result.stderr
    post = site / "content/posts/2024/economie-circulaire-le-guide.md"
    assert post.is_file()
    result = run_cli("build", "--root", str(site), "--drafts")
    assert result.returncode == 0, result.stderr
    doc = html.parse(str(site / "site/2024/economie-circulaire-le-guide/index.html")).getroot()
    assert doc.findtext(".//h1") == "Économie circulaire\u00a0: le guide"
    assert doc.xpath("//a[@rel='tag']/text()") == ["ESG", "industrie"]
    # The new post is a draft: a plain build leaves it out.
    result = run_cli("build", "--root", str(site))
    assert result.returncode == 0
    assert not (site / "site/2024/economie-circulaire-le-guide/index.html").exists()
    # An unknown author id is refused with the file to create.
    result = run_cli("new", "Autre", "--author", "inconnu", "--root", str(site))
    assert result.returncode == 1 and "content/authors/inconnu.yml" in result.stderr


def test_unknown_config_key_is_a_warning_with_its_line(make_site):
    site = make_site({"content/posts/x.md": "---\ntitle: X\ndate: 2015-03-30\n---\nT.\n"},
                     config='title: T\nbase_url: "https://x.example/"\nper_pgae: 3\n')
    result = site.build()
    warning = [w for w in result.warnings if "per_pgae" in w.message][0]
    assert (warning.file, warning.line) == ("contentkit.yml", 3)


def test_bom_and_crlf_are_handled(make_site):
    raw = "\ufeff---\r\ntitle: Fenêtres\r\ndate: 2015-03-30\r\n---\r\nLigne un.\r\n\r\nLigne deux.\r\n"
    site = make_site({"content/posts/crlf.md": raw.encode("utf-8")})
    site.build()
    doc = site.html("2015/fenetres/index.html")
    assert doc.findtext(".//h1") == "Fenêtres"
    assert doc.xpath("//div[@class='post-body']/p/text()") == ["Ligne un.", "Ligne deux."]


def test_migrated_json_author_profile_with_per_language_bio(make_site):
    site = make_site({
        "content/authors/MoOx.json": '{"twitter": "MoOx", "fr": {"bio": {"short": "Développeur front-end",'
                                     ' "long": ["Premier paragraphe.", "Second paragraphe."]}}}',
        "content/posts/x.md": "---\ntitle: X\ndate: 2015-03-30\nauthors: [MoOx]\n---\nT.\n",
    })
    result = site.build()
    assert not [w for w in result.warnings if "MoOx" in w.message and "profile" in w.message and "generated" in w.message]
    doc = site.html("authors/MoOx/index.html")
    assert doc.xpath("string(//p[@class='role'])") == "Développeur front-end"
    assert doc.xpath("//div[@class='bio']/p/text()") == ["Premier paragraphe.", "Second paragraphe."]
    assert doc.xpath("//ul[@class='links']//a/@href") == ["https://twitter.com/MoOx"]


def test_an_idea_needs_no_date_and_is_only_previewed(make_site):
    site = make_site({"content/posts/idee.md": "---\ntitle: Une idée\nstatus: idea\n---\nÀ creuser.\n",
                      "content/posts/x.md": "---\ntitle: X\ndate: 2015-03-30\n---\nT.\n"})
    result = site.build()
    assert [a.title for a in result.site.hidden] == ["Une idée"]
    preview = site.build(site.root / "preview", preview=True)
    idea = [a for a in preview.site.posts if a.title == "Une idée"][0]
    banner = site.html(idea.output, site.root / "preview").xpath("string(//p[@class='preview-banner'])")
    assert "Idée" in banner
