#!/usr/bin/env python3
"""A deterministic French blog corpus, written for contentkit, Pelican and Hugo alike.

    python3 benchmarks/corpus.py OUT --posts 5000 [--seed 7] [--layouts contentkit,pelican,hugo]

The same (posts, seed) always gives the same bytes. Every layout gets the same posts (titles, dates,
slugs, tags, bodies) and the same URLs (/YYYY/slug/); only file placement, metadata syntax and the
minimal peer templates differ. Posts read like business-blog French: 300 to 2,000 words (median
~900), headings, lists, links between posts and to other sites, emphasis, inline code, now and then
a table, a code block or a quotation, French punctuation and apostrophes; 2-4 tags from a pool with
a long tail, one of 8 categories, one of 8 authors.

Peer sites do what the benchmark compares: one page per post, the home page paginated by 10, one
page per tag listing its posts, one Atom feed of the 20 newest posts.
"""
from __future__ import annotations

import argparse
import math
import random
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Europe/Paris")

# -------------------------------------------------------------------------------------- lexicon
# (noun, gender) — gender drives articles and adjective agreement.
NOUNS = [
    ("projet", "m"), ("équipe", "f"), ("client", "m"), ("stratégie", "f"), ("donnée", "f"),
    ("processus", "m"), ("marché", "m"), ("décision", "f"), ("outil", "m"), ("méthode", "f"),
    ("entreprise", "f"), ("budget", "m"), ("contrat", "m"), ("audit", "m"), ("usine", "f"),
    ("fournisseur", "m"), ("tableau de bord", "m"), ("indicateur", "m"), ("réunion", "f"),
    ("transformation", "f"), ("direction", "f"), ("gouvernance", "f"), ("plateforme", "f"),
    ("migration", "f"), ("architecture", "f"), ("sécurité", "f"), ("conformité", "f"),
    ("réglementation", "f"), ("collaborateur", "m"), ("recrutement", "m"), ("formation", "f"),
    ("prévision", "f"), ("trésorerie", "f"), ("entrepôt", "m"), ("logistique", "f"),
    ("campagne", "f"), ("prospect", "m"), ("contenu", "m"), ("modèle", "m"), ("algorithme", "m"),
    ("serveur", "m"), ("application", "f"), ("interface", "f"), ("feuille de route", "f"),
    ("comité", "m"), ("risque", "m"), ("incident", "m"), ("retour d'expérience", "m"),
    ("chantier", "m"), ("pilote", "m"), ("atelier", "m"), ("livrable", "m"), ("rapport", "m"),
    ("hypothèse", "f"), ("mesure", "f"), ("priorité", "f"), ("organisation", "f"),
]
# (masculine, feminine)
ADJECTIVES = [
    ("rapide", "rapide"), ("fiable", "fiable"), ("complexe", "complexe"), ("simple", "simple"),
    ("nouveau", "nouvelle"), ("ancien", "ancienne"), ("coûteux", "coûteuse"), ("efficace", "efficace"),
    ("robuste", "robuste"), ("fragile", "fragile"), ("prioritaire", "prioritaire"),
    ("opérationnel", "opérationnelle"), ("financier", "financière"), ("commercial", "commerciale"),
    ("numérique", "numérique"), ("interne", "interne"), ("externe", "externe"), ("clair", "claire"),
    ("précis", "précise"), ("durable", "durable"), ("hybride", "hybride"), ("critique", "critique"),
    ("stratégique", "stratégique"), ("mensuel", "mensuelle"), ("européen", "européenne"),
]
VERBS = [
    "améliore", "transforme", "révèle", "soutient", "complique", "simplifie", "accompagne",
    "mesure", "structure", "accélère", "ralentit", "remplace", "renforce", "fragilise", "éclaire",
    "finance", "réduit", "prolonge", "documente", "déplace", "oriente", "rassure", "inquiète",
    "alimente", "précède", "justifie", "conditionne", "dépasse", "rejoint", "sécurise",
]
COMPLEMENTS = [
    "dans la durée", "sans surcoût", "au sein du groupe", "dès le premier trimestre",
    "selon nos mesures", "à moyen terme", "pour la première fois", "malgré les contraintes",
    "en quelques semaines", "sur l'ensemble du périmètre", "d'un site à l'autre",
    "avant la clôture", "grâce à l'équipe projet", "au-delà des attentes", "à l'échelle nationale",
]
OPENERS = [
    "Cependant,", "En revanche,", "Par ailleurs,", "Autrement dit,", "Concrètement,", "Ensuite,",
    "De plus,", "En pratique,", "Pour autant,", "Surtout,", "Finalement,", "À l'inverse,",
]
QUESTIONS = ["Faut-il vraiment", "Pourquoi", "Comment", "Qui"]
QUOTED = ["quick win", "run", "build", "go live", "data driven", "time to market", "best effort"]
EXTERNAL = ["https://www.insee.fr/fr/statistiques", "https://www.cnil.fr/fr/rgpd",
            "https://www.economie.gouv.fr/entreprises", "https://fr.wikipedia.org/wiki/Gestion_de_projet",
            "https://www.legifrance.gouv.fr/", "https://docs.python.org/fr/3/tutorial/"]
