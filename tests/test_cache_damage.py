"""A damaged `.contentkit-cache/` or output folder (issue 17): a cache shard truncated or filled with
garbage, the manifest deleted or truncated, work folders, a journal or unpublished cache files left
by a killed build. Each is detected, rebuilt, warned once (catalog code), and the output is the
clean build's, byte for byte."""
from __future__ import annotations

import os
import random

import pytest

from contentkit.content.cache import CACHE_DIR
from contentkit.output import journal_path

from .conftest import run_cli, snapshot

TAGS = ["strategie", "donnees", "cloud", "achats"]


@pytest.fixture
def built(make_site, tmp_path):
    site = make_site(search=False, workers=1)
    for i in range(30):
        site.post(f"billet-{i:02d}", f"Billet {i}", f"2025-02-{1 + i % 27:02d}", tags=[TAGS[i % 4]],
                  body=f"## Partie\n\nTexte du billet {i}, " + "mot " * (50 + i) + "\n")
    site.config(search=False)
    site.build()
    site.build(tmp_path / "clean", use_cache=False)
    clean = snapshot(tmp_path / "clean")
    assert site.snapshot() == clean
    return site, clean


def codes(result) -> list[str]:
    return [w.code for w in result.warnings]


def inodes(folder) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def biggest(site, pattern: str):
    return max((site.root / CACHE_DIR).glob(pattern), key=lambda p: p.stat().st_size)


def truncate(path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def garble(path) -> None:
    path.write_bytes(random.Random(7).randbytes(path.stat().st_size))


DAMAGE = {
    "shard truncated": (lambda s: truncate(biggest(s, "documents-*.bin")), "cache-unreadable"),
    "shard garbage": (lambda s: garble(biggest(s, "documents-*.bin")), "cache-unreadable"),
    "sources garbage": (lambda s: garble(s.root / CACHE_DIR / "sources.bin"), "cache-unreadable"),
    "manifest deleted": (lambda s: next((s.root / CACHE_DIR).glob("manifest-*.json")).unlink(), "manifest-missing"),
    "manifest truncated": (lambda s: truncate(next((s.root / CACHE_DIR).glob("manifest-*.json"))),
                           "manifest-unreadable"),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_damaged_cache_is_detected_rebuilt_and_warned_once(built, tmp_path, damage):
    site, clean = built
    ids = inodes(site.out)
    harm, code = DAMAGE[damage]
    harm(site)
    first = site.build()
    assert codes(first).count(code) == 1, codes(first)
    assert site.snapshot() == clean
    assert inodes(site.out) == ids, "pages rendered again with the same bytes are not rewritten"
    second = site.build()
    assert code not in codes(second), "warned once: the next build finds a sound cache"
    assert site.snapshot() == clean


def test_a_garbled_text_blob_is_parsed_again_from_its_source(built):
    site, clean = built
    garble(biggest(site, "texts-*.bin"))
    site.edit("content/posts/billet-03.md", title="Billet 3")  # same bytes: nothing else to do
    site.config(search=False, title="Autre titre")  # every page rendered: every text read
    site.build()
    site.config(search=False)
    site.build()
    assert site.snapshot() == clean


def test_work_folders_journal_and_cache_files_of_a_killed_build_are_removed_with_one_warning(built):
    site, clean = built
    root, dead = site.root, 999_999_999
    for name in (f".site.txn-{dead}", f".site.staging-{dead}", f".site.previous-{dead}"):
        (root / name / "2025").mkdir(parents=True)
        (root / name / "2025" / "index.html").write_text("à moitié")
    (root / f".site.journal-{dead}").write_text('{"format": 1, "pid"')  # a journal never completed
    soon = root / CACHE_DIR / f"documents-07.bin.soon-{dead}"
    soon.write_bytes(b"CKCACHE4 half")
    temp = root / CACHE_DIR / ".sources.bin-k2j3h4"
    temp.write_bytes(b"half")
    result = site.build()
    assert codes(result).count("output-leftovers-removed") == 1, codes(result)
    assert not [p.name for p in root.iterdir() if p.name.startswith(".site.")]
    assert not soon.exists() and not temp.exists()
    assert site.snapshot() == clean
    assert "output-leftovers-removed" not in codes(site.build())


def test_a_damaged_journal_is_dropped_with_one_warning_and_the_output_repaired(built):
    site, clean = built
    victim = next(p for p in sorted(site.out.rglob("index.html")) if "/2025/" in p.as_posix())
    victim.write_bytes(b"<html>moiti\xc3\xa9 \xc3\xa9crit")  # as if the kill came mid-commit
    journal = journal_path(site.out)
    journal.write_text('{"format":1,"pid":12,"mode":"txn","work":".site.txn-12","renames":["2025/bil')
    result = site.build()
    assert codes(result).count("output-journal-damaged") == 1, codes(result)
    assert not journal.exists()
    assert site.snapshot() == clean
    assert "output-journal-damaged" not in codes(site.build())


def test_the_cli_prints_the_cache_warning_once_in_words(built):
    site, clean = built
    garble(biggest(site, "documents-*.bin"))
    result = run_cli("build", "--root", str(site.root))
    assert result.returncode == 0, result.stderr
    text = result.stdout + result.stderr
    assert "Traceback" not in text
    assert text.count("cache de construction était illisible") == 1, text  # the site is French
    assert site.snapshot() == clean
    again = run_cli("build", "--root", str(site.root))
    assert "illisible" not in again.stdout + again.stderr
    assert os.path.isdir(site.out)
