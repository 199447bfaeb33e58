"""`contentkit import jekyll|hugo|pelican`: fixture sites shaped like real ones (tests/fixtures/
import_jekyll, import_hugo, import_pelican) are imported into a fresh folder, built, and the built
site is read with lxml: every published post and page is there with its title, date, tags and
categories; drafts are not; every old URL of the old site (worked out by hand below from each
generator's permalink rules) is the article itself or a redirect page to it; images and links
resolve to built files; no shortcode or Pelican link syntax is left in the text.
"""
from __future__ import annotations

import ast
import shutil
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from contentkit.build import build_site
from contentkit.errors import ContentError
from contentkit.i18n import catalog, placeholders
from contentkit.importers.common import write_import
from contentkit.importers.hugo import read_hugo
from contentkit.importers.jekyll import expand, pretty_slug, read_jekyll
from contentkit.importers.pelican import literal_settings, parse_header, pelican_slug, read_pelican
from contentkit.importers.ssg_common import SourceProblem, split_front_matter
from contentkit.model import BuildOptions
from contentkit.slugs import slugify
from contentkit.urls import output_path

from .conftest import run_cli

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)
READERS = {"jekyll": read_jekyll, "hugo": read_hugo, "pelican": read_pelican}

# title -> (day, tags, categories) of each published article; the old URLs it had, by hand from
# the generator's rules; the titles that must not be published.
EXPECTED = {
    "jekyll": {
        "published": {
            "Bienvenue sur le carnet !": ("2021-03-15", {"bienvenue", "vie de l'agence"}, {"annonces", "équipe"}),
            "Les données ouvertes, mode d'emploi": ("2021-04-02", {"opendata", "rgpd"}, {"Data Science"}),
            "Open data, explained in English": ("2022-01-10", {"opendata"}, {"Data Science"}),
            "Joyeux Noel": ("2020-12-24", {"fêtes"}, {"blog"}),  # no title: from the file name
            "À propos": (None, set(), set()),
            "L'équipe": (None, set(), set()),
            "Contact": (None, set(), set()),
        },
        # permalink: date (the default) = /:categories/:year/:month/:day/:title:output_ext,
        # :title keeps the file name's case, categories are lowercased, folders above _posts count
        "old_urls": {
            "/annonces/%C3%A9quipe/2021/03/15/Bienvenue-sur-le-Carnet.html": "Bienvenue sur le carnet !",
            "/data%20science/2021/04/02/donnees-ouvertes.html": "Les données ouvertes, mode d'emploi",
            "/ancien/donnees-ouvertes/": "Les données ouvertes, mode d'emploi",  # redirect_from
            "/2021/donnees.html": "Les données ouvertes, mode d'emploi",
            "/blog/open-data-in-english/": "Open data, explained in English",  # its own permalink
            "/blog/2020/12/24/joyeux-noel.html": "Joyeux Noel",
            "/a-propos/": "À propos",
            "/equipe/": "L'équipe",
            "/contact.html": "Contact",  # a page: /:path/:basename:output_ext
        },
        "drafts": ["Offre confidentielle (ne pas publier)", "Idée : un tableau de bord des subventions",
                   "Notes sans date dans le nom"],
    },
    "hugo": {
        "published": {
            "Premier bilan : un an de cartes": ("2023-02-14", {"bilan", "cartographie"}, {"Vie de l'équipe"}),
            "Construire une carte interactive": ("2022-11-03", {"cartographie", "javascript", "claire"}, {"Technique"}),
            "Notes in English": ("2022-06-20", {"english"}, set()),
            "À propos": (None, set(), set()),
            "Le blog": (None, set(), set()),
            "Contact": (None, set(), set()),
        },
        # permalinks.posts = /:year/:month/:slug/ (:slug = slug, else the title urlized); an
        # English file (x.en.md) under /en/; aliases, the relative one beside the page
        "old_urls": {
            "/2023/02/bilan-annee-un/": "Premier bilan : un an de cartes",
            "/bilan-2022/": "Premier bilan : un an de cartes",
            "/2023/02/ancien-bilan": "Premier bilan : un an de cartes",
            "/2022/11/construire-une-carte-interactive/": "Construire une carte interactive",
            "/en/2022/06/notes-in-english/": "Notes in English",
            "/a-propos/": "À propos",
            "/blog/": "Le blog",
            "/nous-contacter/": "Contact",  # url:
        },
        "drafts": ["Brouillon à ne pas publier", "Offre de stage 2021", "Annonce programmée",
                   "Notes de travail"],  # a Markdown file inside a leaf bundle: a resource to Hugo
    },
    "pelican": {
        "published": {
            "L'été des données : bilan de nos chantiers": ("2022-09-05", {"données", "bilan", "open data"}, {"Stratégie"}),
            "The summer of data: our projects in review": ("2022-09-06", {"data"}, {"Stratégie"}),
            "Une console de suivi en Python": ("2022-07-18", {"python", "supervision"}, {"technique"}),
            "Retour du salon Data & Territoires": ("2021-11-30", {"salon"}, {"Événements"}),
            "Offre réservée aux partenaires": ("2022-12-01", set(), {"Offres"}),
            "À propos d'Octet Conseil": (None, set(), set()),
        },
        # ARTICLE_URL = {date:%Y}/{date:%m}/{slug}/ (Pelican's slug drops the apostrophe),
        # a translation at ARTICLE_LANG_URL's default {slug}-{lang}.html, a page at pages/{slug}.html
        "old_urls": {
            "/2022/09/lete-des-donnees-bilan-de-nos-chantiers/": "L'été des données : bilan de nos chantiers",
            "/lete-des-donnees-bilan-de-nos-chantiers-en.html": "The summer of data: our projects in review",
            "/2022/07/console-suivi/": "Une console de suivi en Python",
            "/2021/11/retour-du-salon-data-territoires/": "Retour du salon Data & Territoires",
            "/2022/12/offre-reservee-aux-partenaires/": "Offre réservée aux partenaires",
            "/pages/a-propos-doctet-conseil.html": "À propos d'Octet Conseil",
        },
        "drafts": ["Nos nouveaux tarifs (brouillon)", "Un article sans date"],
    },
}


