"""`contentkit import wordpress`: the fixture export (tests/fixtures/wordpress/export.xml, written for
these tests: every status, pages, two authors and a Co-Authors Plus guest, nested categories, tags,
20+ Gutenberg block kinds, classic HTML without <p>, captions, galleries, embeds, an unknown
shortcode, attachments, comments, percent-encoded non-ASCII slugs, a French site with an English
post, a control character) imported by the real command into a fresh site, built, and read as a
visitor sees it (lxml)."""
from __future__ import annotations

import csv
import json
import shutil
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.etree
import lxml.html
import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from contentkit.content.markdown import MORE_MARKER
from contentkit.importers.html_to_markdown import BodyContext, to_markdown, wpautop
from contentkit.importers.wordpress import read_wordpress

from .conftest import SiteFactory, run_cli, snapshot

FIXTURE = Path(__file__).parent / "fixtures" / "wordpress"
EXPORT = FIXTURE / "export.xml"
UPLOADS = FIXTURE / "uploads"
NOW = datetime(2024, 4, 10, 12, 0, tzinfo=timezone.utc)
WP = "{http://wordpress.org/export/1.2/}"
OLD_HOST = "blog.nordlys-exemple.fr"


def _export_items() -> list[dict]:
    """The export as the tests read it, independently of the importer."""
    out = []
    data = EXPORT.read_bytes().replace(b"\x0b", b"")  # the fixture's one control character
    for item in lxml.etree.fromstring(data).iter("item"):
        def text(tag):
            el = item.find(tag)
            return (el.text or "").strip() if el is not None else ""
        out.append({"id": text(f"{WP}post_id"), "type": text(f"{WP}post_type"), "status": text(f"{WP}status"),
                    "title": text("title"), "link": text("link"), "slug": text(f"{WP}post_name"),
                    "date": text(f"{WP}post_date"), "parent": text(f"{WP}post_parent"),
                    "password": text(f"{WP}post_password"),
                    "terms": [(c.get("domain"), c.get("nicename"), (c.text or "").strip()) for c in item.findall("category")]})
    return out


ITEMS = _export_items()
PUBLISHED = [i for i in ITEMS if i["type"] in ("post", "page") and i["status"] == "publish" and not i["password"]]
NOT_PUBLIC = [i for i in ITEMS if i["type"] in ("post", "page") and (i["status"] != "publish" or i["password"])]


def _text(el) -> str:
    return " ".join(el.text_content().replace("\u202f", " ").replace("\u00a0", " ").replace("’", "'").split())


def _plain(title: str) -> str:
    return " ".join(title.replace("&#039;", "'").replace("’", "'").split())


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    site = SiteFactory(tmp_path_factory.mktemp("wp") / "site", now=NOW, use_cache=False, workers=1)
    proc = run_cli("import", "wordpress", str(EXPORT), "--media", str(UPLOADS), "--into", str(site.root))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    result = site.build()
    report = json.loads((site.root / "import-report.json").read_text(encoding="utf-8"))
    return site, result, report, proc


def _item_url(report, wp_id: str) -> str:
    return next(i["url"] for i in report["items"] if i["source_ref"] == f"wp:{wp_id}")


def _article_pages(site) -> list[Path]:
    return [p for p in site.out.rglob("index.html")
            if lxml.html.parse(str(p)).getroot().find(".//article") is not None]


def test_the_import_builds_with_no_error_and_no_warning(imported):
    site, result, report, proc = imported
    assert result.warnings == []
    assert len(report["items"]) == 10  # 7 posts + 3 pages; trash, auto-draft and the protected post left out


def test_every_published_item_is_a_page_with_its_title(imported):
    site, result, report, _ = imported
    assert len(PUBLISHED) == 5
    for item in PUBLISHED:
        doc = site.html(_item_url(report, item["id"]))
        assert _text(doc.find(".//h1")) == _plain(item["title"]), item["id"]


def test_no_wordpress_markup_is_left_in_any_page(imported):
    site, *_ = imported
    for path in site.out.rglob("*.html"):
        doc = lxml.html.parse(str(path)).getroot()
        for code in doc.xpath("//pre|//code"):  # code samples may show shortcodes on purpose
            code.getparent().remove(code)
        html = lxml.html.tostring(doc, encoding="unicode")
        for leftover in ("<!-- wp:", "<!-- /wp:", "[caption", "[/caption]", "[gallery", "[embed", "[video",
                         "[audio", "ckph", "ckgallery", "wp-block-spacer"):
            assert leftover not in html, (path, leftover)


