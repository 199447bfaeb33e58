"""Shared fixtures: small sites written inside the test, built with the real pipeline.

One factory writes every test site (SiteFactory; the `make_site` and `site` fixtures, or
`SiteFactory(folder, files, config)` in a module-scoped fixture), so that they all mean the same:

    site = make_site({"content/posts/x.md": "..."}, now=NOW)  # files, config, build defaults
    site.config(per_page=2)                    # contentkit.yml = DEFAULT_CONFIG + keys (or a text)
    site.post("x", "Un titre", "2026-01-10", tags=["a"], body="Texte.")  # content/posts/x.md
    site.page("a-propos", "À propos", body="Nous.")   # content/pages/a-propos.md
    site.author("alice", "Alice Durand")                # content/authors/alice.yml
    site.write("templates/base.html", text)            # any file
    site.edit("content/posts/x.md", title="Autre")      # change front matter keys in place
    result = site.build(use_cache=False)                # build_site -> BuildResult (site.out)
    model = site.load()                                 # load_site -> the content model
    doc = site.html("/2026/un-titre/")                  # lxml root of <out>/2026/un-titre/index.html
    files = site.snapshot()                             # {relative path: bytes} of the output

* Text written with `write` (and the `files` of `make_site`) is dedented and its leading newlines
  dropped, so a test can indent a file inside a triple-quoted string; bytes are written as they are.
  Files whose exact bytes or line numbers matter are written that way.
* Front matter, author profiles and keyed configs are serialised with `yaml.safe_dump` (one
  `key: value` line each, lists in flow style), so quoting is always right. A `date` given as a
  string is written as an author types it (`2026-01-10` is a YAML date, `2026-01-10 09:00` text).
* `build` and `load` take the same defaults as `build_site` / `load_site` (`contentkit build`:
  cache on, output in `<root>/site`), except those given to `make_site` for every build of that
  site (`make_site(files, now=NOW, use_cache=False, workers=1)`); a keyword of one call wins.
  `build(out)` builds elsewhere without moving `site.out`.
* A SiteFactory reads as its folder where a path is wanted (`str(site)`, `site / "content"`).
"""
from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
from datetime import date as Date, datetime
from pathlib import Path
from typing import Any

import lxml.html
import pytest
import yaml

from contentkit.build import BuildResult, build_site, load_site
from contentkit.errors import ProblemLog
from contentkit.model import BuildOptions, Site

REPO = Path(__file__).resolve().parent.parent

DEFAULT_CONFIG: dict[str, Any] = {"title": "Carnet de test", "base_url": "https://blog.example.com/",
                                  "language": "fr", "timezone": "Europe/Paris", "per_page": 10}


def dump_yaml(data: dict) -> str:
    """One `key: value` line per top-level key; lists and mappings of scalars inside it in flow
    style (`tags: [a, b]`, `event: {start: ...}`); no line wrapping; keys in the order given."""
    stream = io.StringIO()
    dumper = yaml.SafeDumper(stream, allow_unicode=True, sort_keys=False, default_flow_style=None,
                             width=1 << 16)
    try:
        dumper.open()
        node = dumper.represent_data(data)
        node.flow_style = False  # the document itself is a block mapping
        dumper.serialize(node)
        dumper.close()
    finally:
        dumper.dispose()
    return stream.getvalue()


def _date_value(value: Any) -> Any:
    if isinstance(value, str):
        return yaml.safe_load(value)  # as typed after `date: ` in a file
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M") if not value.second else value
    return value


