"""`contentkit build` killed for real (SIGKILL), and a disk that fills up (issue 17).

A real site of a few hundred posts is built by the CLI in a subprocess, and killed at 20 seeded
moments spread across reading, the cache, rendering and writing: 14 at named points of the build
(the test hook `CONTENTKIT_TEST_KILL_AT=<stage>:<n>`, output.kill_point, which makes the build kill
itself with SIGKILL there) and 6 after seeded random delays (the test sends the SIGKILL). After each
kill: killed before its commit point, the previous site is byte-identical; killed after it (the
journal exists), `recover()` gives the whole new site, never a mix. Then the next build's output is
byte-identical to a clean build of the same sources, and no staging/transaction folder, journal or
unpublished cache file is left.

Every build changes every page (the site title alternates between two values) and re-reads a third
of the posts (their bodies alternate too), so each stage has work in it to interrupt.
"""
from __future__ import annotations

import errno
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from contentkit import output
from contentkit.content.cache import CACHE_DIR
from contentkit.output import journal_path

from .conftest import SiteFactory, run_cli, snapshot

POSTS = 120
EDITED = range(0, POSTS, 3)  # posts whose body alternates with the title
TAGS = ["strategie", "donnees", "cloud", "achats", "rh", "securite", "industrie", "finance"]
# Without search, a build publishes by transaction (renames under a journal); with it, a staged
# tree exchanged with site/ in one system call (output.py). 20 kills for the first, 7 for the second.
NAMED_POINTS = {
    "txn": ["read:1", "read:15", "read:35", "cache:0", "render:1", "render:40", "render:100", "render:170",
            "write:0", "write:1", "write:9", "write:80", "write:150", "manifest:0"],
    "staging": ["render:80", "swap:0", "swap:1"],
}
TIMED_KILLS = {"txn": 6, "staging": 2}
AFTER_PUBLISHING = {"manifest:0", "swap:1"}
SEED = 1717


def body(i: int, variant: str) -> str:
    words = " ".join(f"mot{(i * 7 + k) % 97}" for k in range(120))
    return f"## Partie {variant}\n\nVersion {variant} du billet {i}. {words}\n\n- un point\n- un autre\n"


def write_state(site: SiteFactory, variant: str) -> None:
    site.config(title=f"Carnet {variant}", search=site.search)
    for i in EDITED:
        site.post(f"billet-{i:03d}", f"Billet {i}", f"2025-{1 + i % 12:02d}-{1 + i % 27:02d}",
                  tags=[TAGS[i % 8], TAGS[(i * 3 + 1) % 8]], body=body(i, variant))


def new_site(root: Path, search: bool = False) -> SiteFactory:
    site = SiteFactory(root)
    site.search = search
    for i in range(POSTS):
        site.post(f"billet-{i:03d}", f"Billet {i}", f"2025-{1 + i % 12:02d}-{1 + i % 27:02d}",
                  tags=[TAGS[i % 8], TAGS[(i * 3 + 1) % 8]], body=body(i, "A"))
    write_state(site, "A")
    return site


def build_cli(site: SiteFactory, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "contentkit", "build", "--root", str(site.root), "-q"],
                            env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1", **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def finish(proc: subprocess.Popen) -> tuple[int, str]:
    _, err = proc.communicate(timeout=120)
    try:  # anything of the killed build still running (there should be nothing: PR_SET_PDEATHSIG)
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    return proc.returncode, err


def leftovers(site: SiteFactory) -> list[str]:
    stray = [p.name for p in site.root.iterdir() if p.name.startswith(".site.")]
    stray += [p.name for p in (site.root / CACHE_DIR).iterdir()
              if ".soon-" in p.name or p.name.startswith((".documents", ".texts", ".sources", ".manifest"))]
    return stray


@pytest.fixture(scope="module", params=["txn", "staging"])
def crash_site(request, tmp_path_factory):
    """The site, built once in each state, and a clean build (no cache) of each state."""
    base = tmp_path_factory.mktemp("crash")
    site = new_site(base / "blog", search=request.param == "staging")
    site.mode = request.param
    refs = {}
    for variant in ("B", "A"):
        write_state(site, variant)
        site.build(base / f"clean-{variant}", use_cache=False)
        refs[variant] = snapshot(base / f"clean-{variant}")
    assert refs["A"] != refs["B"]
    started = time.perf_counter()
    code, err = finish(build_cli(site))
    assert code == 0, err
    seconds = time.perf_counter() - started
    assert site.snapshot() == refs["A"]
    return site, refs, seconds


