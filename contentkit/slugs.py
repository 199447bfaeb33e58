"""URL slugs and heading ids: python-slugify with a fixed transliteration backend, memoised.

Two reasons not to call `slugify.slugify` directly in hot paths:
- python-slugify >= 9 with the default `backend="auto"` tries `import unidecode` on every call and
  falls back to `text_unidecode` when it is missing; a failing import walks sys.path each time
  (~35 µs per call, seconds over a 5,000-post site). It also means the slugs would silently change
  if someone installed `unidecode`. We pin `text_unidecode`, the library python-slugify ships with.
- A site slugifies the same tag, category and author names thousands of times.
"""
from __future__ import annotations

import inspect
from functools import lru_cache

from slugify import slugify as _slugify

_KWARGS = {"backend": "text-unidecode"} if "backend" in inspect.signature(_slugify).parameters else {}


@lru_cache(maxsize=1 << 16)
def _cached(text: str, separator: str) -> str:
    return _slugify(text, separator=separator, **_KWARGS)


def slugify(text: str, separator: str = "-") -> str:
    if type(text) is str:
        return _cached(text, separator)
    return _slugify(text, separator=separator, **_KWARGS)  # whatever python-slugify does with it
