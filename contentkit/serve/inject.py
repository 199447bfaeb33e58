"""What the preview server adds to HTML responses: live-reload client, error overlay, editorial panel.

Everything here is injected at serve time by the HTTP handler (`server.py`), never written into the
output folder, so `contentkit build` output never contains any of it. Tiny inline JS and CSS, no
external resources, all text inserted with `textContent` / HTML-escaped.

Client protocol (Server-Sent Events on `/__contentkit/events`):
  hello   {build, failed, problems}   sent on connect; a page served by an older build reloads
  reload  {build, paths|null}         files changed; a tab reloads when its own file is listed
                                      (null: everything may have changed)
  css     {build, paths}              only stylesheets changed: swapped in place, no reload
  failed  {problems}                  the last rebuild failed: overlay with file, line, message, hint
  ok      {build}                     a rebuild succeeded without changing any file: overlay hidden
"""
from __future__ import annotations

import importlib
import json
import re
from html import escape
from typing import Callable, Iterable

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
# CSS and JS (kept small; ids and classes are prefixed with "ck-" so themes do not collide)
# ------------------------------------------------------------------------------------------------

_CSS = """
#ck-overlay{all:initial;position:fixed;inset:0;z-index:2147483646;background:rgba(20,10,10,.72);
display:flex;align-items:flex-start;justify-content:center;overflow:auto;padding:4vh 1rem;box-sizing:border-box;
font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24}
#ck-overlay[hidden]{display:none}
#ck-overlay .ck-box{background:#fff;border-top:6px solid #b42318;border-radius:6px;max-width:52rem;width:100%;
padding:1.25rem 1.5rem;box-shadow:0 10px 40px rgba(0,0,0,.4);box-sizing:border-box}
#ck-overlay h2{font:700 1.25rem/1.3 inherit;margin:0 0 .25rem;color:#b42318}
#ck-overlay .ck-note{margin:0 0 1rem;color:#4a5361}
#ck-overlay ol{margin:0;padding:0;list-style:none}
#ck-overlay li{border-top:1px solid #e3e6ea;padding:.75rem 0}
#ck-overlay .ck-loc{font:600 14px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;margin:0;word-break:break-all}
#ck-overlay .ck-msg{margin:.25rem 0 0;white-space:pre-wrap}
#ck-overlay .ck-hint{margin:.25rem 0 0;color:#0b57a4;white-space:pre-wrap}
#ck-overlay button{font:inherit;margin-top:.75rem;padding:.35rem .9rem;border:1px solid #8a939e;border-radius:4px;
background:#f3f5f8;color:#1b1f24;cursor:pointer}
#ck-overlay button:focus-visible,#ck-panel summary:focus-visible{outline:3px solid #c2410c;outline-offset:2px}
#ck-panel{all:initial;position:fixed;right:12px;bottom:12px;z-index:2147483645;max-width:min(24rem,calc(100vw - 24px));
max-height:60vh;overflow:auto;background:#fff;color:#1b1f24;border:1px solid #8a939e;border-radius:6px;
box-shadow:0 4px 18px rgba(0,0,0,.25);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;box-sizing:border-box}
#ck-panel summary{cursor:pointer;padding:.5rem .75rem;font-weight:700;list-style-position:inside}
#ck-panel .ck-panel-body{padding:0 .75rem .75rem}
#ck-panel table{border-collapse:collapse;width:100%;margin:.25rem 0}
#ck-panel th,#ck-panel td{text-align:left;padding:.15rem .25rem;border-bottom:1px solid #e3e6ea;vertical-align:top;font:inherit}
#ck-panel th{font-weight:400;color:#4a5361}
#ck-panel td{font-variant-numeric:tabular-nums;text-align:right}
#ck-panel ul{margin:.5rem 0 0;padding-left:1.1rem}
#ck-panel li{margin:.2rem 0}
#ck-panel .ck-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
#ck-panel .ck-good{color:#166534}#ck-panel .ck-warn{color:#8a4b00}#ck-panel .ck-bad{color:#b42318}
#ck-panel h3{font:700 13px/1.3 inherit;margin:.6rem 0 .2rem;text-transform:uppercase;letter-spacing:.03em;color:#4a5361}
@media (prefers-color-scheme:dark){
#ck-overlay .ck-box,#ck-panel{background:#1b2027;color:#e7eaee}
#ck-overlay .ck-note,#ck-panel th,#ck-panel h3{color:#b3bcc8}
#ck-overlay .ck-hint{color:#8cc4ff}#ck-overlay h2,#ck-overlay .ck-box{border-top-color:#ff8a80}#ck-overlay h2{color:#ff8a80}
#ck-overlay button{background:#2a313b;color:#e7eaee}
#ck-panel .ck-good{color:#86efac}#ck-panel .ck-warn{color:#fcd34d}#ck-panel .ck-bad{color:#fca5a5}}
@media print{#ck-overlay,#ck-panel{display:none}}
"""

