"""The site-wide signature (render/pages.py `site_wide_inputs`) is complete and minimal.

What a user relies on: after any change to something every page shows (a category renamed, a page
added, an author renamed, search toggled, a UI string overridden, a template edited...), an
incremental build into the same output folder gives exactly the files, byte for byte, of a clean
build of the changed site. And each item of the signature is there for a reason: without it, some
change would leave stale pages behind (the build would keep pages whose signature did not move).
"""
from __future__ import annotations

import random
import textwrap
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import pytest

from contentkit import build as build_mod
from contentkit.build import build_site
from contentkit.model import BuildOptions
from contentkit.render import pages as pages_mod
from contentkit.render import seo as seo_mod

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
CATEGORIES = ["Technique", "Société"]
AUTHORS = {"alice": "Alice Martin", "bruno": "Bruno Lefèvre"}


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def post(i: int, **front: str) -> str:
    meta = {"title": f'"Article {i} : données et méthode"', "date": f"2025-0{1 + i % 9}-1{i % 10} 09:00",
            "author": list(AUTHORS)[i % 2], "tags": "[Données, Méthode]" if i % 2 else "[Données]",
            "category": CATEGORIES[i % 2], "summary": f'"Résumé {i}."', **front}
    head = "\n".join(f"{k}: {v}" for k, v in meta.items())
    return f"---\n{head}\n---\n\nUn paragraphe « cité » sur le sujet {i}.\n\n## Une section\n\nLa suite.\n"


def make_site(root: Path) -> Path:
    write(root, "contentkit.yml", 'title: "Carnet signé"\nbase_url: "https://blog.example.com/"\n'
          "language: fr\ntimezone: Europe/Paris\nper_page: 3\nfeed_items: 3\nsearch: false\n")
    for i in range(7):
        write(root, f"content/posts/post-{i}.md", post(i))
    write(root, "content/pages/a-propos.md", "---\ntitle: À propos\n---\n\nQui sommes-nous ?\n")
    for ident, name in AUTHORS.items():
        write(root, f"content/authors/{ident}.yml", f"name: {name}\nrole: staff\njob_title: Consultante\n")
    return root


def build(root: Path, out: Path, options: BuildOptions | None = None, **kwargs):
    return build_site(root, out, options or BuildOptions(now=NOW), workers=1, **kwargs)


