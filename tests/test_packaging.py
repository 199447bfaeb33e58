"""A wheel is a working install: built with `python -m build`, installed (not editable) into a fresh
virtual environment, it runs `contentkit init`, `contentkit build` and `contentkit serve` from a
folder outside this repository (theme, templates and catalogs come from the package data).

The venv sees the test environment's site-packages (`--system-site-packages`) for the
dependencies; contentkit itself is installed from the wheel with `--ignore-installed`, and the test
checks that the command really runs the installed copy, not this checkout.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from lxml import html as lxml_html

from .conftest import REPO



def _run(args: list[str], cwd: Path, env: dict, timeout: float = 300) -> subprocess.CompletedProcess:
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{' '.join(map(str, args))} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    """A venv outside the repository with the wheel installed; returns its paths and environment."""
    base = tmp_path_factory.mktemp("packaging")
    src = base / "src"  # a copy, so that the build's build/ and *.egg-info stay out of the checkout
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, src / name)
    shutil.copytree(REPO / "contentkit", src / "contentkit",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env.update(COLUMNS="200", NO_COLOR="1")
    dist = base / "dist"
    _run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(src)], cwd=base, env=env, timeout=600)
    wheels = list(dist.glob("contentkit-*.whl"))
    assert len(wheels) == 1, wheels

    venv = base / "venv"
    _run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)], cwd=base, env=env)
    python = venv / "bin" / "python"
    # pip from the outer environment (visible through --system-site-packages) installs into the venv
    _run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--ignore-installed", "--no-index",
          str(wheels[0])], cwd=base, env=env)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    work = base / "work"
    work.mkdir()
    where = _run([str(python), "-c", "import contentkit; print(contentkit.__file__)"], cwd=work, env=env)
    location = Path(where.stdout.strip()).resolve()
    assert location.is_relative_to(venv.resolve()), f"contentkit imported from {location}, not the venv"
    assert not location.is_relative_to(REPO.resolve())
    return {"venv": venv, "env": env, "work": work, "contentkit": str(venv / "bin" / "contentkit")}


def test_wheel_holds_the_package_data(installed):
    package = Path(_run([str(installed["venv"] / "bin" / "python"), "-c",
                         "import contentkit, pathlib; print(pathlib.Path(contentkit.__file__).parent)"],
                        cwd=installed["work"], env=installed["env"]).stdout.strip())
    source = REPO / "contentkit"
    expected = {p.relative_to(source).as_posix() for p in source.rglob("*")
                if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc",)}
    shipped = {p.relative_to(package).as_posix() for p in package.rglob("*")
               if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc",)}
    assert expected - shipped == set(), "files of contentkit/ missing from the wheel"


def test_init_and_build_with_the_installed_wheel(installed):
    ck, env, work = installed["contentkit"], installed["env"], installed["work"]
    _run([ck, "init", "site", "--title", "Carnet de test"], cwd=work, env=env)
    site = work / "site"
    build = _run([ck, "build", "--no-cache"], cwd=site, env=env)
    assert "Traceback" not in build.stderr
    index = site / "site" / "index.html"
    assert index.is_file(), build.stderr
    tree = lxml_html.fromstring(index.read_bytes())
    assert "Carnet de test" in tree.findtext(".//title")
    stylesheets = [h for h in tree.xpath("//link[@rel='stylesheet']/@href")]
    assert any("style.css" in h for h in stylesheets), stylesheets
    css = next(h for h in stylesheets if "style.css" in h)
    css_file = site / "site" / re.sub(r"^(https?://[^/]+)?/", "", css).split("?")[0]
    assert css_file.is_file() and css_file.stat().st_size > 1000, css_file
    assert (site / "site" / "a-propos" / "index.html").is_file()


def test_serve_with_the_installed_wheel(installed):
    ck, env, work = installed["contentkit"], installed["env"], installed["work"]
    if not (work / "site").exists():
        _run([ck, "init", "site", "--title", "Carnet de test"], cwd=work, env=env)
    proc = subprocess.Popen([ck, "serve", "--port", "0", "--host", "127.0.0.1"], cwd=work / "site", env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url, output = None, []
        deadline = time.monotonic() + 120
        while url is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            output.append(line)
            m = re.search(r"(?:Preview|Prévisualisation) ?: (http://127\.0\.0\.1:\d+/)", line)
            if m:
                url = m.group(1)
        assert url, "".join(output)
        with urllib.request.urlopen(url, timeout=30) as response:
            assert response.status == 200
            page = response.read().decode("utf-8")
        tree = lxml_html.fromstring(page)
        assert "Carnet de test" in tree.findtext(".//title")
        scripts = []
        for script in tree.xpath("//script"):
            if script.get("src"):
                with urllib.request.urlopen(urllib.request.urljoin(url, script.get("src")), timeout=30) as r:
                    scripts.append(r.read().decode("utf-8", "replace"))
            else:
                scripts.append(script.text or "")
        assert any("EventSource" in s for s in scripts), "no live-reload client in the preview page"
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            rest, _ = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            rest, _ = proc.communicate()
    assert proc.returncode == 0, rest
    assert "Traceback" not in "".join(output) + rest
