"""Shared reading of analytics CSV/TSV files, and the table engine every CSV importer uses.

Reading (:func:`read_document`)
    * encoding: a BOM decides (UTF-8, UTF-16 LE/BE — Matomo's default TSV export is UTF-16 LE with
      a BOM); without one, NUL bytes in alternate positions mean UTF-16 LE/BE; otherwise UTF-8,
      falling back to Windows-1252 (Excel re-saves) with a warning;
    * line ends ``\\n``, ``\\r\\n`` or old ``\\r``; trailing empty lines ignored;
    * delimiter: ``,``, ``;`` or tab, whichever the header line has most of outside quotes;
    * ``#`` comment blocks: the leading block is the preamble (GA4 ``# Start date: 20250101``,
      UA ``# 20190101-20191231``…); each later ``#`` block starts a new table (GA4 and UA files
      can hold several). Comment lines lose a trailing run of delimiters and pandas' ``Unnamed: N``
      fillers (files that went through ``read_csv``/``to_csv``).

Tables (:func:`read_table`)
    An importer maps header columns to :class:`Column` roles; :func:`read_table` turns the rows
    into :class:`~contentkit.analytics.traffic.model.TrafficRow` objects. It first tries every
    metric cell as a plain machine number (fast: a row builder is compiled per table). If a cell
    is a *formatted* number (``"3,047"``, ``45,2 %``, ``00:01:02``, ``$0.00``), it restarts in
    careful mode: one pass collects the separator evidence of all metric cells
    (:class:`~contentkit.analytics.traffic.numbers.Evidence`), the file's convention is decided
    once, then a second pass parses with it. A cell that is no number in any convention makes
    its row a *problem*: the row is excluded and listed with its line number.
    Totals rows ("Grand total", "Total", "Totaux", or a row whose dimension cells are all empty,
    like UA's trailing summary) are skipped and reported in the notes.
"""
from __future__ import annotations

import codecs
import contextlib
import csv
import dataclasses
import gc
import io
import re
import sys
from collections.abc import Callable, Iterator
from itertools import islice
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from contentkit.errors import Problem

from . import numbers as num
from .model import METRICS, TrafficExport, TrafficRow

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

#: First-column values of totals rows (casefolded).
TOTAL_LABELS = frozenset({
    "grand total", "total", "totals", "total général", "total general", "totaux", "somme",
    "gesamtsumme", "summe", "totale", "total geral",
})
_DELIMITERS = (",", ";", "\t")
_UNNAMED = re.compile(r"Unnamed: \d+")
_COMMENT_START = re.compile(r"#(?:$|[\s\-,;#]|\t)")


class NeedsCareful(Exception):
    """A formatted number met in the fast pass: the table must be read in careful mode."""