def snapshot(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


# Changes: each edits the site (or the world around it) and returns the options of the next build.
Change = Callable[[Path, pytest.MonkeyPatch], BuildOptions]


def rename_category(root, mp):
    for i in range(0, 7, 2):
        edit(root, f"content/posts/post-{i}.md", "category: Technique", "category: Ingénierie")
    return BuildOptions(now=NOW)


def add_page(root, mp):
    write(root, "content/pages/contact.md", "---\ntitle: Contact\n---\n\nÉcrivez-nous.\n")
    return BuildOptions(now=NOW)


def rename_page(root, mp):
    edit(root, "content/pages/a-propos.md", "title: À propos", "title: Qui sommes-nous")
    return BuildOptions(now=NOW)


def rename_author(root, mp):
    edit(root, "content/authors/alice.yml", "name: Alice Martin", "name: Alice Martin-Dupré")
    return BuildOptions(now=NOW)


def rename_tag(root, mp):
    for i in range(1, 7, 2):
        edit(root, f"content/posts/post-{i}.md", "Méthode]", "Méthodologie]")
    return BuildOptions(now=NOW)


def toggle_search(root, mp):
    edit(root, "contentkit.yml", "search: false", "search: true")
    return BuildOptions(now=NOW)


def retitle_site(root, mp):
    edit(root, "contentkit.yml", 'title: "Carnet signé"', 'title: "Carnet renommé"')
    return BuildOptions(now=NOW)


def override_ui_string(root, mp):
    write(root, "i18n/fr.yml", "home: Page d’accueil\n")
    return BuildOptions(now=NOW)


def edit_base_template(root, mp):
    base = (Path(pages_mod.__file__).parent.parent / "themes/default/templates/base.html").read_text()
    write(root, "templates/base.html", base.replace("</footer>", "<p>Pied de page maison</p></footer>"))
    return BuildOptions(now=NOW)


def first_event(root, mp):
    """The first event post: the menu of every page gains the events page."""
    write(root, "content/posts/webinaire.md", textwrap.dedent("""\
        ---
        title: Webinaire données
        date: 2026-02-01 10:00
        author: alice
        category: Technique
        event: {start: 2026-03-10T11:00, end: 2026-03-10T12:00, timezone: Europe/Paris}
        ---

        Inscrivez-vous.
        """))
    return BuildOptions(now=NOW)


def show_drafts(root, mp):
    write(root, "content/posts/brouillon.md", post(8, status="draft", title='"Un brouillon"'))
    return BuildOptions(now=NOW, drafts=True)


def upgrade_contentkit(root, mp):
    """A new contentkit release whose rendering differs (here: the default og:image)."""
    mp.setattr(pages_mod, "__version__", pages_mod.__version__ + ".post1")
    mp.setattr(seo_mod, "default_image", lambda site: site.config.absolute("/images/nouvelle.png"))
    return BuildOptions(now=NOW)


CHANGES: dict[str, Change] = {f.__name__: f for f in (
    rename_category, add_page, rename_page, rename_author, rename_tag, toggle_search, retitle_site,
    override_ui_string, edit_base_template, first_event, show_drafts, upgrade_contentkit)}

#: For each item of site_wide_inputs, a change that only that item sees.
WITNESS = {"generator": upgrade_contentkit, "config": retitle_site, "templates": edit_base_template,
           "strings": override_ui_string, "pages": add_page, "globals": first_event}


def incremental_and_clean(tmp_path: Path, change: Change, mp: pytest.MonkeyPatch):
    """(files after an incremental build following `change`, files of a clean build after it)."""
    root = make_site(tmp_path / "src")
    out = tmp_path / "out"
    build(root, out)
    options = change(root, mp)
    build(root, out, options)
    clean = tmp_path / "clean"
    build(root, clean, options, use_cache=False)
    return snapshot(out), snapshot(clean)


def differences(got: dict[str, bytes], want: dict[str, bytes]) -> list[str]:
    return sorted(set(got) ^ set(want)) + [rel for rel in want if rel in got and got[rel] != want[rel]]


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_incremental_build_after_a_site_wide_change_equals_a_clean_build(tmp_path, monkeypatch, change):
    got, want = incremental_and_clean(tmp_path, CHANGES[change], monkeypatch)
    assert differences(got, want) == []


def test_a_shuffled_sequence_of_site_wide_changes_matches_clean_builds(tmp_path, monkeypatch):
    """The same changes one after another (a seeded order), each followed by an incremental build
    compared with a clean one: no change hides another's."""
    root = make_site(tmp_path / "src")
    out = tmp_path / "out"
    build(root, out)
    names = sorted(CHANGES)
    random.Random(13).shuffle(names)
    for n, name in enumerate(names):
        options = CHANGES[name](root, monkeypatch)
        build(root, out, options)
        clean = tmp_path / f"clean-{n}"
        build(root, clean, options, use_cache=False)
        assert differences(snapshot(out), snapshot(clean)) == [], name


def test_every_item_of_the_signature_has_a_witness(tmp_path, monkeypatch):
    """A new site-wide input comes with a change proving it is needed (below)."""
    real = pages_mod.site_wide_inputs
    seen = {}

    def spy(site, env, strings):
        seen.update(real(site, env, strings))
        return seen

    monkeypatch.setattr(build_mod, "site_wide_inputs", spy)
    build(make_site(tmp_path / "src"), tmp_path / "out")
    assert set(seen) == set(WITNESS)


@pytest.mark.parametrize("item", sorted(WITNESS))
def test_without_any_one_item_some_change_leaves_stale_pages(tmp_path, monkeypatch, item):
    real = pages_mod.site_wide_inputs

    def without_item(site, env, strings):
        inputs = real(site, env, strings)
        del inputs[item]
        return inputs

    monkeypatch.setattr(build_mod, "site_wide_inputs", without_item)
    got, want = incremental_and_clean(tmp_path, WITNESS[item], monkeypatch)
    stale = differences(got, want)
    assert stale, f"dropping {item!r} from the signature left no stale page"
    assert any(rel.endswith(".html") for rel in stale)
