"""The speed shortcuts (contentkit/shortcuts.py): all active on the pinned library versions (this
fails loudly, rather than the build getting silently slower, when a supported version stops
matching), the same site with every one of them switched off, and `build --verbose` naming them."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from contentkit import shortcuts, text
from contentkit.content import markdown as engine
from contentkit.render import env as env_mod  # noqa: F401 - its shortcut is probed with the first environment

from .conftest import snapshot

REPO = Path(__file__).resolve().parent.parent
EXPECTED = {"jinja.escape-output", "markdown.block-lookups", "markdown.idle-passes", "markdown.inline",
            "markdown.lexer-memo", "markdown.toc-string", "pygments.stylesheet", "re.parser-requirements",
            "text.word-class-codec"}


def _build(tmp_path: Path, name: str, **env) -> tuple[Path, str]:
    work = tmp_path / "src"  # the same folder for both builds: outputs may name it
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(REPO, work, ignore=shutil.ignore_patterns("site", ".contentkit-cache", "reports", ".git",
                                                              "tests", "benchmarks", "node_modules"))
    out = tmp_path / name
    environ = {key: value for key, value in os.environ.items() if key != shortcuts.SWITCH}
    environ.update(PYTHONPATH=str(REPO), **env)
    done = subprocess.run([sys.executable, "-m", "contentkit", "build", "--output", str(out), "--no-cache",
                           "--verbose", "--workers", "1"], cwd=work, env=environ, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return out, done.stdout + done.stderr


def test_every_shortcut_is_active_on_the_installed_versions(monkeypatch):
    monkeypatch.delenv(shortcuts.SWITCH, raising=False)
    engine.new_engine("fr")
    engine.render_markdown("```python\nx = 1\n```\n", "fr")
    assert text.count_prose_words_fast("<p>Un œuf — deux, l’été.</p>", "fr") == 4  # l’été: one word
    env_mod.use_fast_output(env_mod.jinja2.Environment(autoescape=True))
    found = {s.name: s for s in shortcuts.registered()}
    assert EXPECTED <= set(found), EXPECTED - set(found)
    fell_back = [f"{s.name} ({s.library} {s.installed}, supported {s.supported}): {s.reason}"
                 for s in found.values() if not s.active]
    assert not fell_back, "speed shortcuts fell back on the installed versions: " + "; ".join(fell_back)


def test_register_honours_the_switch(monkeypatch):
    monkeypatch.setenv(shortcuts.SWITCH, "1")
    assert not shortcuts.enabled()
    assert shortcuts.register("test.probe", module=__name__, replaces="x", library="Python",
                              supported="any", active=True) is False
    monkeypatch.setenv(shortcuts.SWITCH, "0")
    assert shortcuts.register("test.probe", module=__name__, replaces="x", library="Python",
                              supported="any", active=True) is True
    shortcuts._REGISTRY.pop("test.probe")


def test_demo_site_is_byte_identical_without_shortcuts_and_verbose_lists_them(tmp_path):
    fast, fast_log = _build(tmp_path, "fast")
    plain, plain_log = _build(tmp_path, "plain", **{shortcuts.SWITCH: "1"})
    a, b = snapshot(fast), snapshot(plain)
    assert sorted(a) == sorted(b)
    assert [rel for rel in a if a[rel] != b[rel]] == []
    listed = [line.strip() for line in fast_log.splitlines() if line.strip().startswith("raccourci ")]  # French demo
    names = {line.split()[1] for line in listed}
    # every one, even those first used in workers or never in this build (the word count): --verbose
    # probes them all
    assert EXPECTED <= names, fast_log
    assert all(" : actif — " in line for line in listed), listed
    off = [line for line in plain_log.splitlines() if line.strip().startswith("raccourci ")]
    assert {line.split()[1] for line in off} >= EXPECTED, plain_log
    assert all("remplacé par le chemin standard (CONTENTKIT_NO_SHORTCUTS)" in line for line in off), plain_log
