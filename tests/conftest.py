"""Shared fixtures: small sites written inside the test, built with the real pipeline."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def write_site(root: Path, files: dict[str, str | bytes], config: str | None = None) -> Path:
    """Create a site folder: {relative path: text or bytes}. Text is dedented."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "contentkit.yml").write_text(
        config if config is not None else
        'title: "Carnet de test"\nbase_url: "https://blog.example.com/"\nlanguage: fr\n'
        "timezone: Europe/Paris\nper_page: 10\n", encoding="utf-8")
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


def run_cli(*args: str, cwd: Path | None = None, check: bool = False) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "contentkit", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, check=check, timeout=600)


@pytest.fixture
def make_site(tmp_path):
    def make(files: dict[str, str | bytes], config: str | None = None, name: str = "site-src") -> Path:
        return write_site(tmp_path / name, files, config)
    return make
