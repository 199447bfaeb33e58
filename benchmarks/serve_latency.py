"""Save-to-reload latency of `contentkit serve` on large generated sites.

    python3 benchmarks/serve_latency.py                  # 1,000 and 5,000 articles, 20 edits each
    python3 benchmarks/serve_latency.py --sizes 1000 --edits 30
    python3 benchmarks/serve_latency.py --profile        # + stage breakdown of an incremental build

For each size: generate a deterministic site (French-ish B2B prose, authors, tags, categories),
start `contentkit serve` in a subprocess, connect a Server-Sent Events client, then for each edit
measure from writing the Markdown file to (1) the `reload` event naming the article reaching the
client and (2) the new HTML being served. Targets: median < 300 ms at 1,000 articles, < 1 s at 5,000.

`--profile` also times the stages of `build_site` for one incremental rebuild in-process
(reading/hashing, assemble, plan, render, write...) by wrapping the functions it calls.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

TARGETS = {1000: 0.300, 5000: 1.0}
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # measure this working tree, in-process and in the served subprocess

# ------------------------------------------------------------------------------------------------
# A deterministic site generator
# ------------------------------------------------------------------------------------------------

SUBJECTS = ["La direction financière", "Notre équipe", "Le comité de pilotage", "Chaque responsable métier",
            "Le DSI", "La cellule data", "Un consultant senior", "Le client", "La gouvernance",
            "L’équipe projet", "Le responsable de la sécurité", "La direction des achats", "Le contrôle de gestion",
            "Une PME industrielle", "Le service client", "La DRH", "Le conseil d’administration"]
VERBS = ["doit arbitrer", "a mesuré", "sous-estime souvent", "peut réduire", "met en place", "documente",
         "pilote", "remet en question", "priorise", "simplifie", "automatise", "négocie", "évalue", "partage",
         "finance", "accompagne", "anticipe", "harmonise"]
OBJECTS = ["les coûts cachés de la migration", "la qualité des données de référence", "le délai de clôture mensuelle",
           "les risques liés aux fournisseurs", "la dette technique", "le taux de rétention des talents",
           "la feuille de route produit", "les indicateurs de performance", "le budget d’investissement",
           "la conformité au RGPD", "les processus de recrutement", "le parcours client", "la chaîne logistique",
           "les contrats de service", "la sécurité des accès", "la prévision de la demande",
           "les modèles de tarification", "la conduite du changement"]
CLAUSES = ["avant la fin du trimestre", "sans alourdir les équipes", "en s’appuyant sur des données fiables",
           "dès la phase de cadrage", "malgré un contexte incertain", "à coût maîtrisé", "pour la troisième année",
           "selon une méthode éprouvée", "avec l’appui des métiers", "sur un périmètre limité", "d’ici 2026",
           "grâce à des rituels courts", "en moins de six semaines", "au plus près du terrain"]
CONNECTORS = ["Par ailleurs,", "En pratique,", "Concrètement,", "Pourtant,", "Autrement dit,", "De plus,",
              "En revanche,", "Dans les faits,", "C’est pourquoi", "Ainsi,"]
HEADINGS = ["Le constat", "Ce que disent les chiffres", "Trois erreurs fréquentes", "Notre méthode",
            "Retour d’expérience", "Les points de vigilance", "Par où commencer ?", "Ce qu’il faut retenir",
            "Mesurer l’impact", "Le rôle du management", "Outils et organisation", "Et demain ?"]
TAGS = ["data", "cloud", "cybersécurité", "RGPD", "finance", "supply chain", "RH", "marketing B2B", "IA",
        "stratégie", "achats", "ERP", "conduite du changement", "open source", "énergie", "industrie",
        "PME", "gouvernance", "reporting", "CRM", "télétravail", "recrutement", "innovation", "qualité"]
CATEGORIES = ["Data et IA", "Cybersécurité", "Supply chain", "Ressources humaines", "Finance", "Marketing B2B",
              "Stratégie"]
FIRST = ["Claire", "Julien", "Inès", "Karim", "Léa", "Maxime", "Hélène", "Antoine", "Nadia", "Sophie",
         "Thomas", "Camille"]
LAST = ["Morvan", "Roux", "Ferreira", "Haddad", "Martin", "Dupré", "Vasseur", "Giraud", "Benali", "Lefèvre",
        "Moreau", "Garnier"]


def sentence(rng: random.Random) -> str:
    s = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(CLAUSES)}"
    if rng.random() < 0.35:
        s = f"{rng.choice(CONNECTORS)} {s[0].lower()}{s[1:]}"
    if rng.random() < 0.15:
        s += f", soit {rng.randint(2, 95)} % de mieux qu’en {rng.randint(2015, 2023)}"
    return s + rng.choice([".", ".", ".", " !", " ?"]) if rng.random() < 0.1 else s + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(3, 7)))


def article_body(rng: random.Random) -> str:
    parts = [paragraph(rng), paragraph(rng)]
    for h in rng.sample(HEADINGS, rng.randint(2, 5)):
        parts.append(f"## {h}")
        parts += [paragraph(rng) for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.3:
            parts.append("\n".join(f"- {rng.choice(OBJECTS).capitalize()} {rng.choice(CLAUSES)} ;"
                                   for _ in range(rng.randint(2, 5))))
        if rng.random() < 0.15:
            parts.append(f"> {sentence(rng)}")
    return "\n\n".join(parts) + "\n"


def generate_site(root: Path, n: int, seed: int = 42) -> list[tuple[Path, str]]:
    """Write a site of `n` posts; returns [(markdown path, URL path)] for every post."""
    rng = random.Random(seed)
    if root.exists():
        shutil.rmtree(root)
    (root / "content/authors").mkdir(parents=True)
    (root / "contentkit.yml").write_text(
        'title: "Le Carnet (banc d’essai)"\nbase_url: "https://blog.example.com/"\nlanguage: fr\n'
        "timezone: Europe/Paris\nper_page: 10\n", encoding="utf-8")
    authors = []
    for i in range(12):
        aid = f"{FIRST[i].lower().replace('è', 'e').replace('é', 'e')}-{LAST[i].lower().replace('è', 'e').replace('é', 'e')}"
        authors.append(aid)
        (root / f"content/authors/{aid}.yml").write_text(
            f"name: {FIRST[i]} {LAST[i]}\nrole: staff\njob_title: Consultant{'e' if i % 2 else ''} senior\n"
            f"bio: \"{sentence(rng)}\"\nexpertise: [{rng.choice(TAGS)}, {rng.choice(TAGS)}]\n", encoding="utf-8")
    posts = []
    for i in range(n):
        year = 2015 + i * 11 // max(1, n)
        day_of_year = (i * 37) % 360
        month, day = 1 + day_of_year // 30, 1 + day_of_year % 28
        slug = f"article-{i:05d}"
        title = f"{rng.choice(HEADINGS)} : {rng.choice(OBJECTS)} ({i})"
        tags = ", ".join(sorted(set(rng.sample(TAGS, rng.randint(1, 4)))))
        status = "writing" if i % 97 == 0 else "published"
        fm = (f'---\ntitle: "{title}"\nslug: {slug}\ndate: {year}-{month:02d}-{day:02d} 09:00\n'
              f"authors: [{rng.choice(authors)}]\ntags: [{tags}]\ncategory: \"{rng.choice(CATEGORIES)}\"\n"
              f'summary: "{sentence(rng)}"\nstatus: {status}\n---\n\n')
        path = root / f"content/posts/{year}/{slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(fm + article_body(rng), encoding="utf-8")
        posts.append((path, f"/{year}/{slug}/"))
    return posts


# ------------------------------------------------------------------------------------------------
# SSE client and HTTP
# ------------------------------------------------------------------------------------------------

class SSEClient:
    def __init__(self, port: int):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=600)
        self.sock.sendall(b"GET /__contentkit/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        self.cond = threading.Condition()
        self.events: list[tuple[float, str, dict]] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        f = self.sock.makefile("rb")
        while f.readline() not in (b"\r\n", b"\n", b""):
            pass
        name, data = "message", []
        for raw in f:
            line = raw.decode("utf-8").rstrip("\r\n")
            if not line:
                if data:
                    with self.cond:
                        self.events.append((time.perf_counter(), name, json.loads("\n".join(data))))
                        self.cond.notify_all()
                name, data = "message", []
            elif line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].strip())

    def wait(self, start_index: int, predicate, timeout: float = 60) -> tuple[float, str, dict]:
        deadline = time.perf_counter() + timeout
        with self.cond:
            i = start_index
            while True:
                while i < len(self.events):
                    ev = self.events[i]
                    i += 1
                    if predicate(ev[1], ev[2]):
                        return ev
                remaining = deadline - time.perf_counter()
                if remaining <= 0:
                    raise TimeoutError("no matching event")
                self.cond.wait(remaining)

    def close(self) -> None:
        self.sock.close()


def http_get(port: int, path: str) -> tuple[int, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
        s.sendall(f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
        chunks = []
        while chunk := s.recv(1 << 16):
            chunks.append(chunk)
    data = b"".join(chunks)
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(None, 2)[1]), body


# ------------------------------------------------------------------------------------------------
# The measurement
# ------------------------------------------------------------------------------------------------

def measure(n: int, edits: int, workdir: Path, keep: bool) -> dict:
    root = workdir / f"site-{n}"
    t = time.perf_counter()
    posts = generate_site(root, n)
    gen_s = time.perf_counter() - t
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", "PYTHONUNBUFFERED": "1",
           "PYTHONPATH": str(REPO)}  # this working tree, whatever the installed copy points to
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "contentkit", "serve", "--root", str(root), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    lines: list[str] = []
    ready = threading.Event()
    port = {}

    def pump() -> None:
        for line in proc.stdout:
            lines.append(line)
            m = re.search(r"Preview: http://127\.0\.0\.1:(\d+)/", line)
            if m:
                port["p"] = int(m.group(1))
                ready.set()

    threading.Thread(target=pump, daemon=True).start()
    try:
        if not ready.wait(1800):
            raise RuntimeError("the preview did not start:\n" + "".join(lines))
        startup_s = time.perf_counter() - t
        p = port["p"]
        sse = SSEClient(p)
        sse.wait(0, lambda name, _d: name == "hello")
        rng = random.Random(7)
        samples = []
        for k in range(edits):
            path, url = posts[rng.randrange(len(posts))]
            rel = url.lstrip("/") + "index.html"
            marker = f"Révision numéro {k} du benchmark"
            text = path.read_text(encoding="utf-8")
            text = re.sub(r"\n\nRévision numéro \d+ du benchmark\.\n$", "\n", text)
            new_text = text.rstrip("\n") + f"\n\n{marker}.\n"
            start_index = len(sse.events)
            time.sleep(0.25)  # let the previous rebuild settle: edits are measured one at a time
            cpu0 = _cpu_seconds(proc.pid)
            t0 = time.perf_counter()
            path.write_text(new_text, encoding="utf-8")
            ev_time, name, data = sse.wait(
                start_index, lambda name, d: name == "failed" or (name == "reload" and (d.get("paths") is None
                                                                                         or rel in d["paths"])))
            if name == "failed":
                raise RuntimeError(f"build failed: {data}")
            status, body = http_get(p, url)
            t2 = time.perf_counter()
            if status != 200 or marker.encode() not in body:
                raise RuntimeError(f"{url} does not show the edit (status {status})")
            cpu1 = _cpu_seconds(proc.pid)
            samples.append((ev_time - t0, t2 - t0, (cpu1 - cpu0) if cpu0 is not None and cpu1 is not None else None))
        sse.close()
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
        if not keep:
            shutil.rmtree(root, ignore_errors=True)
    build_ms = [int(m.group(1)) for line in lines if (m := re.search(r"\.md: rebuilt in (\d+) ms", line))]
    total = [s[1] for s in samples]
    events = [s[0] for s in samples]
    cpu = [s[2] for s in samples if s[2] is not None]
    return {"articles": n, "edits": len(samples), "generate_s": round(gen_s, 1), "startup_s": round(startup_s, 1),
            "median_ms": round(statistics.median(total) * 1000), "p90_ms": round(_pct(total, 0.9) * 1000),
            "max_ms": round(max(total) * 1000), "event_median_ms": round(statistics.median(events) * 1000),
            "server_build_median_ms": round(statistics.median(build_ms)) if build_ms else None,
            "server_cpu_median_ms": round(statistics.median(cpu) * 1000) if cpu else None,
            "load_average": round(os.getloadavg()[0], 1), "cpus": os.cpu_count(),
            "target_ms": round(TARGETS.get(n, 1.0) * 1000),
            "ok": statistics.median(total) < TARGETS.get(n, 1.0)}


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far (Linux), to separate work from waiting on a busy machine."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


# ------------------------------------------------------------------------------------------------
# Where the time goes in an incremental build
# ------------------------------------------------------------------------------------------------

def profile_incremental(n: int, workdir: Path, runs: int = 7, top: int = 12) -> tuple[dict, str]:
    """Median time per stage of `build_site` (its own `timings`) for a one-article edit, in-process,
    with the preview's options; plus the top functions of one such rebuild under cProfile."""
    import cProfile
    import io
    import pstats

    from contentkit import build as B
    from contentkit.model import BuildOptions

    root = workdir / f"profile-{n}"
    posts = generate_site(root, n)
    out = root / ".contentkit-cache" / "preview"
    state = B.BuildState()
    kwargs = dict(state=state, base_url="http://127.0.0.1:9/", search=False)
    B.build_site(root, out, BuildOptions(preview=True), **kwargs)
    rng = random.Random(3)
    rows = []

    def edit(k: int) -> None:
        path, _url = posts[rng.randrange(len(posts))]
        path.write_text(path.read_text(encoding="utf-8") + f"\nÉdition {k}.\n", encoding="utf-8")

    try:
        for k in range(runs):
            edit(k)
            t = time.perf_counter()
            c = time.process_time()
            result = B.build_site(root, out, BuildOptions(preview=True), **kwargs)
            cpu = time.process_time() - c
            row = {f"stage: {name}": v for name, v in (getattr(result, "timings", None) or {}).items()}
            row["total"] = time.perf_counter() - t
            row["total CPU time"] = cpu
            row["files rendered"] = result.rendered
            row["files written"] = len(result.report.written)
            rows.append(row)
        edit(runs)
        prof = cProfile.Profile()
        prof.enable()
        B.build_site(root, out, BuildOptions(preview=True), **kwargs)
        prof.disable()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    keys = list(dict.fromkeys(k for r in rows for k in r))
    med = {k: statistics.median(r.get(k, 0.0) for r in rows) for k in keys}
    stages = sum(v for k, v in med.items() if k.startswith("stage: "))  # medians: approximate
    med["outside the stages"] = max(0.0, med["total"] - stages)
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(top)
    return med, buf.getvalue()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--profile", action="store_true", help="also break an incremental build down by stage")
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--keep", action="store_true", help="keep the generated sites")
    args = ap.parse_args()
    if args.edits < 15:
        ap.error("use at least 15 edits for a meaningful median")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="contentkit-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    results = []
    for n in args.sizes:
        print(f"— {n} articles: generating, starting the preview, {args.edits} edits…", flush=True)
        r = measure(n, args.edits, workdir, args.keep)
        results.append(r)
        print(json.dumps(r, ensure_ascii=False), flush=True)
    print()
    print(f"{'articles':>8} {'startup':>8} {'median':>8} {'p90':>7} {'max':>7} {'event':>7} {'build':>7} "
          f"{'cpu':>7} {'load':>5}  target")
    for r in results:
        print(f"{r['articles']:>8} {r['startup_s']:>7.1f}s {r['median_ms']:>6}ms {r['p90_ms']:>5}ms {r['max_ms']:>5}ms "
              f"{r['event_median_ms']:>5}ms {r['server_build_median_ms'] or 0:>5}ms {r['server_cpu_median_ms'] or 0:>5}ms "
              f"{r['load_average']:>5}  <{r['target_ms']}ms {'OK' if r['ok'] else 'MISSED'}")
    print("median/p90/max: write -> reload event -> new HTML served; event: write -> event; build: the server's "
          "own figure; cpu: server CPU time per edit (what the edit costs on an idle machine, minus waits)")
    if args.profile:
        for n in args.sizes:
            med, top = profile_incremental(n, workdir)
            print(f"\nIncremental build of {n} articles after a one-article edit (median of 7 runs, in-process):")
            for k, v in med.items():
                print(f"  {k:<32} {v:8.0f}" if k.startswith("files") else f"  {k:<32} {v * 1000:8.1f} ms")
            print(top)
    if not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(0 if all(r["ok"] for r in results) else 1)


if __name__ == "__main__":
    main()
