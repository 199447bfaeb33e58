"""GENERATED SAMPLE traffic exports for the demo site (not real data).

``make_demo_traffic(root, out_dir)`` writes, deterministically (fixed seed), one file per export
format the importers read, for the posts of the site in ``root``:

=====================================================  ==========================================
``ga4-par-jour-EN-SAMPLE-2025-11-01_2026-10-31.csv``   GA4 exploration, English UI, Date dimension
``ga4-pages-FR-SAMPLE-2024-11-01_2025-10-31.csv``      GA4 Pages and screens, French UI (period)
``ua-pages-FR-SAMPLE-2021-01-01_2022-12-31.csv``       Universal Analytics, French UI
``matomo-pages-SAMPLE-2023-01-01_2023-12-31.csv``      Matomo Pages (flat), API column names
``plausible-SAMPLE-2024-01-01_2024-06-30.csv``         Plausible pages
``search-console-FR-SAMPLE-2025-11-01_2026-10-31.zip`` Search Console Performance zip, French UI
=====================================================  ==========================================

Planted pattern (what an analysis should find, roughly): search traffic grows with length
(+~30 % per doubling of words, i.e. exp(0.26·log2)) and moderately with topic depth; other
channels do not depend on length; traffic ramps up over the first ~2 months (search indexing),
has a launch spike (promotion), declines slowly after 3 years; weekends are quieter; topics
(categories) differ; log-normal article effects and Poisson daily noise. Non-article pages (home,
categories, about), query-string variants, an old alias URL and an unknown page are included so
the data-quality section has something to show.

Run ``python benchmarks/make_demo_traffic.py`` to regenerate ``content/traffic/``.
"""
from __future__ import annotations

import io
import math
import zipfile
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from contentkit.analytics.article_report import analyze_site
from contentkit.build import load_site

__all__ = ["make_demo_traffic", "SEED", "FILES"]

SEED = 20261124
BANNER = "GENERATED SAMPLE DATA for the contentkit demo site - not real traffic"
FILES = {
    "ga4_daily": ("ga4-par-jour-EN-SAMPLE-2025-11-01_2026-10-31.csv", date(2025, 11, 1), date(2026, 10, 31)),
    "ga4_fr": ("ga4-pages-FR-SAMPLE-2024-11-01_2025-10-31.csv", date(2024, 11, 1), date(2025, 10, 31)),
    "ua_fr": ("ua-pages-FR-SAMPLE-2021-01-01_2022-12-31.csv", date(2021, 1, 1), date(2022, 12, 31)),
    "matomo": ("matomo-pages-SAMPLE-2023-01-01_2023-12-31.csv", date(2023, 1, 1), date(2023, 12, 31)),
    "plausible": ("plausible-SAMPLE-2024-01-01_2024-06-30.csv", date(2024, 1, 1), date(2024, 6, 30)),
    "gsc_fr": ("search-console-FR-SAMPLE-2025-11-01_2026-10-31.zip", date(2025, 11, 1), date(2026, 10, 31)),
}
_CLUSTER = {"Data & IA": 0.25, "Cybersécurité": 0.1, "Finance": -0.2, "Marketing B2B": 0.0,
            "RH & management": -0.15, "Supply chain": -0.05}


