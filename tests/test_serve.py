"""`contentkit serve`: rebuilds, events, path safety, injection, terminal output, lifecycle.

Most tests run a `PreviewServer` in-process on a free port and talk to it over raw sockets (so no
client normalises `..` away) and a tiny Server-Sent Events client. The command-line behaviour
(port in use, Ctrl-C) runs the real command in a subprocess.
"""
from __future__ import annotations

import http.client
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import lxml.html
import pytest

from contentkit.errors import Problem
from contentkit.serve import inject
from contentkit.serve.server import PreviewServer, Reporter, resolve_request
from contentkit.serve.watcher import Watcher, is_relevant, is_temp_name

TIMEOUT = 30  # generous: CI machines are slow; every wait ends as soon as its condition holds

SECRET = "TOP-SECRET-8c1f0e"

REPO = Path(__file__).resolve().parent.parent


def front(i: int, **changes) -> dict:
    """Front matter of content/posts/2024/post-<i>.md."""
    return {"title": f"Article numéro {i}", "slug": f"post-{i}", "date": f"2024-03-{i + 1:02d} 09:00",
            "authors": ["claire"], "tags": ["data", "cloud"], "category": "Data",
            "summary": f"Un résumé court pour l’article {i}.", **changes}


def body(i: int) -> str:
    return (f"Premier paragraphe de l’article {i}, écrit pour le test.\n\n"
            "## Une section\n\nUn second paragraphe, avec un peu plus de texte.\n")


def serve_site(make_site, n: int = 3):
    """n posts, a draft, an author, a stylesheet, and a secret file beside the sources."""
    site = make_site()
    site.author("claire", "Claire Morvan", job_title="Consultante data")
    site.write("static/theme/style.css", "body { color: rgb(10, 20, 30); }\n")
    site.write("secret.txt", SECRET + "\n")
    for i in range(n):
        site.post(f"2024/post-{i}", **front(i), body=body(i))
    site.post("2024/brouillon", **front(7, status="writing", slug="brouillon", title="Un brouillon en cours"),
              body=body(7))
    return site


class ListReporter(Reporter):
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.lock = threading.Lock()

    def info(self, text: str) -> None:
        with self.lock:
            self.lines.append(text)

    def wait_for(self, pattern: str, timeout: float = 10) -> bool:
        """Whether a line matching `pattern` is printed within `timeout` (the server tells the
        tabs first, then the terminal)."""
        deadline = time.monotonic() + timeout
        while not re.search(pattern, self.text()):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    def problems(self, problems: list[Problem]) -> None:
        for p in problems:
            self.info("PROBLEM " + str(p))

    def text(self) -> str:
        with self.lock:
            return "\n".join(self.lines)


class SSE:
    """A minimal EventSource over a raw socket; events land in a queue as (name, data)."""

    def __init__(self, port: int):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT * 4)
        self.sock.sendall(b"GET /__contentkit/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          b"Accept: text/event-stream\r\n\r\n")
        self.events: queue.Queue = queue.Queue()
        self.seen: list[tuple[str, dict]] = []
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        try:
            f = self.sock.makefile("rb")
            while f.readline() not in (b"\r\n", b"\n", b""):
                pass
            name, data = "message", []
            for raw in f:
                line = raw.decode("utf-8").rstrip("\r\n")
                if not line:
                    if data:
                        self.events.put((name, json.loads("\n".join(data))))
                    name, data = "message", []
                elif line.startswith("event:"):
                    name = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].strip())
        except OSError:
            pass

    def next(self, timeout: float = TIMEOUT) -> tuple[str, dict]:
        item = self.events.get(timeout=timeout)
        self.seen.append(item)
        return item

    def wait_for(self, *names: str, timeout: float = TIMEOUT) -> tuple[str, dict]:
        deadline = time.monotonic() + timeout
        while True:
            name, data = self.next(max(0.01, deadline - time.monotonic()))
            if name in names:
                return name, data

    def close(self) -> None:
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


def raw_get(port: int, target: str, host: str = "127.0.0.1") -> tuple[int, dict, bytes]:
    """Send the request line exactly as given (no normalisation), return status, headers, body."""
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as s:
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode("latin-1"))
        chunks = []
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    data = b"".join(chunks)
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, v in (l.split(":", 1) for l in lines[1:] if ":" in l)}
    return status, headers, body


def get(port: int, path: str) -> tuple[int, str]:
    status, _headers, body = raw_get(port, path)
    return status, body.decode("utf-8", "replace")


