"""One located error type for everything an author or a web person can get wrong.

Every problem the tool reports names a file, the line when it is known, what is wrong and what to
do about it. Content problems are collected (a build reports all of them in one run); a
`BuildFailed` carries the collected list to the command line or the preview overlay.

Wording lives in the `errors` catalog (contentkit/catalogs/<lang>/errors.yml), one entry per
problem code with a `message` and usually a `hint`, formatted with the problem's parameters:

    log.error(rel, "url-claimed-twice", line=3, other="posts/b.md", url="/2024/a/")

A problem is worded in English when made; `ProblemLog.add/error/warning` re-word it in the log's
language (the site's), so every problem a build collects reads in the site's language.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .i18n import DEFAULT_LANGUAGE, catalog


@dataclass(frozen=True)
class Problem:
    """A located message: an error stops the build, a warning does not.

    `code` is the stable identifier of the kind of problem (`broken-link`, `image-alt`...) and its
    key in the `errors` catalog; scripts filter on it (`contentkit check --json`). `params` are the
    values its wording is formatted with, kept so the problem can be worded in another language."""

    file: str  # path relative to the site folder when possible
    message: str
    hint: str = ""
    line: int | None = None
    severity: str = "error"  # "error" | "warning"
    code: str = ""
    params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, code: str, file: str | Path, line: int | None = None, severity: str = "error",
           lang: str = DEFAULT_LANGUAGE, **params: Any) -> "Problem":
        """The problem `code` worded from the catalog (parameters are shown as text)."""
        pairs = tuple((k, "" if v is None else str(v)) for k, v in params.items())
        message, hint = wording(code, dict(pairs), lang)
        return cls(str(file), message, hint, line, severity, code, pairs)

    def in_language(self, lang: str) -> "Problem":
        """The same problem worded in `lang` (itself when it has no catalog entry)."""
        if not self.code or f"errors.{self.code}.message" not in catalog(DEFAULT_LANGUAGE):
            return self
        message, hint = wording(self.code, dict(self.params), lang)
        if (message, hint) == (self.message, self.hint):
            return self
        return dataclasses.replace(self, message=message, hint=hint)

    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def __str__(self) -> str:
        text = f"{self.location()}: {self.severity}: {self.message}"
        if self.hint:
            text += f"\n    -> {self.hint}"
        return text

    def as_dict(self) -> dict:
        data = {"file": self.file, "line": self.line, "severity": self.severity}
        if self.code:
            data["code"] = self.code
        data.update(message=self.message, hint=self.hint)
        return data


def wording(code: str, params: dict[str, str], lang: str) -> tuple[str, str]:
    """(message, hint) of a problem code in a language; the key itself when the catalog lacks it
    (caught by tests/test_messages.py)."""
    messages = catalog(lang)
    key = f"errors.{code}"
    hint = messages.t(f"{key}.hint", **params) if f"{key}.hint" in messages else ""
    return messages.t(f"{key}.message", **params), hint


class ContentError(Exception):
    """Raised where one located problem makes a single file unusable:
    `raise ContentError(rel, "front-matter-unclosed", line=1)`."""

    def __init__(self, file: str | Path, code: str, line: int | None = None, **params: Any):
        self.problem = Problem.of(code, file, line, **params)
        super().__init__(str(self.problem))


class BuildFailed(Exception):
    """The build found errors; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = [p for p in problems if p.severity == "error"]
        self.warnings = [p for p in problems if p.severity != "error"]
        self.sources: tuple[str, ...] = ()  # the content files read, when the failure came after reading
        super().__init__(f"{len(self.problems)} error(s)")


@dataclass
class ProblemLog:
    """Collects problems in the order found, so one run reports them all, worded in `lang` (the
    site's language once its config is read)."""

    problems: list[Problem] = field(default_factory=list)
    lang: str = DEFAULT_LANGUAGE

    def error(self, file, code, line=None, **params) -> None:
        self.problems.append(Problem.of(code, file, line, "error", self.lang, **params))

    def warning(self, file, code, line=None, **params) -> None:
        self.problems.append(Problem.of(code, file, line, "warning", self.lang, **params))

    def add(self, problem: Problem) -> None:
        self.problems.append(problem.in_language(self.lang))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise BuildFailed(self.problems)