class SiteFactory:
    """A site folder written by a test. `root` holds the sources; `out` is the last output folder."""

    def __init__(self, root: Path, files: dict[str, str | bytes] | None = None,
                 config: str | dict | None = None, **defaults: Any) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.defaults = defaults  # keywords of every build()/load() (now, use_cache, workers...)
        self.out = self.root / "site"
        if isinstance(config, str):
            self.config(config)
        else:
            self.config(**(config or {}))
        for rel, content in (files or {}).items():
            self.write(rel, content)

    def __repr__(self) -> str:
        return f"SiteFactory({str(self.root)!r})"

    # A factory also reads as its folder where a path is wanted: os.fspath(site), str(site),
    # site / "content" (a Path), build_site(site, ...).
    def __fspath__(self) -> str:
        return str(self.root)

    def __str__(self) -> str:
        return str(self.root)

    def __truediv__(self, other: str) -> Path:
        return self.root / other

    # Writing ----------------------------------------------------------------------------------
    def write(self, rel: str, content: str | bytes) -> Path:
        """Write a file under the root (text dedented, leading newlines dropped; bytes as is)."""
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
        return path

    def config(self, text: str | None = None, **keys: Any) -> SiteFactory:
        """contentkit.yml: `text` as written, or DEFAULT_CONFIG updated with `keys` (None drops one)."""
        if text is not None:
            if keys:
                raise TypeError("config(): give a text or keys, not both")
            self.write("contentkit.yml", text)
        else:
            data = {**DEFAULT_CONFIG, **keys}
            self.write("contentkit.yml", dump_yaml({k: v for k, v in data.items() if v is not None}))
        return self

    @staticmethod
    def document(front: dict[str, Any], body: str = "") -> str:
        """A Markdown file: YAML front matter (None values left out), then the body."""
        front = {k: _date_value(v) if k == "date" else v for k, v in front.items() if v is not None}
        body = textwrap.dedent(body).lstrip("\n")
        return f"---\n{dump_yaml(front)}---\n{body}" + ("" if not body or body.endswith("\n") else "\n")

    def post(self, name: str, title: str | None = None, date: str | Date | None = None, body: str = "",
             **front: Any) -> Path:
        """content/posts/<name>.md (or `name` itself when it ends in .md); front matter in the
        order title, date, then the keywords given."""
        rel = name if name.endswith(".md") else f"content/posts/{name}.md"
        return self.write(rel, self.document({"title": title, "date": date, **front}, body))

    def front_matter(self, rel: str) -> tuple[dict[str, Any], str]:
        """A Markdown file's front matter (parsed) and body."""
        _, head, body = self.read(rel).split("---\n", 2)
        return yaml.safe_load(head) or {}, body

    def edit(self, rel: str, body: str | None = None, **changes: Any) -> Path:
        """Rewrite a Markdown file with some front matter keys changed (None drops one) and,
        if given, a new body."""
        front, old_body = self.front_matter(rel)
        return self.write(rel, self.document({**front, **changes}, old_body if body is None else body))

    def page(self, name: str, title: str | None = None, body: str = "", **front: Any) -> Path:
        """content/pages/<name>.md (or `name` itself when it ends in .md)."""
        rel = name if name.endswith(".md") else f"content/pages/{name}.md"
        return self.write(rel, self.document({"title": title, **front}, body))

    def author(self, ident: str, name: str, role: str = "staff", **fields: Any) -> Path:
        """content/authors/<ident>.yml."""
        return self.write(f"content/authors/{ident}.yml", dump_yaml({"name": name, "role": role, **fields}))

    # Building ---------------------------------------------------------------------------------
    def _split(self, kwargs: dict[str, Any]) -> tuple[BuildOptions, dict[str, Any]]:
        """The site's defaults updated with one call's keywords -> (BuildOptions, the rest)."""
        kwargs = {**self.defaults, **kwargs}
        options = BuildOptions(**{k: kwargs.pop(k) for k in ("now", "drafts", "future", "preview") if k in kwargs})
        return options, kwargs

    def build(self, out: Path | str | None = None, **kwargs: Any) -> BuildResult:
        """build_site(root, out, BuildOptions(now, drafts, future, preview), **rest): use_cache,
        workers, state, extensions and config overrides as build_site takes them. Raises
        BuildFailed. `out` defaults to `self.out` (<root>/site unless the test sets it)."""
        options, kwargs = self._split(kwargs)
        return build_site(self.root, self.out if out is None else out, options, **kwargs)

    def load(self, log: ProblemLog | None = None, **kwargs: Any) -> Site:
        """load_site(root, BuildOptions(...), log, **rest): the content model, nothing written."""
        options, kwargs = self._split(kwargs)
        return load_site(self.root, options, log, **kwargs)

    # Reading ----------------------------------------------------------------------------------
    def read(self, rel: str) -> str:
        """A source file's text."""
        return (self.root / rel).read_text(encoding="utf-8")

    def output(self, url: str, out: Path | str | None = None) -> Path:
        """The output file for a URL or a relative path: "/2026/x/" -> <out>/2026/x/index.html."""
        rel = url.lstrip("/")
        if not rel or rel.endswith("/"):
            rel += "index.html"
        return Path(out if out is not None else self.out) / rel

    def html(self, url: str = "/", out: Path | str | None = None):
        """The lxml root element of a built page."""
        return lxml.html.parse(str(self.output(url, out))).getroot()

    def snapshot(self, out: Path | str | None = None) -> dict[str, bytes]:
        """Every output file's bytes, by relative path (of the last build unless told)."""
        return snapshot(out if out is not None else self.out)


def snapshot(folder: Path | str) -> dict[str, bytes]:
    """Every file's bytes under a folder, by relative path."""
    folder = Path(folder)
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def write_site(root: Path, files: dict[str, str | bytes], config: str | None = None) -> Path:
    """The factory's folder for callers that want only the path (module-scoped fixtures)."""
    return SiteFactory(root, files, config).root


def run_cli(*args: str, cwd: Path | None = None, check: bool = False) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "contentkit", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, check=check, timeout=600)


@pytest.fixture
def make_site(tmp_path):
    """make_site(files=None, config=None, name="site-src", **build_defaults) -> SiteFactory in
    tmp_path/<name>."""
    def make(files: dict[str, str | bytes] | None = None, config: str | dict | None = None,
             name: str = "site-src", **defaults: Any) -> SiteFactory:
        return SiteFactory(tmp_path / name, files, config, **defaults)
    return make


@pytest.fixture
def site(make_site) -> SiteFactory:
    """An empty site with the default config."""
    return make_site()
