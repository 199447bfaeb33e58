"""Readability scores, text measures and editorial checks on rendered article HTML."""
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from contentkit.analytics import syllables
from contentkit.analytics.readability import (
    TOO_SHORT, Check, editorial_checks, editorial_hints, flesch_kandel_moles, lix, readability,
    readability_scores, text_measures)
from contentkit.text import count_words, prose_blocks, reading_time_minutes

# Hand count — words (elisions are one word, numbers one token, "%" none):
#   S1 Les PME françaises investissent dans la cybersécurité = 7 words
#   S2 Aujourd'hui l'économie numérique impose des échéances serrées 12,5 des entreprises ont
#      subi une attaque en 2023 = 16 words
#   S3 M Dupont directeur financier le confirme = 6 words ("M." does not end a sentence)
#   -> 29 words, 3 sentences.
# Syllables: S1 1+3(P-M-E)+2+3(in-ves-tiss)+1+1+6 = 17;
#   S2 3+4+3+2(im-pos)+1+3+2+1(12,5)+1+3+1+2+1+2+1+1(2023) = 31; S3 1+2+3+3+1+2 = 12 -> 60.
# Words over 6 letters: françaises investissent cybersécurité aujourd'hui l'économie numérique
#   échéances serrées entreprises attaque directeur financier confirme -> 13.
FR_PARAGRAPH = ("Les PME françaises investissent dans la cybersécurité. Aujourd’hui, l’économie "
                "numérique impose des échéances serrées\u00a0: 12,5\u00a0% des entreprises ont "
                "subi une attaque en 2023. M. Dupont, directeur financier, le confirme.")
FR_COUNTS = dict(words=29, sentences=3, syllables=60, long_words=13)

# Hand count — words: S1 Most clients don't read long reports = 6; S2 In 2023 the U.S team
#   shipped 1,250 updates Mr Smith approved each one = 13; S3 Why does it matter = 4;
#   S4 Simple pages convert better = 4 -> 27 words, 4 sentences ("U.S." and "Mr." don't split).
# Syllables: S1 1+2+1+1+1+2 = 8; S2 1+1+1+2(U-S)+1+1+1+2+2(mis-ter)+1+2+1+1 = 17;
#   S3 1+1+1+2 = 5; S4 2+2+2+2 = 8 -> 38.
# Words over 6 letters: clients reports shipped updates approved convert -> 6.
EN_PARAGRAPH = ("Most clients don't read long reports. In 2023, the U.S. team shipped 1,250 "
                "updates; Mr. Smith approved each one. Why does it matter? Simple pages convert "
                "better.")
EN_COUNTS = dict(words=27, sentences=4, syllables=38, long_words=6)


def _html(paragraph, copies=1):
    return "".join(f"<p>{paragraph}</p>\n" for _ in range(copies))


@pytest.mark.parametrize("paragraph, lang, counts", [
    (FR_PARAGRAPH, "fr", FR_COUNTS), (EN_PARAGRAPH, "en", EN_COUNTS)], ids=["fr", "en"])
def test_hand_counted_paragraph(paragraph, lang, counts):
    m = text_measures(_html(paragraph), lang)
    assert (m.words, m.sentences, m.syllables, m.long_words) == tuple(counts.values())
    assert m.paragraphs == 1 and m.reading_time_min == 1


def test_french_scores_recomputed_from_hand_counts():
    # 4 copies of the paragraph: 116 words, 12 sentences, 240 syllables, 52 long words.
    scores = readability(_html(FR_PARAGRAPH, 4), "fr_FR")
    assert scores.reason is None
    assert set(scores.scores) == {"flesch_kandel_moles", "lix"}  # no US grade for French
    assert scores["flesch_kandel_moles"] == pytest.approx(207 - 1.015 * 116 / 12
                                                          - 73.6 * 240 / 116)
    assert scores["lix"] == pytest.approx(116 / 12 + 100 * 52 / 116)


