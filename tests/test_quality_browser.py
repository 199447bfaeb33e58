"""Quality gates in a real browser: axe-core (WCAG 2.0/2.1 A+AA, light and dark), Lighthouse scores,
page weight, and no request leaving the machine.

The sites are served by `http.server` on 127.0.0.1. Every Playwright request is routed: anything not
on 127.0.0.1 is aborted and recorded, and each test asserts that nothing was. Lighthouse's own
network log is checked the same way. Each gate is also run on a deliberately broken page.
"""
from __future__ import annotations

import re
import statistics
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import html

from .quality_support import (AXE_TAGS, Browser, LocalServer, demo_build, describe_violations, html_pages,
                              is_local, lighthouse_failures, lighthouse_request_urls, lighthouse_scores,
                              longest_post, need_file, AXE_JS, rich_build, run_axe, run_lighthouse)

MIN_SCORE = 0.95
WEIGHT_BUDGET = 40 * 1024  # HTML + CSS + JS + favicon of a typical article without images, as served
FIXED_COST_BUDGET = 24 * 1024  # the same minus the article's own body HTML, for every article
STRICT_RULES = {"color-contrast", "link-in-text-block"}  # "incomplete" (needs review) is not good enough

SITES = {"demo": lambda: demo_build(), "rich": lambda: rich_build()[:2]}


@pytest.fixture(scope="module")
def browser():
    b = Browser()
    yield b
    b.close()


@pytest.fixture(scope="module")
def servers():
    opened = {}

    def get(name: str) -> tuple[LocalServer, object, Path]:
        if name not in opened:
            result, out = SITES[name]()
            opened[name] = (LocalServer(out).__enter__(), result, out)
        return opened[name]
    yield get
    for server, _result, _out in opened.values():
        server.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def nothing_leaves_the_machine(request):
    """After each browser test: no request was made to another host."""
    yield
    if "browser" in request.fixturenames:
        b = request.getfixturevalue("browser")
        blocked, b.blocked[:] = list(b.blocked), []
        assert not blocked, f"requests to other hosts: {blocked}"
        assert b.requests and all(is_local(u) for u in b.requests)


def pages_to_audit(result) -> dict[str, str]:
    """Home, the longest article, an article with images if any, a tag, an author, search results."""
    site = result.site
    pages = {"home": site.config.root_path, "long article": longest_post(result).url}
    with_image = [a for a in site.posts if "<img" in a.html]
    if with_image:
        pages["article with images"] = with_image[0].url
    tag = max(site.tags.terms.values(), key=lambda t: len(t.articles))
    pages["tag"] = tag.url
    author = max((t for t in site.author_terms.terms.values() if t.articles), key=lambda t: len(t.articles))
    pages["author"] = author.url
    return pages


# ------------------------------------------------------------------------------------------------
# axe-core

@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", sorted(SITES))
def test_axe_finds_no_wcag_a_aa_violation(browser, servers, name, scheme):
    server, result, out = servers(name)
    page = browser.page()
    page.emulate_media(color_scheme=scheme)
    targets = pages_to_audit(result)
    if (out / "search" / "index.html").is_file():
        word = re.findall(r"\w{6,}", longest_post(result).title)[0]
        targets["search results"] = f"{result.site.config.root_path}search/?q={word}"
    report = {}
    for label, path in targets.items():
        results = run_axe(page, server.url(path),
                          wait_for="#search-results li" if label == "search results" else None)
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
        bad = results["violations"] + [r for r in results["incomplete"] if r["id"] in STRICT_RULES]
        if bad:
            report[f"{label} {path}"] = describe_violations(bad)
        if label == "long article":
            passed = {r["id"] for r in results["passes"]}
            assert "link-in-text-block" in passed, "links in text were not checked by axe"
            assert "color-contrast" in passed
    page.context.close()
    assert not report, "\n".join(f"{k}:\n{v}" for k, v in report.items())


