"""What Jekyll posts (Liquid tags, kramdown syntax) and CommonMark readers mean, read as Markdown.

Posts migrated from Jekyll keep constructs that Python-Markdown does not know. Those with a plain
Markdown meaning are understood when reading (a preprocessor that runs before fenced code):

    {% highlight ruby [linenos] %} … {% endhighlight %}   a fenced code block (Pygments, as any other)
    {% raw %} … {% endraw %}                              the text inside, as it is (no Liquid)
    * TOC  +  {:toc}   (or {:toc} alone)                  the page's own table of contents (the theme's
                                                          box, as for any article): the marker goes
    {: .class #id key="value"}                            attributes, when they are valid ones
    {{ "/2015/07/08/a-post/" | url }}                     the path (Eleventy's url filter)

`{{ site.baseurl }}` and `{{ site.url }}` are dropped (contentkit roots links that start with "/").
The others stay literal and are listed, per file and kind, as located warnings saying what to
write instead: `{% include … %}` (embeds), `{{ site.… }}`; `{% post_url 2020-01-15-name %}` is
listed too and written as /2020/name/ (a valid link, that the link check confirms or corrects). An attribute list
that is not a class, an id or a known attribute is dropped with a warning, and a Liquid tag is never
read as an attribute list (`{% endhighlight %}` used to become `<p _ endhighlight>`).

Two CommonMark readings Python-Markdown lacks are added too: a fenced code block inside a list item
indented by fewer than 4 spaces (Python-Markdown's list items need 4), and raw HTML inside a block
quote (Python-Markdown only reads raw HTML at the top level: `<blockquote><p><div>`).

What was found is kept on the engine (`md.ck_liquid`), and becomes `RenderedMarkdown.liquid`:
((kind, first line in the body (0-based), count, first detail), ...); `problems()` words it.
"""
from __future__ import annotations

import re

from markdown.extensions import Extension
from markdown.extensions.attr_list import AttrListTreeprocessor, get_attrs_and_remainder
from markdown.preprocessors import Preprocessor

from ..errors import Problem

_TAG = r"\{%-?\s*"
_END = r"\s*-?%\}"
_RAW = re.compile(_TAG + r"raw" + _END + r"(.*?)" + _TAG + r"endraw" + _END, re.S)
_HIGHLIGHT = re.compile(
    r"^(?P<indent>[ \t]*)" + _TAG + r"highlight\s+(?P<lang>[\w#.+-]+)(?P<options>[^%\n]*?)" + _END
    + r"[ \t]*\n(?P<code>.*?)\n?[ \t]*" + _TAG + r"endhighlight" + _END + r"[ \t]*$", re.S | re.M)
_TOC = re.compile(r"^(?:[ \t]*(?:[*+-]|1\.)[ \t]+[^\n]*\n)?[ \t]*\{:\s*toc\s*\}[ \t]*$", re.M)
_INCLUDE = re.compile(_TAG + r"include(?:_relative)?\s+(?P<detail>[^\s%]+)[^%]*?" + _END)
_POST_URL = re.compile(_TAG + r"(?:post_url|link)\s+(?P<detail>[^\s%]+)" + _END)
_DATED = re.compile(r"(?P<year>\d{4})-\d{1,2}-\d{1,2}-(?P<name>[\w-]+?)(?:\.\w+)?$")
_URL_FILTER = re.compile(r"\{\{-?\s*([\"'])(?P<path>[^\"'{}\s]*)\1\s*\|\s*url\s*-?\}\}")  # Eleventy/Nunjucks
_SITE = re.compile(r"\{\{-?\s*(?P<detail>site\.\w+)[^}]*?-?\}\}")
_IAL = re.compile(r"\{:(?!\s*toc\s*\})(?P<attrs>[^}\n]*)\}")
_BACKTICKS = re.compile(r"`+")
_FENCE = re.compile(r"^(?P<indent>[ ]{1,12})(?P<fence>`{3,}|~{3,})[^`\n]*$")
_LIST_ITEM = re.compile(r"^(?P<indent>[ ]*)(?:[*+-]|\d{1,9}[.)])[ ]+\S")
_QUOTE_HTML = re.compile(r"^>[ ]?(?P<html><(?P<tag>[A-Za-z][A-Za-z0-9-]*)[\s/>][^\n]*)$")
_PROTECTED = "\x01{}\x01"
_PROTECTED_RE = re.compile("\x01(\\d+)\x01(?:\x01\n)*")

# Attribute names an author may give with a kramdown/attr_list attribute list: they are valid on
# the elements these lists decorate (paragraphs, headings, lists, links, images, tables).
VALID_ATTRIBUTES = frozenset({
    "class", "id", "title", "lang", "dir", "style", "role", "target", "rel", "hreflang", "download",
    "width", "height", "alt", "loading", "decoding", "align", "start", "reversed", "type", "tabindex",
    "translate", "hidden", "data-toc-label", "colspan", "rowspan", "scope", "cite", "datetime",
})
_ATTRIBUTE_NAME = re.compile(r"(?:data|aria)-[a-z0-9_.-]+")