def plain(text: str) -> str:
    """Text as a reader compares it: typographic apostrophes and no-break spaces made plain."""
    return " ".join(text.replace("’", "'").replace("\u202f", " ").replace("\u00a0", " ").split())


class Imported:
    def __init__(self, kind: str, base: Path):
        self.kind = kind
        self.source = base / "source"
        shutil.copytree(FIXTURES / f"import_{kind}", self.source)
        self.result = READERS[kind](self.source)
        self.into = base / "site"
        self.report = write_import(self.result, self.into, dry_run=False, source_kind=kind)
        self.out = self.into / "public"
        self.build = build_site(self.into, self.out, BuildOptions(now=NOW), use_cache=False, workers=1)
        self.urls = {plain(i["title"]): i["url"] for i in self.report.items}

    def file(self, url: str) -> Path:
        return self.out / output_path(unquote(urlsplit(url).path))

    def html(self, url: str):
        return lxml.html.parse(str(self.file(url))).getroot()

    def pages(self):
        for path in sorted(self.out.rglob("*.html")):
            yield path, lxml.html.parse(str(path)).getroot()


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def imported(request, tmp_path_factory) -> Imported:
    return Imported(request.param, tmp_path_factory.mktemp(request.param))


def test_every_published_item_is_a_page_with_its_title_date_tags_and_categories(imported):
    expected = EXPECTED[imported.kind]["published"]
    assert set(imported.urls) >= set(expected)
    for title, (day, tags, categories) in expected.items():
        doc = imported.html(imported.urls[title])
        assert plain(doc.findtext(".//h1")) == title
        if day:
            assert doc.find(".//p[@class='byline']/time").get("datetime").startswith(day)
        assert {plain(a.text_content()) for a in doc.findall(".//p[@class='tags']/a")} == tags
        # the theme shows the first category in the byline; each category's page lists the article
        listed = {name for name in all_categories(imported)
                  if imported.urls[title] in {a.get("href") for a in imported.html(f"/categories/{slugify(name)}/").findall(".//h2[@class='card-title']/a")}}
        assert listed == categories


