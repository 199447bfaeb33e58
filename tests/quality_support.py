"""Shared by the quality-gate tests (tests/test_quality_*.py, test_search.py, test_check.py).

* Validators come from `.ci/node_modules` (`npm --prefix .ci install`, done by `.ci/run`), Chromium
  from Debian, Java for the Nu checker. A missing tool FAILS the test under `CI=true` and skips it
  (with the reason) elsewhere.
* The demo site (content/) and a rich fixture site are each built once per test session
  (`demo_build()`, `rich_build()`), into temporary folders.
* `LocalServer` serves a folder on 127.0.0.1 only; `browser()` is a headless Chromium that records
  every request and aborts any that would leave the machine.
"""
from __future__ import annotations

import atexit
import functools
import http.server
import json
import os
import shutil
import subprocess
import tempfile
import textwrap
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parent.parent
NODE_MODULES = REPO / ".ci" / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
SITEMAP_XSD = NODE_MODULES / "sitemap" / "schema" / "sitemap.xsd"
LIGHTHOUSE = NODE_MODULES / "lighthouse" / "cli" / "index.js"
CHROMIUM = Path(os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium")
CHROME_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
IN_CI = os.environ.get("CI", "").lower() == "true"
INSTALL_HINT = "run `npm --prefix .ci install` (what .ci/run does)"


def missing(what: str) -> None:
    """A required tool is absent: fail under CI=true, skip (saying why) elsewhere."""
    message = f"quality gate cannot run: {what}"
    if IN_CI:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def need_file(path: Path, what: str) -> Path:
    if not path.is_file():
        missing(f"{what} not found at {path.relative_to(REPO) if path.is_relative_to(REPO) else path}; "
                f"{INSTALL_HINT}")
    return path


def need_command(name: str, hint: str) -> str:
    found = shutil.which(name)
    if not found:
        missing(f"`{name}` is not installed ({hint})")
    return found


def need_chromium() -> Path:
    if not CHROMIUM.is_file():
        missing(f"Chromium not found at {CHROMIUM} (apt-get install chromium, as .ci/run does)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing("the Python package playwright is not installed (pip install -e '.[test]')")
    return CHROMIUM


def _tempdir(name: str) -> Path:
    path = Path(tempfile.mkdtemp(prefix=f"ck-{name}-"))
    atexit.register(shutil.rmtree, path, True)
    return path


# ------------------------------------------------------------------------------------------------
# Sites

@functools.lru_cache(maxsize=None)
def demo_build():
    """(BuildResult, output folder) of content/ at the repository root, built once per session."""
    from contentkit.build import build_site

    posts = list((REPO / "content" / "posts").rglob("*.md")) if (REPO / "content" / "posts").is_dir() else []
    if len(posts) < 3:
        pytest.fail(f"the demo site has only {len(posts)} posts in content/posts: the gates need the demo",
                    pytrace=False)
    out = _tempdir("demo") / "site"
    return build_site(REPO, out, use_cache=False), out


def words(n: int, seed: str) -> str:
    """Plausible French filler prose of about n words (deterministic)."""
    vocabulary = ("les équipes la donnée gouvernance projet décision indicateur qualité client "
                  "processus responsable pilotage budget comité risque fournisseur contrat mesure "
                  "calendrier priorité objectif méthode usage valeur coût délai").split()
    out, i = [], sum(map(ord, seed))
    while len(out) < n:
        sentence = [vocabulary[(i * 7 + k * 3) % len(vocabulary)] for k in range(12)]
        i += 1
        out.append(" ".join(sentence).capitalize() + ".")
    text = " ".join(out)
    return " ".join(text.split()[:n]) + "."


LONG_SECTIONS = "\n\n".join(
    f"## Étape {i} : {title}\n\n{words(230, title)}\n\n### Ce qu'il faut retenir\n\n{words(120, title + 'r')}"
    for i, title in enumerate(["cartographier les flux", "nommer les responsables", "mesurer la qualité",
                               "outiller sans excès", "installer les rituels", "rendre compte",
                               "passer à l'échelle", "durer"], 1))

CODE_SAMPLES = '''
```python
from dataclasses import dataclass

@dataclass
class Indicateur:
    """Un indicateur de qualité des données."""
    nom: str
    seuil: float = 0.95  # en dessous, alerte

    def conforme(self, valeur: float) -> bool:
        return valeur >= self.seuil and not isinstance(valeur, bool)
```

```bash
#!/usr/bin/env bash
set -euo pipefail
for f in exports/*.csv; do echo "Contrôle de $f"; wc -l "$f"; done | tee -a controle.log
```

```json
{"indicateur": "complétude", "seuil": 0.95, "actif": true, "tags": ["crm", null]}
```

```yaml
regles:
  - nom: client_actif   # défini par le comité
    seuil: 12
```

```sql
SELECT client_id, COUNT(*) AS commandes FROM commandes WHERE statut = 'livrée' GROUP BY 1 HAVING COUNT(*) > 3;
```

```html
<table class="kpi"><tr><td data-seuil="0.95">Complétude &amp; exactitude</td></tr></table>
```

```diff
- seuil: 0.90
+ seuil: 0.95
```
'''

WIDE_TABLE = ("| Indicateur | Définition | Responsable | Seuil | Fréquence | Source | Action en cas d'écart |\n"
              "|---|---|---|---|---|---|---|\n"
              + "\n".join(f"| Indicateur {i} | Part des fiches clients complètes et vérifiées | Direction {i} "
                          f"| 9{i} % | Mensuelle | CRM et ERP | Revue en comité qualité |" for i in range(1, 6)))

AUTHOR_ALICE = """
name: Alice Durand
role: staff
job_title: Directrice data
company: Carnet Conseil
bio: "Alice **dirige** le pôle data et anime la [communauté](/tags/gouvernance/)."
expertise: [Données, Gouvernance]
photo: /images/alice.svg
links: {linkedin: "https://www.linkedin.example/in/alice"}
"""
AUTHOR_BRUNO = """
name: Bruno Petit
role: staff
job_title: Consultant cybersécurité
bio: "Bruno accompagne les ETI sur la sécurité."
photo: /images/bruno.svg
"""
AUTHOR_GUEST = """
name: Chloé Garnier
role: interviewee
job_title: DSI
company: Industries Garnier
photo: /images/chloe.svg
"""
SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">'
       '<rect width="64" height="64" fill="#0b57a4"/></svg>')


def filler_post(i: int) -> str:
    return f"""
        ---
        title: "Note de terrain numéro {i}"
        date: 2021-0{1 + i % 9}-1{i % 10}
        authors: [bruno]
        category: Cybersécurité
        tags: [sécurité, terrain]
        summary: "Une note de terrain courte, numéro {i}, pour remplir les pages de liste."
        ---
        {words(180, f"note{i}")}

        Voir aussi [le guide](/2022/gouvernance-des-donnees-le-guide-complet/#etape-3-mesurer-la-qualite).
        """


GUIDE = textwrap.dedent("""\
---
title: "Gouvernance des données : le guide complet"
date: 2022-03-15T09:00:00+01:00
updated: 2022-06-01
authors: [alice, bruno]
category: Data & IA
tags: [gouvernance, qualité, méthode]
summary: "Huit étapes pour installer la gouvernance des données dans une ETI, avec des exemples de code et d'indicateurs."
---
Ce guide rassemble notre méthode[^1] : huit étapes, des indicateurs et du code. Le mot rare
ornithorynque n'apparaît que dans cet article. Voir aussi [notre entretien](/2022/entretien-avec-chloe-garnier/)
et la [première partie de la série](../../2021/serie-partie-1/).

<!-- more -->

!!! note "À retenir"
    La gouvernance est une fonction permanente, pas un projet.

> « Nous avions trois chiffres d'affaires différents. » — un directeur général

@WIDE_TABLE@

@CODE_SAMPLES@

@LONG_SECTIONS@

[^1]: Construite avec une vingtaine d'ETI depuis 2017.
""").replace("@WIDE_TABLE@", WIDE_TABLE).replace(
    "@CODE_SAMPLES@", CODE_SAMPLES).replace("@LONG_SECTIONS@", LONG_SECTIONS)

RICH_CONFIG = """\
title: "Carnet de test qualité"
description: "Un site de test riche : guides, entretiens, webinaires, code, tableaux et images."
base_url: "https://carnet.example.org/"
language: fr
timezone: Europe/Paris
per_page: 4
feed_items: 8
publisher:
  name: "Carnet Conseil"
  url: "https://www.carnet.example.org"
  logo: "/images/logo.svg"
"""

RICH_SITE = {
    "content/authors/alice.yml": AUTHOR_ALICE,
    "content/authors/bruno.yml": AUTHOR_BRUNO,
    "content/authors/chloe.yml": AUTHOR_GUEST,
    "static/images/alice.svg": SVG,
    "static/images/bruno.svg": SVG,
    "static/images/chloe.svg": SVG,
    "static/images/logo.svg": SVG,
    "static/images/couverture.svg": SVG,
    "content/posts/2022/guide.md": GUIDE,
    "content/posts/2022/entretien/index.md": """
        ---
        title: "Entretien avec Chloé Garnier"
        date: 2022-05-02
        authors: [alice]
        interviewees: [chloe]
        category: Data & IA
        tags: [entretien, gouvernance]
        image: couverture.svg
        image_alt: "Un carré bleu"
        summary: "La DSI d'un groupe industriel raconte deux ans de gouvernance des données."
        ---
        ![Organigramme simplifié de la gouvernance](schema.svg)

        Chloé Garnier revient sur deux ans de [gouvernance](/2022/gouvernance-des-donnees-le-guide-complet/#etape-2-nommer-les-responsables).
        """,
    "content/posts/2022/entretien/schema.svg": SVG,
    "content/posts/2022/entretien/couverture.svg": SVG,
    "content/posts/2021/serie-1.md": """
        ---
        title: "Série IA, partie 1 : comprendre"
        slug: serie-partie-1
        date: 2021-10-01
        authors: [alice]
        category: Data & IA
        tags: [ia, gouvernance]
        series: {name: "L'IA en pratique", part: 1}
        image: /images/couverture.svg
        image_alt: "Couverture de la série"
        summary: "Première partie : ce que sont les modèles de langage, sans jargon."
        ---
        Les modèles de langage prédisent le mot suivant. Lire la [suite](/2021/serie-ia-partie-2-choisir/).
        """,
    "content/posts/2021/serie-2.md": """
        ---
        title: "Série IA, partie 2 : choisir"
        date: 2021-10-15
        authors: [alice]
        category: Data & IA
        tags: [ia]
        series: {name: "L'IA en pratique", part: 2}
        summary: "Deuxième partie : choisir ses cas d'usage."
        ---
        Choisir un cas d'usage, c'est d'abord choisir une décision à améliorer.
        """,
    "content/posts/2023/webinaire.md": """
        ---
        title: "Webinaire : la sécurité en 2099"
        date: 2023-01-10
        authors: [bruno]
        category: Cybersécurité
        tags: [webinaire, sécurité]
        summary: "Un webinaire à venir sur la sécurité des systèmes d'information."
        event:
          start: 2099-03-01T11:00:00
          end: 2099-03-01T12:00:00
          timezone: Europe/Paris
          location: "En ligne"
          registration_url: "https://www.carnet.example.org/inscription"
        ---
        Inscrivez-vous au webinaire.
        """,
    "content/posts/2020/webinaire-passe.md": """
        ---
        title: "Webinaire : la sauvegarde expliquée"
        date: 2020-01-10
        authors: [bruno]
        category: Cybersécurité
        tags: [webinaire, sécurité]
        summary: "Le replay du webinaire sur la sauvegarde."
        event:
          start: 2020-02-01T11:00:00
          end: 2020-02-01T12:00:00
          location: "En ligne"
          replay_url: "https://www.carnet.example.org/replay"
        ---
        Le replay est disponible.
        """,
    "content/posts/2023/english.md": """
        ---
        title: "How we run data projects"
        lang: en
        date: 2023-02-01
        authors: [alice]
        category: Data & IA
        tags: [method]
        summary: "A short guide for international clients."
        ---
        We start with the decisions that matter. The word platypus is only here.

        ```python
        print("hello")
        ```
        """,
    "content/posts/2023/caracteres.md": """
        ---
        title: "Sécurité & « cloud » : <script> n'est pas un titre"
        date: 2023-03-01
        author: Invité Mystère
        category: Cybersécurité
        tags: [sécurité]
        summary: 'Un titre avec < > & " et des guillemets « français ».'
        ---
        Un article dont le titre contient des caractères spéciaux : `<b>` & co. Sa catégorie
        est unique ; le mot zythologie n'est que dans le nom d'une catégorie d'un autre article.
        """,
    "content/posts/2023/biere.md": """
        ---
        title: "Une histoire de brasseries"
        date: 2023-04-01
        authors: [bruno]
        category: Zythologie
        tags: [terrain]
        summary: "Les brasseries artisanales et la traçabilité."
        ---
        La traçabilité des lots de houblon, de la ferme au verre.
        """,
    "content/posts/2023/brouillon.md": """
        ---
        title: "Brouillon secret"
        date: 2023-05-01
        draft: true
        ---
        Ce brouillon ne doit pas être publié.
        """,
    "content/topics/gouvernance.md": """
        ---
        title: "Gouvernance des données"
        summary: "Tous nos articles sur la gouvernance des données."
        ---
        Commencez par [le guide complet](/2022/gouvernance-des-donnees-le-guide-complet/).
        """,
    "content/pages/a-propos.md": """
        ---
        title: À propos
        ---
        Nous sommes des consultants qui bloguent. Le mot kangourou n'apparaît que sur cette page.

        | Bureau | Ville |
        |---|---|
        | Siège | Lyon |
        """,
    **{f"content/posts/2021/note-{i}.md": filler_post(i) for i in range(1, 7)},
}


@functools.lru_cache(maxsize=None)
def rich_build():
    """(BuildResult, output folder, site folder) of RICH_SITE, built once per session."""
    from contentkit.build import build_site

    root = _tempdir("rich") / "src"
    write_site(root, RICH_SITE, RICH_CONFIG)
    return build_site(root, root / "site", use_cache=False), root / "site", root


JEKYLL_BLOG = Path(__file__).resolve().parent / "fixtures" / "jekyll_blog"


@functools.lru_cache(maxsize=None)
def jekyll_build():
    """(BuildResult, output folder) of tests/fixtures/jekyll_blog: posts copied unchanged from a
    Jekyll blog (Liquid highlight/raw/include/post_url, kramdown IAL and {:toc}, authors as
    mappings, a control character, fenced code in list items, HTML in a blockquote, an English post
    on a French site), built once per session."""
    from contentkit.build import build_site

    root = _tempdir("jekyll") / "src"
    shutil.copytree(JEKYLL_BLOG, root)
    return build_site(root, root / "site", use_cache=False), root / "site"


def write_site(root: Path, files: dict, config: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "contentkit.yml").write_text(config, encoding="utf-8")
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


def html_pages(out: Path) -> list[Path]:
    """Every HTML page of a built site except redirect stubs of old URLs."""
    return sorted(p for p in out.rglob("*.html")
                  if b'http-equiv="refresh"' not in p.read_bytes()[:2000])


def longest_post(result):
    return max(result.site.posts, key=lambda a: a.words)


# ------------------------------------------------------------------------------------------------
# Local HTTP server (127.0.0.1 only)

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class LocalServer:
    def __init__(self, folder: Path):
        handler = functools.partial(_QuietHandler, directory=str(folder))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "LocalServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        return self.base + path


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname == "127.0.0.1"


class Browser:
    """Headless Chromium (Playwright) whose pages record all requests and block non-local ones."""

    def __init__(self):
        need_chromium()
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self.browser = self._pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROME_ARGS)
        self.requests: list[str] = []
        self.blocked: list[str] = []

    def page(self, color_scheme: str = "light"):
        context = self.browser.new_context(color_scheme=color_scheme)

        def route(r):
            self.requests.append(r.request.url)
            if is_local(r.request.url):
                r.continue_()
            else:
                self.blocked.append(r.request.url)
                r.abort()
        context.route("**/*", route)
        return context.new_page()

    def close(self) -> None:
        self.browser.close()
        self._pw.stop()


