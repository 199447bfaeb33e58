"""Locale-aware numbers and durations, with the convention decided once per file.

Analytics tools write numbers the way their UI language does: ``3,047`` and ``12.14%`` (English),
``3 047`` (with a plain space, U+00A0 or U+202F), ``84,6`` and ``45,2 %`` (French), ``2.546`` and
``"99,88%"`` (German/Dutch UIs), or raw machine numbers (``0.164364035087719``). A cell like
``1,234`` alone is ambiguous (one thousand two hundred and thirty-four, or 1.234), so the decimal
separator is **never guessed cell by cell**: :class:`Evidence` looks at every metric cell of the
file, then :meth:`Evidence.decide` picks one :class:`NumberConvention` for the whole file:

* decisive for a decimal comma: ``12,5`` / ``0,25`` / ``3,14159`` (one, two or 4+ digits after the
  comma, or a leading 0), ``1.234,5``, ``1 234,5``, ``1.234.567``;
* decisive for a decimal point: the same shapes with the separators swapped;
* ambiguous: ``1,234`` and ``1.234`` (exactly three digits after a 1-3 digit integer part). When
  nothing else in the file decides, ``1,234`` is read as a decimal comma if the UI language is
  French and as a thousands separator otherwise; ``1.234`` is read as a decimal point.
* Conflicting decisive evidence (both ``12,5`` and ``12.5``): the majority wins and a warning says so.

Spaces (plain, no-break U+00A0, narrow no-break U+202F, thin U+2009) are always accepted as
thousands separators: they cannot be decimal marks.

Rates: a cell with ``%`` is divided by 100; a rate column without ``%`` is read as a fraction
(0-1), unless some value in that column is above 1, in which case the whole column is in percent.
Durations: ``00:03:12``, ``1:02:03``, ``03:12``, ``<00:00:01`` (read as 0), ``45.3`` / ``45,3``
seconds, ``1m 30s``, ``2 min 5 s``, ``1h 2min``.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from contentkit.errors import Problem

SPACES = " \u00a0\u202f\u2009"
_SP = "[ \u00a0\u202f\u2009]"

#: Cells meaning "no data" in a metric column (read as None, not 0).
MISSING = frozenset({"", "-", "–", "—", "n/a", "na", "nan", "null", "none", "(not set)", "--"})


@dataclass(frozen=True)
class NumberConvention:
    """How the numbers of one file are written: ``decimal`` mark and accepted ``thousands`` marks."""

    decimal: str
    thousands: str
    label: str

    def __str__(self) -> str:
        return self.label


class GroupingError(ValueError):
    """A number whose thousands groups are not groups of three (``1,23,4``)."""


PLAIN = NumberConvention(".", SPACES, "plain numbers (decimal point)")
DECIMAL_POINT_COMMA_THOUSANDS = NumberConvention(".", "," + SPACES, "decimal point, comma thousands")
DECIMAL_POINT_SPACE_THOUSANDS = NumberConvention(".", SPACES, "decimal point, space thousands")
DECIMAL_COMMA_SPACE_THOUSANDS = NumberConvention(",", SPACES, "decimal comma, space thousands")
DECIMAL_COMMA_DOT_THOUSANDS = NumberConvention(",", "." + SPACES, "decimal comma, dot thousands")

_CURRENCY = re.compile(
    r"(?:[A-Z]{1,3}\s?)?[$€£¥₹₩₽]|\b(?:EUR|USD|GBP|CHF|CAD|AUD|JPY|SEK|NOK|DKK|PLN)\b")
_EN_FULL = re.compile(r"\d{1,3}(?:,\d{3})+\.\d+")
_DE_FULL = re.compile(r"\d{1,3}(?:\.\d{3})+,\d+")
_SPACE_GROUP = re.compile(r"\d{1,3}(?:" + _SP + r"\d{3})+(?:([.,])\d+)?")
_COMMA_MULTI = re.compile(r"\d{1,3}(?:,\d{3}){2,}")
_DOT_MULTI = re.compile(r"\d{1,3}(?:\.\d{3}){2,}")
_AMBIG = re.compile(r"[1-9]\d{0,2}([.,])\d{3}")
_ONE_SEP = re.compile(r"(\d+)([.,])(\d+)")
_BODY = re.compile(r"\d[\d.,\u00a0\u202f\u2009 ]*|[.,]\d+")
_DURATION_CLOCK = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:[.,]\d+)?)")
_DURATION_UNITS = re.compile(
    r"(?:(\d+(?:[.,]\d+)?)\s*h(?:ours?|rs?)?)?\s*(?:(\d+(?:[.,]\d+)?)\s*m(?:in(?:utes?)?)?)?"
    r"\s*(?:(\d+(?:[.,]\d+)?)\s*s(?:ec(?:ond)?s?)?)?", re.I)
_LEADING_INT = re.compile(r"\d+")


def clean_cell(text: str) -> tuple[str, bool, bool]:
    """Strip spaces, currency and ``%`` → (number body, negative, had_percent)."""
    s = text.strip(SPACES + "\t\r\n\ufeff")
    percent = False
    if s.endswith("%"):
        percent = True
        s = s[:-1].rstrip(SPACES)
    elif s.startswith("%"):
        percent = True
        s = s[1:].lstrip(SPACES)
    if not s[:1].isdigit() or not s[-1:].isdigit():
        s = _CURRENCY.sub("", s).strip(SPACES)
    negative = False
    if s[:1] in ("-", "\u2212"):
        negative = True
        s = s[1:].lstrip(SPACES)
    elif s.startswith("(") and s.endswith(")"):
        negative = True
        s = s[1:-1].strip(SPACES)
    return s, negative, percent


def looks_numeric(text: str) -> bool:
    """True for a cell that is a number in *some* convention (with %, currency, separators)."""
    s = text.strip(SPACES)
    if s.lower() in MISSING:
        return True
    body, _, _ = clean_cell(text)
    return bool(_BODY.fullmatch(body)) or bool(_DURATION_CLOCK.fullmatch(body.lstrip("<>").strip()))


class Evidence:
    """Collects the separator evidence of one file's metric cells; :meth:`decide` concludes."""

    __slots__ = ("comma_decimal", "point_decimal", "comma_ambiguous", "point_ambiguous",
                 "comma_grouping", "point_grouping", "space_grouping", "examples", "rate_columns",
                 "_shapes")

    def __init__(self):
        self.comma_decimal = 0
        self.point_decimal = 0
        self.comma_ambiguous = 0
        self.point_ambiguous = 0
        self.comma_grouping = 0
        self.point_grouping = 0
        self.space_grouping = 0
        self.examples: dict[str, str] = {}
        # rate column index -> [seen '%', seen unsuffixed value > 1]
        self.rate_columns: dict[int, list[bool]] = {}
        self._shapes: dict[str, tuple[tuple[str, ...], str | None]] = {}

    def add(self, cell: str) -> None:
        """Record the evidence of one metric cell (durations with ``:`` give none).

        Cells are classified by shape (digits 1-9 as ``9``, ``0`` kept), cached per file, so a
        big file costs one dict look-up per cell.
        """
        if cell.isdigit():
            return
        shape = cell.translate(_SHAPE)
        found = self._shapes.get(shape)
        if found is None:
            found = self._shapes[shape] = _classify(shape)
        counters, example = found
        for name in counters:
            setattr(self, name, getattr(self, name) + 1)
        if example and example not in self.examples:
            self.examples[example] = cell

    def add_rate(self, column: int, cell: str) -> None:
        """Record a rate cell: whether the column uses ``%`` or values above 1 without it."""
        state = self.rate_columns.setdefault(column, [False, False])
        if cell.rstrip(SPACES).endswith("%"):
            state[0] = True
            return
        if state[1]:
            return
        body, _, percent = clean_cell(cell)
        if percent:
            state[0] = True
            return
        m = _LEADING_INT.match(body)
        if not m:
            return
        whole = int(m.group())
        rest = body[m.end():]
        if whole > 1 or (whole == 1 and any(c in "123456789" for c in rest)):
            state[1] = True

    def percent_column(self, column: int) -> bool:
        """True when the rate column's unsuffixed values are percentages (some value above 1)."""
        state = self.rate_columns.get(column)
        return bool(state and state[1])

    def decide(self, ui_language: str = "en") -> tuple[NumberConvention, list[Problem]]:
        """The file's convention, and notes worth a warning (conflicts, ambiguity resolved), as
        problems whose file the importer fills in."""
        notes: list[Problem] = []
        comma, point = self.comma_decimal, self.point_decimal
        if comma and point:
            decimal = "," if comma > point else "."
            examples = dict(comma=comma, point=point, comma_example=self.examples.get("comma"),
                            point_example=self.examples.get("point"))
            if decimal == ",":
                notes.append(Problem.of("traffic-numbers-conflict-comma", "", severity="warning",
                                        **examples))
            else:
                notes.append(Problem.of("traffic-numbers-conflict-point", "", severity="warning",
                                        **examples))
        elif comma:
            decimal = ","
        elif point:
            decimal = "."
        elif self.comma_ambiguous:
            decimal = "," if ui_language == "fr" else "."
            example = self.examples.get("comma?")
            if decimal == ",":
                notes.append(Problem.of("traffic-numbers-ambiguous-comma", "", severity="warning",
                                        example=example))
            else:
                notes.append(Problem.of("traffic-numbers-ambiguous-thousands", "",
                                        severity="warning", example=example))
        else:
            decimal = "."
        if decimal == ",":
            if self.point_grouping or (self.point_ambiguous and not self.point_decimal):
                return DECIMAL_COMMA_DOT_THOUSANDS, notes
            return DECIMAL_COMMA_SPACE_THOUSANDS, notes
        if self.comma_grouping or self.comma_ambiguous:
            return DECIMAL_POINT_COMMA_THOUSANDS, notes
        if self.space_grouping:
            return DECIMAL_POINT_SPACE_THOUSANDS, notes
        return PLAIN, notes


