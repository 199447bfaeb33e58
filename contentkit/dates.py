"""Dates as real blogs write them, resolved in the site's timezone (never silently as UTC)."""
from __future__ import annotations

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from dateutil import parser as date_parser

_SHORT_HOUR = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})[ T](\d)(:\d\d)")
_FILENAME_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})-(.+)$")


class DateError(ValueError):
    pass


def parse_date(value, tz: ZoneInfo) -> datetime:
    """A YAML date, datetime or string -> an aware datetime. A value without zone is in `tz`."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), tzinfo=tz)
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
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def filename_date(stem: str) -> tuple[date | None, str]:
    """Jekyll-style 'YYYY-MM-DD-rest' (zero padding optional) -> (date, rest)."""
    m = _FILENAME_DATE.match(stem)
    if not m:
        return None, stem
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3))), m.group(4)
    except ValueError:
        return None, stem