def test_code_keeps_its_brackets_and_entities(imported):
    site, _, report, _ = imported
    doc = site.html(_item_url(report, "10"))
    codes = [c.text_content() for c in doc.iter("pre")]
    assert any("rapports?limite=10&page=2" in c for c in codes)
    assert any("[caption] reste du texte ici" in c for c in codes)
    classic = site.html(_item_url(report, "11"))
    assert any("[gallery] reste du code" in c.text_content() for c in classic.iter("pre"))


def test_images_resolve_to_files_of_the_site_and_none_points_at_the_old_host(imported):
    site, *_ = imported
    pages = _article_pages(site)
    assert pages
    seen = 0
    for page in pages:
        doc = lxml.html.parse(str(page)).getroot()
        base = "/" + page.parent.relative_to(site.out).as_posix() + "/"
        for img in doc.iter("img"):
            src = img.get("src")
            assert OLD_HOST not in src, (page, src)
            path = urlsplit(src).path
            target = unquote(path if path.startswith("/") else base + path).lstrip("/")
            assert (site.out / target).is_file(), (page, src)
            seen += 1
    assert seen >= 10


def test_size_variants_are_mapped_to_the_original_upload(imported):
    site, _, report, _ = imported
    folder = site.output(_item_url(report, "10")).parent
    assert (folder / "schema.png").read_bytes() == (UPLOADS / "2024/03/schema.png").read_bytes()
    assert not list(folder.glob("*-300x225*")) and not list(folder.glob("*-150x150*"))


def test_captions_are_figures_and_galleries_list_every_image(imported):
    site, _, report, _ = imported
    source = (site.root / next(i["file"] for i in report["items"] if i["source_ref"] == "wp:11")).read_text("utf-8")
    assert '![Un bureau ouvert](bureau.png "Nos bureaux de Lyon")' in source
    assert "![Le tableau de bord](tableau-de-bord.png)" in source  # [gallery ids="102,103"]
    gutenberg = site.html(_item_url(report, "10"))
    alts = [i.get("alt") for i in gutenberg.iter("img")]
    assert {"Schéma des appels", "La couverture du guide", "L'équipe produit", "Portrait de l'équipe"} <= \
        {a.replace("’", "'") for a in alts}


def test_embeds_video_audio_and_files_are_links_on_their_own(imported):
    site, _, report, _ = imported
    doc = site.html(_item_url(report, "10"))
    hrefs = {a.get("href") for a in doc.iter("a")}
    assert "https://www.youtube.com/watch?v=nordlys01" in hrefs
    assert {"demo.mp4", "podcast.mp3", "rapport-annuel.pdf"} <= hrefs
    assert "https://app.nordlys-exemple.fr/inscription" in hrefs  # a button
    for name in ("demo.mp4", "podcast.mp3", "rapport-annuel.pdf"):
        assert site.output(_item_url(report, "10")).with_name(name).is_file()
    classic = site.html(_item_url(report, "11"))
    link = next(a for a in classic.iter("a") if a.get("href") == "https://vimeo.com/123456789")
    assert link.getparent().tag == "p" and _text(link.getparent()) == "https://vimeo.com/123456789"
    english = site.html(_item_url(report, "12"))
    assert "https://www.youtube.com/watch?v=nordlys02" in {a.get("href") for a in english.iter("a")}


def test_the_unknown_shortcode_is_kept_as_text_and_counted(imported):
    site, _, report, proc = imported
    doc = site.html(_item_url(report, "11"))
    text = _text(doc.find(".//article"))
    assert "Écrivez-nous : [contact-form-7 id=" in text and 'title=' in text  # quotes typeset, text kept
    assert report["counts"]["shortcode:contact-form-7"] == 1
    assert "[contact-form-7]" in proc.stderr