def valid_attribute(name: str, value) -> bool:
    if name in (".", "#"):  # a class or an id
        return bool(value)
    return value is not None and (name.lower() in VALID_ATTRIBUTES or bool(_ATTRIBUTE_NAME.fullmatch(name.lower())))


def valid_attribute_list(text: str) -> bool:
    attrs, remainder = get_attrs_and_remainder(text)
    return bool(attrs) and not remainder and all(valid_attribute(k, v) for k, v in attrs)


class ValidAttrListTreeprocessor(AttrListTreeprocessor):
    """attr_list that never reads a Liquid tag (`{% … %}`, `{{ … }}`) as an attribute list, and
    keeps only the attributes that are valid HTML on the element (the others are dropped; the
    preprocessor has listed them with their line)."""

    BASE_RE = r"\{\:?[ ]*([^\}\n %{][^\n]*)\}"
    HEADER_RE = re.compile(r"[ ]+{}[ ]*$".format(BASE_RE))
    BLOCK_RE = re.compile(r"\n[ ]*{}[ ]*$".format(BASE_RE))
    INLINE_RE = re.compile(r"^{}".format(BASE_RE))

    def assign_attrs(self, elem, attrs_string: str, *, strict: bool = False) -> str:
        attrs, remainder = get_attrs_and_remainder(attrs_string)
        if strict and remainder:
            return remainder
        kept = " ".join(_spelled(k, v) for k, v in attrs if valid_attribute(k, v))
        return super().assign_attrs(elem, kept + remainder, strict=strict) if kept else remainder


def _spelled(key: str, value) -> str:
    if key in (".", "#"):
        return key + value
    quote = "'" if '"' in value else '"'
    return f"{key}={quote}{value}{quote}"


class JekyllPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        md = self.md
        found: dict[str, list] = {}
        md.ck_liquid = found
        md.ck_foreign_tags = 0
        text = "\n".join(lines)
        if "{" in text:
            text = self._liquid(text, found)
        lines = text.split("\n")
        if "```" in text or "~~~" in text:
            lines = self._list_fences(lines)
        if ">" in text and "<" in text:
            lines = self._quoted_html(lines)
        return lines

    # Liquid and kramdown ------------------------------------------------------------------------
    def _liquid(self, text: str, found: dict) -> str:
        def note(kind: str, start: int, detail: str = "") -> None:
            entry = found.get(kind)
            line = text.count("\n", 0, start)
            if entry is None:
                found[kind] = [line, 1, detail]
            else:
                entry[1] += 1

        kept: list[str] = []

        def protect(m: re.Match) -> str:
            note("raw", m.start())
            kept.append(m.group(1))
            return _PROTECTED.format(len(kept) - 1) + "\x01\n" * m.group(0).count("\n")  # lines kept

        if "raw" in text:
            text = _RAW.sub(protect, text)
        if "highlight" in text:
            def fence(m: re.Match) -> str:
                note("highlight", m.start())
                indent, code = m.group("indent"), m.group("code")
                lines = [line[len(indent):] if line.startswith(indent) else line.lstrip() for line in code.split("\n")]
                ticks = "`" * max([3] + [len(run) + 1 for run in _BACKTICKS.findall(code)])
                lang = m.group("lang")
                info = f'{{ .{lang} linenums="1" }}' if "linenos" in m.group("options") else lang
                body = "\n".join(indent + line if line else line for line in lines)
                return f"{indent}{ticks}{info}\n{body}\n{indent}{ticks}"
            text = _HIGHLIGHT.sub(fence, text)
        if "url" in text and "{{" in text:
            def path(m: re.Match) -> str:
                note("url", m.start())
                return m.group("path")
            text = _URL_FILTER.sub(path, text)
        if "{:" in text:
            def toc(m: re.Match) -> str:
                note("toc", m.start())
                return "\n" * m.group(0).count("\n")  # the page shows its own table of contents
            text = _TOC.sub(toc, text)

            def ial(m: re.Match) -> str:
                if valid_attribute_list(m.group("attrs")):
                    return m.group(0)
                note("attributes", m.start(), m.group(0))
                return ""
            text = _IAL.sub(ial, text)
        listed = 0
        if "{%" in text:
            for m in _INCLUDE.finditer(text):
                note("include", m.start(), m.group("detail"))
                listed += 1

            def post_url(m: re.Match) -> str:
                # Written as the nearest guess, /year/name/ (a valid link); assemble.py, which knows
                # every post's address, turns it into the post's own.
                note("post_url", m.start(), m.group("detail"))
                return guessed_address(m.group("detail")) or m.group(0)
            text = _POST_URL.sub(post_url, text)
        if "{{" in text:
            def site(m: re.Match) -> str:
                if m.group("detail") in ("site.baseurl", "site.url"):  # contentkit roots "/" links itself
                    note("baseurl", m.start())
                    return ""
                nonlocal listed
                note("site", m.start(), m.group("detail"))
                listed += 1
                return m.group(0)
            text = _SITE.sub(site, text)
        self.md.ck_foreign_tags = text.count("{{") + text.count("{%") - listed
        if kept:
            text = _PROTECTED_RE.sub(lambda m: kept[int(m.group(1))], text)
        return text

    # CommonMark readings -------------------------------------------------------------------------
    def _list_fences(self, lines: list[str]) -> list[str]:
        """A fence indented inside a list item becomes the item's code block: read with the stock
        fenced-code pass (same highlighting as any code block), its placeholder indented the way
        Python-Markdown nests list content (4 spaces a level)."""
        fenced = self.md.preprocessors["fenced_code_block"] if "fenced_code_block" in self.md.preprocessors else None
        if fenced is None:
            return lines
        out: list[str] = []
        i = 0
        while i < len(lines):
            m = _FENCE.match(lines[i])
            depth = _list_depth(out, len(m.group("indent"))) if m else 0
            top = m and not depth and len(m.group("indent")) <= 3 and (not out or not out[-1].strip())
            if not depth and not top:
                out.append(lines[i])
                i += 1
                continue
            indent, fence = m.group("indent"), m.group("fence")
            closing = re.compile(r"^[ ]*" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ ]*$")
            end = next((j for j in range(i + 1, len(lines)) if closing.match(lines[j])), None)
            if end is None:  # unclosed: the code runs to the end of the item (CommonMark: of the document)
                end = len(lines)
            block = [line[len(indent):] if line.startswith(indent) else line.lstrip(" ") for line in lines[i:end]]
            block.append(fence)
            if top:  # a fence indented by 1-3 spaces at the top level: the stock pass reads it at column 0
                out.extend(block)
                i = end + 1
                continue
            read = [line for line in fenced.run(block) if line.strip()]
            if out and out[-1].strip():
                out.append("")
            out.extend("    " * depth + line for line in read)
            out.append("")
            i = end + 1
        return out

    def _quoted_html(self, lines: list[str]) -> list[str]:
        """Raw HTML that starts a block inside a block quote is kept as HTML, up to the quote's next
        blank line, as at the top level."""
        out: list[str] = []
        i = 0
        while i < len(lines):
            m = _QUOTE_HTML.match(lines[i])
            if not m or not self.md.is_block_level(m.group("tag").lower()) or (out and out[-1].startswith(">")
                                                                               and out[-1][1:].strip()):
                out.append(lines[i])
                i += 1
                continue
            html = []
            while i < len(lines) and lines[i].startswith(">") and lines[i][1:].strip():
                html.append(lines[i][2:] if lines[i].startswith("> ") else lines[i][1:])
                i += 1
            out.append("> " + self.md.htmlStash.store("\n".join(html)))
        return out


