"""URL slugs and heading ids: python-slugify with a fixed transliteration backend, memoised.

Two reasons not to call `slugify.slugify` directly in hot paths:
- python-slugify >= 9 with the default `backend="auto"` tries `import unidecode` on every call and
  falls back to `text_unidecode` when it is missing; a failing import walks sys.path each time
  (~35 µs per call, seconds over a 5,000-post site). It also means the slugs would silently change
  if someone installed `unidecode`. We pin `text_unidecode`, the library python-slugify ships with.
- A site slugifies the same tag, category and author names thousands of times, and the same titles
  at every build: the build cache keeps the memo between builds (`memo()` / `preload()`).
"""
from __future__ import annotations

import inspect

from slugify import slugify as _slugify

_KWARGS = {"backend": "text-unidecode"} if "backend" in inspect.signature(_slugify).parameters else {}
_MEMO: dict[str, dict[str, str]] = {}  # separator -> text -> slug
_LIMIT = 200_000


def slugify(text: str, separator: str = "-") -> str:
    if type(text) is not str:
        return _slugify(text, separator=separator, **_KWARGS)  # whatever python-slugify does with it
    memo = _MEMO.get(separator)
    if memo is None:
        memo = _MEMO[separator] = {}
    slug = memo.get(text)
    if slug is None:
        if len(memo) >= _LIMIT:
            memo.clear()
        slug = memo[text] = _slugify(text, separator=separator, **_KWARGS)
    return slug


def memo() -> dict[str, dict[str, str]]:
    """Everything slugified so far in this process (for the build cache)."""
    return _MEMO


def preload(saved: dict[str, dict[str, str]]) -> None:
    """Slugs computed by an earlier build with the same python-slugify version."""
    for separator, items in saved.items():
        if isinstance(separator, str) and isinstance(items, dict):
            _MEMO.setdefault(separator, {}).update(items)
