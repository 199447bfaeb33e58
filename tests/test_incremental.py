"""Incremental and cached builds are byte-identical to a clean build.

Each scenario builds a small generated site (cache on), changes something, rebuilds into the same
output folder (cache, manifest, stat shortcut, unchanged files left alone), then builds the same
sources from scratch into another folder with no cache, and compares every file's bytes.
"""
from __future__ import annotations

import os
import random
import shutil
import textwrap
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from contentkit import build as build_mod
from contentkit.model import BuildOptions
from contentkit.build import BuildState, build_site
from contentkit.content import cache as cache_mod
from contentkit.content import loader
from contentkit.content.cache import CACHE_DIR, DocumentCache
from contentkit.errors import BuildFailed

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


def _post(i: int, rng: random.Random, *, title: str | None = None, date: datetime | None = None,
          tags: list[str] | None = None, extra: str = "") -> str:
    date = date or datetime(2024, 1, 1, 9, 0) + timedelta(days=3 * i)
    tags = tags if tags is not None else rng.sample(TAGS, rng.randint(1, 3))
    author = list(AUTHORS)[i % len(AUTHORS)]
    paras = "\n\n".join(" ".join(_sentence(rng) for _ in range(rng.randint(2, 5))) for _ in range(rng.randint(2, 4)))
    return textwrap.dedent(f"""\
        ---
        title: "{title or f'Article numéro {i} sur les {rng.choice(WORDS)}'}"
        date: {date:%Y-%m-%d %H:%M}
        author: {author}
        tags: [{", ".join(tags)}]
        category: {CATEGORIES[i % len(CATEGORIES)]}
        summary: "Résumé de l'article {i}."
        ---
        """) + f"\n{paras}\n\n## Une section\n\n{paras[:200]}\n\n- un point\n- un autre point « cité »\n{extra}"


def make_site(root: Path, posts: int = 24, seed: int = 1) -> Path:
    rng = random.Random(seed)
    root.mkdir(parents=True)
    (root / "contentkit.yml").write_text(
        'title: "Carnet incrémental"\nbase_url: "https://blog.example.com/"\nlanguage: fr\n'
        "timezone: Europe/Paris\nper_page: 3\nfeed_items: 4\nsearch: false\n", encoding="utf-8")
    for i in range(posts):
        write(root, f"content/posts/post-{i:03d}.md", _post(i, rng))
    # An alias (redirect page), a static page, an event post, a profile without posts (empty feed).
    if posts > 5:
        text = (root / "content/posts/post-005.md").read_text()
        write(root, "content/posts/post-005.md", text.replace("summary:", "aliases: [/ancien-lien/]\nsummary:", 1))
    write(root, "content/pages/a-propos.md", "---\ntitle: À propos\n---\n\nQui sommes-nous ?\n")
    write(root, "content/posts/webinaire.md", textwrap.dedent("""\
        ---
        title: Webinaire données
        date: 2026-02-01 10:00
        author: alice
        tags: [Données]
        event: {start: 2026-03-10T11:00, end: 2026-03-10T12:00, timezone: Europe/Paris}
        ---

        Inscrivez-vous.
        """))
    for ident, name in AUTHORS.items():
        write(root, f"content/authors/{ident}.yml", f"name: {name}\nrole: staff\njob_title: Consultante\nbio: Bio de {name}.\n")
    write(root, "content/authors/dora.yml", "name: Dora Sans-Article\nrole: staff\n")
    return root


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def build(root: Path, out: Path, now: datetime = NOW, **kwargs):
    return build_site(root, out, BuildOptions(now=now), **kwargs)


