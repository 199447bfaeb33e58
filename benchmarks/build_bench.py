#!/usr/bin/env python3
"""contentkit vs Pelican vs Hugo on the same generated French corpus: cold, warm, one post changed.

    python3 benchmarks/build_bench.py             # 1,000 and 5,000 posts, median of 3 runs
    python3 benchmarks/build_bench.py --quick     # 1,000 posts, 1 run (smoke test)
    python3 benchmarks/build_bench.py --posts 5000 --runs 5 --search

Each tool builds the same posts (benchmarks/corpus.py): post pages, home paginated by 10, one page
per tag, one feed. contentkit runs twice: `contentkit` with its default theme, which does more
(feeds per tag, category and author, category/author/year pages, JSON-LD, related posts, sitemap),
and `contentkit-equivalent` with the peers' page set (`disable_kinds`, `paginate_terms: false`) and
equally minimal site templates. The file counts are printed.

Where the work folder is matters: on some virtual disks, creating thousands of files right after
deleting thousands (every cold run does) costs several seconds of system time, more for the tool
that writes more files. `--work /dev/shm/contentkit-bench` (tmpfs) measures the tools without it;
the header says which file system was used.
Pelican 4 runs from a throwaway virtualenv (created on first use in the work folder), Hugo if the
`hugo` binary is installed.

Scenarios, each timed as a fresh command (interpreter start-up included):
  cold     no output folder, no cache
  warm     the previous build's output and cache, nothing changed
           (Pelican: CACHE_CONTENT + LOAD_CONTENT_CACHE on; Hugo has no persistent cache)
  1 post   one post edited (a sentence appended; a different post each run), then rebuilt
Runs alternate between tools (A B C, B C A, ...) and the median of the runs is reported. Memory: peak
RSS of the largest process (wait4) and peak PSS summed over the process tree (sampled every 20 ms,
counts the worker processes of contentkit; shared pages are not counted twice).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402

REPO = HERE.parent


# ---------------------------------------------------------------------------- process measurement
def _children(pid: int) -> list[int]:
    """Child processes of `pid`: its threads' `children` lists (cheap), else a scan of /proc."""
    try:
        out = []
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                out.extend(int(c) for c in fh.read().split())
        return out
    except FileNotFoundError:
        if not os.path.exists("/proc/self/task/%d/children" % os.getpid()):
            return _children_by_scan(pid)
        return []  # the process has just exited
    except (OSError, ValueError):
        return []