# Plain ES5-ish so it runs in any browser an author uses. `C` is filled in per response.
_JS = r"""
(function(){"use strict";
var C=__CONFIG__;if(window.__contentkitPreview)return;window.__contentkitPreview=C;
function norm(p){try{p=decodeURIComponent(p)}catch(e){}p=p.replace(/^\/+/,"");
if(p===""||p.charAt(p.length-1)==="/")p+="index.html";return p}
var here=norm(location.pathname),SK="ck-scroll:"+location.pathname;
try{var y=sessionStorage.getItem(SK);if(y!==null){sessionStorage.removeItem(SK);
window.addEventListener("load",function(){window.scrollTo(0,+y)})}}catch(e){}
function reload(){try{sessionStorage.setItem(SK,String(window.scrollY))}catch(e){}location.reload()}
function el(tag,cls,text){var e=document.createElement(tag);if(cls)e.className=cls;if(text!=null)e.textContent=text;return e}
function overlay(problems){
 var o=document.getElementById("ck-overlay");
 if(!o){o=el("div");o.id="ck-overlay";o.setAttribute("role","alertdialog");o.setAttribute("aria-labelledby","ck-overlay-title");
  o.setAttribute("aria-describedby","ck-overlay-note");document.body.appendChild(o)}
 o.textContent="";var box=el("div","ck-box"),h=el("h2",null,C.s.failed_title);h.id="ck-overlay-title";box.appendChild(h);
 var n=el("p","ck-note",C.s.failed_note);n.id="ck-overlay-note";box.appendChild(n);var ol=el("ol");
 (problems||[]).forEach(function(p){var li=el("li");
  li.appendChild(el("p","ck-loc",p.file+(p.line?":"+p.line:"")));li.appendChild(el("p","ck-msg",p.message));
  if(p.hint)li.appendChild(el("p","ck-hint","\u2192 "+p.hint));ol.appendChild(li)});
 box.appendChild(ol);var b=el("button",null,C.s.hide);b.type="button";b.onclick=function(){o.hidden=true};
 box.appendChild(b);o.appendChild(box);o.hidden=false;C.failed=true}
function hideOverlay(){var o=document.getElementById("ck-overlay");if(o)o.hidden=true;C.failed=false}
function swapCss(paths){
 var links=document.querySelectorAll('link[rel~="stylesheet"]');
 for(var i=0;i<links.length;i++){(function(link){
  var u=new URL(link.getAttribute("href"),location.href);if(u.origin!==location.origin)return;
  if(paths&&paths.indexOf(norm(u.pathname))<0)return;
  u.searchParams.set("ck",String(Date.now()));var fresh=link.cloneNode(false);fresh.href=u.href;
  var done=function(){if(link.parentNode)link.parentNode.removeChild(link)};fresh.onload=done;fresh.onerror=done;
  link.parentNode.insertBefore(fresh,link.nextSibling)})(links[i])}}
function data(e){try{return JSON.parse(e.data)}catch(x){return {}}}
// One open stream per visible tab: browsers allow ~6 HTTP/1.1 connections per host, so hidden
// tabs let go of theirs and catch up (hello: reload if a build happened meanwhile) when shown.
var es=null;
function connect(){if(es)return;es=new EventSource(C.events);
es.addEventListener("hello",function(e){var d=data(e);
 if(d.failed){overlay(d.problems);return}
 if(C.errorPage||d.build!==C.build){reload();return}hideOverlay()});
es.addEventListener("reload",function(e){var d=data(e);
 if(C.errorPage||!d.paths||d.paths.indexOf(here)>=0){reload();return}C.build=d.build;hideOverlay()});
es.addEventListener("css",function(e){var d=data(e);C.build=d.build;hideOverlay();swapCss(d.paths)});
es.addEventListener("failed",function(e){overlay(data(e).problems)});
es.addEventListener("ok",function(e){var d=data(e);if(C.errorPage){reload();return}C.build=d.build;hideOverlay()})}
function disconnect(){if(es){es.close();es=null}}
document.addEventListener("visibilitychange",function(){if(document.visibilityState==="hidden")disconnect();else connect()});
window.addEventListener("pagehide",disconnect);
window.addEventListener("pageshow",function(){if(document.visibilityState!=="hidden")connect()});
if(document.visibilityState!=="hidden")connect();
var panel=document.getElementById("ck-panel");
if(panel){var det=panel.querySelector("details");try{if(localStorage.getItem("ck-panel")==="closed")det.open=false}catch(e){}
 det.addEventListener("toggle",function(){try{localStorage.setItem("ck-panel",det.open?"open":"closed")}catch(e){}})}
})();
"""


