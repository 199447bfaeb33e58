"""Front matter and metadata: title and summary length, missing summary, future dates, authors
without a profile, duplicate titles, published posts no other article links to."""
from __future__ import annotations

from ..model import Article

TITLE_MAX = 60
DESCRIPTION_MAX = 160


def check_metadata(checker, a: Article) -> None:
    lines = a.key_lines
    title_line = lines.get("title")
    if len(a.title) > TITLE_MAX:
        checker.add(a.source, title_line, "warning", "long-title",
                    f"title of {len(a.title)} characters (over {TITLE_MAX}): search engines cut it",
                    "shorten the title; keep the words people search for at the start")
    if a.kind == "post":
        explicit = next((k for k in ("summary", "description", "excerpt") if k in lines), None)
        if explicit is None:
            checker.add(a.source, title_line, "warning", "no-summary",
                        "no summary: the first paragraph is used for search results, social cards and feeds",
                        "add `summary: \"…\"` (one or two sentences, 160 characters at most) to the front matter")
        elif len(a.summary) > DESCRIPTION_MAX:
            checker.add(a.source, lines.get(explicit), "warning", "long-description",
                        f"{explicit} of {len(a.summary)} characters (over {DESCRIPTION_MAX}): search "
                        "engines and social networks cut it", "shorten it to one or two sentences")
        if a.is_future and a.date:
            scheduled = a.status == "scheduled"
            checker.add(a.source, lines.get("date"), "warning", "future",
                        f"dated in the future ({a.date:%Y-%m-%d %H:%M}): "
                        + ("scheduled, it goes live then" if scheduled else
                        "it is not on the site until then"),
                        "check the date; `contentkit build --future` previews it" if not scheduled
                        else "nothing to do if the date is right")
    for person in a.authors + a.interviewees:
        if person.generated:
            key = next((k for k in ("authors", "author", "interviewees") if k in lines), None)
            checker.add(a.source, lines.get(key) if key else None, "warning", "unknown-author",
                        f"'{person.name}' has no author profile (a minimal page is generated)",
                        f"create content/authors/{person.id}.yml with name, job_title, bio and photo, "
                        "or use the id of an existing profile")


def check_duplicates(checker, articles: list[Article]) -> None:
    seen: dict[str, Article] = {}
    for a in articles:
        key = " ".join(a.title.replace("\u202f", " ").replace("\u00a0", " ").split()).casefold()
        other = seen.get(key)
        if other is None:
            seen[key] = a
            continue
        for x, y in ((a, other), (other, a)):
            checker.add(x.source, x.key_lines.get("title"), "warning", "duplicate-title",
                        f"same title as {y.source}", "give each article its own title (readers and "
                        "search engines cannot tell them apart)")


def check_orphans(checker, articles: list[Article]) -> None:
    for a in articles:
        if a.kind != "post" or not checker.is_live(a):
            continue
        if not checker.inbound.get(a.source):
            checker.add(a.source, a.key_lines.get("title"), "warning", "orphan",
                        "no other article links to this one",
                        "link to it from a related article or from a topic hub (content/topics/), so "
                        "readers and search engines find it")

# External links -------------------------------------------------------------------------------