@dataclass
class Section:
    """One table of a file: its header and where its data lines are.

    The data is not copied: :meth:`reader` streams the lines again from the document (a 100 MB
    export is decoded while read, not held twice in memory).
    """

    preamble: list[str]
    header: list[str]
    header_line: int
    first_line: int  # line number of the first data line
    line_count: int | None  # physical lines of data (blank ones included); None: to the end
    delimiter: str
    opener: Callable[[], Iterator[str]] = field(repr=False, default=lambda: iter(()))

    def reader(self):
        """A csv reader over the data lines; line = ``first_line - 1 + reader.line_num``."""
        start = self.first_line - 1
        stop = None if self.line_count is None else start + self.line_count
        lines = islice(self.opener(), start, stop)
        return csv.reader(lines, delimiter=self.delimiter)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(line number, cells) of every non-empty data row."""
        reader = self.reader()
        base = self.first_line - 1
        for cells in reader:
            if cells:
                yield base + reader.line_num, cells


@dataclass
class CsvDocument:
    path: Path
    encoding: str
    delimiter: str
    preamble: list[str]
    sections: list[Section]
    #: notes on the whole file (encoding), made before the file name is known: located (file,
    #: zip member) by :func:`build_export`
    warnings: list[Problem] = field(default_factory=list)


# --------------------------------------------------------------------------- decoding

def decode(data: bytes) -> tuple[str, str, list[Problem]]:
    """Bytes of a text export → (text, encoding name, warnings (file not yet named))."""
    text, encoding, warnings, _ = _decode(data)
    return text, encoding, warnings


#: codec that re-reads the bytes as :func:`decode` did (BOM dropped)
_CODECS = {"utf-8": "utf-8", "utf-8 (BOM)": "utf-8-sig", "utf-16-le (BOM)": "utf-16",
           "utf-16-be (BOM)": "utf-16", "utf-16-le": "utf-16-le", "utf-16-be": "utf-16-be",
           "windows-1252": "cp1252", "utf-32-le (BOM)": "utf-32"}


def _decode(data: bytes) -> tuple[str, str, list[Problem], bool]:
    warnings: list[Problem] = []
    transformed = False
    if data.startswith(codecs.BOM_UTF32_LE) and len(data) % 4 == 0 and b"\x00\x00" in data[2:8]:
        text, encoding = data[4:].decode("utf-32-le"), "utf-32-le (BOM)"
    elif data.startswith(codecs.BOM_UTF8):
        text, encoding = data[3:].decode("utf-8", errors="replace"), "utf-8 (BOM)"
    elif data.startswith(codecs.BOM_UTF16_LE):
        text, encoding = data[2:].decode("utf-16-le", errors="replace"), "utf-16-le (BOM)"
    elif data.startswith(codecs.BOM_UTF16_BE):
        text, encoding = data[2:].decode("utf-16-be", errors="replace"), "utf-16-be (BOM)"
    else:
        head = data[:400]
        even_nuls = head[0::2].count(0)
        odd_nuls = head[1::2].count(0)
        if len(head) >= 4 and odd_nuls > len(head) // 4 and even_nuls == 0:
            text, encoding = data.decode("utf-16-le", errors="replace"), "utf-16-le"
        elif len(head) >= 4 and even_nuls > len(head) // 4 and odd_nuls == 0:
            text, encoding = data.decode("utf-16-be", errors="replace"), "utf-16-be"
        else:
            try:
                text, encoding = data.decode("utf-8"), "utf-8"
            except UnicodeDecodeError as exc:
                text, encoding = data.decode("cp1252", errors="replace"), "windows-1252"
                warnings.append(Problem.of("traffic-not-utf8", "", severity="warning",
                                           byte=exc.start))
    if text.startswith("\ufeff"):
        text = text[1:]
        transformed = True
    if "\r" in text:
        if "\n" not in text:
            text = text.replace("\r", "\n")
            transformed = True
        elif "\r\r\n" in text:
            text = text.replace("\r\r\n", "\n")
            transformed = True
    return text, encoding, warnings, transformed


def sniff_delimiter(line: str) -> str:
    """The delimiter among ``,`` ``;`` tab that ``line`` (a header) has most of outside quotes."""
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(_DELIMITERS, key=lambda d: (counts[d], d == "\t", d == ";"))
    return best if counts[best] else ","


def clean_comment(line: str) -> str:
    """``# Start date: 20250101,,,,`` → ``Start date: 20250101`` (pandas fillers dropped too)."""
    body = line.rstrip("\r\n").lstrip()
    if body.startswith("#"):
        body = body[1:]
    stripped = body.rstrip(",;\t \r")
    for delim in _DELIMITERS:
        if delim in stripped:
            try:
                cells = next(csv.reader([stripped], delimiter=delim))
            except (csv.Error, StopIteration):
                continue
            if len(cells) > 1 and all(not c.strip() or _UNNAMED.fullmatch(c.strip())
                                      for c in cells[1:]):
                stripped = cells[0]
                break
    return stripped.strip()


def _is_blank(line: str) -> bool:
    return not line.strip(" \t\r,;")


def _is_comment(line: str, previous_blank: bool) -> bool:
    if not line.startswith("#"):
        return False
    return previous_blank or bool(_COMMENT_START.match(line))


