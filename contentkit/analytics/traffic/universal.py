"""Universal Analytics (GA3) "Behavior > Site Content > All pages" CSV downloads, EN and FR UI.

Layout as downloaded::

    # ----------------------------------------
    # All Web Site Data
    # Pages
    # 20190101-20191231
    # ----------------------------------------

    Page,Pageviews,Unique Pageviews,Avg. Time on Page,Entrances,Bounce Rate,% Exit,Page Value
    /,"3,047","2,500",00:00:45,"2,001",12.14%,40.10%,$0.00
    …
    ,"12,345","10,000",00:01:02,"8,000",50.00%,40.00%,$0.00      <- summary row, skipped

    # ----------------------------------------
    # Day Index,Pageviews                                           <- other table, ignored
    …

Values are formatted in the UI's locale (``"3,047"``, ``3 047``, ``12,14 %``, ``0,00 €``); the
number convention is decided per file. The period comes from the ``# 20190101-20191231`` line.
Mapping: Pageviews → views, Unique Pageviews → users, Entrances → entrances, Bounce Rate →
bounce_rate, % Exit → exit_rate, Avg. Time on Page → avg_engaged_seconds and
``engaged_seconds_total`` = avg × pageviews × (1 − % exit) (UA divides time on page by
pageviews − exits), or avg × pageviews without % Exit. Page Value is not revenue and is ignored.
"""
from __future__ import annotations

from .csvsource import (COUNT, DURATION, IGNORE, MONEY, RATE, TITLE, URL, Aliases,
                        build_export, fields_of, guard, header_key, map_header, preamble_dates)

SOURCE = "universal_analytics"

ALIASES: Aliases = {
    "page": ("url", URL, "*"), "landing page": ("url", URL, "en"),
    "page de destination": ("url", URL, "fr"),
    "page title": ("title", TITLE, "en"), "titre de la page": ("title", TITLE, "fr"),
    "pageviews": ("views", COUNT, "en"), "pages vues": ("views", COUNT, "fr"),
    "unique pageviews": ("users", COUNT, "en"), "vues uniques": ("users", COUNT, "fr"),
    "pages vues uniques": ("users", COUNT, "fr"),
    "avg. time on page": ("avg_time", DURATION, "en"),
    "temps moyen passé sur la page": ("avg_time", DURATION, "fr"),
    "temps moyen sur la page": ("avg_time", DURATION, "fr"),
    "entrances": ("entrances", COUNT, "en"), "entrées": ("entrances", COUNT, "fr"),
    "bounce rate": ("bounce_rate", RATE, "en"), "taux de rebond": ("bounce_rate", RATE, "fr"),
    "% exit": ("exit_rate", RATE, "en"), "% sorties": ("exit_rate", RATE, "fr"),
    "% de sorties": ("exit_rate", RATE, "fr"), "pourcentage de sorties": ("exit_rate", RATE, "fr"),
    "sessions": ("sessions", COUNT, "*"), "users": ("users", COUNT, "en"),
    "utilisateurs": ("users", COUNT, "fr"),
    "goal completions": ("key_events", COUNT, "en"), "objectifs atteints": ("key_events", COUNT, "fr"),
    "revenue": ("revenue", MONEY, "en"), "chiffre d'affaires": ("revenue", MONEY, "fr"),
    "page value": ("-", IGNORE, "en"), "valeur de la page": ("-", IGNORE, "fr"),
    "% new sessions": ("-", IGNORE, "en"), "new users": ("-", IGNORE, "en"),
    "pages/session": ("-", IGNORE, "en"), "avg. session duration": ("-", IGNORE, "en"),
    "% nouvelles sessions": ("-", IGNORE, "fr"), "nouveaux utilisateurs": ("-", IGNORE, "fr"),
    "pages/session ": ("-", IGNORE, "fr"), "durée moyenne des sessions": ("-", IGNORE, "fr"),
}

_STRONG = {"pageviews", "pages vues", "unique pageviews", "vues uniques", "avg. time on page",
           "temps moyen passé sur la page", "% exit", "% sorties", "page value",
           "valeur de la page"}


def score(header: list[str], preamble: list[str]) -> int:
    columns, _, _ = map_header(header, ALIASES)
    fields = fields_of(columns)
    keys = [header_key(h) for h in header]
    if not ({"url", "title"} & fields) or "views" not in fields:
        return 0
    if keys and keys[0] in ("label", "libellé", "libelle"):
        return 0
    bonus = 3 * len(set(keys) & _STRONG)
    if any(line.strip().lower() in ("all web site data", "toutes les données du site web")
           for line in preamble):
        bonus += 3
    return len(columns) + bonus


def import_section(doc, section, path, *, normalize, progress=None, member=None, ui_language=None):
    columns, lang, _ = map_header(section.header, ALIASES)
    start, end, pre_lang = preamble_dates(section.preamble or doc.preamble)
    language = ui_language or ("fr" if "fr" in (lang, pre_lang) else "en")
    fields = fields_of(columns)
    derived: dict[str, str] = {}
    if "avg_time" in fields:
        derived["avg_engaged_seconds"] = "v_avg_time"
        if "views" in fields and "exit_rate" in fields:
            derived["engaged_seconds_total"] = (
                "(v_avg_time * v_views * (1 - v_exit_rate) if v_exit_rate is not None "
                "else v_avg_time * v_views) if v_avg_time is not None and v_views is not None "
                "else None")
        elif "views" in fields:
            derived["engaged_seconds_total"] = guard("v_avg_time * v_views", "avg_time", "views")
    report = next((line for line in (section.preamble or doc.preamble)
                   if line and not line.startswith("-") and not line[:1].isdigit()
                   and line.lower() not in ("all web site data", "toutes les données du site web")),
                  None)
    return build_export(SOURCE, path, doc, section, columns, normalize=normalize, derived=derived,
                        ui_language=language, progress=progress, start=start, end=end,
                        report=report, member=member)