@pytest.fixture
def preview(make_site):
    servers: list[PreviewServer] = []
    clients: list[SSE] = []

    def start(**kwargs):
        site = serve_site(make_site)
        reporter = ListReporter()
        srv = PreviewServer(site.root, port=0, reporter=reporter, workers=1, **kwargs)
        srv.start()
        servers.append(srv)
        sse = SSE(srv.port)
        clients.append(sse)
        name, hello = sse.next()
        assert name == "hello", (name, hello)
        return srv, site, sse, reporter

    yield start
    for c in clients:
        c.close()
    for s in servers:
        s.stop()


def test_an_english_site_gets_an_english_preview_terminal(make_site):
    site = serve_site(make_site, n=2)
    site.config(language="en")
    reporter = ListReporter()
    srv = PreviewServer(site.root, port=0, reporter=reporter, workers=1)
    srv.start()
    try:
        sse = SSE(srv.port)
        assert sse.next()[0] == "hello"
        # the preview shows drafts: two posts and the draft
        assert re.search(r"✓ first build: 3 posts \(1 draft or future\), 0 pages in \d+ ms, \d+ files written",
                         reporter.text()), reporter.text()
        site.post("2024/post-0", **front(0), body=body(0) + "\nOne more sentence.\n")
        sse.wait_for("reload")
        assert reporter.wait_for(r"content/posts/2024/post-0\.md: rebuilt in \d+ ms, \d+ files? written, "
                                 r"0 removed \(reload\)"), reporter.text()
        assert "construction" not in reporter.text()
    finally:
        srv.stop()


# ------------------------------------------------------------------------------------------------
# Building, drafts, separate output
# ------------------------------------------------------------------------------------------------

def test_preview_builds_drafts_into_a_separate_folder(preview):
    srv, site, sse, reporter = preview()
    assert srv.output_dir == (site.root / ".contentkit-cache" / "preview").resolve()
    assert not (site.root / "site").exists(), "the preview must never write into site/"
    status, html = get(srv.port, "/2024/brouillon/")
    assert status == 200
    assert "Un brouillon en cours" in html and "preview-banner" in html
    assert srv.url in srv.status()["url"]
    # the site is French (the default language): so is the terminal
    assert re.search(r"première construction : \d+ articles .* en \d+ ms, \d+ fichiers écrits", reporter.text())
    assert f"http://127.0.0.1:{srv.port}/" in (srv.output_dir / "sitemap.xml").read_text()


def test_edit_rebuilds_only_what_changed_and_reloads_affected_paths(preview):
    srv, site, sse, reporter = preview()
    site.post("2024/post-1", **front(1), body="Un texte entièrement nouveau.\n")
    name, data = sse.wait_for("reload", "failed")
    assert name == "reload"
    assert "2024/post-1/index.html" in data["paths"]
    assert "2024/post-0/index.html" not in data["paths"]  # unaffected article: not re-rendered
    assert data["build"] == srv.generation
    status, html = get(srv.port, "/2024/post-1/")
    assert "Un texte entièrement nouveau." in html
    assert reporter.wait_for(r"content/posts/2024/post-1\.md : reconstruit en \d+ ms, \d+ fichiers? écrits?")


def test_new_post_appears_and_deleted_post_is_removed(preview):
    srv, site, sse, _ = preview()
    assert get(srv.port, "/2024/post-9/")[0] == 404
    site.post("2024/post-9", **front(9), body=body(9))
    name, data = sse.wait_for("reload", "failed")
    assert "2024/post-9/index.html" in data["paths"]
    assert get(srv.port, "/2024/post-9/")[0] == 200
    (site.root / "content/posts/2024/post-9.md").unlink()
    name, data = sse.wait_for("reload", "failed")
    assert "2024/post-9/index.html" in data["paths"]
    assert get(srv.port, "/2024/post-9/")[0] == 404


def test_css_only_change_swaps_stylesheet_without_reload(preview):
    srv, site, sse, _ = preview()
    site.write("static/theme/style.css", "body { color: rgb(200, 0, 0); }\n")
    name, data = sse.wait_for("reload", "css", "failed", "ok")
    assert name == "css", (name, data)
    assert data["paths"] == ["theme/style.css"]
    status, headers, body = raw_get(srv.port, "/theme/style.css")
    assert status == 200 and b"rgb(200, 0, 0)" in body and headers["content-type"].startswith("text/css")
    assert b"ck-client" not in body
    with pytest.raises(queue.Empty):  # and no reload follows
        sse.wait_for("reload", timeout=0.5)


