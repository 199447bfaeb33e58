"""The preview under load, slow and vanished clients, shutdown, and who may see it (issue 17).

The load run itself is `benchmarks/serve_load.py` (in-process `PreviewServer` on loopback, tabs read
by one selector thread, paced static requests from a thread pool, atomic saves); these tests assert
on what it measured. Every wait ends as soon as its condition holds; bounds are generous (a loaded
2-core machine) but each would fail on the behaviour it guards against.
"""
from __future__ import annotations

import importlib.util
import json
import os
import re
import signal
import socket
import string
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from contentkit.serve import server as server_mod
from contentkit.serve.server import PreviewServer

REPO = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("serve_load", REPO / "benchmarks" / "serve_load.py")
load = importlib.util.module_from_spec(_spec)
sys.modules["serve_load"] = load
_spec.loader.exec_module(load)

TIMEOUT = 60


@pytest.fixture
def load_site(tmp_path):
    return load.write_site(tmp_path / "site", posts=20)


def test_preview_holds_50_tabs_2000_requests_and_20_saves(load_site, capfd):
    f = load.run(load_site, tabs=50, requests=2000, duration=10.0, saves=20)
    out, err = capfd.readouterr()
    with capfd.disabled():
        print("\n" + load.report(f))
    # no request failed: every one a 200 with its whole body
    assert f["requests"] == 2000
    assert f["failed"] == 0, f["failures"]
    # one save, one rebuild, one reload at every tab, in order, each naming the saved page
    assert f["saves"] == 20 and f["generations"] == 20
    assert f["reloads_delivered"] == f["reloads_expected"] == 50 * 20
    assert f["reloads_concerned"] == 50 * 20
    for builds in f["builds_seen"]:
        assert builds == sorted(builds) and len(set(builds)) == 20
    # memory stays flat; nothing left behind once the tabs leave and the server stops
    assert f["rss_after_mb"] - f["rss_before_mb"] < 30, load.report(f)
    assert f["subscribers_empty"]
    assert f["stop_seconds"] < 10
    assert f["threads_after"] == f["threads_baseline"], load.report(f)
    assert not [t.name for t in threading.enumerate() if t.name.startswith("contentkit")]
    # the vanished tab, the silent tab and the half-sent request never reached the terminal
    assert "Traceback" not in err and "Error" not in err, err
    assert not [line for line in f["terminal"] if "requête" in line or "request" in line]


def _tab(port: int) -> load.Tabs:
    group = load.Tabs(port, 3)
    assert group.wait(lambda ts: all(load.count(t, "hello") == 1 for t in ts))
    return group


