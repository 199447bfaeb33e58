"""Slug registry: a post whose URL changes keeps its old URL as a redirect, automatically."""
from __future__ import annotations

from datetime import datetime, timezone

import yaml
from lxml import html

from contentkit.model import BuildOptions
from contentkit.build import build_site
from contentkit.errors import BuildFailed

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)

POST = """
---
title: {title}
date: 2026-01-10
---
Un article.
"""


def write(root, rel, text):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.lstrip("\n"), encoding="utf-8")


def registry(root) -> dict:
    return yaml.safe_load((root / "content/.slugs.yml").read_text(encoding="utf-8"))


def build(root, out, **options):
    return build_site(root, out, BuildOptions(now=NOW, **options), use_cache=False)


def test_changed_title_leaves_a_redirect(make_site, tmp_path):
    root = make_site({"content/posts/x.md": POST.format(title="Titre initial"),
                      "content/pages/a-propos.md": "---\ntitle: À propos\n---\nNous.\n"})
    out = tmp_path / "out"
    build(root, out)
    assert registry(root) == {"content/pages/a-propos.md": ["/a-propos/"],
                              "content/posts/x.md": ["/2026/titre-initial/"]}
    assert (root / "content/.slugs.yml").read_text().startswith("# contentkit slug registry")

    write(root, "content/posts/x.md", POST.format(title="Titre révisé"))
    result = build(root, out)
    assert (out / "2026/titre-revise/index.html").is_file()
    old = html.parse(str(out / "2026/titre-initial/index.html")).getroot()
    assert old.xpath("//meta[@http-equiv='refresh']/@content") == [
        "0; url=https://blog.example.com/2026/titre-revise/"]
    assert old.xpath("//link[@rel='canonical']/@href") == ["https://blog.example.com/2026/titre-revise/"]
    assert registry(root)["content/posts/x.md"] == ["/2026/titre-initial/", "/2026/titre-revise/"]
    assert not result.warnings

    # A third title: both old URLs redirect to the newest.
    write(root, "content/posts/x.md", POST.format(title="Titre final"))
    build(root, out)
    for old_url in ("2026/titre-initial", "2026/titre-revise"):
        doc = html.parse(str(out / old_url / "index.html")).getroot()
        assert doc.xpath("//link[@rel='canonical']/@href") == ["https://blog.example.com/2026/titre-final/"]

    # Going back to an earlier title: that URL is the page again, the others redirect to it.
    write(root, "content/posts/x.md", POST.format(title="Titre initial"))
    build(root, out)
    assert not html.parse(str(out / "2026/titre-initial/index.html")).getroot().xpath("//meta[@http-equiv]")
    assert registry(root)["content/posts/x.md"] == ["/2026/titre-revise/", "/2026/titre-final/",
                                                    "/2026/titre-initial/"]


def test_old_url_taken_by_another_post_gets_no_redirect(make_site, tmp_path):
    root = make_site({"content/posts/x.md": POST.format(title="Titre initial")})
    out = tmp_path / "out"
    build(root, out)
    write(root, "content/posts/x.md", POST.format(title="Titre révisé"))
    write(root, "content/posts/y.md", POST.format(title="Titre initial"))  # takes the old URL
    result = build(root, out)
    doc = html.parse(str(out / "2026/titre-initial/index.html")).getroot()
    assert not doc.xpath("//meta[@http-equiv='refresh']")  # the real page of y.md
    [warning] = [w for w in result.warnings if "old URL" in w.message]
    assert warning.file == "content/posts/x.md"
    assert "/2026/titre-initial/" in warning.message and "content/posts/y.md" in warning.message


def test_drafts_preview_and_failed_builds_do_not_record(make_site, tmp_path):
    root = make_site({"content/posts/x.md": POST.format(title="Titre initial"),
                      "content/posts/d.md": "---\ntitle: Brouillon\ndate: 2026-01-11\ndraft: true\n---\nB.\n"})
    build(root, tmp_path / "preview", preview=True)
    assert not (root / "content/.slugs.yml").exists()
    build(root, tmp_path / "out", drafts=True)
    assert list(registry(root)) == ["content/posts/x.md"]  # the draft's URL is not recorded
    before = (root / "content/.slugs.yml").read_bytes()
    write(root, "content/posts/x.md", POST.format(title="Autre titre"))
    write(root, "content/posts/bad.md", "---\ntitle: Sans date\n---\nX.\n")
    try:
        build(root, tmp_path / "out")
    except BuildFailed:
        pass
    assert (root / "content/.slugs.yml").read_bytes() == before


def test_explicit_aliases_and_unreadable_registry(make_site, tmp_path):
    root = make_site({"content/posts/x.md": POST.format(title="Titre initial")})
    (root / "content/.slugs.yml").write_text("content/posts/x.md: [/2026/titre-initial/\n")  # broken
    result = build(root, tmp_path / "out")
    assert any(w.file == "content/.slugs.yml" for w in result.warnings)
    assert (root / "content/.slugs.yml").read_text() == "content/posts/x.md: [/2026/titre-initial/\n"

    (root / "content/.slugs.yml").write_text("content/posts/x.md: [/2025/ancien/, /2026/titre-initial/]\n")
    write(root, "content/posts/x.md", POST.format(title="Titre initial").replace(
        "date: 2026-01-10", "date: 2026-01-10\naliases: [/2025/ancien/]"))
    result = build(root, tmp_path / "out")
    assert not result.warnings  # already an explicit alias: one redirect, no duplicate
    assert (tmp_path / "out/2025/ancien/index.html").is_file()