def _children_by_scan(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if ppid == pid:
                out.append(int(entry))
    return out


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_measured(cmd: list[str], cwd: Path, env: dict | None = None) -> dict:
    """Wall time, exit status, peak RSS (largest process) and sampled peak PSS of the process tree."""
    peak = {"pss": 0}
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            tree, todo = [], [proc.pid]
            while todo:
                pid = todo.pop()
                tree.append(pid)
                todo.extend(_children(pid))
            peak["pss"] = max(peak["pss"], sum(_pss_kb(p) for p in tree))
            # Reading PSS costs the kernel a walk of every page table: sampling every 20 ms took
            # ~18% of a 2-core machine from a tool that keeps both cores busy. Fast at first (the
            # short runs), then every 200 ms (long runs: memory grows over seconds, not ms).
            done.wait(0.02 if time.perf_counter() - started < 1.5 else 0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{stderr.decode(errors='replace')[-3000:]}")
    return {"seconds": seconds, "rss_mb": usage.ru_maxrss / 1024, "pss_mb": peak["pss"] / 1024,
            "user": usage.ru_utime, "sys": usage.ru_stime}


def count_files(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder))


# ------------------------------------------------------------------------------------------ tools
class Tool:
    name = ""

    def __init__(self, root: Path):
        self.root = root

    def clean(self) -> None: ...
    def cold(self) -> dict: ...
    def warm(self) -> dict: ...
    def output(self) -> Path: ...

    def _rm(self, *paths: Path) -> None:
        for p in paths:
            if p.is_dir():
                shutil.rmtree(p)


class Contentkit(Tool):
    name = "contentkit"

    def __init__(self, root: Path, search: bool = False, name: str | None = None):
        super().__init__(root)
        self.name = name or self.name
        self.search = search
        if search:
            self.name = "contentkit+search"
            cfg = root / "contentkit.yml"
            cfg.write_text(cfg.read_text().replace("search: false", "search: true"), encoding="utf-8")

    def output(self) -> Path:
        return self.root / "site"

    def clean(self) -> None:
        self._rm(self.output(), self.root / ".contentkit-cache")

    def _build(self, *extra: str) -> dict:
        # The contentkit of this checkout, whatever is installed in the environment.
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
        return run_measured([sys.executable, "-m", "contentkit", "build", "--quiet", "--root", str(self.root),
                             "--output", str(self.output()), *extra], cwd=self.root, env=env)

    def cold(self) -> dict:
        self.clean()
        return self._build()

    def warm(self) -> dict:
        return self._build()


class Pelican(Tool):
    name = "pelican"

    def __init__(self, root: Path, venv: Path):
        super().__init__(root)
        self.exe = venv / "bin" / "pelican"

    def output(self) -> Path:
        return self.root / "output"

    def clean(self) -> None:
        self._rm(self.output(), self.root / "cache", self.root / "__pycache__")

    def _build(self, cached: bool) -> dict:
        cmd = [str(self.exe), "-q", "-s", "pelicanconf.py", "content", "-o", str(self.output())]
        if cached:
            cmd += ["-e", "CACHE_CONTENT=true", "LOAD_CONTENT_CACHE=true"]
        return run_measured(cmd, cwd=self.root)

    def cold(self) -> dict:
        self.clean()
        return self._build(cached=False)

    def warm(self) -> dict:
        return self._build(cached=True)


class Hugo(Tool):
    name = "hugo"

    def output(self) -> Path:
        return self.root / "public"

    def clean(self) -> None:
        self._rm(self.output(), self.root / "resources")

    def _build(self) -> dict:
        return run_measured(["hugo", "--quiet", "-s", str(self.root), "-d", str(self.output())], cwd=self.root)

    def cold(self) -> dict:
        self.clean()
        return self._build()

    def warm(self) -> dict:
        return self._build()


def pelican_venv(work: Path) -> Path | None:
    venv = work / "pelican-venv"
    if (venv / "bin" / "pelican").exists():
        return venv
    print(f"Installing Pelican in a throwaway virtualenv ({venv})…", flush=True)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "pelican", "markdown"], check=True,
                       stdout=subprocess.DEVNULL)
    except (subprocess.CalledProcessError, OSError) as exc:
        print(f"  Pelican unavailable: {exc}")
        return None
    return venv


def tool_version(tool: Tool) -> str:
    try:
        if isinstance(tool, Pelican):
            return subprocess.run([str(tool.exe), "--version"], capture_output=True, text=True).stdout.strip()
        if isinstance(tool, Hugo):
            return subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.split()[1]
        out = subprocess.run([sys.executable, "-c", "import contentkit; print(contentkit.__version__)"],
                             capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
        commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True).stdout.strip()
        return f"{out.stdout.strip()}@{commit}" if commit else out.stdout.strip()
    except Exception:  # noqa: BLE001
        return "?"


# -------------------------------------------------------------------------------------- scenarios
def edit_post(tool: Tool, layout: str, post: corpus.Post, run: int) -> None:
    path = corpus.post_path(layout, tool.root, post)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(f"\nUne phrase ajoutée pour la mesure numéro {run}, « sans autre effet ».\n")


