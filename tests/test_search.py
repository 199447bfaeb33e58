"""Static search (Pagefind): what is indexed, that it works in headless Chromium, and that the build
stays tolerant (search off, Pagefind missing or failing) and atomic (index made before the swap)."""
from __future__ import annotations

import builtins
import json
from pathlib import Path

import pytest
from lxml import html

import contentkit.search as search

from .quality_support import Browser, LocalServer, html_pages, rich_build

POST = "---\ntitle: {title}\ndate: 2022-01-0{n}\nsummary: Un résumé.\n---\n{body}\n"


@pytest.fixture
def fresh_search_state(monkeypatch):
    """Undo the module's once-per-process memory (Pagefind lookup, warning already given)."""
    monkeypatch.setattr(search, "_executable", False)
    monkeypatch.setattr(search, "_warned", False)


def entry(out: Path) -> dict:
    return json.loads((out / "pagefind" / "pagefind-entry.json").read_text())


def test_only_article_bodies_are_indexed_in_the_site_language():
    result, out, _root = rich_build()
    languages = entry(out)["languages"]
    assert set(languages) == {"fr"}, "one index in the site's language, English posts included"
    assert languages["fr"]["page_count"] == len(result.site.posts)
    marked = {}
    for path in html_pages(out):
        count = path.read_text(encoding="utf-8").count("data-pagefind-body")
        if count:
            marked[path.relative_to(out).as_posix()] = count
    assert marked == {a.output: 1 for a in result.site.posts}
    doc = html.fromstring((out / result.site.posts[0].output).read_bytes())
    (body,) = doc.xpath("//*[@data-pagefind-body]")
    assert body.get("class") == "post-body"


def test_search_page_and_header_form():
    result, out, _root = rich_build()
    page = html.fromstring((out / "search" / "index.html").read_bytes())
    assert page.xpath("//meta[@name='robots']/@content") == ["noindex"]
    (form,) = page.xpath("//form[@role='search']")
    assert form.get("action") == "/search/" and form.get("data-root") == "/"
    assert page.xpath("//label[@for='search-q']") and page.xpath("//input[@id='search-q'][@name='q']")
    assert page.xpath("//script[@type='module']/@src") == ["/theme/search.js"]
    assert page.xpath("//*[@role='status']")
    assert not page.xpath("//header//form"), "no second form in the header of the search page"
    home = html.fromstring((out / "index.html").read_bytes())
    (header_form,) = home.xpath("//header//form[@role='search']")
    assert header_form.get("action") == "/search/" and header_form.get("method") == "get"
    assert home.xpath("//header//label[@for='site-search-q']")
    assert not home.xpath("//script[not(@type='application/ld+json')]"), \
        "no script on ordinary pages: search costs nothing until used"
    assert "/search/" not in (out / "sitemap.xml").read_text()


def _type(page, selector: str, word: str) -> list[str]:
    """Type a word in a search box (search-as-you-type) and return the result links."""
    page.evaluate("document.getElementById('search-status').textContent = ''")
    page.fill(selector, word)
    return _results(page)


def _results(page) -> list[str]:
    page.wait_for_function("document.getElementById('search-status').textContent.trim() !== ''")
    return [a.get_attribute("href") for a in page.query_selector_all("#search-results h2 a")]


def test_typing_a_word_finds_the_matching_article_in_chromium():
    result, out, _root = rich_build()
    browser = Browser()
    try:
        with LocalServer(out) as server:
            page = browser.page()
            page.goto(server.url("/2021/note-de-terrain-numero-1/"))
            page.fill("#site-search-q", "ornithorynque")
            page.press("#site-search-q", "Enter")
            page.wait_for_url("**/search/?q=ornithorynque")
            assert _results(page) == ["/2022/gouvernance-des-donnees-le-guide-complet/"]
            assert page.inner_text("#search-status") == "1 article trouvé"
            assert page.inner_text("#search-results mark").lower() == "ornithorynque"
            page.click("#search-results h2 a")
            page.wait_for_url("**/2022/gouvernance-des-donnees-le-guide-complet/")

            page.goto(server.url("/search/"))
            # English post, found from the French index
            assert _type(page, "#search-q", "platypus") == ["/2023/how-we-run-data-projects/"]
            # only on the « À propos » page: not an article
            assert _type(page, "#search-q", "kangourou") == []
            # French typography: no-break spaces inside « » (the catalog string is typeset)
            assert "Aucun article ne correspond à «\u00a0kangourou\u00a0»" in page.inner_text("#search-status")
            page.goto(server.url("/search/?q=zythologie"))  # category name of one post, body of another
            page.wait_for_selector("#search-results li")
            assert _results(page) == ["/2023/securite-cloud-script-n-est-pas-un-titre/"]
            page.goto(server.url("/search/?q=gouvernance"))
            page.wait_for_selector("#search-results li")
            found = _results(page)
            assert len(found) >= 3 and found[0] == "/2022/gouvernance-des-donnees-le-guide-complet/"
            assert "/topics/" not in " ".join(found) and "/a-propos/" not in " ".join(found)
            assert page.inner_text("#search-status") == f"{len(found)} articles trouvés"
            page.goto(server.url("/search/?q=retenir"))  # a word of headings: their "#" links are not indexed
            page.wait_for_selector("#search-results li")
            assert "retenir" in page.inner_text(".search-excerpt") and "#" not in page.inner_text(".search-excerpt")
        assert not browser.blocked, browser.blocked
        assert any("/pagefind/" in u for u in browser.requests)
    finally:
        browser.close()