def _list_depth(before: list[str], indent: int) -> int:
    """How deep in lists a line indented by `indent` spaces is, from the lines before it (0: not in
    a list item, or indented as Python-Markdown already reads it)."""
    indents: list[int] = []
    for line in reversed(before):
        if not line.strip():
            continue
        m = _LIST_ITEM.match(line)
        if m:
            item = len(m.group("indent"))
            if item < indent and (not indents or item < indents[-1]):
                indents.append(item)
            if item == 0:
                break
        elif not line.startswith(" "):
            break
    if not indents or indents[-1] != 0:
        return 0
    return len(indents)


class JekyllExtension(Extension):
    def extendMarkdown(self, md) -> None:
        md.ck_liquid = {}
        md.ck_foreign_tags = 0
        md.preprocessors.register(JekyllPreprocessor(md), "jekyll", 27)  # after whitespace, before fences
        if "attr_list" in md.treeprocessors:
            md.treeprocessors.register(ValidAttrListTreeprocessor(md), "attr_list", 8)


def guessed_address(target: str) -> str | None:
    """The address the reader writes for `{% post_url 2020-01-15-name %}`: /2020/name/."""
    d = _DATED.match(target.rsplit("/", 1)[-1])
    return f"/{d.group('year')}/{d.group('name')}/" if d else None


def post_url_targets(markdown: str) -> list[tuple[int, str]]:
    """(line in the body, target) of every `{% post_url … %}` / `{% link … %}` of a Markdown body."""
    return [(markdown.count("\n", 0, m.start()), m.group("detail")) for m in _POST_URL.finditer(markdown)]


def target_name(target: str) -> str:
    """The file name, without extension, a post_url target names (`_posts/2020-01-15-name.md`)."""
    name = target.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if name.endswith((".md", ".markdown", ".html")) else name


def problems(rel: str, body_line: int, found) -> list[Problem]:
    """The located warnings for what a document's Markdown held that contentkit shows as text or
    dropped; `found` is `RenderedMarkdown.liquid`. Understood constructs (highlight, raw, toc) say
    nothing."""
    out = []
    for kind, line, count, detail in found:
        at = body_line + line
        if kind == "include":
            out.append(Problem.of("liquid-include", rel, at, severity="warning", count=count, name=detail))
        elif kind == "site":
            out.append(Problem.of("liquid-site-variable", rel, at, severity="warning", count=count, name=detail))
        elif kind == "attributes":
            out.append(Problem.of("kramdown-attributes-invalid", rel, at, severity="warning", count=count,
                                  text=detail))
    return out
