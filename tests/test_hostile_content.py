"""Issue 17: front matter cannot inject markup. A guest column whose summary is
`"><img src=x onerror=alert(2)>` gave a live <img onerror> on the home page, the archives, the tag
pages and the author page; its relatives (bio, canonical_url, image, author links, event URLs,
Markdown links) are here too. Every page and feed is parsed with lxml (feeds with feedparser)."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import feedparser
import lxml.etree
import lxml.html
import pytest

from contentkit.content.fields import FIELD_TYPES, PROFILE_FIELDS, refused_scheme
from contentkit.content.sanitize import allowed_iframe
from contentkit.errors import BuildFailed

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
PAYLOAD = "\"><img src=x onerror=alert(2)>"
THEME_SCRIPTS = {"theme/search.js"}  # the default theme's own (search page)


def executable_markup(out: Path) -> list[str]:
    """Every event-handler attribute, script not the theme's, javascript:/vbscript:/data: address
    and unreadable JSON-LD in the HTML pages of `out`; every feed entry that carries one."""
    found = []
    for path in sorted(out.rglob("*.html")):
        rel = path.relative_to(out).as_posix()
        root = lxml.html.parse(str(path)).getroot()
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            for name, value in el.attrib.items():
                if name.lower().startswith("on"):
                    found.append(f"{rel}: {el.tag} {name}={value!r}")
                if name.lower() in ("href", "src", "action", "formaction", "srcdoc", "poster") and \
                        refused_scheme(value) or el.tag == "meta" and el.get("http-equiv"):
                    found.append(f"{rel}: {el.tag} {name}={value!r}")
            if el.tag == "script":
                kind = el.get("type", "")
                if kind == "application/ld+json":
                    try:
                        json.loads(el.text or "")
                    except ValueError as exc:
                        found.append(f"{rel}: JSON-LD {exc}")
                elif not any((el.get("src") or "").endswith(s) for s in THEME_SCRIPTS):
                    found.append(f"{rel}: <script> {lxml.html.tostring(el)[:80]!r}")
            if el.tag in ("object", "embed", "base") or el.tag == "form" and el.get("role") != "search" or \
                    el.tag == "iframe" and el.get("src") and not allowed_iframe(el.get("src")):
                found.append(f"{rel}: <{el.tag}>")
    for path in sorted(out.rglob("*.xml")):
        if path.name == "sitemap.xml":
            continue
        feed = feedparser.parse(path.read_bytes())
        for entry in feed.entries:
            details = [entry.get("summary_detail")] + list(entry.get("content", []))
            for detail in details:
                if not detail or "html" not in detail.get("type", "") or not detail.value.strip():
                    continue  # text/plain is shown as text by feed readers
                html = detail.value
                frag = lxml.html.fragment_fromstring(html, create_parent="div")
                for el in frag.iter():
                    if isinstance(el.tag, str) and (el.tag == "script" or any(
                            n.lower().startswith("on") for n in el.attrib)):
                        found.append(f"{path.relative_to(out)}: {el.tag} in an entry")
    return found


@pytest.fixture
def guest_site(make_site):
    site = make_site(now=NOW, use_cache=False, workers=1)
    site.config(search=False)
    site.author("karim", "Karim Haddad", role="guest", company="Groupe Vellan",
                bio="DSI. <img src=x onerror=alert(3)> <script>alert(4)</script>",
                job_title=PAYLOAD)
    site.author("lea", "Léa Martin")
    site.post("tribune", "Tribune libre", "2026-01-10 09:00", author="karim", tags=["cloud"],
              category="Cybersécurité", summary=PAYLOAD, image_alt=PAYLOAD,
              series={"name": PAYLOAD, "part": 1}, body="Le texte de la tribune.")
    site.post("autre", "Un autre", "2026-01-12 09:00", author="lea", tags=["cloud"],
              description="Sans <b onmouseover=alert(5)>risque</b> [x](javascript:alert(6))",
              body="Corps.")
    return site


def test_summary_payload_is_text_everywhere(guest_site):
    guest_site.build()
    out = guest_site.out
    assert executable_markup(out) == []
    # The summary is still shown, as the text the author typed.
    home = guest_site.html("/")
    excerpts = [e.text_content() for e in home.xpath("//div[@class='card-excerpt']")]
    assert any("<img src=x onerror=alert(2)>" in e for e in excerpts), excerpts
    for url in ("/", "/archives/2026/", "/tags/cloud/", "/authors/karim/"):
        page = guest_site.html(url)
        assert page.xpath("//img[@onerror]") == [] and page.xpath("//*[@onmouseover]") == [], url
    meta = guest_site.html("/2026/tribune-libre/").xpath("//meta[@name='description']/@content")
    assert meta and "onerror" in meta[0]  # plain text in an attribute, escaped by the template


def test_author_bio_raw_html_is_text(guest_site):
    guest_site.build()
    bio = guest_site.html("/authors/karim/").xpath("//div[@class='bio']")[0]
    assert bio.xpath(".//img | .//script") == []
    assert "<script>alert(4)</script>" in bio.text_content()


def test_markdown_link_to_javascript_in_a_summary_is_removed(guest_site):
    guest_site.build()
    links = guest_site.html("/").xpath("//div[@class='card-excerpt']//a/@href")
    assert not [h for h in links if refused_scheme(h)]


HOSTILE_URLS = ["javascript:alert(1)", "JaVa\tscript:alert(1)", " javascript:alert(1)",
                "&#106;avascript:alert(1)", "java&#x0A;script:alert(1)", "vbscript:msgbox(1)",
                "data:text/html,<script>alert(1)</script>", "DATA:text/html;base64,PHNjcmlwdD4="]


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_refused_scheme_sees_through_obfuscation(url):
    assert refused_scheme(url) in ("javascript", "vbscript", "data")


@pytest.mark.parametrize("url", ["https://exemple.fr/a", "/images/x.png", "photo.jpg", "mailto:a@b.fr",
                                 "#section", "?q=javascript:", "/javascript:x"])
def test_ordinary_addresses_are_kept(url):
    assert refused_scheme(url) is None


@pytest.mark.parametrize("field, value", [
    ("canonical_url", "javascript:alert(1)"),
    ("canonical", "JaVa\tscript:alert(1)"),
    ("image", "data:text/html,<script>alert(1)</script>"),
    ("image", {"src": "&#106;avascript:alert(1)", "alt": "x"}),
    ("event", {"start": "2026-04-01T10:00", "registration_url": "javascript:alert(1)"}),
    ("event", {"start": "2026-01-01T10:00", "end": "2026-01-01T11:00", "replay_url": "vbscript:x"}),
    ("author", {"name": "Invitée", "website": "javascript:alert(1)"}),
])
def test_refused_url_in_front_matter_is_a_located_error(make_site, field, value):
    site = make_site(now=NOW, use_cache=False, workers=1)
    path = site.post("p", "Titre", "2026-01-10 09:00", body="Texte.", **{field: value})
    with pytest.raises(BuildFailed) as failed:
        site.build()
    problems = [p for p in failed.value.problems if p.code == "url-scheme-refused"]
    assert problems, failed.value.problems
    lines = path.read_text().splitlines()
    assert problems[0].file == "content/posts/p.md"
    assert lines[problems[0].line - 1].startswith(f"{field}:")
    assert not (site.out / "index.html").exists()  # a failed build writes nothing


@pytest.mark.parametrize("links", [{"website": "javascript:alert(1)"}, {"links": {"blog": "data:text/html,x"}},
                                   {"mastodon": "JAVASCRIPT:alert(1)"}, {"photo": "javascript:alert(1)"}])
def test_refused_url_in_an_author_profile_is_a_located_error(make_site, links):
    site = make_site(now=NOW, use_cache=False, workers=1)
    site.author("eve", "Eve", role="guest", **links)
    site.post("p", "Titre", "2026-01-10 09:00", author="eve", body="Texte.")
    with pytest.raises(BuildFailed) as failed:
        site.build()
    problem = next(p for p in failed.value.problems if p.code == "url-scheme-refused")
    assert problem.file == "content/authors/eve.yml"
    key = next(iter(links))
    assert (site / problem.file).read_text().splitlines()[problem.line - 1].startswith(f"{key}:")


def test_markdown_link_to_javascript_in_a_body_is_removed_with_a_warning(make_site):
    site = make_site(now=NOW, use_cache=False, workers=1)
    site.post("p", "Titre", "2026-01-10 09:00",
              body="Un.\n\nDeux [piège](javascript:alert(1)) et [ref][r].\n\n[r]: &#106;avascript:alert(2)\n")
    result = site.build()
    body = site.html("/2026/titre/").xpath("//div[contains(@class,'post-body')]")[0]
    assert [a.get("href") for a in body.iter("a")] == [None, None]
    warned = [p for p in result.warnings if p.code == "markdown-address-refused"]
    assert [p.line for p in warned] == [7, 9]  # the lines of the link and of the reference


def test_field_table_declares_what_the_model_reads():
    from contentkit.assemble import KNOWN_KEYS
    assert KNOWN_KEYS <= set(FIELD_TYPES), KNOWN_KEYS - set(FIELD_TYPES)
    assert {"bio", "links", "photo", "trusted", "website"} <= set(PROFILE_FIELDS)


# Property-based: whatever the front matter holds, the build succeeds or fails with located
# problems, and no output file carries executable markup. A guest writes the post (its raw HTML is
# sanitized). HYPOTHESIS_EXAMPLES examples (each builds a whole site): the file runs in < 60 s.
import tempfile  # noqa: E402

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from .conftest import SiteFactory  # noqa: E402

HYPOTHESIS_EXAMPLES = 60
NASTY = ["<", ">", "\"", "'", "&", "&amp;", "&#106;", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
         "javascript:alert(1)", "JaVa\tscript:", "data:text/html,x", "</script>", "]]>", "{{ x }}", "{% if %}",
         "--- ", ": ", "- ", "# ", "*", "[x](javascript:alert(1))", "é", "«\u00a0»", "\u202f", "null", "~",
         "!!python/object", "0x1F", "2026-13-45", "\\", "`", "<!--", "-->", "\u2028", "😀"]
text = st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=6)), max_size=6).map("".join)
RAW = ["<div onclick=x()>d</div>", "<script>alert(1)</script>", "<a href=\"javascript:alert(1)\">a</a>",
       "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>", "<p style=\"background:url(x)\">p</p>",
       "<iframe src=\"https://evil.example/\"></iframe>", "<form><button>b</button></form>",
       "<math><mi xlink:href=\"javascript:alert(1)\">m</mi></math>", "<details open ontoggle=alert(1)>",
       "<a href=\"&#106;avascript:alert(1)\">b</a>", "<base href=\"//evil.example/\">", "**gras**", "texte",
       "[l](javascript:alert(1))", "Para\n{: onclick=\"alert(1)\" }", "<!-- more -->", "<table><tr><td>1</td></tr></table>"]
bodies = st.lists(st.sampled_from(RAW), max_size=6).map("\n\n".join)


@settings(max_examples=HYPOTHESIS_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(summary=text, title=text, alt=text, tag=text, series=text, bio=text, url=text, body=bodies)
def test_any_front_matter_builds_or_fails_located_and_never_injects(summary, title, alt, tag, series, bio,
                                                                    url, body):
    with tempfile.TemporaryDirectory() as tmp:
        site = SiteFactory(Path(tmp) / "src", now=NOW, use_cache=False, workers=1)
        site.config(search=False)
        site.author("invite", "Invité " + bio[:20], role="guest", bio=bio, job_title=alt, website=url)
        site.post("p", title or "Titre", "2026-01-10 09:00", author="invite", summary=summary,
                  image_alt=alt, image=url or None, tags=[tag or "x", "commun"], series=series or None,
                  canonical_url=url or None, body=body or "Texte.")
        site.post("q", "Voisin", "2026-01-11 09:00", author="invite", tags=["commun"], body="Autre.")
        try:
            site.build()
        except BuildFailed as failed:
            assert failed.problems
            for problem in failed.problems:
                assert problem.code and problem.file, problem
            return
        assert executable_markup(site.out) == []


def test_security_doc_field_table_is_the_declared_one():
    from contentkit.content.fields import markdown_tables
    doc = (Path(__file__).resolve().parent.parent / "docs" / "security.md").read_text(encoding="utf-8")
    between = doc.split("<!-- fields:begin -->\n", 1)[1].split("<!-- fields:end -->", 1)[0]
    assert between == markdown_tables()
