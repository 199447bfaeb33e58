"""Incremental and cached builds are byte-identical to a clean build.

Each scenario builds a small generated site (cache on), changes something, rebuilds into the same
output folder (cache, manifest, stat shortcut, unchanged files left alone), then builds the same
sources from scratch into another folder with no cache, and compares every file's bytes.
"""
from __future__ import annotations

import marshal
import os
import random
import shutil
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from contentkit import build as build_mod
from contentkit import output
from contentkit.build import BuildState
from contentkit.content import cache as cache_mod
from contentkit.content import loader
from contentkit.content.cache import CACHE_DIR, DocumentCache
from contentkit.errors import BuildFailed
from contentkit.render.env import BUILTIN_THEMES

from .conftest import snapshot

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
WORDS = ("données réseau sécurité équipe projet méthode résultat client serveur modèle mémoire "
         "fichier version qualité marché stratégie décision écriture lecture article été hiver "
         "cuisine voyage montagne musique théâtre santé recherche énergie lumière histoire").split()
TAGS = ["Données", "Sécurité", "Cuisine", "Voyage", "Musique", "Énergie", "Histoire"]
CATEGORIES = ["Technique", "Société", "Culture"]
AUTHORS = {"alice": "Alice Martin", "bruno": "Bruno Lefèvre", "chloe": "Chloé Durand"}


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 14))]
    return " ".join(words).capitalize() + rng.choice([".", ".", " ?", " !", " : voilà."])


def write_post(site, i: int, rng: random.Random, *, title: str | None = None, date: datetime | None = None,
               tags: list[str] | None = None, name: str | None = None, **front) -> None:
    """content/posts/<name or post-<i>>.md, generated from `rng`."""
    date = date or datetime(2024, 1, 1, 9, 0) + timedelta(days=3 * i)
    tags = tags if tags is not None else rng.sample(TAGS, rng.randint(1, 3))
    author = list(AUTHORS)[i % len(AUTHORS)]
    paras = "\n\n".join(" ".join(_sentence(rng) for _ in range(rng.randint(2, 5))) for _ in range(rng.randint(2, 4)))
    site.post(name or f"post-{i:03d}", title or f"Article numéro {i} sur les {rng.choice(WORDS)}", date,
              author=author, tags=tags, category=CATEGORIES[i % len(CATEGORIES)], **front,
              summary=f"Résumé de l'article {i}.",
              body=f"{paras}\n\n## Une section\n\n{paras[:200]}\n\n- un point\n- un autre point « cité »\n")


def generated_site(make_site, posts: int = 24, seed: int = 1):
    """Posts from a seeded generator, sources in <tmp>/src, output in <tmp>/out, built at NOW."""
    rng = random.Random(seed)
    site = make_site(config={"title": "Carnet incrémental", "per_page": 3, "feed_items": 4, "search": False},
                     name="src", now=NOW)
    site.out = site.root.parent / "out"
    # An alias (redirect page), a static page, an event post, a profile without posts (empty feed).
    for i in range(posts):
        write_post(site, i, rng, aliases=["/ancien-lien/"] if i == 5 else None)
    site.page("a-propos", "À propos", body="Qui sommes-nous ?")
    site.post("webinaire", "Webinaire données", "2026-02-01 10:00", author="alice", tags=["Données"],
              event={"start": "2026-03-10T11:00", "end": "2026-03-10T12:00", "timezone": "Europe/Paris"},
              body="Inscrivez-vous.")
    for ident, name in AUTHORS.items():
        site.author(ident, name, job_title="Consultante", bio=f"Bio de {name}.")
    site.author("dora", "Dora Sans-Article")
    return site


def inodes(out: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in out.rglob("*") if p.is_file()}


def assert_same_as_clean(site, tmp_path: Path, now: datetime = NOW) -> None:
    clean = tmp_path / f"clean-{time.monotonic_ns()}"
    site.build(clean, now=now, use_cache=False, workers=1)
    got, want = site.snapshot(), snapshot(clean)
    assert sorted(got) == sorted(want), (set(got) ^ set(want))
    different = [rel for rel in want if got[rel] != want[rel]]
    assert not different, different[:10]


RACY_NS = 50_000_000  # the stat shortcut's safety window, shortened from 2 s so tests run fast


@pytest.fixture(autouse=True)
def short_racy_window(monkeypatch):
    monkeypatch.setattr(cache_mod, "RACY_NS", RACY_NS)