class _Article:
    def __init__(self, url, published, words, depth, cluster, rng, title, aliases):
        self.url, self.published, self.words, self.depth = url, published, words, depth
        self.title, self.aliases = title, aliases
        eff = rng.normal(0, 0.55)
        length = math.log2(max(words, 100) / 800)
        self.search = math.exp(1.0 + 0.26 * length + 0.008 * (depth - 50)
                               + _CLUSTER.get(cluster, 0) + eff)
        self.other = math.exp(0.2 + _CLUSTER.get(cluster, 0) / 2 + rng.normal(0, 0.45))
        self.spike = math.exp(rng.normal(3.0, 0.6))
        # engaged time per view: reads part of the text; the share falls as texts get longer
        self.read_share = min(0.95, max(0.1, rng.normal(0.55, 0.1) - 0.08 * length))
        self.bounce = min(0.9, max(0.2, rng.normal(0.6, 0.08)))

    def expected(self, days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Expected (search, other) views for each day (np.datetime64 days)."""
        age = (days - np.datetime64(self.published)).astype(int)
        live = age >= 0
        a = np.maximum(age, 0)
        ramp = 1 - np.exp(-a / 60)
        late = np.exp(-0.12 * np.maximum(a - 3 * 365, 0) / 365)
        dow = ((days.astype("datetime64[D]").astype(int) + 3) % 7)  # 0 = Monday
        week = np.where(dow >= 5, 0.45, 1.0)
        search = self.search * ramp * late * week * live
        other = (self.other * late + self.spike * np.exp(-a / 6)) * week * live
        return search, other


def _articles(root: Path, rng):
    site = load_site(Path(root), use_cache=False)
    report = analyze_site(site)
    depth = {a.source: a.depth.score for a in report.articles}
    words = {a.source: a.words for a in report.articles}
    out = []
    for a in sorted(site.posts, key=lambda p: p.source):
        if a.date is None:
            continue
        out.append(_Article(a.url, a.date.date(), words.get(a.source, a.words),
                            depth.get(a.source, 50), a.category.name if a.category else "",
                            rng, a.title, list(a.aliases)))
    return site, out


def _days(start: date, end: date) -> np.ndarray:
    return np.arange(np.datetime64(start), np.datetime64(end + timedelta(days=1)))


def _totals(arts, start, end, rng):
    """Per article: (views, search clicks) over the period, Poisson noise on the sum."""
    days = _days(start, end)
    res = []
    for a in arts:
        s, o = a.expected(days)
        res.append((int(rng.poisson(s.sum() + o.sum())), int(rng.poisson(s.sum() * 0.9))))
    return res


_EXTRA_PAGES = [("/", 60.0), ("/categories/data-ia/", 6.0), ("/a-propos/", 3.0),
                ("/tags/ia-generative/", 2.0), ("/contact/", 1.5), ("/page/2/", 1.2),
                ("/2018/ancien-article-supprime/", 0.8)]


def _fr_num(x: float, digits: int = 0) -> str:
    s = f"{x:,.{digits}f}".replace(",", "\u202f").replace(".", ",")
    return s


def _ga4_daily(arts, start, end, rng) -> str:
    days = _days(start, end)
    lines = ["# ----------------------------------------", f"# {BANNER}",
             "# Free form 1", "# Account: Cap Horizon (SAMPLE)",
             "# Property: blog.cap-horizon.example - GA4 (SAMPLE)",
             "# ----------------------------------------", "#", "# All Users",
             f"# Start date: {start:%Y%m%d}", f"# End date: {end:%Y%m%d}", "",
             "Date,Page path and screen class,Views,Active users,Average engagement time per "
             "active user,Bounce rate,Key events"]
    rows = []
    for k, a in enumerate(arts):
        s, o = a.expected(days)
        views = rng.poisson(s + o)
        reading = a.words / 230 * 60
        for d, v in zip(days, views):
            if v <= 0:
                continue
            users = max(1, int(round(v * 0.82)))
            per_view = reading * a.read_share * math.exp(rng.normal(0, 0.25))
            avg_user = per_view * v / users
            key = int(rng.poisson(v * 0.004))
            path = a.url
            if a.aliases and rng.random() < 0.1:
                path = a.aliases[0]  # old bookmarked URL (an alias)
            elif rng.random() < 0.05:
                path = a.url.rstrip("/")  # no trailing slash
            day = str(d).replace("-", "")
            rows.append((day, k, f"{day},{path},{v},{users},{avg_user:.4f},{a.bounce:.4f},{key}"))
    for path, rate in _EXTRA_PAGES:
        views = rng.poisson(rate * 5, len(days))
        for d, v in zip(days, views):
            if v > 0:
                day = str(d).replace("-", "")
                rows.append((day, 10_000 + len(path), f"{day},{path},{v},{max(1, int(v * .8))},"
                                                      f"20.5,0.5,0"))
    rows.sort(key=lambda r: (r[0], r[1]))
    return "\n".join(lines + [r[2] for r in rows]) + "\n"


def _ga4_fr(arts, start, end, rng) -> str:
    lines = ["# ----------------------------------------", f"# {BANNER}",
             "# Pages et écrans : Chemin de la page et classe de l'écran",
             "# Compte : Cap Horizon (SAMPLE)", "# Propriété : blog.cap-horizon.example - GA4",
             "# ----------------------------------------", "#", "# Tous les utilisateurs",
             f"# Date de début : {start:%Y%m%d}", f"# Date de fin : {end:%Y%m%d}", "",
             "Chemin de la page et classe de l'écran,Vues,Utilisateurs actifs,Durée d'engagement "
             "moyenne par utilisateur actif,Taux de rebond,Événements clés"]
    body = []
    for a, (views, _) in zip(arts, _totals(arts, start, end, rng)):
        if views <= 0:
            continue
        users = max(1, int(views * 0.8))
        per_view = a.words / 230 * 60 * a.read_share
        body.append((views, f"{a.url},{views},{users},{per_view * views / users:.3f},"
                            f"{a.bounce:.4f},{int(views * 0.004)}"))
    body.append((999_999, f"/,{40_000},{30_000},18.2,0.55,12"))
    body.sort(key=lambda r: -r[0])
    return "\n".join(lines + [b[1] for b in body]) + "\n"


def _ua_fr(arts, start, end, rng) -> str:
    lines = ["# ----------------------------------------", f"# {BANNER}",
             "# Toutes les données du site Web", "# Pages", f"# {start:%Y%m%d}-{end:%Y%m%d}",
             "# ----------------------------------------", "",
             "Page,Pages vues,Vues uniques,Temps moyen passé sur la page,Entrées,Taux de rebond,"
             "% sorties,Valeur de la page"]
    body = []
    for a, (views, _) in zip(arts, _totals(arts, start, end, rng)):
        if views <= 0:
            continue
        secs = int(a.words / 230 * 60 * a.read_share)
        body.append((views, f"{a.url},{_fr_num(views)},{_fr_num(views * 0.85)},"
                            f"{secs // 3600:02d}:{secs % 3600 // 60:02d}:{secs % 60:02d},"
                            f"{_fr_num(views * 0.7)},\"{_fr_num(a.bounce * 100, 2)} %\","
                            f"\"{_fr_num(a.bounce * 90, 2)} %\",\"0,00 €\""))
    body.sort(key=lambda r: -r[0])
    return "\n".join(lines + [b[1] for b in body]) + "\n"


def _matomo(arts, start, end, rng) -> str:
    lines = [f"# {BANNER}", f"# Start date: {start:%Y%m%d}", f"# End date: {end:%Y%m%d}",
             "label,nb_visits,nb_hits,sum_time_spent,entry_nb_visits,bounce_rate,exit_rate"]
    body = []
    for a, (views, _) in zip(arts, _totals(arts, start, end, rng)):
        if views <= 0:
            continue
        t = int(views * a.words / 230 * 60 * a.read_share)
        body.append((views, f"{a.url.strip('/')},{int(views * .9)},{views},{t},{int(views * .7)},"
                            f"{round(a.bounce * 100)}%,{round(a.bounce * 90)}%"))
    body.sort(key=lambda r: -r[0])
    return "\n".join(lines + [b[1] for b in body]) + "\n"


def _plausible(arts, start, end, rng) -> str:
    lines = [f"# {BANNER}", "name,visitors,pageviews,bounce_rate,time_on_page"]
    body = []
    for a, (views, _) in zip(arts, _totals(arts, start, end, rng)):
        if views <= 0:
            continue
        body.append((views, f"{a.url},{int(views * .8)},{views},{round(a.bounce * 100)},"
                            f"{a.words / 230 * 60 * a.read_share:.0f}"))
    body.sort(key=lambda r: -r[0])
    return "\n".join(lines + [b[1] for b in body]) + "\n"


def _gsc_zip(arts, start, end, rng, host: str) -> bytes:
    pages = ["Pages les plus populaires,Clics,Impressions,CTR,Position"]
    body = []
    for a, (_, clicks) in zip(arts, _totals(arts, start, end, rng)):
        if clicks <= 0 and rng.random() < 0.5:
            continue
        pos = max(1.0, 14 - 2.2 * math.log2(1 + clicks / 50) + rng.normal(0, 1.5))
        ctr = min(0.4, 0.6 / pos)
        impressions = max(clicks, int(clicks / ctr)) if clicks else int(rng.integers(50, 400))
        real_ctr = clicks / impressions if impressions else 0
        body.append((clicks, f"https://{host}{a.url},{_fr_num(clicks)},{_fr_num(impressions)},"
                             f"\"{_fr_num(real_ctr * 100, 2)} %\",\"{_fr_num(pos, 1)}\""))
        if clicks > 200:  # a #fragment row of the same page, merged by the importer
            body.append((1, f"https://{host}{a.url}#resume,1,{_fr_num(40)},\"2,5 %\",\"9,2\""))
    body.append((5000, f"https://{host}/,{_fr_num(5000)},{_fr_num(60000)},\"8,33 %\",\"2,1\""))
    body.sort(key=lambda r: -r[0])
    pages += [b[1] for b in body]
    dates = ["Date,Clics,Impressions,CTR,Position"]
    d = end
    while d >= start:
        dates.append(f"{d.isoformat()},{int(rng.integers(80, 200))},{int(rng.integers(3000, 6000))},"
                     f"\"3,1 %\",\"12,4\"")
        d -= timedelta(days=1)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in (("Pages.csv", "\n".join(pages) + "\n"),
                           ("Dates.csv", "\n".join(dates) + "\n"),
                           ("LISEZMOI-SAMPLE.txt", BANNER + "\n")):
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text.encode("utf-8"))
    return buf.getvalue()


README = """# Sample traffic exports — GENERATED, NOT REAL DATA

These files are **generated sample data** for the demo site, written by
`python benchmarks/make_demo_traffic.py` (code in `contentkit/analytics/sample.py`, fixed seed:
the same content gives byte-identical files). They imitate the layout of real exports so that
`contentkit analyze` on a fresh clone produces a full editorial report; every number is made up.

| file | format | period |
| --- | --- | --- |
{table}

Planted pattern: search traffic grows with length (about +30 % per doubling of words) and with
topic depth; other channels do not depend on length; traffic ramps up over the first two months,
spikes at launch, declines slowly after three years; weekends are quieter; categories differ.
With ~50 articles, the length-norm verdict may honestly be "insufficient data": the demo is
small, and so are many real blogs.

They are listed in `contentkit.yml` under `traffic:`.
"""


def make_demo_traffic(root: Path | str, out_dir: Path | str | None = None) -> list[Path]:
    root = Path(root)
    out = Path(out_dir) if out_dir is not None else root / "content" / "traffic"
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    site, arts = _articles(root, rng)
    host = site.config.base_url.split("//", 1)[-1].split("/", 1)[0]
    written = []
    labels = {"ga4_daily": "GA4 exploration (EN UI), per day", "ga4_fr": "GA4 Pages and screens (FR UI)",
              "ua_fr": "Universal Analytics (FR UI)", "matomo": "Matomo Pages (flat)",
              "plausible": "Plausible pages", "gsc_fr": "Search Console Performance zip (FR UI)"}
    makers = {"ga4_daily": _ga4_daily, "ga4_fr": _ga4_fr, "ua_fr": _ua_fr, "matomo": _matomo,
              "plausible": _plausible}
    table = []
    for key, (name, start, end) in FILES.items():
        path = out / name
        if key == "gsc_fr":
            path.write_bytes(_gsc_zip(arts, start, end, np.random.default_rng(SEED + 6), host))
        else:
            text = makers[key](arts, start, end, np.random.default_rng(SEED + len(written)))
            path.write_bytes(text.encode("utf-8"))
        written.append(path)
        table.append(f"| `{name}` | {labels[key]} | {start} → {end} |")
    (out / "README.md").write_text(README.format(table="\n".join(table)), encoding="utf-8")
    return written