TAGS = [
    "Data", "Intelligence artificielle", "Cybersécurité", "Cloud", "Supply chain", "Achats",
    "Ressources humaines", "Recrutement", "Finance", "Contrôle de gestion", "Marketing B2B",
    "SEO", "Conduite du changement", "Management", "RGPD", "Conformité", "Industrie 4.0",
    "Énergie", "RSE", "Décarbonation", "Logistique", "Immobilier", "Banque", "Assurance",
    "Santé", "Secteur public", "Télétravail", "Formation", "Leadership", "Innovation",
    "Python", "Tableaux de bord", "Prévisions", "Trésorerie", "Fusions-acquisitions", "Export",
    "Agilité", "Architecture", "Open source", "Qualité", "Service client", "Retail",
    "Transport", "Agroalimentaire", "Éthique",
]
CATEGORIES = ["Data et IA", "Cybersécurité", "Supply chain", "RH", "Finance", "Marketing",
              "Stratégie", "Tech"]
AUTHORS = [
    ("claire-dubois", "Claire Dubois", "Associée, data et IA"),
    ("mathieu-roux", "Mathieu Roux", "Consultant senior cybersécurité"),
    ("sophie-nguyen", "Sophie Nguyen", "Manager supply chain"),
    ("julien-moreau", "Julien Moreau", "Directeur financier de transition"),
    ("amina-haddad", "Amina Haddad", "Consultante RH"),
    ("thomas-lefebvre", "Thomas Lefebvre", "Responsable marketing B2B"),
    ("laure-benoit", "Laure Benoît", "Architecte logicielle"),
    ("yann-le-goff", "Yann Le Goff", "Consultant stratégie"),
]
CODE = {
    "python": ["import csv", "", "def total(path):", "    with open(path, encoding=\"utf-8\") as f:",
               "        return sum(float(r[\"montant\"]) for r in csv.DictReader(f))", "",
               "print(total(\"factures.csv\"))"],
    "yaml": ["pipeline:", "  source: erp", "  frequence: quotidienne", "  alertes:",
             "    - seuil: 0.95", "      canal: courriel"],
    "bash": ["export PERIODE=2024-T3", "python extraire.py --periode \"$PERIODE\" > ventes.csv",
             "wc -l ventes.csv"],
    "sql": ["SELECT fournisseur, SUM(montant) AS total", "FROM achats",
            "WHERE exercice = 2024", "GROUP BY fournisseur", "ORDER BY total DESC;"],
}


# ---------------------------------------------------------------------------------------- model
@dataclass
class Post:
    slug: str
    title: str
    date: datetime
    author: str  # author id
    author_name: str
    tags: list[str]
    category: str
    summary: str
    body: str

    @property
    def url(self) -> str:
        return f"/{self.date.year}/{self.slug}/"


def ascii_slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    out, dash = [], False
    for ch in text:
        if ch.isalnum():
            out.append(ch)
            dash = False
        elif not dash and out:
            out.append("-")
            dash = True
    return "".join(out).strip("-")


