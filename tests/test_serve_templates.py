"""The preview's overlay, editorial panel and client, rendered from contentkit/serve/templates/.

What an author sees in `contentkit serve`: the overlay lists each problem's file, line, message and
hint as text (never as markup), the panel speaks the site's language, and the templates ship with the
package. Pages are fetched from a real PreviewServer and parsed with lxml.
"""
from __future__ import annotations

import fnmatch
import http.client
import json
import re
import tomllib
from importlib import resources
from pathlib import Path

import lxml.html
import pytest

from contentkit.errors import Problem
from contentkit.serve import PreviewServer, inject
from contentkit.serve.server import Reporter

from .conftest import REPO, write_site

TEMPLATES = ("snippet.html", "overlay.html", "panel.html", "editorial.html", "error_page.html",
             "preview.css", "preview.js")
NASTY = "</script><script>alert(1)</script> & <b>gras</b>"


class Quiet(Reporter):
    def info(self, text: str) -> None:
        pass


def _post(title: str, body: str, **front: str) -> str:
    meta = {"title": f'"{title}"', "date": "2024-03-02 09:00", "tags": "[data]",
            "summary": '"Un résumé court."', **front}
    return "---\n" + "".join(f"{k}: {v}\n" for k, v in meta.items()) + "---\n\n" + body


LONG = " ".join(["Les équipes de sécurité passent trop de temps sur des alertes sans intérêt."] * 120)


def _get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """One French and one English site, each in a running preview server: {lang: (server, root)}."""
    servers = {}
    try:
        for lang in ("fr", "en"):
            root = write_site(tmp_path_factory.mktemp(f"site-{lang}"), {
                "content/posts/2024/long.md": _post("Un long article", LONG + "\n\n## Suite\n\n" + LONG + "\n",
                                                    slug="long"),
                "content/posts/2024/court.md": _post("Court <b>&</b>", "Trois mots seulement.\n", slug="court"),
            }, config=f'title: "Carnet"\nbase_url: "https://blog.example.com/"\nlanguage: {lang}\n'
                      "timezone: Europe/Paris\n")
            srv = PreviewServer(root, port=0, reporter=Quiet(), workers=1)
            srv.start()
            servers[lang] = (srv, root)
        yield servers
    finally:
        for srv, _root in servers.values():
            srv.stop()


def _panel(served, lang: str, path: str):
    srv, _root = served[lang]
    status, body = _get(srv.port, path)
    assert status == 200
    return lxml.html.fromstring(body).get_element_by_id("ck-panel")


# ------------------------------------------------------------------------------------------------
# The overlay
# ------------------------------------------------------------------------------------------------

def _overlay_items(snippet: str):
    doc = lxml.html.fragment_fromstring(snippet, create_parent="div")
    overlay = doc.get_element_by_id("ck-overlay")
    return overlay, overlay.xpath('.//ol/li')


def test_overlay_lists_file_line_message_and_hint_as_text():
    problems = [Problem("content/posts/x.md", NASTY, "fermez <i>la</i> balise", 7),
                Problem("contentkit.yml", "title: [unclosed", None, None)]
    snippet = inject.client_snippet(3, "fr", failed_problems=problems)
    overlay, items = _overlay_items(snippet)
    assert overlay.get("role") == "alertdialog"
    assert overlay.get_element_by_id("ck-overlay-title").text_content() == "La construction a échoué"
    assert len(items) == 2
    first, second = items
    assert first.find_class("ck-loc")[0].text_content() == "content/posts/x.md:7"
    assert first.find_class("ck-msg")[0].text_content() == NASTY  # the message stays text
    assert first.find_class("ck-hint")[0].text_content() == "→ fermez <i>la</i> balise"
    assert second.find_class("ck-loc")[0].text_content() == "contentkit.yml"  # no line: no ":"
    assert not second.find_class("ck-hint")
    # No markup from a message became an element: the one script is the preview client.
    doc = lxml.html.fragment_fromstring(snippet, create_parent="div")
    assert [s.get("id") for s in doc.iter("script")] == ["ck-client"]
    assert not doc.xpath("//b") and not doc.xpath("//i")
    assert overlay.xpath(".//button")[0].text_content() == "Masquer"


def test_overlay_is_english_for_an_english_site():
    overlay, items = _overlay_items(inject.client_snippet(1, "en", failed_problems=[Problem("a.md", "boom")]))
    assert overlay.get_element_by_id("ck-overlay-title").text_content() == "The build failed"
    assert overlay.xpath(".//button")[0].text_content() == "Hide"
    assert items[0].find_class("ck-msg")[0].text_content() == "boom"


