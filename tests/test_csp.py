"""The Content-Security-Policy that docs/security.md tells a deploy to set is one the default theme
satisfies: the demo, served with that header (and the other headers of the doc) by a local server,
raises no `securitypolicyviolation` in Chromium on the home page, an article, an author page and
the search page running a query (Pagefind's WebAssembly included)."""
from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path

import pytest

from .quality_support import Browser, demo_build

DOC = Path(__file__).resolve().parent.parent / "docs" / "security.md"


def documented_headers() -> dict[str, str]:
    """The `Name: value` lines of the ```http block of "## What a deploy should set"."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## What a deploy should set", 1)[1]
    block = re.search(r"```http\n(.*?)```", section, re.S).group(1)
    return dict(line.split(": ", 1) for line in block.strip().splitlines())


def test_the_documented_policy_forbids_inline_script_and_other_hosts():
    csp = documented_headers()["Content-Security-Policy"]
    directives = dict((d.split()[0], d.split()[1:]) for d in csp.split("; "))
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert directives["default-src"] == ["'none'"] and directives["script-src"][0] == "'self'"
    assert directives["frame-ancestors"] == ["'none'"] and directives["base-uri"] == ["'none'"]


@pytest.fixture(scope="module")
def served():
    headers = documented_headers()
    result, out = demo_build()

    class Handler(http.server.SimpleHTTPRequestHandler):
        def end_headers(self):
            for name, value in headers.items():
                self.send_header(name, value)
            super().end_headers()

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(out)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield result, f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


RECORD = """window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
  e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));"""


def test_default_theme_raises_no_csp_violation(served):
    result, base = served
    site = result.site
    article = max(site.posts, key=lambda a: a.words)
    author = next(t for t in site.author_terms.terms.values() if t.articles)
    pages = {"home": site.config.root_path, "article": article.url, "author": author.url}
    search = Path(result.output_dir) / "search" / "index.html"
    browser = Browser()
    try:
        page = browser.page()
        page.add_init_script(RECORD)
        console = []
        page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
        seen = {}
        for label, path in pages.items():
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            seen[label] = page.evaluate("window.__csp")
        if search.is_file():
            page.goto(base + site.config.root_path + "search/?q=donn%C3%A9es")
            page.wait_for_selector("#search-results li", timeout=20_000)
            seen["search"] = page.evaluate("window.__csp")
        assert search.is_file(), "the demo has a search page (pagefind installed)"
        assert all(v == [] for v in seen.values()), seen
        assert console == []
        assert page.evaluate("document.querySelectorAll('script[type=\"application/ld+json\"]').length") >= 0
    finally:
        browser.close()