def _english_scores_match_hand_counts():
    # 4 copies: 108 words, 16 sentences, 152 syllables, 24 long words.
    scores = readability(_html(EN_PARAGRAPH, 4), "en")
    assert scores.reason is None
    assert set(scores.scores) == {"flesch_reading_ease", "flesch_kincaid_grade", "lix"}
    assert scores["flesch_reading_ease"] == pytest.approx(206.835 - 1.015 * 108 / 16
                                                          - 84.6 * 152 / 108)
    assert scores["flesch_kincaid_grade"] == pytest.approx(0.39 * 108 / 16 + 11.8 * 152 / 108
                                                           - 15.59)
    assert scores["lix"] == pytest.approx(108 / 16 + 100 * 24 / 108)


def test_english_scores_recomputed_from_hand_counts():
    _english_scores_match_hand_counts()


def _no_network(*args, **kwargs):
    raise OSError("network disabled in this test")


def test_english_scores_with_the_network_disabled(monkeypatch):
    monkeypatch.setattr(socket, "socket", _no_network)
    monkeypatch.setattr(socket, "create_connection", _no_network)
    syllables._cmu.cache_clear()  # the dictionary is loaded again, under the patch
    _english_scores_match_hand_counts()


def test_scoring_english_imports_neither_nltk_nor_textstat():
    code = ("import sys, socket\n"
            "def no_network(*a, **k): raise OSError('offline')\n"
            "socket.socket = no_network\n"
            "from contentkit.analytics.readability import readability\n"
            f"s = readability({_html(EN_PARAGRAPH, 4)!r}, 'en')\n"
            "assert s['flesch_reading_ease'] is not None\n"
            "assert 'nltk' not in sys.modules and 'textstat' not in sys.modules\n")
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_under_100_words_every_score_is_none_with_a_reason():
    ten = "Les équipes commerciales suivent chaque client avec beaucoup de soin. "  # 10 words
    nine = "Les équipes commerciales suivent chaque client avec grand soin. "        # 9 words
    short = readability_scores(text_measures(f"<p>{ten * 9 + nine}</p>", "fr"))
    assert short.scores == {"flesch_kandel_moles": None, "lix": None}
    assert short.reason == TOO_SHORT == "too short to score"
    enough = readability_scores(text_measures(f"<p>{ten * 10}</p>", "fr"))
    assert enough.reason is None and enough["flesch_kandel_moles"] is not None
    assert readability("", "en").scores == dict.fromkeys(
        ["flesch_reading_ease", "flesch_kincaid_grade", "lix"])


def test_other_languages_get_lix_only():
    html = "<p>" + "Die Firma wächst schnell und stellt neue Mitarbeiter ein. " * 12 + "</p>"
    m = text_measures(html, "de")
    assert m.syllables is None and m.words == 108
    assert readability_scores(m).scores == {"lix": pytest.approx(108 / 12 + 100 * 24 / 108)}


def test_flesch_ease_scores_are_clamped_to_0_100_but_not_the_grade():
    easy = readability(_html("We go. " * 50), "en")       # 2 one-syllable words a sentence
    assert easy["flesch_reading_ease"] == 100              # 120.2 unclamped
    assert easy["flesch_kincaid_grade"] == pytest.approx(0.39 * 2 + 11.8 - 15.59)
    hard = readability(_html("réglementation " * 99 + "réglementation."), "fr")
    assert hard["flesch_kandel_moles"] == 0                # one 100-word sentence, 5 syl/word
    assert flesch_kandel_moles(100, 1, 500) == 0


def test_sentences_are_counted_per_prose_block():
    html = ("<h2>Pourquoi investir maintenant</h2>"
            "<ul><li>Réduire les coûts</li><li>Gagner du temps</li><li>Rassurer les clients</li>"
            "</ul><p>Le marché change. Les clients attendent.</p>"
            "<table><tr><td>Chiffre non compté dans la prose</td></tr></table>"
            "<pre><code>print('pas de la prose')</code></pre>")
    m = text_measures(html, "fr")
    assert m.sentences == 1 + 3 + 2            # heading, 3 items, 2 sentences; no table/code
    assert m.words == 3 + 3 + 3 + 3 + 3 + 3
    assert m.paragraphs == 1 and m.subheadings == 1


def test_site_and_analytics_share_one_word_count():
    html = _html(FR_PARAGRAPH, 3) + "<h2>Suite</h2><ul><li>Un point l’économie</li></ul>"
    site_words = sum(count_words(b.text, "fr") for b in prose_blocks(html))
    m = text_measures(html, "fr")
    assert m.words == site_words == 29 * 3 + 1 + 3
    assert m.reading_time_min == reading_time_minutes(site_words, "fr")


