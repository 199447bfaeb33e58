"""The preview server: build with drafts, serve over HTTP, rebuild on change, tell open tabs.

    PreviewServer.start()   bind (next free port if asked), first build, watch, serve in a thread
    rebuild(changed)        build_site(..., state=kept BuildState) -> only changed pages re-rendered
                            -> files in place -> SSE event (reload / css / failed / ok)
    request                 path checked (no `..`, no escape through symlinks, no listing)
                            -> file from the preview folder; HTML gets the client script injected

The preview is built into `<root>/.contentkit-cache/preview/`, never into `site/`. The output folder
is swapped atomically by the build, so files are looked up on every request.
"""
from __future__ import annotations

import errno
import ipaddress
import json
import mimetypes
import os
import queue
import select
import socket
import socketserver
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import unquote

from ..build import BuildState, build_site
from ..config import site_language
from ..errors import BuildFailed, Problem
from ..i18n import catalog
from ..model import BuildOptions
from ..render.env import static_dirs, template_dirs, theme_dir
from . import inject
from .watcher import Watcher

PREVIEW_DIR = Path(".contentkit-cache") / "preview"
ROOT_NAMES = ("contentkit.yml", "contentkit.yaml", "content", "templates", "static", "i18n", "themes")
MAX_RELOAD_PATHS = 2000  # above this, a reload event says "everything" (paths: null)
CLIENT_QUEUE = 64  # events a tab may fall behind before it is dropped (it reconnects and catches up)
REQUEST_TIMEOUT = 20.0  # seconds a client may take to send its request, or to take an event we write
HEARTBEAT = 15.0  # seconds between keep-alive comments on an idle event stream
CLOSED_CHECK = 0.5  # how often an idle event stream looks whether its tab has gone
STOP_TIMEOUT = 10.0  # stop() waits at most this long for each thread it started
_TEXT_TYPES = {".html": "text/html", ".htm": "text/html", ".css": "text/css", ".js": "text/javascript",
               ".mjs": "text/javascript", ".json": "application/json", ".xml": "application/xml",
               ".txt": "text/plain", ".svg": "image/svg+xml", ".webmanifest": "application/manifest+json",
               ".md": "text/plain", ".map": "application/json", ".ics": "text/calendar"}


class PortInUse(OSError):
    def __init__(self, host: str, first: int, last: int):
        self.host, self.first, self.last = host, first, last
        ports = f"{first}" if first == last else f"{first}-{last}"
        super().__init__(errno.EADDRINUSE, f"port {ports} on {host} is already in use")


# ------------------------------------------------------------------------------------------------
# Request paths -> files (the security boundary)
# ------------------------------------------------------------------------------------------------

@dataclass
class Resolved:
    kind: str  # "file" | "redirect" | "notfound" | "bad"
    path: Path | None = None
    location: str = ""


