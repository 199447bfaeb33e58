"""Rendering shortcuts that must not show: memoized cards and bylines, the writer's folders.

Each shortcut is checked against the plain way of doing the same thing (an `{% include %}` per
card, a `makedirs` per file...): same bytes, and an override in a site's `templates/` still takes
effect everywhere, in a clean build, an incremental build and the preview server.
"""
from __future__ import annotations

import os
import random
import re
import stat
import time
from datetime import datetime, timezone
from pathlib import Path

import jinja2
import jinja2.compiler
import pytest
from markupsafe import Markup

from contentkit import build as build_mod
from contentkit import output
from contentkit.build import BuildState
from contentkit.config import load_config
from contentkit.errors import BuildFailed, ProblemLog
from contentkit.render import env as env_mod
from contentkit.render import feeds
from contentkit.render import pages as pages_mod
from contentkit.render.env import BUILTIN_THEMES
from contentkit.render.feeds import absolute_links
from contentkit.render.seo import Fields
from contentkit.serve.server import PreviewServer
from contentkit.urls import rooted_links

from .conftest import snapshot
from .test_serve import SSE, ListReporter, get

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
DEFAULT_CARD = (BUILTIN_THEMES / "default/templates/partials/card.html").read_text(encoding="utf-8")


def article(site, i: int, title: str | None = None, status: str = "published", name: str | None = None):
    site.post(name or f"post-{i:02d}", title or f"Article numéro {i}", f"2024-03-{i + 1:02d} 09:00",
              slug=f"post-{i:02d}", author=["alice", "bruno"][i % 2],
              tags=["Données", ["Cuisine", "Voyage", "Musique"][i % 3]], category=["Technique", "Culture"][i % 2],
              status=status, summary=f"Résumé {i} & <co>",
              body=f"Premier paragraphe {i} avec un [lien](../autre/).\n\n## Une section\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")


@pytest.fixture
def site(make_site):
    """14 posts, a draft, a staff author and a guest; clean single-process builds unless asked."""
    site = make_site(config={"title": "Carnet rapide", "per_page": 3, "feed_items": 4, "search": False},
                     now=NOW, use_cache=False, workers=1)
    for i in range(14):
        article(site, i)
    article(site, 20, "Un brouillon", status="writing", name="brouillon")
    site.author("alice", "Alice Martin")
    site.author("bruno", "Bruno Lefèvre", role="guest", company="Acme")
    return site


def assert_same(a: dict[str, bytes], b: dict[str, bytes]) -> None:
    assert sorted(a) == sorted(b), set(a) ^ set(b)
    different = [rel for rel in a if a[rel] != b[rel]]
    assert not different, different[:10]


def list_pages(snap: dict[str, bytes]) -> list[str]:
    return [rel for rel, data in snap.items() if rel.endswith(".html") and b'<div class="cards">\n<' in data]


def memo_vs_include(tmp_path: Path, site, monkeypatch, **kwargs) -> dict[str, bytes]:
    """Build with the memoized partials, then with a plain include for every card and byline:
    the same bytes."""
    fast = tmp_path / f"fast-{time.monotonic_ns()}"
    site.build(fast, **kwargs)
    with monkeypatch.context() as m:
        m.setattr(env_mod.PartialMemo, "__bool__", lambda self: False)
        plain = tmp_path / f"plain-{time.monotonic_ns()}"
        site.build(plain, **kwargs)
    got, want = site.snapshot(fast), site.snapshot(plain)
    assert_same(got, want)
    return got


# Memoized partials ---------------------------------------------------------------------------

def test_memoized_cards_equal_included_cards(site, tmp_path, monkeypatch):
    snap = memo_vs_include(tmp_path, site, monkeypatch)
    pages = list_pages(snap)
    assert len(pages) > 10  # home, tags, categories, authors, years, and their later pages
    # The preview shows drafts, with a badge in the byline of their card and page.
    snap = memo_vs_include(tmp_path, site, monkeypatch, preview=True, drafts=True)
    assert b"badge-writing" in snap["index.html"]


