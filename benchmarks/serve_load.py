"""The preview under load: open tabs, static requests and saves at once (issue 17).

    python3 benchmarks/serve_load.py                       # 50 tabs, 2,000 requests over 10 s, 20 saves
    python3 benchmarks/serve_load.py --tabs 20 --requests 500 --saves 5

Everything runs in this process on loopback: a `PreviewServer` on a free port, `tabs` Server-Sent
Events clients read by one selector thread, `requests` static GETs paced over `duration` seconds
from a thread pool, and an author who saves a post `saves` times (an atomic rename, as editors do),
each save once the previous one's reload has reached the tabs. Hostile clients ride along: a tab
closed mid-stream, a tab that never reads, a client that sends half a request line and waits.

Prints: requests made and failed, reloads delivered / expected, p50/p99 of static requests and of
save -> event, RSS before/after, thread counts. `tests/test_serve_load.py` asserts on the same run.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import selectors
import socket
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from contentkit.serve.server import PreviewServer, Reporter  # noqa: E402

TIMEOUT = 60.0  # the bound of every wait; each ends as soon as its condition holds


# ------------------------------------------------------------------------------------------------
# The site
# ------------------------------------------------------------------------------------------------

def post_text(i: int, version: int = 0) -> str:
    return (f"---\ntitle: \"Article numéro {i}\"\nslug: post-{i}\ndate: 2024-03-{i % 27 + 1:02d} 09:00\n"
            f"authors: [claire]\ntags: [data, cloud]\ncategory: Data\n"
            f"summary: \"Un résumé court pour l’article {i}.\"\n---\n"
            f"Premier paragraphe de l’article {i}, version {version}.\n\n## Une section\n\n"
            + "Un paragraphe de texte pour donner du corps à la page. " * 20 + "\n")


def write_site(root: Path, posts: int = 20) -> Path:
    root = Path(root)
    (root / "content/posts/2024").mkdir(parents=True, exist_ok=True)
    (root / "content/authors").mkdir(parents=True, exist_ok=True)
    (root / "static/theme").mkdir(parents=True, exist_ok=True)
    (root / "contentkit.yml").write_text("title: Carnet de charge\nbase_url: https://blog.example.com/\n"
                                         "language: fr\ntimezone: Europe/Paris\nper_page: 10\n", encoding="utf-8")
    (root / "content/authors/claire.yml").write_text("name: Claire Morvan\nrole: staff\n", encoding="utf-8")
    (root / "static/theme/extra.css").write_text("body { color: rgb(10, 20, 30); }\n", encoding="utf-8")
    for i in range(posts):
        (root / f"content/posts/2024/post-{i}.md").write_text(post_text(i), encoding="utf-8")
    return root


def save(root: Path, i: int, version: int) -> None:
    """What most editors do: write a temporary file, rename it over the post."""
    target = root / f"content/posts/2024/post-{i}.md"
    tmp = target.with_name(f".post-{i}.md.tmp-{version}")
    tmp.write_text(post_text(i, version), encoding="utf-8")
    os.replace(tmp, target)


# ------------------------------------------------------------------------------------------------
# Measures
# ------------------------------------------------------------------------------------------------

def rss_mb() -> float:
    """This process's resident memory (Linux /proc; 0 elsewhere)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


class QuietReporter(Reporter):
    def __init__(self) -> None:
        self.lines: list[str] = []

    def info(self, text: str) -> None:
        self.lines.append(text)


# ------------------------------------------------------------------------------------------------
# Tabs: many SSE streams, one reader thread
# ------------------------------------------------------------------------------------------------

@dataclass
class Tab:
    sock: socket.socket
    buffer: bytes = b""
    headers_done: bool = False
    events: list[tuple[str, dict, float]] = field(default_factory=list)  # (name, data, arrival)
    closed: bool = False


def open_stream(port: int, timeout: float = TIMEOUT) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    sock.sendall(b"GET /__contentkit/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
    return sock


class Tabs:
    """`n` event streams read by one thread; `wait(pred)` blocks until pred(tabs) holds."""

    def __init__(self, port: int, n: int):
        self.tabs = [Tab(open_stream(port)) for _ in range(n)]
        self.selector = selectors.DefaultSelector()
        for tab in self.tabs:
            tab.sock.setblocking(False)
            self.selector.register(tab.sock, selectors.EVENT_READ, tab)
        self.cond = threading.Condition()
        self._stop = False
        self.thread = threading.Thread(target=self._run, name="load-tabs", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self._stop:
            for key, _ in self.selector.select(timeout=0.2):
                tab: Tab = key.data
                try:
                    chunk = tab.sock.recv(65536)
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError:
                    chunk = b""
                now = time.perf_counter()
                with self.cond:
                    if not chunk:
                        tab.closed = True
                        self.selector.unregister(tab.sock)
                    else:
                        self._parse(tab, chunk, now)
                    self.cond.notify_all()

    @staticmethod
    def _parse(tab: Tab, chunk: bytes, now: float) -> None:
        tab.buffer += chunk
        if not tab.headers_done:
            head, sep, rest = tab.buffer.partition(b"\r\n\r\n")
            if not sep:
                return
            tab.headers_done, tab.buffer = True, rest
        while b"\n\n" in tab.buffer:
            block, tab.buffer = tab.buffer.split(b"\n\n", 1)
            name, data = "message", []
            for line in block.decode("utf-8").split("\n"):
                if line.startswith("event:"):
                    name = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].strip())
            if data:
                tab.events.append((name, json.loads("\n".join(data)), now))

    def wait(self, predicate, timeout: float = TIMEOUT) -> bool:
        with self.cond:
            return self.cond.wait_for(lambda: predicate(self.tabs), timeout)

    def close(self) -> None:
        self._stop = True
        self.thread.join(TIMEOUT)
        for tab in self.tabs:
            try:
                tab.sock.close()
            except OSError:
                pass