def test_every_old_url_redirects_to_its_article(imported):
    site, _, report, _ = imported
    by_id = {i["id"]: i for i in ITEMS}
    checked = 0
    for item in PUBLISHED:
        new = _item_url(report, item["id"])
        olds = [urlsplit(item["link"]).path]
        if item["type"] == "post":
            d = item["date"]
            olds.append(f"/{d[:4]}/{d[5:7]}/{d[8:10]}/{item['slug']}/")
        olds += [urlsplit(a["link"]).path for a in ITEMS if a["type"] == "attachment" and a["parent"] == item["id"]
                 and not urlsplit(a["link"]).query]
        for old in olds:
            path = unquote(old)
            if path == new:
                continue
            doc = site.html(path)
            refresh = doc.find(".//meta[@http-equiv='refresh']").get("content")
            assert refresh.endswith("url=" + "https://blog.example.com" + new), (old, refresh)
            assert doc.find(".//link[@rel='canonical']").get("href") == "https://blog.example.com" + new
            checked += 1
    assert checked >= 9
    # Query-string URLs are for the host's redirect rules (a static file cannot match them).
    rows = {r["old"]: r["new"] for r in csv.DictReader((site.root / "redirects.csv").open(encoding="utf-8"))}
    for item in PUBLISHED:
        key = f"/?page_id={item['id']}" if item["type"] == "page" else f"/?p={item['id']}"
        assert rows[key] == _item_url(report, item["id"])
    assert rows["/?attachment_id=103"] == _item_url(report, "11")
    netlify = (site.root / "static/_redirects").read_text(encoding="utf-8")
    assert f"/ p=10 {_item_url(report, '10')} 301" in netlify
    assert "/2024/03/12/d%C3%A9marrer-avec-l-api/ /2024/demarrer-avec-l-api/ 301" in netlify
    assert (site.out / "_redirects").read_text(encoding="utf-8") == netlify  # published with the site
    nginx = (site.root / "redirects.nginx.map").read_text(encoding="utf-8")
    assert '"/?p=11" "/2024/pourquoi-migrer/";' in nginx
    assert by_id["20"]["slug"] == "%c3%a0-propos"


def test_category_and_tag_archives_redirect_to_the_term_pages(imported):
    site, *_ = imported
    for old, new in (("/category/produit/api/", "/categories/api/"), ("/category/produit/", "/categories/produit/"),
                     ("/category/actualites/", "/categories/actualites/"), ("/tag/api-rest/", "/tags/api-rest/"),
                     ("/tag/sécurité/", "/tags/securite/"), ("/tag/donnees/", "/tags/donnees/")):
        doc = site.html(old)
        assert doc.find(".//meta[@http-equiv='refresh']").get("content").endswith(new), old
        assert site.output(new).is_file(), new


def test_drafts_and_future_posts_are_not_in_the_output(imported):
    site, _, report, _ = imported
    everything = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in site.out.rglob("*")
                           if p.is_file() and p.suffix in (".html", ".xml", ".json", ".txt")
                           and ".contentkit" not in p.parts)  # the rebuild schedule names what is due
    for item in NOT_PUBLIC:
        title = _plain(item["title"])
        assert title not in everything.replace("’", "'").replace("\u202f", " ").replace("\u00a0", " "), item["id"]
    statuses = {i["source_ref"]: i["status"] for i in report["items"]}
    assert statuses == {"wp:10": "published", "wp:11": "published", "wp:12": "published", "wp:13": "writing",
                        "wp:14": "review", "wp:15": "scheduled", "wp:16": "writing", "wp:20": "published",
                        "wp:21": "published", "wp:22": "writing"}
    assert {ref for ref, _ in report["skipped"]} >= {"wp:17", "wp:18", "wp:19", "wp:203"}
    assert not site.output("/2024/espace-partenaires/").exists()


def test_the_scheduled_post_keeps_its_time_in_the_exports_timezone_and_goes_live_on_its_date(imported, tmp_path):
    site, _, report, _ = imported
    rel = next(i["file"] for i in report["items"] if i["source_ref"] == "wp:15")
    front, _ = site.front_matter(rel)
    assert front["status"] == "scheduled" and front["approved_by"]
    assert front["date"].isoformat() == "2031-07-01T09:00:00+02:00"
    later = site.build(tmp_path / "later", now=datetime(2031, 7, 2, tzinfo=timezone.utc))
    assert later.warnings == []
    assert (tmp_path / "later" / "2031" / "version-3" / "index.html").is_file()