def kills(mode: str):
    rng = random.Random(SEED)
    return [("point", p) for p in NAMED_POINTS[mode]] + \
        [("timed", rng.uniform(0.05, 1.0)) for _ in range(TIMED_KILLS[mode])]


def test_builds_killed_at_twenty_points_leave_the_previous_site_or_the_whole_new_one(crash_site):
    site, refs, seconds = crash_site
    current = "A"
    outcomes = []
    for n, (kind, where) in enumerate(kills(site.mode)):
        new = "B" if current == "A" else "A"
        write_state(site, new)
        if kind == "point":
            proc = build_cli(site, {"CONTENTKIT_TEST_KILL_AT": where})
        else:
            proc = build_cli(site)
            time.sleep(where * seconds)
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)  # the build's process only, as `kill -9 PID` does
        code, err = finish(proc)
        label = f"kill {n} ({kind} {where})"
        if code == 0:  # a timed kill that came after the end: nothing to check but the result
            assert kind == "timed", f"{label}: the build was not killed\n{err}"
            assert site.snapshot() == refs[new], label
            outcomes.append("finished")
        else:
            assert code == -signal.SIGKILL, f"{label}: {code}\n{err}"
            journal = journal_path(site.out)
            if journal.exists():  # killed after its commit point: rolled forward, whole
                assert output.recover(site.out) == "rolled-forward", label
                assert site.snapshot() == refs[new], f"{label}: the journal did not give the whole new site"
                outcomes.append("rolled forward")
            else:
                files = site.snapshot()
                if files == refs[new]:  # killed once published (writing the manifest...)
                    outcomes.append("published")
                else:
                    assert files == refs[current], f"{label}: the previous site changed"
                    outcomes.append("previous kept")
                if kind == "point":
                    expected = "published" if where in AFTER_PUBLISHING else "previous kept"
                    assert outcomes[-1] == expected, label
        code, err = finish(build_cli(site))
        assert code == 0, f"{label}: the next build failed\n{err}"
        assert site.snapshot() == refs[new], f"{label}: the next build differs from a clean build"
        assert not leftovers(site), f"{label}: {leftovers(site)}"
        assert not journal_path(site.out).exists()
        current = new
    if site.mode == "txn":  # the named points hit both sides of the commit point
        assert outcomes.count("rolled forward") >= 4 and outcomes.count("previous kept") >= 8, outcomes
    else:  # one exchange of folders: there is no "after the commit point" to roll forward
        assert "rolled forward" not in outcomes and outcomes.count("previous kept") >= 2, outcomes


def test_a_commit_killed_halfway_is_completed_by_the_next_build_with_one_warning(crash_site):
    site, refs, _ = crash_site
    if site.mode != "txn":
        pytest.skip("a staged site is exchanged whole: no commit halfway")
    current = "A" if site.snapshot() == refs["A"] else "B"
    new = "B" if current == "A" else "A"
    write_state(site, new)
    code, _ = finish(build_cli(site, {"CONTENTKIT_TEST_KILL_AT": "write:40"}))
    assert code == -signal.SIGKILL
    torn = site.snapshot()
    assert torn != refs[current] and torn != refs[new], "killed halfway through the renames: torn on disk"
    result = run_cli("build", "--root", str(site.root))
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("completed from its journal") + result.stdout.count("completed from its journal") == 1 \
        or "terminée d’après son journal" in result.stderr + result.stdout, result.stderr
    assert site.snapshot() == refs[new]
    again = run_cli("build", "--root", str(site.root))
    assert "journal" not in again.stderr + again.stdout, "warned once"


# Disk full ---------------------------------------------------------------------------------------

def _mount_tmpfs(folder: Path, size: str) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True)
    return done.returncode == 0


def small_site(root: Path) -> SiteFactory:
    site = SiteFactory(root)
    for i in range(40):
        site.post(f"billet-{i:03d}", f"Billet {i}", f"2025-03-{1 + i % 27:02d}", tags=[TAGS[i % 8]],
                  body=body(i, "A"))
    return site


