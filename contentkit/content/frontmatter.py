"""Split a Markdown file into its YAML front matter and its body.

Tolerant of what real files contain (UTF-8 BOM, CRLF, `...` as closing fence), strict about what
would silently lose content (bad bytes, broken YAML), and always located: errors carry the line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from ..yaml_safe import SAFE_LOADER
from ..errors import ContentError

_KEY_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:")
# What XML 1.0 refuses (and so lxml, feedgen and every feed and sitemap): the C0 control characters
# but tab, LF and CR, U+FFFE/U+FFFF and lone surrogates (a YAML escape such as "\ud800" makes one).
# They come in with a copy-paste (a vertical tab from Word, a NUL from a PDF) and are invisible.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass
class FrontMatter:
    meta: dict
    body: str
    body_line: int  # 1-based line number of the first body line in the file
    key_lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: str) -> int | None:
        return self.key_lines.get(key)


def decode_source(data: bytes, rel: str) -> str:
    """Bytes -> text with LF line endings. Non-UTF-8 bytes are an error naming the line."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ContentError(rel, "file-not-utf8", line=line, byte=f"{data[exc.start]:02x}") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def control_characters(text: str) -> list[tuple[int, int, str]]:
    """(line, column, "U+000B") of each character of `text` that XML refuses (1-based)."""
    found = []
    for m in NOT_XML.finditer(text):
        start = m.start()
        line_start = text.rfind("\n", 0, start) + 1
        found.append((text.count("\n", 0, start) + 1, start - line_start + 1, f"U+{ord(m[0]):04X}"))
    return found


def without_control_characters(value):
    """`value` (a front matter value: text, list, mapping) without the characters XML refuses,
    and whether there were some (YAML escapes such as "\x0b" make them after parsing)."""
    if isinstance(value, str):
        cleaned = NOT_XML.sub("", value)
        return cleaned, len(cleaned) != len(value)
    if isinstance(value, list):
        pairs = [without_control_characters(v) for v in value]
        return [v for v, _ in pairs], any(f for _, f in pairs)
    if isinstance(value, dict):
        pairs = {k: without_control_characters(v) for k, v in value.items()}
        return {k: v for k, (v, _) in pairs.items()}, any(f for _, f in pairs.values())
    return value, False


def yaml_mistake(exc: yaml.YAMLError, rel: str, first_line: int = 1) -> int | None:
    """The common YAML mistakes of authors, which PyYAML (and libyaml) report in their own terms
    (`did not find expected ',' or ']'`) and often a line later, raise a ContentError saying what
    is wrong at the line where the mistake is: a list or quotes never closed, a line without its
    `:`, a `:` where none is expected. Otherwise: the line PyYAML points at (1-based, `first_line`
    being the first line of the YAML text in the file), for the caller's own problem."""
    problem = str(getattr(exc, "problem", "") or "")
    context = str(getattr(exc, "context", "") or "")
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    mark = problem_mark or context_mark
    line = mark.line + first_line if mark is not None else None
    opened = context_mark.line + first_line if context_mark is not None else line  # where it opens
    if context == "while parsing a flow sequence" and "expected ',' or ']'" in problem:
        raise ContentError(rel, "yaml-list-unclosed", line=opened)
    if context == "while scanning a quoted scalar" and "unexpected end of stream" in problem:
        raise ContentError(rel, "yaml-quote-unclosed", line=opened)
    if context == "while scanning a simple key" and "expected ':'" in problem:
        raise ContentError(rel, "yaml-colon-missing", line=opened)
    if problem.startswith("mapping values are not allowed"):
        raise ContentError(rel, "yaml-colon-unexpected", line=line)
    return line


def split_front_matter(text: str, rel: str) -> FrontMatter:
    if not text.strip():
        raise ContentError(rel, "file-empty", line=1)
    lines = text.split("\n")
    if lines[0].strip() != "---":
        raise ContentError(rel, "front-matter-missing", line=1)
    end = None
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            end = i
            break
    if end is None:
        raise ContentError(rel, "front-matter-unclosed", line=1)
    raw = "\n".join(lines[1:end])
    try:
        meta = yaml.load(raw, Loader=SAFE_LOADER) if raw.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 2 if mark is not None else None  # +1 for 1-based, +1 for the '---' line
        problem = getattr(exc, "problem", None) or str(exc)
        if "\t" in problem or (line and "\t" in lines[line - 1]):
            raise ContentError(rel, "front-matter-yaml-tab", line=line, problem=problem) from None
        line = yaml_mistake(exc, rel, first_line=2)
        raise ContentError(rel, "front-matter-yaml-invalid", line=line, problem=problem) from None
    if not isinstance(meta, dict):
        raise ContentError(rel, "front-matter-not-mapping", line=2)
    key_lines = {}
    for i in range(1, end):
        m = _KEY_LINE.match(lines[i])
        if m:
            key_lines.setdefault(m.group(1), i + 1)
    body = "\n".join(lines[end + 1:])
    return FrontMatter({str(k): v for k, v in meta.items()}, body, end + 2, key_lines)