def test_categories_tags_and_authors_match_the_export(imported):
    site, _, report, _ = imported
    model = site.load()
    posts = {a.source: a for a in model.posts}
    parents = {"api": "Produit"}
    for item in PUBLISHED:
        if item["type"] != "post":
            continue
        rel = next(i["file"] for i in report["items"] if i["source_ref"] == f"wp:{item['id']}")
        article = posts[rel]
        cats = [name for domain, nice, name in item["terms"] if domain == "category"]
        cats += [parents[nice] for domain, nice, _ in item["terms"] if domain == "category" and nice in parents]
        tags = [name for domain, _, name in item["terms"] if domain == "post_tag"]
        assert sorted(c.name for c in article.categories) == sorted(cats)
        assert sorted(t.name for t in article.tags) == sorted(tags)
        for term in article.categories + article.tags:
            listing = site.html(term.url)
            assert article.url in {a.get("href") for a in listing.iter("a")}, term.url
    migrer = posts["content/posts/2024/pourquoi-migrer/index.md"]
    assert [p.name for p in migrer.authors] == ["Claire Morel", "Martin Roux"]  # Co-Authors Plus
    assert [p.name for p in posts["content/posts/2024/quarterly-report/index.md"].authors] == ["Jean Dupont"]


def test_author_profiles_never_carry_the_email_address(imported):
    site, *_ = imported
    profiles = {p.stem: yaml.safe_load(p.read_text("utf-8")) for p in (site.root / "content/authors").glob("*.yml")}
    assert profiles["claire"]["name"] == "Claire Morel"
    assert profiles["jean-dupont"]["name"] == "Jean Dupont"  # the login was an e-mail address: not the file name
    for path in list((site.root / "content").rglob("*")) + list(site.out.rglob("*")):
        if path.is_file() and path.suffix in (".yml", ".md", ".html", ".xml", ".json"):
            text = path.read_text("utf-8")
            assert "claire.morel@" not in text and "j.dupont@" not in text, path


def test_summary_sticky_more_marker_language_and_featured_image(imported):
    site, _, report, _ = imported
    rel = next(i["file"] for i in report["items"] if i["source_ref"] == "wp:10")
    front, body = site.front_matter(rel)
    assert front["summary"] == "Le premier appel à l'API Nordlys, pas à pas."
    assert front["sticky"] is True and front["image"] == "couverture.png"
    assert front["slug"] == "démarrer-avec-l-api"  # percent-decoded, as WordPress shows it
    assert body.index(MORE_MARKER) < body.index("## Obtenir une clé")
    english = site.front_matter(next(i["file"] for i in report["items"] if i["source_ref"] == "wp:12"))[0]
    assert english["lang"] == "en"
    assert site.html(_item_url(report, "12")).get("lang") == "en"


def test_classic_bodies_get_their_paragraphs_back(imported):
    site, _, report, _ = imported
    doc = site.html(_item_url(report, "21"))  # the Contact page: two lines, no <p>
    paragraphs = [p for p in doc.find(".//article").iter("p") if "Écrivez-nous" in _text(p)]
    assert paragraphs and paragraphs[0].find("br") is not None
    classic = site.html(_item_url(report, "11"))
    texts = [_text(p) for p in classic.iter("p")]
    assert any(t.startswith("La première raison") for t in texts)
    assert "\x0b" not in site.output(_item_url(report, "11")).read_text("utf-8")


def test_links_between_imported_posts_point_at_their_new_address(imported):
    site, _, report, _ = imported
    hrefs = {a.get("href") for a in site.html(_item_url(report, "11")).iter("a")}
    assert _item_url(report, "10") in hrefs and _item_url(report, "12") in hrefs


def test_comments_are_kept_outside_the_site_without_addresses(imported):
    site, _, report, _ = imported
    data = json.loads((site.root / "import/comments/démarrer-avec-l-api.json").read_text("utf-8"))
    assert [c["id"] for c in data["comments"]] == ["501", "502"]  # the spam is left out
    assert data["comments"][1]["parent"] == "501"
    text = json.dumps(data)
    assert "sophie@" not in text and "192.0.2." not in text
    assert report["counts"]["comment"] == 2 and report["counts"]["pingback"] == 1
    assert not any("comments" in p.as_posix() for p in site.out.rglob("*.json"))