def test_a_tab_that_never_reads_is_dropped_and_never_blocks_the_others(load_site, capfd):
    baseline = threading.active_count()
    srv = PreviewServer(load_site, port=0, reporter=load.QuietReporter(), workers=1, client_queue=8,
                        request_timeout=30)
    srv.start()
    try:
        silent = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        silent.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        silent.connect(("127.0.0.1", srv.port))
        silent.sendall(b"GET /__contentkit/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert srv.wait_subscribers(1, TIMEOUT)
        group = _tab(srv.port)
        assert srv.wait_subscribers(4, TIMEOUT)
        # 300 reload events of ~16 KB (a big site's list of changed pages): the silent tab's socket
        # buffers fill, its queue fills, it is dropped; the reading tabs get every event.
        paths = [f"2024/post-{i:05d}/index.html" for i in range(600)]
        for n in range(1, 301):
            srv._broadcast("reload", {"build": 1000 + n, "paths": paths})
            assert group.wait(lambda ts, n=n: all(load.count(t, "reload") >= n for t in ts)), n
        assert srv.dropped >= 1
        assert srv.wait_subscribers(3, TIMEOUT)  # the silent tab is gone, the others remain
        for tab in group.tabs:
            builds = [d["build"] for name, d, _ in tab.events if name == "reload"]
            assert builds == list(range(1001, 1301))
        assert load.fetch(srv.port, "/2024/post-3/").status == 200
        group.close()
        silent.close()
        assert srv.wait_subscribers(0, TIMEOUT)
    finally:
        srv.stop()
    assert threading.active_count() == baseline
    assert "Traceback" not in capfd.readouterr().err


def test_a_tab_closed_mid_stream_is_forgotten(load_site, capfd):
    srv = PreviewServer(load_site, port=0, reporter=load.QuietReporter(), workers=1, heartbeat=0.2)
    srv.start()
    try:
        gone = load.open_stream(srv.port)
        assert gone.recv(64)
        gone.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        gone.close()  # a reset, nothing read
        # the next write (a heartbeat) finds out; the subscriber goes
        assert srv.wait_subscribers(0, TIMEOUT)
    finally:
        srv.stop()
    assert "Traceback" not in capfd.readouterr().err


def test_half_a_request_line_times_out_and_others_are_served(load_site, capfd):
    srv = PreviewServer(load_site, port=0, reporter=load.QuietReporter(), workers=1, request_timeout=1.0)
    srv.start()
    try:
        slow = socket.create_connection(("127.0.0.1", srv.port), timeout=TIMEOUT)
        slow.sendall(b"GET /2024/post-1/ HT")
        assert load.fetch(srv.port, "/").status == 200  # served while the slow client dawdles
        assert slow.recv(1024) == b""  # then the server hangs up on it (a timeout error would fail here)
        slow.close()
    finally:
        srv.stop()
    assert "Traceback" not in capfd.readouterr().err


def test_stop_returns_with_clients_still_connected(load_site, capfd):
    f = load.run_with_clients_connected(load_site, tabs=10)
    # before: stop() waited for each connected client's own timeout (30 s for a half-sent request)
    assert f["stop_seconds"] < 10
    assert f["tabs_closed"]
    assert f["threads_after"] == f["threads_baseline"]
    assert "Traceback" not in capfd.readouterr().err


# ------------------------------------------------------------------------------------------------
# Who may see the preview
# ------------------------------------------------------------------------------------------------

class _StubServer:
    """Stands in for PreviewServer in the command: nothing is bound, the run ends at once."""

    hosts: list[str] = []

    def __init__(self, root, host, port, **kwargs):
        self.host, self.port = host, port or 8000
        self.watcher = type("W", (), {"watched": []})()
        _StubServer.hosts.append(host)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def bind(self) -> int:
        return self.port

    def start(self) -> None:
        os.kill(os.getpid(), signal.SIGINT)  # the command's own Ctrl-C handler ends the run

    def stop(self) -> None:
        pass


def _serve_output(monkeypatch, root: Path, *args: str) -> str:
    from contentkit.commands import serve as serve_cmd

    monkeypatch.setattr(serve_cmd, "PreviewServer", _StubServer)
    monkeypatch.setenv("COLUMNS", "400")
    result = CliRunner().invoke(serve_cmd.serve, ["--root", str(root), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return re.sub(r"[ \t\r\n]+", " ", result.output)  # rich wraps lines; no-break spaces stay


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20"])
def test_a_network_bind_warns_that_drafts_and_the_panel_are_visible(monkeypatch, load_site, host):
    text = _serve_output(monkeypatch, load_site, "--host", host)
    assert _StubServer.hosts[-1] == host
    assert "brouillons" in text and "panneau éditorial" in text and "Attention :" in text  # the terminal catalog spaces before : as the rest of cli.yml
    if host == "192.168.1.20":
        assert "sur 192.168.1.20" in text
    else:
        assert "toutes les interfaces réseau" in text


def test_the_warning_speaks_english_on_an_english_site(monkeypatch, load_site):
    cfg = load_site / "contentkit.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("language: fr", "language: en"), encoding="utf-8")
    text = _serve_output(monkeypatch, load_site, "--host", "0.0.0.0")
    assert "Warning: listening on all network interfaces" in text
    assert "drafts, future posts and the editorial panel" in text


@pytest.mark.parametrize("args", [(), ("--host", "localhost"), ("--host", "::1"), ("--host", "127.0.0.2")])
def test_loopback_binds_do_not_warn_and_the_default_is_loopback(monkeypatch, load_site, args):
    text = _serve_output(monkeypatch, load_site, *args)
    assert "Attention" not in text and "panneau éditorial" not in text
    if not args:
        assert _StubServer.hosts[-1] == "127.0.0.1"


def _host_check(bind: str) -> PreviewServer:
    return PreviewServer(Path("."), host=bind, port=0)


@pytest.mark.parametrize("header", ["127.0.0.1:8000", "localhost", "LOCALHOST:8000", "[::1]:8000",
                                    "preview.localhost:8000", "127.0.0.1"])
def test_loopback_bind_accepts_loopback_host_headers(header):
    assert _host_check("127.0.0.1").host_allowed(header)


@pytest.mark.parametrize("header", [None, "", "evil.example.com", "evil.example.com:8000", "localhost.evil.com",
                                    "127.0.0.1.nip.io", "10.0.0.1:8000", "[2001:db8::1]:8000"])
def test_loopback_bind_refuses_other_host_headers_against_dns_rebinding(header):
    assert not _host_check("127.0.0.1").host_allowed(header)


_label = st.text(string.ascii_lowercase + string.digits + "-", min_size=1, max_size=12)


@settings(max_examples=200, deadline=None)
@given(labels=st.lists(_label, min_size=1, max_size=4), port=st.none() | st.integers(1, 65535))
def test_any_other_dns_name_is_refused_on_a_loopback_bind(labels, port):
    name = ".".join(labels)
    if name == "localhost" or name.endswith(".localhost"):
        return
    header = name if port is None else f"{name}:{port}"
    srv = _HOST_CHECK
    assert not srv.host_allowed(header)
    assert not srv.host_allowed(header.upper())


_HOST_CHECK = PreviewServer(Path("."), host="127.0.0.1", port=0)


def test_status_counts_open_tabs_only(load_site):
    srv = PreviewServer(load_site, port=0, reporter=load.QuietReporter(), workers=1)
    srv.start()
    try:
        group = _tab(srv.port)
        assert srv.wait_subscribers(3, TIMEOUT)
        status, _, body = _raw(srv.port, "/__contentkit/status")
        assert status == 200 and json.loads(body)["clients"] == 3
        group.close()
        assert srv.wait_subscribers(0, TIMEOUT)
    finally:
        srv.stop()


def _raw(port: int, target: str) -> tuple[int, dict, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as s:
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), {}, body
