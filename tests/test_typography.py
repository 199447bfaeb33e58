"""French typography everywhere a reader sees text in the site's language (issue 18, items 5 and 6):
the table of contents says what its headings say, the theme's labels follow the same rules as article
text, and nothing that looks like code (inline code, <pre>, <kbd>, <samp>, <var>, URLs, attributes)
is ever typeset. Exact characters are checked: U+00A0 (no-break space) before ":" and inside « »,
U+202F (narrow no-break space) before ; ! ?."""
from __future__ import annotations

import xml.etree.ElementTree as etree

import pytest

from contentkit.content.markdown import new_engine, render_markdown
from contentkit.content.typography import typeset, typeset_labels
from contentkit.i18n import catalog

NBSP, NNBSP = "\u00a0", "\u202f"

HEADINGS = """
Introduction.

## Pourquoi migrer ? « Vite » : oui!

Texte.

## Le champ `mixedInstancesPolicy :` et <kbd>Ctrl ;</kbd>

Texte.

### Étape 2 : vérifier

Texte.

## Un autre titre ! {data-toc-label="Court : écrit tel quel"}

Texte.
"""
BODY_WORDS = " ".join(["mot"] * 1600)  # long enough for the theme to show its table of contents


# Item 5: the table of contents ------------------------------------------------------------------
def test_toc_labels_keep_the_typography_of_their_headings_in_the_built_page(site):
    site.post("toc", title="Sommaire typographié", date="2024-03-10", body=HEADINGS + "\n" + BODY_WORDS + "\n")
    site.build(use_cache=False)
    doc = site.html("/2024/sommaire-typographie/")
    labels = [a.text_content() for a in doc.xpath("//nav[contains(@class, 'toc-box')]//a")]
    headings = [h.xpath("string(.)").rstrip("#") for h in doc.xpath("//div[@class='post-body']//*[self::h2 or self::h3]")]
    assert labels[0] == f"Pourquoi migrer{NNBSP}? «{NBSP}Vite{NBSP}»{NBSP}: oui{NNBSP}!" == headings[0]
    # Code in a heading is not typeset, in the heading or in the TOC.
    assert labels[1] == "Le champ mixedInstancesPolicy : et Ctrl ;" == headings[1]
    assert labels[2] == f"Étape 2{NBSP}: vérifier" == headings[2]
    # A label the author wrote (data-toc-label) is printed as written.
    assert labels[3] == "Court : écrit tel quel"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_toc_tokens_and_html_are_the_same_with_and_without_the_speed_shortcuts(lang):
    stock = new_engine(lang, shortcuts=False)
    stock.convert(HEADINGS)
    ours = render_markdown(HEADINGS, lang)
    assert (ours.toc_html, ours.toc) == (stock.toc, stock.toc_tokens)
    if lang == "fr":
        assert ours.toc[0]["name"] == f"Pourquoi migrer{NNBSP}? «{NBSP}Vite{NBSP}»{NBSP}: oui{NNBSP}!"


# Item 5: the theme's labels ---------------------------------------------------------------------
def _tags_label(site, language: str) -> str:
    site.config(language=language)
    site.post("etiquettes", title="Avec étiquettes", date="2024-03-10", tags=["cloud"], body="Texte.\n")
    site.build(use_cache=False)
    doc = site.html("/2024/avec-etiquettes/")
    return doc.xpath("string(//span[@class='tags-label'])")


def test_the_tags_label_has_a_no_break_space_before_its_colon_in_french(site):
    assert _tags_label(site, "fr") == f"Étiquettes{NBSP}:"


def test_the_tags_label_has_no_space_before_its_colon_in_english(site):
    assert _tags_label(site, "en") == "Tags:"


def test_screen_reader_text_of_read_more_links_is_typeset(site):
    site.post("carte", title="Une carte", date="2024-03-10", body="Texte.\n")
    site.post("rd", title="R&D <enfin>", date="2024-03-09", body="Texte.\n")
    site.build(use_cache=False)
    hidden = site.html("/").xpath("//p[@class='card-more']//span[@class='visually-hidden']")
    assert [h.text for h in hidden] == [f"{NBSP}: Une carte", f"{NBSP}: R&D <enfin>"]  # escaped once


def test_catalog_labels_are_typeset_like_article_text():
    fr = typeset_labels(catalog("fr").section("site"), "fr")
    assert fr["tag_title"] == f"Étiquette «{NBSP}{{name}}{NBSP}»"
    assert fr["topic_hub"] == f"Dossier thématique{NBSP}:"
    en = typeset_labels(catalog("en").section("site"), "en")
    assert en["tags_label"] == "Tags:" and en["topic_hub"] == "Topic hub:"
    # Babel patterns are not prose: left as written.
    assert fr["event_datetime_format"] == catalog("fr").section("site")["event_datetime_format"]
    # Every label, once typeset, is stable: the rules are the ones of article text, applied once.
    assert all(typeset(value, "fr") == value for value in fr.values() if isinstance(value, str))