def run_axe(page, url: str, wait_for: str | None = None) -> dict:
    """Load url, inject axe-core, run the WCAG 2.0/2.1 A and AA rules. Returns axe's results."""
    axe = need_file(AXE_JS, "axe-core").read_text(encoding="utf-8")
    page.goto(url)
    if wait_for:
        page.wait_for_selector(wait_for)
    page.add_script_tag(content=axe)
    return page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
                         "resultTypes: ['violations']})", AXE_TAGS)


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        nodes = "; ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:4])
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} — {nodes}")
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------
# Nu HTML Checker

def run_vnu(target: Path) -> list[dict]:
    """Errors of the Nu HTML Checker for a file or folder (every .html in it)."""
    jar = need_file(VNU_JAR, "the Nu HTML Checker (npm vnu-jar)")
    java = need_command("java", "a Java runtime, e.g. apt-get install default-jre-headless")
    proc = subprocess.run([java, "-jar", str(jar), "--format", "json", "--errors-only", "--skip-non-html",
                           str(target)], capture_output=True, text=True, timeout=300)
    text = proc.stderr.strip() or proc.stdout.strip()
    try:
        messages = json.loads(text)["messages"]
    except (ValueError, KeyError):
        raise AssertionError(f"vnu gave no JSON report (exit {proc.returncode}): {text[:2000]}") from None
    return [m for m in messages if m.get("type") in ("error", "non-document-error")]