def test_no_overlay_when_the_build_is_fine():
    doc = lxml.html.fragment_fromstring(inject.client_snippet(1, "fr"), create_parent="div")
    assert not doc.xpath('//*[@id="ck-overlay"]')
    assert doc.get_element_by_id("ck-style").text.strip().startswith("#ck-overlay{")


def test_error_page_shows_the_overlay_in_the_site_language():
    page = lxml.html.fromstring(inject.error_page([Problem("contentkit.yml", NASTY, "", 1)], 0, "fr"))
    assert page.get("lang") == "fr"
    assert page.findtext(".//title") == "Erreur de construction · contentkit"
    assert page.get_element_by_id("ck-overlay").find_class("ck-msg")[0].text_content() == NASTY
    assert page.get_element_by_id("ck-client") is not None


def test_served_page_of_a_failing_build_shows_the_overlay(tmp_path):
    root = write_site(tmp_path / "site", {"content/posts/a.md": _post("A", "Texte.\n", slug="a")})
    srv = PreviewServer(root, port=0, reporter=Quiet(), workers=1)
    srv.start()
    try:
        (root / "content/posts/a.md").write_text('---\ntitle: "pas fermé\n---\nTexte.\n', encoding="utf-8")
        srv.rebuild({root / "content/posts/a.md"})
        status, body = _get(srv.port, "/2024/a/")
        assert status == 200
        overlay = lxml.html.fromstring(body).get_element_by_id("ck-overlay")
        loc = overlay.find_class("ck-loc")[0].text_content()
        assert re.fullmatch(r"content/posts/a\.md:\d+", loc), loc
        assert overlay.find_class("ck-msg")[0].text_content().strip()
    finally:
        srv.stop()


# ------------------------------------------------------------------------------------------------
# The client script
# ------------------------------------------------------------------------------------------------

def test_wording_in_the_script_cannot_close_it(monkeypatch):
    evil = {"failed_title": "</script><script>alert(1)</script>", "failed_note": "a\u2028b\u2029c & <!--",
            "hide": "</SCRIPT >"}
    monkeypatch.setattr(inject, "strings", lambda lang: evil)
    snippet = inject.client_snippet(5, "fr", error_page=True)
    assert snippet.lower().count("</script") == 1
    script = lxml.html.fragment_fromstring(snippet, create_parent="div").get_element_by_id("ck-client").text
    config = json.loads(re.search(r"var C=(\{.*?\});if\(window", script).group(1))
    assert config == {"build": 5, "events": inject.EVENTS_PATH, "errorPage": True, "failed": False, "s": evil}
    assert "EventSource" in script and "{{" not in script


def test_the_preview_loads_nothing_from_outside():
    snippet = inject.client_snippet(1, "fr", failed_problems=[Problem("a.md", "m", "h", 1)],
                                    panel=inject.panel_html("<p>x</p>", "fr"))
    doc = lxml.html.fragment_fromstring(snippet, create_parent="div")
    assert not doc.xpath("//@src | //@href | //link | //iframe | //img")
    css = doc.get_element_by_id("ck-style").text
    assert "url(" not in css and "@import" not in css


# ------------------------------------------------------------------------------------------------
# The editorial panel
# ------------------------------------------------------------------------------------------------

def test_panel_is_french_for_a_french_site(served):
    panel = _panel(served, "fr", "/2024/long/")
    assert panel.tag == "aside" and panel.get("lang") == "fr" and panel.get("aria-label") == "Analyse éditoriale"
    summary = panel.find(".//details/summary")
    assert summary.get("title") == "Afficher ou masquer l’analyse éditoriale"
    assert re.fullmatch(r"Analyse éditoriale · \d+\u202f\d{3} mots", summary.text_content()), summary.text_content()
    assert [h.text_content() for h in panel.iter("h3")] == ["Repères", "Conseils", "Mesures"]
    rows = {tr.findtext("th"): tr.findtext("td") for tr in panel.iter("tr")}
    assert "Lisibilité (Flesch, Kandel-Moles)" in rows and "," in rows["Lisibilité (Flesch, Kandel-Moles)"]
    assert rows["Lecture"].endswith(" min") and rows["Longueur du titre"] == "15 caractères"
    checks = panel.xpath(".//h3[.='Repères']/following-sibling::ul[1]/li")
    assert len(checks) == 4 and all(li.get("class") in ("ck-good", "ck-warn") for li in checks)
    assert checks[0].find_class("ck-sr")[0].text_content() in (" (conforme)", " (à revoir)")