def all_categories(imported) -> set[str]:
    return {c for item in imported.result.items for c in item.categories if item.status == "published"}


def test_drafts_and_unpublished_items_are_not_in_the_output(imported):
    text = "\n".join(plain(doc.text_content()) for _, doc in imported.pages())
    for title in EXPECTED[imported.kind]["drafts"]:
        assert plain(title) not in text
    for item in imported.report.items:
        if item["status"] != "published":
            assert not imported.file(item["url"]).exists()


def test_every_old_url_is_the_article_or_redirects_to_it(imported):
    for old, title in EXPECTED[imported.kind]["old_urls"].items():
        new = imported.urls[title]
        page = imported.file(old)
        assert page.is_file(), f"{old}: nothing there"
        doc = lxml.html.parse(str(page)).getroot()
        refresh = doc.find(".//meta[@http-equiv='refresh']")
        if refresh is None:
            assert unquote(urlsplit(old).path) == new and plain(doc.findtext(".//h1")) == title
        else:
            target = refresh.get("content").split("url=", 1)[1]
            assert urlsplit(target).path == new, old
            assert imported.file(target).is_file()


def test_images_and_internal_links_resolve_to_built_files(imported):
    for path, doc in imported.pages():
        if doc.find(".//meta[@http-equiv='refresh']") is not None:
            continue
        page_url = "/" + path.relative_to(imported.out).as_posix()
        for img in doc.iter("img"):
            assert imported.file(urljoin(page_url, img.get("src"))).is_file(), (page_url, img.get("src"))
        for a in doc.findall(".//article//a[@href]"):
            href = a.get("href")
            if urlsplit(href).scheme or href.startswith(("#", "//", "mailto:")):
                continue
            assert imported.file(urljoin(page_url, href)).is_file(), (page_url, href)


def test_no_shortcode_or_pelican_link_syntax_is_left_in_the_text(imported):
    for path, doc in imported.pages():
        for code in doc.xpath("//pre | //code"):
            code.drop_tree()
        text = doc.text_content()
        assert "{{<" not in text and "{{%" not in text, path
        assert "{filename}" not in text and "{static}" not in text and "{attach}" not in text, path


def test_the_imported_config_carries_the_old_site_settings(imported):
    config = yaml.safe_load((imported.into / "contentkit.yml").read_text(encoding="utf-8"))
    assert config == {
        "jekyll": {"title": "Carnet de l'agence Latitude", "base_url": "https://carnet.latitude.example/",
                   "language": "fr", "permalink": "/{year}/{month}/{day}/{slug}/", "per_page": 6},
        "hugo": {"title": "Cartes & Données", "base_url": "https://www.cartes-et-donnees.example/",
                 "language": "fr", "permalink": "/{year}/{month}/{slug}/", "per_page": 8},
        "pelican": {"title": "Le carnet d'Octet Conseil", "base_url": "https://carnet.octet.example/",
                    "language": "fr", "permalink": "/{year}/{month}/{slug}/", "per_page": 5},
    }[imported.kind]


# Jekyll -----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def jekyll(tmp_path_factory) -> Imported:
    return Imported("jekyll", tmp_path_factory.mktemp("jekyll-only"))


def test_jekyll_authors_come_from_data_authors_without_their_email(jekyll):
    profile = yaml.safe_load((jekyll.into / "content/authors/alice.yml").read_text(encoding="utf-8"))
    assert profile["name"] == "Alice Martin" and "email" not in profile
    doc = jekyll.html(jekyll.urls["Open data, explained in English"])
    names = [a.text_content() for a in doc.findall(".//p[@class='byline']/a") if "/authors/" in a.get("href")]
    assert names == ["Alice Martin", "Bob Nguyen"]
    assert "alice@latitude.example" not in "".join(p.read_text() for p in jekyll.out.rglob("*.html"))


