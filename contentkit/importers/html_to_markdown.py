"""WordPress post HTML -> clean Markdown.

The converter is `markdownify` (BeautifulSoup-based, maintained, MIT; already used by the analytics
side's tooling): it keeps nested lists, code blocks with their language, pipe tables and link
titles, and lets a subclass say how one tag is written. pandoc would be better at exotic HTML but is
a system binary most machines lack, and html2text (GPL) wraps lines and escapes more than it needs.

Before the converter runs, what is WordPress's own is turned into plain HTML (or set aside):
- `wpautop`: a classic-editor body has no <p>; blank lines are paragraphs, single newlines <br>
  (only for bodies without blocks, as WordPress does);
- Gutenberg block comments are removed; dynamic blocks (no saved HTML) and reusable-block
  references are dropped and listed; embeds, files, video and audio become a link on a line of its
  own; covers, media-text, columns, groups and buttons are flattened; spacers go;
- shortcodes: [caption] -> an image with its caption as title (a figure), [gallery] -> its images
  (resolved once every attachment is known: `GALLERY_TOKEN`), [embed]/[video]/[audio] and bare
  oEmbed URLs -> a link on its own line; any other shortcode is kept as text and counted;
- what Markdown cannot say (iframes, forms, complex tables, <details>, scripts...) stays raw HTML;
- `<!--more-->` becomes contentkit's marker (`content.markdown.MORE_MARKER`).
"""
from __future__ import annotations

import html as htmllib
import json
import re
from dataclasses import dataclass, field
from typing import Callable

import lxml.html
from lxml import etree
from markdownify import (Comment, Doctype, MarkdownConverter, NavigableString, Tag, re_extract_newlines,
                         re_html_heading, should_remove_whitespace_inside, should_remove_whitespace_outside)

from ..content.markdown import MORE_MARKER

GALLERY_TOKEN = "ckgallery"  # ckgallery<ids or post:ID>ckend, resolved by the reader at the end

BLOCK_HTML = {"address", "article", "aside", "blockquote", "details", "dialog", "dd", "div", "dl", "dt",
              "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
              "header", "hgroup", "hr", "main", "menu", "nav", "ol", "p", "pre", "section", "table", "ul",
              "li", "tr", "td", "th", "thead", "tbody", "tfoot", "caption", "colgroup", "col", "summary"}
RAW_TAGS = {"iframe", "form", "details", "script", "style", "object", "embed", "svg", "math", "canvas",
            "noscript", "select", "textarea", "button", "input", "map", "dl"}
INLINE_RAW = {"sup", "sub", "kbd", "mark", "abbr", "small", "u", "ins", "del", "s", "cite", "time"}
KNOWN_SHORTCODES = {"caption", "wp_caption", "gallery", "embed", "video", "audio"}
DYNAMIC_BLOCKS_ALLOWED = {"more", "nextpage", "spacer", "separator"}

_BLOCK_OPEN = re.compile(r"<!--\s+(/)?wp:([a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?)\s*(\{.*?\})?\s*(/)?-->", re.S)
_MORE = re.compile(r"<!--\s*more(.*?)-->", re.S)
_NEXTPAGE = re.compile(r"<!--\s*nextpage\s*-->")
_SHORTCODE = re.compile(r"\[(\[?)([A-Za-z][\w-]*)((?:\s+(?:[^\]\"'\s]+|\"[^\"]*\"|'[^']*')*)*)\s*(/?)\](?:(.*?)\[/\2\])?(\]?)", re.S)
# `_SHORTCODE` without its optional `...[/name]` part, and the closers a text holds: where `[/name]`
# occurs nowhere, that part cannot match, and scanning for it to the end of the body for every
# opening shortcode made the pass quadratic. `_shortcode_matches` gives `_SHORTCODE`'s matches.
_SHORTCODE_HEAD = re.compile(r"\[(\[?)([A-Za-z][\w-]*)((?:\s+(?:[^\]\"'\s]+|\"[^\"]*\"|'[^']*')*)*)\s*(/?)\](\]?)", re.S)
_CLOSER = re.compile(r"\[/([A-Za-z][\w-]*)\]")
_ATTR = re.compile(r"""([\w-]+)\s*=\s*"([^"]*)"|([\w-]+)\s*=\s*'([^']*)'|([\w-]+)\s*=\s*([^\s'"]+)|"([^"]*)"|(\S+)""")
_PROTECTED = re.compile(r"<(pre|code|script|style|textarea)\b.*?</\1\s*>", re.S | re.I)
_URL_LINE = re.compile(r"^\s*(https?://[^\s<>\"]+)\s*$", re.M)
_TOKEN = re.compile(r"ckph(\d+)x")
_BLOCKS_HTML = r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)"


