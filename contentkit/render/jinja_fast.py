"""The Jinja speed shortcut, beside the stock code generator it replaces (render/env.py uses it).

`{{ value }}` in an autoescaped template normally calls markupsafe's escape(), which wraps each
printed string in a Markup; this code generator escapes plain strings straight into a str. It is
probed once per process against Jinja's own output and registered in contentkit/shortcuts.py
(`jinja.escape-output`); CONTENTKIT_NO_SHORTCUTS=1 keeps Jinja's own code generator.
"""
from __future__ import annotations

import jinja2
import jinja2.compiler
import markupsafe
from markupsafe import Markup

from ..shortcuts import register as register_shortcut


def _output_escape():
    """escape() for what `{{ value }}` prints: a plain str, escaped straight into a str (markupsafe's
    escape() wraps the same characters in a Markup, which costs 20 times the escaping itself and is
    thrown away once the page is joined); anything else through escape(), as before. None when
    this markupsafe has no such shortcut (markupsafe 2's escape is all C: nothing to gain)."""
    inner = getattr(markupsafe, "_escape_inner", None)
    if inner is None:
        return None
    escape = markupsafe.escape

    def escape_output(value):
        return inner(value) if type(value) is str else escape(value)

    probe = "<a href=\"x\" title='y'>&amp; é</a>"
    return escape_output if escape_output(probe) == str(escape(probe)) else None


class _CodeGenerator(jinja2.compiler.CodeGenerator):
    """Jinja's code generator, but each autoescaped `{{ value }}` goes through
    `environment.escape_output` (see _output_escape): a page is ~100 of them. The output is the
    same: printed values are only ever joined (a page, or a block, macro or `{% set %}` body that
    Jinja joins and wraps in Markup itself)."""

    def _output_child_pre(self, node, frame, finalize) -> None:
        if not frame.eval_ctx.volatile and frame.eval_ctx.autoescape and finalize.src is None:
            self.write("environment.escape_output(")
        else:
            super()._output_child_pre(node, frame, finalize)


_FAST_OUTPUT: list = []  # [escape_output or None], probed once per process


def use_fast_output(env: jinja2.Environment) -> None:
    """Use _CodeGenerator when this Jinja still compiles `{{ value }}` the way it expects."""
    if not _FAST_OUTPUT:
        escape_output = _output_escape()
        if escape_output is not None and hasattr(jinja2.compiler.CodeGenerator, "_output_child_pre"):
            probe = jinja2.Environment(autoescape=True)
            probe.code_generator_class = _CodeGenerator
            probe.escape_output = escape_output
            try:
                code = probe.compile("{{ x }}{% autoescape false %}{{ x }}{% endautoescape %}", raw=True)
                if code.count("environment.escape_output(") != 1 or probe.from_string(
                        "{{ x }}|{{ y }}|{{ z }}").render(x="<&>", y=Markup("<b>"), z=3) != "&lt;&amp;&gt;|<b>|3":
                    escape_output = None
            except Exception:  # noqa: BLE001 - another Jinja: keep its own code generator
                escape_output = None
        else:
            escape_output = None
        active = register_shortcut(
            "jinja.escape-output", module=__name__, active=escape_output is not None,
            replaces="jinja2.compiler.CodeGenerator._output_child_pre + markupsafe._escape_inner",
            library="Jinja2", supported=">=3.1,<3.2 (MarkupSafe >=2.1,<3.1)",
            reason="" if escape_output is not None else "no _escape_inner / _output_child_pre, or the probe differs")
        _FAST_OUTPUT.append(escape_output if active else None)
    if _FAST_OUTPUT[0] is not None:
        env.code_generator_class = _CodeGenerator
        env.escape_output = _FAST_OUTPUT[0]
