"""Markdown -> HTML with one reusable, configured Python-Markdown instance per language.

Creating a `Markdown` object with its extensions costs more than converting a typical article, so
each process keeps one per language and calls `reset()` between documents.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import markdown
from ..deferred import deferrable
from ..slugs import slugify

from .typography import TypographyExtension

MORE_MARKER = "<!-- more -->"
ENGINE_VERSION = f"markdown-{markdown.__version__}/ck-md-1"
PERMALINK_TITLES = {"fr": "Lien vers cette section", "en": "Link to this section"}
_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)


def heading_id(value: str, separator: str) -> str:
    # Transliterated ids (économie -> economie) so anchors are typeable and stable.
    return slugify(value, separator=separator) or "section"


@deferrable("html", "toc_html")  # read from the cache when first used (deferred.py)
@dataclass
class RenderedMarkdown:
    html: str
    excerpt_html: str | None  # the part before <!-- more -->, if the marker is present
    first_paragraph_html: str
    toc_html: str
    toc: list  # nested tokens: {level, id, name, children}


def _formatter_class():
    """Pygments' HTML formatter, minus the cost of rebuilding its style table for every code block
    (codehilite makes a new formatter per block: ~0.1 ms each, a third of highlighting short blocks).
    The table depends only on the style and the class prefix, and is never modified once built."""
    from pygments.formatters.html import HtmlFormatter

    tables: dict[tuple, tuple[dict, dict]] = {}

    class CachedStyleHtmlFormatter(HtmlFormatter):
        def _create_stylesheet(self):
            key = (self.style, self.classprefix)
            if key not in tables:
                super()._create_stylesheet()
                tables[key] = (self.ttype2class, self.class2style)
            self.ttype2class, self.class2style = tables[key]

    return CachedStyleHtmlFormatter


def _extensions(lang: str) -> tuple[list, dict]:
    exts = ["extra", "admonition", "sane_lists", "codehilite", "toc", TypographyExtension(lang=lang)]
    configs = {
        "codehilite": {"css_class": "highlight", "guess_lang": False, "pygments_formatter": _formatter_class()},
        "toc": {"slugify": heading_id, "permalink": "#", "permalink_class": "heading-anchor",
                "permalink_title": PERMALINK_TITLES.get(lang, PERMALINK_TITLES["en"]),
                "toc_depth": "2-3"},
        "footnotes": {"BACKLINK_TITLE": "Retour au texte" if lang == "fr" else "Back to text"},
    }
    return exts, configs


_INSTANCES: dict[str, markdown.Markdown] = {}


def _instance(lang: str) -> markdown.Markdown:
    key = lang if lang in ("fr", "en") else "other"
    md = _INSTANCES.get(key)
    if md is None:
        md = _INSTANCES[key] = new_engine(key)
    return md


def new_engine(lang: str, shortcuts: bool = True) -> markdown.Markdown:
    """A configured Python-Markdown instance; `shortcuts=False` gives the stock passes (the
    reference the shortcuts are tested against)."""
    exts, configs = _extensions(lang)
    md = markdown.Markdown(extensions=exts, extension_configs=configs, output_format="html")
    md.ck_source = ""
    if shortcuts:
        if _FastInlineProcessor is not None:
            md.treeprocessors.register(_FastInlineProcessor(md), "inline", 20)
        _skip_idle_passes(md)
    return md


def _needs_one_of(test, needles: tuple[str, ...]):
    if len(needles) == 1:
        needle = needles[0]
        return lambda parent, block: needle in block and test(parent, block)
    return lambda parent, block: any(n in block for n in needles) and test(parent, block)


# Whole-tree passes that can only act on documents containing a given string. Each walks every
# element (2-3% of a conversion each), so a document without the string skips them: exactly what
# they would have done, found nothing. `\x02<n>\x03` placeholders come only from backslash escapes
# (the preprocessor strips those characters from the source), attribute lists need "{", and the
# table of contents replaces a paragraph that is exactly its marker.
def _skip_idle_passes(md: markdown.Markdown) -> None:
    def guarded(run, needle: str):
        def run_if_needed(root):
            if needle in md.ck_source:
                return run(root)
            return None
        return run_if_needed

    for name, needle in (("unescape", "\\"), ("attr_list", "{")):
        if name in md.treeprocessors:
            proc = md.treeprocessors[name]
            proc.run = guarded(proc.run, needle)
    # Block processors are offered every block in turn, and most search it with a regular
    # expression that needs a character the block does not have. Same outcome, a substring test
    # first: e.g. a footnote definition needs "[^", a table "|", a quotation ">".
    block_needles = {
        "hashheader": ("#",), "setextheader": ("\n=", "\n-"), "hr": ("-", "_", "*"), "deflist": (":",),
        "quote": (">",), "footnote": ("[^",), "abbr": ("*[",), "reference": ("]:",), "table": ("|",),
    }
    for name, needles in block_needles.items():
        if name in md.parser.blockprocessors:
            proc = md.parser.blockprocessors[name]
            proc.test = _needs_one_of(proc.test, needles)
    if "admonition" in md.parser.blockprocessors:  # "!!!" starts one; indented blocks continue it
        proc = md.parser.blockprocessors["admonition"]
        test = proc.test
        proc.test = lambda parent, block: "!!!" in md.ck_source and test(parent, block)
    if "toc" in md.treeprocessors:
        toc = md.treeprocessors["toc"]
        if getattr(toc, "marker", None):
            replace = toc.replace_marker
            toc.replace_marker = lambda root, elem: replace(root, elem) if toc.marker in md.ck_source else None


# Inline patterns are the costliest part of Python-Markdown: every run of text is offered to each of
# ~15 patterns in turn, one Python call each, although most runs contain none of the characters a
# match of those patterns can start with. `_first_chars` works out that set from each pattern's
# regular expression (e.g. "[" for links, "*_" for emphasis); a pattern none of whose first
# characters occurs in the text cannot match, and is skipped exactly as a failed match would be.
# When the set cannot be known (character ranges, optional starts, case-insensitive flags...) the
# pattern is always tried. Same HTML, checked on thousands of documents; ~20% faster conversion.
def _first_chars(regex: re.Pattern) -> str | None:
    """Characters one of which starts every match of `regex`, or None if unknown."""
    try:
        from re import _constants as C, _parser as P
    except ImportError:  # pragma: no cover - other Python versions
        return None
    if regex.flags & re.IGNORECASE:
        return None
    try:
        parsed = P.parse(regex.pattern, regex.flags)
    except Exception:  # noqa: BLE001 - anything odd: just try the pattern
        return None
    zero_width = {C.ASSERT, C.ASSERT_NOT, C.AT}
    repeats = {C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT)}

    def first(items) -> set[str] | None:
        for op, av in items:
            if op in zero_width:  # lookarounds, ^, \b: consume nothing
                continue
            if op is C.LITERAL:
                return {chr(av)}
            if op is C.IN:
                out = set()
                for item_op, item_av in av:
                    if item_op is not C.LITERAL:
                        return None
                    out.add(chr(item_av))
                return out
            if op is C.SUBPATTERN:
                return None if av[1] & re.IGNORECASE else first(av[3])
            if op is getattr(C, "ATOMIC_GROUP", None):
                return first(av)
            if op is C.BRANCH:
                out = set()
                for branch in av[1]:
                    part = first(branch)
                    if part is None:
                        return None
                    out |= part
                return out
            if op in repeats:
                return first(av[2]) if av[0] >= 1 else None
            return None
        return None  # could match the empty string

    chars = first(parsed)
    return "".join(sorted(chars)) if chars else None


def _make_fast_inline():
    from markdown import util
    from markdown.treeprocessors import InlineProcessor

    if not hasattr(InlineProcessor, "_InlineProcessor__applyPattern") or \
            not hasattr(InlineProcessor, "_InlineProcessor__handleInline"):
        return None  # another Python-Markdown layout: keep the stock processor

    class FastInlineProcessor(InlineProcessor):
        _triggers: list = []
        _triggers_key: tuple = ()

        def run(self, tree, ancestors=None):
            patterns = list(self.inlinePatterns)
            key = tuple(map(id, patterns))
            if key != self._triggers_key:
                self._triggers = [_first_chars(p.getCompiledRegExp()) for p in patterns]
                self._triggers_key = key
            return super().run(tree, ancestors)

        def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
            if isinstance(data, util.AtomicString):
                return data
            patterns = self.inlinePatterns
            triggers = self._triggers
            apply = self._InlineProcessor__applyPattern
            count = len(patterns)
            startIndex = 0
            contains = data.__contains__
            while patternIndex < count:
                trigger = triggers[patternIndex]
                if trigger is not None and not (contains(trigger) if len(trigger) == 1 else any(map(contains, trigger))):
                    patternIndex += 1  # cannot match: exactly what a failed match does
                    startIndex = 0
                    continue
                data, matched, startIndex = apply(patterns[patternIndex], data, patternIndex, startIndex)
                contains = data.__contains__  # the text now holds placeholders for what matched
                if not matched:
                    patternIndex += 1
            return data

    return FastInlineProcessor


_FastInlineProcessor = _make_fast_inline()


def render_markdown(body: str, lang: str) -> RenderedMarkdown:
    md = _instance(lang)
    md.reset()
    md.ck_source = body
    html = md.convert(body)
    excerpt = html.split(MORE_MARKER, 1)[0].strip() if MORE_MARKER in html else None
    m = _FIRST_PARAGRAPH.search(html)
    first = m.group(0) if m else ""
    return RenderedMarkdown(html=html, excerpt_html=excerpt, first_paragraph_html=first,
                            toc_html=getattr(md, "toc", ""), toc=list(getattr(md, "toc_tokens", [])))


def render_inline(text: str, lang: str) -> str:
    """A one-paragraph Markdown string (summary, bio line) -> HTML without the <p> wrapper."""
    html = render_markdown(text, lang).html.strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html
