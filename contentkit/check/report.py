"""The result of `contentkit check` and how it is printed (text for people, JSON for scripts)."""
from __future__ import annotations

from dataclasses import dataclass, field

from rich.console import Console

from ..errors import Problem


@dataclass
class CheckReport:
    findings: list[Problem] = field(default_factory=list)
    articles: int = 0
    external_checked: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [f for f in self.findings if f.severity == "warning"]

    def as_dict(self) -> dict:
        return {"summary": {"articles": self.articles, "errors": len(self.errors),
                            "warnings": len(self.warnings), "external_checked": self.external_checked},
                "findings": [f.as_dict() for f in self.findings]}


def print_text(report: CheckReport) -> None:
    console = Console(highlight=False, soft_wrap=True)
    for f in report.findings:
        style = "bold red" if f.severity == "error" else "yellow"
        console.print(f"[{style}]{f.severity}[/] [bold]{f.location()}[/] [dim]({f.code})[/]", end=" ")
        console.print(f.message, markup=False)
        if f.hint:
            console.print(f"    → {f.hint}", markup=False)
    errors, warnings = len(report.errors), len(report.warnings)
    verdict = "[bold red]not ready[/]" if errors else "[green]ready to publish[/]"
    console.print(f"{report.articles} articles checked: {errors} error(s), {warnings} warning(s) — {verdict}"
                  + (f" ({report.external_checked} external links checked)" if report.external_checked else ""))
