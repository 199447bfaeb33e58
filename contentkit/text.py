"""Prose extraction, word counting and sentence splitting, shared by the site build and analytics.

One word counter serves both the reading time shown on the site and the editorial analytics, so an
author never sees two different word counts for the same article. Everything here works on the
*rendered HTML* of an article (the "prose only" source): Markdown is never re-parsed.

Conventions (each one is tested in tests/test_text.py)
------------------------------------------------------
Words
  * A word is a run of letters/digits; an apostrophe (' or ’) or a hyphen between two letters or
    digits joins, so elided forms are ONE word: ``l'économie``, ``c'est``, ``qu'il``, ``jusqu'à``,
    ``aujourd'hui``, ``don't``. This is what Word, LibreOffice and Google Docs count, so the
    figure matches the one the author's editor shows for a "1 500 mots" brief.
  * Hyphenated compounds are one word (``peut-être``, ``a-t-il``, ``COVID-19``); dashes (– —)
    and spaced hyphens separate words.
  * Numbers are one token: ``3.5``, ``3,5``, ``1,234.5``, ``24/03/15``, ``14:30``, and numbers
    grouped by thousands with U+00A0 / U+202F (any language) or, in French only, a plain space
    (``1 234,5``): French writers type a plain space as often as a no-break one, whereas in
    English "in 2 000 cases" is rare and "top 3 100-page reports" would be wrongly merged.
  * Punctuation and symbols are not words: ``%``, ``€``, ``«``, ``»``, ``—``, ``…``, emoji.
  * Dotted abbreviations stay one token: ``U.S.``, ``e.g.``, ``J.-C.``.

Sentences: see `split_sentences`.
"""
from __future__ import annotations

import codecs
import functools
import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

from .shortcuts import add_probe, register as register_shortcut

__all__ = ["ProseBlock", "prose_blocks", "tokenize_words", "count_words", "count_prose_words_fast",
           "split_sentences", "reading_time_minutes", "lang_root"]

NBSP, NNBSP = "\u00a0", "\u202f"


def lang_root(lang: str) -> str:
    """'fr_FR', 'fr-CA', 'FR' -> 'fr'."""
    return re.split(r"[-_]", (lang or "").strip().lower(), maxsplit=1)[0]


# --------------------------------------------------------------------------------------------
# Prose blocks
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ProseBlock:
    """One unit of prose: a paragraph, a heading, a list item, a table cell...

    ``kind`` is 'p', 'h1'..'h6', 'li', 'td', 'th', 'blockquote', 'dt', 'dd', 'caption' (table
    caption and figcaption) or 'title' (an admonition title such as "Attention"). A paragraph
    nested in a list item, cell or quotation takes the kind of that container.
    """

    kind: str
    text: str


# Never prose: code, media, scripts, and navigation/markers the Markdown extensions add.
_DROP_TAGS = {"pre", "code", "kbd", "samp", "script", "style", "img", "svg", "iframe", "noscript",
              "template", "object", "embed", "video", "audio", "canvas", "math", "button"}
_DROP_CLASSES = {"toc", "footnote", "footnote-ref", "footnote-backref", "headerlink", "heading-anchor",
                 "codehilite", "highlight"}  # heading-anchor: the "#" permalink of markdown.py
# Elements that start a new block; anything else is inline and flows into the current block.
_BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
               "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "blockquote",
               "div", "section", "article", "aside", "header", "footer", "nav", "main", "figure",
               "figcaption", "details", "summary", "hr", "address", "form", "fieldset"}
# Containers whose own name is the kind of the prose inside them.
_KIND_TAGS = {"li", "td", "th", "dt", "dd", "blockquote", "caption", "h1", "h2", "h3", "h4",
              "h5", "h6"}
_TABLE_TAGS = {"table"}

