"""Markdown -> HTML with one reusable, configured Python-Markdown instance per language.

Creating a `Markdown` object with its extensions costs more than converting a typical article, so
each process keeps one per language and calls `reset()` between documents.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import markdown
from markdown.extensions.toc import TocExtension, TocTreeprocessor
from markdown.inlinepatterns import HTML_RE as _HTML_PATTERN
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from ..deferred import deferrable
from ..slugs import slugify
from ..shortcuts import add_probe

from .liquid import JekyllExtension
from .typography import TypographyExtension, typeset
from ..i18n import catalog
from .fields import refused_scheme
from .markdown_fast import (FastInlineProcessor, cheaper_lookups, formatter_class,  # the shortcuts
                            remember_lexer_classes, skip_idle_passes)

MORE_MARKER = "<!-- more -->"
# ck-md-2: typeset TOC labels, raw <kbd>/<code>... and URLs left alone; ck-md-3: Liquid/kramdown read
# (liquid.py), fenced code in list items and raw HTML in block quotes; ck-md-4: javascript:/data:
# addresses of Markdown links removed, raw HTML fragments noted (docs/security.md)
ENGINE_VERSION = f"markdown-{markdown.__version__}/ck-md-4"
_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_HTML_TAG = re.compile(_HTML_PATTERN, re.S)  # what toc.strip_tags removes
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_ASCII_SPACES = re.compile(r"[ \t\n\r\f\v]+")
# What raw HTML in Markdown may do (`markdown.raw_html` in contentkit.yml, docs/security.md):
# "allow" passes it, "sanitize" keeps an allow-list of it (content/sanitize.py, applied when the
# site is assembled, after the cache), "escape" shows it as text. An engine is made for "allow" or
# "escape"; front-matter Markdown (summary, bio) is always rendered by an "escape" engine.
_URL_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "data", "xlink:href", "srcset")
_ONLY_COMMENT = re.compile(r"\s*<!--.*?-->\s*", re.S)


def heading_id(value: str, separator: str) -> str:
    # Transliterated ids (économie -> economie) so anchors are typeable and stable.
    return slugify(value, separator=separator) or "section"


def toc_label(inner_html: str) -> str:
    """A heading's label in the table of contents: its HTML without tags, as the stock `strip_tags`
    makes it, except that only ASCII whitespace is collapsed. The stock pass collapses every Unicode
    space (`' '.join(text.split())`), undoing the heading's typography (U+00A0 before ":" and inside
    « », U+202F before ; ! ?): the TOC said "Pourquoi ?" where the heading says "Pourquoi\u202f?"."""
    text = _HTML_TAG.sub("", _COMMENT.sub("", inner_html))
    return _ASCII_SPACES.sub(" ", text).strip(" \t\n\r\f\v")


class TypesetTocTreeprocessor(TocTreeprocessor):
    """The stock table of contents, labelled with the typeset text of each heading (see toc_label).
    A `data-toc-label` the author wrote is kept as the stock pass makes it."""

    def typeset_labels(self, tokens: list) -> None:
        for token in tokens:
            if not token.get("data-toc-label"):
                token["name"] = toc_label(token["html"])
            self.typeset_labels(token["children"])

    def build_toc_div(self, toc_list: list):
        self.typeset_labels(toc_list)  # the tokens are md.toc_tokens too: both say the same
        return super().build_toc_div(toc_list)


class TypesetTocExtension(TocExtension):
    TreeProcessorClass = TypesetTocTreeprocessor


@deferrable("html", "toc_html")  # read from the cache when first used (deferred.py)
@dataclass
class RenderedMarkdown:
    html: str
    excerpt_html: str | None  # the part before <!-- more -->, if the marker is present
    first_paragraph_html: str
    toc_html: str
    toc: list  # nested tokens: {level, id, name, children}
    # What the source held of Jekyll's syntax (liquid.py): ((kind, body line, count, detail), ...),
    # and how many {{ }} / {% %} tags of another generator are left as literal text.
    liquid: tuple = ()
    template_tags: int = 0
    # The raw HTML fragments the body holds (comments left out), which `markdown.raw_html` and the
    # authors' `trusted` decide about (content/sanitize.py); the addresses and attributes made with
    # Markdown syntax that were removed (SafeAddresses), for located warnings.
    raw_html: tuple = ()
    refused: tuple = ()


def _extensions(lang: str) -> tuple[list, dict]:
    toc = TypesetTocExtension(slugify=heading_id, permalink="#", permalink_class="heading-anchor",
                              permalink_title=catalog(lang).t("content.heading_link"), toc_depth="2-3")
    exts = ["extra", "admonition", "sane_lists", "codehilite", toc, JekyllExtension(), TypographyExtension(lang=lang)]
    configs = {
        "codehilite": {"css_class": "highlight", "guess_lang": False, "pygments_formatter": formatter_class()},
        "footnotes": {"BACKLINK_TITLE": catalog(lang).t("content.footnote_backlink")},
    }
    return exts, configs


_INSTANCES: dict[tuple[str, str], markdown.Markdown] = {}


def _engine_lang(lang: str) -> str:
    """The language an engine is made for: its typography ("other": apostrophes and ellipses only)."""
    return lang if lang in ("fr", "en") else "other"


def _instance(lang: str, raw_html: str = "allow") -> markdown.Markdown:
    key = (_engine_lang(lang), "escape" if raw_html == "escape" else "allow")
    md = _INSTANCES.get(key)
    if md is None:
        md = _INSTANCES[key] = new_engine(key[0], raw_html=key[1])
    return md


class _NoteRawHtml:
    """Wraps the raw-HTML passes of an engine (the block preprocessor and the inline pattern) to
    note which stash entries hold the author's raw HTML (`md.ck_raw`, indexes into the stash)."""

    @staticmethod
    def block(md: markdown.Markdown) -> None:
        stock = md.preprocessors["html_block"]
        run = stock.run

        def noting_run(lines):
            before = md.htmlStash.html_counter
            out = run(lines)
            md.ck_raw.extend(range(before, md.htmlStash.html_counter))
            return out
        stock.run = noting_run

    @staticmethod
    def inline(md: markdown.Markdown) -> None:
        stock = md.inlinePatterns["html"]
        handle = stock.handleMatch

        def noting_handle(m, data):
            out = handle(m, data)
            md.ck_raw.append(md.htmlStash.html_counter - 1)
            return out
        stock.handleMatch = noting_handle