def count(tab: Tab, name: str) -> int:
    return sum(1 for n, _, _ in tab.events if n == name)


# ------------------------------------------------------------------------------------------------
# Static requests
# ------------------------------------------------------------------------------------------------

@dataclass
class Fetch:
    path: str
    status: int = 0
    complete: bool = False
    seconds: float = 0.0
    error: str = ""


def fetch(port: int, path: str) -> Fetch:
    result = Fetch(path)
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        conn.request("GET", path, headers={"Host": f"127.0.0.1:{port}"})
        response = conn.getresponse()
        body = response.read()
        result.status = response.status
        length = response.getheader("Content-Length")
        result.complete = length is not None and int(length) == len(body) and (
            not path.endswith("/") or body.rstrip().endswith(b"</html>"))
    except Exception as exc:  # noqa: BLE001 - a failed request is what is being counted
        result.error = f"{type(exc).__name__}: {exc}"
    finally:
        conn.close()
    result.seconds = time.perf_counter() - started
    return result


# ------------------------------------------------------------------------------------------------
# Hostile clients
# ------------------------------------------------------------------------------------------------

def hostile_clients(port: int) -> dict[str, socket.socket]:
    """A tab that never reads (small receive buffer), half a request line, a tab closed mid-stream."""
    never_reads = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    never_reads.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    never_reads.settimeout(TIMEOUT)
    never_reads.connect(("127.0.0.1", port))
    never_reads.sendall(b"GET /__contentkit/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    slowloris = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
    slowloris.sendall(b"GET /2024/post-1/ HT")
    vanished = open_stream(port)
    vanished.recv(64)  # the stream has started...
    vanished.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    vanished.close()  # ...and the tab is closed without reading the rest (a reset)
    return {"never_reads": never_reads, "slowloris": slowloris}


# ------------------------------------------------------------------------------------------------
# The run
# ------------------------------------------------------------------------------------------------

def run(root: Path, *, tabs: int = 50, requests: int = 2000, duration: float = 10.0, saves: int = 20,
        pool: int = 8, posts: int = 20, hostile: bool = True, debounce: float = 0.1,
        request_timeout: float = 20.0) -> dict:
    """Serve `root` (a site written by write_site) under load; return the figures."""
    root = Path(root)
    baseline_threads = threading.active_count()
    reporter = QuietReporter()
    srv = PreviewServer(root, port=0, reporter=reporter, workers=1, debounce=debounce,
                        request_timeout=request_timeout)
    srv.start()
    stopped_in = None
    figures: dict = {}
    try:
        paths = ["/", "/theme/extra.css", "/atom.xml", "/sitemap.xml"] + [f"/2024/post-{i}/" for i in range(posts)]
        for p in paths:  # warm up: every page served once (panels, file cache)
            fetch(srv.port, p)
        evil = hostile_clients(srv.port) if hostile else {}
        group = Tabs(srv.port, tabs)
        assert group.wait(lambda ts: all(count(t, "hello") == 1 for t in ts)), "tabs did not all connect"
        # the vanished tab has left by now, or leaves at the first event written to it
        rss_before = rss_mb()
        threads_during = threading.active_count()
        gen0 = srv.generation
        save_times: list[float] = []
        saved_pages: list[str] = []
        fetches: list[Fetch] = []
        t0 = time.perf_counter()

        def paced(i: int) -> Fetch:
            delay = t0 + i * duration / requests - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            return fetch(srv.port, paths[i % len(paths)])

        with ThreadPoolExecutor(max_workers=pool, thread_name_prefix="load-get") as executor:
            futures = [executor.submit(paced, i) for i in range(requests)]
            for n in range(saves):
                next_at = t0 + (n + 1) * duration / (saves + 1)
                delay = next_at - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)  # pacing only: spreads the saves over the requests
                post = n % posts
                saved_pages.append(f"2024/post-{post}/index.html")
                save_times.append(time.perf_counter())
                save(root, post, n + 1)
                # the next save once this one's reload reached every tab: one save, one rebuild
                if not group.wait(lambda ts, k=n + 1: all(count(t, "reload") >= k for t in ts)):
                    break
            fetches = [f.result() for f in futures]
        elapsed = time.perf_counter() - t0
        group.wait(lambda ts: all(count(t, "reload") >= saves for t in ts), timeout=5)
        rss_after = rss_mb()

        # reloads: per tab, the n-th reload is the n-th save's, and names the saved page
        expected = tabs * saves
        delivered = concerned = 0
        latencies: list[float] = []
        for tab in group.tabs:
            reloads = [(d, at) for n, d, at in tab.events if n == "reload"]
            delivered += len(reloads)
            for n, (data, at) in enumerate(reloads[:saves]):
                if data.get("paths") is None or saved_pages[n] in data["paths"]:
                    concerned += 1
                latencies.append(at - save_times[n])
        builds = [[d["build"] for n, d, _ in tab.events if n == "reload"] for tab in group.tabs]
        static = [f.seconds for f in fetches]
        failed = [f for f in fetches if f.status != 200 or not f.complete]
        dropped_before_stop = srv.dropped
        group_events = [len(t.events) for t in group.tabs]

        # leaving: the tabs go, the subscriber set empties
        group.close()
        for sock in evil.values():
            sock.close()
        subscribers_empty = srv.wait_subscribers(0, TIMEOUT)
        figures.update(
            requests=len(fetches), failed=len(failed), failures=[(f.path, f.status, f.error) for f in failed[:5]],
            statuses=sorted({f.status for f in fetches}), elapsed=elapsed,
            reloads_delivered=delivered, reloads_expected=expected, reloads_concerned=concerned,
            builds_seen=builds, generations=srv.generation - gen0, saves=len(save_times),
            static_p50_ms=percentile(static, 0.5) * 1000, static_p99_ms=percentile(static, 0.99) * 1000,
            event_p50_ms=percentile(latencies, 0.5) * 1000, event_p99_ms=percentile(latencies, 0.99) * 1000,
            rss_before_mb=rss_before, rss_after_mb=rss_after, threads_baseline=baseline_threads,
            threads_during=threads_during, subscribers_empty=subscribers_empty,
            dropped=dropped_before_stop, tab_events=group_events)
    finally:
        started = time.perf_counter()
        srv.stop()
        stopped_in = time.perf_counter() - started
    figures["stop_seconds"] = stopped_in
    figures["threads_after"] = threading.active_count()
    figures["terminal"] = list(reporter.lines)
    return figures


