"""Slug registry: a post whose URL changes keeps its old URL as a redirect, automatically."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
import yaml

from contentkit.errors import BuildFailed

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)


X = {"date": "2026-01-10", "body": "Un article."}  # content/posts/x.md, retitled along the tests


def registry(site) -> dict:
    return yaml.safe_load(site.read("content/.slugs.yml"))


def test_changed_title_leaves_a_redirect(make_site):
    site = make_site(now=NOW, use_cache=False)
    site.post("x", "Titre initial", **X)
    site.page("a-propos", "À propos", body="Nous.")
    site.build()
    assert registry(site) == {"content/pages/a-propos.md": ["/a-propos/"],
                              "content/posts/x.md": ["/2026/titre-initial/"]}
    assert site.read("content/.slugs.yml").startswith("# contentkit slug registry")

    site.post("x", "Titre révisé", **X)
    result = site.build()
    assert site.output("/2026/titre-revise/").is_file()
    old = site.html("/2026/titre-initial/")
    assert old.xpath("//meta[@http-equiv='refresh']/@content") == [
        "0; url=https://blog.example.com/2026/titre-revise/"]
    assert old.xpath("//link[@rel='canonical']/@href") == ["https://blog.example.com/2026/titre-revise/"]
    assert registry(site)["content/posts/x.md"] == ["/2026/titre-initial/", "/2026/titre-revise/"]
    assert not result.warnings

    # A third title: both old URLs redirect to the newest.
    site.post("x", "Titre final", **X)
    site.build()
    for old_url in ("/2026/titre-initial/", "/2026/titre-revise/"):
        doc = site.html(old_url)
        assert doc.xpath("//link[@rel='canonical']/@href") == ["https://blog.example.com/2026/titre-final/"]

    # Going back to an earlier title: that URL is the page again, the others redirect to it.
    site.post("x", "Titre initial", **X)
    site.build()
    assert not site.html("/2026/titre-initial/").xpath("//meta[@http-equiv]")
    assert registry(site)["content/posts/x.md"] == ["/2026/titre-revise/", "/2026/titre-final/",
                                                    "/2026/titre-initial/"]


def test_old_url_taken_by_another_post_gets_no_redirect(make_site):
    site = make_site(now=NOW, use_cache=False)
    site.post("x", "Titre initial", **X)
    site.build()
    site.post("x", "Titre révisé", **X)
    site.post("y", "Titre initial", **X)  # takes the old URL
    result = site.build()
    doc = site.html("/2026/titre-initial/")
    assert not doc.xpath("//meta[@http-equiv='refresh']")  # the real page of y.md
    [warning] = [w for w in result.warnings if w.code == "slug-old-url-used-by-page"]
    assert warning.file == "content/posts/x.md"
    assert "/2026/titre-initial/" in warning.message and "content/posts/y.md" in warning.message


def test_drafts_preview_and_failed_builds_do_not_record(make_site, tmp_path):
    site = make_site(now=NOW, use_cache=False)
    site.post("x", "Titre initial", **X)
    site.post("d", "Brouillon", "2026-01-11", draft=True, body="B.")
    site.build(tmp_path / "preview", preview=True)
    assert not (site.root / "content/.slugs.yml").exists()
    site.build(tmp_path / "out", drafts=True)
    assert list(registry(site)) == ["content/posts/x.md"]  # the draft's URL is not recorded
    before = (site.root / "content/.slugs.yml").read_bytes()
    site.post("x", "Autre titre", **X)
    site.post("bad", "Sans date", body="X.")
    with pytest.raises(BuildFailed):
        site.build(tmp_path / "out")
    assert (site.root / "content/.slugs.yml").read_bytes() == before


def test_explicit_aliases_and_unreadable_registry(make_site):
    site = make_site(now=NOW, use_cache=False)
    site.post("x", "Titre initial", **X)
    site.write("content/.slugs.yml", "content/posts/x.md: [/2026/titre-initial/\n")  # broken
    result = site.build()
    assert any(w.file == "content/.slugs.yml" for w in result.warnings)
    assert site.read("content/.slugs.yml") == "content/posts/x.md: [/2026/titre-initial/\n"

    site.write("content/.slugs.yml", "content/posts/x.md: [/2025/ancien/, /2026/titre-initial/]\n")
    site.post("x", "Titre initial", **X, aliases=["/2025/ancien/"])
    result = site.build()
    assert not result.warnings  # already an explicit alias: one redirect, no duplicate
    assert site.output("/2025/ancien/").is_file()
