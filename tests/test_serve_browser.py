"""End to end: `contentkit serve` in a subprocess, a real headless Chromium, files edited on disk.

The test never reloads the page itself: every change it sees comes from the preview's own
Server-Sent Events client. All waits are conditions with generous timeouts, never sleeps.
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")

WAIT_MS = 30_000
URL_RE = re.compile(r"(?:Preview|Prévisualisation) ?: (http://127\.0\.0\.1:\d+/)")  # English / French site

REPO = Path(__file__).resolve().parent.parent


COMMON = {"authors": ["ines"], "tags": ["cybersécurité", "cloud"], "category": "Sécurité"}
SUMMARY = "Un article de test pour l’aperçu en direct."
ALERTES = {"title": "Réduire le bruit des alertes", "date": "2024-05-02 10:00", "slug": "alertes", **COMMON,
           "status": "published", "summary": SUMMARY}
SAUVEGARDES = {"title": "Des sauvegardes vraiment testées", "date": "2024-05-03 10:00", "slug": "sauvegardes",
               **COMMON, "status": "published", "summary": SUMMARY}
BODY = ("Les équipes de sécurité passent trop de temps sur des alertes sans intérêt. "
        "Voici comment nous avons réduit le bruit de moitié chez un client industriel.\n\n"
        "## Trier avant d’agir\n\nLe premier chantier consiste à classer les alertes par criticité réelle.\n")


@pytest.fixture
def served_site(make_site):
    site = make_site()
    site.author("ines", "Inès Ferreira", job_title="Consultante cybersécurité")
    site.post("2024/alertes", **ALERTES, body=BODY)
    site.post("2024/sauvegardes", **SAUVEGARDES, body="Une sauvegarde non testée n’est pas une sauvegarde.\n")
    site.post("2024/brouillon", "Un brouillon", "2024-05-04 10:00", slug="brouillon", **COMMON, status="writing",
              summary=SUMMARY, body="Pas encore prêt.\n")
    site.write("static/theme/style.css", "body { background-color: rgb(255, 255, 255); }\n")
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "PYTHONUNBUFFERED": "1",
           "PYTHONPATH": str(REPO)}  # this working tree, whatever the installed copy points to
    proc = subprocess.Popen([sys.executable, "-m", "contentkit", "serve", "--root", str(site.root), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    lines: list[str] = []
    found = threading.Event()
    url: dict = {}

    def pump() -> None:  # keep reading so the pipe never fills up
        for line in proc.stdout:
            lines.append(line)
            m = URL_RE.search(line)
            if m and not found.is_set():
                url["base"] = m.group(1)
                found.set()

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    try:
        assert found.wait(120), "".join(lines)
        yield site, url["base"], lines
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        reader.join(10)
    output = "".join(lines)
    assert proc.returncode == 0, output
    assert "Traceback" not in output, output


@pytest.fixture
def page():
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"])
        try:
            context = browser.new_context()
            p = context.new_page()
            p.set_default_timeout(WAIT_MS)
            yield p
        finally:
            browser.close()


def wait_connected(page) -> None:
    """The preview client is running and its event stream is open."""
    page.wait_for_function("window.__contentkitPreview && document.readyState === 'complete'", timeout=WAIT_MS)


def test_edit_error_fix_cycle_in_a_real_browser(served_site, page):
    expect = sync_api.expect
    site, base, lines = served_site
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url) if frame == page.main_frame else None)

    page.goto(base + "2024/alertes/")
    wait_connected(page)
    body = page.locator(".post-body")
    expect(body).to_contain_text("réduit le bruit de moitié")
    expect(page.locator("#ck-panel")).to_be_visible()  # the editorial panel, preview only
    expect(page.locator("#ck-panel summary")).to_contain_text("Analyse éditoriale")

    # 1. Edit the Markdown on disk: the page updates by itself.
    site.post("2024/alertes", **ALERTES, body=BODY.replace("réduit le bruit de moitié", "divisé le bruit par trois"))
    expect(body).to_contain_text("divisé le bruit par trois", timeout=WAIT_MS)
    expect(body).not_to_contain_text("réduit le bruit de moitié")
    assert len(navigations) >= 2  # the preview client reloaded it; the test never did

    # 2. Broken front matter: the overlay names the file and the line, the server keeps running.
    wait_connected(page)
    site.write("content/posts/2024/alertes.md", '---\ntitle: "Réduire le bruit des alertes\ndate: 2024-05-02\n---\n\nTexte.\n')
    overlay = page.locator("#ck-overlay")
    expect(overlay).to_be_visible(timeout=WAIT_MS)
    expect(overlay.locator(".ck-loc").first).to_have_text(re.compile(r"content/posts/2024/alertes\.md:\d+"))
    expect(overlay.locator(".ck-msg").first).not_to_be_empty()
    expect(overlay.locator(".ck-hint").first).to_contain_text("→")
    expect(body).to_contain_text("divisé le bruit par trois")  # the last good page stays underneath

    # 3. Fix it: the overlay goes away and the new text shows, without the test doing anything.
    site.post("2024/alertes", **ALERTES,
              body=BODY.replace("réduit le bruit de moitié", "ramené le bruit à un niveau gérable"))
    expect(page.locator(".post-body")).to_contain_text("ramené le bruit à un niveau gérable", timeout=WAIT_MS)
    expect(page.locator("#ck-overlay")).to_be_hidden(timeout=WAIT_MS)

    output = "".join(lines)
    assert re.search(r"content/posts/2024/alertes\.md : reconstruit en \d+ ms, \d+ fichiers? écrits?", output), output
    assert output.count("alertes.md:") >= 1


def test_css_change_is_swapped_without_reload(served_site, page):
    site, base, _lines = served_site
    page.goto(base + "2024/sauvegardes/")
    wait_connected(page)
    page.evaluate("window.__notReloaded = true")
    page.wait_for_function("getComputedStyle(document.body).backgroundColor === 'rgb(255, 255, 255)'")
    site.write("static/theme/style.css", "body { background-color: rgb(1, 2, 3); }\n")
    page.wait_for_function("getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'", timeout=WAIT_MS)
    assert page.evaluate("window.__notReloaded === true")


def test_drafts_show_their_banner_and_404_pages_come_alive(served_site, page):
    site, base, _lines = served_site
    page.goto(base + "2024/brouillon/")
    sync_api.expect(page.locator(".preview-banner")).to_be_visible()
    # A page that does not exist yet appears by itself once its file is written.
    page.goto(base + "2024/nouveau/")
    wait_connected(page)
    site.post("2024/nouveau", "Un tout nouvel article", "2024-05-05 10:00", slug="nouveau", **COMMON,
              status="published", summary=SUMMARY, body="Tout juste écrit.\n")
    sync_api.expect(page.locator("h1")).to_have_text("Un tout nouvel article", timeout=WAIT_MS)


def test_hidden_tabs_release_their_event_stream(served_site, page):
    """Browsers allow ~6 connections per host: a hidden tab must not hold one."""
    site, base, _lines = served_site

    def clients() -> int:
        with urllib.request.urlopen(base + "__contentkit/status", timeout=30) as r:
            return json.load(r)["clients"]

    page.goto(base + "2024/sauvegardes/")
    wait_connected(page)
    page.wait_for_function("fetch('/__contentkit/status').then(r => r.json()).then(s => s.clients >= 1)")
    before = clients()
    page.evaluate("""() => { Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});
                             document.dispatchEvent(new Event('visibilitychange')); }""")
    page.wait_for_function(f"fetch('/__contentkit/status').then(r => r.json()).then(s => s.clients < {before})")
    # Meanwhile the post changes; shown again, the tab catches up by itself.
    site.post("2024/sauvegardes", **SAUVEGARDES, body="Testez la restauration, pas la sauvegarde.\n")
    page.wait_for_function("fetch('/__contentkit/status').then(r => r.json()).then(s => s.build >= 2)")
    page.evaluate("""() => { Object.defineProperty(document, 'visibilityState', {value: 'visible', configurable: true});
                             document.dispatchEvent(new Event('visibilitychange')); }""")
    sync_api.expect(page.locator(".post-body")).to_contain_text("Testez la restauration", timeout=WAIT_MS)
