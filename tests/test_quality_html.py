"""Quality gates on the generated HTML: Nu HTML Checker, sitemaps.org XSD, social previews.

Run over the complete demo site (content/) and a rich fixture site (code, tables, images, events,
series, interviews, English post, odd characters, pagination). Every gate is also shown to fail on a
deliberately broken input, so a gate that silently passes everything would be noticed.
"""
from __future__ import annotations

import json
import re
import shutil
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import etree, html

from contentkit.render.seo import default_image

from .quality_support import (SITEMAP_XSD, demo_build, describe_vnu, html_pages, jekyll_build, need_file, rich_build,
                              run_vnu)

SITES = {"demo": lambda: demo_build(), "rich": lambda: rich_build()[:2], "jekyll": lambda: jekyll_build()}


@pytest.fixture(params=sorted(SITES), scope="module")
def built(request):
    return SITES[request.param]()


# ------------------------------------------------------------------------------------------------
# Nu HTML Checker

def test_every_page_passes_the_nu_html_checker(built):
    result, out = built
    pages = list(out.rglob("*.html"))
    assert len(pages) >= len(result.site.posts) + 5, "the build produced too few pages to validate"
    errors = run_vnu(out)
    assert not errors, f"{len(errors)} Nu HTML Checker error(s):\n" + describe_vnu(errors, out)


BROKEN_HTML = """<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"><title>Cassée</title></head>
<body>
<p id="x">Un <a href="/a/">lien <a href="/b/">imbriqué</a></a></p>
<p id="x">Identifiant en double, <img src="/i.png"> image sans alt, <span badattr="1">attribut inventé</span>.</p>
<ul><div>un div dans une liste</div></ul>
</body>
</html>
"""


def test_nu_checker_gate_fails_on_a_broken_page(tmp_path):
    _result, out, _root = rich_build()
    copy = tmp_path / "site"
    shutil.copytree(out, copy)
    (copy / "cassee.html").write_text(BROKEN_HTML, encoding="utf-8")
    errors = run_vnu(copy)
    where = {Path(urlsplit(m.get("url", "")).path).name for m in errors}
    assert where == {"cassee.html"}, describe_vnu(errors, copy)
    text = " ".join(m["message"] for m in errors)
    for expected in ("Duplicate ID", "alt", "badattr", "div"):
        assert expected in text, (expected, text)


# ------------------------------------------------------------------------------------------------
# sitemap.xml

def sitemap_errors(data: bytes) -> list[str]:
    schema = etree.XMLSchema(etree.parse(str(need_file(SITEMAP_XSD, "the sitemaps.org XSD (npm sitemap)"))))
    try:
        doc = etree.fromstring(data)
    except etree.XMLSyntaxError as exc:
        return [f"not well-formed: {exc}"]
    if schema.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def test_sitemap_validates_against_the_sitemaps_org_schema(built):
    result, out = built
    data = (out / "sitemap.xml").read_bytes()
    assert sitemap_errors(data) == []
    cfg = result.site.config
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    doc = etree.fromstring(data)
    locs = doc.xpath("//s:url/s:loc/text()", namespaces=ns)
    assert len(locs) == len(set(locs)), "duplicate URLs in the sitemap"
    for loc in locs:
        assert loc.startswith(cfg.base_url), loc
        rel = loc[len(cfg.site_url):]
        target = out / (rel.lstrip("/") + ("index.html" if rel.endswith("/") else ""))
        assert target.is_file(), f"{loc} is in the sitemap but not in the site"
    for a in result.site.posts:
        if not a.canonical_url:
            assert cfg.absolute(a.url) in locs, a.url
    for a in result.site.hidden:
        assert cfg.absolute(a.url) not in locs, f"unpublished {a.url} in the sitemap"
    for lastmod in doc.xpath("//s:lastmod/text()", namespaces=ns):
        datetime.fromisoformat(lastmod)


def test_sitemap_gate_fails_on_wrong_child_order_and_bad_dates():
    _result, out, _root = rich_build()
    good = (out / "sitemap.xml").read_text(encoding="utf-8")
    swapped = re.sub(r"(<loc>[^<]*</loc>)(\s*)(<lastmod>[^<]*</lastmod>)", r"\3\2\1", good, count=1)
    assert swapped != good
    assert sitemap_errors(swapped.encode()) != []
    bad_date = re.sub(r"<lastmod>[^<]*</lastmod>", "<lastmod>15/03/2022</lastmod>", good, count=1)
    assert sitemap_errors(bad_date.encode()) != []
    assert sitemap_errors(good.replace("</urlset>", "").encode()) != []


# ------------------------------------------------------------------------------------------------
# Social previews: Open Graph, Twitter card, JSON-LD

def _meta(doc, attr: str, name: str) -> str | None:
    found = doc.xpath(f"//head/meta[@{attr}=$n]/@content", n=name)
    return found[0] if found else None


def _absolute(url: str | None) -> bool:
    return bool(url) and urlsplit(url).scheme in ("http", "https") and bool(urlsplit(url).netloc)