def test_default_partials_are_memoized(site, tmp_path):
    calls = []
    real = env_mod.PartialMemo.render

    def spy(self, ctx, value):
        calls.append((self.template, bool(self)))
        return real(self, ctx, value)

    with pytest.MonkeyPatch.context() as m:
        m.setattr(env_mod.PartialMemo, "render", spy)
        site.build(tmp_path / "out")
    assert ("partials/card.html", True) in calls and ("partials/byline.html", True) in calls


@pytest.mark.parametrize("card, shown", [
    # reads only the article: memoized, and the override shows on every list page
    (DEFAULT_CARD.replace('<article class="card">', '<article class="card card-v2">'), 'card-v2'),
    # reads the page (term, page URL, pagination; `loop` is not passed to includes): rendered per
    # page, exactly as an include
    ('<article class="card">{{ a.title }} @ {{ page_url }} #{{ loop.index }}'
     '{% if term %} [{{ term.name }}]{% endif %} p{{ pagination.page }}</article>\n', '@ /'),
    # includes another partial of the site, which reads the page
    ('<article class="card">{% include "partials/extra.html" %}</article>\n', 'extra:'),
    # a dynamic include: what it reads cannot be known, so no memo
    ('<article class="card">{% include ("partials/" ~ "extra.html") %}</article>\n', 'extra:'),
])
def test_site_card_override_takes_effect_everywhere(site, tmp_path, monkeypatch, card, shown):
    site.write("templates/partials/card.html", card)
    site.write("templates/partials/extra.html", "extra: {{ a.title }} {{ page_url }}")
    snap = memo_vs_include(tmp_path, site, monkeypatch)
    pages = list_pages(snap)
    assert pages and all(shown.encode() in snap[rel] for rel in pages)
    if "page_url" in card:
        assert b"@ /tags/cuisine/ # [Cuisine] p1<" in snap["tags/cuisine/index.html"]
        assert b"@ /tags/cuisine/page/2/ # [Cuisine] p2<" in snap["tags/cuisine/page/2/index.html"]


def test_byline_override_shows_in_cards_and_articles(site, tmp_path, monkeypatch):
    site.write("templates/partials/byline.html", '<p class="byline-v2">{{ a.title }} · {{ t("by") }}</p>')
    snap = memo_vs_include(tmp_path, site, monkeypatch)
    assert '<p class="byline-v2">Article numéro 3'.encode() in snap["2024/post-03/index.html"]
    assert all(b"byline-v2" in snap[rel] for rel in list_pages(snap))


def test_page_variable_hiding_a_global_is_seen_by_the_card(site, tmp_path, monkeypatch):
    """A theme's base template that sets `t` for its pages: the card must see the page's `t`."""
    base = (BUILTIN_THEMES / "default/templates/base.html").read_text(encoding="utf-8")
    site.write("templates/base.html", "{% set t = custom_t %}" + base)
    site.write("templates/partials/card.html", '<article class="card">{{ t("read_more") }}</article>')
    real = env_mod.make_environment

    def make(config, strings):
        env = real(config, strings)
        env.globals["custom_t"] = lambda key, **kw: "CUSTOM-" + key
        return env

    monkeypatch.setattr(build_mod, "make_environment", make)
    snap = memo_vs_include(tmp_path, site, monkeypatch)
    assert b"CUSTOM-read_more" in snap["index.html"]


def test_title_change_updates_every_card_incrementally(site, tmp_path):
    """Cards are remembered for one build only: an incremental build (cache + manifest, and a
    BuildState as the preview keeps it) shows the new title on every list page."""
    out, state = tmp_path / "out", BuildState()
    site.build(out, use_cache=True, state=state)
    before = site.snapshot(out)
    showing = [rel for rel in list_pages(before) if ">Article numéro 4<".encode() in before[rel]]
    assert len(showing) >= 5  # home, two tags, category, author, year
    for st, title in ((state, "Titre revu"), (None, "Titre revu deux fois")):  # serve, then the CLI
        article(site, 4, title)
        site.build(out, use_cache=True, state=st)
        after = site.snapshot(out)
        for rel in showing:
            assert f">{title}<".encode() in after[rel] and after[rel].count(b">Titre revu") == 1, rel
        clean = tmp_path / f"clean-{time.monotonic_ns()}"
        site.build(clean)
        assert_same(after, site.snapshot(clean))