def describe_vnu(messages: list[dict], base: Path) -> str:
    out = []
    for m in messages[:40]:
        url = m.get("url", "")
        where = url.split(str(base), 1)[-1] if str(base) in url else url
        out.append(f"{where}:{m.get('lastLine', '?')}: {m.get('message')} [{m.get('extract', '')[:80]!r}]")
    return "\n".join(out)


# ------------------------------------------------------------------------------------------------
# Lighthouse

def run_lighthouse(url: str, report: Path) -> dict:
    """Lighthouse (mobile defaults) on url; returns the JSON report."""
    cli = need_file(LIGHTHOUSE, "Lighthouse (npm lighthouse)")
    node = need_command("node", "Node.js, needed by Lighthouse")
    need_chromium()
    flags = " ".join(["--headless=new"] + CHROME_ARGS)
    env = {**os.environ, "CHROME_PATH": str(CHROMIUM)}
    proc = subprocess.run([node, str(cli), url, "--quiet", "--output=json", f"--output-path={report}",
                           "--only-categories=performance,accessibility,best-practices,seo",
                           "--disable-full-page-screenshot", f"--chrome-flags={flags}"],
                          capture_output=True, text=True, timeout=240, env=env)
    if proc.returncode != 0 or not report.is_file():
        raise AssertionError(f"lighthouse failed (exit {proc.returncode}): {proc.stderr[-3000:]}")
    return json.loads(report.read_text(encoding="utf-8"))


def lighthouse_scores(report: dict) -> dict[str, float]:
    return {key: cat["score"] for key, cat in report["categories"].items()}


def lighthouse_failures(report: dict) -> list[str]:
    """Audits that cost points, for the assertion message."""
    out = []
    for key, cat in report["categories"].items():
        for ref in cat["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref.get("weight") and audit.get("score") is not None and audit["score"] < 1:
                out.append(f"{key}/{ref['id']}: {audit['score']} {audit.get('displayValue', '')}")
    return out


def lighthouse_request_urls(report: dict) -> list[str]:
    items = report["audits"].get("network-requests", {}).get("details", {}).get("items", [])
    return [i["url"] for i in items]