class Writer:
    """French-looking prose from a seeded random generator."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def noun_phrase(self, definite: bool | None = None) -> str:
        r = self.rng
        noun, gender = r.choice(NOUNS)
        adj = r.choice(ADJECTIVES)[0 if gender == "m" else 1] if r.random() < 0.45 else ""
        if definite is None:
            definite = r.random() < 0.6
        if definite:
            det = "l'" if noun[0] in "aeéèiouh" else ("le " if gender == "m" else "la ")
        else:
            det = "un " if gender == "m" else "une "
        if r.random() < 0.15:
            det = "notre " if r.random() < 0.5 else ("ce " if gender == "m" and noun[0] not in "aeéèiouh" else
                                                    "cet " if gender == "m" else "cette ")
        return f"{det}{noun}{' ' + adj if adj else ''}"

    def sentence(self) -> str:
        r = self.rng
        subject = self.noun_phrase(True)
        parts = [subject[0].upper() + subject[1:], r.choice(VERBS), self.noun_phrase()]
        if r.random() < 0.6:
            parts.append(r.choice(COMPLEMENTS))
        text = " ".join(parts)
        roll = r.random()
        if roll < 0.12:
            opener = r.choice(OPENERS)
            text = f"{opener} {text[0].lower()}{text[1:]}"
        elif roll < 0.18:
            text = f"{r.choice(QUESTIONS)} {self.noun_phrase(True)} {r.choice(VERBS)} {self.noun_phrase()} ?"
            return text
        if r.random() < 0.07:
            text += f", ce que l'on appelle le « {r.choice(QUOTED)} »"
        if r.random() < 0.05:
            text += f" : {r.randint(2, 97)} % des cas"
        return text + (" !" if r.random() < 0.03 else ".")

    def inline(self, text: str, links: list[str]) -> str:
        """Sprinkle emphasis, code and links over a paragraph (never across words' middles)."""
        r = self.rng
        words = text.split(" ")
        if len(words) < 8:
            return text
        roll = r.random()
        i = r.randrange(1, len(words) - 4)
        if roll < 0.25:
            words[i] = f"**{words[i]} {words[i + 1]}**"
            del words[i + 1]
        elif roll < 0.4:
            words[i] = f"*{words[i]}*"
        elif roll < 0.48:
            words[i] = f"`{ascii_slug(words[i]) or 'x'}`"
        if r.random() < 0.35:
            j = r.randrange(1, len(words) - 3)
            target = r.choice(links) if links and r.random() < 0.6 else r.choice(EXTERNAL)
            words[j] = f"[{words[j]} {words[j + 1]}]({target})"
            del words[j + 1]
        return " ".join(words)

    def paragraph(self, links: list[str]) -> str:
        text = " ".join(self.sentence() for _ in range(self.rng.randint(3, 7)))
        return self.inline(text, links)

    def heading(self) -> str:
        phrase = self.noun_phrase(True)
        return phrase[0].upper() + phrase[1:] + (" ?" if self.rng.random() < 0.15 else "")

    def listing(self, links: list[str]) -> str:
        r = self.rng
        items = []
        for _ in range(r.randint(3, 6)):
            item = self.noun_phrase()
            item = item[0].upper() + item[1:]
            if r.random() < 0.5:
                item += f" {r.choice(VERBS)} {self.noun_phrase()}"
            items.append(self.inline(item + ".", links) if r.random() < 0.3 else item + ".")
        if r.random() < 0.35:
            return "\n".join(f"{n}. {item}" for n, item in enumerate(items, 1))
        return "\n".join(f"- {item}" for item in items)

    def table(self) -> str:
        r = self.rng
        rows = ["| Indicateur | Avant | Après |", "|---|---:|---:|"]
        for _ in range(r.randint(3, 6)):
            name = r.choice(NOUNS)[0].capitalize()
            before = r.randint(10, 900)
            rows.append(f"| {name} | {before} | {before + r.randint(-80, 150)} |")
        return "\n".join(rows)

    def code(self) -> str:
        lang = self.rng.choice(sorted(CODE))
        return f"```{lang}\n" + "\n".join(CODE[lang]) + "\n```"

    def quote(self) -> str:
        return "> " + self.sentence() + "\n> — " + self.rng.choice(AUTHORS)[1]

    def body(self, target_words: int, links: list[str]) -> str:
        r = self.rng
        blocks = [self.paragraph(links)]
        if r.random() < 0.5:
            blocks.append(self.paragraph(links))
        words = sum(len(b.split()) for b in blocks)
        while words < target_words:
            blocks.append("## " + self.heading())
            for _ in range(r.randint(1, 4)):
                blocks.append(self.paragraph(links))
            extra = r.random()
            if extra < 0.35:
                blocks.append(self.listing(links))
            elif extra < 0.45:
                blocks.append(self.table())
            elif extra < 0.55:
                blocks.append(self.code())
            elif extra < 0.62:
                blocks.append(self.quote())
            if r.random() < 0.25:
                blocks.append("### " + self.heading())
                blocks.append(self.paragraph(links))
            words = sum(len(b.split()) for b in blocks)
        return "\n\n".join(blocks) + "\n"


def make_posts(count: int, seed: int = 7) -> list[Post]:
    rng = random.Random(f"{seed}:{count}")
    w = Writer(rng)
    start = datetime(2013, 1, 7, tzinfo=TZ)
    span = (datetime(2025, 6, 30, tzinfo=TZ) - start).total_seconds()
    tag_weights = [1 / (i + 1) ** 0.8 for i in range(len(TAGS))]  # a long tail of rare tags
    # Titles and dates first, so bodies can link to any post.
    heads = []
    used: set[str] = set()
    for i in range(count):
        title = w.heading()
        if rng.random() < 0.4:
            title += f" : {w.noun_phrase(True)} {rng.choice(VERBS)} {w.noun_phrase()}"
        slug = ascii_slug(title)[:70].strip("-") or "article"
        base, n = slug, 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        used.add(slug)
        date = start + timedelta(seconds=int(rng.random() * span) // 60 * 60)
        heads.append((title, slug, date))
    urls = [f"/{d.year}/{s}/" for _, s, d in heads]
    posts = []
    for i, (title, slug, date) in enumerate(heads):
        author_id, author_name, _ = AUTHORS[rng.randrange(len(AUTHORS))]
        tags: list[str] = []
        while len(tags) < rng.randint(2, 4):
            tag = rng.choices(TAGS, tag_weights)[0]
            if tag not in tags:
                tags.append(tag)
        words = int(min(2000, max(300, rng.lognormvariate(math.log(800), 0.42))))
        links = [urls[rng.randrange(count)] for _ in range(4)]
        summary = w.sentence()
        posts.append(Post(slug, title, date, author_id, author_name, tags, rng.choice(CATEGORIES),
                          summary, w.body(words, links)))
    return posts


# -------------------------------------------------------------------------------------- layouts
def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_contentkit(root: Path, posts: list[Post]) -> None:
    _write(root / "contentkit.yml", "\n".join([
        'title: "Le Carnet du Cabinet"', 'description: "Corpus de banc d\'essai contentkit."',
        'base_url: "https://bench.example.com/"', "language: fr", "timezone: Europe/Paris",
        "per_page: 10", "feed_items: 20", 'permalink: "/{year}/{slug}/"',
        "search: false  # Pagefind is timed separately (build_bench.py --search)", ""]))
    for ident, name, job in AUTHORS:
        _write(root / "content/authors" / f"{ident}.yml",
               f"name: {name}\nrole: staff\njob_title: {_q(job)}\nbio: {_q(f'{name} écrit sur ce carnet.')}\n")
    for p in posts:
        _write(root / "content/posts" / str(p.date.year) / f"{p.slug}.md", "\n".join([
            "---", f"title: {_q(p.title)}", f"date: {p.date.isoformat()}", f"slug: {p.slug}",
            f"author: {p.author}", "tags: [" + ", ".join(_q(t) for t in p.tags) + "]",
            f"category: {_q(p.category)}", f"summary: {_q(p.summary)}", "---", "", p.body]))


# contentkit with the peers' page set and equally minimal templates (site templates override the
# theme's): post pages, home paginated by 10, one page per tag, one Atom feed.
CONTENTKIT_EQUIVALENT_CONFIG = ("disable_kinds: [category, author, year, term_feed, rss]  # the peers' page set\n"
                                "paginate_terms: false\n")
CONTENTKIT_EQUIVALENT_TEMPLATES = {
    "base.html": '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
                 "<title>{% block title %}{{ config.title }}{% endblock %}</title>\n"
                 '{% for feed in feeds %}<link rel="alternate" type="{{ feed.type }}" href="{{ feed.url }}">{% endfor %}'
                 '</head>\n<body><header><a href="{{ config.root_path }}">{{ config.title }}</a></header>\n'
                 "<main>{% block content %}{% endblock %}</main></body></html>\n",
    "index.html": '{% extends "base.html" %}{% block content %}{% for a in articles %}\n'
                  '<article><h2><a href="{{ a.url }}">{{ a.title }}</a></h2>'
                  "<time>{{ a.date|date }}</time>{{ a.excerpt_html|safe }}</article>{% endfor %}\n"
                  '{% if pagination.prev_url %}<a href="{{ pagination.prev_url }}">Précédent</a>{% endif %}'
                  '{% if pagination.next_url %}<a href="{{ pagination.next_url }}">Suivant</a>{% endif %}'
                  "{% endblock %}\n",
    "article.html": '{% extends "base.html" %}{% block title %}{{ article.title }}{% endblock %}'
                    "{% block content %}<article><h1>{{ article.title }}</h1><p>"
                    "{{ article.authors|map(attribute='name')|join(', ') }} · "
                    "<time>{{ article.date|date }}</time></p>{{ article.html|safe }}<p>"
                    '{% for tag in article.tags %}<a href="{{ tag.url }}">{{ tag.name }}</a> {% endfor %}</p>'
                    "</article>{% endblock %}\n",
    "term.html": '{% extends "base.html" %}{% block content %}<h1>{{ term.name }}</h1><ul>{% for a in articles %}'
                 '<li><a href="{{ a.url }}">{{ a.title }}</a></li>{% endfor %}</ul>{% endblock %}\n',
}


def write_contentkit_equivalent(root: Path, posts: list[Post]) -> None:
    write_contentkit(root, posts)
    config = root / "contentkit.yml"
    config.write_text(config.read_text(encoding="utf-8") + CONTENTKIT_EQUIVALENT_CONFIG, encoding="utf-8")
    for name, text in CONTENTKIT_EQUIVALENT_TEMPLATES.items():
        _write(root / "templates" / name, text)


PELICAN_CONF = '''# Minimal Pelican site: post pages, home paginated by 10, one page per tag, one Atom feed.
AUTHOR = "Cabinet"
SITENAME = "Le Carnet du Cabinet"
SITEURL = ""
PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
TIMEZONE = "Europe/Paris"
DEFAULT_LANG = "fr"
DEFAULT_PAGINATION = 10
PAGINATED_TEMPLATES = {"index": None}
PAGINATION_PATTERNS = ((1, "{url}", "{save_as}"),
                       (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"))
DIRECT_TEMPLATES = ["index"]
ARTICLE_URL = "{date:%Y}/{slug}/"
ARTICLE_SAVE_AS = "{date:%Y}/{slug}/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
for _name in ("CATEGORY", "AUTHOR", "PAGE", "DRAFT", "DRAFT_PAGE", "ARCHIVES", "AUTHORS",
              "CATEGORIES", "TAGS", "YEAR_ARCHIVE", "MONTH_ARCHIVE", "DAY_ARCHIVE"):
    globals()[_name + "_SAVE_AS"] = ""
STATIC_PATHS = []
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_MAX_ITEMS = 20
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
'''
PELICAN_TEMPLATES = {
    "base.html": '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
                 "<title>{% block title %}{{ SITENAME }}{% endblock %}</title>\n"
                 '<link rel="alternate" type="application/atom+xml" href="/{{ FEED_ALL_ATOM }}"></head>\n'
                 '<body><header><a href="/">{{ SITENAME }}</a></header>\n<main>{% block content %}'
                 "{% endblock %}</main></body></html>\n",
    "index.html": '{% extends "base.html" %}{% block content %}{% for article in articles_page.object_list %}\n'
                  '<article><h2><a href="/{{ article.url }}">{{ article.title }}</a></h2>'
                  "<time>{{ article.locale_date }}</time>{{ article.summary }}</article>{% endfor %}\n"
                  "{% if articles_page.has_previous() %}<a href=\"/{{ articles_previous_page.url }}\">Précédent</a>{% endif %}"
                  "{% if articles_page.has_next() %}<a href=\"/{{ articles_next_page.url }}\">Suivant</a>{% endif %}"
                  "{% endblock %}\n",
    "article.html": '{% extends "base.html" %}{% block title %}{{ article.title }}{% endblock %}'
                    "{% block content %}<article><h1>{{ article.title }}</h1><p>{{ article.author }} · "
                    "<time>{{ article.locale_date }}</time></p>{{ article.content }}<p>"
                    '{% for tag in article.tags %}<a href="/{{ tag.url }}">{{ tag }}</a> {% endfor %}</p>'
                    "</article>{% endblock %}\n",
    "tag.html": '{% extends "base.html" %}{% block content %}<h1>{{ tag }}</h1><ul>{% for article in articles %}'
                '<li><a href="/{{ article.url }}">{{ article.title }}</a></li>{% endfor %}</ul>{% endblock %}\n',
}
for _stub in ("page", "category", "author", "archives", "tags", "categories", "authors", "period_archives"):
    PELICAN_TEMPLATES[f"{_stub}.html"] = '{% extends "base.html" %}\n'


def write_pelican(root: Path, posts: list[Post]) -> None:
    _write(root / "pelicanconf.py", PELICAN_CONF)
    for name, text in PELICAN_TEMPLATES.items():
        _write(root / "theme/templates" / name, text)
    for p in posts:
        _write(root / "content" / str(p.date.year) / f"{p.slug}.md", "\n".join([
            f"Title: {p.title}", f"Date: {p.date:%Y-%m-%d %H:%M}", f"Slug: {p.slug}",
            f"Author: {p.author_name}", "Tags: " + ", ".join(p.tags), f"Category: {p.category}",
            f"Summary: {p.summary}", "", p.body]))


HUGO_CONFIG = '''baseURL = "https://bench.example.com/"
languageCode = "fr"
defaultContentLanguage = "fr"
title = "Le Carnet du Cabinet"
paginate = 10
timeZone = "Europe/Paris"
disableKinds = ["section", "taxonomy", "sitemap", "robotsTXT", "404"]
ignoreErrors = ["error-disable-taxonomy"]  # yes: no /tags/ index, only one page per tag
[taxonomies]
  tag = "tags"
[permalinks]
  posts = "/:year/:slug/"
[outputs]
  home = ["HTML", "RSS"]
  page = ["HTML"]
  term = ["HTML"]
[services.rss]
  limit = 20
'''
HUGO_LAYOUTS = {
    "_default/baseof.html": '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8"><title>{{ .Title }}</title>\n'
                            '{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}">{{ end }}'
                            '</head>\n<body><header><a href="/">{{ .Site.Title }}</a></header>\n'
                            '<main>{{ block "main" . }}{{ end }}</main></body></html>\n',
    "index.html": '{{ define "main" }}{{ $pag := .Paginate (where .Site.RegularPages "Type" "posts") }}'
                  "{{ range $pag.Pages }}<article><h2><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></h2>"
                  "<time>{{ .Date.Format \"2 January 2006\" }}</time>{{ .Summary }}</article>{{ end }}"
                  '{{ if $pag.HasPrev }}<a href="{{ $pag.Prev.URL }}">Précédent</a>{{ end }}'
                  '{{ if $pag.HasNext }}<a href="{{ $pag.Next.URL }}">Suivant</a>{{ end }}{{ end }}\n',
    "_default/single.html": '{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ .Params.author }} · '
                            "<time>{{ .Date.Format \"2 January 2006\" }}</time></p>{{ .Content }}<p>"
                            '{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}'
                            "</p></article>{{ end }}\n",
    "_default/term.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}'
                          '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n',
    "_default/list.html": '{{ define "main" }}<h1>{{ .Title }}</h1>{{ end }}\n',
}


def write_hugo(root: Path, posts: list[Post]) -> None:
    _write(root / "config.toml", HUGO_CONFIG)
    for name, text in HUGO_LAYOUTS.items():
        _write(root / "layouts" / name, text)
    for p in posts:
        _write(root / "content/posts" / str(p.date.year) / f"{p.slug}.md", "\n".join([
            "---", f"title: {_q(p.title)}", f"date: {p.date.isoformat()}", f"slug: {p.slug}",
            f"author: {_q(p.author_name)}", "tags: [" + ", ".join(_q(t) for t in p.tags) + "]",
            f"categories: [{_q(p.category)}]", f"summary: {_q(p.summary)}", "---", "", p.body]))


LAYOUTS = {"contentkit": write_contentkit, "contentkit-equivalent": write_contentkit_equivalent,
           "pelican": write_pelican, "hugo": write_hugo}


def post_path(layout: str, root: Path, post: Post) -> Path:
    """Where `post` lives in a layout (for the benchmark's "one post changed" edits)."""
    if layout == "pelican":
        return root / "content" / str(post.date.year) / f"{post.slug}.md"
    return root / "content/posts" / str(post.date.year) / f"{post.slug}.md"


def generate(out: Path, count: int, seed: int = 7, layouts=tuple(LAYOUTS)) -> list[Post]:
    posts = make_posts(count, seed)
    for layout in layouts:
        LAYOUTS[layout](Path(out) / layout, posts)
    return posts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--layouts", default=",".join(LAYOUTS))
    args = parser.parse_args()
    posts = generate(args.out, args.posts, args.seed, tuple(args.layouts.split(",")))
    words = sorted(len(p.body.split()) for p in posts)
    print(f"{len(posts)} posts, {sum(words)} words (median {words[len(words) // 2]}, min {words[0]}, "
          f"max {words[-1]}) -> {args.out}")


if __name__ == "__main__":
    main()
