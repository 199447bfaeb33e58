"""Google Analytics 4 report and exploration CSV downloads (English and French UI).

Layout as downloaded::

    # ----------------------------------------
    # Pages and screens: Page path and screen class
    # Account: …
    # Property: …
    # ----------------------------------------
    #
    # All Users
    # Start date: 20250101
    # End date: 20250331
    Page path and screen class,Views,Active users,Views per active user,Average engagement time per active user,Event count,Key events,Total revenue
    /,15219,9998,1.52,21.05,49433,0,0

French UI: ``# Date de début : 20250101``, ``Chemin de la page et classe de l'écran,Vues,
Utilisateurs actifs,…,Durée d'engagement moyenne par utilisateur actif,…,Événements clés,Revenu total``.

* Page dimension: ``Page path and screen class``, ``Page path``, ``Page path + query string``,
  ``Landing page``, ``Page location`` / ``Full page URL`` (full URLs), or ``Page title`` variants
  (rows then have ``title`` and no ``path``; aggregate_by_path leaves them out and says so).
  A ``Hostname`` column, when present, is joined to the path so ``site_hosts`` can filter.
* A ``Date`` dimension (explorations, ``20250101``) makes per-day rows; ``Nth day`` chart tables
  and tables without a page dimension in the same file are ignored (noted).
* Several page tables in one file: the first is imported, the others are noted, never added.
* Totals rows (``Grand total``, ``Total``, ``Totaux``, or no dimension value) are skipped and noted.
* "Average engagement time per active user" × Active users → ``engaged_seconds_total``;
  "… per session" × Sessions; "User engagement" is already a total. ``Exits`` / ``Views`` →
  ``exit_rate``. Older ``Conversions`` = ``key_events``.
"""
from __future__ import annotations

from contentkit.errors import Problem

from .csvsource import (COUNT, DATE, DURATION, HOST, IGNORE, MONEY, RATE, TITLE, URL,
                        Aliases, build_export, guard, header_key, map_header, preamble_dates,
                        fields_of)

SOURCE = "ga4"

_URL_DIMS = {
    "page path and screen class": "en", "page path": "en", "page path + query string": "en",
    "page path + query string and screen class": "en", "landing page": "en",
    "landing page + query string": "en", "page location": "en", "full page url": "en",
    "chemin de la page et classe de l'écran": "fr", "chemin de la page": "fr",
    "chemin de la page + chaîne de requête": "fr",
    "chemin de la page + chaîne de requête et classe de l'écran": "fr",
    "page de destination": "fr", "page de destination + chaîne de requête": "fr",
    "emplacement de la page": "fr", "url complète de la page": "fr",
}
_TITLE_DIMS = {
    "page title and screen class": "en", "page title and screen name": "en", "page title": "en",
    "titre de la page et classe de l'écran": "fr", "titre de la page et nom de l'écran": "fr",
    "titre de la page": "fr",
}

ALIASES: Aliases = {
    **{k: ("url", URL, lang) for k, lang in _URL_DIMS.items()},
    **{k: ("title", TITLE, lang) for k, lang in _TITLE_DIMS.items()},
    "date": ("date", DATE, "*"),
    "date range": ("-", IGNORE, "en"), "plage de dates": ("-", IGNORE, "fr"),
    "hostname": ("host", HOST, "en"), "nom d'hôte": ("host", HOST, "fr"),
    "views": ("views", COUNT, "en"), "vues": ("views", COUNT, "fr"),
    "active users": ("users", COUNT, "en"), "users": ("users", COUNT, "en"),
    "total users": ("users", COUNT, "en"),
    "utilisateurs actifs": ("users", COUNT, "fr"), "utilisateurs": ("users", COUNT, "fr"),
    "nombre total d'utilisateurs": ("users", COUNT, "fr"),
    "sessions": ("sessions", COUNT, "*"),
    "entrances": ("entrances", COUNT, "en"), "entrées": ("entrances", COUNT, "fr"),
    "average engagement time per active user": ("avg_per_user", DURATION, "en"),
    "average engagement time": ("avg_per_user", DURATION, "en"),
    "durée d'engagement moyenne par utilisateur actif": ("avg_per_user", DURATION, "fr"),
    "durée d'engagement moyenne": ("avg_per_user", DURATION, "fr"),
    "temps d'engagement moyen par utilisateur actif": ("avg_per_user", DURATION, "fr"),
    "temps d'engagement moyen": ("avg_per_user", DURATION, "fr"),
    "average engagement time per session": ("avg_per_session", DURATION, "en"),
    "durée d'engagement moyenne par session": ("avg_per_session", DURATION, "fr"),
    "temps d'engagement moyen par session": ("avg_per_session", DURATION, "fr"),
    "user engagement": ("engaged_seconds_total", DURATION, "en"),
    "engagement de l'utilisateur": ("engaged_seconds_total", DURATION, "fr"),
    "bounce rate": ("bounce_rate", RATE, "en"), "taux de rebond": ("bounce_rate", RATE, "fr"),
    "exits": ("exits", COUNT, "en"), "sorties": ("exits", COUNT, "fr"),
    "key events": ("key_events", COUNT, "en"), "conversions": ("key_events", COUNT, "*"),
    "événements clés": ("key_events", COUNT, "fr"),
    "total revenue": ("revenue", MONEY, "en"), "revenu total": ("revenue", MONEY, "fr"),
    "revenus totaux": ("revenue", MONEY, "fr"),
    # recognised but not kept (derived or not per page)
    "views per active user": ("-", IGNORE, "en"), "vues par utilisateur actif": ("-", IGNORE, "fr"),
    "event count": ("-", IGNORE, "en"), "nombre d'événements": ("-", IGNORE, "fr"),
    "engaged sessions": ("-", IGNORE, "en"), "sessions avec engagement": ("-", IGNORE, "fr"),
    "engagement rate": ("-", IGNORE, "en"), "taux d'engagement": ("-", IGNORE, "fr"),
    "new users": ("-", IGNORE, "en"), "nouveaux utilisateurs": ("-", IGNORE, "fr"),
    "views per session": ("-", IGNORE, "en"), "vues par session": ("-", IGNORE, "fr"),
    "events per session": ("-", IGNORE, "en"), "événements par session": ("-", IGNORE, "fr"),
    "session key event rate": ("-", IGNORE, "en"), "user key event rate": ("-", IGNORE, "en"),
    "taux d'événements clés par session": ("-", IGNORE, "fr"),
}