_SHAPE = str.maketrans("123456789", "999999999")


def _classify(cell: str) -> tuple[tuple[str, ...], str | None]:
    """(Evidence counters to increment, example key) for one cell (or its shape)."""
    body, _, _ = clean_cell(cell)
    if not body or body.isdigit() or ":" in body:
        return (), None
    if _EN_FULL.fullmatch(body):
        return ("point_decimal", "comma_grouping"), "point"
    if _DE_FULL.fullmatch(body):
        return ("comma_decimal", "point_grouping"), "comma"
    if m := _SPACE_GROUP.fullmatch(body):
        if m.group(1) == ",":
            return ("space_grouping", "comma_decimal"), "comma"
        if m.group(1) == ".":
            return ("space_grouping", "point_decimal"), "point"
        return ("space_grouping",), None
    if _COMMA_MULTI.fullmatch(body):
        return ("point_decimal", "comma_grouping"), "point"
    if _DOT_MULTI.fullmatch(body):
        return ("comma_decimal", "point_grouping"), "comma"
    if m := _AMBIG.fullmatch(body):
        return (("comma_ambiguous",), "comma?") if m.group(1) == "," else (
            ("point_ambiguous",), "point?")
    if m := _ONE_SEP.fullmatch(body):
        return (("comma_decimal",), "comma") if m.group(2) == "," else (
            ("point_decimal",), "point")
    if body[:1] in ".," and body[1:].isdigit():
        return (("comma_decimal",), "comma") if body[0] == "," else (("point_decimal",), "point")
    return (), None