def test_burst_of_editor_events_gives_one_rebuild(preview):
    # The product debounce is 50 ms; a loaded CI machine can pause this test thread for longer than
    # that in the middle of the burst, so the window is widened here. The mechanism is the same.
    srv, site, sse, _ = preview(debounce=0.4)
    before = srv.status()["builds"]
    target = site.root / "content/posts/2024/post-2.md"
    folder = target.parent
    versions = [site.document(front(2), f"Version {n} du texte.\n") for n in range(5)]
    final = site.document(front(2), "Version finale du texte.\n")
    backup = target.read_bytes()
    # vim: probe file, swap file, backup, writes; then an atomic rename save (most editors).
    (folder / "4913").write_text("")
    (folder / "4913").unlink()
    (folder / ".post-2.md.swp").write_bytes(b"\0" * 64)
    (folder / "post-2.md~").write_bytes(backup)
    for text in versions:
        target.write_text(text, encoding="utf-8")
    tmp = folder / ".post-2.md.tmp-1234"
    tmp.write_text(final, encoding="utf-8")
    os.replace(tmp, target)
    (folder / ".post-2.md.swp").unlink()
    name, data = sse.wait_for("reload", "failed")
    assert name == "reload"
    # Anything else would arrive within the debounce window plus a build: give it ample time.
    with pytest.raises(queue.Empty):
        sse.wait_for("reload", "failed", "ok", "css", timeout=2.0)
    assert srv.status()["builds"] == before + 1
    assert "Version finale du texte." in get(srv.port, "/2024/post-2/")[1]


def test_debounce_timing_unit(tmp_path):
    """The watcher calls back once per burst, after `debounce` seconds of quiet."""
    calls: list[tuple[float, set]] = []
    w = Watcher(tmp_path, lambda changed: calls.append((time.monotonic(), changed)), debounce=0.075)
    w.start()
    try:
        t0 = time.monotonic()
        for i in range(20):
            w.notify(tmp_path / f"f{i % 3}.md")
        deadline = time.monotonic() + TIMEOUT
        while not calls and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.3)
        assert len(calls) == 1
        assert calls[0][1] == {tmp_path / "f0.md", tmp_path / "f1.md", tmp_path / "f2.md"}
        assert calls[0][0] - t0 >= 0.07
    finally:
        w.stop()


def test_temp_files_alone_trigger_nothing(preview):
    srv, site, sse, _ = preview()
    before = srv.status()["builds"]
    folder = site.root / "content/posts/2024"
    for name in (".post-0.md.swp", "post-0.md~", "#post-0.md#", ".#post-0.md", "4913", "post-0.md.tmp",
                 "post-0.md___jb_tmp___"):
        (folder / name).write_text("x")
    with pytest.raises(queue.Empty):
        sse.wait_for("reload", "failed", "ok", "css", timeout=1.0)
    assert srv.status()["builds"] == before


def test_watcher_name_filter():
    for name in (".x.md.swp", "x.md~", "4913", "#x.md#", ".#x.md", "x.md.tmp", "x.md___jb_old___",
                 ".goutputstream-ABC123", ".DS_Store", "x.md.swx"):
        assert is_temp_name(name), name
    for name in ("x.md", "index.md", "style.css", "contentkit.yml", "2024-01-02-post.md"):
        assert not is_temp_name(name), name
    assert not is_temp_name("2024", is_dir=True)
    assert not is_relevant("/site/.git/objects/ab", Path("/site"))
    assert is_relevant("/site/content/posts/2024/x.md", Path("/site"))


# ------------------------------------------------------------------------------------------------
# Errors: overlay, recovery, terminal shows each error once
# ------------------------------------------------------------------------------------------------

