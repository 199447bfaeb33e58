"""Two builds of one site at once (issue 17): the second waits for the first (saying for whom, once),
or refuses with a located message when the wait is over; a lock whose holder was killed is no
lock (flock: the kernel drops it); the output is never interleaved."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from contentkit.build import build_site
from contentkit.content.cache import CACHE_DIR
from contentkit.errors import BuildFailed
from contentkit.lock import BuildLock, Holder

from .conftest import run_cli, snapshot

TAGS = ["strategie", "donnees", "cloud", "achats"]


@pytest.fixture
def blog(make_site):
    site = make_site()
    site.config(search=False)
    for i in range(120):
        site.post(f"billet-{i:03d}", f"Billet {i}", f"2025-04-{1 + i % 27:02d}", tags=[TAGS[i % 4]],
                  body=f"Texte du billet {i}. " + "mot " * 200 + "\n")
    return site


def cli(site, *args, env=None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "contentkit", "build", "--root", str(site.root), *args],
                            env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1", **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_build_refuses_after_its_wait_saying_who_holds_the_lock(blog):
    lock = BuildLock(blog.root).acquire(0)
    try:
        result = subprocess.run([sys.executable, "-m", "contentkit", "build", "--root", str(blog.root)],
                                env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "CONTENTKIT_LOCK_WAIT": "0.5"},
                                capture_output=True, text=True, timeout=120)
    finally:
        lock.release()
    text = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in text
    assert f"PID {os.getpid()}" in text
    assert "une autre construction de ce site est en cours" in text, text  # the site is French
    assert "En attente de la construction de ce site en cours" in text and text.count("En attente") == 1
    assert str(blog.root / CACHE_DIR / "build.lock") in text
    assert not blog.out.exists(), "nothing written"


def test_a_build_waits_for_the_holder_then_builds(blog):
    lock = BuildLock(blog.root).acquire(0)
    proc = cli(blog)
    time.sleep(2.0)
    assert proc.poll() is None, "still waiting"
    assert not blog.out.exists()
    lock.release()
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert err.count("En attente de la construction") == 1, err


def test_the_api_refuses_with_build_locked_and_keeps_the_site(blog):
    blog.build()
    before = blog.snapshot()
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from contentkit.lock import BuildLock; BuildLock(sys.argv[1]).acquire(0); "
        "print('held', flush=True); time.sleep(60)"), str(blog.root)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert Holder.read(blog.root / CACHE_DIR / "build.lock").pid == holder.pid
        waited = []
        blog.config(search=False, title="Autre")
        with pytest.raises(BuildFailed) as info:
            build_site(blog.root, lock_wait=0.3, on_lock_wait=waited.append)  # what serve's rebuild calls
        assert [p.code for p in info.value.problems] == ["build-locked"]
        assert str(holder.pid) in info.value.problems[0].message
        assert [h.pid for h in waited] == [holder.pid]
        assert blog.snapshot() == before
    finally:
        holder.kill()
        holder.wait()
    # killed: its lock went with it (the file and its PID stay, and mean nothing)
    assert Holder.read(blog.root / CACHE_DIR / "build.lock").pid == holder.pid
    waited = []
    build_site(blog.root, lock_wait=0, on_lock_wait=waited.append)
    assert waited == []


def test_a_build_killed_with_its_lock_does_not_block_the_next(blog):
    proc = cli(blog, env={"CONTENTKIT_TEST_KILL_AT": "render:10"})
    proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL
    result = run_cli("build", "--root", str(blog.root))
    assert result.returncode == 0, result.stderr
    assert "En attente" not in result.stderr


def test_two_builds_at_once_one_waits_and_the_output_is_a_clean_build(blog, tmp_path):
    first, second = cli(blog), cli(blog)
    errs = [p.communicate(timeout=300)[1] for p in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, errs
    assert sum("En attente de la construction" in e for e in errs) == 1, errs
    blog.build(tmp_path / "clean", use_cache=False)
    assert blog.snapshot() == snapshot(tmp_path / "clean")
    assert not [p.name for p in blog.root.iterdir() if p.name.startswith(".site.")]