def age_sources(root: Path) -> None:
    """Let the racy window pass (ctime cannot be set back), so the stat shortcut trusts the files."""
    time.sleep(2 * RACY_NS / 1e9)


@pytest.fixture
def site(make_site):
    site = generated_site(make_site)
    age_sources(site.root)
    site.build()
    site.build()  # second build: everything from the cache and the stat shortcut
    return site


def rebuild_and_compare(site, tmp_path: Path, **kwargs):
    result = site.build(**kwargs)
    assert_same_as_clean(site, tmp_path)
    return result


# Scenarios -------------------------------------------------------------------------------------

def test_cached_build_equals_clean_build(site, tmp_path):
    result = site.build()
    assert result.rendered == 0 and not result.report.written and not result.report.removed
    assert_same_as_clean(site, tmp_path)


def test_edit_body(site, tmp_path):
    root = site.root
    path = root / "content/posts/post-007.md"
    path.write_text(path.read_text() + "\nUn paragraphe ajouté « pour voir ».\n", encoding="utf-8")
    result = rebuild_and_compare(site, tmp_path)
    assert 0 < result.rendered < result.planned / 2


def test_edit_title_shown_elsewhere(site, tmp_path):
    """Titles appear in prev/next links, related posts, redirects, the 404 page's latest posts."""
    for rel in ("content/posts/post-005.md", "content/posts/post-023.md"):
        site.edit(rel, title=site.front_matter(rel)[0]["title"] + " (revu)")
    rebuild_and_compare(site, tmp_path)


def test_delete(site, tmp_path):
    root = site.root
    (root / "content/posts/post-010.md").unlink()
    result = rebuild_and_compare(site, tmp_path)
    assert result.report.removed


def test_rename_and_duplicate(site, tmp_path):
    root = site.root
    (root / "content/posts/post-011.md").rename(root / "content/posts/renomme.md")
    # Same bytes under a second name (another URL via slug): the cached document is shared.
    front, body = site.front_matter("content/posts/post-012.md")
    site.post("content/posts/copie-a.md", **front, slug="copie", body=body)
    site.post("content/posts/copie-b.md", **front, slug="copie-deux", body=body)
    rebuild_and_compare(site, tmp_path)


def test_tag_change(site, tmp_path):
    site.edit("content/posts/post-003.md", tags=["Nouvelle étiquette", "Cuisine"])
    rebuild_and_compare(site, tmp_path)


def test_date_change_reorders_home(site, tmp_path):
    assert site.front_matter("content/posts/post-000.md")[0]["date"] == "2024-01-01 09:00"
    site.edit("content/posts/post-000.md", date="2026-02-20 09:00")
    rebuild_and_compare(site, tmp_path)


def test_old_post_added_to_tag_changes_counts(site, tmp_path):
    """A post older than a tag's first page still changes the count that page shows."""
    write_post(site, 99, random.Random(5), name="vieux", date=datetime(2019, 1, 1), tags=["Données", "Musique"])
    rebuild_and_compare(site, tmp_path)


def test_author_profile_change(site, tmp_path):
    site.author("bruno", "Bruno Lefèvre", job_title="Associé", bio="Nouvelle bio.", expertise=["données", "sécurité"])
    rebuild_and_compare(site, tmp_path)


def test_template_change(site, tmp_path):
    card = (BUILTIN_THEMES / "default/templates/partials/card.html").read_text()
    site.write("templates/partials/card.html", card.replace('<article class="card">', '<article class="card card-v2">'))
    result = rebuild_and_compare(site, tmp_path)
    assert result.rendered > 0


def test_config_change(site, tmp_path):
    root = site.root
    cfg = root / "contentkit.yml"
    cfg.write_text(cfg.read_text().replace("Carnet incrémental", "Carnet renommé"), encoding="utf-8")
    rebuild_and_compare(site, tmp_path)


def test_time_passing_publishes_and_ends_events(site, tmp_path):
    site.post("futur", "Plus tard", "2026-03-05 08:00", author="alice", tags=["Données"], body="Bientôt.")
    site.build()
    later = NOW + timedelta(days=20)  # the post is due and the webinar is over
    site.build(now=later)
    assert_same_as_clean(site, tmp_path, now=later)