def bench_size(posts_n: int, runs: int, work: Path, use_pelican: bool, use_hugo: bool, search: bool,
               seed: int) -> dict:
    corpus_dir = work / f"corpus-{posts_n}-{seed}"
    if corpus_dir.exists():
        shutil.rmtree(corpus_dir)  # always from scratch: no leftover cache, edits or outputs
    t0 = time.perf_counter()
    posts = corpus.generate(corpus_dir, posts_n, seed)
    words = sorted(len(p.body.split()) for p in posts)
    print(f"\n== {posts_n} posts ({sum(words):,} words, median {words[len(words) // 2]}) generated in "
          f"{time.perf_counter() - t0:.1f} s", flush=True)
    tools: list[tuple[Tool, str]] = [
        (Contentkit(corpus_dir / "contentkit"), "contentkit"),
        (Contentkit(corpus_dir / "contentkit-equivalent", name="contentkit-equivalent"), "contentkit-equivalent")]
    if search:
        shutil.copytree(corpus_dir / "contentkit", corpus_dir / "contentkit-search")
        tools.append((Contentkit(corpus_dir / "contentkit-search", search=True), "contentkit"))
    if use_pelican:
        venv = pelican_venv(work)
        if venv:
            tools.append((Pelican(corpus_dir / "pelican", venv), "pelican"))
    if use_hugo and shutil.which("hugo"):
        tools.append((Hugo(corpus_dir / "hugo"), "hugo"))
    results: dict[str, dict] = {t.name: {"cold": [], "warm": [], "one_post": [], "version": tool_version(t)}
                                for t, _ in tools}

    def rotation(r: int):
        k = r % len(tools)
        return tools[k:] + tools[:k]

    for r in range(runs):
        for tool, _ in rotation(r):
            m = tool.cold()
            results[tool.name]["cold"].append(m)
            results[tool.name]["files"] = count_files(tool.output())
            print(f"  cold    {tool.name:18s} {m['seconds']:7.2f} s  {m['rss_mb']:6.0f} MB", flush=True)
    for tool, _ in tools:
        tool.warm()  # prime caches (Pelican's content cache is written by a cached run)
    for r in range(runs):
        for tool, _ in rotation(r):
            m = tool.warm()
            results[tool.name]["warm"].append(m)
            print(f"  warm    {tool.name:18s} {m['seconds']:7.2f} s  {m['rss_mb']:6.0f} MB", flush=True)
    for r in range(runs):
        post = posts[(r * 7919 + 11) % len(posts)]
        for tool, layout in rotation(r):
            edit_post(tool, layout, post, r)
            m = tool.warm()
            results[tool.name]["one_post"].append(m)
            print(f"  1 post  {tool.name:18s} {m['seconds']:7.2f} s  {m['rss_mb']:6.0f} MB", flush=True)
    return {"posts": posts_n, "words": sum(words), "tools": results}


def med(ms: list[dict], key: str = "seconds") -> float | None:
    return statistics.median(m[key] for m in ms) if ms else None