def _grouped_int(part: str, thousands: str) -> str:
    """Remove thousands marks from an integer part, checking groups of three."""
    if part.isdigit():
        return part
    groups = re.split("[" + re.escape(thousands) + "]", part) if thousands else [part]
    if (len(groups) < 2 or not groups[0].isdigit() or not 1 <= len(groups[0]) <= 3
            or any(len(g) != 3 or not g.isdigit() for g in groups[1:])):
        raise GroupingError(f"badly grouped number {part!r}")
    return "".join(groups)


def parse_number(text: str, convention: NumberConvention = PLAIN) -> float | None:
    """A number written in ``convention`` (``%`` and currency signs ignored); None for no data.

    Raises ValueError for a cell that is not a number in that convention.
    """
    if text.strip(SPACES + "\t").lower() in MISSING:
        return None
    body, negative, _ = clean_cell(text)
    if not body or not _BODY.fullmatch(body):
        raise ValueError(f"not a number: {text!r}")
    dec = convention.decimal
    if body.count(dec) > 1:
        raise ValueError(f"not a number: {text!r} (several {dec!r} with a decimal {dec!r})")
    whole, sep, frac = body.partition(dec)
    if not frac.isdigit() and sep:
        raise ValueError(f"not a number: {text!r}")
    whole = _grouped_int(whole, convention.thousands) if whole else "0"
    value = float(whole + ("." + frac if sep else ""))
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"not a number: {text!r}")
    if not sep and value.is_integer() and abs(value) < 2**53:
        value = int(value)
    return -value if negative else value


