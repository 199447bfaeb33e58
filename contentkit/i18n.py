"""Message catalogs: one folder per language, one YAML file per section,
contentkit/catalogs/<lang>/<section>.yml.

Why YAML rather than gettext (Babel): theme authors already override the theme's strings with
`i18n/<lang>.yml` files, so one format serves the package catalogs, theme overrides and site
overrides; there is no compile step (.po -> .mo) to forget before a build or a release; keys are
stable identifiers (`report.verdict`) rather than English source sentences, so fixing an English
wording never orphans the French translation. Adding a language = adding a `catalogs/<lang>/`
folder (a missing file or key falls back to English).

Sections (one file each; the file name is the first part of a key): `site` (what the theme shows; theme and site
`i18n/<lang>.yml` override these flat keys), `preview` (overlay and editorial panel), `report`
(HTML report), `analysis` (terminal verdicts, analytics labels), `content` (what the Markdown
reader adds to articles), `cli` (terminal messages), `errors` (build and check problems, hints).
Lookup order for a key: the language's catalog, then English.
"""

from __future__ import annotations

import functools
import string
from pathlib import Path
from typing import Any

import yaml
from babel.numbers import format_decimal

from .yaml_safe import SAFE_LOADER

CATALOG_DIR = Path(__file__).parent / "catalogs"
DEFAULT_LANGUAGE = "en"


def base_language(lang: str | None) -> str:
    """`fr-CA` -> `fr`, `FR_fr` -> `fr`; empty -> English."""
    return (lang or DEFAULT_LANGUAGE).replace("_", "-").split("-")[0].lower() or DEFAULT_LANGUAGE


def flatten(data: dict, prefix: str = "") -> dict[str, Any]:
    """{'a': {'b': 1}} -> {'a.b': 1} (what the key-parity test compares)."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, name + "."))
        else:
            out[name] = value
    return out


def placeholders(text: str) -> set[str]:
    """The str.format field names of a message."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def read_language(directory: Path, code: str) -> dict:
    """{section: messages} from every <directory>/<code>/<section>.yml."""
    return {path.stem: yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or {}
            for path in sorted((directory / code).glob("*.yml"))}


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


class Catalog:
    """The messages of one language, English filling any key the language lacks."""

    def __init__(self, lang: str, data: dict):
        self.lang = lang
        self.data = data
        self._flat = flatten(data)

    def t(self, key: str, **kwargs: Any) -> str:
        """The message at a dotted key, formatted with str.format(**kwargs); the key itself if missing
        (visible in a screenshot, and caught by the key tests)."""
        text = self._flat.get(key)
        if text is None:
            return key
        return str(text).format(**kwargs) if kwargs else str(text)

    def counted(self, key: str, n: int, **kwargs: Any) -> str:
        """A counted phrase: `<key>_zero` (when the catalog has it) for 0, `<key>_one` for 1,
        `<key>_other` otherwise; `n` is one of its placeholders."""
        if n == 0 and f"{key}_zero" in self._flat:
            return self.t(f"{key}_zero", n=n, **kwargs)
        return self.t(f"{key}_one" if n == 1 else f"{key}_other", n=n, **kwargs)

    def decimal(self, value: float, places: int) -> str:
        """A number with `places` decimals as the language writes it (0.52 / 0,52)."""
        return format_decimal(value, format="0." + "0" * places if places else "0", locale=self.lang)

    def section(self, name: str) -> dict:
        """One top-level section as a (nested) dict, e.g. section('report')."""
        value = self.data.get(name)
        return dict(value) if isinstance(value, dict) else {}

    def keys(self) -> set[str]:
        return set(self._flat)

    def __contains__(self, key: str) -> bool:
        return key in self._flat


@functools.lru_cache(maxsize=None)
def catalog(lang: str | None = None, directory: Path = CATALOG_DIR) -> Catalog:
    """The catalog of a language (cached). Unknown language -> English; `fr-CA` -> `fr`."""
    code = base_language(lang)
    english = read_language(directory, DEFAULT_LANGUAGE)
    if code == DEFAULT_LANGUAGE:
        return Catalog(code, english)
    own = read_language(directory, code)
    return Catalog(code if own else DEFAULT_LANGUAGE, _merge(english, own))


def languages(directory: Path = CATALOG_DIR) -> list[str]:
    """The languages that have a catalog folder."""
    return sorted(p.name for p in directory.iterdir() if p.is_dir() and any(p.glob("*.yml")))