def test_title_change_updates_cards_in_the_preview(site, tmp_path):
    srv = PreviewServer(site.root, port=0, reporter=ListReporter(), workers=1)
    srv.start()
    sse = SSE(srv.port)
    try:
        assert sse.next()[0] == "hello"
        first = site.snapshot(srv.output_dir)
        showing = [rel for rel in list_pages(first) if ">Article numéro 4<".encode() in first[rel]]
        assert len(showing) >= 5
        for title in ("Titre revu", "Titre revu deux fois"):
            article(site, 4, title)
            assert sse.wait_for("reload", "failed")[0] == "reload"
            for rel in showing:
                url = "/" + rel.removesuffix("index.html")
                status, html = get(srv.port, url)
                assert status == 200 and f">{title}<" in html and html.count(">Titre revu") == 1, url
    finally:
        sse.close()
        srv.stop()


# Feeds ------------------------------------------------------------------------------------------

def test_feed_contents_computed_once_per_article(site, tmp_path, monkeypatch):
    """Each article's feed content (absolute links) is computed once per build, though the site's,
    its tags', category's and author's feeds show it in Atom and RSS: same bytes as computing it
    for every entry."""
    calls = []
    real = feeds.absolute_links
    monkeypatch.setattr(feeds, "absolute_links", lambda *args: calls.append(args[1]) or real(*args))
    fast = tmp_path / "fast"
    site.build(fast)
    assert calls and len(calls) == len(set(calls))
    with monkeypatch.context() as m:
        m.setattr(feeds, "feed_content", lambda a, site_url, memo=None: real(a.html, a.url, site_url))
        site.build(tmp_path / "plain")
    got, want = site.snapshot(fast), site.snapshot(tmp_path / "plain")
    assert_same(got, want)
    assert b"https://blog.example.com/2024/autre/" in got["tags/cuisine/atom.xml"]  # ../autre/ made absolute


# Writing ----------------------------------------------------------------------------------------

def test_staging_writer_makes_each_folder_once(tmp_path, monkeypatch):
    made = []
    real_mkdir = os.mkdir
    monkeypatch.setattr(output.os, "mkdir", lambda path, *a, **k: made.append(path) or real_mkdir(path, *a, **k))
    out = tmp_path / "site"
    writer = output.OutputWriter(out)  # no site yet: staging
    assert writer.mode == "staging"
    files = {f"{y}/{slug}/index.html": f"{y}-{slug}".encode() * 1000 for y in (2023, 2024) for slug in "abc"}
    files.update({"index.html": b"home", "tags/x/page/2/index.html": b"p2", "tags/x/index.html": b"x"})
    for rel, data in files.items():
        writer.add(rel, data)
    work_dirs = [p for p in made if str(p).startswith(str(writer.work) + "/")]
    assert len(work_dirs) == len(set(work_dirs)) == 2 + 6 + 4  # years, articles, tags/x/page/2
    writer.commit()
    assert snapshot(out) == files
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE((out / "index.html").stat().st_mode) == 0o666 & ~umask  # as open("wb")