def test_the_summary_reads_at_80_columns_in_the_sites_language(imported):
    _, _, _, proc = imported
    assert "Import depuis WordPress" in proc.stderr and "Articles" in proc.stderr
    table = [line for line in proc.stderr.splitlines() if line.startswith(("Quoi", "Articles", "Pages", "Fichiers"))]
    assert table and all(len(line) <= 80 for line in table)
    assert "permalink: \"/{year}/{month}/{day}/{slug}/\"" in proc.stderr


# Reruns and dry runs -------------------------------------------------------------------------------
def _fresh(tmp_path) -> SiteFactory:
    return SiteFactory(tmp_path / "site", now=NOW, use_cache=False, workers=1)


def _import(site, *extra) -> dict:
    proc = run_cli("import", "wordpress", str(EXPORT), "--media", str(UPLOADS), "--into", str(site.root), *extra)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    return json.loads((site.root / "import-report.json").read_text("utf-8"))


def test_a_rerun_updates_only_what_the_import_created(tmp_path):
    site = _fresh(tmp_path)
    mine = site.post("notre-histoire", "Notre histoire", "2024-01-02", body="Écrit à la main.")
    first = _import(site)
    before = snapshot(site.root)
    second = _import(site)
    assert second["created"] == [] and second["updated"] == [] and second["conflicts"] == []
    assert {k: v for k, v in snapshot(site.root).items() if k != "import-report.json"} == \
        {k: v for k, v in before.items() if k != "import-report.json"}
    # The user edits an imported post, deletes another, writes a file where the import would.
    edited = site.root / next(i["file"] for i in first["items"] if i["source_ref"] == "wp:11")
    edited.write_text(edited.read_text("utf-8") + "\nUne ligne ajoutée.\n", encoding="utf-8")
    removed = site.root / next(i["file"] for i in first["items"] if i["source_ref"] == "wp:21")
    removed.unlink()
    comments = site.root / "import/comments/pourquoi-migrer.json"
    comments.write_text("{}", encoding="utf-8")
    third = _import(site)
    conflicts = dict(map(tuple, third["conflicts"]))
    assert conflicts[edited.relative_to(site.root).as_posix()] == "edited"
    assert conflicts[removed.relative_to(site.root).as_posix()] == "removed"
    assert conflicts["import/comments/pourquoi-migrer.json"] == "edited"
    assert edited.read_text("utf-8").endswith("Une ligne ajoutée.\n") and not removed.exists()
    assert mine.read_text("utf-8").endswith("Écrit à la main.\n")
    assert third["created"] == [] and third["updated"] == []
    site.build()


def test_a_file_the_import_did_not_create_is_never_overwritten(tmp_path):
    site = _fresh(tmp_path)
    theirs = site.write("import/comments/pourquoi-migrer.json", '{"mine": true}\n')
    report = _import(site)
    assert ["import/comments/pourquoi-migrer.json", "not-ours"] in report["conflicts"]
    assert theirs.read_text("utf-8") == '{"mine": true}\n'
    site.build()


def test_an_existing_page_at_the_same_address_is_not_claimed(tmp_path):
    site = _fresh(tmp_path)
    site.page("a-propos", "À propos de nous", body="Notre page.")
    report = _import(site)
    page = next(i for i in report["items"] if i["source_ref"] == "wp:20")
    assert page["url"] != "/a-propos/"
    assert any(w["code"] == "import-url-taken" for w in report["warnings"])
    site.build()
    assert _text(site.html("/a-propos/").find(".//h1")) == "À propos de nous"


def test_a_dry_run_writes_nothing_and_reports_the_same(tmp_path):
    site = _fresh(tmp_path)
    before = snapshot(site.root)
    proc = run_cli("import", "wordpress", str(EXPORT), "--media", str(UPLOADS), "--into", str(site.root), "--dry-run")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    assert "Essai à blanc" in proc.stderr
    assert snapshot(site.root) == before
    real = _import(site)
    from contentkit.importers.common import write_import
    again = write_import(read_wordpress(EXPORT, UPLOADS), site.root, dry_run=True, source_kind="wordpress")
    assert again.created == [] and sorted(again.unchanged) == sorted(real["created"] + real["unchanged"])


