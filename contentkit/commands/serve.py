"""`contentkit serve`: live preview with drafts, rebuild on save, reload open tabs."""
from __future__ import annotations

import os
import signal
import sys
import threading

import webbrowser
from pathlib import Path

import click

from ..errors import Problem
from ..serve.server import PortInUse, PreviewServer, is_loopback
from .terminal import console, print_problems, root_option


class RichReporter:
    def __init__(self) -> None:
        self.console = console

    def info(self, text: str) -> None:
        self.console.print(text, markup=False, highlight=False, soft_wrap=True)

    def success(self, text: str) -> None:
        self.console.print(text, style="green", markup=False, highlight=False, soft_wrap=True)

    def warn(self, text: str) -> None:
        self.console.print(text, style="bold red", markup=False, highlight=False, soft_wrap=True)

    def problems(self, problems: list[Problem]) -> None:
        print_problems(problems)


@click.command()
@root_option
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on; when taken, the next free one is used (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Keep 127.0.0.1 unless others must see your drafts.")
@click.option("--strict-port", is_flag=True, help="Fail instead of trying the next ports when --port is taken.")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in the default browser.")
@click.option("--workers", type=int, default=None, help="Worker processes for Markdown (default: CPU count).")
@click.option("--search", is_flag=True,
              help="Also build the search index (re-indexes the whole site on every save: slower).")
@click.option("--verbose", "-v", is_flag=True, help="Show the time of each build stage.")
def serve(root: Path, port: int, host: str, strict_port: bool, open_browser: bool, workers: int | None,
          search: bool, verbose: bool) -> None:
    """Preview the site with drafts and future posts; pages reload as you save."""
    reporter = RichReporter()
    if not (root / "contentkit.yml").is_file() and not (root / "contentkit.yaml").is_file() \
            and not (root / "content").is_dir():
        reporter.warn(f"{root.resolve()} does not look like a contentkit site (no contentkit.yml, no content/).")
        reporter.info("    → run it from your site folder, or pass --root PATH (or create one: contentkit init NAME)")
        sys.exit(2)

    stop = threading.Event()
    interrupted = {"count": 0}

    def on_signal(signum, _frame) -> None:
        # A plain handler instead of KeyboardInterrupt: no traceback, and Markdown worker processes
        # (forked with this handler) are not killed half-way through a build.
        if os.getpid() != main_pid:
            return
        interrupted["count"] += 1
        if interrupted["count"] > 1:
            os._exit(130)  # second Ctrl-C while a long build finishes: leave now
        stop.set()

    main_pid = os.getpid()
    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    server = PreviewServer(root, host, port, port_tries=1 if strict_port else 20, workers=workers,
                           reporter=reporter, search=search, verbose=verbose)
    try:
        try:
            actual = server.bind()
        except PortInUse as exc:
            reporter.warn(f"Cannot start the preview: {exc}.")
            reporter.info(f"    → stop the other server, or choose another port: contentkit serve --port {port + 1}"
                          if strict_port or port == 0 else
                          f"    → ports {exc.first}-{exc.last} are all taken; choose one with --port")
            sys.exit(1)
        except OSError as exc:
            reporter.warn(f"Cannot listen on {host}:{port}: {exc.strerror or exc}.")
            sys.exit(1)
        if port and actual != port:
            reporter.warn(f"Port {port} is in use; using {actual} instead.")
        if not host or not is_loopback(host):
            reporter.warn(f"Listening on {host or 'all interfaces'}: anyone on your network can see drafts.")
        reporter.info("Building the preview (drafts and future posts included)…")
        server.start()
        reporter.info(f"Preview: {server.url}  (watching {len(server.watcher.watched)} folder(s); Ctrl-C to stop)")
        if open_browser:
            webbrowser.open(server.url)
        while not stop.wait(0.5):
            pass
        reporter.info("Stopping…")
    finally:
        server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    reporter.info("Preview stopped.")