def test_jekyll_post_url_and_link_tags_point_at_the_new_addresses(jekyll):
    doc = jekyll.html(jekyll.urls["Les données ouvertes, mode d'emploi"])
    hrefs = {a.text_content(): a.get("href") for a in doc.findall(".//div[@class='post-body']//a")}
    assert hrefs["notre présentation"] == jekyll.urls["Bienvenue sur le carnet !"]
    welcome = jekyll.html(jekyll.urls["Bienvenue sur le carnet !"])
    link = welcome.find(".//div[@class='post-body']//a")
    assert link.get("href") == jekyll.urls["Les données ouvertes, mode d'emploi"]
    # a link to an old URL written by hand becomes the new URL
    english = jekyll.html(jekyll.urls["Open data, explained in English"])
    assert english.find(".//div[@class='post-body']//a").get("href") == jekyll.urls["Les données ouvertes, mode d'emploi"]


def test_jekyll_layouts_and_liquid_left_are_counted_and_undated_posts_listed(jekyll):
    counts = jekyll.result.counts
    assert counts["layout:post"] == 6 and counts["liquid:include"] == 1
    assert "liquid:{{ name }}" not in counts  # inside {% raw %}: literal text, not a tag
    assert ("_posts/notes-sans-date.md:1", "import-jekyll-post-undated") in jekyll.result.skipped
    assert ("index.html:1", "import-jekyll-html-page") in jekyll.result.skipped
    codes = {(w.source_ref, w.code) for w in jekyll.result.warnings}
    assert ("_posts/2022-05-01-offre-confidentielle.md:3", "import-unpublished-kept-draft") in codes


def test_jekyll_permalink_rules():
    fields = {"year": "2021", "month": "03", "day": "15", "title": "Été-2021", "categories": "", "output_ext": ".html"}
    assert expand("/:categories/:year/:month/:day/:title:output_ext", fields) == "/2021/03/15/Été-2021.html"
    assert expand("/blog/:year/:title/", fields) == "/blog/2021/Été-2021/"
    assert pretty_slug("Hello, World! (2)") == "Hello,-World!-(2)"


# Hugo -------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def hugo(tmp_path_factory) -> Imported:
    return Imported("hugo", tmp_path_factory.mktemp("hugo-only"))


def test_hugo_figure_is_a_figure_with_its_caption_and_its_image(hugo):
    url = hugo.urls["Premier bilan : un an de cartes"]
    figure = hugo.html(url).find(".//figure")
    assert plain(figure.findtext("figcaption")) == "Nombre de cartes publiées par mois"
    img = figure.find("img")
    assert img.get("alt") == "Histogramme des cartes"
    assert hugo.file(urljoin(url, img.get("src"))).read_bytes()[:4] == b"\x89PNG"


def test_hugo_embeds_become_links_and_highlight_fenced_code(hugo):
    doc = hugo.html(hugo.urls["Premier bilan : un an de cartes"])
    hrefs = [a.get("href") for a in doc.findall(".//div[@class='post-body']//a")]
    assert "https://www.youtube.com/watch?v=dQw4w9WgXcQ" in hrefs
    assert "println" in doc.find(".//div[@class='post-body']//pre").text_content()
    other = hugo.html(hugo.urls["Construire une carte interactive"])
    hrefs = [a.get("href") for a in other.findall(".//div[@class='post-body']//a")]
    assert "https://gist.github.com/clairedubois/5f3a2b#file-carte-js" in hrefs
    assert "https://x.com/cartesdonnees/status/1590000000000000000" in hrefs
    assert hugo.urls["Premier bilan : un an de cartes"] + "#fin" in hrefs  # relref with its anchor
    assert "La carte fonctionne aussi sans JavaScript." in plain(other.text_content())  # kept shortcode's text