class KeepMoreMarker(Preprocessor):
    """An "escape" engine shows raw HTML as text, but for the `<!-- more -->` line that ends an
    excerpt: it is stashed as the "allow" engine would keep it."""

    def run(self, lines: list[str]) -> list[str]:
        return [self.md.htmlStash.store(MORE_MARKER) if line.strip() == MORE_MARKER else line
                for line in lines]


class SafeAddresses(Treeprocessor):
    """Links and images made with Markdown syntax (`[x](javascript:...)`, a reference, an
    attribute list `{: href=... }`) never carry a `javascript:`, `vbscript:` or `data:` address: the
    attribute is removed and noted (`md.ck_refused`: the values, for a located warning). `data:`
    stays in an image's `src` (`data:image/png;base64,...` cannot run script). In an "escape"
    engine, event handlers (`onclick`...) and `style` that an attribute list sets are removed too."""

    def __init__(self, md, strict: bool):
        super().__init__(md)
        self.strict = strict

    def run(self, root) -> None:
        refused = self.md.ck_refused
        for el in root.iter():
            if not el.attrib:
                continue
            for name, value in list(el.attrib.items()):
                lower = name.lower()
                if lower.startswith("on") or lower in ("style", "srcdoc"):
                    if self.strict:
                        del el.attrib[name]
                        refused.append(f"{name}={value}")
                    else:  # an attribute list's: decided on with raw HTML (the policy may sanitize)
                        self.md.ck_attributes.append(f'{name}="{value}"')
                elif lower in _URL_ATTRIBUTES:
                    scheme = refused_scheme(value)
                    if scheme and not (scheme == "data" and el.tag == "img" and lower == "src"
                                       and value.strip().lower().startswith("data:image/")):
                        del el.attrib[name]
                        refused.append(value)