def parse_rate(text: str, convention: NumberConvention = PLAIN, percent_units: bool = False
               ) -> float | None:
    """A rate as a fraction 0-1: ``12.14%``/``45,2 %`` → 0.1214/0.452; bare values are fractions
    unless ``percent_units`` (the column has values above 1)."""
    if text.strip(SPACES + "\t").lower() in MISSING:
        return None
    _, _, percent = clean_cell(text)
    value = parse_number(text, convention)
    if value is None:
        return None
    # round away the binary noise of the division (12.14 / 100 = 0.12140000000000001)
    return round(value / 100, 12) if (percent or percent_units) else value


def parse_duration(text: str, convention: NumberConvention = PLAIN) -> float | None:
    """Seconds from ``00:03:12``, ``1:02:03``, ``03:12``, ``<00:00:01`` (→ 0), ``45.3``, ``1m 30s``."""
    s = text.strip(SPACES + "\t")
    if s.lower() in MISSING:
        return None
    if s[:1] in "<>":
        s = s[1:].strip(SPACES)
        if text.strip(SPACES).startswith("<"):
            # "<00:00:01": less than the smallest unit shown -> 0 (documented choice)
            if _DURATION_CLOCK.fullmatch(s) or _DURATION_UNITS.fullmatch(s):
                return 0.0
    m = _DURATION_CLOCK.fullmatch(s)
    if m:
        hours = int(m.group(1) or 0)
        minutes = int(m.group(2))
        seconds = float(m.group(3).replace(",", "."))
        if minutes >= 60 and m.group(1) is not None or seconds >= 60:
            raise ValueError(f"not a duration: {text!r}")
        return hours * 3600 + minutes * 60 + seconds
    if any(c.isalpha() for c in s):
        m = _DURATION_UNITS.fullmatch(s)
        if m and any(m.groups()):
            h, mi, se = (float(g.replace(",", ".")) if g else 0.0 for g in m.groups())
            return h * 3600 + mi * 60 + se
        raise ValueError(f"not a duration: {text!r}")
    value = parse_number(s, convention)
    return None if value is None else float(value)


def parse_count(text: str, convention: NumberConvention = PLAIN) -> float | None:
    """A count (views, users…): a number, integral when written without decimals."""
    return parse_number(text, convention)


# --------------------------------------------------------------------------- compiled parsers

def number_parser(convention: NumberConvention):
    """A fast :func:`parse_number` for one file's convention (same results, same errors):
    the common shapes (``3,047``, ``1 234,5``, ``12.5``) are read with one regex; anything
    else (currency, ``%``, missing markers, errors) goes through :func:`parse_number`."""
    marks = "".join(sorted(set(convention.thousands)))
    rx = re.compile(r"(-?)(\d{1,3}(?:[" + re.escape(marks) + r"]\d{3})+|\d+)(?:"
                    + re.escape(convention.decimal) + r"(\d+))?")
    drop = str.maketrans("", "", marks)

    def parse(text: str):
        m = rx.fullmatch(text)
        if m is None:
            return parse_number(text, convention)
        sign, whole, frac = m.groups()
        value = float(whole.translate(drop) + "." + frac) if frac else int(whole.translate(drop))
        return -value if sign else value

    return parse


def rate_parser(convention: NumberConvention, percent_units: bool):
    """A fast :func:`parse_rate` for one file's convention."""
    number = number_parser(convention)

    def parse(text: str):
        body = text.rstrip(SPACES)
        percent = body.endswith("%")
        if percent:
            body = body[:-1].rstrip(SPACES)
        value = number(body) if body else None
        if value is None:
            return None if not body or body.lower() in MISSING else parse_rate(text, convention,
                                                                               percent_units)
        return round(value / 100, 12) if (percent or percent_units) else value

    return parse


_CLOCK = re.compile(r"(\d+):([0-5]\d):([0-5]\d)")


def duration_parser(convention: NumberConvention):
    """A fast :func:`parse_duration` for one file's convention."""

    def parse(text: str):
        m = _CLOCK.fullmatch(text)
        if m is None:
            return parse_duration(text, convention)
        return float(int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3)))

    return parse
