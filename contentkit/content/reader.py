"""Read one content file into a `SourceDocument`: the cacheable, per-file unit of work.

Everything here depends only on the file's bytes, the site's default language and the Markdown
engine configuration, so the result can be cached by content hash and computed in any process.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from .. import __version__
from ..deferred import deferrable
from ..errors import ContentError
from .frontmatter import decode_source, split_front_matter
from ..text import count_prose_words_fast
from .markdown import ENGINE_VERSION, RenderedMarkdown, render_inline, render_markdown


@deferrable("body")  # read from the cache when first used (deferred.py)
@dataclass
class SourceDocument:
    rel: str
    kind: str
    meta: dict
    key_lines: dict[str, int]
    body: str
    body_line: int
    lang: str
    rendered: RenderedMarkdown
    summary_html: str  # front-matter summary rendered inline, or ""
    words: int
    template_tags: int = 0  # {{ }} / {% %} of other generators found in the body, shown literally
    extra: dict = field(default_factory=dict)


def cache_key(data: bytes, default_lang: str) -> str:
    h = hashlib.blake2b(data, digest_size=16)
    h.update(f"|{default_lang}|{ENGINE_VERSION}|{__version__}".encode())
    return h.hexdigest()


def read_document(data: bytes, rel: str, kind: str, default_lang: str) -> SourceDocument:
    """Parse front matter and render Markdown. Raises ContentError with file and line."""
    text = decode_source(data, rel)
    fm = split_front_matter(text, rel)
    lang = str(fm.meta.get("lang") or default_lang).strip().lower() or default_lang
    try:
        rendered = render_markdown(fm.body, lang)
    except Exception as exc:  # a Markdown extension choking on odd input must not kill the build
        raise ContentError(rel, "markdown-failed", line=fm.body_line, error=exc) from None
    summary = fm.meta.get("summary") or fm.meta.get("description") or fm.meta.get("excerpt")
    summary_html = render_inline(str(summary), lang) if summary else ""
    words = count_prose_words(rendered.html, lang)
    tags = fm.body.count("{{") + fm.body.count("{%")
    return SourceDocument(rel=rel, kind=kind, meta=fm.meta, key_lines=fm.key_lines, body=fm.body,
                          body_line=fm.body_line, lang=lang, rendered=rendered,
                          summary_html=summary_html, words=words, template_tags=tags)


def count_prose_words(html: str, lang: str) -> int:
    """Words of prose (no code, no tables): the one count that reading time and analytics share.

    Equal to ``sum(count_words(b.text, lang) for b in prose_blocks(html))``, computed without
    building the blocks (see `contentkit.text.count_prose_words_fast`).
    """
    return count_prose_words_fast(html, lang)
