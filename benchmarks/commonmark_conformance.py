"""How many CommonMark spec examples contentkit's Markdown reader renders like the spec.

    python3 benchmarks/commonmark_conformance.py [--section "List items"] [--failures]

The examples are those of the sections "Fenced code blocks", "Block quotes", "List items" and
"Lists" of the CommonMark Spec 0.31.2 (tests/fixtures/commonmark-0.31.2-blocks.json, with its
source and licence). Both sides are normalised before they are compared, so that only the
structure a reader sees counts:

- parsed with lxml as an HTML fragment; whitespace-only text between elements dropped, other
  whitespace collapsed to one space (kept as it is inside <pre>);
- contentkit's own additions undone: Pygments' `<div class="highlight"><pre><span></span><code>`
  becomes `<pre><code>` with the code's text, heading ids and their `#` permalinks are removed;
- the `class` of <code> is ignored (the spec says `language-ruby`, contentkit's highlighter says
  nothing once the code is coloured), and typography is undone (’ -> ', no-break spaces -> spaces).

tests/test_commonmark_lists.py keeps the figure from dropping (a floor).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import lxml.html
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from contentkit.content.markdown import render_markdown  # noqa: E402

SPEC = ROOT / "tests" / "fixtures" / "commonmark-0.31.2-blocks.json"
_SPACES = re.compile(r"\s+")
_TYPOGRAPHY = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " ",
                             "\u202f": " ", "\u2026": "..."})


def examples(section: str | None = None) -> list[dict]:
    data = json.loads(SPEC.read_text(encoding="utf-8"))["examples"]
    return [e for e in data if section is None or e["section"] == section]


def _canonical(node, in_pre: bool = False) -> tuple:
    pre = in_pre or node.tag == "pre"

    def text(value: str | None) -> str:
        value = (value or "").translate(_TYPOGRAPHY)
        if pre:
            return value
        return _SPACES.sub(" ", value).strip()

    attrs = tuple(sorted((k, v) for k, v in node.attrib.items() if not (node.tag == "code" and k == "class")))
    children = []
    if text(node.text):
        children.append(text(node.text))
    for child in node:
        if not isinstance(child.tag, str):  # comments, processing instructions
            if text(child.tail):
                children.append(text(child.tail))
            continue
        children.append(_canonical(child, pre))
        if text(child.tail):
            children.append(text(child.tail))
    return (node.tag, attrs, tuple(children))


def _undo_contentkit(root) -> None:
    for div in root.xpath('.//div[contains(concat(" ", @class, " "), " highlight ")]'):
        code = "".join(div.xpath(".//code//text()"))
        pre = etree.Element("pre")
        etree.SubElement(pre, "code").text = code
        pre.tail = div.tail
        div.getparent().replace(div, pre)
    for a in root.xpath('.//a[contains(concat(" ", @class, " "), " heading-anchor ")]'):
        a.drop_tree()
    for h in root.xpath(".//h1|.//h2|.//h3|.//h4|.//h5|.//h6"):
        h.attrib.pop("id", None)


def normalise(html: str, contentkit: bool = False) -> tuple:
    root = lxml.html.fragment_fromstring(html or "", create_parent="div")
    if contentkit:
        _undo_contentkit(root)
    return _canonical(root)


def render(markdown: str) -> str:
    return render_markdown(markdown, "en").html


def conforms(example: dict) -> bool:
    try:
        html = render(example["markdown"])
    except Exception:  # noqa: BLE001 - a reader that fails an example does not render it like the spec
        return False
    return normalise(html, contentkit=True) == normalise(example["html"])


def measure(section: str | None = None) -> dict[str, tuple[int, int]]:
    """section -> (examples rendered like the spec, examples)."""
    figures: dict[str, list[int]] = {}
    for example in examples(section):
        ok, total = figures.setdefault(example["section"], [0, 0])
        figures[example["section"]] = [ok + conforms(example), total + 1]
    return {k: (v[0], v[1]) for k, v in figures.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--section")
    parser.add_argument("--failures", action="store_true", help="print the examples that differ")
    args = parser.parse_args()
    figures = measure(args.section)
    for name, (ok, total) in figures.items():
        print(f"{name:20} {ok:3}/{total:3}")
    ok = sum(v[0] for v in figures.values())
    total = sum(v[1] for v in figures.values())
    print(f"{'all':20} {ok:3}/{total:3}")
    if args.failures:
        for example in examples(args.section):
            if not conforms(example):
                print(f"\n--- example {example['example']} ({example['section']})")
                print(example["markdown"], end="")
                print("--- spec:\n" + example["html"], end="")
                print("--- contentkit:\n" + render(example["markdown"]))


if __name__ == "__main__":
    main()