def snapshot(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def inodes(out: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in out.rglob("*") if p.is_file()}


def assert_same_as_clean(root: Path, out: Path, tmp_path: Path, now: datetime = NOW) -> None:
    clean = tmp_path / f"clean-{time.monotonic_ns()}"
    build(root, clean, now=now, use_cache=False, workers=1)
    got, want = snapshot(out), snapshot(clean)
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
def site(tmp_path):
    root = make_site(tmp_path / "src")
    age_sources(root)
    out = tmp_path / "out"
    build(root, out)
    build(root, out)  # second build: everything from the cache and the stat shortcut
    return root, out


def rebuild_and_compare(root: Path, out: Path, tmp_path: Path, **kwargs):
    result = build(root, out, **kwargs)
    assert_same_as_clean(root, out, tmp_path)
    return result


# Scenarios -------------------------------------------------------------------------------------

def test_cached_build_equals_clean_build(site, tmp_path):
    root, out = site
    result = build(root, out)
    assert result.rendered == 0 and not result.report.written and not result.report.removed
    assert_same_as_clean(root, out, tmp_path)


def test_edit_body(site, tmp_path):
    root, out = site
    path = root / "content/posts/post-007.md"
    path.write_text(path.read_text() + "\nUn paragraphe ajouté « pour voir ».\n", encoding="utf-8")
    result = rebuild_and_compare(root, out, tmp_path)
    assert 0 < result.rendered < result.planned / 2


def test_edit_title_shown_elsewhere(site, tmp_path):
    """Titles appear in prev/next links, related posts, redirects, the 404 page's latest posts."""
    root, out = site
    for rel in ("content/posts/post-005.md", "content/posts/post-023.md"):
        path = root / rel
        text = path.read_text()
        old = text.split('title: "', 1)[1].split('"', 1)[0]
        path.write_text(text.replace(old, old + " (revu)", 1), encoding="utf-8")
    rebuild_and_compare(root, out, tmp_path)


def test_delete(site, tmp_path):
    root, out = site
    (root / "content/posts/post-010.md").unlink()
    result = rebuild_and_compare(root, out, tmp_path)
    assert result.report.removed


def test_rename_and_duplicate(site, tmp_path):
    root, out = site
    (root / "content/posts/post-011.md").rename(root / "content/posts/renomme.md")
    # Same bytes under a second name (another URL via slug): the cached document is shared.
    text = (root / "content/posts/post-012.md").read_text().replace("summary:", "slug: copie\nsummary:", 1)
    write(root, "content/posts/copie-a.md", text)
    write(root, "content/posts/copie-b.md", text.replace("slug: copie", "slug: copie-deux"))
    rebuild_and_compare(root, out, tmp_path)


def test_tag_change(site, tmp_path):
    root, out = site
    path = root / "content/posts/post-003.md"
    text = path.read_text()
    tags_line = next(line for line in text.splitlines() if line.startswith("tags:"))
    path.write_text(text.replace(tags_line, "tags: [Nouvelle étiquette, Cuisine]"), encoding="utf-8")
    rebuild_and_compare(root, out, tmp_path)


def test_date_change_reorders_home(site, tmp_path):
    root, out = site
    path = root / "content/posts/post-000.md"
    path.write_text(path.read_text().replace("date: 2024-01-01 09:00", "date: 2026-02-20 09:00"), encoding="utf-8")
    rebuild_and_compare(root, out, tmp_path)


def test_old_post_added_to_tag_changes_counts(site, tmp_path):
    """A post older than a tag's first page still changes the count that page shows."""
    root, out = site
    write(root, "content/posts/vieux.md", _post(99, random.Random(5), date=datetime(2019, 1, 1),
                                                   tags=["Données", "Musique"]))
    rebuild_and_compare(root, out, tmp_path)


def test_author_profile_change(site, tmp_path):
    root, out = site
    write(root, "content/authors/bruno.yml", "name: Bruno Lefèvre\nrole: staff\njob_title: Associé\n"
          "bio: Nouvelle bio.\nexpertise: [données, sécurité]\n")
    rebuild_and_compare(root, out, tmp_path)


def test_template_change(site, tmp_path):
    root, out = site
    from contentkit.render.env import BUILTIN_THEMES
    card = (BUILTIN_THEMES / "default/templates/partials/card.html").read_text()
    write(root, "templates/partials/card.html", card.replace('<article class="card">', '<article class="card card-v2">'))
    result = rebuild_and_compare(root, out, tmp_path)
    assert result.rendered > 0


def test_config_change(site, tmp_path):
    root, out = site
    cfg = root / "contentkit.yml"
    cfg.write_text(cfg.read_text().replace("Carnet incrémental", "Carnet renommé"), encoding="utf-8")
    rebuild_and_compare(root, out, tmp_path)


def test_time_passing_publishes_and_ends_events(site, tmp_path):
    root, out = site
    write(root, "content/posts/futur.md", "---\ntitle: Plus tard\ndate: 2026-03-05 08:00\nauthor: alice\n"
          "tags: [Données]\n---\n\nBientôt.\n")
    build(root, out)
    later = NOW + timedelta(days=20)  # the post is due and the webinar is over
    build(root, out, now=later)
    assert_same_as_clean(root, out, tmp_path, now=later)


def test_serve_state_across_builds(site, tmp_path):
    root, out = site
    state = BuildState()
    build(root, out, state=state)
    for i in (2, 9):
        path = root / f"content/posts/post-{i:03d}.md"
        path.write_text(path.read_text() + f"\nÉdition {i}.\n", encoding="utf-8")
        build(root, out, state=state)
        assert_same_as_clean(root, out, tmp_path)


def test_cache_that_cannot_be_written_is_a_warning_and_is_written_next_time(tmp_path, monkeypatch):
    """The cache's documents are written by a forked process while the site is assembled, then
    published. A cache that cannot be written does not fail the build (a warning says so), and the
    next build (same state, as in `serve`) writes it all: a fresh build then parses nothing."""
    root = make_site(tmp_path / "src")
    age_sources(root)
    out = tmp_path / "out"
    blocked = [root / CACHE_DIR / f"documents-{shard}.bin" for shard in cache_mod.SHARDS]
    for path in blocked:  # a folder where each shard goes: replacing it with a file fails
        path.mkdir(parents=True)
    state = BuildState()
    result = build(root, out, state=state)
    assert [w.file for w in result.warnings if w.code == "cache-write-failed"] == [CACHE_DIR]
    assert not [p for p in (root / CACHE_DIR).iterdir() if ".soon-" in p.name]  # no leftovers
    assert_same_as_clean(root, out, tmp_path)
    for path in blocked:
        path.rmdir()
    build(root, out, state=state)
    parsed: list[int] = []
    real = loader.parse_documents
    monkeypatch.setattr(loader, "parse_documents", lambda jobs, *a, **k: parsed.append(len(jobs)) or real(jobs, *a, **k))
    result = build(root, out)
    assert parsed == [0] and result.rendered == 0


# Parallelism -----------------------------------------------------------------------------------

def test_one_worker_and_many_workers_are_identical(tmp_path, monkeypatch):
    monkeypatch.setattr(loader, "PARALLEL_THRESHOLD", 2)
    monkeypatch.setattr(build_mod, "RENDER_PARALLEL_THRESHOLD", 2)
    root = make_site(tmp_path / "src", posts=40, seed=3)
    build(root, tmp_path / "one", use_cache=False, workers=1)
    result = build(root, tmp_path / "many", use_cache=False, workers=3)
    assert result.rendered > 2
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "many")


