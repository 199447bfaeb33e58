"""One located error type for everything an author or a web person can get wrong.

Every problem the tool reports names a file, the line when it is known, what is wrong and what to
do about it. Content problems are collected (a build reports all of them in one run); a
`BuildFailed` carries the collected list to the command line or the preview overlay.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """A located message: an error stops the build, a warning does not.

    `code` is a stable identifier of the kind of problem (`broken-link`, `image-alt`...), set by the
    editor checks (`contentkit check`) so that scripts can filter on it; empty when not classified."""

    file: str  # path relative to the site folder when possible
    message: str
    hint: str = ""
    line: int | None = None
    severity: str = "error"  # "error" | "warning"
    code: str = ""

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


class ContentError(Exception):
    """Raised where one located problem makes a single file unusable."""

    def __init__(self, file: str | Path, message: str, hint: str = "", line: int | None = None):
        self.problem = Problem(str(file), message, hint, line)
        super().__init__(str(self.problem))


class BuildFailed(Exception):
    """The build found errors; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = [p for p in problems if p.severity == "error"]
        self.warnings = [p for p in problems if p.severity != "error"]
        super().__init__(f"{len(self.problems)} error(s)")


@dataclass
class ProblemLog:
    """Collects problems in the order found, so one run reports them all."""

    problems: list[Problem] = field(default_factory=list)

    def error(self, file, message, hint="", line=None) -> None:
        self.problems.append(Problem(str(file), message, hint, line, "error"))

    def warning(self, file, message, hint="", line=None) -> None:
        self.problems.append(Problem(str(file), message, hint, line, "warning"))

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise BuildFailed(self.problems)