def resolve_request(out_dir: Path, target: str) -> Resolved:
    """Map a raw request target to a file inside `out_dir`, or refuse.

    Refused: anything not starting with "/", `.`/`..` segments (also percent-encoded), backslashes,
    NUL, undecodable bytes, and any path that resolves (symlinks included) outside `out_dir`.
    A folder gives its index.html (never a listing); without one it is not found.
    """
    raw = target.split("#", 1)[0]
    raw_path, _, query = raw.partition("?")
    if not raw_path.startswith("/") or raw_path.startswith("//"):
        return Resolved("bad")
    try:
        decoded = unquote(raw_path, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        return Resolved("bad")
    if "\\" in decoded or "\x00" in decoded or any(ord(c) < 32 for c in decoded):
        return Resolved("bad")
    segments = decoded.split("/")[1:]
    if any(s in (".", "..") for s in segments):
        return Resolved("bad")
    parts = [s for s in segments if s]
    if parts and ":" in parts[0]:  # drive letters, on any platform
        return Resolved("bad")
    base = out_dir.resolve()
    candidate = base.joinpath(*parts)
    try:
        real = candidate.resolve(strict=True)
    except (OSError, RuntimeError):  # missing, or a symlink loop
        return Resolved("notfound")
    if not real.is_relative_to(base):
        return Resolved("notfound")
    if real.is_dir():
        index = real / "index.html"
        try:
            index_real = index.resolve(strict=True)
        except (OSError, RuntimeError):
            return Resolved("notfound")
        if not index_real.is_relative_to(base) or not index_real.is_file():
            return Resolved("notfound")
        if not raw_path.endswith("/"):
            return Resolved("redirect", location=raw_path + "/" + (f"?{query}" if query else ""))
        return Resolved("file", index_real)
    if not real.is_file():
        return Resolved("notfound")
    return Resolved("file", real)


def content_type(path: Path) -> str:
    suffix = path.suffix.lower()
    ctype = _TEXT_TYPES.get(suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if ctype.startswith("text/") or ctype in ("application/json", "application/xml", "image/svg+xml",
                                              "application/manifest+json"):
        ctype += "; charset=utf-8"
    return ctype


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


# ------------------------------------------------------------------------------------------------
# Terminal output
# ------------------------------------------------------------------------------------------------

class Reporter:
    """Where the server tells the author what happens. The CLI passes a rich-based one."""

    def info(self, text: str) -> None:
        print(text, flush=True)

    def success(self, text: str) -> None:
        self.info(text)

    def warn(self, text: str) -> None:
        self.info(text)

    def problems(self, problems: list[Problem]) -> None:
        for p in problems:
            self.info(str(p))


@dataclass
class BuildOutcome:
    ok: bool
    seconds: float
    event: str  # "reload" | "css" | "ok" | "failed"
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rendered: int = 0
    problems: list[Problem] = field(default_factory=list)
    timings: dict = field(default_factory=dict)  # build stage -> seconds (BuildResult.timings)


# ------------------------------------------------------------------------------------------------
# The server
# ------------------------------------------------------------------------------------------------

class _HTTPServer(socketserver.ThreadingMixIn, HTTPServer):
    daemon_threads = False  # server_close() joins request threads: nothing left behind on exit
    block_on_close = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, handler, preview: "PreviewServer"):
        self.preview = preview
        self._open: set[socket.socket] = set()  # connections being handled (closed by stop())
        self._open_lock = threading.Lock()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind calls socket.getfqdn(), a DNS lookup that can take seconds.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), self.server_address[1]

    def process_request_thread(self, request, client_address) -> None:
        with self._open_lock:
            self._open.add(request)
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._open_lock:
                self._open.discard(request)

    def close_connections(self) -> None:
        """Unblock every handler thread (a tab's stream, a client sending half a request)."""
        with self._open_lock:
            connections = list(self._open)
        for conn in connections:
            _shutdown(conn)

    def handle_error(self, request, client_address) -> None:
        # A browser closing a tab, a phone leaving the Wi-Fi: nothing to tell the author, and
        # never a traceback on the terminal. Anything else is a bug: one line, not a traceback.
        exc = sys.exc_info()[1]
        if isinstance(exc, OSError):
            return
        try:
            m = catalog(self.preview.lang)
            self.preview.reporter.warn(m.t("cli.serve.request_failed", error=f"{type(exc).__name__}: {exc}"))
        except Exception:  # noqa: BLE001 - reporting must not fail either
            pass


def _peer_closed(conn: socket.socket) -> bool:
    """Whether the other end of an event stream has gone (a tab sends nothing after its request)."""
    try:
        readable, _, _ = select.select([conn], [], [], 0)
        if not readable:
            return False
        timeout = conn.gettimeout()
        conn.settimeout(0.0)
        try:
            return conn.recv(1, socket.MSG_PEEK) == b""
        finally:
            conn.settimeout(timeout)
    except BlockingIOError:
        return False
    except (OSError, ValueError):
        return True


def _shutdown(conn: socket.socket) -> None:
    try:
        conn.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


class Subscriber:
    """One open event stream (a tab): a bounded queue of messages and the connection they go to.

    A tab that falls `CLIENT_QUEUE` messages behind (it stopped reading, its socket buffer is full)
    is dropped: its connection is shut down, and a browser's EventSource reconnects by itself and
    catches up from `hello`. Broadcasting never waits for a tab.
    """

    def __init__(self, connection: socket.socket | None, size: int):
        self.queue: queue.Queue = queue.Queue(maxsize=size)
        self.connection = connection
        self.dropped = False

    def offer(self, message: str | None) -> bool:
        try:
            self.queue.put_nowait(message)
            return True
        except queue.Full:
            return False

    def drop(self) -> None:
        self.dropped = True
        while True:  # make room for the end marker, whatever the tab did not read
            try:
                self.queue.get_nowait()
            except queue.Empty:
                break
        self.offer(None)
        if self.connection is not None:
            _shutdown(self.connection)


