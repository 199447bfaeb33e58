"""Lists, fenced code and block quotes read as CommonMark readers (kramdown, Goldmark, markdown-it)
read them (issue 18, item 4): a fence inside a list item indented by fewer than 4 spaces is code,
raw HTML inside a block quote is HTML; and the CommonMark spec examples of those sections are
rendered like the spec at least as often as when this was measured (benchmarks/commonmark_conformance.py)."""
from __future__ import annotations

import importlib.util
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from contentkit.content.markdown import new_engine

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=ZoneInfo("Europe/Paris"))
BENCHMARK = Path(__file__).resolve().parent.parent / "benchmarks" / "commonmark_conformance.py"

LIST_WITH_CODE = """\
Pour publier le site :

1. Déclarez l’hôte virtuel :
   ```apache
   <VirtualHost *:80>
     DocumentRoot /srv/blog
   </VirtualHost>
   ```
2. Rechargez Apache.

- Ou, avec Nginx :

  ~~~nginx
  server { listen 80; }
  ~~~

> <div class="encadre">
> Une citation mise en forme par l’auteur.
> </div>

Fin.
"""


@pytest.fixture
def built(make_site):
    site = make_site(now=NOW, use_cache=False, workers=1)
    site.post("listes", "Listes et code", "2026-01-10", body=LIST_WITH_CODE)
    site.build()
    return site


@pytest.fixture
def page(built):
    return built.html("/2026/listes-et-code/")


def test_fenced_code_in_a_list_item_indented_by_three_spaces_is_code(page):
    assert not page.xpath("//virtualhost")  # the code's tag used to become an element
    items = page.xpath("//ol/li")
    assert len(items) == 2
    code = items[0].xpath('.//div[contains(@class, "highlight")]//pre')
    assert len(code) == 1
    assert "<VirtualHost *:80>" in code[0].text_content()
    assert "DocumentRoot /srv/blog" in code[0].text_content()
    assert "```" not in items[0].text_content()
    assert items[1].text_content().strip() == "Rechargez Apache."


def test_fenced_code_in_a_bullet_item_indented_by_two_spaces_is_code(page):
    (item,) = page.xpath("//ul[not(ancestor::nav)]/li[contains(., 'Nginx')]")
    pre = item.xpath('.//div[contains(@class, "highlight")]//pre')
    assert pre and "server { listen 80; }" in pre[0].text_content()
    assert "~~~" not in item.text_content()


def test_raw_html_in_a_block_quote_is_html_not_a_paragraph(built, page):
    # An HTML parser closes <p> before a <div>, so the markup itself is read: no <p><div>
    # (invalid HTML: an empty paragraph, then the div, then a stray </p>).
    html = built.output("/2026/listes-et-code/").read_text(encoding="utf-8")
    quoted = html[html.index("<blockquote>"):html.index("</blockquote>")]
    assert "<p>" not in quoted and "</p>" not in quoted
    (quote,) = page.xpath("//blockquote")
    assert not quote.xpath(".//p//div")
    (div,) = quote.xpath("./div")
    assert div.get("class") == "encadre"
    assert "Une citation mise en forme" in div.text_content()


def test_shortcut_engine_reads_lists_like_the_stock_engine():
    fast, stock = new_engine("fr"), new_engine("fr", shortcuts=False)
    for md in (fast, stock):
        md.ck_source = LIST_WITH_CODE
        md.ck_admonition = False
        md.ck_toc_marker = False
    assert fast.convert(LIST_WITH_CODE) == stock.convert(LIST_WITH_CODE)


# Measured on CommonMark Spec 0.31.2 (tests/fixtures/commonmark-0.31.2-blocks.json): before issue
# 18 item 4, 61 of 128 (fenced code 13/29, block quotes 18/25, list items 22/48, lists 8/26).
FLOOR = {"Fenced code blocks": 17, "Block quotes": 18, "List items": 23, "Lists": 8}


def test_commonmark_spec_conformance_does_not_drop():
    spec = importlib.util.spec_from_file_location("commonmark_conformance", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    figures = module.measure()
    assert all(figures[name][0] >= floor for name, floor in FLOOR.items()), figures