_URL_RE = re.compile(r"(?:\bhttps?://|\bwww\.)\S+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?)]}»\"'’”"
_ORPHAN_PUNCT_RE = re.compile(r"\s+(?=[.,)\]])")  # "du ." / "(voir )" left by a removed URL or code
_SPACE_RE = re.compile(r"[\s\u00a0\u202f\u2007\u2009\u200a\u2060\ufeff]+")
# A no-break space between two digits is a thousands separator: keep the character so that
# tokenize_words can join "1 234" in any language (a plain space only joins in French).
_DIGIT_NBSP_RE = re.compile(r"(?<=\d)[\u00a0\u202f\u2007\u2009](?=\d{3}(?!\d))")


def _should_drop(el, include_tables: bool) -> bool:
    tag = el.tag
    if tag in _DROP_TAGS or (tag in _TABLE_TAGS and not include_tables):
        return True
    classes = set((el.get("class") or "").split())
    if classes & _DROP_CLASSES:
        return True
    # Python-Markdown's footnote marker is <sup id="fnref:1"><a class="footnote-ref">1</a></sup>.
    return tag == "sup" and (el.get("id") or "").startswith("fnref")


def _remove_urls(text: str) -> str:
    def keep_trailing(m: re.Match) -> str:
        url = m.group(0)
        stripped = url.rstrip(_URL_TRAILING)
        return url[len(stripped):]  # the sentence's own punctuation after a URL survives
    return _URL_RE.sub(keep_trailing, text)


def normalize_space(text: str) -> str:
    """Collapse whitespace to single spaces, keeping a no-break space only between digit groups."""
    marked = _DIGIT_NBSP_RE.sub("\x00", text)
    collapsed = _SPACE_RE.sub(" ", marked).strip()
    return collapsed.replace("\x00", NBSP)


class _Collector:
    def __init__(self, include_tables: bool):
        self.include_tables = include_tables
        self.blocks: list[ProseBlock] = []

    def flush(self, buf: list[str], kind: str) -> None:
        text = _ORPHAN_PUNCT_RE.sub("", normalize_space(_remove_urls("".join(buf))))
        buf.clear()
        if any(ch.isalnum() for ch in text):
            self.blocks.append(ProseBlock(kind, text))

    def walk(self, el, kind: str, buf: list[str]) -> None:
        """Append el's inline text to buf; flush buf whenever a nested block starts or ends."""
        if el.text:
            buf.append(el.text)
        for child in el:
            if not isinstance(child.tag, str) or _should_drop(child, self.include_tables):
                # comments and dropped elements vanish, but the text after them is still prose
                if child.tail:
                    buf.append(child.tail)
                continue
            tag = child.tag.lower()
            if tag in _BLOCK_TAGS:
                self.flush(buf, kind)
                inner_kind = self.kind_for(child, tag, kind)
                inner: list[str] = []
                self.walk(child, inner_kind, inner)
                self.flush(inner, inner_kind)
            else:
                if tag == "br":
                    buf.append(" ")
                self.walk(child, kind, buf)
            if child.tail:
                buf.append(child.tail)

    @staticmethod
    def kind_for(el, tag: str, parent_kind: str) -> str:
        if tag == "figcaption":
            return "caption"
        if tag in _KIND_TAGS:
            return tag
        if tag == "p":
            if "admonition-title" in (el.get("class") or "").split():
                return "title"
            return parent_kind if parent_kind != "p" else "p"
        return parent_kind  # ul, div, tr...: their loose text belongs to the enclosing kind


def prose_blocks(html: str, include_tables: bool = False) -> list[ProseBlock]:
    """Split rendered article HTML into prose blocks, in document order.

    Dropped: pre/code (inline ``<code>`` too), kbd/samp, script, style, img, svg, iframe and other
    media, footnote markers and the footnotes section, the ``[TOC]`` block, heading permalinks,
    and tables unless ``include_tables`` (tables are data, not prose, per the analytics spec).
    Bare URLs are removed from the text. Nested lists do not duplicate text: a list item's block
    holds only its own text, each sub-item is its own block.
    """
    if not html or not html.strip():
        return []
    if re.search(r"<(html|body)[\s>]", html[:2000], re.IGNORECASE):
        root = lxml.html.document_fromstring(html)
        body = root.find("body")
        root = body if body is not None else root
    else:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    collector = _Collector(include_tables)
    buf: list[str] = []
    collector.walk(root, "p", buf)
    collector.flush(buf, "p")
    return collector.blocks


# --------------------------------------------------------------------------------------------
# Words
# --------------------------------------------------------------------------------------------

_W = r"[^\W_]"  # a letter or a digit, in any script
_APOS = "'\u2019\u02bc"  # straight, curly (U+2019) and modifier-letter apostrophes
_JOIN = (
    rf"(?:[{_APOS}]|[-\u2010\u2011]|\.-?|/)(?={_W})"  # l'x, peut-être, U.S, J.-C, et/ou, 24/03
    r"|(?<=\d)[.,:](?=\d)"                            # 3,5  1,234.5  14:30
)
_GROUPED = r"(?<![\w.,])\d{1,3}(?:SEP\d{3}(?!\d))+(?:[.,]\d+)?(?![^\W_])"
_GROUPED_ANY = _GROUPED.replace("SEP", "[\u00a0\u202f\u2007\u2009]")
_GROUPED_FR = _GROUPED.replace("SEP", "[ \u00a0\u202f\u2007\u2009]")
_GENERIC = rf"{_W}+(?:(?:{_JOIN}){_W}+)*"
_TOKEN_RE = {
    "fr": re.compile(f"{_GROUPED_FR}|{_GENERIC}"),
    "*": re.compile(f"{_GROUPED_ANY}|{_GENERIC}"),
}


def tokenize_words(text: str, lang: str) -> list[str]:
    """Words of ``text`` in order, per the conventions in the module docstring.

    Curly and modifier apostrophes are returned as a straight ``'`` so that ``l’économie`` and
    ``l'économie`` are the same word for every consumer (syllables, first-word checks).
    """
    pattern = _TOKEN_RE["fr"] if lang_root(lang) == "fr" else _TOKEN_RE["*"]
    # U+2019 is punctuation, only ever a joiner like "'": replacing it first changes no match.
    # U+02BC is a letter (\w), so it is replaced in the tokens. (findall: the pattern has no group)
    tokens = pattern.findall(text.replace("\u2019", "'"))
    if "\u02bc" in text:
        tokens = [t.replace("\u02bc", "'") for t in tokens]
    return tokens


def count_words(text: str, lang: str) -> int:
    """Number of words in ``text`` (see `tokenize_words`)."""
    return len(tokenize_words(text, lang))


# --------------------------------------------------------------------------------------------
# Prose word count, fast path
# --------------------------------------------------------------------------------------------
# Why this exists: the build counts the words of every article as
# ``sum(count_words(b.text, lang) for b in prose_blocks(html))``, and walking the tree in Python
# then running five regexes per block costs ~1.4 ms for a 900-word post (a fifth of a cold
# build's reading stage). `count_prose_words_fast` returns the same number in ~0.25 ms.
#
# It MUST agree with prose_blocks + count_words on every input: tests/test_word_count_fast.py
# compares both on rendered corpora, hand-written edge cases and random HTML. Any change to
# _should_drop, _Collector, _remove_urls, normalize_space, _ORPHAN_PUNCT_RE or the token regexes
# has to be carried over here. How it gets the same count:
#
# 1. Same parse as prose_blocks (lxml.html.fragment_fromstring is this wrapper + etree.fromstring
#    with the same parser). One XSLT pass (libxslt, in C) writes the text prose_blocks keeps, with
#    _BLOCK_SEP at every block start and end; inline elements are concatenated and <br> is a
#    space, as in _Collector.walk. To the tokenizer _BLOCK_SEP is punctuation (not a letter, a
#    space or a joiner), so it ends a word exactly like the end of a block does.
# 2. What this path does not model goes to the reference: full documents, class attributes that
#    might hold a drop class without being exactly a list of drop classes (_FAST_GIVE_UP), and
#    a bare URL in text that holds a DEL of its own. Bare URLs are removed block by block, as
#    prose_blocks does. libxml2 turns NUL into U+FFFD, so normalize_space's "\x00" never clashes.
# 3. normalize_space only changes a count in two ways: a space run before "." or "," is removed
#    ("mot ." + "suite" -> "mot.suite" is one word), and digit groups join across any space run
#    in French ("1\n000") or across one no-break space in any language. Everywhere else a run of
#    spaces, newlines or word joiners separates words exactly like a single space.
# 4. Each character is mapped to one byte naming its class (_word_classes): every class the
#    token regexes and normalize_space test. The orphan spaces are removed there. If no digit
#    group is possible, a word is a run of letters/digits joined by _JOIN, so words = letter runs
#    - joins (bytes.translate/count and small regexes); otherwise _CLASS_TOKEN_RE, the token
#    regex written for these bytes and for space runs that were not collapsed, counts them.

_BLOCK_SEP = "\x7f"        # DEL: a valid XML character, punctuation to the tokenizer
_FAST_GIVE_UP = "\ue001"   # written by the XSLT when only the reference can decide
_FULL_HTML_RE = re.compile(r"^\s*<(?:html|!doctype)", re.IGNORECASE)  # not wrapped by lxml.html
_DOCUMENT_RE = re.compile(r"<(html|body)[\s>]", re.IGNORECASE)        # as in prose_blocks
_DEL_REF_RE = re.compile(r"&#(?:0*127(?!\d)|[xX]0*7[fF](?![0-9a-fA-F]))")  # &#127; in the source


@functools.lru_cache(maxsize=None)
def _prose_text_xslt() -> etree.XSLT:
    names = sorted(_DROP_CLASSES)
    drop_tags = "|".join(sorted(_DROP_TAGS | _TABLE_TAGS))  # tables: include_tables=False
    blocks = "|".join(sorted(_BLOCK_TAGS))
    maybe_drop = " or ".join(f"contains(@class, '{name}')" for name in names)
    sep = f"<xsl:text>&#{ord(_BLOCK_SEP)};</xsl:text>"
    give_up = f"<xsl:text>&#{ord(_FAST_GIVE_UP)};</xsl:text>"
    return etree.XSLT(etree.XML(f"""\
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="UTF-8"/>
<!-- fragments_fromstring: the children of the one <body> of the <html> root -->
<xsl:template match="/">
  <xsl:choose>
    <xsl:when test="count(html) = 1 and count(html/body) = 1">
      <xsl:apply-templates select="html/body/node()"/></xsl:when>
    <xsl:otherwise>{give_up}</xsl:otherwise>
  </xsl:choose>
</xsl:template>
<!-- _should_drop; comments and processing instructions write nothing by default -->
<xsl:template match="{drop_tags}" priority="20"/>
<xsl:template match="sup[starts-with(@id, 'fnref')]" priority="20"/>
<xsl:template match="*[@class]" priority="10">
  <xsl:choose>
    <!-- a class that is one drop class or several separated by single spaces: dropped -->
    <xsl:when test="contains(' {' '.join(names)} ', concat(' ', @class, ' '))"/>
    <!-- a drop class name somewhere else in it (other whitespace...): the reference decides -->
    <xsl:when test="{maybe_drop}">{give_up}</xsl:when>
    <xsl:otherwise><xsl:apply-templates select="." mode="keep"/></xsl:otherwise>
  </xsl:choose>
</xsl:template>
<xsl:template match="{blocks}" priority="5">{sep}<xsl:apply-templates/>{sep}</xsl:template>
<xsl:template match="br" priority="5"><xsl:text> </xsl:text><xsl:apply-templates/></xsl:template>
<xsl:template match="{blocks}" mode="keep">{sep}<xsl:apply-templates/>{sep}</xsl:template>
<xsl:template match="br" mode="keep"><xsl:text> </xsl:text><xsl:apply-templates/></xsl:template>
<xsl:template match="*" mode="keep"><xsl:apply-templates/></xsl:template>
</xsl:stylesheet>"""))


def _char_class(ch: str) -> str:
    """The one thing the word count needs to know about a character, as one ASCII letter."""
    if ch.isdecimal():
        return "0"  # \d
    if ch.isalnum():
        return "a"  # the rest of [^\W_]
    if ch in "\u00a0\u202f\u2007\u2009":
        return "n"  # no-break spaces: digit-group separators in every language
    if ch.isspace() or ch in "\u2060\ufeff":
        return " "  # the rest of what _SPACE_RE collapses
    if ch in _APOS or ch in "\u2010\u2011/":
        return "'"  # joins two letters/digits (as "-" does, kept apart for ".-")
    if ch in "-.,:_":
        return ch
    return "#"  # separates words and nothing else: other punctuation, symbols, _BLOCK_SEP


class _ClassRepr(dict):
    """ord -> a Latin-1 character of the same class (for str.translate), filled on demand."""

    def __missing__(self, code: int) -> str:
        cls = _char_class(chr(code))
        self[code] = rep = {"#": _BLOCK_SEP, "n": NBSP}.get(cls, cls)
        return rep


_CLASS_REPR = _ClassRepr()


def _word_class_errors(exc: UnicodeEncodeError) -> tuple[str, int]:
    # Characters beyond Latin-1 (em dash, "œ", Greek...): this window is replaced by characters of
    # the same classes. A wide window keeps the number of calls low for non-Latin scripts.
    end = min(len(exc.object), exc.end + 64)
    return exc.object[exc.start:end].translate(_CLASS_REPR), end


_WORD_CLASS_ERRORS = "contentkit-word-class"
_word_class_errors_registered = False


def _register_word_class_errors() -> None:
    # Registered on first use, not at import: importing contentkit changes no process-wide state.
    global _word_class_errors_registered, _word_classes_of_latin1
    if register_shortcut("text.word-class-codec", module=__name__, library="Python", supported=">=3.11",
                         replaces="codecs.register_error (a Latin-1 encode error handler: the text's "
                                  "non-Latin-1 characters mapped to their classes in C)", active=True):
        codecs.register_error(_WORD_CLASS_ERRORS, _word_class_errors)
        _word_classes_of_latin1 = _codec_word_classes
    _word_class_errors_registered = True


add_probe(_register_word_class_errors)  # probed on first use, often in workers only


class _NonLatin1Repr(dict):
    """The stock path of the codec: str.translate maps each character beyond Latin-1 to its class."""

    def __missing__(self, code: int) -> str:
        if code < 256:
            raise LookupError(code)  # left as it is
        self[code] = rep = _CLASS_REPR[code]
        return rep


_NON_LATIN1_REPR = _NonLatin1Repr()


def _codec_word_classes(text: str) -> bytes:
    return text.encode("latin-1", _WORD_CLASS_ERRORS)


def _translated_word_classes(text: str) -> bytes:
    return text.translate(_NON_LATIN1_REPR).encode("latin-1")


_word_classes_of_latin1 = _translated_word_classes


_CLASS_TABLE = bytes(ord(_char_class(chr(i))) for i in range(256))
_RUNS_TABLE = bytes(ord("a") if chr(i) in "a0" else ord(" ") for i in range(256))
# The joins of _JOIN between two letter/digit runs, one regex per joiner: a pattern starting with
# one literal byte is scanned several times faster than one starting with a set.
_CLASS_JOIN_RES = (re.compile(rb"'(?<=[a0]')(?=[a0])"),  # l'x  peut-être  et/ou
                   re.compile(rb"-(?<=[a0]-)(?=[a0])"),
                   re.compile(rb":(?<=0:)(?=0)"))         # 14:30
# A join (group 1 empty) or a space before the sign (group 1 not empty: orphan punctuation).
_CLASS_DOT_RE = re.compile(rb"\.(?:(?<=[a0]\.)-?(?=[a0])|(?<=([ n])\.))")  # U.S  J.-C  3.5
_CLASS_COMMA_RE = re.compile(rb",(?:(?<=0,)(?=0)|(?<=([ n]),))")          # 3,5
_CLASS_ORPHAN_RE = re.compile(rb"[ n]+(?=[.,])")
_CLASS_DIGIT_GROUP_RE = re.compile(rb"0[ n]+0")


def _class_token_re(sep: bytes) -> re.Pattern:
    r"""_GROUPED | _GENERIC over character classes: [^\W_] -> [a0], \d -> 0, \w -> [a0_]."""
    grouped = rb"(?<![a0_.,])0{1,3}(?:" + sep + rb"000(?!0))+(?:[.,]0+)?(?![a0])"
    join = rb"(?:['\-]|\.-?)(?=[a0])|(?<=0)[.,:](?=0)"
    return re.compile(grouped + rb"|[a0]+(?:(?:" + join + rb")[a0]+)*")


# Spaces were not collapsed: in French any run of them separates digit groups (normalize_space
# makes it one space); elsewhere only a single no-break space does (a marked one).
_CLASS_TOKEN_RE = {True: _class_token_re(rb"[ n]+"), False: _class_token_re(b"n")}
_WWW_RE = re.compile(r"www\.", re.IGNORECASE)


def _word_classes(text: str) -> bytes:
    """``text`` with each character replaced by its `_char_class`."""
    if not _word_class_errors_registered:
        _register_word_class_errors()
    return _word_classes_of_latin1(text.replace("\u2019", "'").replace(NNBSP, NBSP)).translate(_CLASS_TABLE)


def _count_class_words(classes: bytes, french: bool) -> int:
    """Words of a text, from its `_word_classes`."""
    dots = _CLASS_DOT_RE.findall(classes)
    commas = _CLASS_COMMA_RE.findall(classes)
    if any(dots) or any(commas):  # orphan punctuation: drop the spaces before "." and ","
        return _count_class_words(_CLASS_ORPHAN_RE.sub(b"", classes), french)
    if _CLASS_DIGIT_GROUP_RE.search(classes):
        return len(_CLASS_TOKEN_RE[french].findall(classes))
    # No digit group can match: letter runs - joins.
    joins = dots.count(b"") + commas.count(b"")
    joins += sum(len(pattern.findall(classes)) for pattern in _CLASS_JOIN_RES)
    runs = classes.translate(_RUNS_TABLE)
    return runs.count(b" a") + runs.startswith(b"a") - joins


def count_prose_words_fast(html: str, lang: str) -> int:
    """``sum(count_words(b.text, lang) for b in prose_blocks(html))``, about 5x faster.

    Only the number: readability and depth analytics need the blocks themselves.
    """
    if not html or not html.strip():
        return 0
    text = _prose_text(html)
    if text is None:  # not modelled here: ask the reference
        return sum(count_words(block.text, lang) for block in prose_blocks(html))
    return _count_class_words(_word_classes(text), lang_root(lang) == "fr")


def _prose_text(html: str) -> str | None:
    """The text prose_blocks keeps, bare URLs removed, _BLOCK_SEP around blocks.

    None when only prose_blocks can tell.
    """
    if _DOCUMENT_RE.search(html[:2000]) or _FULL_HTML_RE.match(html):
        return None
    root = etree.fromstring(f"<html><body>{html}</body></html>", lxml.html.html_parser)
    if root is None:
        return None
    text = bytes(_prose_text_xslt()(root)).decode("utf-8")
    if _FAST_GIVE_UP in text:
        return None
    if _may_hold_url(text):
        # _remove_urls runs on each block's text: split at our separators, unless the source
        # has a DEL of its own (then a piece would not be a block).
        if _BLOCK_SEP in html or _DEL_REF_RE.search(html):
            return None
        text = _BLOCK_SEP.join(_remove_urls(piece) if _may_hold_url(piece) else piece
                               for piece in text.split(_BLOCK_SEP))
    return text


def _may_hold_url(text: str) -> bool:
    """False when _URL_RE cannot match (cheap single-character searches first)."""
    if ":" in text and "/" in text and "://" in text:
        return True
    return ("w" in text or "W" in text) and ("w." in text or "W." in text) \
        and _WWW_RE.search(text) is not None


# --------------------------------------------------------------------------------------------
# Sentences
# --------------------------------------------------------------------------------------------

# Abbreviations after which a period never ends a sentence (titles, "cf.", "e.g."...). Entries
# starting with a capital are matched exactly ("Me" = Maître, but "me." ends "give it to me.");
# the others case-insensitively. English titles are common in French business prose too.
# No "sept." (septembre): "Ils étaient sept. Puis..." must split.
_TITLES_EN = {"Mr", "Mrs", "Ms", "Mx", "Dr", "Prof", "Sr", "St"}
_ABBR_NEVER = {
    "fr": _TITLES_EN | {"M", "MM", "Mme", "Mmes", "Mlle", "Mlles", "Me", "Mgr", "Pr", "Ste",
                        "cf", "ex", "env", "av", "apr", "éd", "coll", "dir", "réf", "tél", "hab",
                        "resp", "c.-à-d", "c-à-d", "op", "cit", "ibid", "vs", "janv", "févr",
                        "avr", "juil", "juill", "oct", "nov", "déc"},
    "en": _TITLES_EN | {"Rev", "Gen", "Col", "Lt", "Sgt", "Capt", "Gov", "Sen", "Rep", "Hon",
                        "vs", "cf", "approx", "dept", "viz", "Jan", "Feb", "Apr", "Aug", "Sept",
                        "Oct", "Nov", "Dec"},
}
_ABBR_NEVER["*"] = _ABBR_NEVER["fr"] | _ABBR_NEVER["en"]
# Before a digit only: "p. 12", "no. 5", "fig. 3" (but "Say no. Then..." ends a sentence).
_ABBR_BEFORE_DIGIT = {"p", "pp", "n", "no", "nos", "nr", "vol", "art", "fig", "chap", "ch",
                      "sec", "eq", "t", "tome", "env", "ca", "op"}
# Sentence-final when a capitalised word follows: "..., etc. Ensuite" is two sentences, as is
# "né en 63 av. J.-C. Son père" or "at 5 p.m. Then"; before a lowercase word they are not.
_ABBR_TERMINAL = {"etc", "j.-c", "j.c", "a.m", "p.m", "inc", "ltd", "corp", "co", "jr", "al"}
# Nouns after which a single capital letter is a label, not an initial: "le plan B. Ensuite".
_LABEL_NOUNS = {"plan", "type", "vitamine", "vitamin", "option", "catégorie", "category",
                "annexe", "appendix", "niveau", "level", "étape", "step", "phase", "point",
                "partie", "part", "groupe", "group", "série", "series", "classe", "class",
                "modèle", "model", "version", "scénario", "scenario", "lettre", "letter",
                "zone", "bloc", "block", "section", "grade", "note"}

_BOUNDARY_RE = re.compile(
    r"(?P<punct>[.!?…]+)"                         # terminal punctuation, ellipses included
    r"(?P<close>(?:[”’\"')\]]|\s*[»”])*)"          # closing quotes/brackets: « Il a dit. »
    r"(?=\s|$)"
)
_OPENERS = "«“‘\"'([{—–-•*¿¡ \u00a0\u202f"
_DOTTED_ACRONYM = re.compile(r"^(?:[^\W\d_]\.)+[^\W\d_]$")  # U.S, e.g, i.e, a.m


def _next_start(rest: str) -> str:
    """'upper', 'lower', 'digit' or 'end': how the text after a candidate boundary begins."""
    for ch in rest:
        if ch in _OPENERS or ch.isspace():
            continue
        if ch.isdigit():
            return "digit"
        if ch.isupper():
            return "upper"
        if ch.islower():
            return "lower"
        return "other"
    return "end"


def _previous_word(before: str) -> tuple[str, str]:
    """The word just before a period, stripped of opening punctuation, and the word before it."""
    parts = before.split()
    if not parts:
        return "", ""
    word = parts[-1].lstrip("«“‘\"'([{")
    prev = parts[-2].strip("«»“”‘’\"'()[]{},;:").lower() if len(parts) > 1 else ""
    return word, prev


def _in(word: str, vocabulary: set[str]) -> bool:
    """Capitalised entries match exactly, lowercase ones in any case ("Etc", "CF")."""
    return word in vocabulary or word.lower() in vocabulary


def _period_ends_sentence(before: str, nxt: str, lang: str) -> bool:
    if nxt == "lower":  # sentences start with a capital; "p. ex. le", "etc. et", "… puis"
        return False
    word, prev = _previous_word(before)
    if not word or word[-1] in ")]}»”\"'":
        return True  # "(voir note). Puis": a period after a bracket is never an abbreviation
    word = word.rstrip(".")
    never = _ABBR_NEVER.get(lang, _ABBR_NEVER["*"])
    if _in(word, _ABBR_TERMINAL):
        return nxt != "digit"
    if _in(word, never):
        return False
    if nxt == "digit" and word.lower() in _ABBR_BEFORE_DIGIT:
        return False
    if _DOTTED_ACRONYM.match(word):  # "U.S. Army", "e.g. Python": treated as mid-sentence
        return False
    if len(word) == 1 and word.isalpha() and word.isupper() and nxt == "upper":
        return prev in _LABEL_NOUNS  # "J. Dupont" is an initial; "plan B. Ensuite" is not
    return True


def split_sentences(text: str, lang: str) -> list[str]:
    """Split one prose block into sentences.

    A block's text is at least one sentence, even with no final punctuation (headings, list
    items, cells). Rules, in order:

    * ``?`` / ``!`` (and ``?!``, ``!!``) end a sentence unless the next word starts in lowercase
      (« Vraiment ? » s'étonna-t-il).
    * An ellipsis (``...``, ``…``) ends a sentence only before a capital or a digit.
    * A period never ends a sentence before a lowercase word, nor inside a number (``3.5``), nor
      after a title or reference abbreviation (``M.``, ``Mme.``, ``Dr.``, ``Mr.``, ``cf.``,
      ``p. ex.``, ``e.g.``, ``i.e.``, ``U.S.``, ``av. J.-C.``), nor after an initial (``J.
      Dupont``) unless the letter follows a label noun (``le plan B. Ensuite``).
    * ``etc.``, ``J.-C.``, ``a.m.``/``p.m.``, ``Inc.`` end a sentence when a capitalised word
      follows: in running text ``etc.`` is not followed by a proper noun in practice.
    * Closing quotes and brackets stay with their sentence: ``« Il a dit. » Puis…`` -> 2.

    Pieces with no word in them (a stray "…") are dropped.
    """
    lang = lang_root(lang)
    text = normalize_space(text)
    sentences: list[str] = []
    start = 0
    for m in _BOUNDARY_RE.finditer(text):
        punct = m.group("punct")
        nxt = _next_start(text[m.end():])
        if nxt == "end":
            break
        if "?" in punct or "!" in punct or "…" in punct or ".." in punct:
            ends = nxt != "lower"
        else:
            ends = _period_ends_sentence(text[start:m.start()], nxt, lang)
        if ends:
            sentences.append(text[start:m.end()].strip())
            start = m.end()
    sentences.append(text[start:].strip())
    return [s for s in sentences if any(ch.isalnum() for ch in s)]


# --------------------------------------------------------------------------------------------
# Reading time
# --------------------------------------------------------------------------------------------

# Silent reading speeds of adults measured on comparable texts in 17 languages by the IReST study
# (Trauzettel-Klosinski & Dietz, IOVS 2012): English 228 ± 30 wpm, French 195 ± 26 wpm. French
# reads slower in words per minute because its words are longer in letters and syllables. We
# round to 230 / 200 and use 200 for languages without a figure (a conservative estimate).
_WPM = {"en": 230, "fr": 200}
_WPM_DEFAULT = 200


def reading_time_minutes(words: int, lang: str) -> int:
    """Minutes to read ``words`` words, rounded to the nearest minute, at least 1."""
    wpm = _WPM.get(lang_root(lang), _WPM_DEFAULT)
    return max(1, int(words / wpm + 0.5))