def read_document(data: bytes | str, path: Path | str) -> CsvDocument:
    """Decode and split a CSV/TSV export into its preamble and tables (see the module docs)."""
    path = Path(path)
    if isinstance(data, bytes):
        text, encoding, warnings, transformed = _decode(data)
    else:
        text, encoding, warnings, transformed = data.lstrip("\ufeff"), "str", [], True
    codec = _CODECS.get(encoding)
    if not transformed and codec and ("\r" not in text or text.count("\r") == text.count("\r\n")):
        def opener(data=data, codec=codec):
            return io.TextIOWrapper(io.BytesIO(data), encoding=codec, errors="replace", newline="")
    else:
        def opener(text=text):
            return io.StringIO(text, newline="\n")
    sections: list[Section] = []
    preamble: list[str] = []
    pos = 0
    line_no = 1
    n = len(text)
    comments: list[str] = []
    delimiter = ","
    first = True
    while pos < n:
        # skip a comment block and blank lines, collecting comments
        previous_blank = True
        while pos < n:
            end = text.find("\n", pos)
            end = n if end < 0 else end
            line = text[pos:end]
            if _is_blank(line):
                previous_blank = True
            elif _is_comment(line, previous_blank):
                comments.append(clean_comment(line))
                previous_blank = False
            else:
                break
            pos = end + 1
            line_no += 1
        if pos >= n:
            break
        end = text.find("\n", pos)
        end = n if end < 0 else end
        header_text = text[pos:end].rstrip("\r")
        header_line = line_no
        if first:
            delimiter = sniff_delimiter(header_text)
            preamble = [c for c in comments]
            first = False
        section_delim = sniff_delimiter(header_text) if sections else delimiter
        try:
            header = next(csv.reader([header_text], delimiter=section_delim))
        except (csv.Error, StopIteration):
            header = header_text.split(section_delim)
        header = [h.strip().strip("\ufeff") for h in header]
        data_start = end + 1
        data_line = line_no + 1
        # the table runs until the next comment line that follows a blank line or looks like one
        stop = n
        scan = end  # the newline that ends the header line
        while scan < n:
            hit = text.find("\n#", scan)
            if hit < 0:
                break
            line_start = hit + 1
            line_end = text.find("\n", line_start)
            line_end = n if line_end < 0 else line_end
            prev_start = text.rfind("\n", 0, hit) + 1
            prev_blank = _is_blank(text[prev_start:hit])
            if _is_comment(text[line_start:line_end], prev_blank):
                stop = line_start
                break
            scan = line_end
        if stop >= n:
            newlines = line_count = None  # the last table runs to the end: no need to count
        else:
            newlines = text.count("\n", data_start, stop) if data_start <= stop else 0
            line_count = newlines + (1 if stop > data_start and text[stop - 1] != "\n" else 0)
        sections.append(Section(preamble=comments, header=header, header_line=header_line,
                                first_line=data_line, line_count=line_count,
                                delimiter=section_delim, opener=opener))
        comments = []
        if newlines is None:
            break
        line_no = data_line + newlines
        pos = stop
    if first:
        preamble = comments
    return CsvDocument(path=path, encoding=encoding, delimiter=delimiter, preamble=preamble,
                       sections=sections, warnings=warnings)


# --------------------------------------------------------------------------- header matching

def header_key(text: str) -> str:
    """Comparable form of a column header: casefolded, one space, typographic quotes unified."""
    text = text.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ")
    text = text.strip().strip('"').strip()
    return " ".join(text.split()).casefold()


# --------------------------------------------------------------------------- dates

_DATE_FORMATS = ("%Y%m%d", "%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%Y/%m/%d", "%m/%d/%y",
                 "%b %d, %Y", "%d %b %Y")


def parse_date(text: str) -> date:
    """``20250101``, ``2025-01-01`` and a few UI forms → date (ValueError otherwise)."""
    s = text.strip()
    if len(s) == 8 and s.isdigit():
        return date(int(s[:4]), int(s[4:6]), int(s[6:]))
    if len(s) == 10 and s[4] == "-" and s[7] == "-":
        return date(int(s[:4]), int(s[5:7]), int(s[8:]))
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"not a date: {text!r}")


def make_date_parser() -> Callable[[str], date | None]:
    cache: dict[str, date] = {}

    def parse(text: str) -> date | None:
        try:
            return cache[text]
        except KeyError:
            if not text.strip():
                return None
            value = cache[text] = parse_date(text)
            return value

    parse.cache = cache  # type: ignore[attr-defined]
    return parse


_RANGE_EN = re.compile(r"^(start|end) date\s*:\s*(\d{8}|\d{4}-\d{2}-\d{2})", re.I)
_RANGE_FR = re.compile(r"^date de (début|debut|fin)\s*:\s*(\d{8}|\d{4}-\d{2}-\d{2})", re.I)
_RANGE_SPAN = re.compile(r"^(\d{8})\s*-\s*(\d{8})$")