def print_table(size: dict) -> str:
    tools = size["tools"]
    pel = tools.get("pelican")
    lines = [f"\n{size['posts']:,} posts ({size['words']:,} words)",
             f"{'tool':20s} {'files':>6s} {'cold s':>8s} {'(CPU s)':>8s} {'warm s':>8s} {'1 post s':>9s} "
             f"{'peak RSS MB':>12s} {'peak PSS MB':>12s}   ratios to Pelican (cold / warm / 1 post)"]
    for name, r in tools.items():
        cold, warm, one = med(r["cold"]), med(r["warm"]), med(r["one_post"])
        cpu = statistics.median(m["user"] + m["sys"] for m in r["cold"])
        rss = max(m["rss_mb"] for m in r["cold"] + r["warm"] + r["one_post"])
        pss = max(m["pss_mb"] for m in r["cold"] + r["warm"] + r["one_post"])
        ratios = ""
        if pel and name != "pelican":
            ratios = " / ".join(f"{a / b:.2f}×" for a, b in ((cold, med(pel["cold"])), (warm, med(pel["warm"])),
                                                              (one, med(pel["one_post"]))))
        lines.append(f"{name + ' ' + str(r['version']):20.20s} {r.get('files', 0):6d} {cold:8.2f} {cpu:8.1f} "
                     f"{warm:8.2f} {one:9.2f} {rss:12.0f} {pss:12.0f}   {ratios}")
    for name in ("contentkit", "contentkit-equivalent"):
        ck = tools.get(name)
        if not pel or not ck:
            continue
        lines.append(f"targets, {name}: cold ≤ 0.4× Pelican cold ({med(ck['cold']) / med(pel['cold']):.2f}×), warm ≤ 0.1× "
                     f"Pelican cold ({med(ck['warm']) / med(pel['cold']):.2f}×), 1 post < 1.5 s "
                     f"({med(ck['one_post']):.2f} s), peak memory < 400 MB (RSS {max(m['rss_mb'] for m in ck['cold']):.0f}, "
                     f"PSS {max(m['pss_mb'] for m in ck['cold']):.0f})")
    return "\n".join(lines)


def cpu_probe() -> float:
    """Seconds of CPU for a fixed pure-Python loop: this VM's per-core speed varies by ±25% over
    minutes, so the table says how fast the machine was at the start and at the end."""
    started = time.process_time()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.process_time() - started


def fs_type(path: Path) -> str:
    """The file system holding `path` (from /proc/mounts: the longest mount point above it)."""
    best, kind = "", "?"
    where = str(path.resolve()).rstrip("/") + "/"  # a mount point holds itself
    try:
        with open("/proc/mounts") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) > 2 and where.startswith(parts[1].rstrip("/") + "/") \
                        and len(parts[1]) > len(best):
                    best, kind = parts[1], parts[2]
    except OSError:
        pass
    return kind


def machine(work: Path) -> str:
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(line.split(":", 1)[1].strip() for line in fh if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as fh:
            mem = f", {int(fh.readline().split()[1]) / 1024 / 1024:.0f} GB RAM"
    except OSError:
        pass
    load = os.getloadavg()
    return (f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {platform.node()}, {cpu}, {os.cpu_count()} CPUs{mem}, "
            f"work folder on {fs_type(work)}, "
            f"Python {platform.python_version()}, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}, "
            f"10M-iteration Python loop {cpu_probe():.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1,000 posts, 1 run")
    parser.add_argument("--posts", type=int, action="append", help="corpus size (repeatable; default 1000 and 5000)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "contentkit-bench")
    parser.add_argument("--no-pelican", action="store_true")
    parser.add_argument("--no-hugo", action="store_true")
    parser.add_argument("--search", action="store_true", help="also time contentkit with the Pagefind index")
    parser.add_argument("--json", type=Path, help="write the raw measurements here")
    parser.add_argument("--table", type=Path, help="only print the table of a --json file")
    args = parser.parse_args()
    if args.table:
        saved = json.loads(args.table.read_text())
        print(saved["machine"] + f"\nmedian of {saved['runs']} run(s); times include interpreter/process start-up")
        for size in saved["results"]:
            print(print_table(size))
        return
    sizes = [1000] if args.quick else (args.posts or [1000, 5000])
    runs = 1 if args.quick else args.runs
    args.work.mkdir(parents=True, exist_ok=True)
    header = machine(args.work)
    print(header)
    results = [bench_size(n, runs, args.work, not args.no_pelican, not args.no_hugo, args.search, args.seed)
               for n in sizes]
    header += (f"; at the end: load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}, "
               f"loop {cpu_probe():.2f} s")
    print("\n" + header + f"\nmedian of {runs} run(s); times include interpreter/process start-up")
    for size in results:
        print(print_table(size))
    if args.json:
        args.json.write_text(json.dumps({"machine": header, "runs": runs, "results": results}, indent=1))


if __name__ == "__main__":
    main()
