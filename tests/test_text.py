"""Prose extraction, word and sentence conventions shared by the site and the analytics."""
import pytest

from contentkit.text import (ProseBlock, count_words, prose_blocks, reading_time_minutes,
                             split_sentences, tokenize_words)

NBSP, NNBSP = "\u00a0", "\u202f"

# What Python-Markdown (extra, toc with permalinks, admonition, codehilite, footnotes) renders.
RENDERED = """
<div class="toc"><ul><li><a href="#titre-un">Titre un</a></li></ul></div>
<h2 id="titre-un">Titre un<a class="headerlink" href="#titre-un" title="Permanent link">&para;</a></h2>
<p>Un paragraphe avec une note<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>
et du <code>code_inline()</code> ici. Voir https://exemple.fr/page. Ou www.exemple.fr, enfin.</p>
<div class="admonition note">
<p class="admonition-title">Attention</p>
<p>Texte d'avertissement.</p>
</div>
<ul>
<li>item un<ul>
<li>sous-item</li>
</ul>
</li>
<li><p>item deux</p></li>
</ul>
<table><thead><tr><th>Année</th></tr></thead><tbody><tr><td>Chiffre 1&#160;234</td></tr></tbody></table>
<div class="codehilite"><pre><span></span><code><span class="nb">print</span>(x)</code></pre></div>
<dl><dt>Terme</dt><dd>Définition.</dd></dl>
<blockquote><p>Citation. Deuxième phrase.</p></blockquote>
<script>var tracking = "secret words";</script><style>p { color: red }</style>
<p><img src="a.png" alt="texte alternatif"><svg><text>dessin</text></svg>
<iframe src="v.html">vidéo</iframe>Légende visible</p>
<div class="footnote"><hr /><ol><li id="fn:1">
<p>La note de bas de page.&#160;<a class="footnote-backref" href="#fnref:1">&#8617;</a></p>
</li></ol></div>
"""


# ------------------------------------------------------------------------------- prose_blocks

def test_prose_blocks_keep_only_prose_in_document_order():
    assert prose_blocks(RENDERED) == [
        ProseBlock("h2", "Titre un"),                      # no TOC entry, no ¶ permalink
        ProseBlock("p", "Un paragraphe avec une note et du ici. Voir. Ou, enfin."),
        ProseBlock("title", "Attention"),
        ProseBlock("p", "Texte d'avertissement."),
        ProseBlock("li", "item un"),                       # the parent item without its sub-list
        ProseBlock("li", "sous-item"),
        ProseBlock("li", "item deux"),                     # <li><p>: kind of the item
        ProseBlock("dt", "Terme"),
        ProseBlock("dd", "Définition."),
        ProseBlock("blockquote", "Citation. Deuxième phrase."),
        ProseBlock("p", "Légende visible"),
    ]


def test_dropped_content_never_reaches_the_word_count():
    text = " ".join(b.text for b in prose_blocks(RENDERED))
    for hidden in ("code_inline", "print", "secret", "color", "texte alternatif", "dessin",
                   "vidéo", "La note de bas", "http", "www", "exemple.fr", "Chiffre", "¶", "↩"):
        assert hidden not in text


def test_tables_are_excluded_by_default_and_available_on_request():
    with_tables = prose_blocks(RENDERED, include_tables=True)
    assert ProseBlock("th", "Année") in with_tables
    assert ProseBlock("td", f"Chiffre 1{NBSP}234") in with_tables
    assert not [b for b in prose_blocks(RENDERED) if b.kind in ("td", "th")]


def test_whitespace_is_normalised_but_thousands_separators_survive():
    html = (f"<p>Le  chiffre{NBSP}:\n 1{NNBSP}234{NBSP}567 clients{NNBSP}; soit 12,5{NBSP}%"
            f" et «{NBSP}oui{NBSP}».</p>")
    [block] = prose_blocks(html)
    assert block.text == f"Le chiffre : 1{NBSP}234{NBSP}567 clients ; soit 12,5 % et « oui »."
    assert count_words(block.text, "en") == 8  # the NBSP-grouped number stays one token