def preamble_dates(lines: list[str]) -> tuple[date | None, date | None, str | None]:
    """Start, end and UI language hint from preamble lines (GA4 and UA forms, EN and FR)."""
    start = end = None
    language = None
    for line in lines:
        text = line.strip()
        if m := _RANGE_EN.match(text):
            value = parse_date(m.group(2))
            if m.group(1).lower() == "start":
                start = start or value
            else:
                end = end or value
            language = language or "en"
        elif m := _RANGE_FR.match(text):
            value = parse_date(m.group(2))
            if m.group(1).lower() in ("début", "debut"):
                start = start or value
            else:
                end = end or value
            language = "fr"
        elif (m := _RANGE_SPAN.match(text)) and start is None:
            start, end = parse_date(m.group(1)), parse_date(m.group(2))
    return start, end, language


# --------------------------------------------------------------------------- table engine

#: Column kinds: dimensions …
URL, TITLE, DATE, HOST, IGNORE = "url", "title", "date", "host", "ignore"
#: … and metric kinds
COUNT, NUMBER, MONEY, RATE, DURATION = "count", "number", "money", "rate", "duration"
_METRIC_KINDS = (COUNT, NUMBER, MONEY, RATE, DURATION)


@dataclass(frozen=True)
class Column:
    """Role of one header column: ``kind`` and the variable it fills (a TrafficRow field, or a
    pseudo field used by a derived expression, e.g. ``avg_per_user``)."""

    field: str
    kind: str
    percent: bool | None = None  # RATE only: True = always percent, None = auto


@dataclass
class TableResult:
    rows: list[TrafficRow]
    convention: num.NumberConvention
    problems: list[Problem]  # rows excluded (located by line; file named by build_export)
    notes: list[Problem]  # how the numbers were read (file named by build_export)
    skipped: list[tuple[int, str]]  # (line, "summary" | "totals")


def _fast_parsers():
    missing = num.MISSING

    def count(c: str):
        if not c:
            return None
        try:
            if c[0] in "0123456789-.":
                v = float(c)
                return int(v) if v.is_integer() and "." not in c and "e" not in c else v
        except ValueError:
            pass
        if c.strip().lower() in missing:
            return None
        raise NeedsCareful(c)

    def number(c: str):
        if not c:
            return None
        try:
            if c[0] in "0123456789-.":
                return float(c)
        except ValueError:
            pass
        if c.strip().lower() in missing:
            return None
        raise NeedsCareful(c)

    def rate_auto(c: str):
        v = number(c)
        if v is not None and v > 1.0:
            raise NeedsCareful(c)
        return v

    def rate_percent(c: str):
        v = number(c)
        return None if v is None else round(v / 100, 12)

    return {COUNT: count, NUMBER: number, MONEY: number, DURATION: number,
            (RATE, None): rate_auto, (RATE, True): rate_percent, (RATE, False): number}


def _careful_parsers(conv: num.NumberConvention, percent_columns: set[int], column_index: int,
                     column: Column):
    kind = column.kind
    if kind in (COUNT, MONEY, NUMBER):
        return num.number_parser(conv)
    if kind == DURATION:
        return num.duration_parser(conv)
    if kind == RATE:
        percent = column.percent if column.percent is not None else (column_index in percent_columns)
        return num.rate_parser(conv, percent)
    raise AssertionError(kind)