BROKEN_A11Y = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Contraste</title><link rel="stylesheet" href="/theme/style.css">
<style>
  .pale { color: #b8b8b8; background: #ffffff; }
  .plain a { color: #1c1c1c; text-decoration: none; }
  @media (prefers-color-scheme: dark) { .night { color: #3a3a3a; background: #111111; } }
</style></head>
<body><main>
<h1>Page cassée</h1>
<p class="pale">Ce texte gris clair sur blanc est illisible.</p>
<p class="plain" style="color:#000">Un paragraphe avec <a href="/x/">un lien</a> qui ne se distingue que par
une couleur presque identique à celle du texte, sans soulignement.</p>
<p class="night">Lisible en clair, illisible en sombre.</p>
</main></body></html>
"""


def test_axe_gate_fails_on_low_contrast_and_links_distinguished_by_colour_only(browser, tmp_path):
    _result, out, _root = rich_build()
    (tmp_path / "theme").mkdir()
    (tmp_path / "theme" / "style.css").write_bytes((out / "theme" / "style.css").read_bytes())
    (tmp_path / "cassee.html").write_text(BROKEN_A11Y, encoding="utf-8")
    with LocalServer(tmp_path) as server:
        page = browser.page()
        light = run_axe(page, server.url("/cassee.html"))
        ids = {v["id"] for v in light["violations"]}
        assert {"color-contrast", "link-in-text-block"} <= ids, describe_violations(light["violations"])
        flagged = [n["target"] for v in light["violations"] if v["id"] == "color-contrast" for n in v["nodes"]]
        assert [".pale"] in flagged and [".night"] not in flagged
        page.emulate_media(color_scheme="dark")
        dark = run_axe(page, server.url("/cassee.html"))
        flagged = [n["target"] for v in dark["violations"] if v["id"] == "color-contrast" for n in v["nodes"]]
        assert [".night"] in flagged, "dark colour scheme emulation must reach the page's CSS"
        page.context.close()


# ------------------------------------------------------------------------------------------------
# Lighthouse

@pytest.mark.parametrize("which", ["home", "long article"])
@pytest.mark.parametrize("name", sorted(SITES))
def test_lighthouse_scores_at_least_095(servers, tmp_path, name, which):
    server, result, _out = servers(name)
    path = result.site.config.root_path if which == "home" else longest_post(result).url
    report = run_lighthouse(server.url(path), tmp_path / "lighthouse.json")
    scores = lighthouse_scores(report)
    print(f"Lighthouse {name} {which} {path}: {scores}")
    assert set(scores) == {"performance", "accessibility", "best-practices", "seo"}
    low = {k: v for k, v in scores.items() if v is None or v < MIN_SCORE}
    assert not low, f"{low}; audits losing points: {lighthouse_failures(report)}"
    urls = lighthouse_request_urls(report)
    assert urls and all(is_local(u) for u in urls), [u for u in urls if not is_local(u)]


BROKEN_LIGHTHOUSE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, maximum-scale=1, user-scalable=no">
<style>body { color: #aaa; background: #fff; }</style></head>
<body><div><img src="/nope.png"><a href="/x/"></a><span>Pas de titre, pas de langue, pas de description.</span>
<input type="text"><button></button></div></body></html>
"""


def test_lighthouse_gate_fails_on_a_broken_page(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(BROKEN_LIGHTHOUSE, encoding="utf-8")
    with LocalServer(site) as server:
        scores = lighthouse_scores(run_lighthouse(server.url("/"), tmp_path / "lighthouse.json"))
    assert scores["accessibility"] < MIN_SCORE and scores["seo"] < MIN_SCORE, scores


# ------------------------------------------------------------------------------------------------
# Weight and requests

def _transfer(page, server, path: str) -> dict[str, int]:
    """Bytes over the wire by kind (body + headers, as served: no compression), images excluded.

    The page's requests are routed (see Browser.page), which turns Chromium's HTTP cache off: every
    load transfers everything again."""
    sizes: dict[str, int] = {}
    responses = []
    def listener(response):
        responses.append(response)
    page.on("response", listener)
    page.goto(server.url(path), wait_until="load")
    page.remove_listener("response", listener)
    seen = set()
    for response in responses:
        kind = response.request.resource_type
        if kind in ("image", "media") and not response.url.endswith("favicon.svg"):
            continue
        s = response.request.sizes()
        sizes[kind] = sizes.get(kind, 0) + s["responseBodySize"] + s["responseHeadersSize"]
        seen.add(urlsplit(response.url).path)
    icon = page.eval_on_selector("link[rel~=icon]", "e => e.href")
    if urlsplit(icon).path not in seen:  # headless Chromium may not fetch the favicon: count it anyway
        with urllib.request.urlopen(icon, timeout=10) as r:
            sizes["favicon"] = len(r.read()) + sum(len(f"{k}: {v}\r\n") for k, v in r.headers.items()) + 17
    return sizes


@pytest.mark.parametrize("name", sorted(SITES))
def test_article_pages_stay_light(browser, servers, name):
    server, result, out = servers(name)
    without_images = [a for a in result.site.posts if "<img" not in a.html]
    assert without_images
    report = {}
    page = browser.page()
    for a in without_images:
        sizes = _transfer(page, server, a.url)
        assert sizes.get("stylesheet"), f"{a.url}: the stylesheet was not transferred: {sizes}"
        total = sum(sizes.values())
        report[a.url] = (total, total - len(a.html.encode()), sizes)
    page.context.close()
    typical = sorted(without_images, key=lambda a: a.words)[len(without_images) // 2]
    total, _fixed, sizes = report[typical.url]
    print(f"{name}: typical article {typical.url} ({typical.words} words): {total} bytes {sizes}; "
          f"longest: {max(v[0] for v in report.values())} bytes")
    assert total <= WEIGHT_BUDGET, f"{typical.url}: {total} bytes > {WEIGHT_BUDGET} ({sizes})"
    heavy = {u: v for u, v in report.items() if v[1] > FIXED_COST_BUDGET}
    assert not heavy, f"theme + page chrome over {FIXED_COST_BUDGET} bytes: {heavy}"


def test_weight_gate_fails_on_a_heavy_page(browser, tmp_path):
    (tmp_path / "theme").mkdir()
    (tmp_path / "theme" / "style.css").write_text("/* bloat */\n" + ".x{color:red}\n" * 4000)
    (tmp_path / "favicon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (tmp_path / "a.html").write_text('<!DOCTYPE html><html lang="fr"><head><title>x</title>'
                                     '<link rel="icon" href="/favicon.svg"><link rel="stylesheet" '
                                     'href="/theme/style.css"></head><body><p>x</p></body></html>')
    with LocalServer(tmp_path) as server:
        page = browser.page()
        sizes = _transfer(page, server, "/a.html")
        page.context.close()
    assert sizes["stylesheet"] > WEIGHT_BUDGET and sum(sizes.values()) > WEIGHT_BUDGET, sizes


_LOADING = {"script": ["src"], "link": ["href"], "img": ["src", "srcset"], "iframe": ["src"], "video": ["src", "poster"],
            "audio": ["src"], "source": ["src", "srcset"], "embed": ["src"], "object": ["data"]}


@pytest.mark.parametrize("name", sorted(SITES))
def test_no_page_loads_anything_from_another_host(name):
    """Static scan of every page: what a browser would fetch (not links a reader may follow)."""
    _result, out = SITES[name]()
    bad = []
    for path in html_pages(out):
        doc = html.fromstring(path.read_bytes())
        for el in doc.iter(*_LOADING):
            if el.tag == "link" and not set((el.get("rel") or "").split()) & {
                    "stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest", "apple-touch-icon"}:
                continue
            for attr in _LOADING[el.tag]:
                for value in (el.get(attr) or "").split(","):
                    url = value.strip().split(" ")[0]
                    if url and (urlsplit(url).netloc or url.startswith("//")):
                        bad.append(f"{path.relative_to(out)}: <{el.tag} {attr}={url}>")
        for style in doc.xpath("//style/text()|//@style"):
            if re.search(r"url\(\s*['\"]?(https?:)?//", style) or "@import" in style:
                bad.append(f"{path.relative_to(out)}: remote CSS resource")
    css = "\n".join(p.read_text(encoding="utf-8") for p in out.rglob("*.css"))
    assert not re.search(r"url\(\s*['\"]?(https?:)?//|@import", css), "CSS loads from another host"
    assert not bad, "\n".join(bad[:30])


def test_axe_is_the_pinned_version():
    text = need_file(AXE_JS, "axe-core").read_text(encoding="utf-8")[:300]
    assert re.search(r"axe v?4\.\d+", text), text[:120]
    assert AXE_TAGS == ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def test_lighthouse_on_the_search_page_with_results(tmp_path):
    """The search UI keeps performance, accessibility and best practices green (SEO is off by
    design: the search page is `noindex`)."""
    result, out, _root = rich_build()
    with LocalServer(out) as server:
        report = run_lighthouse(server.url("/search/?q=gouvernance"), tmp_path / "lighthouse.json")
    scores = lighthouse_scores(report)
    print(f"Lighthouse search page: {scores}")
    low = {k: v for k, v in scores.items() if k != "seo" and (v is None or v < MIN_SCORE)}
    assert not low, f"{low}; audits losing points: {lighthouse_failures(report)}"
    assert report["audits"]["is-crawlable"]["score"] == 0, "the search page is noindex"
    urls = lighthouse_request_urls(report)
    assert any("/pagefind/" in u for u in urls), "the search ran"
    assert all(is_local(u) for u in urls), [u for u in urls if not is_local(u)]