class PreviewServer:
    def __init__(self, root: Path | str = ".", host: str = "127.0.0.1", port: int = 8000, *,
                 port_tries: int = 20, workers: int | None = None,
                 panel_for: Callable[[object], str] | None = inject.default_panel_for,
                 reporter: Reporter | None = None, debounce: float | None = None,
                 output: Path | None = None, options: BuildOptions | None = None, search: bool = False,
                 verbose: bool = False, request_timeout: float = REQUEST_TIMEOUT,
                 client_queue: int = CLIENT_QUEUE, heartbeat: float = HEARTBEAT):
        self.root = Path(root).resolve()
        self.host = host
        self.requested_port = port
        self.port_tries = max(1, port_tries)
        self.workers = workers
        self.panel_for = panel_for
        self.reporter = reporter or Reporter()
        self.output_dir = (output or self.root / PREVIEW_DIR).resolve()
        self.options = options or BuildOptions(preview=True)
        self.verbose = verbose
        self.request_timeout = request_timeout
        self.client_queue = max(2, client_queue)
        self.heartbeat = heartbeat
        self.dropped = 0  # tabs dropped for falling behind
        # The Pagefind index covers the whole site: re-indexing on every save would cost seconds.
        self.overrides = {} if search else {"search": False}
        self.state = BuildState()
        self.generation = 0  # bumped each time a build changes files
        self.builds = 0  # build attempts, successful or not
        self.failed: list[Problem] = []
        self.site = None
        self.lang = site_language(self.root)  # until a build has read the config
        self._documents: dict[str, object] = {}
        self._panels: dict[tuple[str, str], str] = {}  # (source, fingerprint) -> panel HTML
        self._last_failure_key: tuple | None = None
        self._clients: list[Subscriber] = []
        self._lock = threading.RLock()
        self._clients_changed = threading.Condition(self._lock)
        self._build_lock = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()
        self._stopping = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._http_thread: threading.Thread | None = None
        self.watcher = Watcher(self.root, self._on_change, **({"debounce": debounce} if debounce else {}))
        self.port = port

    # Lifecycle -------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        host = self.host
        if host in ("", "0.0.0.0", "::"):
            host = "127.0.0.1" if host != "::" else "[::1]"
        elif ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}/"

    def bind(self) -> int:
        """Bind the HTTP socket, trying the next ports when the requested one is taken."""
        first = self.requested_port
        tries = 1 if first == 0 else self.port_tries
        for port in range(first, first + tries):
            try:
                self._httpd = _HTTPServer((self.host, port), _Handler, self)
            except OSError as exc:
                if exc.errno in (errno.EADDRINUSE, errno.EACCES) and port < first + tries - 1:
                    continue
                if exc.errno == errno.EADDRINUSE:
                    raise PortInUse(self.host, first, port) from None
                raise
            self.port = self._httpd.server_address[1]
            return self.port
        raise PortInUse(self.host, first, first + tries - 1)  # pragma: no cover

    def start(self) -> None:
        """Bind, build once, start watching and serving (in background threads)."""
        if self._httpd is None:
            self.bind()
        self.rebuild(None)
        self.watcher.start()
        self._http_thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.2},
                                             name="contentkit-http", daemon=False)
        self._http_thread.start()

    def stop(self) -> None:
        """Stop watching, close event streams, stop serving; joins every thread it started.

        Open connections (tabs, a client that never finishes its request) are shut down, so the
        request threads end at once instead of waiting for their clients.
        """
        if self._stopping.is_set():
            return
        self._stopping.set()
        self.watcher.stop()
        with self._lock:
            for sub in self._clients:
                if not sub.offer(None):
                    sub.drop()
        if self._httpd is not None:
            if self._http_thread is not None and self._http_thread.is_alive():
                self._httpd.shutdown()
                self._http_thread.join(STOP_TIMEOUT)
            self._httpd.close_connections()
            self._httpd.server_close()  # joins the request threads

    # Building --------------------------------------------------------------------------------
    def _on_change(self, changed: set[Path]) -> None:
        if not self._stopping.is_set():
            self.rebuild(changed)

    def _update_watches(self, since: float) -> None:
        """Watch what the site uses now (a theme or a templates/ folder may have appeared).

        A folder watched from now on may hold files written after the build started and before the
        watch existed: if so, one more rebuild is queued so that no save is ever missed.
        """
        if self.site is None:
            dirs = [self.root / "content", self.root / "templates", self.root / "static"]
        else:
            config = self.site.config
            dirs = [config.content_dir, *template_dirs(config), *static_dirs(config), self.root / "i18n"]
            try:
                dirs.append(theme_dir(config))
            except Exception:  # noqa: BLE001 - a missing theme is reported by the build
                pass
        # A folder inside another watched folder is already covered.
        resolved = sorted({d.resolve() for d in dirs if d.is_dir()}, key=lambda p: len(p.parts))
        kept: list[Path] = []
        for d in resolved:
            if not any(d.is_relative_to(k) for k in kept):
                kept.append(d)
        before = set(self.watcher.watched)
        self.watcher.watch(kept, ROOT_NAMES)
        for d in kept:
            if str(d) in before or not before:
                continue
            for dirpath, _dirs, files in os.walk(d):
                late = [Path(dirpath, f) for f in files if _mtime(Path(dirpath, f)) >= since]
                if late:
                    self.watcher.notify(late[0])
                    return

    def _describe(self, changed: set[Path] | None) -> str:
        messages = catalog(self.lang)
        if not changed:
            return messages.t("cli.serve.first_build_label")
        names = []
        for p in sorted(changed):
            try:
                names.append(p.resolve().relative_to(self.root).as_posix())
            except ValueError:
                names.append(str(p))
        text = ", ".join(names[:3])
        return messages.counted("cli.serve.and_more", len(names) - 3, names=text) if len(names) > 3 else text

    def rebuild(self, changed: set[Path] | None) -> BuildOutcome:
        """One build; then tell the browsers. Never raises for content or template errors."""
        with self._build_lock:
            self._idle.clear()
            started = time.perf_counter()
            wall = time.time() - 0.05
            try:
                result = build_site(self.root, self.output_dir, self.options, use_cache=True,
                                    workers=self.workers, state=self.state, base_url=self.url, **self.overrides)
            except BuildFailed as exc:
                outcome = BuildOutcome(False, time.perf_counter() - started, "failed", problems=exc.problems)
            except Exception as exc:  # noqa: BLE001 - a bug must not kill the preview either
                problem = Problem.of("build-crashed", "contentkit", error=f"{type(exc).__name__}: {exc}")
                outcome = BuildOutcome(False, time.perf_counter() - started, "failed", problems=[problem])
            else:
                written = [w for w in result.report.written if not w.startswith(".contentkit/")]
                removed = list(result.report.removed)
                if not written and not removed:
                    event = "ok"
                elif all(p.endswith(".css") for p in written) and not removed:
                    event = "css"
                else:
                    event = "reload"
                outcome = BuildOutcome(True, result.seconds, event, written, removed, result.rendered,
                                       timings=dict(getattr(result, "timings", None) or {}))
                self._adopt(result.site)
            finally:
                self._idle.set()
            self.builds += 1
            if not self._stopping.is_set():
                self._update_watches(wall)  # before telling anyone, so a save right after is seen
            self._announce(outcome)
            self._report(outcome, changed)
            return outcome

    def _adopt(self, site) -> None:
        documents = {a.output: a for a in site.all_documents}
        with self._lock:
            self.site = site
            self.lang = site.config.language
            self._documents = documents
            if len(self._panels) > 4 * len(documents) + 100:
                self._panels = {}

    def _announce(self, outcome: BuildOutcome) -> None:
        """Send the outcome to every open tab (after the files are in place)."""
        with self._lock:
            if not outcome.ok:
                self.failed = outcome.problems
                self._broadcast("failed", {"problems": inject.problems_payload(outcome.problems)})
                return
            self.failed = []
            changed = outcome.written + outcome.removed
            if changed:
                self.generation += 1
            data: dict = {"build": self.generation}
            if outcome.event == "reload":
                data["paths"] = changed if len(changed) <= MAX_RELOAD_PATHS else None
            elif outcome.event == "css":
                data["paths"] = outcome.written
            self._broadcast(outcome.event, data)

    def _report(self, outcome: BuildOutcome, changed: set[Path] | None) -> None:
        what = self._describe(changed)
        m = catalog(self.lang)
        ms = f"{outcome.seconds * 1000:.0f}"
        if not outcome.ok:
            key = tuple((p.file, p.line, p.message) for p in outcome.problems)
            if key == self._last_failure_key:
                return  # the same error again: already on screen
            self._last_failure_key = key
            self.reporter.problems(outcome.problems)
            self.reporter.warn(m.t("cli.serve.failed", what=what, seconds=m.decimal(outcome.seconds, 2),
                                   errors=m.counted("cli.serve.errors", len(outcome.problems))))
            return
        recovered = self._last_failure_key is not None
        self._last_failure_key = None
        files = {"written": m.counted("cli.serve.written", len(outcome.written)),
                 "removed": m.counted("cli.serve.removed", len(outcome.removed))}
        if changed is None and self.site is not None:
            site = self.site
            unpublished = sum(1 for a in site.all_documents if a.status != "published" or a.is_future)
            self.reporter.success(m.t("cli.serve.first_build", posts=m.counted("cli.serve.posts", len(site.posts)),
                                      unpublished=m.counted("cli.serve.unpublished", unpublished),
                                      pages=m.counted("cli.serve.pages", len(site.pages)), ms=ms, **files))
            return
        self.reporter.success(m.t("cli.serve.fixed" if recovered else "cli.serve.rebuilt", what=what, ms=ms,
                                  action=m.t(f"cli.serve.action.{outcome.event}"), **files))
        if self.verbose and outcome.timings:
            stages = ", ".join(f"{k} {v * 1000:.0f}" for k, v in outcome.timings.items())
            self.reporter.info(m.t("cli.serve.stages", stages=stages,
                                   rendered=m.counted("cli.serve.rendered", outcome.rendered)))

    # Browsers --------------------------------------------------------------------------------
    def _broadcast(self, event: str, data: dict) -> None:
        """Queue a message for every tab; never waits: a tab too far behind is dropped."""
        message = _sse(event, data)
        with self._lock:
            for sub in list(self._clients):
                if not sub.offer(message):
                    self.dropped += 1
                    self._clients.remove(sub)
                    sub.drop()
            self._clients_changed.notify_all()

    def subscribe(self, connection: socket.socket | None = None) -> Subscriber:
        sub = Subscriber(connection, self.client_queue)
        with self._lock:
            sub.offer("retry: 1000\n\n")
            sub.offer(_sse("hello", self.hello()))
            if self._stopping.is_set():
                sub.offer(None)
            self._clients.append(sub)
            self._clients_changed.notify_all()
        return sub

    def unsubscribe(self, sub: Subscriber) -> None:
        with self._lock:
            if sub in self._clients:
                self._clients.remove(sub)
            self._clients_changed.notify_all()

    def wait_subscribers(self, count: int, timeout: float) -> bool:
        """Wait until exactly `count` event streams are open (tests, benchmarks)."""
        with self._clients_changed:
            return self._clients_changed.wait_for(lambda: len(self._clients) == count, timeout)

    def hello(self) -> dict:
        return {"build": self.generation, "failed": bool(self.failed),
                "problems": inject.problems_payload(self.failed)}

    def status(self) -> dict:
        with self._lock:
            return {**self.hello(), "builds": self.builds, "clients": len(self._clients),
                    "url": self.url, "output": str(self.output_dir)}

    def host_allowed(self, header: str | None) -> bool:
        """Refuse other host names when bound to loopback (DNS rebinding would expose drafts)."""
        if not is_loopback(self.host):
            return True
        if not header:
            return False
        name = header.rsplit(":", 1)[0] if not header.endswith("]") else header
        name = name.strip().lower()
        return is_loopback(name) or name.endswith(".localhost") or name == self.host.lower()

    def wait_idle(self, timeout: float) -> None:
        self._idle.wait(timeout)

    def snippet(self, rel: str | None, error_page: bool = False) -> str:
        with self._lock:
            failed = list(self.failed)
            build = self.generation
            lang = self.lang
            article = self._documents.get(rel) if rel else None
        panel = ""
        if article is not None and self.panel_for is not None and not failed:
            key = (getattr(article, "source", ""), getattr(article, "fingerprint", ""))
            panel = self._panels.get(key, "")
            if not panel:
                try:
                    panel = self.panel_for(article) or ""
                except Exception as exc:  # noqa: BLE001 - the panel never breaks the page
                    panel = inject.failed_panel_html(exc, lang)
                self._panels[key] = panel
        return inject.client_snippet(build, lang, failed_problems=failed, error_page=error_page, panel=panel)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _sse(event: str, data: dict) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


