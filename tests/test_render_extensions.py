"""The render side of the extensions (issue #13): the events page, `.ics` files, search page, feed
UTM and outbound-link rel come from the editorial and search extensions; without them the default
theme still renders every page (neutral `outbound`/`ics_url` defaults in render/env.py)."""
from __future__ import annotations

from contentkit.extensions import installed_extensions

CONFIG = {"search": False, "outbound_rel": "noopener", "feed_link_params": {"utm_source": "flux"}}
FILES = {
    "content/posts/rencontre.md": """
        ---
        title: Rencontre à Nantes
        date: 2024-03-01
        event: {start: 2099-09-15T08:30, end: 2099-09-15T10:00, location: "Nantes"}
        ---
        Voir [le programme](https://ailleurs.example.org/programme).
        """,
}


def test_the_editorial_extension_adds_the_events_page_ics_utm_and_rel(make_site, tmp_path):
    out = tmp_path / "full"
    make_site(FILES, CONFIG).build(out, extensions=installed_extensions(), use_cache=False)
    article = next(out.glob("**/rencontre*/index.html")).read_text(encoding="utf-8")
    assert 'rel="noopener"' in article and ".ics" in article
    assert list(out.glob("**/*.ics"))
    assert "utm_source=flux" in (out / "atom.xml").read_text(encoding="utf-8")
    assert (out / "evenements" / "index.html").is_file()
    assert '<a href="/evenements/">Événements</a>' in (out / "index.html").read_text(encoding="utf-8")
    assert "https://blog.example.com/evenements/" in (out / "sitemap.xml").read_text(encoding="utf-8")


def test_without_extensions_every_page_still_renders_plainly(make_site, tmp_path):
    out = tmp_path / "bare"
    make_site(FILES, CONFIG).build(out, extensions=[], use_cache=False)
    article = next(out.glob("**/rencontre*/index.html")).read_text(encoding="utf-8")
    assert "Rencontre à Nantes" in article and "https://ailleurs.example.org/programme" in article
    assert 'rel="noopener"' not in article  # the outbound filter is the identity without editorial
    assert not list(out.glob("**/*.ics")) and not (out / "evenements").exists()
    assert "/evenements/" not in (out / "index.html").read_text(encoding="utf-8")  # no menu entry
    assert "utm_source" not in (out / "atom.xml").read_text(encoding="utf-8")