def test_nested_blockquote_list_and_heading_kinds():
    html = ("<h1>Titre</h1><h3>Sous-partie</h3><blockquote><ul><li>cité</li></ul></blockquote>"
            "<table><caption>Tableau 1</caption><tr><td>x</td></tr></table>"
            "<figure><img src='a.png'><figcaption>Une figure</figcaption></figure>")
    assert [(b.kind, b.text) for b in prose_blocks(html, include_tables=True)] == [
        ("h1", "Titre"), ("h3", "Sous-partie"), ("li", "cité"), ("caption", "Tableau 1"),
        ("td", "x"), ("caption", "Une figure")]


def test_empty_and_full_document_inputs():
    assert prose_blocks("") == []
    assert prose_blocks("<pre><code>only code</code></pre>") == []
    doc = "<html><head><title>T</title></head><body><p>Corps du texte.</p></body></html>"
    assert prose_blocks(doc) == [ProseBlock("p", "Corps du texte.")]


# ------------------------------------------------------------------------------- words

@pytest.mark.parametrize("text, expected", [
    # Elided forms are ONE word, as in Word / LibreOffice / Google Docs.
    ("l'économie", ["l'économie"]),
    ("l’économie", ["l'économie"]),                       # curly apostrophe = straight
    ("c'est qu'il jusqu'à", ["c'est", "qu'il", "jusqu'à"]),
    ("aujourd'hui", ["aujourd'hui"]),
    ("peut-être a-t-il", ["peut-être", "a-t-il"]),
    ("24/03/15 et/ou 14:30", ["24/03/15", "et/ou", "14:30"]),
    ("1 234,5 1\u00a0234,5 1\u202f234,5", ["1 234,5", "1\u00a0234,5", "1\u202f234,5"]),
    ("12,5 %", ["12,5"]),
    ("3.5 3,5 1,234.5", ["3.5", "3,5", "1,234.5"]),
    ("« Oui » — dit-il… !", ["Oui", "dit-il"]),
    ("en 2023 150 entreprises", ["en", "2023", "150", "entreprises"]),  # not a 7-digit number
    ("de 3 000 à 12 500 000 €", ["de", "3 000", "à", "12 500 000"]),
    ("av. J.-C., 100 €, COVID-19", ["av", "J.-C", "100", "COVID-19"]),
])
def test_french_tokens(text, expected):
    assert tokenize_words(text, "fr") == expected


@pytest.mark.parametrize("text, expected", [
    ("don't the students' work", ["don't", "the", "students", "work"]),
    ("1,234.5 and 3.5% of $5", ["1,234.5", "and", "3.5", "of", "5"]),
    ("1\u00a0234 units", ["1\u00a0234", "units"]),  # a no-break space groups digits everywhere
    ("1 234 units", ["1", "234", "units"]),          # a plain one only in French
    ("the U.S. e.g. self-service word--word", ["the", "U.S", "e.g", "self-service", "word",
                                                "word"]),
    ("🚀 → • … ©", []),
])
def test_english_tokens(text, expected):
    assert tokenize_words(text, "en") == expected


def test_count_words_on_hand_counted_french_paragraph():
    text = ("Aujourd’hui, l’économie française représente 2 500 milliards d’euros : c’est "
            "peut-être 3,5 % de plus qu’en 2022. « Un record », dit-on.")
    # Hand count: Aujourd'hui(1) l'économie(2) française(3) représente(4) 2 500(5)
    # milliards(6) d'euros(7) c'est(8) peut-être(9) 3,5(10) de(11) plus(12) qu'en(13)
    # 2022(14) Un(15) record(16) dit-on(17) -> 17 words.
    assert count_words(text, "fr") == 17
    assert count_words(text, "fr_FR") == 17


def test_count_words_on_hand_counted_english_paragraph():
    text = ("Since 2021, our self-service portal's usage grew 35% — that's 12,400 accounts. "
            "It isn't magic: it's onboarding (see https://example.com/docs).")
    # Hand count: Since(1) 2021(2) our(3) self-service(4) portal's(5) usage(6) grew(7) 35(8)
    # that's(9) 12,400(10) accounts(11) It(12) isn't(13) magic(14) it's(15) onboarding(16)
    # see(17) -> 17 words; the bare URL is removed by prose_blocks before anyone counts.
    [block] = prose_blocks(f"<p>{text}</p>")
    assert block.text.endswith("onboarding (see).")
    assert count_words(block.text, "en") == 17