def test_serve_state_across_builds(site, tmp_path):
    root = site.root
    state = BuildState()
    site.build(state=state)
    for i in (2, 9):
        path = root / f"content/posts/post-{i:03d}.md"
        path.write_text(path.read_text() + f"\nÉdition {i}.\n", encoding="utf-8")
        site.build(state=state)
        assert_same_as_clean(site, tmp_path)


def test_cache_that_cannot_be_written_is_a_warning_and_is_written_next_time(make_site, tmp_path, monkeypatch):
    """The cache's documents are written by a forked process while the site is assembled, then
    published. A cache that cannot be written does not fail the build (a warning says so), and the
    next build (same state, as in `serve`) writes it all: a fresh build then parses nothing."""
    site = generated_site(make_site)
    root = site.root
    age_sources(root)
    blocked = [root / CACHE_DIR / f"documents-{shard}.bin" for shard in cache_mod.SHARDS]
    for path in blocked:  # a folder where each shard goes: replacing it with a file fails
        path.mkdir(parents=True)
    state = BuildState()
    result = site.build(state=state)
    assert [w.file for w in result.warnings if w.code == "cache-write-failed"] == [CACHE_DIR]
    assert not [p for p in (root / CACHE_DIR).iterdir() if ".soon-" in p.name]  # no leftovers
    assert_same_as_clean(site, tmp_path)
    for path in blocked:
        path.rmdir()
    site.build(state=state)
    parsed: list[int] = []
    real = loader.parse_documents
    monkeypatch.setattr(loader, "parse_documents", lambda jobs, *a, **k: parsed.append(len(jobs)) or real(jobs, *a, **k))
    result = site.build()
    assert parsed == [0] and result.rendered == 0


# Parallelism -----------------------------------------------------------------------------------

def test_one_worker_and_many_workers_are_identical(make_site, tmp_path, monkeypatch):
    monkeypatch.setattr(loader, "PARALLEL_THRESHOLD", 2)
    monkeypatch.setattr(build_mod, "RENDER_PARALLEL_THRESHOLD", 2)
    site = generated_site(make_site, posts=40, seed=3)
    site.build(tmp_path / "one", use_cache=False, workers=1)
    result = site.build(tmp_path / "many", use_cache=False, workers=3)
    assert result.rendered > 2
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "many")