# --------------------------------------------------------------------------- structure checks

STARTERS = ["Nous", "Vous", "Elles", "Ils", "Chacun"]


def _sentence(n, first):
    filler = ["projet", "client", "équipe", "budget", "marché"]
    return " ".join([first] + [filler[i % 5] for i in range(n - 1)]) + "."


def _paragraph(lengths, starters=STARTERS):
    return "<p>" + " ".join(_sentence(n, starters[i % len(starters)])
                            for i, n in enumerate(lengths)) + "</p>"


def _structured_article():
    # Intro: 3 sentences of 40 words + 48 of 10 = 600 words, in 4 paragraphs of 150 words.
    intro = _paragraph([40, 40, 40, 10, 10, 10]) + "".join(
        _paragraph([10] * 15) for _ in range(3))
    section = ("<h2>Deuxième partie</h2>" + _paragraph([10] * 16)           # 160 words
               + _paragraph([10, 10, 10], starters=["Ensuite"]))           # same first word x3
    return intro + section


def test_structure_measures():
    m = text_measures(_structured_article(), "fr")
    assert m.words == 600 + 2 + 160 + 30
    assert m.words_before_first_subheading == 600
    assert m.max_words_between_subheadings == 190
    assert m.subheadings == 1
    assert m.longest_paragraph_words == 160 and m.paragraphs_over_150 == 1
    assert m.sentences_over_35 == 3
    assert m.long_sentences == 3 and m.sentences == 3 + 48 + 1 + 16 + 3
    assert m.long_sentence_share == pytest.approx(3 / 71)
    assert (m.consecutive_same_start, m.consecutive_same_start_word) == (3, "Ensuite")


def test_editorial_checks_follow_yoast_conventions():
    checks = {c.name: c for c in editorial_checks(text_measures(_structured_article(), "fr"))}
    assert set(checks) == {"long_sentences", "paragraph_length", "subheading_distribution",
                           "consecutive_sentences"}
    assert all(isinstance(c, Check) and c.convention.startswith("Yoast") for c in checks.values())
    assert checks["long_sentences"].passed                      # 4 % <= 25 %
    assert not checks["paragraph_length"].passed                # 160 > 150
    assert checks["paragraph_length"].value == 160
    assert not checks["subheading_distribution"].passed         # 600 words before the first h2
    assert checks["subheading_distribution"].value == 600
    assert not checks["consecutive_sentences"].passed


def _passed(html):
    return {c.name: c.passed for c in editorial_checks(text_measures(html, "fr"))}


def test_check_limits_are_inclusive():
    assert _passed(_paragraph([21, 10, 10, 10]))["long_sentences"]         # 1 in 4 = 25 %
    assert not _passed(_paragraph([21, 10, 10]))["long_sentences"]         # 1 in 3
    assert _passed("<h2>T</h2>" + _paragraph([10] * 15))["paragraph_length"]         # 150
    assert not _passed("<h2>T</h2>" + _paragraph([10] * 15 + [1]))["paragraph_length"]
    assert _passed(_paragraph([10] * 30))["subheading_distribution"]        # 300 words
    assert not _passed(_paragraph([10] * 30 + [1]))["subheading_distribution"]
    assert _passed(_paragraph([10, 10], ["Puis"]))["consecutive_sentences"]  # 2 in a row
    assert not _passed(_paragraph([10, 10, 10], ["Puis"]))["consecutive_sentences"]


def test_hints_in_french():
    hints = editorial_hints(text_measures(_structured_article(), "fr"))
    assert hints == [
        "3 phrases de plus de 35 mots",
        "1 paragraphe de plus de 150 mots (le plus long\u00a0: 160)",
        "aucun intertitre dans les 600 premiers mots",
        "3 phrases de suite commencent par «\u00a0Ensuite\u00a0»",
    ]


def test_hints_in_english_and_extra_hints_from_other_analyses():
    article = _structured_article().replace("Ensuite", "Then")
    m = text_measures(article, "en")
    hints = editorial_hints(m, extra=["2 claims without a source"])
    assert hints == [
        "3 sentences over 35 words",
        "1 paragraph over 150 words (longest: 160)",
        "no subheading in the first 600 words",
        "3 sentences in a row start with “Then”",
        "2 claims without a source",
    ]