@pytest.mark.parametrize("how", ["tmpfs", "patched-write"])
def test_a_full_disk_fails_with_a_located_message_and_poisons_nothing(tmp_path, how):
    """ENOSPC partway through a build: a really full file system (a 16 MB tmpfs, filled up but
    ~150 KB; root only), and a patched os.write that fails after 60 writes into the work folder
    (which runs everywhere). The tmpfs case is skipped, saying so, where mounting is impossible."""
    disk = tmp_path / "disk"
    mounted = how == "tmpfs" and _mount_tmpfs(disk, "16m")
    if how == "tmpfs" and not mounted:
        pytest.skip("cannot mount a tmpfs here (not root, or no mount rights): the patched-write case runs")
    disk.mkdir(exist_ok=True)
    try:
        site = small_site(disk / "blog")
        code_ok = run_cli("build", "--root", str(site.root))
        assert code_ok.returncode == 0, code_ok.stderr
        before = site.snapshot()
        for i in range(40):  # a new version of every post: every page changes, more bytes than fit
            site.post(f"billet-{i:03d}", f"Billet {i}", f"2025-03-{1 + i % 27:02d}", tags=[TAGS[i % 8]],
                      body=body(i, "B") * 6)
        filler = disk / "filler"
        if mounted:
            free = os.statvfs(disk)
            room = free.f_bavail * free.f_frsize
            with open(filler, "wb") as fh:  # leave about 150 KB: the new pages do not fit
                fh.write(b"\0" * max(0, room - 150_000))
            result = run_cli("build", "--root", str(site.root))
        else:
            result = _run_with_patched_write(site)
        assert result.returncode == 1, result.stderr
        text = result.stderr + result.stdout
        assert "Traceback" not in text
        assert "could not write the site" in text or "impossible d’écrire le site" in text, text
        assert os.strerror(errno.ENOSPC) in text, text
        assert site.snapshot() == before, "the previous site changed"
        assert not [p for p in site.root.iterdir() if p.name.startswith(".site.")]
        if filler.exists():
            filler.unlink()
        result = run_cli("build", "--root", str(site.root))  # space is back: the cache is not poisoned
        assert result.returncode == 0, result.stderr
        # the clean build on the same file system: Pagefind's index follows the order a folder lists
        site.build(disk / "clean", use_cache=False)
        assert site.snapshot() == snapshot(disk / "clean")
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(disk)], capture_output=True)


def _run_with_patched_write(site: SiteFactory) -> subprocess.CompletedProcess:
    """The CLI with os.write failing (ENOSPC) after 60 writes into the output's work folder."""
    code = (
        "import errno, os, sys\n"
        "from contentkit.cli import main\n"
        "real, n = os.write, [0]\n"
        "def write(fd, data):\n"
        "    try:\n"
        "        name = os.readlink(f'/proc/self/fd/{fd}')\n"
        "    except OSError:\n"
        "        name = ''\n"
        "    if '.site.' in name:\n"
        "        n[0] += 1\n"
        "        if n[0] > 60:\n"
        "            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))\n"
        "    return real(fd, data)\n"
        "os.write = write\n"
        "sys.argv = ['contentkit', 'build', '--root', sys.argv[1], '--workers', '1']\n"
        "main()\n")
    return subprocess.run([sys.executable, "-c", code, str(site.root)], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}, timeout=300)


def test_without_an_exchange_the_two_rename_swap_is_journaled_and_completed(make_site, tmp_path, monkeypatch):
    """Where renameat2(RENAME_EXCHANGE) is unavailable, a staged site is swapped in with two renames
    under a journal: a build killed between them (no site/ at all) is completed by recover()."""
    site = make_site(workers=1)
    for i in range(5):
        site.post(f"billet-{i}", f"Billet {i}", f"2025-05-0{i + 1}", body=body(i, "A"))
    site.build()
    monkeypatch.setattr(output, "_exchange", lambda a, b: False)
    site.config(title="Autre carnet")
    real_rename, calls = os.rename, []

    def rename(src, dst):  # the kill comes after the first rename (site -> previous): no more renames
        calls.append((Path(src).name, Path(dst).name))
        if len(calls) >= 2:
            raise KeyboardInterrupt  # stands for SIGKILL: not even the rollback's rename happens
        return real_rename(src, dst)
    monkeypatch.setattr(output.os, "rename", rename)
    writer = output.OutputWriter(site.out, staging=True)
    for rel, data in snapshot(site.out).items():
        writer.add(rel, data.replace(b"Carnet de test", b"Autre carnet"))
    expected = {rel: data.replace(b"Carnet de test", b"Autre carnet") for rel, data in snapshot(site.out).items()}
    writer._done = True  # as after a kill: abort() would not run
    with pytest.raises(KeyboardInterrupt):
        writer._commit_staging(None)
    monkeypatch.setattr(output.os, "rename", real_rename)
    assert not site.out.exists(), "killed between the two renames: no site/"
    assert journal_path(site.out).exists()
    assert output.recover(site.out) == "rolled-forward"
    assert snapshot(site.out) == expected
    assert not [p.name for p in site.root.iterdir() if p.name.startswith(".site.")]