# Cache -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("damage", ["truncate", "garble", "garbage", "stale-format"])
def test_corrupted_cache_is_detected_and_rebuilt(site, tmp_path, damage):
    root, out = site
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
            import marshal
            payload = b"M" + marshal.dumps(("documents-v0", {}))
            shard.write_bytes(cache_mod.MAGIC + cache_mod._checksum(payload) + payload)
    # Also change a post, so a wrong cache entry would show.
    path = root / "content/posts/post-004.md"
    path.write_text(path.read_text() + "\nCorrection.\n", encoding="utf-8")
    result = build(root, out)
    warned = any("cache" in w.file + w.message for w in result.warnings)
    assert warned == (damage != "stale-format"), result.warnings  # an upgrade is not damage
    assert_same_as_clean(root, out, tmp_path)
    again = build(root, out)  # the cache was rewritten: no more warning, nothing to render
    assert not any("cache" in w.message for w in again.warnings)
    assert again.rendered == 0


def test_garbled_document_inside_a_valid_cache_file_is_not_trusted(site, tmp_path):
    """Flip bytes inside a stored HTML string: the file still decodes, the checksum does not match."""
    root, out = site
    shard = max((root / CACHE_DIR).glob("documents-*.bin"), key=lambda p: p.stat().st_size)
    data = bytearray(shard.read_bytes())
    at = data.find(b"<p>", 200)
    assert at > 0
    data[at + 3:at + 6] = b"XYZ"
    shard.write_bytes(bytes(data))
    (out / "index.html").unlink()  # force some rendering
    build(root, out)
    assert_same_as_clean(root, out, tmp_path)