def test_panel_is_english_for_an_english_site(served):
    panel = _panel(served, "en", "/2024/long/")
    assert panel.get("lang") == "en" and panel.get("aria-label") == "Editorial feedback"
    summary = panel.find(".//summary").text_content()
    assert re.fullmatch(r"Editorial feedback · \d+,\d{3} words", summary), summary  # 1,441 as in the table
    assert [h.text_content() for h in panel.iter("h3")] == ["Conventions", "Hints", "Measures"]
    rows = {tr.findtext("th"): tr.findtext("td") for tr in panel.iter("tr")}
    assert "Flesch reading ease" in rows and "." in rows["Flesch reading ease"]
    assert re.fullmatch(r"\d+,\d{3}", rows["Words"]) and rows["Title length"] == "15 characters"


@pytest.mark.parametrize("lang, reason, ok", [("fr", "Lisibilité : trop court pour un score", "Rien à signaler."),
                                              ("en", "Readability: too short to score", "Nothing to report.")])
def test_short_article_panel_says_why_there_is_no_score(served, lang, reason, ok):
    panel = _panel(served, lang, "/2024/court/")
    body = panel.find_class("ck-panel-body")[0]
    assert body[0].tag == "p" and body[0].text_content() == reason
    hints = body.xpath("./h3[2]/following-sibling::ul[1]/li")
    assert [li.text_content() for li in hints] == [ok] and hints[0].get("class") == "ck-good"
    # the title "Court <b>&</b>" is counted, and shown nowhere as markup
    assert not panel.xpath(".//b")


def test_panel_frame_escapes_what_a_panel_hook_gives_as_text():
    html = inject.panel_html("<p>Score maison</p>", "fr", summary="<b>42</b> & plus")
    panel = lxml.html.fragment_fromstring(html)
    assert panel.find(".//summary").text_content() == "Analyse éditoriale · <b>42</b> & plus"
    assert panel.find_class("ck-panel-body")[0].text_content() == "Score maison"  # the body is markup
    empty = lxml.html.fragment_fromstring(inject.panel_html("", "en"))
    assert empty.find_class("ck-panel-body")[0].text_content() == "No measures available."
    failed = lxml.html.fragment_fromstring(inject.failed_panel_html(ValueError("<img src=x onerror=alert(1)>"), "fr"))
    assert failed.find_class("ck-panel-body")[0].text_content() == "ValueError: <img src=x onerror=alert(1)>"
    assert not failed.xpath(".//img")


def test_a_failing_panel_hook_shows_its_error_in_the_panel(tmp_path):
    root = write_site(tmp_path / "site", {"content/posts/a.md": _post("A", "Texte.\n", slug="a")})

    def broken(article):
        raise RuntimeError("<oops>")

    srv = PreviewServer(root, port=0, reporter=Quiet(), workers=1, panel_for=broken)
    srv.start()
    try:
        status, body = _get(srv.port, "/2024/a/")
        assert status == 200
        panel = lxml.html.fromstring(body).get_element_by_id("ck-panel")
        assert panel.find_class("ck-panel-body")[0].text_content() == "RuntimeError: <oops>"
    finally:
        srv.stop()


# ------------------------------------------------------------------------------------------------
# Templates are package data
# ------------------------------------------------------------------------------------------------

def test_the_templates_are_package_files_matched_by_package_data():
    folder = resources.files("contentkit.serve") / "templates"
    for name in TEMPLATES:
        assert (folder / name).is_file(), name
    globs = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"]["contentkit"]
    shipped = sorted(p.name for p in (REPO / "contentkit" / "serve" / "templates").iterdir() if p.is_file())
    assert shipped == sorted(TEMPLATES)
    for name in shipped:
        rel = f"serve/templates/{name}"
        assert any(fnmatch.fnmatch(rel, g) for g in globs), f"{rel} is not package data"


def test_the_environment_escapes_and_reads_the_package():
    env = inject._ENV
    assert env.autoescape is True
    assert type(env.loader).__name__ == "PackageLoader"
    assert Path(env.get_template("overlay.html").filename).parent == Path(inject.__file__).parent / "templates"
