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

from ..deferred import deferrable
from ..slugs import slugify
from ..shortcuts import add_probe

from .liquid import JekyllExtension
from .typography import TypographyExtension, typeset
from ..i18n import catalog
from .markdown_fast import (FastInlineProcessor, cheaper_lookups, formatter_class,  # the shortcuts
                            remember_lexer_classes, skip_idle_passes)

MORE_MARKER = "<!-- more -->"
# ck-md-2: typeset TOC labels, raw <kbd>/<code>... and URLs left alone; ck-md-3: Liquid/kramdown read
# (liquid.py), fenced code in list items and raw HTML in block quotes
ENGINE_VERSION = f"markdown-{markdown.__version__}/ck-md-3"
_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_HTML_TAG = re.compile(_HTML_PATTERN, re.S)  # what toc.strip_tags removes
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_ASCII_SPACES = re.compile(r"[ \t\n\r\f\v]+")


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


def _extensions(lang: str) -> tuple[list, dict]:
    toc = TypesetTocExtension(slugify=heading_id, permalink="#", permalink_class="heading-anchor",
                              permalink_title=catalog(lang).t("content.heading_link"), toc_depth="2-3")
    exts = ["extra", "admonition", "sane_lists", "codehilite", toc, JekyllExtension(), TypographyExtension(lang=lang)]
    configs = {
        "codehilite": {"css_class": "highlight", "guess_lang": False, "pygments_formatter": formatter_class()},
        "footnotes": {"BACKLINK_TITLE": catalog(lang).t("content.footnote_backlink")},
    }
    return exts, configs


_INSTANCES: dict[str, markdown.Markdown] = {}


def _engine_lang(lang: str) -> str:
    """The language an engine is made for: its typography ("other": apostrophes and ellipses only)."""
    return lang if lang in ("fr", "en") else "other"


def _instance(lang: str) -> markdown.Markdown:
    key = _engine_lang(lang)
    md = _INSTANCES.get(key)
    if md is None:
        md = _INSTANCES[key] = new_engine(key)
    return md


def new_engine(lang: str, shortcuts: bool = True) -> markdown.Markdown:
    """A configured Python-Markdown instance; `shortcuts=False` gives the stock passes (the
    reference the shortcuts are tested against)."""
    exts, configs = _extensions(lang)
    md = markdown.Markdown(extensions=exts, extension_configs=configs, output_format="html")
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


def render_markdown(body: str, lang: str) -> RenderedMarkdown:
    md = _instance(lang)
    md.reset()
    md.ck_source = body
    md.ck_admonition = "!!!" in body  # once per document, not once per block
    md.ck_toc_marker = bool(md.ck_marker) and md.ck_marker in body
    html = md.convert(body)
    excerpt = html.split(MORE_MARKER, 1)[0].strip() if MORE_MARKER in html else None
    m = _FIRST_PARAGRAPH.search(html)
    first = m.group(0) if m else ""
    liquid = tuple((kind, *found) for kind, found in md.ck_liquid.items())
    return RenderedMarkdown(html=html, excerpt_html=excerpt, first_paragraph_html=first,
                            toc_html=getattr(md, "toc", ""), toc=list(getattr(md, "toc_tokens", [])),
                            liquid=liquid, template_tags=md.ck_foreign_tags)


# A summary that is one line of plain prose (no Markdown or HTML syntax can start in it) becomes one
# paragraph whose only processing is typography: a whole conversion (every pass of the engine) for
# it costs as much as a fifth of reading a typical article. tests/test_markdown_engine.py checks
# this path against the engine.
_PLAIN_INLINE = re.compile(r"(?!\d+[.)])[^\W_][^\\`*_\[\]<>&#|{}~^=+\x00-\x1f\x7f]*(?<!\s)")


def render_inline(text: str, lang: str) -> str:
    """A one-paragraph Markdown string (summary, bio line) -> HTML without the <p> wrapper."""
    if _PLAIN_INLINE.fullmatch(text) and "  " not in text:
        return typeset(text, _engine_lang(lang))
    html = render_markdown(text, lang).html.strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html
