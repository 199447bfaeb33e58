"""The Jinja2 environment: template lookup site -> theme -> built-in default, filters, UI strings.

Autoescaping is always on. Article bodies are inserted with `|safe` because they are HTML produced
by the Markdown stage; anything from front matter (titles, summaries, names) is escaped.
"""
from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from pathlib import Path

import jinja2
import jinja2.meta
import yaml
from markupsafe import Markup

from ..config import SiteConfig
from ..content.typography import typeset_labels
from ..dates import format_day, format_moment
from ..yaml_safe import SAFE_LOADER
from ..i18n import base_language, catalog
from ..errors import ContentError
from .jinja_fast import use_fast_output  # the `{{ value }}` shortcut (jinja_fast.py)

_SCROLLER = re.compile(r"<(pre|table)(?=[\s>])(?![^>]*\stabindex=)")
BUILTIN_THEMES = Path(__file__).resolve().parent.parent / "themes"  # package data


def theme_dir(config: SiteConfig) -> Path:
    local = config.root / "themes" / config.theme
    if local.is_dir():
        return local
    builtin = BUILTIN_THEMES / config.theme
    if builtin.is_dir():
        return builtin
    raise ContentError(config.source_file or "contentkit.yml", "theme-not-found", theme=config.theme)


def template_dirs(config: SiteConfig) -> list[Path]:
    dirs = [config.root / "templates", theme_dir(config) / "templates", BUILTIN_THEMES / "default" / "templates"]
    out = []
    for d in dirs:
        if d.is_dir() and d.resolve() not in [o.resolve() for o in out]:
            out.append(d)
    return out


def static_dirs(config: SiteConfig) -> list[Path]:
    """Lowest priority first: built-in theme, theme, site `static/` (site files win)."""
    dirs = [BUILTIN_THEMES / "default" / "static", theme_dir(config) / "static", config.root / "static"]
    out = []
    for d in dirs:
        if d.is_dir() and d.resolve() not in [o.resolve() for o in out]:
            out.append(d)
    return out


def load_strings(config: SiteConfig) -> dict[str, str]:
    """UI strings for the site language: the catalog's `site` section (English filling gaps), then the
    theme's i18n/<lang>.yml, then the site's i18n/<lang>.yml (flat keys, English file first)."""
    strings: dict[str, str] = catalog(config.language).section("site")
    lang = base_language(config.language)
    for base in (theme_dir(config), config.root):
        for name in ("en", lang):
            path = base / "i18n" / f"{name}.yml"
            if path.is_file():
                strings.update(yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or {})
    return typeset_labels(strings, lang)  # the theme's labels get the typography of article text


