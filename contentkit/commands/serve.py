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
from ..i18n import Catalog
from ..serve.server import PortInUse, PreviewServer, is_loopback
from .terminal import (LocalizedCommand, console, help_text, messages_for, print_problems,
                       require_site, root_option)


class RichReporter:
    def __init__(self, messages: Catalog) -> None:
        self.console = console
        self.messages = messages

    def info(self, text: str) -> None:
        self.console.print(text, markup=False, highlight=False, soft_wrap=True)

    def success(self, text: str) -> None:
        self.console.print(text, style="green", markup=False, highlight=False, soft_wrap=True)

    def warn(self, text: str) -> None:
        self.console.print(text, style="bold red", markup=False, highlight=False, soft_wrap=True)

    def problems(self, problems: list[Problem]) -> None:
        print_problems(problems, self.messages)


@click.command(cls=LocalizedCommand, help=help_text("serve.command"),
               short_help=help_text("serve.short"))
@root_option
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help=help_text("serve.port"))
@click.option("--host", default="127.0.0.1", show_default=True, help=help_text("serve.host"))
@click.option("--strict-port", is_flag=True, help=help_text("serve.strict_port"))
@click.option("--open", "open_browser", is_flag=True, help=help_text("serve.open"))
@click.option("--workers", type=int, default=None, help=help_text("workers"))
@click.option("--search", is_flag=True, help=help_text("serve.search"))
@click.option("--verbose", "-v", is_flag=True, help=help_text("serve.verbose"))
def serve(root: Path, port: int, host: str, strict_port: bool, open_browser: bool, workers: int | None,
          search: bool, verbose: bool) -> None:
    messages = messages_for(root)
    t = messages.t
    reporter = RichReporter(messages)
    require_site(root, messages)

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
            ports = f"{exc.first}" if exc.first == exc.last else f"{exc.first}-{exc.last}"
            reporter.warn(t("cli.serve.cannot_start", ports=ports, host=exc.host))
            reporter.info(t("cli.serve.port_taken_hint", port=port + 1) if strict_port or port == 0 else
                          t("cli.serve.ports_taken_hint", first=exc.first, last=exc.last))
            sys.exit(1)
        except OSError as exc:
            reporter.warn(t("cli.serve.cannot_listen", host=host, port=port, error=exc.strerror or exc))
            sys.exit(1)
        if port and actual != port:
            reporter.warn(t("cli.serve.port_changed", port=port, actual=actual))
        if not is_loopback(host):  # drafts, future posts and the editorial panel on the network
            everywhere = host.strip("[]") in ("", "0.0.0.0", "::")
            reporter.warn(t("cli.serve.public_everywhere") if everywhere else t("cli.serve.public", host=host))
        reporter.info(t("cli.serve.building"))
        server.start()
        reporter.info(t("cli.serve.ready", url=server.url,
                        folders=messages.counted("cli.serve.folders", len(server.watcher.watched))))
        if open_browser:
            webbrowser.open(server.url)
        while not stop.wait(0.5):
            pass
        reporter.info(t("cli.serve.stopping"))
    finally:
        server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    reporter.info(t("cli.serve.stopped"))

