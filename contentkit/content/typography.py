"""Language-aware typography as a fast pass over the Markdown element tree.

Replaces Python-Markdown's `smarty` (which roughly doubles render time) and adds what no generator
does: French spacing. For French: a narrow no-break space (U+202F) before ; ! ? and a no-break space
(U+00A0) before : and inside « », straight double quotes become « », apostrophes become ’. For
English: curly quotes and apostrophes. Code, preformatted text and raw HTML are never touched.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

NBSP = "\u00a0"
NNBSP = "\u202f"
SKIP_TAGS = {"code", "pre", "kbd", "samp", "script", "style", "math", "svg"}

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


def _high_sign(m: re.Match) -> str:
    return NNBSP + (m.group(1) or m.group(2))


def typeset(text: str, lang: str, prev: str = "") -> str:
    """Typeset one run of text; `prev` is the character before it in the same block."""
    if not text:
        return text
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


class TypographyProcessor(Treeprocessor):
    def __init__(self, md, lang: str):
        super().__init__(md)
        self.lang = lang

    def run(self, root: etree.Element) -> None:
        lang = self.lang
        acts_on = _TRIGGERS.get(lang, _OTHER_TRIGGERS).search
        prev = ""  # the character before the current run of text, in the same block

        def walk(el: etree.Element) -> None:
            nonlocal prev
            if el.tag in SKIP_TAGS:
                prev = "x"
                return
            text = el.text
            if text:
                if acts_on(text):
                    text = el.text = typeset(text, lang, prev)
                prev = text[-1]
            for child in el:
                walk(child)
                tail = child.tail
                if tail:
                    if acts_on(tail):
                        tail = child.tail = typeset(tail, lang, prev)
                    prev = tail[-1]

        walk(root)


class TypographyExtension(Extension):
    def __init__(self, lang: str = "fr", **kwargs):
        self.lang = lang
        super().__init__(**kwargs)

    def extendMarkdown(self, md) -> None:
        # After inline patterns (20) and attr_list (8), before toc (5) so TOC labels are typeset too.
        md.treeprocessors.register(TypographyProcessor(md, self.lang), "typography", 6)