# Cache -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("damage", ["truncate", "garble", "garbage", "stale-format"])
def test_corrupted_cache_is_detected_and_rebuilt(site, tmp_path, damage):
    root = site.root
    shards = sorted((root / CACHE_DIR).glob("documents-*.bin"))
    assert shards
    for shard in shards + sorted((root / CACHE_DIR).glob("texts-*.bin")) + [root / CACHE_DIR / "sources.bin"]:
        data = shard.read_bytes()
        if damage == "truncate":
            shard.write_bytes(data[: len(data) // 2])
        elif damage == "garble":  # same length, a few bytes changed in the middle: still unpicklable?
            mid = len(data) // 2
            shard.write_bytes(data[:mid] + bytes(b ^ 0x5A for b in data[mid:mid + 8]) + data[mid + 8:])
        elif damage == "garbage":
            shard.write_bytes(b"not a cache file at all")
        else:  # a valid file of another format (older contentkit)
            payload = b"M" + marshal.dumps(("documents-v0", {}))
            shard.write_bytes(cache_mod.MAGIC + cache_mod._checksum(payload) + payload)
    # Also change a post, so a wrong cache entry would show.
    path = root / "content/posts/post-004.md"
    path.write_text(path.read_text() + "\nCorrection.\n", encoding="utf-8")
    result = site.build()
    warned = any("cache" in w.file + w.message for w in result.warnings)
    assert warned == (damage != "stale-format"), result.warnings  # an upgrade is not damage
    assert_same_as_clean(site, tmp_path)
    again = site.build()  # the cache was rewritten: no more warning, nothing to render
    assert not any("cache" in w.message for w in again.warnings)
    assert again.rendered == 0


def test_garbled_document_inside_a_valid_cache_file_is_not_trusted(site, tmp_path):
    """Flip bytes inside a stored HTML string: the file still decodes, the checksum does not match."""
    root, out = site.root, site.out
    shard = max((root / CACHE_DIR).glob("documents-*.bin"), key=lambda p: p.stat().st_size)
    data = bytearray(shard.read_bytes())
    at = data.find(b"<p>", 200)
    assert at > 0
    data[at + 3:at + 6] = b"XYZ"
    shard.write_bytes(bytes(data))
    (out / "index.html").unlink()  # force some rendering
    site.build()
    assert_same_as_clean(site, tmp_path)


@pytest.mark.parametrize("damage", ["garble", "truncate", "delete"])
def test_damaged_texts_of_the_cache_are_parsed_again_not_trusted(site, tmp_path, damage):
    """The HTML of cached documents is read only when a page needs it (texts-<nn>.bin): a damaged
    blob found then is never used; the document is parsed again from its file, and the shard is
    dropped so the next build rewrites it."""
    root, out = site.root, site.out
    texts = sorted((root / CACHE_DIR).glob("texts-*.bin"))
    assert texts
    for path in texts:
        data = bytearray(path.read_bytes())
        if damage == "garble":
            at = data.find(b"<p>")
            assert at >= 0
            data[at + 3:at + 6] = b"XYZ"  # same length: only the CRC can tell
            path.write_bytes(bytes(data))
        elif damage == "truncate":
            path.write_bytes(bytes(data[: len(data) // 3]))
        else:
            path.unlink()
    shutil.rmtree(out)  # every page is rendered again, so every text is needed
    site.build()
    assert_same_as_clean(site, tmp_path)
    assert not any(b"XYZ" in data for data in snapshot(out).values())
    again = site.build(tmp_path / "again")  # the damaged shards were dropped and written anew
    assert snapshot(tmp_path / "again") == snapshot(out)
    for path in sorted((root / CACHE_DIR).glob("texts-*.bin")):
        assert b"XYZ" not in path.read_bytes()


def test_same_size_rewrite_with_restored_mtime_is_detected(site, tmp_path):
    root, out = site.root, site.out
    path = root / "content/posts/post-006.md"
    st = path.stat()
    text = path.read_text()
    changed = text.replace("un autre point", "un autre POINT")
    assert len(changed.encode()) == len(text.encode()) and changed != text
    path.write_text(changed, encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # as `cp -p`, `tar x` or `rsync -t` would
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
    rebuild_and_compare(site, tmp_path)
    assert any(b"un autre POINT" in data for data in snapshot(out).values())


def test_recently_modified_files_are_not_trusted_by_stat(make_site, tmp_path, monkeypatch):
    monkeypatch.setattr(cache_mod, "RACY_NS", 2_000_000_000)  # the real window
    site = generated_site(make_site, posts=3)
    root = site.root
    recent = root / "content/posts/post-001.md"
    site.build()  # the files were just written: too recent for the stat shortcut
    assert "content/posts/post-001.md" not in DocumentCache(root).load().stats
    past = time.time() - 10
    os.utime(recent, (past, past))  # an old mtime does not help: utime sets ctime to now
    site.build()
    assert "content/posts/post-001.md" not in DocumentCache(root).load().stats
    monkeypatch.setattr(cache_mod, "RACY_NS", 0)
    site.build()
    stats = DocumentCache(root).load().stats
    assert "content/posts/post-001.md" in stats
    # Rewritten with the same size and the recorded mtime: ctime differs, so it is hashed again.
    text = recent.read_text()
    st = recent.stat()
    recent.write_text(text.replace("Résumé", "RÉSUMÉ"), encoding="utf-8")
    os.utime(recent, ns=(st.st_atime_ns, st.st_mtime_ns))
    result = site.build()
    assert result.rendered > 0
    assert_same_as_clean(site, tmp_path)


# Output folder ---------------------------------------------------------------------------------

def test_unchanged_files_keep_inode_and_mtime(site, tmp_path):
    root, out = site.root, site.out
    before = inodes(out)
    path = root / "content/posts/post-008.md"
    path.write_text(path.read_text() + "\nUne ligne de plus.\n", encoding="utf-8")
    result = site.build()
    after = inodes(out)
    written = set(result.report.written)
    assert written and len(written) < len(before) / 2
    for rel, ident in before.items():
        if rel not in written:
            assert after[rel] == ident, rel
    assert not list(tmp_path.glob(".out.*")), "work folders are removed"


def test_failed_build_leaves_previous_site_untouched(site, tmp_path):
    root, out = site.root, site.out
    before, ids = snapshot(out), inodes(out)
    path = root / "content/posts/post-002.md"
    path.write_text("---\ntitle: [cassé\ndate: 2024-01-01\n---\n\nCorps.\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as info:
        site.build()
    assert any(p.file == "content/posts/post-002.md" for p in info.value.problems)
    assert snapshot(out) == before and inodes(out) == ids
    assert not list(tmp_path.glob(".out.*"))


def test_build_failing_after_reading_writes_no_cache(make_site, tmp_path):
    """Every file reads well, but two claim the same URL (found when the site is assembled, while
    the cache is already being written aside): nothing of the cache is published."""
    site = generated_site(make_site)
    root = site.root
    shutil.copy(root / "content/posts/post-003.md", root / "content/posts/post-003-copie.md")
    with pytest.raises(BuildFailed) as info:
        site.build(tmp_path / "out")
    assert any("post-003-copie.md" in p.message + p.file for p in info.value.problems)
    assert not (root / CACHE_DIR).exists()


def test_template_error_leaves_previous_site_untouched(site, tmp_path, monkeypatch):
    out = site.out
    before, ids = snapshot(out), inodes(out)
    site.write("templates/partials/card.html", "{{ a.title | no_such_filter }}")
    with pytest.raises(BuildFailed):
        site.build()
    assert snapshot(out) == before and inodes(out) == ids
    assert not list(tmp_path.glob(".out.*"))


def test_failure_while_writing_leaves_previous_site_untouched(site, tmp_path, monkeypatch):
    root, out = site.root, site.out
    before, ids = snapshot(out), inodes(out)
    cfg = root / "contentkit.yml"
    cfg.write_text(cfg.read_text().replace("Carnet incrémental", "Carnet modifié"), encoding="utf-8")
    real = output.OutputWriter.prepare
    calls = {"n": 0}

    def failing(self, rel, data):
        calls["n"] += 1
        if calls["n"] == 20:
            raise OSError(28, "No space left on device")
        return real(self, rel, data)
    monkeypatch.setattr(output.OutputWriter, "prepare", failing)
    with pytest.raises(OSError):
        site.build(workers=1)
    assert snapshot(out) == before and inodes(out) == ids
    assert not list(tmp_path.glob(".out.*"))
    monkeypatch.setattr(output.OutputWriter, "prepare", real)
    site.build()
    assert_same_as_clean(site, tmp_path)


def test_foreign_and_deleted_output_files_are_repaired(site, tmp_path):
    out = site.out
    victim = next(p for p in out.rglob("index.html") if "2024" in p.as_posix())
    victim.unlink()
    (out / "stray.txt").write_text("left by someone")
    (out / "tags").joinpath("donnees").joinpath("index.html").write_text("tampered")
    site.build()
    assert_same_as_clean(site, tmp_path)


def test_random_edit_sequences_match_clean_builds(make_site, tmp_path):
    """A seeded sequence of mixed edits (bodies, titles, tags, dates, authors, additions, deletions,
    renames), each followed by an incremental build compared with a clean one."""
    rng = random.Random(2024)
    site = generated_site(make_site, posts=30, seed=9)
    root = site.root
    state = BuildState()
    site.build()
    posts_dir = root / "content/posts"
    for round_no in range(6):
        for _ in range(rng.randint(1, 3)):
            files = sorted(posts_dir.glob("post-*.md"))
            path = rng.choice(files)
            rel = path.relative_to(root).as_posix()
            op = rng.choice(["body", "title", "tags", "date", "author", "add", "delete", "rename"])
            if op == "body":
                path.write_text(path.read_text() + f"\nParagraphe {round_no} « ajouté » : voilà.\n", encoding="utf-8")
            elif op == "title":
                site.edit(rel, title=f"Révisé {round_no} – " + site.front_matter(rel)[0]["title"])
            elif op == "tags":
                site.edit(rel, tags=rng.sample(TAGS, 2))
            elif op == "date":
                day = datetime(2023, 6, 1) + timedelta(days=rng.randint(0, 900))
                site.edit(rel, date=f"{day:%Y-%m-%d %H:%M}")
            elif op == "author":
                site.edit(rel, author=rng.choice(list(AUTHORS)))
            elif op == "add":
                name = f"post-new-{round_no}-{rng.randint(0, 999)}"
                write_post(site, 100 + round_no, rng, name=name,
                           date=datetime(2024, 2, 1) + timedelta(days=rng.randint(0, 400)))
            elif op == "delete" and len(files) > 5:
                path.unlink()
            elif op == "rename":
                path.rename(path.with_name(f"post-renamed-{round_no}-{rng.randint(0, 999)}.md"))
        site.build(state=state if round_no % 2 else None)
        assert_same_as_clean(site, tmp_path)