@pytest.mark.parametrize("damage", ["garble", "truncate", "delete"])
def test_damaged_texts_of_the_cache_are_parsed_again_not_trusted(site, tmp_path, damage):
    """The HTML of cached documents is read only when a page needs it (texts-<nn>.bin): a damaged
    blob found then is never used; the document is parsed again from its file, and the shard is
    dropped so the next build rewrites it."""
    root, out = site
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
    build(root, out)
    assert_same_as_clean(root, out, tmp_path)
    assert not any(b"XYZ" in data for data in snapshot(out).values())
    again = build(root, tmp_path / "again")  # the damaged shards were dropped and written anew
    assert snapshot(tmp_path / "again") == snapshot(out)
    for path in sorted((root / CACHE_DIR).glob("texts-*.bin")):
        assert b"XYZ" not in path.read_bytes()


def test_same_size_rewrite_with_restored_mtime_is_detected(site, tmp_path):
    root, out = site
    path = root / "content/posts/post-006.md"
    st = path.stat()
    text = path.read_text()
    changed = text.replace("un autre point", "un autre POINT")
    assert len(changed.encode()) == len(text.encode()) and changed != text
    path.write_text(changed, encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # as `cp -p`, `tar x` or `rsync -t` would
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
    rebuild_and_compare(root, out, tmp_path)
    assert any(b"un autre POINT" in data for data in snapshot(out).values())


def test_recently_modified_files_are_not_trusted_by_stat(tmp_path, monkeypatch):
    monkeypatch.setattr(cache_mod, "RACY_NS", 2_000_000_000)  # the real window
    root = make_site(tmp_path / "src", posts=3)
    out = tmp_path / "out"
    recent = root / "content/posts/post-001.md"
    build(root, out)  # the files were just written: too recent for the stat shortcut
    assert "content/posts/post-001.md" not in DocumentCache(root).load().stats
    past = time.time() - 10
    os.utime(recent, (past, past))  # an old mtime does not help: utime sets ctime to now
    build(root, out)
    assert "content/posts/post-001.md" not in DocumentCache(root).load().stats
    monkeypatch.setattr(cache_mod, "RACY_NS", 0)
    build(root, out)
    stats = DocumentCache(root).load().stats
    assert "content/posts/post-001.md" in stats
    # Rewritten with the same size and the recorded mtime: ctime differs, so it is hashed again.
    text = recent.read_text()
    st = recent.stat()
    recent.write_text(text.replace("Résumé", "RÉSUMÉ"), encoding="utf-8")
    os.utime(recent, ns=(st.st_atime_ns, st.st_mtime_ns))
    result = build(root, out)
    assert result.rendered > 0
    assert_same_as_clean(root, out, tmp_path)


# Output folder ---------------------------------------------------------------------------------

def test_unchanged_files_keep_inode_and_mtime(site, tmp_path):
    root, out = site
    before = inodes(out)
    path = root / "content/posts/post-008.md"
    path.write_text(path.read_text() + "\nUne ligne de plus.\n", encoding="utf-8")
    result = build(root, out)
    after = inodes(out)
    written = set(result.report.written)
    assert written and len(written) < len(before) / 2
    for rel, ident in before.items():
        if rel not in written:
            assert after[rel] == ident, rel
    assert not list(tmp_path.glob(".out.*")), "work folders are removed"


def test_failed_build_leaves_previous_site_untouched(site, tmp_path):
    root, out = site
    before, ids = snapshot(out), inodes(out)
    path = root / "content/posts/post-002.md"
    path.write_text("---\ntitle: [cassé\ndate: 2024-01-01\n---\n\nCorps.\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as info:
        build(root, out)
    assert any(p.file == "content/posts/post-002.md" for p in info.value.problems)
    assert snapshot(out) == before and inodes(out) == ids
    assert not list(tmp_path.glob(".out.*"))


def test_build_failing_after_reading_writes_no_cache(tmp_path):
    """Every file reads well, but two claim the same URL (found when the site is assembled, while
    the cache is already being written aside): nothing of the cache is published."""
    root = make_site(tmp_path / "src")
    shutil.copy(root / "content/posts/post-003.md", root / "content/posts/post-003-copie.md")
    with pytest.raises(BuildFailed) as info:
        build(root, tmp_path / "out")
    assert any("post-003-copie.md" in p.message + p.file for p in info.value.problems)
    assert not (root / CACHE_DIR).exists()


def test_template_error_leaves_previous_site_untouched(site, tmp_path, monkeypatch):
    root, out = site
    before, ids = snapshot(out), inodes(out)
    write(root, "templates/partials/card.html", "{{ a.title | no_such_filter }}")
    with pytest.raises(BuildFailed):
        build(root, out)
    assert snapshot(out) == before and inodes(out) == ids
    assert not list(tmp_path.glob(".out.*"))


def test_failure_while_writing_leaves_previous_site_untouched(site, tmp_path, monkeypatch):
    root, out = site
    before, ids = snapshot(out), inodes(out)
    cfg = root / "contentkit.yml"
    cfg.write_text(cfg.read_text().replace("Carnet incrémental", "Carnet modifié"), encoding="utf-8")
    from contentkit import output
    real = output.OutputWriter.prepare
    calls = {"n": 0}

    def failing(self, rel, data):
        calls["n"] += 1
        if calls["n"] == 20:
            raise OSError(28, "No space left on device")
        return real(self, rel, data)
    monkeypatch.setattr(output.OutputWriter, "prepare", failing)
    with pytest.raises(OSError):
        build(root, out, workers=1)
    assert snapshot(out) == before and inodes(out) == ids
    assert not list(tmp_path.glob(".out.*"))
    monkeypatch.setattr(output.OutputWriter, "prepare", real)
    build(root, out)
    assert_same_as_clean(root, out, tmp_path)


def test_foreign_and_deleted_output_files_are_repaired(site, tmp_path):
    root, out = site
    victim = next(p for p in out.rglob("index.html") if "2024" in p.as_posix())
    victim.unlink()
    (out / "stray.txt").write_text("left by someone")
    (out / "tags").joinpath("donnees").joinpath("index.html").write_text("tampered")
    build(root, out)
    assert_same_as_clean(root, out, tmp_path)


def test_random_edit_sequences_match_clean_builds(tmp_path):
    """A seeded sequence of mixed edits (bodies, titles, tags, dates, authors, additions, deletions,
    renames), each followed by an incremental build compared with a clean one."""
    rng = random.Random(2024)
    root = make_site(tmp_path / "src", posts=30, seed=9)
    out = tmp_path / "out"
    state = BuildState()
    build(root, out)
    posts_dir = root / "content/posts"
    for round_no in range(6):
        for _ in range(rng.randint(1, 3)):
            files = sorted(posts_dir.glob("post-*.md"))
            path = rng.choice(files)
            text = path.read_text()
            op = rng.choice(["body", "title", "tags", "date", "author", "add", "delete", "rename"])
            if op == "body":
                path.write_text(text + f"\nParagraphe {round_no} « ajouté » : voilà.\n", encoding="utf-8")
            elif op == "title":
                path.write_text(text.replace('title: "', f'title: "Révisé {round_no} – ', 1), encoding="utf-8")
            elif op == "tags":
                line = next(x for x in text.splitlines() if x.startswith("tags:"))
                path.write_text(text.replace(line, "tags: [" + ", ".join(rng.sample(TAGS, 2)) + "]"), encoding="utf-8")
            elif op == "date":
                line = next(x for x in text.splitlines() if x.startswith("date:"))
                day = datetime(2023, 6, 1) + timedelta(days=rng.randint(0, 900))
                path.write_text(text.replace(line, f"date: {day:%Y-%m-%d %H:%M}"), encoding="utf-8")
            elif op == "author":
                line = next(x for x in text.splitlines() if x.startswith("author:"))
                path.write_text(text.replace(line, f"author: {rng.choice(list(AUTHORS))}"), encoding="utf-8")
            elif op == "add":
                write(root, f"content/posts/post-new-{round_no}-{rng.randint(0, 999)}.md",
                      _post(100 + round_no, rng, date=datetime(2024, 2, 1) + timedelta(days=rng.randint(0, 400))))
            elif op == "delete" and len(files) > 5:
                path.unlink()
            elif op == "rename":
                path.rename(path.with_name(f"post-renamed-{round_no}-{rng.randint(0, 999)}.md"))
        build(root, out, state=state if round_no % 2 else None)
        assert_same_as_clean(root, out, tmp_path)
