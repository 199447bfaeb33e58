"""The Python-Markdown speed shortcuts, beside the reference engine they speed up (markdown.py).

Each reaches into a Python-Markdown, Pygments or `re` internal, probes that it still has the shape
it expects, and registers in contentkit/shortcuts.py what it found (active, or fell back to the
stock pass and why). `new_engine(lang, shortcuts=False)` in markdown.py is the stock engine they
are tested against (tests/test_markdown_engine.py); CONTENTKIT_NO_SHORTCUTS=1 leaves them all out.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree

import markdown
from markdown import util
from markdown.extensions.codehilite import CodeHilite, HiliteTreeprocessor
from markdown.treeprocessors import InlineProcessor
from markdown.util import Registry
from pygments import highlight
from pygments.formatters.html import HtmlFormatter
from pygments.lexers import get_lexer_by_name

from ..shortcuts import register as register_shortcut


def formatter_class():
    """Pygments' HTML formatter, minus the cost of rebuilding its style table for every code block
    (codehilite makes a new formatter per block: ~0.1 ms each, a third of highlighting short blocks).
    The table depends only on the style and the class prefix, and is never modified once built."""
    if not register_shortcut("pygments.stylesheet", module=__name__, replaces="HtmlFormatter._create_stylesheet",
                             library="Pygments", supported=">=2.15,<2.21",
                             active=hasattr(HtmlFormatter, "_create_stylesheet"), reason="no _create_stylesheet"):
        return HtmlFormatter
    tables: dict[tuple, tuple[dict, dict]] = {}

    class CachedStyleHtmlFormatter(HtmlFormatter):
        def _create_stylesheet(self):
            key = (self.style, self.classprefix)
            if key not in tables:
                super()._create_stylesheet()
                tables[key] = (self.ttype2class, self.class2style)
            self.ttype2class, self.class2style = tables[key]

    return CachedStyleHtmlFormatter


def remember_lexer_classes(md: markdown.Markdown) -> None:
    """codehilite looks a lexer up by name for every code block: a scan of Pygments' ~600 lexers
    (and of plugin entry points for an unknown name). This engine's `hilite` pass is replaced by
    one whose blocks remember, per engine, the class found for a name; each block still gets its
    own instance, made with its options, as before. Nothing outside this engine changes (no
    process-wide patch of codehilite). Left as it is when codehilite or Pygments has another shape."""
    stock = md.treeprocessors["hilite"] if "hilite" in md.treeprocessors else None
    if not register_shortcut("markdown.lexer-memo", module=__name__, library="Markdown", supported=">=3.5,<3.12",
                             replaces="codehilite.HiliteTreeprocessor.run / CodeHilite.hilite (per engine)",
                             active=type(stock) is HiliteTreeprocessor and all(
                                 hasattr(CodeHilite, name) for name in ("_parseHeader", "hilite")),
                             reason="another codehilite layout"):
        return
    classes: dict[str, type] = {}

    class MemoLexerHilite(CodeHilite):
        def hilite(self, shebang: bool = True) -> str:
            self.src = self.src.strip("\n")
            if self.lang is None and shebang:
                self._parseHeader()
            cls = classes.get(self.lang) if self.lang else None
            if cls is None and self.lang and self.use_pygments:
                try:
                    cls = classes[self.lang] = type(get_lexer_by_name(self.lang, **self.options))
                except ValueError:  # an unknown name: codehilite's own fallbacks, every time
                    cls = None
            if cls is None or not self.use_pygments or isinstance(self.pygments_formatter, str):
                return super().hilite(shebang=False)  # the header is already parsed
            formatter = self.pygments_formatter(lang_str=f"{self.lang_prefix}{self.lang}", **self.options)
            return highlight(self.src, cls(**self.options), formatter)

    class MemoLexerTreeprocessor(HiliteTreeprocessor):
        def run(self, root) -> None:  # HiliteTreeprocessor.run, with MemoLexerHilite
            for block in root.iter("pre"):
                if len(block) == 1 and block[0].tag == "code":
                    local_config = self.config.copy()
                    text = block[0].text
                    if text is None:
                        continue
                    code = MemoLexerHilite(self.code_unescape(text), tab_length=self.md.tab_length,
                                           style=local_config.pop("pygments_style", "default"), **local_config)
                    placeholder = self.md.htmlStash.store(code.hilite())
                    block.clear()
                    block.tag = "p"
                    block.text = placeholder

    fast = MemoLexerTreeprocessor(md)
    fast.config = stock.config
    md.treeprocessors.register(fast, "hilite", 30)  # replaces the stock pass, at its documented priority


def cheaper_lookups(md: markdown.Markdown) -> None:
    """Two lookups the engine repeats for every block and element, answered from memory: the
    block processors in priority order (the registry builds a new list for each block) and
    whether a tag is block-level (a scan of a list of ~50 names, for every element, by prettify).
    Both only change when extensions register, which they do when the engine is made."""
    if not register_shortcut("markdown.block-lookups", module=__name__, library="Markdown", supported=">=3.5,<3.12",
                             replaces="markdown.util.Registry._priority/_data/_is_sorted, Markdown.is_block_level",
                             active=all(hasattr(md.parser.blockprocessors, a) for a in ("_priority", "_data", "_is_sorted")),
                             reason="another Registry layout"):
        return

    class InOrder(Registry):
        _order: list = []
        _order_key: tuple = ()

        def __iter__(self):
            # Registering unsorts the registry (and a removal changes its size): list it again.
            if (len(self._data), self._is_sorted) != self._order_key:
                self._order = list(super().__iter__())  # sorts it
                self._order_key = (len(self._data), True)
            return iter(self._order)

    stock = md.parser.blockprocessors
    ordered = InOrder()
    for item in stock._priority:
        ordered.register(stock[item.name], item.name, item.priority)
    md.parser.blockprocessors = ordered

    is_block_level = md.is_block_level
    known: dict = {}
    names = md.block_level_elements

    def block_level(tag) -> bool:
        if len(known) > 512 or known.get(None) != len(names):  # extensions added names: start again
            known.clear()
            known[None] = len(names)
        answer = known.get(tag)
        if answer is None:
            answer = known[tag] = is_block_level(tag)
        return answer

    md.is_block_level = block_level


def _needs_one_of(test, needles: tuple[str, ...]):
    can_match = _checker((needles,))
    return lambda parent, block: can_match(block) and test(parent, block)


# Whole-tree passes that can only act on documents containing a given string. Each walks every
# element (2-3% of a conversion each), so a document without the string skips them: exactly what
# they would have done, found nothing. `\x02<n>\x03` placeholders come only from backslash escapes
# (the preprocessor strips those characters from the source), attribute lists need "{", and the
# table of contents replaces a paragraph that is exactly its marker.
def skip_idle_passes(md: markdown.Markdown) -> None:
    if not register_shortcut("markdown.idle-passes", module=__name__, library="Markdown", supported=">=3.5,<3.12",
                             replaces="treeprocessor .run / blockprocessor .test of unescape, attr_list, toc, "
                                      "hashheader...", active=True):
        if "toc" in md.treeprocessors:
            _cheaper_toc(md, md.treeprocessors["toc"])
        return

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
        proc.test = lambda parent, block: md.ck_admonition and test(parent, block)
    if "toc" in md.treeprocessors:
        toc = md.treeprocessors["toc"]
        if getattr(toc, "marker", None):
            replace = toc.replace_marker
            toc.replace_marker = lambda root, elem: replace(root, elem) if md.ck_toc_marker else None
        _cheaper_toc(md, toc)


def _cheaper_toc(md: markdown.Markdown, toc) -> None:
    """The table of contents as a string, written directly from its tokens instead of through an
    element tree, prettify and the serializer (a tenth of a conversion). The tree is still built
    when the document has a TOC marker (it is put in the page) or the TOC has a title."""
    try:
        from markdown.serializers import _escape_attrib_html, _escape_cdata
    except ImportError:  # pragma: no cover - another Python-Markdown layout: keep the stock pass
        _escape_attrib_html = _escape_cdata = None
    if getattr(toc, "title", None):
        return  # a TOC title: the stock pass (not a fallback: this site's configuration has none)
    if not register_shortcut("markdown.toc-string", module=__name__, library="Markdown", supported=">=3.5,<3.12",
                             replaces="markdown.serializers._escape_attrib_html/_escape_cdata, TocTreeprocessor.build_toc_div",
                             active=_escape_cdata is not None and hasattr(toc, "build_toc_div")
                             and "prettify" in md.treeprocessors, reason="another serializer/toc layout"):
        return
    build_tree = toc.build_toc_div
    run = toc.run
    empty = xml.etree.ElementTree.Element("div")
    label = getattr(toc, "typeset_labels", None)  # markdown.TypesetTocTreeprocessor: typeset labels

    def tokens_only(tokens: list):
        if label is not None:
            label(tokens)  # what build_toc_div does to the tokens, without building the tree
        return empty

    def items(tokens: list, out: list) -> None:
        if not tokens:
            out.append("<ul></ul>")
            return
        out.append("<ul>\n")
        for token in tokens:
            out.append(f'<li><a href="{_escape_attrib_html("#" + token.get("id", ""))}">'
                       f'{_escape_cdata(token.get("name", ""))}</a>')
            if token["children"]:
                items(token["children"], out)
                out.append("\n")
            out.append("</li>\n")
        out.append("</ul>")

    def cheap(doc) -> None:
        direct = not md.ck_toc_marker
        toc.build_toc_div = tokens_only if direct else build_tree
        try:
            run(doc)
        finally:
            toc.build_toc_div = build_tree
        if direct:
            out = [f'<div class="{_escape_attrib_html(toc.toc_class)}">\n']
            items(md.toc_tokens, out)
            out.append("\n</div>\n")
            html = "".join(out)
            for pp in md.postprocessors:
                html = pp.run(html)
            md.toc = html

    toc.run = cheap


# Inline patterns are the costliest part of Python-Markdown: every run of text is offered to each of
# ~15 patterns in turn, one Python call each, although most runs contain none of the text a match of
# those patterns needs. `_requirements` works that out from each pattern's regular expression: the
# literal strings every match contains ("[^" for a footnote reference, "![" for an image, two spaces
# and a newline for a line break, "<", "://" and ">" for an autolink...). A pattern whose
# requirements the text does not meet cannot match, and is skipped exactly as a failed match would
# be. Whatever cannot be analysed (case-insensitive flags, classes, lookarounds) requires nothing, so
# the pattern is tried. Same HTML, checked on thousands of documents and against the stock engine
# (tests/test_markdown_engine.py); about a third faster inline processing.
def _requirements(regex: re.Pattern) -> tuple[tuple[str, ...], ...]:
    """Substrings every match of `regex` contains: for each tuple, one of its strings. () if unknown."""
    if _RE_PARSER is None:
        return ()
    C, P = _RE_PARSER
    if regex.flags & re.IGNORECASE:
        return ()
    try:
        parsed = P.parse(regex.pattern, regex.flags)
    except Exception:  # noqa: BLE001 - anything odd: just try the pattern
        return ()
    repeats = {C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT)}
    atomic = getattr(C, "ATOMIC_GROUP", None)

    def sequence(items) -> list[tuple[str, ...]]:
        """What a match of these items, in order, must contain."""
        found: list[tuple[str, ...]] = []
        run: list[str] = []  # consecutive literal characters: one contiguous substring

        def flush() -> None:
            if run:
                found.append(("".join(run),))
                run.clear()

        for op, av in items:
            if op is C.LITERAL:
                run.append(chr(av))
                continue
            flush()
            if op is C.IN:
                if av and all(item_op is C.LITERAL for item_op, _ in av):
                    found.append(tuple(sorted({chr(c) for _, c in av})))
            elif op is C.SUBPATTERN:
                if not av[1] & re.IGNORECASE:
                    found.extend(sequence(av[3]))
            elif op is atomic:
                found.extend(sequence(av))
            elif op in repeats:
                if av[0] >= 1:
                    found.extend(sequence(av[2]))
            elif op is C.BRANCH:
                firsts = [sequence(branch) for branch in av[1]]
                if all(firsts):
                    found.append(tuple(sorted({alt for branch in firsts for alt in branch[0]})))
            # anything else (lookarounds, anchors, classes, backreferences) requires nothing known
        flush()
        return found

    return tuple(sequence(parsed))


def _probe_re_parser():
    try:
        from re import _constants as C, _parser as P
    except ImportError:  # pragma: no cover - other Python versions
        C = P = None
    return (C, P) if register_shortcut(
        "re.parser-requirements", module=__name__, library="Python", supported=">=3.11",
        replaces="re._parser.parse / re._constants (the literals an inline pattern needs)",
        active=P is not None and hasattr(P, "parse"), reason="no re._parser") else None


_RE_PARSER = _probe_re_parser()


def _checker(requirements: tuple[tuple[str, ...], ...]):
    """text -> False when it cannot hold a match; None when every text must be tried. Spelled out
    for the usual shapes: this runs for every run of text and pattern (generators cost more here)."""
    if not requirements:
        return None
    if all(len(alts) == 1 for alts in requirements):
        needles = [alts[0] for alts in requirements]
        if len(needles) == 1:
            a = needles[0]
            return lambda text: a in text
        if len(needles) == 2:
            a, b = needles
            return lambda text: a in text and b in text
        if len(needles) == 3:
            a, b, c = needles
            return lambda text: a in text and b in text and c in text
    if len(requirements) == 1 and len(requirements[0]) == 2:
        a, b = requirements[0]
        return lambda text: a in text or b in text
    return lambda text: all(any(alt in text for alt in alts) for alts in requirements)


def _make_fast_inline():
    if not register_shortcut("markdown.inline", module=__name__, library="Markdown", supported=">=3.5,<3.12",
                             replaces="InlineProcessor._InlineProcessor__handleInline/__applyPattern",
                             active=hasattr(InlineProcessor, "_InlineProcessor__applyPattern")
                             and hasattr(InlineProcessor, "_InlineProcessor__handleInline"),
                             reason="another InlineProcessor layout"):
        return None  # keep the stock processor

    class FastInlineProcessor(InlineProcessor):
        _triggers: list = []
        _triggers_key: tuple = ()

        def run(self, tree, ancestors=None):
            patterns = list(self.inlinePatterns)
            key = tuple(map(id, patterns))
            if key != self._triggers_key:
                self._triggers = [_checker(_requirements(p.getCompiledRegExp())) for p in patterns]
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
            while patternIndex < count:
                can_match = triggers[patternIndex]
                if can_match is not None and not can_match(data):
                    patternIndex += 1  # cannot match: exactly what a failed match does
                    startIndex = 0
                    continue
                data, matched, startIndex = apply(patterns[patternIndex], data, patternIndex, startIndex)
                if not matched:
                    patternIndex += 1
            return data

    return FastInlineProcessor


FastInlineProcessor = _make_fast_inline()
