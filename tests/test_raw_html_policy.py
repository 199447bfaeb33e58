"""Issue 17: `markdown.raw_html: allow | sanitize | escape` for article bodies, and `trusted: false`
(the default of guests and interviewees) forcing `sanitize` for their posts. What sanitize removes
is a located warning; incremental builds equal clean ones when the policy or `trusted` changes."""
from __future__ import annotations

import random
from datetime import datetime, timezone

import lxml.html
import pytest

from contentkit.content import markdown as engine
from contentkit.content.sanitize import EMBED_PROVIDERS
from contentkit.errors import BuildFailed

from .conftest import snapshot

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
WIDGET = """Intro de la tribune.

<div class="encart" onclick="steal()">Encart <script>alert(1)</script></div>

<form action="https://evil.example/"><input name="q"></form>

| Colonne | Valeur |
|:--------|-------:|
| a       | 1      |

<figure><img src="/images/a.png" width="400" height="300" loading="lazy" onerror="alert(2)" alt="A"><figcaption>Légende <abbr title="Hypertext">HTML</abbr></figcaption></figure>

<details><summary>Plus</summary>Appuyez sur <kbd>Ctrl</kbd> + x<sup>2</sup>.</details>

<iframe src="https://www.youtube-nocookie.com/embed/abc" width="560" height="315" title="Vidéo"></iframe>

<iframe src="https://evil.example/frame" title="Pub"></iframe>

<p style="background: url(https://evil.example/t.png)">Fond</p>

<base href="https://evil.example/"><meta http-equiv="refresh" content="0"><object data="x.swf"></object><embed src="x.swf">

```python
def f():
    return 1
```

## Un titre {#mon-titre}
"""


def body(site, url):
    return site.html(url).xpath("//div[contains(@class,'post-body')]")[0]


@pytest.fixture
def site(make_site):
    site = make_site(now=NOW, use_cache=False, workers=1)
    site.config(search=False)
    site.author("karim", "Karim Haddad", role="guest")
    site.author("lea", "Léa Martin")  # staff
    site.post("tribune", "Tribune", "2026-01-10 09:00", author="karim", body=WIDGET)
    site.post("maison", "Maison", "2026-01-11 09:00", author="lea", body=WIDGET)
    return site


def test_guest_post_is_sanitized_and_staff_post_allowed_by_default(site):
    result = site.build()
    guest, staff = body(site, "/2026/tribune/"), body(site, "/2026/maison/")
    # Staff: today's output, raw HTML as written.
    assert staff.xpath(".//script") and staff.xpath(".//form") and staff.xpath(".//*[@onclick]")
    # Guest: what articles need is kept...
    assert guest.xpath(".//table//td") and guest.xpath(".//figure/figcaption/abbr[@title]")
    assert guest.xpath(".//details/summary") and guest.xpath(".//kbd") and guest.xpath(".//sup")
    img = guest.xpath(".//figure/img")[0]
    assert (img.get("width"), img.get("height"), img.get("loading")) == ("400", "300", "lazy")
    assert guest.xpath(".//div[@class='highlight']//span[@class='k']")  # Pygments classes
    assert guest.xpath(".//h2[@id='mon-titre']")
    assert guest.xpath(".//iframe/@src") == ["https://www.youtube-nocookie.com/embed/abc"]
    # ...and what runs or leaks is not.
    for bad in (".//script", ".//form", ".//input", ".//base", ".//meta", ".//object", ".//embed",
                ".//*[@onclick]", ".//*[@onerror]", ".//p[@style]"):
        assert guest.xpath(bad) == [], bad
    assert guest.xpath(".//th/@style") == ["text-align:left", "text-align:right"]  # column alignment
    assert "Encart" in guest.text_content() and "Fond" in guest.text_content()
    # Each removal is a warning naming the file and the line of the raw HTML.
    warnings = [p for p in result.warnings if p.code == "raw-html-removed"]
    assert {p.file for p in warnings} == {"content/posts/tribune.md"}
    text = (site / "content/posts/tribune.md").read_text().splitlines()
    said = {dict(p.params)["what"]: text[p.line - 1] for p in warnings}
    assert "<script" in said["<script>"] and "<form" in said["<form>"]
    onclick = next(k for k in said if k.startswith("onclick="))
    assert "onclick" in said[onclick]
    assert any("evil.example/frame" in k and "iframe" in said[k] for k in said)


def test_trusted_true_keeps_a_guests_raw_html(site):
    site.author("karim", "Karim Haddad", role="guest", trusted=True)
    site.build()
    assert body(site, "/2026/tribune/").xpath(".//script")