_STRONG = {"views", "vues", "active users", "utilisateurs actifs", "key events",
           "événements clés", "average engagement time per active user",
           "durée d'engagement moyenne par utilisateur actif", "event count",
           "nombre d'événements", "total revenue", "revenu total"}


def score(header: list[str], preamble: list[str]) -> int:
    """How well ``header`` looks like a GA4 page table (0 = not one)."""
    columns, _, _ = map_header(header, ALIASES)
    fields = fields_of(columns)
    if not ({"url", "title"} & fields) or not ({"views", "users", "sessions", "entrances"} & fields):
        return 0
    keys = {header_key(h) for h in header}
    bonus = 3 * len(keys & _STRONG)
    if any(line.lower().startswith(("start date", "date de début")) for line in preamble):
        bonus += 3
    return len(columns) + bonus


def import_section(doc, section, path, *, normalize, progress=None, member=None, ui_language=None):
    columns, lang, _ = map_header(section.header, ALIASES)
    start, end, pre_lang = preamble_dates(section.preamble or doc.preamble)
    language = ui_language or ("fr" if "fr" in (lang, pre_lang) else "en")
    fields = fields_of(columns)
    derived: dict[str, str] = {}
    if "avg_per_user" in fields:
        derived["avg_engaged_seconds"] = "v_avg_per_user"
        if "engaged_seconds_total" not in fields and "users" in fields:
            derived["engaged_seconds_total"] = guard("v_avg_per_user * v_users", "avg_per_user", "users")
    elif "avg_per_session" in fields:
        derived["avg_engaged_seconds"] = "v_avg_per_session"
        if "engaged_seconds_total" not in fields and "sessions" in fields:
            derived["engaged_seconds_total"] = guard("v_avg_per_session * v_sessions",
                                                     "avg_per_session", "sessions")
    elif "engaged_seconds_total" in fields and "users" in fields:
        derived["avg_engaged_seconds"] = guard(
            "v_engaged_seconds_total / v_users if v_users else None", "engaged_seconds_total", "users")
    if "exits" in fields and "views" in fields:
        derived["exit_rate"] = guard("v_exits / v_views if v_views else None", "exits", "views")
    url_expr = None
    if "host" in fields and "url" in fields:
        url_expr = ("('https://' + v_host + v_url) if v_host and v_url.startswith('/') "
                    "and v_host != '(not set)' else v_url")
    report = next((line for line in (section.preamble or doc.preamble)
                   if line.strip("- ") and not line.lower().startswith(
                       ("account", "property", "compte", "propriété", "start date", "end date",
                        "date de"))), None)
    export = build_export(SOURCE, path, doc, section, columns, normalize=normalize,
                          derived=derived, url_expr=url_expr, ui_language=language,
                          progress=progress, start=start, end=end, report=report, member=member)
    _keep_first_date_range(export, section)
    return export


def _keep_first_date_range(export, section) -> None:
    """A comparison export has a "Date range" column: keep the first range, say so."""
    keys = [header_key(h) for h in section.header]
    column = next((i for i, k in enumerate(keys) if k in ("date range", "plage de dates")), None)
    if column is None:
        return
    first = None
    other_lines: set[int] = set()
    for line, cells in section.rows():
        if len(cells) <= column or not cells[column].strip():
            continue
        if first is None:
            first = cells[column].strip()
        elif cells[column].strip() != first:
            other_lines.add(line)
    if other_lines:
        export.rows = [r for r in export.rows if r.line not in other_lines]
        export.warnings.append(Problem.of("traffic-ga4-comparison", str(export.path),
                                          section.header_line, "warning", range=first,
                                          count=len(other_lines)))