def _compile_loop(columns: dict[int, Column], derived: dict[str, str], parsers: dict[int, Callable],
                  normalize: Callable[[str], str | None], parse_day, url_expr: str | None,
                  fast: bool, first_dim: int):
    """Generate the row loop of one table: ``run(reader, base, append, on_error, on_suspicious,
    progress, next_progress) -> rows read``, with the conversion of every column inlined.

    In the fast pass, plain numbers are converted inline with the builtins (``int``/``float``);
    anything else goes through the column's parser, which raises :class:`NeedsCareful` for a
    formatted number. A row whose first dimension is empty or starts like "Total"/"Grand total"
    goes through ``on_suspicious`` (True: skipped); a row that fails goes to ``on_error``.
    """
    ns: dict = {"Row": TrafficRow, "norm": normalize, "pday": parse_day,
                "DC": getattr(parse_day, "cache", {}), "NC": getattr(normalize, "cache", None),
                "UC": {}, "NS": frozenset("0123456789-."), "NeedsCareful": NeedsCareful,
                "SUSPICIOUS": frozenset("GgTtSs ")}
    body = []
    assigned: set[str] = set()
    for i, col in sorted(columns.items()):
        var = "v_" + col.field
        if col.kind == URL:
            body += [f"    c = cells[{i}]", f"    {var} = UC.get(c) or UC.setdefault(c, c.strip())"]
        elif col.kind in (TITLE, HOST):
            body.append(f"    {var} = cells[{i}].strip()")
        elif col.kind == DATE:
            body += [f"    c = cells[{i}]", f"    {var} = DC.get(c) or pday(c)"]
        elif col.kind in _METRIC_KINDS:
            ns[f"P{i}"] = parsers[i]
            body.append(f"    c = cells[{i}]")
            if col.kind == COUNT:
                body.append(f"    {var} = int(c) if c.isdigit() else P{i}(c)")
            elif fast and (col.kind != RATE or col.percent is not True):
                body.append(f"    {var} = float(c) if c[:1] in NS else P{i}(c)")
                if col.kind == RATE and col.percent is None:
                    body += [f"    if {var} is not None and {var} > 1.0:",
                             "        raise NeedsCareful(c)"]
            else:
                body.append(f"    {var} = P{i}(c)")
        else:
            continue
        assigned.add(col.field)
    for name, expr in derived.items():
        body.append(f"    v_{name} = {expr}")
        assigned.add(name)
    if url_expr:
        body.append(f"    v_url = {url_expr}")
        assigned.add("url")
    if "url" in assigned:
        if ns["NC"] is not None:
            body.append("    v_path = (NC.get(v_url) or norm(v_url)) if v_url else None")
        else:
            body.append("    v_path = norm(v_url) if v_url else None")
    else:
        body.append("    v_url = v_title if v_title else ''")
        body.append("    v_path = None")
    args = ["v_url", "v_path", "v_date" if "date" in assigned else "None", "line"]
    args += [f"v_{m}" if m in assigned else "None" for m in METRICS]
    args.append("v_title" if "title" in assigned else "None")
    body.append(f"    append(Row({', '.join(args)}))")
    head = [
        "def run(reader, base, append, on_error, on_suspicious, progress, next_progress):",
        "    count = 0",
        "    for cells in reader:",
        "        if not cells:",
        "            continue",
        "        count += 1",
        "        if count == next_progress:",
        "            progress(count)",
        "            next_progress += 20000",
        "        line = base + reader.line_num",
    ]
    if first_dim >= 0:
        head += [f"        if len(cells) > {first_dim}:",
                 f"            c = cells[{first_dim}]",
                 "            if (not c or c[0] in SUSPICIOUS) and on_suspicious(cells, line):",
                 "                continue"]
    head.append("        try:")
    tail = ["        except Exception as exc:",
            "            on_error(cells, line, exc)",
            "    return count"]
    source = "\n".join(head + ["        " + line for line in body] + tail)
    exec(source, ns)  # noqa: S102 - generated from our own column table only
    return ns["run"]


