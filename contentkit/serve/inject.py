"""What the preview server adds to HTML responses: live-reload client, error overlay, editorial panel.

Everything here is injected at serve time by the HTTP handler (`server.py`), never written into the
output folder, so `contentkit build` output never contains any of it. The markup, CSS and JS are files
in `serve/templates/` (package data), rendered by a Jinja environment with autoescape on; the wording
comes from the catalogs (`catalogs/<lang>/preview.yml`). Tiny inline JS and CSS, no external
resources, all text inserted with `textContent` / HTML-escaped.

    snippet.html     what is appended to a page: <style> preview.css, overlay.html, the panel, <script> preview.js
    overlay.html     the error overlay (file, line, message, hint of each problem)
    panel.html       the editorial panel's frame; editorial.html is the default panel's body
    error_page.html  the page shown while there is no site yet (the first build failed)

Client protocol (Server-Sent Events on `/__contentkit/events`):
  hello   {build, failed, problems}   sent on connect; a page served by an older build reloads
  reload  {build, paths|null}         files changed; a tab reloads when its own file is listed
                                      (null: everything may have changed)
  css     {build, paths}              only stylesheets changed: swapped in place, no reload
  failed  {problems}                  the last rebuild failed: overlay with file, line, message, hint
  ok      {build}                     a rebuild succeeded without changing any file: overlay hidden
"""
from __future__ import annotations

import json
import re
from typing import Callable, Iterable

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ..analytics import readability
from ..errors import Problem
from ..i18n import catalog

EVENTS_PATH = "/__contentkit/events"
STATUS_PATH = "/__contentkit/status"


def strings(lang: str) -> dict[str, str]:
    """The overlay's and panel's wording: contentkit/catalogs/<lang>/preview.yml."""
    return catalog(lang).section("preview")


def _json_for_script(value) -> str:
    """JSON that cannot close the <script> element or break out of it."""
    text = json.dumps(value, ensure_ascii=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def problems_payload(problems: Iterable[Problem]) -> list[dict]:
    return [{"file": p.file, "line": p.line, "message": p.message, "hint": p.hint} for p in problems]


# ------------------------------------------------------------------------------------------------
# Templates (contentkit/serve/templates/, package data)
# ------------------------------------------------------------------------------------------------

_ENV = Environment(loader=PackageLoader("contentkit.serve", "templates"), autoescape=True,
                   undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
_ENV.filters["script_json"] = lambda value: Markup(_json_for_script(value))


def _raw(name: str) -> Markup:
    """A template file's text as it is (preview.css holds `{#`, which Jinja would read as a comment)."""
    return Markup(_ENV.loader.get_source(_ENV, name)[0])


_ENV.globals["raw"] = _raw


def _render(name: str, **context) -> str:
    return _ENV.get_template(name).render(**context)


def overlay_html(problems: Iterable[Problem], lang: str) -> str:
    """The overlay, rendered server-side (so it shows even before the script runs)."""
    return _render("overlay.html", s=strings(lang), problems=list(problems))


def panel_html(body_html: str, lang: str, summary: str = "") -> str:
    """The editorial panel around `body_html` (trusted: built with escaping by the panel hook)."""
    return _render("panel.html", s=strings(lang), lang=lang, body=Markup(body_html), summary=summary, error="")


def failed_panel_html(exc: BaseException, lang: str) -> str:
    """The panel saying that the panel hook raised `exc` (the page itself is served as usual)."""
    return _render("panel.html", s=strings(lang), lang=lang, body="", summary="",
                   error=f"{type(exc).__name__}: {exc}")


def client_snippet(build: int, lang: str, *, failed_problems: list[Problem] | None = None,
                   error_page: bool = False, panel: str = "") -> str:
    """Everything appended to an HTML page: style, overlay (if failing), panel, script."""
    s = strings(lang)
    config = {"build": build, "events": EVENTS_PATH, "errorPage": error_page,
              "failed": bool(failed_problems), "s": s}
    return _render("snippet.html", s=s, config=config, problems=list(failed_problems or ()),
                   panel=Markup(panel))


_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


def inject(html: bytes, snippet: str) -> bytes:
    """Insert `snippet` before the last </body> (or at the end when there is none)."""
    data = snippet.encode("utf-8")
    last = None
    for last in _BODY_END.finditer(html):
        pass
    if last is None:
        return html + data
    return html[:last.start()] + data + html[last.start():]


def error_page(problems: list[Problem], build: int, lang: str) -> bytes:
    """A whole page for when there is no site to show yet (the first build failed)."""
    page = _render("error_page.html", s=strings(lang), lang=lang)
    return inject(page.encode("utf-8"), client_snippet(build, lang, failed_problems=problems, error_page=True))


# ------------------------------------------------------------------------------------------------
# Editorial panel
# ------------------------------------------------------------------------------------------------

PanelFor = Callable[[object], str]


def _fmt(value, lang: str = "en") -> str:
    if isinstance(value, float):
        text = f"{value:.1f}"
        return text.replace(".", ",") if lang == "fr" else text
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}".replace(",", "\u202f" if lang == "fr" else ",")
    return str(value)


def _seo_hints(article, L: dict) -> list[str]:
    """Hints from the article's metadata (the prose hints come from the readability module)."""
    hints = []
    params = getattr(article, "params", {}) or {}
    summary = getattr(article, "summary", "") or ""
    if not (params.get("summary") or summary):
        hints.append(L["h_no_summary"])
    elif len(summary) > 160:
        hints.append(L["h_long_summary"])
    if len(getattr(article, "title", "") or "") > 70:
        hints.append(L["h_long_title"])
    if getattr(article, "kind", "post") == "post" and not getattr(article, "tags", None):
        hints.append(L["h_no_tags"])
    return hints


def default_panel_for(article) -> str:
    """Yoast-style feedback for one article: readability, conventions, hints, measures.

    Computed by `contentkit.analytics.readability` (text_measures, readability_scores,
    editorial_checks, editorial_hints) and shown by templates/editorial.html.
    """
    lang = catalog(article.lang or "en").lang  # the catalog's language: "fr" for fr-CA, "en" for any other
    s = strings(article.lang or "en")
    L, C, S = s["labels"], s["checks"], s["scores"]
    m = readability.text_measures(article.html, article.lang)
    scores = readability.readability_scores(m)
    checks = []
    for c in readability.editorial_checks(m, article.lang):
        label, text = C.get(c.name, (c.name, "{v} (≤ {l})"))
        checks.append({"passed": c.passed, "label": label,
                       "text": text.format(v=c.value, l=c.limit, p=round(c.value * 100), lp=round(c.limit * 100))})
    measures = [(L["words"], m.words), (L["reading"], L["minutes"].format(n=m.reading_time_min)),
                (L["sentences"], m.sentences), (L["avg_sentence"], round(m.avg_sentence_words, 1)),
                (L["headings"], m.subheadings), (L["title_len"], L["chars"].format(n=len(article.title or ""))),
                (L["summary_len"], L["chars"].format(n=len(article.summary or "")))]
    body = _render(
        "editorial.html", s=s,
        reason=S["readability_reason"].format(reason=S.get(scores.reason, scores.reason)) if scores.reason else "",
        scores=[(S.get(name, name), _fmt(round(float(value), 1), lang)) for name, value in scores.scores.items()
                if value is not None],
        checks=checks,
        hints=readability.editorial_hints(m, article.lang, extra=_seo_hints(article, L)),
        measures=[(label, _fmt(value, lang)) for label, value in measures])
    return panel_html(body, article.lang, f"{_fmt(m.words, lang)} {L['words_unit']}")
