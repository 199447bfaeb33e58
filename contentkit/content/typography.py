"""Language-aware typography as a fast pass over the Markdown element tree.

Replaces Python-Markdown's `smarty` (which roughly doubles render time) and adds what no generator
does: French spacing. For French: a narrow no-break space (U+202F) before ; ! ? and a no-break space
(U+00A0) before : and inside « », straight double quotes become « », apostrophes become ’. For
English: curly quotes and apostrophes. Nothing that looks like code is touched: inline code,
preformatted text, <kbd>, <samp>, <var>, raw HTML (stashed by Python-Markdown), attributes (href,
src: only text is typeset) and URLs written in the text (https://fr.wikipedia.org/wiki/L'Oréal
keeps its apostrophe, https://exemple.fr/a;b its semicolon).
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

NBSP = "\u00a0"
NNBSP = "\u202f"
SKIP_TAGS = {"code", "pre", "kbd", "samp", "var", "script", "style", "math", "svg"}

_APOS = re.compile(r"(?<=\w)'(?=\w)")
_ELLIPSIS = re.compile(r"\.\.\.(?!\.)")
# French: normalise any (or no) space before high punctuation; only after a word or a closing sign.
# One pass each: any spaces before the sign become the right one; no space after a word (or a
# closing sign) gets one when the sign ends a word.
_FR_HIGH = re.compile(r"[ \u00a0\u202f]+([;!?]+)|(?<=[\w»)\]’\"])([;!?]+)(?=\s|$|[»)\]\"<\x02])")
_FR_COLON = re.compile(r"[ \u00a0\u202f]+:(?=\s|$)|(?<=[\w»)\]’]):(?=\s|$)")
_FR_OPEN_GUILLEMET = re.compile(r"«[ \u00a0\u202f]*")
_FR_CLOSE_GUILLEMET = re.compile(r"[ \u00a0\u202f]*»")


def _quotes(text: str, prev: str, open_q: str, close_q: str) -> str:
    """Straight double quotes -> curly/guillemets, deciding open/close from the preceding char."""
    if '"' not in text:
        return text
    out = []
    for ch in text:
        if ch == '"':
            opening = prev == "" or prev.isspace() or prev in "([{\u2014\u2013-/"
            ch = open_q if opening else close_q
        out.append(ch)
        prev = ch
    return "".join(out)


# A URL or address written in the text, up to a space or a sign that cannot be part of it; a final
# . , ; : ! ? ) ] or quote is the sentence's punctuation, not the URL's.
_URL = re.compile(r"(?:\b[a-z][a-z0-9+.-]*://|\bwww\.|\bmailto:)[^\s<>«»\"\u2019]*[^\s<>«»\"\u2019.,;:!?)\]']",
                  re.I)


def _high_sign(m: re.Match) -> str:
    return NNBSP + (m.group(1) or m.group(2))


def typeset(text: str, lang: str, prev: str = "") -> str:
    """Typeset one run of text; `prev` is the character before it in the same block. URLs in it
    are left as they are."""
    if not text:
        return text
    if "://" in text or "www." in text or "mailto:" in text or "WWW." in text:  # a URL may be there
        out, last = [], 0
        for m in _URL.finditer(text):
            if m.start() > last:
                out.append(_typeset_run(text[last:m.start()], lang, prev))
            out.append(m.group())
            prev, last = m.group()[-1], m.end()
        if last < len(text):
            out.append(_typeset_run(text[last:], lang, prev))
        return "".join(out)
    return _typeset_run(text, lang, prev)


def _typeset_run(text: str, lang: str, prev: str) -> str:
    # Each substitution runs only when its trigger character is present: a substring test is far
    # cheaper than a regex scan, and most runs of text need one or two of the eight passes.
    if "'" in text:
        text = _APOS.sub("\u2019", text)
    if "..." in text:
        text = _ELLIPSIS.sub("\u2026", text)
    if lang == "fr":
        if '"' in text:
            text = _quotes(text, prev, "«" + NBSP, NBSP + "»")
        if "«" in text:
            text = _FR_OPEN_GUILLEMET.sub("«" + NBSP, text)
        if "»" in text:
            text = _FR_CLOSE_GUILLEMET.sub(NBSP + "»", text)
        if ";" in text or "!" in text or "?" in text:
            text = _FR_HIGH.sub(_high_sign, text)
        if ":" in text:
            text = _FR_COLON.sub(NBSP + ":", text)
    elif lang == "en":
        text = _quotes(text, prev, "\u201c", "\u201d")
    return text


# The characters `typeset` acts on, per language: a run of text without any is left as it is (three
# runs in four of a French article), without calling it.
_TRIGGERS = {"fr": re.compile("['\"«»;!?:]|\\.\\.\\."), "en": re.compile("['\"]|\\.\\.\\.")}
_OTHER_TRIGGERS = re.compile("'|\\.\\.\\.")


# A tag of inline raw HTML, which Python-Markdown stashes one tag at a time (`<kbd>`, text, `</kbd>`):
# the text between a stashed <code>/<kbd>/<samp>/<var> and its closing tag is in the tree as text.
_RAW_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)(?=[\s/>])[^>]*>")


class TypographyProcessor(Treeprocessor):
    def __init__(self, md, lang: str):
        super().__init__(md)
        self.lang = lang

    def _skip_tag(self, index: str) -> tuple[bool, bool]:
        """(is a tag of SKIP_TAGS, is a closing tag) for the stashed raw HTML number `index`."""
        blocks = self.md.htmlStash.rawHtmlBlocks
        raw = blocks[int(index)] if int(index) < len(blocks) else None
        m = _RAW_TAG.fullmatch(raw.strip()) if isinstance(raw, str) else None
        if m is None or m.group(2).lower() not in SKIP_TAGS or raw.rstrip().endswith("/>"):
            return False, False
        return True, bool(m.group(1))

    def run(self, root: etree.Element) -> None:
        lang = self.lang
        acts_on = _TRIGGERS.get(lang, _OTHER_TRIGGERS).search
        prev = ""  # the character before the current run of text, in the same block
        depth = 0  # inside raw-HTML <code>, <kbd>, <samp>, <var>... opened by a stashed tag

        def raw_aware(text: str) -> str:
            """A run holding stashed raw HTML: what lies inside raw code-like tags is left alone."""
            nonlocal depth
            pieces, start = [], 0  # (piece, leave as is)
            for m in HTML_PLACEHOLDER_RE.finditer(text):
                skip, closing = self._skip_tag(m.group(1))
                if not skip:
                    continue
                if not closing:
                    if depth == 0:
                        pieces.append((text[start:m.start()], False))
                        start = m.start()
                    depth += 1
                elif depth:
                    depth -= 1
                    if depth == 0:
                        pieces.append((text[start:m.end()], True))
                        start = m.end()
            pieces.append((text[start:], depth > 0))
            if len(pieces) == 1 and not pieces[0][1]:
                return typeset(text, lang, prev) if acts_on(text) else text  # as without raw HTML
            out, before = [], prev
            for piece, leave in pieces:
                if piece and not leave and acts_on(piece):
                    piece = typeset(piece, lang, before)
                out.append(piece)
                if piece:
                    before = piece[-1]
            return "".join(out)

        def put(text: str) -> str:
            nonlocal prev
            if "\x02" in text:
                text = raw_aware(text)
            elif not depth and acts_on(text):
                text = typeset(text, lang, prev)
            prev = text[-1]
            return text

        def walk(el: etree.Element) -> None:
            nonlocal prev
            if el.tag in SKIP_TAGS:
                prev = "x"
                return
            if el.text:
                el.text = put(el.text)
            for child in el:
                walk(child)
                if child.tail:
                    child.tail = put(child.tail)

        if root.text:
            root.text = put(root.text)
        for block in root:
            depth = 0  # a raw tag left unclosed leaves out the rest of its block, not of the document
            walk(block)
            if block.tail:
                block.tail = put(block.tail)


class TypographyExtension(Extension):
    def __init__(self, lang: str = "fr", **kwargs):
        self.lang = lang
        super().__init__(**kwargs)

    def extendMarkdown(self, md) -> None:
        # After inline patterns (20) and attr_list (8), before toc (5) so TOC labels are typeset too.
        md.treeprocessors.register(TypographyProcessor(md, self.lang), "typography", 6)


def typeset_labels(strings: dict[str, str], lang: str) -> dict[str, str]:
    """A theme's labels (the catalog's `site` section and a site's own i18n strings) typeset by the
    rules of article text, in the site's language: one set of rules for all a reader sees, and
    catalogs written with ordinary spaces ("Étiquettes :" is printed "Étiquettes\\u00a0:").
    Placeholders ({name}) are filled after, with text that is not retypeset. Babel patterns (keys
    ending in `_format`: "EEEE d MMMM y 'à' HH:mm") are not prose and are left alone."""
    lang = lang if lang in ("fr", "en") else "other"
    return {key: value if key.endswith("_format") or not isinstance(value, str) else typeset(value, lang)
            for key, value in strings.items()}
