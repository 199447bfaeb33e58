"""Front matter and metadata: title and summary length, missing summary, future dates, authors
without a profile, duplicate titles, published posts no other article links to."""
from __future__ import annotations

from ..model import Article

TITLE_MAX = 60
DESCRIPTION_MAX = 160


def check_metadata(checker, a: Article) -> None:
    lines = a.key_lines
    title_line = lines.get("title")
    log = checker.log
    if len(a.title) > TITLE_MAX:
        log.warning(a.source, "long-title", line=title_line, length=len(a.title), max=TITLE_MAX)
    if a.kind == "post":
        explicit = next((k for k in ("summary", "description", "excerpt") if k in lines), None)
        if explicit is None:
            log.warning(a.source, "no-summary", line=title_line)
        elif len(a.summary) > DESCRIPTION_MAX:
            log.warning(a.source, "long-description", line=lines.get(explicit), field=explicit,
                        length=len(a.summary), max=DESCRIPTION_MAX)
        if a.is_future and a.date:
            date = f"{a.date:%Y-%m-%d %H:%M}"
            if a.status == "scheduled":
                log.warning(a.source, "future-scheduled", line=lines.get("date"), date=date)
            else:
                log.warning(a.source, "future", line=lines.get("date"), date=date)
    for person in a.authors + a.interviewees:
        if person.generated:
            key = next((k for k in ("authors", "author", "interviewees") if k in lines), None)
            log.warning(a.source, "unknown-author", line=lines.get(key) if key else None, name=person.name,
                        id=person.id)


def check_duplicates(checker, articles: list[Article]) -> None:
    seen: dict[str, Article] = {}
    for a in articles:
        key = " ".join(a.title.replace("\u202f", " ").replace("\u00a0", " ").split()).casefold()
        other = seen.get(key)
        if other is None:
            seen[key] = a
            continue
        for x, y in ((a, other), (other, a)):
            checker.log.warning(x.source, "duplicate-title", line=x.key_lines.get("title"), other=y.source)


def check_orphans(checker, articles: list[Article]) -> None:
    for a in articles:
        if a.kind != "post" or not checker.is_live(a):
            continue
        if not checker.inbound.get(a.source):
            checker.log.warning(a.source, "orphan", line=a.key_lines.get("title"))