# ------------------------------------------------------------------------------- sentences

@pytest.mark.parametrize("text, expected", [
    ("M. Dupont est venu. Mme. Martin aussi. Le Dr. Petit a signé.",
     ["M. Dupont est venu.", "Mme. Martin aussi.", "Le Dr. Petit a signé."]),
    ("Il cite p. ex. Hugo, cf. Figure 2 et la p. 12. Puis il part.",
     ["Il cite p. ex. Hugo, cf. Figure 2 et la p. 12.", "Puis il part."]),
    # etc. before a lowercase word continues the sentence, before a capital it ends it.
    ("Des pommes, des poires, etc. et des prunes.",
     ["Des pommes, des poires, etc. et des prunes."]),
    ("Des pommes, des poires, etc. Ensuite, le dessert.",
     ["Des pommes, des poires, etc.", "Ensuite, le dessert."]),
    ("César meurt en 44 av. J.-C. Auguste lui succède.",
     ["César meurt en 44 av. J.-C.", "Auguste lui succède."]),
    ("Le taux passe de 3.5 à 3,5. Puis il baisse.",
     ["Le taux passe de 3.5 à 3,5.", "Puis il baisse."]),
    ("Il hésite... puis il signe… Enfin, il part.",
     ["Il hésite... puis il signe…", "Enfin, il part."]),
    ("Selon J. Dupont, tout va bien. Le plan B. Ensuite le plan C.",
     ["Selon J. Dupont, tout va bien.", "Le plan B.", "Ensuite le plan C."]),
    ("« Il a dit. » Puis il est parti.", ["« Il a dit. »", "Puis il est parti."]),
    ("« Qui est là ? » demanda-t-il. Pourquoi ? Parce que ! Voilà.",
     ["« Qui est là ? » demanda-t-il.", "Pourquoi ?", "Parce que !", "Voilà."]),
    ("Il voit (voir l'annexe). Puis il signe.", ["Il voit (voir l'annexe).", "Puis il signe."]),
])
def test_french_sentences(text, expected):
    assert split_sentences(text, "fr") == expected


@pytest.mark.parametrize("text, expected", [
    ("Mr. Smith joined the U.S. Army, e.g. as a cook. Then i.e. nothing changed.",
     ["Mr. Smith joined the U.S. Army, e.g. as a cook.", "Then i.e. nothing changed."]),
    ("He left at 5 p.m. Then he slept. See no. 5 for details. Say no. Then go!",
     ["He left at 5 p.m.", "Then he slept.", "See no. 5 for details.", "Say no.", "Then go!"]),
    ('She said "done." Then she left.', ['She said "done."', "Then she left."]),
    ("Costs rose 3.5%. Why? Nobody knows!", ["Costs rose 3.5%.", "Why?", "Nobody knows!"]),
])
def test_english_sentences(text, expected):
    assert split_sentences(text, "en") == expected


def test_a_heading_or_list_item_is_one_sentence_without_final_punctuation():
    assert split_sentences("Pourquoi les PME investissent", "fr") == [
        "Pourquoi les PME investissent"]
    assert split_sentences("Réduire les coûts de 3,5 %", "fr") == ["Réduire les coûts de 3,5 %"]


def test_pieces_without_words_are_not_sentences():
    assert split_sentences("…", "fr") == []
    assert split_sentences("Fin. … Suite", "fr") == ["Fin.", "Suite"]


# ------------------------------------------------------------------------------- reading time

def test_reading_time_uses_language_speeds_and_is_at_least_one_minute():
    assert reading_time_minutes(0, "fr") == 1
    assert reading_time_minutes(1000, "fr") == 5        # 200 words a minute in French
    assert reading_time_minutes(1000, "en_GB") == 4     # 230 in English: 4.35 -> 4
    assert reading_time_minutes(1150, "en") == 5        # 5.0
    assert reading_time_minutes(1100, "de") == 6        # 200 by default: 5.5 rounds up