@dataclass
class BodyContext:
    """What converting one body needs and finds."""
    source_ref: str
    media: Callable[[str], str | None] = lambda url: None  # an upload URL -> the local file name
    local_link: Callable[[str], str | None] = lambda url: None  # an old-site page URL -> /path/
    counts: dict = field(default_factory=dict)  # block:x, shortcode:x, embed, ...
    notes: list = field(default_factory=list)  # (code, params) warnings for the reader
    post_id: str = ""

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n


def _shortcode_sub(replace: Callable, text: str) -> str:
    """`_SHORTCODE.sub(replace, text)`, same result; `replace` gets (whole match, its 6 groups)."""
    if "[" not in text:
        return text
    closers = set(_CLOSER.findall(text))
    out, pos = [], 0
    while True:
        m = _SHORTCODE_HEAD.search(text, pos)
        if m is None:
            break
        if m.group(2) in closers:
            m = _SHORTCODE.match(text, m.start())
            whole, groups = m.group(0), m.groups()
        else:
            whole = m.group(0)
            g = m.groups()
            groups = (g[0], g[1], g[2], g[3], None, g[4])
        out.append(text[pos:m.start()])
        out.append(replace(whole, groups))
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def shortcode_attrs(text: str) -> dict:
    out, pos = {}, 0
    for m in _ATTR.finditer(text or ""):
        if m.group(1):
            out[m.group(1).lower()] = m.group(2)
        elif m.group(3):
            out[m.group(3).lower()] = m.group(4)
        elif m.group(5):
            out[m.group(5).lower()] = m.group(6)
        else:
            out[str(pos)] = m.group(7) if m.group(7) is not None else m.group(8)
            pos += 1
    return out


