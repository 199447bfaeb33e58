"""Dates as real blogs write them, resolved in the site's timezone (never silently as UTC), and
printed as the site's language writes them (Babel, plus the French "1er" of the first day)."""
from __future__ import annotations

import functools
import re
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, get_month_names
from dateutil import parser as date_parser

_SHORT_HOUR = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})[ T](\d)(:\d\d)")
_FILENAME_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})-(.+)$")


class DateError(ValueError):
    pass


def parse_date(value, tz: ZoneInfo) -> datetime:
    """A YAML date, datetime or string -> an aware datetime. A value without zone is in `tz`."""
    if isinstance(value, datetime):
        return value if value.tzinfo else localize(value, tz)
    if isinstance(value, date):
        return localize(datetime.combine(value, time(0, 0)), tz)
    if not isinstance(value, str) or not value.strip():
        raise DateError(f"{value!r} is not a date")
    text = _SHORT_HOUR.sub(r"\1 0\2\3", value.strip())
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            # Day first: French and most of the world write 30/03/2015.
            parsed = date_parser.parse(text, dayfirst=True)
        except (ValueError, OverflowError) as exc:
            raise DateError(f"'{value}' is not a date I can read") from exc
    return parsed if parsed.tzinfo else localize(parsed, tz)


def localize(naive: datetime, tz: ZoneInfo) -> datetime:
    """A wall-clock time in `tz`, normalized across DST changes.

    A time skipped by the spring change (2026-03-29 02:30 in Europe/Paris) moves forward by the
    gap (03:30+02:00, the instant 01:30 UTC); a time repeated by the autumn change
    (2026-10-25 02:30) is its first occurrence (02:30+02:00, summer time). Write an explicit offset
    (2026-10-25T02:30:00+01:00) for the second one.
    """
    aware = naive.replace(tzinfo=tz, fold=0)
    try:
        return aware.astimezone(timezone.utc).astimezone(tz)
    except OverflowError:  # year 1 or 9999: nothing to normalize
        return aware


def filename_date(stem: str) -> tuple[date | None, str]:
    """Jekyll-style 'YYYY-MM-DD-rest' (zero padding optional) -> (date, rest)."""
    m = _FILENAME_DATE.match(stem)
    if not m:
        return None, stem
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3))), m.group(4)
    except ValueError:
        return None, stem


# Languages that write the first day of a month as an ordinal: "1er septembre 2024" in French
# (Babel's patterns, like CLDR's, give "1 septembre"). English writes "September 1, 2024".
_FIRST_DAY_SUFFIX = {"fr": "er"}


@functools.lru_cache(maxsize=16)
def _first_day(locale: str) -> tuple[re.Pattern, str] | None:
    """A pattern finding the day "1" before one of the locale's month names, and its suffix."""
    suffix = _FIRST_DAY_SUFFIX.get(re.split(r"[-_]", locale, maxsplit=1)[0].lower())
    if suffix is None:
        return None
    months = {name for width in ("wide", "abbreviated") for context in ("format", "stand-alone")
              for name in get_month_names(width, context, locale=locale).values()}
    alternatives = "|".join(sorted(map(re.escape, months), key=len, reverse=True))
    return re.compile(rf"(?<![\d.,])1(?=[ \u00a0\u202f]+(?:{alternatives}))", re.I), suffix


def first_day_ordinal(text: str, locale: str) -> str:
    """"1 septembre 2024" -> "1er septembre 2024" where the language says so. Plain text, no
    <sup>: the same string serves pages, attributes, feeds and JSON-LD. "01/09/2024" and
    "11 septembre" are left alone."""
    rule = _first_day(locale)
    if rule is None or "1" not in text:
        return text
    pattern, suffix = rule
    return pattern.sub("1" + suffix, text)


def format_day(value: date, fmt: str, locale: str) -> str:
    """A date in the site's language (Babel's named formats or a pattern), with the ordinal day 1."""
    return first_day_ordinal(format_date(value, format=fmt, locale=locale), locale)


def format_moment(value: datetime, fmt: str, tz: ZoneInfo, locale: str) -> str:
    """A date and time in `tz`, in the site's language, with the ordinal day 1."""
    return first_day_ordinal(format_datetime(value, format=fmt, tzinfo=tz, locale=locale), locale)