def fingerprint_files(dirs: list[Path]) -> str:
    """Hash of every template/static file: any theme change invalidates rendered pages."""
    h = hashlib.blake2b(digest_size=12)
    for d in dirs:
        for path in sorted(p for p in d.rglob("*") if p.is_file()):
            h.update(path.relative_to(d).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


class PartialMemo:
    """A partial that shows one article (`partials/card.html`, `partials/byline.html`), rendered
    once per article and reused: a 5,000-post site shows each card on ~7 list pages.

    The memo is only used when the partial (with everything it includes, in whichever template
    folder wins: site, theme or built-in) reads nothing from its context but the article variable
    and the environment's globals (`t`, `config`...). A partial that reads anything else (`term`,
    `page_url`, `loop`...) is not memoizable: `bool(memo)` is false and `render` renders it the way
    an `{% include %}` would, with the page's variables, so overriding a partial always takes effect
    and a theme only ever writes `{{ card(a) }}`. (Unlike an include, that fallback sees the page's
    context, not the variables a template sets inside a block or loop.)

    It lives in the environment, which each build creates afresh (see build.py): cards never
    outlive the content and templates they were rendered from (`contentkit serve` rebuilds many
    times in one process). Forked render workers inherit what the parent has rendered so far."""

    def __init__(self, env: jinja2.Environment, template: str, name: str, var: str = "a"):
        self.env, self.template, self.name, self.var = env, template, name, var
        self._callers: dict[str, bool] = {}
        self._names: tuple[str, ...] | None = None  # globals the partial reads
        self._usable: bool | None = None
        self._memo: dict[int, tuple[object, Markup]] = {}
        self._bare: jinja2.Environment | None = None

    @staticmethod
    def of(env: jinja2.Environment, name: str) -> "PartialMemo | None":
        """The memo behind the `card`/`byline` global of an environment made by make_environment
        (for Planner.warm; not a global: themes only call `card(a)`), None for any other one."""
        return getattr(env, "contentkit_partial_memos", {}).get(name)

    def _free_names(self, name: str, seen: set[str]) -> set[str] | None:
        """Names template `name` (and what it includes/imports/extends) reads from its context;
        None when that cannot be known (a dynamic include, a missing or broken template)."""
        if self._bare is None:  # the same syntax, no globals: `meta` then reports globals too
            self._bare = self.env.overlay()
            self._bare.globals = {}
        try:
            source, filename, _ = self.env.loader.get_source(self.env, name)
            ast = self._bare.parse(source, name, filename)
            names = set(jinja2.meta.find_undeclared_variables(ast))  # compiles: may find errors
            refs = list(jinja2.meta.find_referenced_templates(ast))
        except jinja2.TemplateError:  # reported by the render that meets it, with its location
            return None
        for ref in refs:
            if ref is None:
                return None
            if ref not in seen:
                seen.add(ref)
                sub = self._free_names(ref, seen)
                if sub is None:
                    return None
                names |= sub
        return names

    def __bool__(self) -> bool:
        if self._usable is None:
            names = self._free_names(self.template, {self.template})
            constant = set(self.env.globals) - {"lipsum"}  # lipsum: random text at every call
            self._usable = names is not None and names <= constant | {self.var}
            self._names = tuple(sorted((names or set()) - {self.var}))
        return self._usable

    def render(self, ctx: jinja2.runtime.Context, value) -> Markup:
        glob = self.env.globals
        # Called although not memoizable, or the page defines a variable that hides a global the
        # partial reads: render it the way an include would, with the page's variables.
        if not self or any(ctx.resolve_or_missing(n) is not glob.get(n) for n in self._names):
            return Markup(self.env.get_template(self.template).render(ctx.get_all(), **{self.var: value}))
        html = self._cached(value)
        return html if html is not None else self._render(value)

    def _cached(self, value) -> Markup | None:
        hit = self._memo.get(id(value))
        return hit[1] if hit is not None and hit[0] is value else None

    def _render(self, value) -> Markup:
        html = Markup(self.env.get_template(self.template).render({self.var: value}))
        self._memo[id(value)] = (value, html)
        return html

    def called_by(self, template: str | None) -> bool:
        """Whether `template` (or what it includes or extends) calls this memo (`card(a)`)."""
        if template is None:
            return False
        if template not in self._callers:
            names = self._free_names(template, {template})
            self._callers[template] = names is not None and self.name in names
        return self._callers[template]

    def fill(self, values) -> None:
        """Render the partial for each of `values` now (see Planner.warm); stops at the first
        template error, which the page that shows it will report."""
        if not self:
            return
        try:
            for value in values:
                if self._cached(value) is None:
                    self._render(value)
        except Exception:  # noqa: BLE001
            pass


def make_environment(config: SiteConfig, strings: dict[str, str]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(d)) for d in template_dirs(config)]),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.ChainableUndefined,
        auto_reload=False,  # one environment per build: no need to stat every template at every page
    )
    use_fast_output(env)
    locale = config.language.replace("-", "_")
    formatted: dict[tuple, str] = {}  # Babel is slow and a site shows each date on many pages

    def t(key: str, **kwargs) -> str:
        text = strings.get(key, key)
        return text.format(**kwargs) if kwargs else text

    def date_filter(value: datetime | None, fmt: str = "long", lang: str | None = None) -> str:
        """A day in the site's language, or in `lang` (an article's own: `a.date|date(lang=a.lang)`)."""
        if not value:
            return ""
        key = (type(value), value.isoformat(), fmt, lang)  # isoformat: same instant, other offset != same
        text = formatted.get(key)
        if text is None:
            text = formatted[key] = format_day(value, fmt, lang.replace("-", "_") if lang else locale)
        return text

    def datetime_filter(value: datetime | None, fmt: str = "long") -> str:
        if not value:
            return ""
        return format_moment(value, fmt, config.tz, locale)

    def jsonld(value) -> Markup:
        # Safe inside <script>: '<' escaped so '</script>' in a title cannot close the element.
        text = json.dumps(value, ensure_ascii=False, indent=None, default=str)
        return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))

    env.globals.update(t=t, config=config)
    env.filters.update(date=date_filter, datetime=datetime_filter, jsonld=jsonld,
                       absolute=config.absolute, isodate=lambda d: d.isoformat() if d else "")
    # `outbound` (rel/UTM on links leaving the site) and `ics_url` (an event's calendar file) are
    # the editorial extension's (its on_environment replaces these, see editorial/extension.py).
    # Neutral defaults here only because the default theme uses both filters and Jinja refuses to
    # compile a template naming an unknown filter: without that extension, pages still render,
    # links as written, no calendar link target. The `events_page` / `search_page` globals are the
    # extensions' alone: an unset global is undefined (false) in a template.
    env.filters.update(outbound=lambda html: html, ics_url=lambda article: "")
    # `scrollable`: code blocks and tables that scroll sideways get tabindex=0, so keyboard users
    # can scroll them (WCAG 2.1.1).
    env.filters.update(scrollable=lambda html: Markup(_SCROLLER.sub(r'<\1 tabindex="0"', str(html))))
    # `card(a)`, `byline(a)`: the partials, rendered once per article when they can be (see
    # PartialMemo) and like an include otherwise; the memos themselves are not globals: see PartialMemo.of.
    memos = {}
    for name in ("card", "byline"):
        memo = memos[name] = PartialMemo(env, f"partials/{name}.html", name)
        env.globals[name] = jinja2.pass_context(lambda ctx, value, memo=memo: memo.render(ctx, value))
    env.contentkit_partial_memos = memos
    return env


def template_error(exc: Exception, config: SiteConfig) -> ContentError:
    """A Jinja error -> a located error naming the template file and line."""
    filename, lineno = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if filename is None:
        tb = exc.__traceback__
        while tb is not None:  # Jinja rewrites tracebacks so template frames carry file and line
            code = tb.tb_frame.f_code
            if code.co_filename.endswith((".html", ".xml", ".txt", ".j2")):
                filename, lineno = code.co_filename, tb.tb_lineno
            tb = tb.tb_next
    try:
        rel = Path(filename).resolve().relative_to(config.root).as_posix() if filename else "template"
    except ValueError:
        rel = filename or "template"
    message = getattr(exc, "message", None) or str(exc)
    return ContentError(rel, "template-error", line=lineno, type=type(exc).__name__, message=message)