class _Handler(BaseHTTPRequestHandler):
    server_version = "contentkit-preview"
    sys_version = ""
    protocol_version = "HTTP/1.0"
    timeout = REQUEST_TIMEOUT  # per request from the server's request_timeout (setup)

    server: _HTTPServer

    def setup(self) -> None:
        self.timeout = self.server.preview.request_timeout  # a half-sent request, a tab that never reads
        super().setup()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - quiet: the terminal is for builds
        pass

    def do_GET(self) -> None:  # noqa: N802
        self._handle(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._handle(head=True)

    # ------------------------------------------------------------------------------------------
    def _send(self, status: int, body: bytes, ctype: str, head: bool, extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _handle(self, head: bool) -> None:
        preview = self.server.preview
        try:
            if not preview.host_allowed(self.headers.get("Host")):
                self._send(403, b"Forbidden host\n", "text/plain; charset=utf-8", head)
                return
            path = self.path.split("?", 1)[0].split("#", 1)[0]
            if path == inject.EVENTS_PATH and not head:
                self._events()
                return
            if path == inject.STATUS_PATH:
                self._send(200, json.dumps(preview.status()).encode(), "application/json", head)
                return
            res = resolve_request(preview.output_dir, self.path)
            if res.kind == "notfound" and not preview._idle.is_set():
                preview.wait_idle(30)  # the output folder is being swapped: look again afterwards
                res = resolve_request(preview.output_dir, self.path)
            if res.kind == "bad":
                self._send(400, b"Bad request\n", "text/plain; charset=utf-8", head)
            elif res.kind == "redirect":
                self._send(301, b"", "text/plain; charset=utf-8", head, {"Location": res.location})
            elif res.kind == "file":
                self._file(res.path, head)
            else:
                self._not_found(head)
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            pass

    def _file(self, path: Path, head: bool, status: int = 200) -> None:
        preview = self.server.preview
        try:
            data = path.read_bytes()
        except OSError:
            self._not_found(head)
            return
        if path.suffix.lower() in (".html", ".htm"):
            try:
                rel = path.relative_to(preview.output_dir.resolve()).as_posix()
            except ValueError:
                rel = None
            data = inject.inject(data, preview.snippet(rel))
        self._send(status, data, content_type(path), head)

    def _not_found(self, head: bool) -> None:
        preview = self.server.preview
        page = preview.output_dir / "404.html"
        if preview.failed and not page.is_file():
            body = inject.error_page(preview.failed, preview.generation, preview.lang)
            self._send(500, body, "text/html; charset=utf-8", head)
            return
        if page.is_file() and page.resolve().is_relative_to(preview.output_dir.resolve()):
            self._file(page.resolve(), head, status=404)
            return
        body = inject.inject(b"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>404</title></head>"
                             b"<body><h1>404</h1></body></html>", preview.snippet(None))
        self._send(404, body, "text/html; charset=utf-8", head)

    def _events(self) -> None:
        preview = self.server.preview
        sub = preview.subscribe(self.connection)
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Accel-Buffering", "no")
            self.end_headers()
            self.wfile.flush()
            last_write = time.monotonic()
            while not sub.dropped:
                try:
                    message = sub.queue.get(timeout=min(preview.heartbeat, CLOSED_CHECK))
                except queue.Empty:
                    if _peer_closed(self.connection):
                        break  # the tab was closed: let go of it now, not at the next write
                    if time.monotonic() - last_write < preview.heartbeat:
                        continue
                    message = ": keep-alive\n\n"
                if message is None:
                    break
                self.wfile.write(message.encode("utf-8"))  # times out (request_timeout) if never read
                self.wfile.flush()
                last_write = time.monotonic()
        except OSError:  # closed tab, reset, write timeout, dropped for falling behind
            pass
        finally:
            preview.unsubscribe(sub)
            self.close_connection = True