def test_output_does_not_depend_on_the_number_of_workers(site, tmp_path, monkeypatch):
    for i in range(14, 30):
        article(site, i)
    monkeypatch.setattr(build_mod, "RENDER_PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr(build_mod, "can_fork", lambda: True)
    snaps = []
    for workers in (1, 2, 3):
        out = tmp_path / f"out-{workers}"
        site.build(out, workers=workers)
        snaps.append(site.snapshot(out))
    assert_same(snaps[0], snaps[1])
    assert_same(snaps[0], snaps[2])


@pytest.fixture
def forked(monkeypatch):
    """Render with forked workers even for a small site (Planner.warm runs first)."""
    monkeypatch.setattr(build_mod, "RENDER_PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr(build_mod, "can_fork", lambda: True)


@pytest.mark.parametrize("card", ["{{ a.title | no_such_filter }}", "{{ a.title }}{{ a.nothing.more() }}"])
def test_card_error_before_forking_is_reported_where_it_is(site, tmp_path, forked, card):
    site.write("templates/partials/card.html", card)
    with pytest.raises(BuildFailed) as info:
        site.build(tmp_path / "out", workers=2)
    assert any(p.file == "templates/partials/card.html" for p in info.value.problems), info.value.problems
    assert not (tmp_path / "out").exists()


def test_warm_orders_list_pages_last_and_renders_their_cards_when_workers_will_meet_them(site, tmp_path, forked,
                                                                                        monkeypatch):
    rendered, orders = [], []
    real_render, real_warm = env_mod.PartialMemo._render, pages_mod.Planner.warm
    monkeypatch.setattr(env_mod.PartialMemo, "_render",
                        lambda self, value: rendered.append(self.template) or real_render(self, value))

    def warm(self, files, workers):
        order = real_warm(self, files, workers)
        orders.append((files, order, list(rendered)))
        return order

    monkeypatch.setattr(pages_mod.Planner, "warm", warm)
    site.build(tmp_path / "out", workers=2)  # list pages: fewer than half of the files
    files, order, before_fork = orders[-1]
    assert sorted(map(id, files)) == sorted(map(id, order))
    n = sum(1 for f in order if f.cards)
    assert 0 < n < len(order) / 2 and all(f.cards for f in order[-n:])  # the parent's end of the queue
    assert before_fork.count("partials/card.html") == 0  # the parent renders the cards as it meets them
    rendered.clear()
    site.build(tmp_path / "out2", workers=8)  # seven workers: they will meet list pages
    assert orders[-1][2].count("partials/card.html") == 14  # every post (not the draft), once, before forking
    rendered.clear()
    for name in ("index.html", "term.html", "author.html"):  # a theme's list pages, with includes
        text = (BUILTIN_THEMES / "default/templates" / name).read_text(encoding="utf-8")
        site.write(f"templates/{name}", text.replace(
            '{{ card(a) }}',
            '{% include "partials/card.html" %}'))
    site.build(tmp_path / "out3", workers=8)
    assert "partials/card.html" not in orders[-1][2]
    assert_same(site.snapshot(tmp_path / "out"), site.snapshot(tmp_path / "out2"))


# Printing values ---------------------------------------------------------------------------------

TRICKY = """{{ s }}|{{ m }}|{{ n }}|{{ none }}|{{ missing }}|{{ missing.deeper }}|{{ s|safe }}|{{ s|upper }}
{{ s ~ m }}|{{ "<lit>" }}|{{ obj }}|{{ [s] }}|{% set b %}<i>{{ s }}</i>{% endset %}{{ b }}|{{ b|length }}
{% macro box(x) %}[{{ x }}{{ caller() if caller }}]{% endmacro %}{{ box(s) }}{% call box(m) %}{{ s }}{% endcall %}
{% filter upper %}{{ s }}{% endfilter %}|{% autoescape false %}{{ s }}{% endautoescape %}|{% autoescape flag %}{{ s }}{% endautoescape %}
{% for x in [s, m, n] %}{{ loop.index }}{{ x }}{% endfor %}|{{ self.blk() }}{% block blk %}{{ s }}{% endblock %}"""


def test_printed_values_same_as_jinjas_own_code(site, tmp_path):
    """`{{ value }}` is compiled to environment.escape_output(value): the same text as Jinja's own
    escape() in every position (blocks, macros, call, set/filter blocks, autoescape off or dynamic)."""
    config = load_config(site.root, ProblemLog())
    env = env_mod.make_environment(config, {})
    assert env.code_generator_class is not jinja2.compiler.CodeGenerator  # markupsafe 3: in use
    plain = env_mod.make_environment(config, {})
    plain.code_generator_class = jinja2.compiler.CodeGenerator

    class Obj:
        def __str__(self):
            return "<obj & 'x'>"

    for flag in (True, False):
        values = dict(s="<a href=\"x\">l'été & co</a>", m=Markup("<b>ok</b>"), n=42, none=None, obj=Obj(), flag=flag)
        got = env.from_string(TRICKY).render(**values)
        assert got == plain.from_string(TRICKY).render(**values)
        assert "&lt;a href=&#34;x&#34;&gt;l&#39;été &amp; co&lt;/a&gt;" in got and "<b>ok</b>" in got


def test_compiled_templates_cached_apart_for_each_code_generator(site, tmp_path, monkeypatch):
    site.build(tmp_path / "out", use_cache=True)
    cache = site.root / ".contentkit-cache" / "jinja"
    assert list(cache.glob("escape-output-*.cache")) and not list(cache.glob("__jinja2_*.cache"))
    monkeypatch.setattr(env_mod, "use_fast_output", lambda env: None)  # e.g. markupsafe 2
    site.build(tmp_path / "out2", use_cache=True)
    assert list(cache.glob("__jinja2_*.cache"))
    assert_same(site.snapshot(tmp_path / "out"), site.snapshot(tmp_path / "out2"))


def test_fields_read_like_the_dicts_they_replace():
    """page_meta(), pagination and feed links are Fields: a template reads them as before."""
    data = {"title": "T <x>", "items": "not a method", "page": 2, "none": None}
    f = Fields(data)
    assert f == data and isinstance(f, dict) and f.title == "T <x>" and callable(f.items)
    env = jinja2.Environment(autoescape=True, undefined=jinja2.ChainableUndefined)
    src = ("{{ m.title }}|{{ m['title'] }}|{{ m.items is callable }}|{{ m['items'] }}|{{ m.page + 1 }}|"
           "{{ m.none }}|{{ m.missing }}|{{ m.missing.deeper }}|{{ m.get('page') }}|{{ m|length }}|"
           "{{ m|tojson }}|{% for k, v in m.items() %}{{ k }}={{ v }};{% endfor %}")
    assert env.from_string(src).render(m=f) == env.from_string(src).render(m=data)
    with pytest.raises(TypeError):
        f["title"] = "changed"  # attributes and keys cannot disagree
    with pytest.raises(TypeError):
        f.update(title="changed")


def test_absolute_links_same_as_the_attribute_regexes():
    """feeds.absolute_links finds `="` first and checks the attribute name after: the same result as
    the patterns (\\s(?:src|href))="(?=[#?]) and (\\s(?:src|href))="/(?!/), on random markup."""
    in_page, rooted = re.compile(r'(\s(?:src|href))="(?=[#?])'), re.compile(r'(\s(?:src|href))="/(?!/)')

    def reference(html, article_url, site_url):
        html = in_page.sub(lambda m: f'{m.group(1)}="{article_url}', html)
        return rooted.sub(lambda m: f'{m.group(1)}="{site_url}/', rooted_links(html, article_url))

    rng = random.Random(7)
    alphabet = [" ", "\t", "\n", "\u00a0", "\u2009", "\x1c", "s", "r", "c", "h", "e", "f", "=", '"', "/", "#",
                "?", "x", "<", ">", 'src="', 'href="', ' src="', ' href="', '="/', '="#', "//", "../", "a:", "é"]
    for _ in range(30000):
        html = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        for article_url in ("/2015/x/", "/"):
            assert absolute_links(html, article_url, "https://s.example") == \
                reference(html, article_url, "https://s.example"), repr(html)
    html = '<p><a href="#n1">1</a> <img src="/i.png"> <a href="../b/">b</a> <a href="//cdn/x">c</a></p>'
    assert absolute_links(html, "/2024/a/", "https://s.example") == (
        '<p><a href="https://s.example/2024/a/#n1">1</a> <img src="https://s.example/i.png"> '
        '<a href="https://s.example/2024/b/">b</a> <a href="//cdn/x">c</a></p>')
