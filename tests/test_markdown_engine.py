"""The Markdown engine's shortcuts change nothing an author can see.

content/markdown.py skips whole-tree passes a document cannot need (backslash escapes, attribute
lists, the [TOC] marker) and builds Pygments' style table once. Each feature still works, and the
shortcuts give the same HTML as running every pass."""
from __future__ import annotations

import random

import lxml.html
import pytest

from contentkit.content import markdown as engine
from contentkit.content.markdown import render_markdown


def fragment(html: str):
    return lxml.html.fragment_fromstring(html, create_parent="div")


def test_toc_marker_is_replaced_by_the_table_of_contents():
    doc = fragment(render_markdown("Intro.\n\n[TOC]\n\n## Premier point\n\n### Détail\n\n## Second\n", "fr").html)
    toc = doc.xpath("//div[@class='toc']")
    assert len(toc) == 1
    assert [a.get("href") for a in toc[0].iter("a")] == ["#premier-point", "#detail", "#second"]
    assert "[TOC]" not in doc.text_content()


def test_backslash_escapes_show_the_character_literally():
    doc = fragment(render_markdown("Un \\*faux\\* accent et un \\_souligné\\_ \\\\ fin.", "fr").html)
    assert doc.xpath("//em") == []
    assert "*faux*" in doc.text_content() and "_souligné_" in doc.text_content()
    assert "\\ fin" in doc.text_content()


def test_attribute_lists_set_classes_and_ids():
    doc = fragment(render_markdown("## Titre {#mon-ancre}\n\nParagraphe\n{: .lead }\n", "fr").html)
    assert doc.xpath("//h2/@id") == ["mon-ancre"]
    assert doc.xpath("//p/@class") == ["lead"]


def test_code_blocks_in_different_languages_are_each_highlighted():
    md = "```python\ndef f():\n    return 1\n```\n\n```bash\nexport A=1\necho \"$A\"\n```\n\n```\nbrut\n```\n"
    doc = fragment(render_markdown(md, "fr").html)
    blocks = doc.xpath("//div[@class='highlight']")
    assert len(blocks) == 3
    python, bash, plain = blocks
    assert python.xpath(".//span[@class='k']/text()") == ["def", "return"]
    assert "export" in bash.xpath(".//span[@class='nb']/text()")
    assert plain.xpath(".//span[@class]") == [] and "brut" in plain.text_content()


REFERENCE = {lang: engine.new_engine(lang, shortcuts=False) for lang in ("fr", "en")}
# Front-matter Markdown (summaries) is rendered with raw HTML escaped (docs/security.md).
ESCAPING = {lang: engine.new_engine(lang, shortcuts=False, raw_html="escape") for lang in ("fr", "en")}


def _stock_escaping(body: str, lang: str) -> str:
    md = ESCAPING[lang]
    md.reset()
    return md.convert(body)


def _stock(body: str, lang: str) -> str:
    md = REFERENCE[lang]
    md.reset()
    return md.convert(body)


PIECES = ["Un paragraphe : simple !", "Texte avec \\*échappement\\*.", "## Titre {#ancre}", "[TOC]",
          "Para\n{: .note}", "* liste\n* encore", "1. un\n2. deux", "| a | b |\n|---|---|\n| 1 | 2 |",
          "a | b\n--|--\n1 | 2", "`code {x}`", "```python\nx = {1: 2}\n```", "    code indenté",
          "Lien [ici](https://exemple.fr/) et « guillemets »", "Note[^1].\n\n[^1]: La note.",
          "!!! note \"Titre\"\n    Corps.", "    suite indentée", "> citation \\[x\\]", "> a\n> b",
          "### Sous-titre", "Titre souligné\n===", "Autre\n---", "* * *", "___", "- - -",
          "Terme\n:   Définition", "*[HTML]: Hyper Text", "Le HTML ici.", "[ref]: https://exemple.fr/ \"T\"",
          "Voir [ref] et [x][ref].", "Texte avec { accolade seule", "#hashtag pas titre", "a-b_c*d", "<div>bloc</div>",
          "Ligne: deux points", "x ]: y [^ z", "Fin de ligne  \nsuite", "Image ![alt](/a.png) ici !",
          "![ref img][ref]", "Lien <https://exemple.fr/a> et <nom@exemple.fr>", "a < b > c :// d @ e",
          "&amp; &copy; &#233; & seul ; ici", "<span class=\"x\">en ligne</span>", "Quoi ! Vraiment ?",
          "**gras** et _souligné_ et *em*", "Code `a < b` et ``double ` tick``", "## A & B < C > D",
          "### Lien [ici](/x) et `code` &amp; <em>html</em>", "## Même titre", "## Même titre", "#### Trop bas",
          "## Titre {#id-choisi .classe}", "# Haut"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_shortcuts_give_the_html_of_the_stock_engine(lang):
    rng = random.Random(7)
    for _ in range(300):
        body = "\n\n".join(rng.choice(PIECES) for _ in range(rng.randint(1, 10)))
        if rng.random() < 0.3:
            body = body.replace("\n\n", "\n", rng.randint(1, 3))  # blocks that run together
        ours = render_markdown(body, lang)
        assert ours.html == _stock(body, lang), body
        assert (ours.toc_html, ours.toc) == (REFERENCE[lang].toc, REFERENCE[lang].toc_tokens), body


INLINE_BITS = ["Pourquoi", "migrer", "l'été", "\"cloud\"", "«", "»", ":", ";", "!", "?", "...", "50", "%", "1.",
               "2)", "-", "—", "(note)", "x_y", "*", "_", "[", "]", "<b>", "&", "`", "#", "|", "{", "}",
               "~", "=", "+", "\\", "https://exemple.fr/", "  ", "\t", "\n", "é", "3,5", "Md€", "\u00a0"]


@pytest.mark.parametrize("lang", ["fr", "en", "de"])
def test_summaries_render_as_the_engine_renders_them(lang):
    """render_inline's shortcut for plain one-line prose gives what a whole conversion gives."""
    def engine_inline(text: str) -> str:
        html = _stock_escaping(text, lang).strip() if lang in ESCAPING else \
            engine.render_markdown(text, lang, raw_html="escape").html.strip()
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            html = html[3:-4]
        return html

    rng = random.Random(11)
    shortcut_taken = 0
    for _ in range(1500):
        text = " ".join(rng.choice(INLINE_BITS) for _ in range(rng.randint(1, 8)))
        text = text if rng.random() < 0.5 else text.strip()
        shortcut_taken += bool(engine._PLAIN_INLINE.fullmatch(text))
        assert engine.render_inline(text, lang) == engine_inline(text), repr(text)
    assert shortcut_taken > 50  # the comparison covers the shortcut, not only the engine


def test_lexer_memo_is_per_engine_and_gives_the_stock_highlighting():
    """The lexer-class memo lives in the engine's own `hilite` pass: codehilite's module (what
    every other Markdown user in the process calls) is left as Pygments made it."""
    import markdown.extensions.codehilite as codehilite
    import pygments.lexers

    body = ("```python\nx = {1: 2}\n```\n\n    :::bash\n    echo \"$A\"\n\n```nosuchlang\nz < 1\n```\n\n"
            "```\nbrut\n```\n\n```python\ny = 2\n```\n")
    for lang in ("fr", "en"):
        assert render_markdown(body, lang).html == _stock(body, lang)
    assert codehilite.get_lexer_by_name is pygments.lexers.get_lexer_by_name