def new_engine(lang: str, shortcuts: bool = True, raw_html: str = "allow") -> markdown.Markdown:
    """A configured Python-Markdown instance; `shortcuts=False` gives the stock passes (the
    reference the shortcuts are tested against). `raw_html="escape"`: raw HTML is text."""
    exts, configs = _extensions(lang)
    md = markdown.Markdown(extensions=exts, extension_configs=configs, output_format="html")
    md.ck_raw = []  # stash indexes of raw HTML (allow engines)
    md.ck_refused = []  # addresses and attributes SafeAddresses removed
    md.ck_attributes = []  # event handlers and styles set by attribute lists (allow engines)
    if raw_html == "escape":
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.preprocessors.register(KeepMoreMarker(md), "more_marker", 20)
    else:
        _NoteRawHtml.block(md)
        _NoteRawHtml.inline(md)
    md.treeprocessors.register(SafeAddresses(md, strict=raw_html == "escape"), "safe_addresses", -1)
    # What a document holds, noted once per document by render_markdown for the shortcuts.
    md.ck_source = ""
    md.ck_admonition = False
    md.ck_toc_marker = False
    toc = md.treeprocessors["toc"] if "toc" in md.treeprocessors else None
    md.ck_marker = getattr(toc, "marker", "") or ""
    if shortcuts:  # each one registers itself, and is left out when CONTENTKIT_NO_SHORTCUTS is set
        if FastInlineProcessor is not None:
            md.treeprocessors.register(FastInlineProcessor(md), "inline", 20)
        skip_idle_passes(md)
        cheaper_lookups(md)
        remember_lexer_classes(md)
    return md




add_probe(lambda: _instance("fr"))  # the Markdown shortcuts are probed when an engine is made


def render_markdown(body: str, lang: str, raw_html: str = "allow") -> RenderedMarkdown:
    """`raw_html`: "escape" shows raw HTML as text; any other mode passes it (sanitize is applied
    later, content/sanitize.py). `raw_html` and `refused` of the result say what the body held."""
    md = _instance(lang, raw_html)
    md.reset()
    md.ck_raw, md.ck_refused, md.ck_attributes = [], [], []
    md.ck_source = body
    md.ck_admonition = "!!!" in body  # once per document, not once per block
    md.ck_toc_marker = bool(md.ck_marker) and md.ck_marker in body
    html = md.convert(body)
    excerpt = html.split(MORE_MARKER, 1)[0].strip() if MORE_MARKER in html else None
    m = _FIRST_PARAGRAPH.search(html)
    first = m.group(0) if m else ""
    liquid = tuple((kind, *found) for kind, found in md.ck_liquid.items())
    rendered = RenderedMarkdown(html=html, excerpt_html=excerpt, first_paragraph_html=first,
                                toc_html=getattr(md, "toc", ""), toc=list(getattr(md, "toc_tokens", [])),
                                liquid=liquid, template_tags=md.ck_foreign_tags)
    blocks = md.htmlStash.rawHtmlBlocks
    # Raw HTML the author wrote (comments left out: they cannot run anything).
    rendered.raw_html = tuple(str(blocks[i]) for i in md.ck_raw if i < len(blocks) and not (
        isinstance(blocks[i], str) and _ONLY_COMMENT.fullmatch(blocks[i]))) + tuple(md.ck_attributes)
    rendered.refused = tuple(md.ck_refused)
    return rendered


# A summary that is one line of plain prose (no Markdown or HTML syntax can start in it) becomes one
# paragraph whose only processing is typography: a whole conversion (every pass of the engine) for
# it costs as much as a fifth of reading a typical article. tests/test_markdown_engine.py checks
# this path against the engine.
_PLAIN_INLINE = re.compile(r"(?!\d+[.)])[^\W_][^\\`*_\[\]<>&#|{}~^=+\x00-\x1f\x7f]*(?<!\s)")


def render_inline(text: str, lang: str) -> str:
    """A one-paragraph Markdown string (summary, bio line) -> HTML without the <p> wrapper. Raw
    HTML in it is shown as text: front-matter Markdown never passes it (docs/security.md)."""
    if _PLAIN_INLINE.fullmatch(text) and "  " not in text:
        return typeset(text, _engine_lang(lang))
    html = render_markdown(text, lang, raw_html="escape").html.strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html