def overlay_html(problems: Iterable[Problem], lang: str) -> str:
    """The overlay, rendered server-side (so it shows even before the script runs)."""
    s = strings(lang)
    items = []
    for p in problems:
        loc = escape(p.file + (f":{p.line}" if p.line else ""))
        hint = f'<p class="ck-hint">→ {escape(p.hint)}</p>' if p.hint else ""
        items.append(f'<li><p class="ck-loc">{loc}</p><p class="ck-msg">{escape(p.message)}</p>{hint}</li>')
    return (f'<div id="ck-overlay" role="alertdialog" aria-labelledby="ck-overlay-title" '
            f'aria-describedby="ck-overlay-note"><div class="ck-box">'
            f'<h2 id="ck-overlay-title">{escape(s["failed_title"])}</h2>'
            f'<p class="ck-note" id="ck-overlay-note">{escape(s["failed_note"])}</p>'
            f'<ol>{"".join(items)}</ol>'
            f'<button type="button" onclick="this.closest(\'#ck-overlay\').hidden=true">{escape(s["hide"])}</button>'
            f'</div></div>')


def panel_html(body_html: str, lang: str, summary: str = "") -> str:
    """The editorial panel around `body_html` (trusted: built with escaping by `panel_for`)."""
    s = strings(lang)
    title = escape(s["panel"]) + (f" · {escape(summary)}" if summary else "")
    return (f'<aside id="ck-panel" aria-label="{escape(s["panel"])}" lang="{escape(lang)}">'
            f'<details open><summary title="{escape(s["panel_toggle"])}">{title}</summary>'
            f'<div class="ck-panel-body">{body_html or escape(s["no_panel"])}</div></details></aside>')


def client_snippet(build: int, lang: str, *, failed_problems: list[Problem] | None = None,
                   error_page: bool = False, panel: str = "") -> str:
    """Everything appended to an HTML page: style, overlay (if failing), panel, script."""
    config = {"build": build, "events": EVENTS_PATH, "errorPage": error_page,
              "failed": bool(failed_problems), "s": strings(lang)}
    parts = [f'<style id="ck-style">{_CSS}</style>']
    if failed_problems:
        parts.append(overlay_html(failed_problems, lang))
    if panel:
        parts.append(panel)
    parts.append(f'<script id="ck-client">{_JS.replace("__CONFIG__", _json_for_script(config))}</script>')
    return "\n<!-- contentkit preview (serve only) -->\n" + "".join(parts) + "\n"


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
    s = strings(lang)
    head = (f'<!DOCTYPE html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{escape(s["error_page_title"])} · contentkit</title></head><body>'
            f'<main><h1>{escape(s["error_page_title"])}</h1></main></body></html>')
    return inject(head.encode("utf-8"), client_snippet(build, lang, failed_problems=problems, error_page=True))


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


def _rows(pairs: Iterable[tuple[str, object]], lang: str = "en") -> str:
    return "<table>" + "".join(f"<tr><th scope=\"row\">{escape(k)}</th><td>{escape(_fmt(v, lang))}</td></tr>"
                               for k, v in pairs) + "</table>"


def _hint_items(hints: Iterable) -> str:
    items = []
    for h in hints:
        level = getattr(h, "level", None) or getattr(h, "severity", None) or "warn"
        text = getattr(h, "message", None) or getattr(h, "text", None) or str(h)
        cls = {"ok": "ck-good", "good": "ck-good", "info": "ck-good", "error": "ck-bad", "bad": "ck-bad"}.get(
            str(level).lower(), "ck-warn")
        items.append(f'<li class="{cls}">{escape(str(text))}</li>')
    return f"<ul>{''.join(items)}</ul>" if items else ""