def test_search_under_a_sub_path_in_chromium(tmp_path, make_site):
    site = make_site({"content/posts/2022/a.md": POST.format(title="Un", n=1, body="Le mot okapi est ici."),
                      "content/posts/2022/b.md": POST.format(title="Deux", n=2, body="Rien à voir.")},
                     config='title: Sous-dossier\nbase_url: "https://example.com/blog/"\nlanguage: fr\n')
    www = tmp_path / "www"
    site.build(www / "blog", use_cache=False)
    browser = Browser()
    try:
        with LocalServer(www) as server:
            page = browser.page()
            page.goto(server.url("/blog/search/?q=okapi"))
            page.wait_for_selector("#search-results li")
            assert _results(page) == ["/blog/2022/un/"]
        assert not browser.blocked
    finally:
        browser.close()


def test_search_false_builds_no_index_no_page_no_form(make_site):
    site = make_site({"content/posts/2022/a.md": POST.format(title="Un", n=1, body="Texte.")},
                     config='title: T\nbase_url: "https://example.com/"\nsearch: false\n')
    root = site.root
    result = site.build(use_cache=False)
    out = root / "site"
    assert not (out / "pagefind").exists() and not (out / "search").exists()
    assert "site-search" not in (out / "index.html").read_text()
    assert not [w for w in result.warnings if "search" in w.message.lower()]


def test_missing_pagefind_warns_once_and_builds_without_search(make_site, monkeypatch, fresh_search_state):
    monkeypatch.setattr(search, "_executable", None)  # as if `pagefind` were not importable
    site = make_site({"content/posts/2022/a.md": POST.format(title="Un", n=1, body="Texte.")})
    root = site.root
    first = site.build(use_cache=False)
    warned = [w for w in first.warnings if w.code == "search-pagefind-missing"]
    assert len(warned) == 1 and "pagefind[extended]" in warned[0].hint
    out = root / "site"
    assert not (out / "pagefind").exists() and not (out / "search").exists()
    assert "site-search" not in (out / "index.html").read_text()
    second = site.build(root / "site2", use_cache=False)
    assert not [w for w in second.warnings if "Pagefind" in w.message], "warned once per process"


def test_pagefind_import_error_means_no_search(monkeypatch, fresh_search_state):
    real_import = builtins.__import__

    def no_pagefind(name, *args, **kwargs):
        if name.startswith("pagefind"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)
    monkeypatch.setattr(builtins, "__import__", no_pagefind)
    assert search.pagefind_executable() is None


def test_a_failing_pagefind_is_a_warning_not_a_failed_build(make_site, monkeypatch, fresh_search_state, tmp_path):
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\necho 'Error: something broke' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setattr(search, "_executable", fake)
    site = make_site({"content/posts/2022/a.md": POST.format(title="Un", n=1, body="Texte.")})
    root = site.root
    result = site.build(use_cache=False)
    (warning,) = [w for w in result.warnings if w.code == "search-index-pagefind-failed"]
    assert "something broke" in warning.message
    assert (root / "site" / "2022" / "un" / "index.html").is_file()
    assert not (root / "site" / "pagefind").exists()


def test_index_is_made_in_staging_before_the_swap_and_kept_by_unchanged_builds(make_site, monkeypatch):
    site = make_site({"content/posts/2022/a.md": POST.format(title="Un", n=1, body="Le mot okapi.")})
    root = site.root
    out = root / "site"
    calls = []
    real = search.index_site

    def spy(folder, config, **kw):
        calls.append((Path(folder), (out / "2022" / "deux" / "index.html").exists()))
        return real(folder, config, **kw)
    monkeypatch.setattr(search, "index_site", spy)

    first = site.build(out)
    assert entry(out)["languages"]["fr"]["page_count"] == 1
    assert calls[0][0] != out and calls[0][0].parent == out.parent, "indexed in the staging folder"

    again = site.build(out)
    assert len(calls) == 1, "nothing changed: no new index, no swap"
    assert not again.report.written and not again.report.removed
    assert entry(out)["languages"]["fr"]["page_count"] == 1

    (root / "content/posts/2022/b.md").write_text(POST.format(title="Deux", n=2, body="Un tapir."),
                                                  encoding="utf-8")
    third = site.build(out)
    assert len(calls) == 2 and calls[1][1] is False, "the index is made before the new pages are live"
    assert entry(out)["languages"]["fr"]["page_count"] == 2
    assert not [r for r in third.report.removed if r.startswith("pagefind/")]
    assert first.report.written

    (root / "contentkit.yml").write_text((root / "contentkit.yml").read_text() + "search: false\n")
    site.build(out)
    assert not (out / "pagefind").exists(), "turning search off removes the old index"


def test_preview_builds_have_search_only_when_asked(make_site):
    """`contentkit serve` builds with search off (override), `serve --search` with it on."""
    site = make_site({"content/posts/2022/a.md": POST.format(title="Un", n=1, body="Le mot okapi.")})
    root = site.root
    site.build(root / "off", preview=True, use_cache=False, search=False)
    assert not (root / "off" / "search").exists() and not (root / "off" / "pagefind").exists()
    site.build(root / "on", preview=True, use_cache=False)
    assert (root / "on" / "search" / "index.html").is_file()
    assert entry(root / "on")["languages"]["fr"]["page_count"] == 1