# Item 6 (half): never inside anything that looks like code -----------------------------------------
def _body(markdown_text: str, lang: str = "fr") -> str:
    return render_markdown(markdown_text, lang).html


def test_inline_code_keeps_its_plain_spaces():
    html = _body("Réglez `mixedInstancesPolicy :` puis `« 4x_32Gb »` et `ok ?` : voilà.")
    assert "<code>mixedInstancesPolicy :</code>" in html
    assert "<code>« 4x_32Gb »</code>" in html
    assert "<code>ok ?</code>" in html
    assert f"</code>{NBSP}: voilà" in html


def test_code_blocks_are_untouched():
    html = _body("Avant :\n\n    spec:\n      mixedInstancesPolicy : {}\n      label: \"« 4x_32Gb »\" ; ok ?\n")
    assert f"Avant{NBSP}:" in html
    code = html[html.index("<pre"):]
    assert NBSP not in code and NNBSP not in code and "mixedInstancesPolicy" in code


@pytest.mark.parametrize("tag", ["kbd", "samp", "var", "code"])
def test_kbd_samp_var_elements_are_untouched(tag):
    # The elements as a tree: what an extension (or md_in_html) puts there.
    md = new_engine("fr")
    root = etree.Element("div")
    p = etree.SubElement(root, "p")
    p.text = "Tapez : "
    el = etree.SubElement(p, tag)
    el.text = "x : y ; « z » 'a'"
    el.tail = " puis validez !"
    md.treeprocessors["typography"].run(root)
    assert el.text == "x : y ; « z » 'a'"
    assert p.text == f"Tapez{NBSP}: " and el.tail == f" puis validez{NNBSP}!"


def test_raw_html_kbd_samp_var_in_markdown_are_untouched():
    html = _body("Appuyez sur <kbd>Ctrl :</kbd>, lisez <samp>Erreur : 42 !</samp> et <var>n ?</var> : fini.")
    assert "<kbd>Ctrl :</kbd>" in html and "<samp>Erreur : 42 !</samp>" in html and "<var>n ?</var>" in html
    assert f"{NBSP}: fini." in html


def test_urls_in_text_are_not_typeset():
    html = _body("Voir https://fr.wikipedia.org/wiki/L'Oréal et https://exemple.fr/a;b?c=1 ; "
                 "ou www.exemple.fr/page... et l'été !")
    assert "https://fr.wikipedia.org/wiki/L'Oréal" in html          # no ’ inside the URL
    assert "https://exemple.fr/a;b?c=1" in html                     # no U+202F inside it
    assert f"c=1{NNBSP};" in html                                   # the sentence's ; is typeset
    assert "www.exemple.fr/page" in html
    assert f"l\u2019été{NNBSP}!" in html                            # the prose around is typeset


def test_autolinks_keep_their_url_as_text_and_attribute():
    html = _body("Lien : <https://exemple.fr/l'outil?x=1;y=2> !")
    assert ">https://exemple.fr/l'outil?x=1;y=2</a>" in html
    assert 'href="https://exemple.fr/l\'outil?x=1;y=2"' in html
    assert f"Lien{NBSP}:" in html


def test_link_attributes_are_never_typeset():
    html = _body("Un [lien](https://exemple.fr/l'a?q=1;b \"Titre : ici\") ici : là.")
    assert 'href="https://exemple.fr/l\'a?q=1;b"' in html
    assert 'title="Titre : ici"' in html
    assert f"ici{NBSP}: là." in html


def test_english_urls_keep_straight_quotes_and_apostrophes():
    out = typeset('See https://example.com/don\'t "quoted" and it\'s done', "en")
    assert out == "See https://example.com/don't \u201cquoted\u201d and it\u2019s done"


def test_raw_html_code_tag_spanning_markdown_and_an_unclosed_one():
    html = _body("Tapez <kbd>**Ctrl** :</kbd> ou <code>a ; b</code> !\n\nEt <kbd>oubli : ici\n\nSuite : ok !")
    assert "<kbd><strong>Ctrl</strong> :</kbd>" in html and "<code>a ; b</code>" in html
    assert f"</code>{NNBSP}!" in html
    # An unclosed raw <kbd> leaves out the rest of its paragraph only.
    assert "oubli : ici" in html and f"Suite{NBSP}: ok{NNBSP}!" in html