def test_hugo_unknown_shortcodes_are_kept_in_the_file_and_counted(hugo):
    assert hugo.result.counts["shortcode:newsletter-signup"] == 1
    assert hugo.result.counts["shortcode:notice"] == 1
    source = next(p for p in (hugo.into / "content/posts").rglob("index.md") if "bilan" in str(p))
    assert '{{< newsletter-signup liste="mensuelle" >}}' in source.read_text(encoding="utf-8")
    assert any(w.code == "import-shortcode-kept" and w.params == {"name": "newsletter-signup"}
               for w in hugo.result.warnings)


def test_hugo_page_bundle_resources_are_copied_with_the_article(hugo):
    url = hugo.urls["Construire une carte interactive"]
    assert hugo.file(urljoin(url, "donnees.csv")).read_text() == "region,jeux\nBretagne,42\n"  # linked
    assert hugo.file(urljoin(url, "capture.png")).is_file()
    about = hugo.html(hugo.urls["À propos"])
    assert {img.get("alt") for img in about.iter("img")} == {"Notre bureau", "Logo"}


def test_hugo_markdown_inside_a_leaf_bundle_is_listed_not_imported(hugo):
    ref = "content/posts/carte-interactive/notes-de-travail.md:1"
    assert (ref, "import-hugo-inside-bundle") in hugo.result.skipped
    url = hugo.urls["Construire une carte interactive"]
    assert not hugo.file(urljoin(url, "notes-de-travail.md")).exists()


def test_hugo_toml_yaml_and_json_front_matter():
    toml = split_front_matter('+++\ntitle = "A"\ndate = 2023-02-14T10:00:00+01:00\n+++\nBody\n')
    assert toml.syntax == "toml" and toml.meta["title"] == "A" and toml.body == "Body\n" and toml.body_line == 5
    js = split_front_matter('{\n  "title": "B",\n  "tags": ["x"]\n}\nBody')
    assert js.syntax == "json" and js.meta == {"title": "B", "tags": ["x"]} and js.body == "Body"
    with pytest.raises(SourceProblem) as exc:
        split_front_matter('+++\ntitle = "A\n+++\n')
    assert exc.value.code == "import-front-matter-invalid"


# Pelican ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def pelican(tmp_path_factory) -> Imported:
    return Imported("pelican", tmp_path_factory.mktemp("pelican-only"))


def test_pelicanconf_is_never_executed(pelican):
    assert not (pelican.source / "EXECUTED").exists()
    text = (pelican.source / "pelicanconf.py").read_text()
    assert "os.system" in text and "raise SystemExit" in text  # it would have left its trace
    warned = [w for w in pelican.result.warnings if w.code == "import-pelican-setting-computed"]
    assert warned and "DEFAULT_CATEGORY" in warned[0].params["names"]


def test_literal_settings_read_values_and_run_nothing(tmp_path):
    marker = tmp_path / "ran"
    values, computed = literal_settings(
        f"import os\nSITEURL = __import__('os').system('touch {marker}')\nSITENAME = 'Le blog'\n"
        f"A = B = 3\nTIMEZONE: str = 'Europe/Paris'\nexec(\"open('{marker}', 'w')\")\n")
    assert not marker.exists()
    assert values == {"SITENAME": "Le blog", "A": 3, "B": 3, "TIMEZONE": "Europe/Paris"}
    assert computed == ["SITEURL"]


def test_pelican_filename_static_and_attach_links(pelican):
    url = pelican.urls["L'été des données : bilan de nos chantiers"]
    doc = pelican.html(url)
    hrefs = {plain(a.text_content()): a.get("href") for a in doc.findall(".//div[@class='post-body']//a")}
    assert hrefs["notre article sur la console"] == pelican.urls["Une console de suivi en Python"]
    assert pelican.file(urljoin(url, hrefs["modèle de contrat"])).read_bytes().startswith(b"%PDF")
    assert hrefs["étiquetés bilan"] == "/tags/bilan/"
    english = pelican.html(pelican.urls["The summer of data: our projects in review"])
    assert english.find(".//div[@class='post-body']//a").get("href") == url
    assert english.get("lang") == "en" or english.find(".//article").get("lang") == "en"
    console = pelican.html(pelican.urls["Une console de suivi en Python"])
    assert "{filename} reste tel quel" in console.find(".//pre").text_content()  # code is left alone