@contextlib.contextmanager
def gc_paused():
    """Pause the cyclic garbage collector while building many acyclic objects.

    A million TrafficRow objects would otherwise trigger repeated full collections that scan
    every row already built (3x slower); nothing built here forms reference cycles.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_table(section: Section, columns: dict[int, Column], *, normalize: Callable[[str], str],
               derived: dict[str, str] | None = None, url_expr: str | None = None,
               ui_language: str = "en", progress: Callable[[int], None] | None = None,
               skip_totals: bool = True) -> TableResult:
    """Parse the rows of ``section`` with ``columns`` (index → role). See the module docstring."""
    derived = derived or {}
    dims = [i for i, c in columns.items() if c.kind in (URL, TITLE, DATE)]
    metric_cols = {i: c for i, c in columns.items() if c.kind in _METRIC_KINDS}
    width = max(columns) + 1 if columns else 0
    parse_day = make_date_parser()
    names = {i: section.header[i] for i in columns}

    fast = _fast_parsers()
    fast_parsers = {i: fast[(RATE, c.percent)] if c.kind == RATE else fast[c.kind]
                    for i, c in metric_cols.items()}
    try:
        with gc_paused():
            return _run(section, columns, derived, url_expr, fast_parsers, normalize, parse_day,
                        dims, width, names, num.PLAIN, progress, skip_totals, [], fast=True)
    except NeedsCareful:
        pass
    # careful mode: gather the evidence of the whole table, decide once, parse again
    evidence = num.Evidence()
    rate_cols = [i for i, c in metric_cols.items() if c.kind == RATE]
    for line, cells in section.rows():
        if len(cells) < width or _skip_reason(cells, dims, skip_totals):
            continue
        for i in metric_cols:
            evidence.add(cells[i])
        for i in rate_cols:
            evidence.add_rate(i, cells[i])
    conv, notes = evidence.decide(ui_language)
    percent_columns = {i for i in rate_cols if evidence.percent_column(i)}
    careful = {i: _careful_parsers(conv, percent_columns, i, c) for i, c in metric_cols.items()}
    for i in percent_columns:
        if metric_cols[i].percent is None:
            notes.append(Problem.of("traffic-rate-read-as-percent", "", severity="warning",
                                    column=section.header[i]))
    with gc_paused():
        return _run(section, columns, derived, url_expr, careful, normalize, parse_day, dims,
                    width, names, conv, progress, skip_totals, notes, fast=False)


def _skip_reason(cells: list[str], dims: list[int], skip_totals: bool) -> str | None:
    if not dims:
        return None
    values = [cells[i].strip() for i in dims]
    if not any(values):
        return "summary"  # a row with no page
    if skip_totals and values[0].casefold() in TOTAL_LABELS:
        return "totals"
    return None


def _run(section, columns, derived, url_expr, parsers, normalize, parse_day, dims, width, names,
         conv, progress, skip_totals, notes, *, fast: bool) -> TableResult:
    first_dim = dims[0] if dims else -1
    run = _compile_loop(columns, derived, parsers, normalize, parse_day, url_expr, fast, first_dim)
    rows: list[TrafficRow] = []
    problems: list[Problem] = []
    skipped: list[tuple[int, str]] = []

    def on_suspicious(cells: list[str], line: int) -> bool:
        reason = _skip_reason(cells, dims, skip_totals) if len(cells) >= width else None
        if reason and not all(not c.strip() for c in cells):
            skipped.append((line, reason))
        return bool(reason)

    def on_error(cells: list[str], line: int, exc: Exception) -> None:
        if all(not c.strip() for c in cells):
            return
        if len(cells) < width:
            problems.append(Problem.of("traffic-row-cells-missing", "", line, "warning",
                                       cells=len(cells), width=width))
            return
        bad = _bad_cells(cells, columns, parsers, names, line)
        if not bad and fast and isinstance(exc, (NeedsCareful, ValueError)):
            raise NeedsCareful(str(exc)) from None  # a formatted number: read the file carefully
        problems.extend(bad or [Problem.of("traffic-row-unreadable", "", line, "warning",
                                           error=exc)])

    count = run(section.reader(), section.first_line - 1, rows.append, on_error, on_suspicious,
                progress, 20000 if progress is not None else -1)
    if progress is not None:
        progress(count)
    return TableResult(rows=rows, convention=conv, problems=problems, notes=notes, skipped=skipped)


def _bad_cells(cells, columns, parsers, names, line: int) -> list[Problem]:
    """One problem per cell of the row that is no number (or date) in any convention."""
    bad = []
    for i, col in columns.items():
        if col.kind in _METRIC_KINDS:
            cell = cells[i] if i < len(cells) else ""
            try:
                parsers[i](cell)
            except NeedsCareful:
                if not num.looks_numeric(cell):
                    bad.append(Problem.of("traffic-row-not-a-number", "", line, "warning",
                                          column=names[i], cell=cell))
            except num.GroupingError:
                bad.append(Problem.of("traffic-row-badly-grouped", "", line, "warning",
                                      column=names[i], cell=cell))
            except ValueError:
                if col.kind == DURATION:
                    bad.append(Problem.of("traffic-row-not-a-duration", "", line, "warning",
                                          column=names[i], cell=cell))
                else:
                    bad.append(Problem.of("traffic-row-not-a-number", "", line, "warning",
                                          column=names[i], cell=cell))
        elif col.kind == DATE:
            cell = cells[i] if i < len(cells) else ""
            try:
                parse_date(cell) if cell.strip() else None
            except ValueError:
                bad.append(Problem.of("traffic-row-not-a-date", "", line, "warning",
                                      column=names[i], cell=cell))
    return bad


# --------------------------------------------------------------------------- shared importer glue

def _skipped_rows(shown: str, skipped: list[tuple[int, str]]) -> Problem:
    """The one warning listing the summary / totals rows left out (first ten lines)."""
    lines = ", ".join(str(line) for line, _ in skipped[:10]) + (", …" if len(skipped) > 10 else "")
    kinds = {kind for _, kind in skipped}
    first = skipped[0][0]
    if kinds == {"summary"}:
        return Problem.of("traffic-skipped-summary-rows", shown, first, "warning",
                          count=len(skipped), lines=lines)
    if kinds == {"totals"}:
        return Problem.of("traffic-skipped-totals-rows", shown, first, "warning",
                          count=len(skipped), lines=lines)
    return Problem.of("traffic-skipped-summary-and-totals-rows", shown, first, "warning",
                      count=len(skipped), lines=lines)


#: An alias table maps a :func:`header_key` to (field, kind, language) — language 'en', 'fr' or
#: '*' (same word in both UIs) — plus an optional rate unit (True = always percent).
Aliases = dict[str, tuple]


def map_header(header: list[str], aliases: Aliases) -> tuple[dict[int, Column], str | None, list[str]]:
    """Columns recognised in ``header`` → ({index: Column}, UI language or None, unknown headers).

    When two columns fill the same field (``Users`` and ``Active users``) the first one wins.
    """
    columns: dict[int, Column] = {}
    seen: set[str] = set()
    languages: set[str] = set()
    unknown: list[str] = []
    for i, name in enumerate(header):
        entry = aliases.get(header_key(name))
        if entry is None:
            if name.strip() and not _UNNAMED.fullmatch(name.strip()):
                unknown.append(name)
            continue
        field_name, kind, lang = entry[:3]
        percent = entry[3] if len(entry) > 3 else None
        languages.add(lang)
        if kind == IGNORE or field_name in seen:
            continue
        seen.add(field_name)
        columns[i] = Column(field_name, kind, percent)
    language = "fr" if "fr" in languages else ("en" if "en" in languages else None)
    return columns, language, unknown


def has_kind(columns: dict[int, Column], *kinds: str) -> bool:
    return any(c.kind in kinds for c in columns.values())


def fields_of(columns: dict[int, Column]) -> set[str]:
    return {c.field for c in columns.values()}


def guard(expr: str, *names: str) -> str:
    """``expr`` if every ``v_name`` is not None, else None (for derived expressions)."""
    cond = " and ".join(f"v_{n} is not None" for n in names)
    return f"(({expr}) if {cond} else None)"


def build_export(source: str, path: Path, doc: CsvDocument, section: Section,
                 columns: dict[int, Column], *, normalize: Callable[[str], str],
                 derived: dict[str, str] | None = None, url_expr: str | None = None,
                 ui_language: str = "en", progress: Callable[[int], None] | None = None,
                 start: date | None = None, end: date | None = None, report: str | None = None,
                 member: str | None = None):
    """Run :func:`read_table` and wrap the result into a TrafficExport with located notes."""
    result = read_table(section, columns, normalize=normalize, derived=derived,
                        url_expr=url_expr, ui_language=ui_language, progress=progress)
    shown = str(path) + (f"[{member}]" if member else "")
    warnings = [dataclasses.replace(w, file=shown) for w in doc.warnings]
    warnings += [dataclasses.replace(n, file=shown, line=section.header_line) for n in result.notes]
    if result.skipped:
        warnings.append(_skipped_rows(shown, result.skipped))
    problems = [dataclasses.replace(p, file=shown) for p in result.problems]
    dim = next((section.header[i] for i, c in sorted(columns.items())
                if c.kind in (URL, TITLE)), None)
    if start is None and end is None:
        days = [r.date for r in result.rows if r.date is not None]
        if days:
            start, end = min(days), max(days)
    assigned = {c.field for c in columns.values()} | set(derived or ())
    return TrafficExport(source=source, path=Path(path), rows=result.rows, start=start, end=end,
                         metrics=tuple(m for m in METRICS if m in assigned),
                         number_convention=result.convention.label, ui_language=ui_language,
                         warnings=warnings, problems=problems, report=report, dimension=dim,
                         encoding=doc.encoding, delimiter=doc.delimiter, member=member)