def social_problems(page: bytes, *, expected_image: str | None = None) -> list[str]:
    """What a social network or a search engine would miss on an article page."""
    doc = html.fromstring(page)
    problems = []
    og = {k: _meta(doc, "property", f"og:{k}") for k in ("title", "description", "url", "type", "image")}
    for key, value in og.items():
        if not value or not value.strip():
            problems.append(f"og:{key} missing or empty")
    if og["type"] and og["type"] != "article":
        problems.append(f"og:type is {og['type']!r}, not 'article'")
    for key in ("url", "image"):
        if og[key] and not _absolute(og[key]):
            problems.append(f"og:{key} is not an absolute URL: {og[key]}")
    canonical = doc.xpath("//head/link[@rel='canonical']/@href")
    if not canonical or canonical[0] != og["url"]:
        problems.append(f"og:url {og['url']} differs from the canonical link {canonical}")
    if expected_image and og["image"] != expected_image:
        problems.append(f"og:image is {og['image']}, expected {expected_image}")
    if _meta(doc, "name", "twitter:card") not in ("summary", "summary_large_image"):
        problems.append("twitter:card missing")
    for key in ("title", "image"):
        if not _meta(doc, "name", f"twitter:{key}"):
            problems.append(f"twitter:{key} missing")
    if not _meta(doc, "name", "description"):
        problems.append("meta description missing")
    posting = None
    for script in doc.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError as exc:
            problems.append(f"JSON-LD does not parse: {exc}")
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and item.get("@type") in ("BlogPosting", "Article", "NewsArticle"):
                posting = item
    if posting is None:
        problems.append("no BlogPosting/Article JSON-LD")
        return problems
    for key in ("headline", "datePublished", "author", "publisher"):
        if not posting.get(key):
            problems.append(f"JSON-LD {key} missing")
    if posting.get("datePublished"):
        try:
            datetime.fromisoformat(posting["datePublished"])
        except ValueError:
            problems.append(f"JSON-LD datePublished is not ISO 8601: {posting['datePublished']}")
    authors = posting.get("author") or []
    for person in authors if isinstance(authors, list) else [authors]:
        if not isinstance(person, dict) or not person.get("name"):
            problems.append(f"JSON-LD author without a name: {person}")
    publisher = posting.get("publisher")
    if not isinstance(publisher, dict) or not publisher.get("name"):
        problems.append("JSON-LD publisher without a name")
    if posting.get("image") and not _absolute(posting["image"] if isinstance(posting["image"], str)
                                              else posting["image"].get("url")):
        problems.append("JSON-LD image is not absolute")
    return problems


def test_every_article_has_a_complete_social_preview(built):
    result, out = built
    site = result.site
    fallback = default_image(site)
    assert _absolute(fallback)
    bad = {}
    for a in site.posts:
        expected = None if a.image else fallback
        problems = social_problems((out / a.output).read_bytes(), expected_image=expected)
        doc = html.fromstring((out / a.output).read_bytes())
        if _meta(doc, "property", "og:title") != a.title:
            problems.append(f"og:title {_meta(doc, 'property', 'og:title')!r} != {a.title!r}")
        image = _meta(doc, "property", "og:image") or ""
        if image.startswith(site.config.site_url):  # a local image must really be published
            rel = image[len(site.config.site_url):].lstrip("/")
            if not (out / rel).is_file():
                problems.append(f"og:image {image} is not in the site")
        if problems:
            bad[a.source] = problems
    assert not bad, json.dumps(bad, indent=1, ensure_ascii=False)


def test_default_social_image_is_a_png_not_an_svg_logo():
    result, out = demo_build()
    image = default_image(result.site)
    assert not image.endswith(".svg"), "social networks ignore SVG images"
    rel = image[len(result.site.config.site_url):].lstrip("/")
    assert (out / rel).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_social_preview_gate_fails_on_a_page_without_metadata():
    _result, out, _root = rich_build()
    page = (out / "2022/gouvernance-des-donnees-le-guide-complet/index.html").read_text(encoding="utf-8")
    assert social_problems(page.encode()) == []
    stripped = re.sub(r'<meta property="og:(image|type)"[^>]*>', "", page)
    stripped = stripped.replace('"headline"', '"title"')
    problems = social_problems(stripped.encode())
    assert "og:image missing or empty" in problems and "og:type missing or empty" in problems
    assert "JSON-LD headline missing" in problems
    relative = page.replace('property="og:image" content="https://carnet.example.org/',
                            'property="og:image" content="/')
    assert any("og:image is not an absolute URL" in p for p in social_problems(relative.encode()))
    broken_json = re.sub(r'(<script type="application/ld\+json">)\{', r"\1{,", page, count=1)
    assert any("does not parse" in p for p in social_problems(broken_json.encode()))


def test_every_page_has_one_h1_a_title_a_language_and_a_description(built):
    _result, out = built
    bad = []
    for path in html_pages(out):
        doc = html.fromstring(path.read_bytes())
        rel = path.relative_to(out).as_posix()
        if len(doc.xpath("//h1")) != 1:
            bad.append(f"{rel}: {len(doc.xpath('//h1'))} h1")
        if not (doc.findtext(".//title") or "").strip():
            bad.append(f"{rel}: no <title>")
        if not doc.get("lang"):
            bad.append(f"{rel}: no lang on <html>")
        if rel != "404.html" and not _meta(doc, "name", "description"):
            bad.append(f"{rel}: no meta description")
    assert not bad, "\n".join(bad)


def test_a_missing_validator_fails_under_ci_and_skips_elsewhere(monkeypatch, tmp_path):
    from _pytest.outcomes import Failed, Skipped

    from . import quality_support

    absent = tmp_path / "node_modules" / "vnu.jar"
    monkeypatch.setattr(quality_support, "IN_CI", True)
    with pytest.raises(Failed, match="npm --prefix .ci install"):
        quality_support.need_file(absent, "the Nu HTML Checker")
    monkeypatch.setattr(quality_support, "IN_CI", False)
    with pytest.raises(Skipped, match="quality gate cannot run"):
        quality_support.need_file(absent, "the Nu HTML Checker")