def test_pelican_skips_rst_and_undated_articles_with_a_reason(pelican):
    assert ("content/notes-internes.rst:1", "import-format-unsupported") in pelican.result.skipped
    assert ("content/sans-date.md:1", "import-pelican-no-date") in pelican.result.skipped


def test_pelican_header_and_slug_rules():
    meta, lines, body, line = parse_header("Title: Un titre\nTags: a, b\nSummary: une ligne\n    et la suite\n\nTexte.\n")
    assert meta == {"title": "Un titre", "tags": "a, b", "summary": "une ligne et la suite"}
    assert lines == {"title": 1, "tags": 2, "summary": 3} and body == "Texte.\n" and line == 6
    assert pelican_slug("L'été des données : bilan") == "lete-des-donnees-bilan"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("-+{}[]:\"' \n\tab=#,\u00e9"), max_size=60))
def test_front_matter_splitting_never_fails_unexpectedly(text):
    try:
        source = split_front_matter(text)
    except SourceProblem as exc:
        assert catalog("en").t(f"errors.{exc.code}.message") != f"errors.{exc.code}.message"
    else:
        assert isinstance(source.meta, dict)
    parse_header(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_old_urls_never_leave_the_site(title):
    url = expand("/:categories/:year/:title:output_ext",
                 {"year": "2021", "title": pretty_slug(title), "categories": "", "output_ext": ".html"})
    assert url.startswith("/") and ".." not in url.split("/")
    assert ".." not in pelican_slug(title).split("/")


# Messages and the command -----------------------------------------------------------------------
def test_every_warning_of_the_readers_names_a_catalog_entry_with_its_parameters():
    english = catalog("en")
    for kind, reader in READERS.items():
        result = reader(FIXTURES / f"import_{kind}")
        for w in result.warnings:
            key = f"errors.{w.code}"
            assert f"{key}.message" in english, w.code
            used = placeholders(english.t(key + ".message")) | placeholders(english.t(key + ".hint"))
            assert set(w.params) == used, w
        for _ref, code in result.skipped:
            assert f"errors.{code}.message" in english, code


def test_a_missing_folder_is_a_clear_error(tmp_path):
    for reader in READERS.values():
        with pytest.raises(ContentError) as exc:
            reader(tmp_path / "nowhere")
        assert exc.value.problem.code == "import-folder-missing"


def test_the_readers_never_import_the_source_as_python():
    for name in ("jekyll", "hugo", "pelican", "ssg_common"):
        tree = ast.parse((Path(__file__).parents[1] / f"contentkit/importers/{name}.py").read_text())
        calls = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
        assert not calls & {"exec", "eval", "compile", "__import__", "runpy"}


def test_the_command_imports_a_jekyll_site_and_dry_run_writes_nothing(tmp_path):
    dry = run_cli("import", "jekyll", str(FIXTURES / "import_jekyll"), "--into", str(tmp_path / "dry"), "--dry-run")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert not (tmp_path / "dry").exists() or not any((tmp_path / "dry").iterdir())
    done = run_cli("import", "hugo", str(FIXTURES / "import_hugo"), "--into", str(tmp_path / "site"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "site/content/posts/2023/bilan-annee-un/index.md").is_file()
    assert "Traceback" not in done.stderr


def test_hugo_without_permalinks_keeps_the_main_section_addresses(tmp_path):
    (tmp_path / "content/blog").mkdir(parents=True)
    (tmp_path / "config.yaml").write_text("title: Petit blog\nbaseURL: https://petit.example/\n")
    (tmp_path / "content/blog/Mon Premier.md").write_text("---\ntitle: Premier\ndate: 2024-05-02\n---\nTexte.\n")
    (tmp_path / "content/blog/deux.md").write_text("---\ntitle: Deux\ndate: 2024-05-03\nslug: second\n---\nTexte.\n")
    result = read_hugo(tmp_path)
    assert result.permalink == "/blog/{slug}/"
    report = write_import(result, tmp_path / "site", dry_run=True, source_kind="hugo")
    # Hugo: /<section>/<slug or file name>/, lowercased, spaces made hyphens; contentkit the same
    assert sorted(i["url"] for i in report.items) == ["/blog/mon-premier/", "/blog/second/"]
    assert report.redirects == [] and not (tmp_path / "site").exists()


def test_links_to_files_outside_the_site_are_never_read_nor_copied(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("---\ntitle: Clé privée\n---\nAKIA-SECRET\n")
    jekyll_site = tmp_path / "jekyll"
    (jekyll_site / "_posts").mkdir(parents=True)
    (jekyll_site / "_posts/2020-01-01-cle.md").symlink_to(secret)
    (jekyll_site / "_posts/2020-01-02-sans-en-tete.md").write_text("Pas d'en-tête : Jekyll n'en fait pas un article.\n")
    (jekyll_site / "_posts/2020-01-03-image.md").write_text("---\ntitle: Image\n---\n![x](/assets/lien.png)\n")
    (jekyll_site / "assets").mkdir()
    (jekyll_site / "assets/lien.png").symlink_to(secret)
    result = read_jekyll(jekyll_site)
    assert ("_posts/2020-01-01-cle.md:1", "import-file-outside") in result.skipped
    assert ("_posts/2020-01-02-sans-en-tete.md:1", "import-front-matter-missing") in result.skipped
    assert [i.title for i in result.items] == ["Image"] and result.items[0].media == []
    hugo_site = tmp_path / "hugo"
    (hugo_site / "content/posts/x").mkdir(parents=True)
    (hugo_site / "content/posts/x/index.md").write_text("---\ntitle: X\ndate: 2020-01-01\n---\nTexte.\n")
    (hugo_site / "content/posts/x/cle.txt").symlink_to(secret)
    (hugo_site / "content/posts/x/photo.jpg").write_bytes(b"\xff\xd8\xff")
    [item] = read_hugo(hugo_site).items
    assert [m.target for m in item.media] == ["photo.jpg"]


def test_a_date_with_an_offset_keeps_the_old_sites_day_and_builds(tmp_path):
    """00:30 in Paris is the previous day in UTC: the post keeps the day of its old URL, and the
    writer and the build agree on its address (no alias onto the article itself)."""
    source = tmp_path / "old"
    (source / "_posts").mkdir(parents=True)
    (source / "_config.yml").write_text("timezone: Europe/Paris\npermalink: /:year/:month/:day/:title/\n")
    (source / "_posts/2021-03-15-minuit.md").write_text("---\ntitle: Minuit\ndate: 2021-03-15 00:30:00 +0100\n---\nTexte.\n")
    (source / "_posts/2021-03-16-utc.md").write_text("---\ntitle: UTC\ndate: 2021-03-16T23:30:00Z\n---\nTexte.\n")
    report = write_import(read_jekyll(source), tmp_path / "site", dry_run=False, source_kind="jekyll")
    built = build_site(tmp_path / "site", tmp_path / "out", BuildOptions(now=NOW), use_cache=False, workers=1)
    assert sorted(a.url for a in built.site.posts) == sorted(i["url"] for i in report.items) == \
        ["/2021/03/15/minuit/", "/2021/03/17/utc/"]  # Jekyll reads dates in its timezone (localtime):
    assert report.redirects == []                    # 23:30 UTC was already /2021/03/17/ there


def test_the_addresses_do_not_depend_on_the_machines_timezone(tmp_path, monkeypatch):
    import time
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    try:
        source = tmp_path / "old"
        (source / "_posts").mkdir(parents=True)
        (source / "_config.yml").write_text("permalink: pretty\n")
        (source / "_posts/2021-03-15-minuit.md").write_text("---\ntitle: Minuit\n---\nTexte.\n")
        report = write_import(read_jekyll(source), tmp_path / "site", dry_run=True, source_kind="jekyll")
        assert [i["url"] for i in report.items] == ["/2021/03/15/minuit/"]
    finally:
        monkeypatch.undo()
        time.tzset()
