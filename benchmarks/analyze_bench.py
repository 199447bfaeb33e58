"""Benchmark `contentkit analyze` on a generated site of 5,000 articles, cold then warm.

    python benchmarks/analyze_bench.py [--articles 5000] [--keep DIR] [--seed 1]

The generator is deliberately simple but shaped like a real B2B blog: 8 topics with their own
vocabulary, French sentences of varied length, H2/H3 sections, figures, dates, links to external
sources, quotations, a table now and then, lengths from ~150 to ~3,000 words, and ~1 % of
near-duplicates. "cold" runs with an empty .contentkit-cache/ (Markdown rendering included),
"warm" runs again on the same content; both run the real command in a subprocess and write the
three outputs. Prints seconds: the whole command (which also loads the site: Markdown rendering
when cold, and runs every enricher), then in-process timings of the analysis itself.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TOPICS = {
    "supply-chain": "stock entrepôt transporteur prévision approvisionnement fournisseur "
                    "logistique commande délai rupture planification tournée quai palette "
                    "inventaire flux distribution douane réassort",
    "cybersecurite": "attaque rançongiciel sauvegarde chiffrement authentification pare-feu "
                     "vulnérabilité correctif incident phishing annuaire journalisation "
                     "sensibilisation audit menace intrusion restauration",
    "finance": "trésorerie budget marge prévisionnel clôture bilan compte résultat contrôle "
               "investissement créance encaissement facturation rentabilité amortissement "
               "reporting liquidité",
    "data-ia": "donnée modèle entrepôt pipeline qualité gouvernance catalogue algorithme "
               "apprentissage tableau indicateur requête lac référentiel annotation prédiction "
               "métadonnée",
    "rh": "recrutement entretien compétence formation onboarding manager carrière rémunération "
          "télétravail équipe mobilité fidélisation évaluation talent candidat engagement",
    "marketing": "prospect lead contenu campagne newsletter référencement conversion persona "
                 "webinaire salon acquisition audience notoriété nurturing scoring "
                 "argumentaire",
    "cloud": "migration hébergement conteneur virtualisation facturation réversibilité "
             "fournisseur région disponibilité latence instance stockage réseau sauvegarde "
             "souveraineté",
    "rse": "carbone empreinte reporting indicateur fournisseur énergie sobriété recyclage "
           "matérialité audit trajectoire émission taxonomie biodiversité achat",
}
COMMON = ("entreprise projet équipe client direction outil méthode résultat objectif risque coût "
          "décision processus temps année mois semaine service métier usage démarche solution "
          "besoin question réponse exemple priorité étape chantier").split()
GLUE = ("le la les un une des du de et à pour avec dans sur par sans vers chez entre mais "
        "donc ou ni car ce cette ces son sa ses leur leurs notre nos votre").split()
VERBS = ("améliore réduit mesure pilote construit sécurise documente priorise partage anticipe "
         "compare choisit organise automatise simplifie vérifie").split()
HOSTS = ("insee.fr", "cnil.fr", "anssi.gouv.fr", "economie.gouv.fr", "gartner.com",
         "eurostat.ec.europa.eu", "legifrance.gouv.fr", "bpifrance.fr", "ademe.fr", "oecd.org")


def sentence(rng: random.Random, vocab: list[str], figures: float) -> str:
    n = rng.choice((6, 9, 12, 15, 18, 22, 27, 34))
    words = []
    for _ in range(n):
        r = rng.random()
        words.append(rng.choice(vocab) if r < 0.35 else rng.choice(COMMON) if r < 0.55
                     else rng.choice(VERBS) if r < 0.62 else rng.choice(GLUE))
    if rng.random() < figures:
        words.insert(rng.randrange(len(words)), rng.choice(
            (f"{rng.randint(2, 95)} %", f"{rng.randint(2, 900)} jours", f"en {rng.randint(2005, 2024)}",
             f"{rng.randint(1, 40)},{rng.randint(0, 9)} millions d'euros")))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, vocab: list[str], quality: float) -> str:
    sentences = [sentence(rng, vocab, 0.25 * quality) for _ in range(rng.randint(2, 6))]
    if rng.random() < 0.3 * quality:
        host = rng.choice(HOSTS)
        sentences.append(f"Voir [l'étude publiée par {host}](https://www.{host}/etude-{rng.randint(1, 99)}).")
    return " ".join(sentences)


def article(rng: random.Random, i: int, topic: str, words_target: int) -> str:
    vocab = TOPICS[topic].split()
    quality = rng.random()
    tags = sorted({topic, rng.choice(list(TOPICS))})
    parts = [f"---\ntitle: \"Article {i} : {rng.choice(vocab)} et {rng.choice(vocab)}\"\n"
             f"date: {2015 + i % 10}-{1 + i % 12:02d}-{1 + i % 28:02d}\n"
             f"category: {topic}\ntags: [{', '.join(tags)}]\nauthors: [auteur-{i % 20}]\n---\n"]
    words = 0
    while words < words_target:
        if words and rng.random() < 0.25:
            parts.append(f"## {rng.choice(vocab).capitalize()} et {rng.choice(COMMON)}\n")
        if rng.random() < 0.04 * quality:
            parts.append(f"> {sentence(rng, vocab, 0)} {sentence(rng, vocab, 0)}\n")
        if rng.random() < 0.02 * quality:
            parts.append("| Indicateur | 2022 | 2023 |\n|---|---|---|\n"
                         f"| {rng.choice(vocab)} | {rng.randint(1, 99)} | {rng.randint(1, 99)} |\n")
        p = paragraph(rng, vocab, quality)
        words += len(p.split())
        parts.append(p + "\n")
    return "\n".join(parts)


def generate(root: Path, n: int, seed: int) -> None:
    rng = random.Random(seed)
    (root / "content" / "posts").mkdir(parents=True, exist_ok=True)
    (root / "contentkit.yml").write_text(
        'title: "Banc d\'essai"\nbase_url: "https://bench.example/"\nlanguage: fr\n'
        "timezone: Europe/Paris\n", encoding="utf-8")
    topics = list(TOPICS)
    texts: list[str] = []
    for i in range(n):
        if texts and rng.random() < 0.01:  # near-duplicate of an earlier article
            lines = texts[rng.randrange(len(texts))].split("\n")
            body = "\n".join(lines[6:])
            text = lines[0] + f"\ntitle: \"Article {i} (reprise)\"\n" + "\n".join(lines[2:6]) + "\n" + body
        else:
            words = int(min(3000, max(150, rng.lognormvariate(6.6, 0.6))))
            text = article(rng, i, topics[i % len(topics)], words)
        texts.append(text)
        folder = root / "content" / "posts" / str(2015 + i % 10)
        folder.mkdir(exist_ok=True)
        (folder / f"article-{i:05d}.md").write_text(text, encoding="utf-8")


def run(root: Path, label: str) -> float:
    """The real command in a subprocess (imports, site loading, outputs, every enricher)."""
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "contentkit", "analyze", "--root", str(root),
                           "--output", str(root / "reports")], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if proc.returncode:
        print(proc.stdout[-3000:], proc.stderr[-3000:])
        raise SystemExit(f"{label}: contentkit analyze failed")
    summary = [line for line in proc.stdout.splitlines() if "Spearman correlation" in line]
    print(f"  {label:<34} {seconds:7.2f} s   {summary[0].strip() if summary else ''}")
    return seconds


def _cpu() -> float:
    import resource

    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        r = resource.getrusage(who)
        total += r.ru_utime + r.ru_stime
    return total


def stages(root: Path) -> dict[str, tuple[float, float]]:
    """In-process timings of what `analyze` itself does (this issue's part), cold then warm."""
    from contentkit.analytics.article_report import AnalysisCache, analyze_site
    from contentkit.analytics.outputs import write_outputs
    from contentkit.model import BuildOptions
    from contentkit.build import load_site

    times: dict[str, tuple[float, float]] = {}

    def timed(label, f):
        t, c = time.perf_counter(), _cpu()
        value = f()
        times[label] = (time.perf_counter() - t, _cpu() - c)
        return value

    site = timed("load_site (document cache warm)", lambda: load_site(root, BuildOptions()))
    for label in ("analysis cold (empty analysis cache)", "analysis warm"):
        cache = AnalysisCache(root).load()
        report = timed(label, lambda: analyze_site(site, cache))
        cache.save()
        times[label + ": per-article features"] = (report.timings["features"], float("nan"))
        times[label + ": site-wide depth"] = (report.timings["depth"], float("nan"))
    timed("articles.csv + analysis.json", lambda: write_outputs(report, root / "reports-bench"))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, default=None, help="generate into this folder and keep it")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="ck-bench-"))
    try:
        if not (root / "content").is_dir():
            t = time.perf_counter()
            generate(root, args.articles, args.seed)
            print(f"generated {args.articles} articles in {time.perf_counter() - t:.1f} s → {root}")
        print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")
        print("contentkit analyze (subprocess, wall clock):")
        shutil.rmtree(root / ".contentkit-cache", ignore_errors=True)
        run(root, "cold (no cache at all)")
        for f in (root / ".contentkit-cache").glob("analysis-*"):
            f.unlink()
        run(root, "analysis cold, documents cached")
        run(root, "warm")
        print("in process:")
        for f in (root / ".contentkit-cache").glob("analysis-*"):
            f.unlink()
        print(f"  {'':<58} {'wall':>7}   {'CPU (all processes)':>19}")
        for label, (seconds, cpu) in stages(root).items():
            print(f"  {label:<58} {seconds:7.2f} s" + ("" if cpu != cpu else f"   {cpu:7.2f} s"))
        print(f"load average {os.getloadavg()[0]:.1f} at the end")
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