def run_with_clients_connected(root: Path, tabs: int = 10) -> dict:
    """stop() while tabs, a silent tab and a half-sent request are still connected."""
    baseline = threading.active_count()
    srv = PreviewServer(root, port=0, reporter=QuietReporter(), workers=1)
    srv.start()
    evil = hostile_clients(srv.port)
    group = Tabs(srv.port, tabs)
    group.wait(lambda ts: all(count(t, "hello") == 1 for t in ts))
    started = time.perf_counter()
    srv.stop()
    seconds = time.perf_counter() - started
    closed = group.wait(lambda ts: all(t.closed for t in ts), timeout=TIMEOUT)
    group.close()
    for sock in evil.values():
        sock.close()
    return {"stop_seconds": seconds, "tabs_closed": closed, "threads_baseline": baseline,
            "threads_after": threading.active_count()}


def report(f: dict) -> str:
    return "\n".join([
        f"requests: {f['requests']} in {f['elapsed']:.1f} s, failed {f['failed']} (statuses {f['statuses']})",
        f"reloads delivered / expected: {f['reloads_delivered']} / {f['reloads_expected']} "
        f"(naming the saved page or the whole site: {f['reloads_concerned']}); rebuilds {f['generations']}",
        f"static requests: p50 {f['static_p50_ms']:.1f} ms, p99 {f['static_p99_ms']:.1f} ms",
        f"save -> event at the tab: p50 {f['event_p50_ms']:.0f} ms, p99 {f['event_p99_ms']:.0f} ms",
        f"RSS: {f['rss_before_mb']:.1f} MB before, {f['rss_after_mb']:.1f} MB after "
        f"({f['rss_after_mb'] - f['rss_before_mb']:+.1f} MB)",
        f"threads: {f['threads_baseline']} before the server, {f['threads_during']} with the tabs open, "
        f"{f['threads_after']} after stop(); stop() took {f['stop_seconds'] * 1000:.0f} ms; "
        f"tabs dropped for falling behind: {f['dropped']}"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tabs", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--saves", type=int, default=20)
    parser.add_argument("--posts", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = write_site(Path(tmp) / "site", args.posts)
        figures = run(root, tabs=args.tabs, requests=args.requests, duration=args.duration, saves=args.saves,
                      posts=args.posts)
        print(report(figures))
        stop = run_with_clients_connected(root)
        print(f"stop() with 10 tabs, a silent tab and a half-sent request connected: "
              f"{stop['stop_seconds'] * 1000:.0f} ms; threads {stop['threads_baseline']} -> {stop['threads_after']}")


if __name__ == "__main__":
    main()