def test_without_media_the_old_links_are_kept_and_listed(tmp_path):
    site = _fresh(tmp_path)
    proc = run_cli("import", "wordpress", str(EXPORT), "--into", str(site.root))
    assert proc.returncode == 0, proc.stderr
    report = json.loads((site.root / "import-report.json").read_text("utf-8"))
    kept = {url for _, url in report["external_media"]}
    assert "https://blog.nordlys-exemple.fr/wp-content/uploads/2024/02/bureau-300x225.png" in kept
    assert "Liens vers les médias" in proc.stderr
    site.build()
    doc = site.html(next(i["url"] for i in report["items"] if i["source_ref"] == "wp:11"))
    assert any(OLD_HOST in (img.get("src") or "") for img in doc.iter("img"))


def test_into_a_new_folder_the_site_takes_the_exports_settings(tmp_path):
    target = tmp_path / "nouveau"
    proc = run_cli("import", "wordpress", str(EXPORT), "--media", str(UPLOADS), "--into", str(target))
    assert proc.returncode == 0, proc.stderr
    config = yaml.safe_load((target / "contentkit.yml").read_text("utf-8"))
    assert config["title"] == "Le carnet de Nordlys" and config["language"] == "fr"
    assert config["base_url"] == "https://blog.nordlys-exemple.fr/"
    assert config["permalink"] == "/{year}/{month}/{day}/{slug}/"
    site = SiteFactory.__new__(SiteFactory)
    site.root, site.out, site.defaults = target, target / "site", {"now": NOW, "use_cache": False, "workers": 1}
    result = site.build()
    assert result.warnings == []
    assert site.output("/2024/02/05/pourquoi-migrer/").is_file()  # the old address, kept as it was


# The converter on its own -----------------------------------------------------------------------------
@pytest.mark.parametrize("html, expected", [
    ('<!-- wp:heading {"level":3} --><h3 class="wp-block-heading">Titre</h3><!-- /wp:heading -->', "### Titre"),
    ("<!-- wp:separator --><hr class=\"wp-block-separator\"/><!-- /wp:separator -->", "---"),
    ('<!-- wp:quote --><blockquote class="wp-block-quote"><p>Dit.</p><cite>Elle</cite></blockquote><!-- /wp:quote -->',
     "> Dit.\n>\n> — Elle"),
    ('<!-- wp:list {"ordered":true} --><ol><li>un</li><li>deux</li></ol><!-- /wp:list -->', "1. un\n2. deux"),
    ('<!-- wp:embed {"url":"https://vimeo.com/1"} --><figure class="wp-block-embed"><div class="wp-block-embed__wrapper">https://vimeo.com/1</div></figure><!-- /wp:embed -->',
     "<https://vimeo.com/1>"),
    ('<!-- wp:html --><iframe src="https://example.com/x"></iframe><!-- /wp:html -->', '<iframe src="https://example.com/x"></iframe>'),
    ("<!-- wp:archives /-->", ""),
    ("Ligne un\nligne deux\n\nParagraphe deux", "Ligne un  \nligne deux\n\nParagraphe deux"),
    ("[[gallery]] s'écrit ainsi", "[gallery] s'écrit ainsi"),
    ('[caption id="x" caption="Légende ancienne"]<img src="a.png" alt="A">[/caption]', '![A](a.png "Légende ancienne")'),
    ('[audio src="https://ailleurs.example/son.mp3"]', "<https://ailleurs.example/son.mp3>"),
])
def test_conversion_of_one_construct(html, expected):
    assert to_markdown(html, BodyContext("wp:1")).strip() == expected


def test_wpautop_leaves_block_html_alone():
    assert wpautop("<ul>\n<li>a</li>\n</ul>\nTexte") == "<ul>\n<li>a</li>\n</ul>\n<p>Texte</p>"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["[caption]", "[/caption]", "[gallery ids=\"1\"]", "[x y='z']", "<p>", "</p>",
                                 "<!-- wp:paragraph -->", "<!-- /wp:paragraph -->", "<!--more-->", "\n\n", "\n",
                                 "<img src=\"a.png\">", "https://example.com/v", "[[b]]", "<pre>[c]</pre>",
                                 "texte", "é", "<", "&", "]"]), max_size=25))
def test_any_mix_of_wordpress_markup_converts_without_leaking_placeholders(parts):
    md = to_markdown("".join(parts), BodyContext("wp:1"))
    assert "ckph" not in md and "ckpr" not in md and "<!-- wp:" not in md