def test_content_error_shows_overlay_then_recovers(preview):
    srv, site, sse, reporter = preview()
    target = "content/posts/2024/post-0.md"
    good = site.read(target)
    site.write(target, '---\ntitle: "Titre sans fin\ndate: 2024-03-01\n---\n\nTexte.\n')
    name, data = sse.wait_for("failed", "reload")
    assert name == "failed"
    problem = data["problems"][0]
    assert problem["file"] == "content/posts/2024/post-0.md" and problem["line"] and problem["message"]
    # The server still serves, with the overlay rendered in the page.
    status, html = get(srv.port, "/2024/post-1/")
    assert status == 200
    doc = lxml.html.fromstring(html)
    overlay = doc.get_element_by_id("ck-overlay")
    assert "content/posts/2024/post-0.md:" in overlay.text_content()
    # The same failure again: not printed twice.
    site.write(target, '---\ntitle: "Titre sans fin\ndate: 2024-03-01\n---\n\nTexte modifié.\n')
    sse.wait_for("failed")
    assert reporter.text().count("PROBLEM content/posts/2024/post-0.md") == 1
    site.write(target, good.replace("Premier paragraphe", "Paragraphe réparé"))
    name, data = sse.wait_for("reload", "ok", "failed")
    assert name == "reload" and "2024/post-0/index.html" in data["paths"]
    assert "Paragraphe réparé" in get(srv.port, "/2024/post-0/")[1]
    assert not lxml.html.fromstring(get(srv.port, "/2024/post-1/")[1]).xpath('//*[@id="ck-overlay"]')
    assert "✓ corrigé — content/posts/2024/post-0.md" in reporter.text()  # French site: French terminal


def test_server_survives_a_template_error(preview):
    srv, site, sse, _ = preview()
    site.write("templates/article.html", '{% extends "base.html" %}\n{% block content %}\n'
                                         '<h1>{{ article.title }</h1>\n{% endblock %}\n')
    name, data = sse.wait_for("failed", "reload")
    assert name == "failed"
    problem = data["problems"][0]
    assert problem["file"].endswith("templates/article.html") and problem["line"] == 3
    status, html = get(srv.port, "/2024/post-0/")
    assert status == 200 and 'id="ck-overlay"' in html  # previous page still served, with the overlay
    site.write("templates/article.html", '{% extends "base.html" %}\n{% block content %}\n'
                                         '<h1 class="custom">{{ article.title }}</h1>\n{% endblock %}\n')
    sse.wait_for("reload")
    assert 'class="custom"' in get(srv.port, "/2024/post-0/")[1]
    assert srv.status()["failed"] is False


def test_first_build_failing_serves_error_page_then_site(make_site):
    site = serve_site(make_site)
    site.config("title: [unclosed\n")
    srv = PreviewServer(site.root, port=0, reporter=ListReporter(), workers=1)
    srv.start()
    sse = SSE(srv.port)
    try:
        name, hello = sse.next()
        assert hello["failed"] and hello["problems"][0]["file"] == "contentkit.yml"
        status, html = get(srv.port, "/")
        assert status == 500 and "contentkit.yml" in html and "ck-client" in html
        site.config('title: "Réparé"\nlanguage: fr\n')
        name, data = sse.wait_for("reload", "failed")
        assert name == "reload"
        status, html = get(srv.port, "/")
        assert status == 200 and "Réparé" in html
    finally:
        sse.close()
        srv.stop()


# ------------------------------------------------------------------------------------------------
# Serving: path safety, listings, headers
# ------------------------------------------------------------------------------------------------