def test_hints_for_long_sentences_sections_and_no_subheading_at_all():
    long_text = _paragraph([25, 25, 10, 10]) * 4 + _paragraph([10] * 4)  # 8 long out of 20
    hints = editorial_hints(text_measures(long_text, "en"))
    assert "40% of sentences are over 20 words (guideline: 25% at most)" in hints
    assert "no subheading in the whole article (320 words)" in hints
    section = _paragraph([10] * 15) * 2 + _paragraph([10] * 5)  # 350 words, short paragraphs
    hints = editorial_hints(text_measures("<h2>A</h2>" + section, "fr"))
    assert hints == ["un passage de 350 mots sans intertitre"]


def test_a_clean_article_gets_no_hints():
    html = ("<h2>Contexte</h2>" + _paragraph([12, 8, 15]) + "<h2>Méthode</h2>"
            + _paragraph([10, 9]) + "<ul><li>Un point</li><li>Un autre</li></ul>")
    m = text_measures(html, "fr")
    assert editorial_hints(m) == []
    assert all(c.passed for c in editorial_checks(m, "fr"))


# --------------------------------------------------------------------------- textstat

def test_textstat_global_language_is_left_alone(monkeypatch):
    import textstat

    monkeypatch.setattr(textstat.textstat, "_textstatistics__lang", "es")
    for html, lang in ((_html(FR_PARAGRAPH, 4), "fr"), (_html(EN_PARAGRAPH, 4), "en"),
                       ("<p>Hallo Welt.</p>", "de")):
        readability(html, lang)
        editorial_hints(text_measures(html, lang))
    assert textstat.textstat._textstatistics__lang == "es"


def test_our_formula_coefficients_match_textstat_french_instance():
    from textstat.textstat import textstatistics

    french = textstatistics()  # one instance per language, never textstat.set_lang
    french.set_lang("fr")
    text = ("Les entreprises françaises investissent davantage dans la formation. Cette "
            "tendance concerne surtout les petites structures régionales. Elle progresse vite.")
    words, sentences = french.lexicon_count(text), french.sentence_count(text)
    syl = french.syllable_count(text)
    assert flesch_kandel_moles(words, sentences, syl) == pytest.approx(
        french.flesch_reading_ease(text))


@pytest.mark.parametrize("lang, text", [
    ("fr", "Les entreprises françaises investissent davantage dans la formation. Cette "
           "tendance concerne surtout les petites structures régionales. Elle progresse vite."),
    ("en", "Most companies publish their quarterly reports online. Investors compare these "
           "documents carefully before deciding. Nobody reads everything."),
])
def test_lix_matches_textstat_where_segmentations_agree(lang, text, monkeypatch):
    """Plain sentences of 3+ words, no elision or number: both tools must count alike."""
    from textstat.textstat import textstatistics

    monkeypatch.setattr(socket, "socket", _no_network)  # textstat's LIX needs no CMUdict
    instance = textstatistics()
    instance.set_lang(lang)
    m = text_measures(f"<p>{text}</p>", lang)
    assert lix(m.words, m.sentences, m.long_words) == pytest.approx(instance.lix(text))


def test_checks_and_hints_reject_wrong_arguments_with_type_error():
    m = text_measures(_html(FR_PARAGRAPH), "fr")
    with pytest.raises(TypeError):
        editorial_hints("<p>not measures</p>")
    with pytest.raises(TypeError):
        editorial_checks(m, object())
    assert editorial_hints(m, "fr") == []


def test_parallel_list_items_are_not_a_run_of_same_start_sentences():
    items = "".join(f"<li>Les coûts du poste {i} augmentent chaque année.</li>" for i in range(5))
    listed = text_measures(f"<p>Introduction courte du sujet.</p><ul>{items}</ul>", "fr")
    assert listed.consecutive_same_start == 1
    prose = "".join(f"<p>Les coûts du poste {i} augmentent chaque année.</p>" for i in range(3))
    assert text_measures(prose, "fr").consecutive_same_start == 3
