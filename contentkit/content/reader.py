"""Read one content file into a `SourceDocument`: the cacheable, per-file unit of work.

Everything here depends only on the file's bytes, the site's default language and the Markdown
engine configuration, so the result can be cached by content hash and computed in any process.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from .. import __version__
from ..deferred import deferrable
from ..errors import ContentError, Problem
from .frontmatter import (NOT_XML, control_characters, decode_source, split_front_matter,
                          without_control_characters)
from ..text import count_prose_words_fast, lang_root
from .fields import typed_front_matter
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
    extra: dict = field(default_factory=dict)
    # Warnings found when reading (control characters removed, disagreeing languages), in English:
    # the build's log words them in the site's language (assemble_site).
    problems: tuple = ()


# The front matter keys that give a document's language: contentkit's and Jekyll's `lang`, then
# `language` (Hugo, Pelican's `lang` elsewhere) and `locale` (jekyll-seo-tag, `en_US`).
LANGUAGE_KEYS = ("lang", "language", "locale")
_LANG = re.compile(r"([A-Za-z]{2,3})(?:[-_]([A-Za-z]{4}))?(?:[-_]([A-Za-z]{2}|[0-9]{3}))?(?:[-_.@].*)?")
CONTROL_WARNINGS = 3  # control characters reported one by one in a file; then one count


def cache_key(data: bytes, default_lang: str) -> str:
    h = hashlib.blake2b(data, digest_size=16)
    h.update(f"|{default_lang}|{ENGINE_VERSION}|{__version__}".encode())
    return h.hexdigest()


def read_document(data: bytes, rel: str, kind: str, default_lang: str) -> SourceDocument:
    """Parse front matter and render Markdown. Raises ContentError with file and line."""
    text = decode_source(data, rel)
    problems: list[Problem] = []
    if NOT_XML.search(text):  # one C scan of the file; the rare file that has some is read again
        found = control_characters(text)
        for line, column, char in found[:CONTROL_WARNINGS]:
            problems.append(Problem.of("control-character", rel, line, "warning", char=char, column=column))
        if len(found) > CONTROL_WARNINGS:
            problems.append(Problem.of("control-character-more", rel, found[CONTROL_WARNINGS][0], "warning",
                                       count=len(found) - CONTROL_WARNINGS))
        text = NOT_XML.sub("", text)
    fm = split_front_matter(text, rel)
    for key, value in fm.meta.items():
        cleaned, changed = without_control_characters(value)
        if changed:  # written as a YAML escape ("\x0b"): found only once parsed
            fm.meta[key] = cleaned
            problems.append(Problem.of("control-character-escaped", rel, fm.key_lines.get(key), "warning", field=key))
    typed_front_matter(fm.meta, fm.key_lines, rel)  # a refused URL is a located ContentError
    lang = document_language(fm.meta, fm.key_lines, default_lang, rel, problems)
    engine_lang = lang_root(lang)  # typography and word rules are per language: fr-CA is French
    try:
        rendered = render_markdown(fm.body, engine_lang)
    except Exception as exc:  # a Markdown extension choking on odd input must not kill the build
        raise ContentError(rel, "markdown-failed", line=fm.body_line, error=exc) from None
    for value in rendered.refused:  # a javascript:/data: address written with Markdown syntax
        problems.append(Problem.of("markdown-address-refused", rel, line_in_body(fm.body, fm.body_line, value),
                                   "warning", value=shortened(value)))
    summary = fm.meta.get("summary") or fm.meta.get("description") or fm.meta.get("excerpt")
    summary_html = render_inline(str(summary), engine_lang) if summary else ""
    words = count_prose_words(rendered.html, lang)
    return SourceDocument(rel=rel, kind=kind, meta=fm.meta, key_lines=fm.key_lines, body=fm.body,
                          body_line=fm.body_line, lang=lang, rendered=rendered,
                          summary_html=summary_html, words=words,
                          problems=tuple(problems))


def line_in_body(body: str, body_line: int, needle: str) -> int:
    """The file line where `needle` (a value, a tag) first appears in the body; the body's first
    line when it cannot be found (the Markdown engine may have unescaped it)."""
    at = body.find(needle)
    if at < 0:
        at = body.lower().find(needle.lower())
    return body_line + (body.count("\n", 0, at) if at >= 0 else 0)


def shortened(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def normalise_language(value, site_lang: str) -> str | None:
    """A language tag as the site writes its own: `en_US`, `en-us`, `EN-US` -> `en` on a site whose
    `language:` is a bare code (`fr`), `en-US` on one that gives a region (`fr-FR`); a code without
    a region stays as it is. None when `value` is not a language tag (`English`, `node_js`)."""
    m = _LANG.fullmatch(str(value).strip())
    if m is None:
        return None
    code, script, region = m.group(1).lower(), m.group(2), m.group(3)
    site = _LANG.fullmatch(site_lang.strip())
    if site is not None and not (site.group(2) or site.group(3)):
        return code
    return "-".join([code] + ([script.title()] if script else []) + ([region.upper()] if region else []))


def document_language(meta: dict, key_lines: dict, default_lang: str, rel: str, problems: list) -> str:
    """The language of a document from `lang:`, `language:` or `locale:` (the first one given wins;
    a warning when another says a different language, or when one is not a language tag)."""
    chosen = None  # (key, tag)
    for key in LANGUAGE_KEYS:
        value = meta.get(key)
        if value is None or not isinstance(value, str) or not value.strip():
            continue
        tag = normalise_language(value, default_lang)
        if tag is None:
            problems.append(Problem.of("language-unknown", rel, key_lines.get(key), "warning", field=key,
                                       value=value.strip()))
        elif chosen is None:
            chosen = (key, tag)
        elif lang_root(tag) != lang_root(chosen[1]):
            problems.append(Problem.of("language-disagree", rel, key_lines.get(key), "warning", field=key,
                                       value=value.strip(), first=chosen[0], language=chosen[1]))
    return chosen[1] if chosen else default_lang


def count_prose_words(html: str, lang: str) -> int:
    """Words of prose (no code, no tables): the one count that reading time and analytics share.

    Equal to ``sum(count_words(b.text, lang) for b in prose_blocks(html))``, computed without
    building the blocks (see `contentkit.text.count_prose_words_fast`).
    """
    return count_prose_words_fast(html, lang)