def _basic_measures(article) -> tuple[list[tuple[str, object]], list[str], str]:
    """Measures and hints computed with `contentkit.text` and the article model only."""
    lang = (getattr(article, "lang", "") or "en").split("-")[0].lower()
    L = catalog(lang).section("preview")["labels"]
    html = getattr(article, "html", "") or ""
    words = getattr(article, "words", 0) or 0
    sentences: list[str] = []
    headings = 0
    try:
        from .. import text as ck_text
        blocks = ck_text.prose_blocks(html)
        headings = sum(1 for b in blocks if b.kind in ("h2", "h3", "h4", "h5", "h6"))
        for b in blocks:
            if not b.kind.startswith("h"):
                sentences += ck_text.split_sentences(b.text, lang)
        long_sentences = sum(1 for s in sentences if ck_text.count_words(s, lang) > 25)
    except Exception:  # noqa: BLE001 - the panel must never break the preview
        long_sentences = 0
    title = getattr(article, "title", "") or ""
    params = getattr(article, "params", {}) or {}
    summary_given = bool(params.get("summary") or getattr(article, "summary", ""))
    summary = getattr(article, "summary", "") or ""
    rows = [(L["words"], words), (L["reading"], L["minutes"].format(n=getattr(article, "reading_time", 0) or 0))]
    if sentences:
        rows += [(L["sentences"], len(sentences)), (L["avg_sentence"], round(words / max(1, len(sentences)), 1)),
                 (L["long_sentences"], long_sentences)]
    rows += [(L["headings"], headings), (L["title_len"], L["chars"].format(n=len(title))),
             (L["summary_len"], L["chars"].format(n=len(summary)))]
    hints = []
    if not summary_given:
        hints.append(L["h_no_summary"])
    elif len(summary) > 160:
        hints.append(L["h_long_summary"])
    if len(title) > 70:
        hints.append(L["h_long_title"])
    if getattr(article, "kind", "post") == "post" and not getattr(article, "tags", None):
        hints.append(L["h_no_tags"])
    if getattr(article, "kind", "post") == "post" and words < 300:
        hints.append(L["h_short"])
    if sentences and long_sentences / len(sentences) > 0.25:
        hints.append(L["h_long_sentences"])
    if words > 600 and headings == 0:
        hints.append(L["h_no_headings"])
    return rows, hints, f"{words} " + L["words_unit"]


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
    """Yoast-style feedback for one article: readability, conventions, measures, hints.

    Uses `contentkit.analytics.readability` (text_measures, readability_scores, editorial_checks,
    editorial_hints); if that module cannot be imported, falls back to measures computed with
    `contentkit.text`. It is looked up on every call, so a fixed module is picked up live.
    """
    lang = (getattr(article, "lang", "") or "en").split("-")[0].lower()
    key = catalog(lang).lang
    preview = catalog(lang).section("preview")
    L, C, S = preview["labels"], preview["checks"], preview["scores"]
    try:
        R = importlib.import_module("contentkit.analytics.readability")
    except Exception:  # noqa: BLE001 - not available: keep the basic panel
        R = None
    if R is None:
        rows, hints, summary = _basic_measures(article)
        hints = hints or [L["h_ok"]]
        return panel_html(f"<h3>{escape(L['measures'])}</h3>{_rows(rows, key)}<h3>{escape(L['hints'])}</h3>"
                          f"{_hint_items(hints)}", article.lang, summary)
    m = R.text_measures(article.html, article.lang)
    scores = R.readability_scores(m)
    checks = R.editorial_checks(m, article.lang)
    hints = R.editorial_hints(m, article.lang, extra=_seo_hints(article, L))
    parts = []
    if scores.reason:
        parts.append(f"<p>{escape(S['readability'])} : {escape(S.get(scores.reason, scores.reason))}</p>"
                     if key == "fr" else f"<p>{escape(S['readability'])}: {escape(S.get(scores.reason, scores.reason))}</p>")
    else:
        parts.append(_rows(((S.get(name, name), round(float(value), 1)) for name, value in scores.scores.items()
                            if value is not None), key))
    items = []
    for c in checks:
        label, fmt = C.get(c.name, (c.name, "{v} (≤ {l})"))
        mark, cls = ("✓", "ck-good") if c.passed else ("!", "ck-warn")
        items.append(f'<li class="{cls}"><span aria-hidden="true">{mark}</span> <strong>{escape(label)}</strong> — '
                     f'{escape(fmt.format(v=c.value, l=c.limit, p=round(c.value * 100), lp=round(c.limit * 100)))}'
                     f'<span class="ck-sr"> ({escape(L["passed"] if c.passed else L["to_review"])})</span></li>')
    parts.append(f"<h3>{escape(S['checks'])}</h3><ul>{''.join(items)}</ul>")
    parts.append(f"<h3>{escape(L['hints'])}</h3>" + (_hint_items(hints) if hints else
                                                      f'<ul><li class="ck-good">{escape(L["h_ok"])}</li></ul>'))
    rows = [(L["words"], m.words), (L["reading"], L["minutes"].format(n=m.reading_time_min)),
            (L["sentences"], m.sentences), (L["avg_sentence"], round(m.avg_sentence_words, 1)),
            (L["headings"], m.subheadings), (L["title_len"], L["chars"].format(n=len(article.title or ""))),
            (L["summary_len"], L["chars"].format(n=len(article.summary or "")))]
    parts.append(f"<h3>{escape(L['measures'])}</h3>{_rows(rows, key)}")
    words = f"{m.words:,}".replace(",", "\u202f") + " " + L["words_unit"]
    return panel_html("".join(parts), article.lang, words)