TRAVERSALS = [
    "/../secret.txt", "/../../secret.txt", "/2024/../../../secret.txt", "/%2e%2e/%2e%2e/secret.txt",
    "/%2E%2E/%2E%2E/secret.txt", "/..%2f..%2fsecret.txt", "/%2e%2e%2f%2e%2e%2fsecret.txt",
    "/..\\..\\secret.txt", "/%5c..%5c..%5csecret.txt", "/..%5c..%5csecret.txt", "//etc/passwd",
    "/%2fetc%2fpasswd", "/.%2e/.%2e/secret.txt", "/%252e%252e/%252e%252e/secret.txt",
    "/../../content/posts/2024/post-0.md", "/./../secret.txt", "/secret.txt%00.html",
    "http://127.0.0.1/../../secret.txt", "/C:/Windows/win.ini", "/etc/passwd", "/..", "/%c0%ae%c0%ae/secret.txt",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_path_traversal_is_refused(preview, target):
    srv, site, _sse, _ = preview()
    assert b"authors: [claire]" in (site.root / "content/posts/2024/post-0.md").read_bytes()  # what a leak shows
    status, _headers, body = raw_get(srv.port, target)
    assert status in (400, 403, 404), (target, status)
    assert SECRET.encode() not in body and b"root:x:0:0" not in body and b"authors: [claire]" not in body


def test_resolve_request_unit(tmp_path):
    out = tmp_path / "out"
    (out / "a").mkdir(parents=True)
    (out / "a" / "index.html").write_text("x")
    (tmp_path / "secret.txt").write_text(SECRET)
    assert resolve_request(out, "/a/").kind == "file"
    assert resolve_request(out, "/a").kind == "redirect" and resolve_request(out, "/a?x=1").location == "/a/?x=1"
    for target in ("/../secret.txt", "/%2e%2e/secret.txt", "/a/..%2f..%2fsecret.txt", "/a\\..\\..\\secret.txt"):
        assert resolve_request(out, target).kind in ("bad", "notfound"), target
    (out / "link.txt").symlink_to(tmp_path / "secret.txt")
    (out / "linkdir").symlink_to(tmp_path)
    assert resolve_request(out, "/link.txt").kind == "notfound"
    assert resolve_request(out, "/linkdir/secret.txt").kind == "notfound"
    assert resolve_request(out, "/linkdir/").kind == "notfound"


def test_symlinks_pointing_outside_are_not_served(preview):
    srv, site, _sse, _ = preview()
    out = srv.output_dir
    (out / "leak.txt").symlink_to(site.root / "secret.txt")
    (out / "leakdir").symlink_to(site.root)
    (out / "2024" / "leak.html").symlink_to(site.root / "secret.txt")
    for target in ("/leak.txt", "/leakdir/secret.txt", "/leakdir/", "/2024/leak.html",
                   "/leakdir/content/posts/2024/post-0.md"):
        status, _h, body = raw_get(srv.port, target)
        assert status == 404, target
        assert SECRET.encode() not in body and b"authors: [claire]" not in body
    # A symlink staying inside the output folder is fine.
    (out / "alias.css").symlink_to(out / "theme" / "style.css")
    assert raw_get(srv.port, "/alias.css")[0] == 200


def test_no_directory_listing(preview):
    srv, _site, _sse, _ = preview()
    assert not (srv.output_dir / "theme" / "index.html").exists()
    for target in ("/theme/", "/theme", "/images/", "/.contentkit/", "/2024/"):
        status, _h, body = raw_get(srv.port, target)
        assert status == 404, target
        links = lxml.html.fromstring(body).xpath("//a/@href")
        assert not [h for h in links if h.endswith((".css", ".json", ".png", ".svg"))], (target, links)
        assert b"build.json" not in body and b"Directory listing" not in body and b"Index of" not in body
    status, headers, _ = raw_get(srv.port, "/2024/post-0")
    assert status == 301 and headers["location"] == "/2024/post-0/"


def test_foreign_host_header_is_refused(preview):
    srv, *_ = preview()
    assert raw_get(srv.port, "/", host="evil.example.com")[0] == 403
    assert raw_get(srv.port, "/", host=f"localhost:{srv.port}")[0] == 200


def test_binds_loopback_by_default(preview):
    srv, *_ = preview()
    assert srv.host == "127.0.0.1"
    assert srv._httpd.server_address[0] == "127.0.0.1"


def test_html_gets_client_and_panel_other_types_untouched(preview):
    srv, _site, _sse, _ = preview()
    status, headers, body = raw_get(srv.port, "/2024/post-0/")
    assert headers["content-type"] == "text/html; charset=utf-8" and headers["cache-control"] == "no-store"
    doc = lxml.html.fromstring(body)
    assert doc.get_element_by_id("ck-client") is not None
    panel = doc.get_element_by_id("ck-panel")
    assert panel.tag == "aside" and panel.get("aria-label")
    assert panel.find(".//details/summary") is not None
    text = panel.text_content()
    assert "Mots" in text and "Repères" in text and "Conseils" in text
    assert body.rindex(b"ck-client") < body.rindex(b"</body>")
    # The home page has the client but no article panel; feeds and CSS are untouched.
    home = lxml.html.fromstring(raw_get(srv.port, "/")[2])
    assert home.get_element_by_id("ck-client") is not None
    assert not home.xpath('//*[@id="ck-panel"]')
    for target in ("/atom.xml", "/theme/style.css", "/sitemap.xml"):
        assert b"ck-client" not in raw_get(srv.port, target)[2]
    # 404 pages listen too, so a page that appears later reloads by itself.
    status, _h, body = raw_get(srv.port, "/2024/pas-encore/")
    assert status == 404 and b"ck-client" in body


def test_panel_hook_is_pluggable(preview):
    seen = []

    def panel_for(article):
        seen.append(article.source)
        return inject.panel_html("<p>Score maison : 42</p>", article.lang)

    srv, *_ = preview(panel_for=panel_for)
    assert "Score maison : 42" in get(srv.port, "/2024/post-1/")[1]
    assert seen == ["content/posts/2024/post-1.md"]


def test_default_panel_uses_the_readability_module(preview):
    srv, *_ = preview()
    article = srv._documents["2024/post-0/index.html"]
    html = inject.default_panel_for(article)
    assert "Lisibilité" in html and "trop court pour un score" in html  # a 30-word test post
    assert "Phrases longues" in html


def test_injected_json_cannot_break_out_of_script():
    snippet = inject.client_snippet(3, "fr", failed_problems=[
        Problem("content/posts/x.md", "</script><script>alert(1)</script>", "<b>hint</b>", 2)])
    script = snippet[snippet.index('<script id="ck-client">'):]
    assert script.count("</script>") == 1
    assert "&lt;/script&gt;" in snippet  # the server-side overlay escapes too


def test_build_output_contains_no_preview_code(make_site, tmp_path):
    root = serve_site(make_site).root
    out = tmp_path / "built"
    result = subprocess.run([sys.executable, "-m", "contentkit", "build", "--root", str(root), "--output", str(out),
                             "--drafts"], capture_output=True, text=True, timeout=300,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 0, result.stderr
    pages = list(out.rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        doc = lxml.html.fromstring(page.read_bytes())
        assert not doc.xpath('//*[starts-with(@id, "ck-")]'), page
        for script in doc.xpath("//script"):
            text = script.text_content()
            assert "EventSource" not in text and "__contentkit" not in text, page
        assert b"__contentkit" not in page.read_bytes()


# ------------------------------------------------------------------------------------------------
# The command: port in use, Ctrl-C
# ------------------------------------------------------------------------------------------------

URL_RE = re.compile(r"(?:Preview|Prévisualisation) ?: (http://127\.0\.0\.1:(\d+)/)")  # English / French site


def start_cli(root: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "PYTHONUNBUFFERED": "1",
           "PYTHONPATH": str(REPO)}  # this working tree, whatever the installed copy points to
    return subprocess.Popen([sys.executable, "-m", "contentkit", "serve", "--root", str(root), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)


def read_until(proc: subprocess.Popen, pattern: re.Pattern, timeout: float = 60) -> tuple[re.Match | None, str]:
    """Read the process output line by line until `pattern` matches (or it exits / times out)."""
    out: list[str] = []
    result: dict = {}

    def reader() -> None:
        for line in proc.stdout:
            out.append(line)
            m = pattern.search(line)
            if m:
                result["m"] = m
                return

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    t.join(timeout)
    return result.get("m"), "".join(out)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_port_in_use_strict_gives_clear_message(make_site):
    root = serve_site(make_site).root
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        proc = start_cli(root, "--port", str(port), "--strict-port")
        out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 1
    assert f"le port {port} de 127.0.0.1 est déjà utilisé" in out  # the site is French
    assert "--port" in out and "Traceback" not in out


def test_port_in_use_picks_next_free_port(make_site):
    root = serve_site(make_site).root
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        proc = start_cli(root, "--port", str(port))
        try:
            m, out = read_until(proc, URL_RE)
            assert m, out
            assert f"Le port {port} est déjà utilisé ; la prévisualisation utilise le port" in out
            assert int(m.group(2)) != port
            assert get(int(m.group(2)), "/")[0] == 200
        finally:
            proc.send_signal(signal.SIGINT)
            proc.communicate(timeout=60)


def test_ctrl_c_stops_cleanly(make_site):
    root = serve_site(make_site).root
    proc = start_cli(root, "--port", "0")
    m, out = read_until(proc, URL_RE)
    assert m, out
    port = int(m.group(2))
    sse = SSE(port)  # an open event stream must not keep the server alive
    try:
        assert sse.next()[0] == "hello"
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        conn.request("GET", "/")
        assert conn.getresponse().status == 200
        conn.close()
        started = time.monotonic()
        proc.send_signal(signal.SIGINT)
        rest, _ = proc.communicate(timeout=60)
    finally:
        sse.close()
    assert proc.returncode == 0, out + rest
    assert time.monotonic() - started < 10
    assert "Traceback" not in rest and "KeyboardInterrupt" not in rest
    assert "Prévisualisation arrêtée." in rest


def test_not_a_site_folder(tmp_path):
    proc = start_cli(tmp_path / "nothing-here")
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 2 and "does not look like a contentkit site" in out