def test_trusted_false_sanitizes_a_staff_author(site):
    site.author("lea", "Léa Martin", trusted=False)
    site.build()
    assert body(site, "/2026/maison/").xpath(".//script") == []


def test_site_wide_sanitize_and_escape(site):
    site.config(search=False, markdown={"raw_html": "sanitize"})
    site.build()
    assert body(site, "/2026/maison/").xpath(".//script") == []
    site.config(search=False, markdown={"raw_html": "escape"})
    result = site.build()
    staff = body(site, "/2026/maison/")
    assert staff.xpath(".//script | .//div[@class='encart'] | .//iframe") == []
    assert "<script>alert(1)</script>" in staff.text_content()
    assert staff.xpath(".//table") and staff.xpath(".//div[@class='highlight']")  # Markdown still is
    assert [p.code for p in result.warnings if p.file == "content/posts/maison.md"] == ["raw-html-escaped"]


def test_escape_keeps_the_more_marker(make_site):
    site = make_site(now=NOW, use_cache=False, workers=1, config={"markdown": {"raw_html": "escape"}})
    site.post("p", "Titre", "2026-01-10 09:00", body="Chapeau.\n\n<!-- more -->\n\nSuite <b>gras</b>.\n")
    site.build()
    card = site.html("/").xpath("//div[@class='card-excerpt']")[0]
    assert "Chapeau" in card.text_content() and "Suite" not in card.text_content()
    assert "<!--" not in body(site, "/2026/titre/").text_content()


def test_unknown_mode_is_a_located_error(make_site):
    site = make_site(now=NOW, use_cache=False, workers=1, config={"markdown": {"raw_html": "strip"}})
    site.post("p", "Titre", "2026-01-10 09:00", body="x")
    with pytest.raises(BuildFailed) as failed:
        site.build()
    problem = next(p for p in failed.value.problems if p.code == "config-raw-html-unknown")
    assert problem.file == "contentkit.yml" and problem.line


def test_embed_providers_are_a_short_named_list():
    assert set(EMBED_PROVIDERS) == {"www.youtube-nocookie.com", "youtube-nocookie.com", "player.vimeo.com"}


@pytest.mark.parametrize("change", ["policy", "trusted"])
def test_incremental_build_equals_clean_build_when_the_policy_changes(make_site, tmp_path, change):
    site = make_site(now=NOW, workers=1, config={"search": False})
    site.author("karim", "Karim Haddad", role="guest")
    site.author("lea", "Léa Martin")
    site.post("tribune", "Tribune", "2026-01-10 09:00", author="karim", tags=["t"], body=WIDGET)
    site.post("maison", "Maison", "2026-01-11 09:00", author="lea", tags=["t"], body=WIDGET)
    site.build()
    site.build()
    if change == "policy":
        site.config(search=False, markdown={"raw_html": "escape"})
    else:
        site.author("karim", "Karim Haddad", role="guest", trusted=True)
    site.build()
    clean = tmp_path / "clean"
    site.build(clean, use_cache=False)
    got, want = site.snapshot(), snapshot(clean)
    assert sorted(got) == sorted(want)
    assert [rel for rel in want if got[rel] != want[rel]] == []
    changed = body(site, "/2026/tribune/").xpath(".//script")
    assert bool(changed) == (change == "trusted")


PIECES = ["Texte <b>gras</b> et <span onclick=\"x\">s</span>.", "<div>bloc</div>", "<!-- more -->",
          "## Titre {#id}", "[lien](https://exemple.fr/)", "[js](javascript:alert(1))", "`a < b`",
          "| a | b |\n|---|---|\n| 1 | 2 |", "```python\nx = 1\n```", "Note[^1].\n\n[^1]: N.",
          "&amp; & < > « guillemets » !", "<script>alert(1)</script>", "Para\n{: .note}"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_escape_engine_shortcuts_give_the_stock_html(lang):
    stock = engine.new_engine(lang, shortcuts=False, raw_html="escape")
    rng = random.Random(3)
    for _ in range(150):
        text = "\n\n".join(rng.choice(PIECES) for _ in range(rng.randint(1, 6)))
        stock.reset()
        assert engine.render_markdown(text, lang, raw_html="escape").html == stock.convert(text), text
        doc = lxml.html.fragment_fromstring(engine.render_markdown(text, lang, raw_html="escape").html
                                            or "<p></p>", create_parent="div")
        assert doc.xpath(".//script | .//*[@onclick] | .//a[starts-with(@href, 'javascript')]") == []
