"""The result of `contentkit check` and how it is printed (text for people, JSON for scripts).

The findings are the problems of a ProblemLog (worded in the site's language from the errors
catalog); the report's own lines (counts, verdict) come from the `cli` catalog section."""
from __future__ import annotations

from dataclasses import dataclass, field

from rich.console import Console

from ..errors import Problem, ProblemLog
from ..i18n import catalog
from ..commands.terminal import severity_label


@dataclass
class CheckReport:
    log: ProblemLog = field(default_factory=ProblemLog)
    articles: int = 0
    external_checked: int = 0

    @property
    def lang(self) -> str:
        return self.log.lang

    @property
    def findings(self) -> list[Problem]:
        return self.log.problems

    @property
    def errors(self) -> list[Problem]:
        return self.log.errors

    @property
    def warnings(self) -> list[Problem]:
        return self.log.warnings

    def as_dict(self) -> dict:
        return {"summary": {"articles": self.articles, "errors": len(self.errors),
                            "warnings": len(self.warnings), "external_checked": self.external_checked},
                "findings": [f.as_dict() for f in self.findings]}


def print_text(report: CheckReport) -> None:
    console = Console(highlight=False, soft_wrap=True)
    messages = catalog(report.lang)
    for f in report.findings:
        style = "bold red" if f.severity == "error" else "yellow"
        console.print(f"[{style}]{severity_label(messages, f.severity)}[/] [bold]{f.location()}[/] "
                      f"[dim]({f.code})[/]", end=" ")
        console.print(f.message, markup=False)
        if f.hint:
            console.print(f"    → {f.hint}", markup=False)
    errors, warnings = len(report.errors), len(report.warnings)
    verdict = (f"[bold red]{messages.t('cli.check.not_ready')}[/]" if errors
               else f"[green]{messages.t('cli.check.ready')}[/]")
    external = (messages.counted("cli.check.external", report.external_checked)
                if report.external_checked else "")
    console.print(messages.t("cli.check.summary", articles=messages.counted("cli.check.articles", report.articles),
                             errors=messages.counted("cli.check.errors", errors),
                             warnings=messages.counted("cli.check.warnings", warnings),
                             verdict=verdict, external=external))