def wpautop(text: str) -> str:
    """WordPress's automatic paragraphs, simplified: blank lines separate paragraphs, a single
    newline inside one is a <br>; blocks that start with a block-level tag are left as they are."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return ""
    # Block tags start and end their own paragraphs, as in wpautop.
    text = re.sub(rf"(<{_BLOCKS_HTML}[\s/>])", r"\n\n\1", text, flags=re.I)
    text = re.sub(rf"(</{_BLOCKS_HTML}>)", r"\1\n\n", text, flags=re.I)
    out = []
    for chunk in re.split(r"\n\s*\n", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if re.match(rf"</?{_BLOCKS_HTML}[\s/>]", chunk, re.I) or _TOKEN.fullmatch(chunk):
            out.append(chunk)
        else:
            out.append("<p>" + re.sub(r"\s*\n\s*", "<br>\n", chunk) + "</p>")
    return "\n".join(out)


class _Converter(MarkdownConverter):
    """markdownify, with images carrying their title (a caption: contentkit's figure syntax).

    `process_tag` is markdownify 1.2's, but for one test: "is this node inside a <pre>" asks
    `parent_tags` (every ancestor's name: process_tag is only reached by recursion from the
    root) instead of `node.find_parent('pre')`, a walk up the tree for every tag (~25 % of the
    conversion). Same result; tests/test_import_speed_same.py compares the output."""

    def process_tag(self, node, parent_tags=None):
        if parent_tags is None:
            parent_tags = set()
        should_remove_inside = should_remove_whitespace_inside(node)

        def _can_ignore(el):
            if isinstance(el, Tag):
                return False
            elif isinstance(el, (Comment, Doctype)):
                return True
            elif isinstance(el, NavigableString):
                if str(el).strip() != '':
                    return False
                elif should_remove_inside and (not el.previous_sibling or not el.next_sibling):
                    return True
                elif should_remove_whitespace_outside(el.previous_sibling) or \
                        should_remove_whitespace_outside(el.next_sibling):
                    return True
                else:
                    return False
            elif el is None:
                return True
            else:
                raise ValueError('Unexpected element type: %s' % type(el))

        children_to_convert = [el for el in node.children if not _can_ignore(el)]
        parent_tags_for_children = set(parent_tags)
        parent_tags_for_children.add(node.name)
        if re_html_heading.match(node.name) is not None or node.name in {'td', 'th'}:
            parent_tags_for_children.add('_inline')
        if node.name in {'pre', 'code', 'kbd', 'samp'}:
            parent_tags_for_children.add('_noformat')
        child_strings = [self.process_element(el, parent_tags=parent_tags_for_children)
                         for el in children_to_convert]
        child_strings = [s for s in child_strings if s]
        if node.name == 'pre' or 'pre' in parent_tags:  # markdownify: node.find_parent('pre')
            pass
        else:
            updated_child_strings = ['']
            for child_string in child_strings:
                leading_nl, content, trailing_nl = re_extract_newlines.match(child_string).groups()
                if updated_child_strings[-1] and leading_nl:
                    prev_trailing_nl = updated_child_strings.pop()
                    num_newlines = min(2, max(len(prev_trailing_nl), len(leading_nl)))
                    leading_nl = '\n' * num_newlines
                updated_child_strings.extend([leading_nl, content, trailing_nl])
            child_strings = updated_child_strings
        text = ''.join(child_strings)
        convert_fn = self.get_conv_fn_cached(node.name)
        if convert_fn is not None:
            text = convert_fn(node, text, parent_tags=parent_tags)
        return text

    def convert_img(self, el, text, parent_tags):
        alt = (el.attrs.get("alt") or "").replace("\n", " ")
        src = el.attrs.get("src") or ""
        title = (el.attrs.get("title") or "").replace("\n", " ").replace('"', "'")
        title_part = f' "{title}"' if title else ""
        if "_inline" in parent_tags and el.parent.name not in self.options["keep_inline_images_in"]:
            return alt
        return f"![{alt}]({src.replace(' ', '%20')}{title_part})"


_OPTIONS = dict(heading_style="ATX", bullets="-", bs4_options="lxml", escape_misc=False,
                code_language_callback=lambda el: _code_language(el), table_infer_header=True)


def _code_language(el) -> str | None:
    for node in (el, *(el.find_all("code", limit=1) if hasattr(el, "find_all") else [])):
        for cls in node.get("class") or []:
            for prefix in ("language-", "lang-", "brush:"):
                if cls.startswith(prefix):
                    return cls[len(prefix):] or None
        lang = node.get("data-lang") or node.get("lang")
        if lang:
            return lang
    return None


class BodyConverter:
    def __init__(self, ctx: BodyContext):
        self.ctx = ctx
        self.kept: list[str] = []  # Markdown or raw HTML put back after the converter

    def keep(self, text: str, block: bool = True) -> str:
        token = f"ckph{len(self.kept)}x"
        self.kept.append(text)
        return f"\n\n<p>{token}</p>\n\n" if block else token

    # -------------------------------------------------------------------------------------
    def convert(self, html: str) -> str:
        return finish_markdown(self.prepare(html))

    def prepare(self, html: str) -> tuple[str, list[str]] | None:
        """Everything that needs the reader (media, links, counts, notes): the HTML markdownify
        gets and the texts its tokens stand for. `finish_markdown` of it is a pure function, so it
        may run in another process."""
        html = (html or "").replace("\r\n", "\n").replace("\r", "\n")
        if not html.strip():
            return None
        has_blocks = "<!-- wp:" in html
        html = self._protect(html)
        html = _MORE.sub(lambda m: self.keep(MORE_MARKER), html)
        if _NEXTPAGE.search(html):
            self.ctx.count("nextpage", len(_NEXTPAGE.findall(html)))
            html = _NEXTPAGE.sub("\n\n", html)
        if has_blocks:
            html = self._blocks(html)
        html = self._shortcodes(html)
        html = _URL_LINE.sub(lambda m: self._embed(m.group(1)), html) if not has_blocks else \
            re.sub(r"<p>\s*(https?://[^\s<>\"]+)\s*</p>", lambda m: self._embed(m.group(1)), html)
        html = self._unprotect(html)
        if not has_blocks:
            html = wpautop(html)
        html = self._tree(html)
        return html, self.kept

    # Code is never touched by shortcodes or URL embeds: set aside first.
    def _protect(self, html: str) -> str:
        self._protected: list[str] = []

        def put(m):
            self._protected.append(m.group(0))
            return f"<ckpr{len(self._protected) - 1}x>"  # "<" ends a bare URL before it
        return _PROTECTED.sub(put, html)

    def _unprotect(self, html: str) -> str:
        return re.sub(r"<ckpr(\d+)x>", lambda m: self._protected[int(m.group(1))], html)

    # Gutenberg ---------------------------------------------------------------------------------
    def _blocks(self, html: str) -> str:
        out, pos, stack = [], 0, []  # stack of (name, attrs, start of inner in out)
        for m in _BLOCK_OPEN.finditer(html):
            out.append(html[pos:m.start()])
            pos = m.end()
            closing, name, raw_attrs, selfclosing = m.group(1), m.group(2), m.group(3), m.group(4)
            name = name.split("/", 1)[1] if name.startswith("core/") else name
            try:
                attrs = json.loads(raw_attrs) if raw_attrs else {}
            except ValueError:
                attrs = {}
            if not isinstance(attrs, dict):
                attrs = {}
            if closing:
                # Close up to the matching opener (a broken nesting closes the inner ones too).
                while stack:
                    open_name, open_attrs, start = stack.pop()
                    if open_name == name:
                        inner = "".join(out[start:])
                        del out[start:]
                        out.append(self._block(name, open_attrs, inner))
                        break
                continue
            self.ctx.count(f"block:{name}")
            if selfclosing:
                out.append(self._block(name, attrs, "", dynamic=True))
                continue
            stack.append((name, attrs, len(out)))
        out.append(html[pos:])
        return "".join(out)

    def _block(self, name: str, attrs: dict, inner: str, dynamic: bool = False) -> str:
        if name == "block":  # a reusable block: its content lives in another post
            self.ctx.notes.append(("import-block-reusable", {"ref": attrs.get("ref", "")}))
            return ""
        if name in ("html", "freeform"):
            return self.keep(self._unprotect(inner).strip()) if name == "html" and inner.strip() else inner
        if name in ("embed", "core-embed") or name.startswith("core-embed/") or name.endswith("-embed"):
            url = attrs.get("url") or ""
            if not url:
                found = re.search(r"https?://[^\s<>\"]+", re.sub(r"<[^>]+>", " ", inner))
                url = found.group(0) if found else ""
            caption = re.search(r"<figcaption[^>]*>(.*?)</figcaption>", inner, re.S)
            text = self._embed(url) if url else inner
            if caption and url:
                text += f"\n\n<p>{caption.group(1)}</p>\n\n"
            return text
        if name == "spacer":
            return ""
        if name == "shortcode":
            return "\n\n" + inner.strip() + "\n\n"
        if dynamic and name not in DYNAMIC_BLOCKS_ALLOWED and not inner.strip():
            self.ctx.notes.append(("import-block-dynamic", {"block": name}))
            return ""
        return "\n\n" + inner.strip() + "\n\n" if inner.strip() else ""

    def _embed(self, url: str) -> str:
        url = htmllib.unescape(url.strip())
        self.ctx.count("embed")
        local = self.ctx.media(url)
        if local:
            return self.keep(f"[{local}]({local})")
        return self.keep(f"<{url}>")

    # Shortcodes --------------------------------------------------------------------------------
    def _shortcodes(self, html: str) -> str:
        def replace(whole: str, groups: tuple) -> str:
            open_escape, name, raw_attrs, _slash, inner, close_escape = groups
            if open_escape and close_escape:  # [[gallery]]: the literal text [gallery]
                return self.keep(whole[1:-1], block=False)
            lname = name.lower()
            attrs = shortcode_attrs(raw_attrs)
            inner = inner or ""
            if lname in ("caption", "wp_caption"):
                self.ctx.count("shortcode:caption")
                return self._caption(attrs, inner)
            if lname == "gallery":
                self.ctx.count("shortcode:gallery")
                ids = attrs.get("ids") or attrs.get("include") or ""
                ids = ",".join(i.strip() for i in ids.split(",") if i.strip().isdigit())
                return self.keep(f"{GALLERY_TOKEN}{ids or 'post' + self.ctx.post_id}ckend")
            if lname == "embed":
                self.ctx.count("shortcode:embed")
                url = (inner or attrs.get("src") or attrs.get("0") or "").strip()
                return self._embed(re.sub(r"<[^>]+>", "", url)) if url else ""
            if lname in ("video", "audio"):
                self.ctx.count(f"shortcode:{lname}")
                url = attrs.get("src") or next((v for k, v in attrs.items() if k in (
                    "mp4", "m4v", "webm", "ogv", "wmv", "flv", "mp3", "ogg", "wav", "m4a", "wma")), "")
                return self._embed(url) if url else ""
            self.ctx.count(f"shortcode:{lname}")
            self.ctx.count("shortcode-unknown")
            # Kept as text: its tags literally, what it encloses converted.
            text = whole
            if groups[4] is not None:
                head = text[: text.index("]") + 1]
                return self.keep(head, block=False) + self._shortcodes(inner) + \
                    self.keep(f"[/{name}]", block=False)
            return self.keep(text, block=False)
        for _ in range(3):  # nested shortcodes ([caption] inside [gallery]...): a few passes
            new = _shortcode_sub(replace, html)
            if new == html:
                break
            html = new
        return html

    def _caption(self, attrs: dict, inner: str) -> str:
        caption = attrs.get("caption", "")
        img = re.search(r"<img\b[^>]*>", inner, re.S | re.I)
        if not img:
            return inner
        rest = inner[img.end():]
        link = re.search(r"<a\b[^>]*>\s*$", inner[: img.start()], re.S | re.I)
        rest = re.sub(r"^\s*</a>", "", rest)
        if not caption:
            caption = rest
        caption = " ".join(re.sub(r"<[^>]+>", " ", htmllib.unescape(caption)).split())
        href = re.search(r"""href\s*=\s*["']([^"']+)""", link.group(0)) if link else None
        figure = f"<figure>{img.group(0)}<figcaption>{htmllib.escape(caption)}</figcaption></figure>"
        if href:
            figure = figure.replace("<figure>", f'<figure data-href="{htmllib.escape(href.group(1))}">', 1)
        return "\n\n" + figure + "\n\n"

    # The HTML tree ------------------------------------------------------------------------------
    def _tree(self, html: str) -> str:
        try:
            root = lxml.html.fragment_fromstring(html, create_parent="div")
        except (etree.ParserError, ValueError):
            return html
        for el in list(root.iter("figure")):
            self._figure(el)
        for quote in root.iter("blockquote"):  # <cite> of a quote: its own line, "— who"
            for cite in quote.findall("cite"):
                cite.tag = "p"
                cite.text = "— " + (cite.text or "")
        for el in list(root.iter()):
            if el.getparent() is None and el is not root:
                continue  # dropped with an ancestor
            if not isinstance(el.tag, str):
                if el.getparent() is not None:  # a comment or processing instruction
                    _drop(el)
                continue
            tag = el.tag.lower()
            cls = el.get("class") or ""
            if tag in ("video", "audio"):
                src = el.get("src") or next((s.get("src") for s in el.iter("source") if s.get("src")), "")
                self._replace(el, self._embed(src) if src else "")
            elif tag in RAW_TAGS or (tag == "table" and _complex_table(el)):
                if tag == "iframe" and el.get("src"):
                    self.ctx.count("iframe")
                raw = etree.tostring(el, encoding="unicode", with_tail=False, method="html")
                self._replace(el, self.keep(raw if tag in BLOCK_HTML else f"<div>{raw}</div>"))
            elif tag in INLINE_RAW:
                self._inline_raw(el)
            elif tag == "div" and "wp-block-spacer" in cls:
                _drop(el)
            elif tag == "a" and "wp-block-file__button" in cls:
                _drop(el)
            elif tag == "img":
                self._img(el)
            elif tag == "a" and el.get("href"):
                href = el.get("href")
                local = self.ctx.media(href) or self.ctx.local_link(href)
                if local:
                    el.set("href", local)
        return etree.tostring(root, encoding="unicode", method="html")

    def _inline_raw(self, el) -> None:
        # Markdown has no word for these: kept as HTML (their text escaped, links inside too).
        for img in el.iter("img"):
            self._img(img)
        raw = etree.tostring(el, encoding="unicode", with_tail=False, method="html")
        self._replace(el, self.keep(raw, block=False), block=False)

    def _img(self, el) -> None:
        src = el.get("src") or el.get("data-src") or ""
        local = self.ctx.media(src)
        if local:
            el.set("src", local)
        elif src:
            el.set("src", src)
        for attr in ("srcset", "sizes", "width", "height", "class", "loading", "decoding", "style"):
            el.attrib.pop(attr, None)

    def _figure(self, fig) -> None:
        cls = fig.get("class") or ""
        if "wp-block-pullquote" in cls or fig.find(".//blockquote") is not None:
            for cite in fig.iter("cite"):
                cite.tag = "p"
                cite.text = "— " + (cite.text or "")
            _unwrap(fig)
            return
        if "wp-block-table" in cls:
            for cap in fig.findall("figcaption"):
                cap.tag = "p"
            _unwrap(fig)
            return
        imgs = fig.findall(".//img")
        if not imgs:
            _unwrap(fig)
            return
        caption_el = fig.find("figcaption")
        caption = " ".join(caption_el.text_content().split()) if caption_el is not None else ""
        if len(imgs) > 1 or "wp-block-gallery" in cls:
            self.ctx.count("gallery")
            paragraphs = []
            for img in imgs:
                inner = img.getparent()
                while inner is not None and inner is not fig and inner.tag != "figure":
                    inner = inner.getparent()
                own = inner.find("figcaption") if inner is not None and inner is not fig else None
                if own is not None:
                    img.set("title", " ".join(own.text_content().split()))
                paragraphs.append(img)
            new = lxml.html.Element("div")
            for img in paragraphs:
                p = etree.SubElement(new, "p")
                img.tail = None
                p.append(img)
            if caption:
                etree.SubElement(new, "p").text = caption
            new.tail = fig.tail
            fig.getparent().replace(fig, new)
            _unwrap(new)
            return
        img = imgs[0]
        if caption:
            img.set("title", caption)
        link = img.getparent() if img.getparent() is not None and img.getparent().tag == "a" else None
        href = fig.get("data-href") or (link.get("href") if link is not None else None)
        p = lxml.html.Element("p")
        img.tail = None
        if href and not _same_image(href, img.get("src") or ""):
            a = etree.SubElement(p, "a", href=href)
            a.append(img)
        else:
            p.append(img)
        p.tail = fig.tail
        fig.getparent().replace(fig, p)

    def _replace(self, el, text: str, block: bool = True) -> None:
        parent = el.getparent()
        if parent is None:
            return
        if block:
            new = lxml.html.Element("p")
            new.text = re.sub(r"^<p>(ckph\d+x)</p>$", r"\1", text.strip())
            new.tail = el.tail
            parent.replace(el, new)
            return
        prev = el.getprevious()
        joined = text + (el.tail or "")
        if prev is not None:
            prev.tail = (prev.tail or "") + joined
        else:
            parent.text = (parent.text or "") + joined
        parent.remove(el)



_CONVERTER = _Converter(**_OPTIONS)  # stateless between bodies (only its tag -> method cache)
_TRAILING = re.compile(r"[ \t]+\n")
_BLANKS = re.compile(r"\n{3,}")


def finish_markdown(prepared: tuple[str, list[str]] | None) -> str:
    """markdownify, then the kept texts put back: a pure function of what `prepare` returned."""
    if prepared is None:
        return ""
    html, kept = prepared
    md = _CONVERTER.convert(html)
    for _ in range(4):  # a kept text may hold another token (a shortcode inside a raw block)
        new = _TOKEN.sub(lambda m: kept[int(m.group(1))], md)
        if new == md:
            break
        md = new
    md = _TRAILING.sub(lambda m: "  \n" if m.group(0).startswith("  ") else "\n", md)
    md = _BLANKS.sub("\n\n", md)
    return md.strip() + "\n"


def finish_many(batch: list) -> list[str]:
    """`finish_markdown` of each (a worker's unit of work)."""
    return [finish_markdown(p) for p in batch]


def _complex_table(table) -> bool:
    rows = table.findall(".//tr")
    if not rows:
        return True
    for cell in table.iter("td", "th"):
        if cell.get("colspan") or cell.get("rowspan"):
            return True
        if any(child.tag in ("p", "ul", "ol", "table", "pre", "blockquote", "div", "img") for child in cell):
            return True
    return table.find(".//table") is not None


def _same_image(href: str, src: str) -> bool:
    """A link around an image to (a size of) the same image: the full-size link WordPress adds."""
    def stem(u):
        u = u.split("?")[0].rsplit("/", 1)[-1]
        return re.sub(r"-\d+x\d+(?=\.\w+$)", "", u)
    return bool(src) and (href == src or stem(href) == stem(src) or
                          re.search(r"\.(jpe?g|png|gif|webp|avif|svg)$", href.split("?")[0], re.I) is not None)


def _drop(el) -> None:
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail or ""
    prev = el.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(el)


def _unwrap(el) -> None:
    """Replace an element by its children (a wrapper div or figure)."""
    parent = el.getparent()
    if parent is None:
        return
    index = parent.index(el)
    prev = el.getprevious()
    if el.text:
        if prev is not None:
            prev.tail = (prev.tail or "") + el.text
        else:
            parent.text = (parent.text or "") + el.text
    children = list(el)
    for i, child in enumerate(children):
        parent.insert(index + i, child)
    if el.tail:
        if children:
            children[-1].tail = (children[-1].tail or "") + el.tail
        elif prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def to_markdown(html: str, ctx: BodyContext) -> str:
    """A post's HTML (classic or Gutenberg) as Markdown; counts and notes gathered in `ctx`."""
    return BodyConverter(ctx).convert(html)


def prepare_markdown(html: str, ctx: BodyContext) -> tuple[str, list[str]] | None:
    """The reader's half of `to_markdown`; `finish_markdown` (pure) completes it."""
    return BodyConverter(ctx).prepare(html)


def to_text(html: str) -> str:
    """An excerpt's HTML as one line of plain text."""
    if not html or not html.strip():
        return ""
    text = re.sub(r"<!--.*?-->", " ", html, flags=re.S)
    text = re.sub(r"<(?:br|/?p|/?div|/?li|/?h\d|/?ul|/?ol|/?blockquote)\b[^>]*>", " ", text, flags=re.I)
    text = re.sub(r"<[^>]+>", "", text)
    text = _SHORTCODE.sub(lambda m: m.group(5) or "", text)
    return " ".join(htmllib.unescape(text).split())
