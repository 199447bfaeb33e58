"""Markdown -> HTML with one reusable, configured Python-Markdown instance per language.

Creating a `Markdown` object with its extensions costs more than converting a typical article, so
each process keeps one per language and calls `reset()` between documents.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import markdown
from ..slugs import slugify

from .typography import TypographyExtension

MORE_MARKER = "<!-- more -->"
ENGINE_VERSION = f"markdown-{markdown.__version__}/ck-md-1"
PERMALINK_TITLES = {"fr": "Lien vers cette section", "en": "Link to this section"}
_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)


def heading_id(value: str, separator: str) -> str:
    # Transliterated ids (économie -> economie) so anchors are typeable and stable.
    return slugify(value, separator=separator) or "section"


@dataclass
class RenderedMarkdown:
    html: str
    excerpt_html: str | None  # the part before <!-- more -->, if the marker is present
    first_paragraph_html: str
    toc_html: str
    toc: list  # nested tokens: {level, id, name, children}


def _extensions(lang: str) -> tuple[list, dict]:
    exts = ["extra", "admonition", "sane_lists", "codehilite", "toc", TypographyExtension(lang=lang)]
    configs = {
        "codehilite": {"css_class": "highlight", "guess_lang": False},
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
        exts, configs = _extensions(key)
        md = markdown.Markdown(extensions=exts, extension_configs=configs, output_format="html")
        _INSTANCES[key] = md
    return md


def render_markdown(body: str, lang: str) -> RenderedMarkdown:
    md = _instance(lang)
    md.reset()
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
