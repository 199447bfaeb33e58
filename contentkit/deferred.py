"""Dataclass fields whose value may be read later: the big strings of a cached document.

A build that changes one post out of thousands renders a handful of pages, yet every document's
HTML, table of contents and Markdown source (~85% of the cache's bytes) used to be decoded at every
start. The cache now stores those strings apart (content/cache.py) and hands the model a `Deferred`
that reads them on first use. Readers never see the difference: `article.html` is a property that
returns the string, loading it the first time.
"""
from __future__ import annotations

from typing import Protocol


class Deferred(Protocol):
    def get(self) -> dict[str, str]:
        """field name -> value, read (once) from wherever the values are kept."""


def deferrable(*names: str):
    """Class decorator (put it above @dataclass): each named field may be given a `Deferred`
    instead of its value, and is resolved on first read."""
    def wrap(cls):
        for name in names:
            setattr(cls, name, _field_property(name))
        return cls
    return wrap


def _field_property(name: str) -> property:
    slot = "_" + name

    def get(self):
        value = self.__dict__[slot]
        if not isinstance(value, str):
            value = value.get()[name]
            self.__dict__[slot] = value
        return value

    def set(self, value) -> None:
        self.__dict__[slot] = value

    return property(get, set)


def raw(obj, name: str):
    """The field as stored (a string or a `Deferred`), without loading it: to pass it on."""
    return obj.__dict__["_" + name]
