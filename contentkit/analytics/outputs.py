"""Outputs of `contentkit analyze`: ``articles.csv``, ``analysis.json`` and a terminal table.

All three show the same numbers. Floats are rounded once, here, to ``DIGITS`` decimals, so the
same input always gives byte-identical files (articles are in `select_articles` order: by
source path). The JSON shape and the CSV columns are documented in docs/analytics.md; other
analyses add CSV columns with `Column` and JSON data through ``ArticleAnalysis.extra`` /
``AnalysisReport.extra``.
"""
from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from babel.numbers import format_decimal
from rich.table import Table
from rich.text import Text

from contentkit.analytics.article_report import AnalysisReport, ArticleAnalysis
from contentkit.analytics.depth import correlation_note
from contentkit.i18n import catalog
from contentkit.output import write_atomic

__all__ = ["DIGITS", "Column", "CSV_COLUMNS", "rounded", "article_record", "report_record",
           "json_text", "write_json", "write_csv", "write_outputs", "print_table", "excel_safe",
           "CSV_NAME", "JSON_NAME"]

DIGITS = 3
CSV_NAME = "articles.csv"
JSON_NAME = "analysis.json"
_FORMULAS = ("flesch_kandel_moles", "flesch_reading_ease", "flesch_kincaid_grade", "lix")
_COMPONENTS = ("coverage", "subtopics", "evidence", "originality")
_CHECKS = ("long_sentences", "paragraph_length", "subheading_distribution",
           "consecutive_sentences")


def rounded(value: Any) -> Any:
    """Round every float of a JSON-like value to DIGITS decimals (NaN/inf become None)."""
    t = type(value)
    if t is float:
        if value != value or value in (math.inf, -math.inf):
            return None
        r = round(value, DIGITS)
        return 0.0 if r == 0 else r  # no "-0.0"
    if t is dict:
        return {k: rounded(v) for k, v in value.items()}
    if t is list or t is tuple:
        return [rounded(v) for v in value]
    if t is str or t is int or t is bool or value is None:
        return value
    if isinstance(value, float):  # float subclasses
        return rounded(float(value))
    if hasattr(value, "item"):  # numpy scalars
        return rounded(value.item())
    return value


# ------------------------------------------------------------------------------ JSON

def article_record(a: ArticleAnalysis) -> dict[str, Any]:
    m = a.measures
    depth = a.depth
    record = {
        "source": a.source,
        "url": a.url,
        "title": a.title,
        "date": a.date.date().isoformat() if a.date else None,
        "datetime": a.date.isoformat() if a.date else None,
        "lang": a.lang,
        "kind": a.kind,
        "status": a.status,
        "category": a.category,
        "tags": a.tags,
        "authors": a.authors,
        "words": m.words,
        "sentences": m.sentences,
        "paragraphs": m.paragraphs,
        "reading_time_min": m.reading_time_min,
        "readability": dict(a.readability.scores),
        "readability_note": a.readability.reason,
        "measures": {
            "avg_sentence_words": m.avg_sentence_words,
            "long_sentences": m.long_sentences,
            "long_sentence_share": m.long_sentence_share,
            "sentences_over_35": m.sentences_over_35,
            "longest_paragraph_words": m.longest_paragraph_words,
            "paragraphs_over_150": m.paragraphs_over_150,
            "subheadings": m.subheadings,
            "max_words_between_subheadings": m.max_words_between_subheadings,
            "words_before_first_subheading": m.words_before_first_subheading,
            "consecutive_same_start": m.consecutive_same_start,
            "consecutive_same_start_word": m.consecutive_same_start_word,
            "syllables": m.syllables,
            "long_words": m.long_words,
        },
        "checks": [asdict(c) for c in a.checks],
        "depth": {
            "score": depth.score,
            "components": [
                {"name": c.name, "value": c.value, "points": c.points, "max_points": c.max_points,
                 "explanation": c.explanation, "to_improve": c.to_improve, "details": c.details}
                for c in depth.components],
            "key_terms": depth.key_terms,
            "missing_terms": depth.missing_terms,
            "cluster_articles": depth.cluster_articles,
            "reused_share": depth.reused_share,
            "most_similar": depth.most_similar,
            "near_duplicate_of": depth.near_duplicate_of,
        },
        "hints": a.hints,
    }
    if a.extra:
        record.update(a.extra)
    return rounded(record)


def report_record(report: AnalysisReport) -> dict[str, Any]:
    record = {
        "generator": report.generator,
        "site": report.site,
        "articles": [article_record(a) for a in report.articles],
        "summary": report.summary,
    }
    record.update(report.extra)
    return rounded(record)




def json_text(report: AnalysisReport) -> str:
    """The JSON document: indented, except that each article takes exactly one line.

    One line per article keeps the file readable and diff-friendly, and lets the fast (C) JSON
    encoder do the bulk of the work.
    """
    record = report_record(report)
    lines = ["{"]
    items = list(record.items())
    for n, (key, value) in enumerate(items):
        comma = "," if n < len(items) - 1 else ""
        if key == "articles" and value:
            lines.append(f'  "articles": [')
            body = [json.dumps(a, ensure_ascii=False) for a in value]
            lines.append(",\n".join("    " + b for b in body))
            lines.append(f"  ]{comma}")
        else:
            text = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")
            lines.append(f"  {json.dumps(key)}: {text}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_json(report: AnalysisReport, path: Path) -> None:
    write_atomic(path, json_text(report).encode("utf-8"))


# ------------------------------------------------------------------------------ CSV

@dataclass(frozen=True)
class Column:
    """One CSV column: a stable name and how to read its value from an analysis."""

    name: str
    get: Callable[[ArticleAnalysis], Any]


def _component(name: str, attr: str) -> Callable[[ArticleAnalysis], Any]:
    return lambda a: getattr(a.depth.component(name), attr)


def _check(name: str) -> Callable[[ArticleAnalysis], Any]:
    def get(a: ArticleAnalysis) -> str:
        c = next(c for c in a.checks if c.name == name)
        return "within" if c.passed else "beyond"
    return get


def _evidence(key: str) -> Callable[[ArticleAnalysis], Any]:
    return lambda a: a.depth.component("evidence").details["counts"][key]


CSV_COLUMNS: list[Column] = [
    Column("source", lambda a: a.source),
    Column("url", lambda a: a.url),
    Column("title", lambda a: a.title),
    Column("date", lambda a: a.date.date().isoformat() if a.date else ""),
    Column("lang", lambda a: a.lang),
    Column("kind", lambda a: a.kind),
    Column("status", lambda a: a.status),
    Column("category", lambda a: a.category),
    Column("tags", lambda a: "; ".join(a.tags)),
    Column("authors", lambda a: "; ".join(a.authors)),
    Column("words", lambda a: a.measures.words),
    Column("sentences", lambda a: a.measures.sentences),
    Column("paragraphs", lambda a: a.measures.paragraphs),
    Column("reading_time_min", lambda a: a.measures.reading_time_min),
    Column("avg_sentence_words", lambda a: a.measures.avg_sentence_words),
    Column("long_sentence_share", lambda a: a.measures.long_sentence_share),
    Column("sentences_over_35", lambda a: a.measures.sentences_over_35),
    Column("longest_paragraph_words", lambda a: a.measures.longest_paragraph_words),
    Column("subheadings", lambda a: a.measures.subheadings),
    Column("max_words_between_subheadings", lambda a: a.measures.max_words_between_subheadings),
    *[Column(f, (lambda name: lambda a: a.readability.scores.get(name))(f)) for f in _FORMULAS],
    Column("readability_note", lambda a: a.readability.reason or ""),
    *[Column(f"check_{c}", _check(c)) for c in _CHECKS],
    Column("depth_score", lambda a: a.depth.score),
    *[Column(f"depth_{c}_points", _component(c, "points")) for c in _COMPONENTS],
    Column("key_term_coverage", _component("coverage", "value")),
    Column("cluster_articles", lambda a: a.depth.cluster_articles),
    Column("developed_sections", _component("subtopics", "value")),
    Column("evidence_per_1000_words", _component("evidence", "value")),
    Column("figures", _evidence("figures")),
    Column("percentages", _evidence("percentages")),
    Column("dates", _evidence("dates")),
    Column("external_sources", _evidence("sources")),
    Column("quotes", _evidence("quotes")),
    Column("tables", _evidence("tables")),
    Column("reused_share", lambda a: a.depth.reused_share),
    Column("most_similar", lambda a: (a.depth.most_similar or {}).get("source", "")),
    Column("most_similar_jaccard", lambda a: (a.depth.most_similar or {}).get("jaccard")),
    Column("near_duplicate_of", lambda a: a.depth.near_duplicate_of or ""),
    Column("missing_terms", lambda a: "; ".join(a.depth.missing_terms)),
    Column("hints", lambda a: " | ".join(a.hints)),
]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def excel_safe(value: Any) -> Any:
    """Text cells that Excel/LibreOffice would read as a formula get a leading apostrophe.

    Numbers are left alone (a negative grade level stays a number).
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    value = rounded(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return excel_safe(value)


def csv_bytes(report: AnalysisReport, extra_columns: Sequence[Column] = ()) -> bytes:
    columns = [*CSV_COLUMNS, *extra_columns]
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([c.name for c in columns])
    for a in report.articles:
        writer.writerow([_cell(c.get(a)) for c in columns])
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")  # BOM: Excel reads it as UTF-8


def write_csv(report: AnalysisReport, path: Path, extra_columns: Sequence[Column] = ()) -> None:
    write_atomic(path, csv_bytes(report, extra_columns))


def write_outputs(report: AnalysisReport, out_dir: Path,
                  extra_columns: Sequence[Column] = ()) -> list[Path]:
    out_dir = Path(out_dir)
    csv_path, json_path = out_dir / CSV_NAME, out_dir / JSON_NAME
    write_csv(report, csv_path, extra_columns)
    write_json(report, json_path)
    return [csv_path, json_path]


# ------------------------------------------------------------------------------ terminal

def _main_readability(a: ArticleAnalysis) -> str:
    scores = a.readability.scores
    for name, label in (("flesch_kandel_moles", "FKM"), ("flesch_reading_ease", "FRE"),
                        ("lix", "LIX")):
        if name in scores:
            value = scores[name]
            return "—" if value is None else f"{label} {value:.0f}"
    return "—"


def _pts(a: ArticleAnalysis, name: str) -> str:
    c = a.depth.component(name)
    return "n/a" if c.points is None else f"{c.points:.0f}"


def shorten(text: str, width: int) -> str:
    """`text` cut to `width` characters at a word boundary, with an ellipsis (never mid-word
    unless one word is longer than the width)."""
    if len(text) <= width:
        return text
    cut = text[:width - 1]
    if not text[width - 1].isspace():
        words = re.match(r"(.*\S)\s", cut)
        cut = words.group(1) if words else cut
    return re.sub(r"[\s,;:–—-]+$", "", cut) + "…"


WIDE_TABLE = 150  # columns from which the table shows the depth components and conventions


def print_table(report: AnalysisReport, console, extra_columns: Sequence[Column] = (),
                limit: int = 200) -> None:
    """The readable summary in the site's language: one row per article, then the site-wide
    figures. Below WIDE_TABLE columns only what an editor acts on is shown (title, words,
    readability, depth, hints, traffic); the rest is in the CSV."""
    lang = report.site.get("language") or "en"
    t = catalog(lang)

    def w(key: str, **kw) -> str:
        return t.t("analysis.terminal." + key, **kw)

    if not console.is_terminal and console.width < 200:
        console.width = 200  # redirected to a file or a pipe: no reason to crush the columns
    wide = console.width >= WIDE_TABLE
    table = Table(title=w("title", site=report.site["title"], n=len(report.articles)),
                  show_lines=False, header_style="bold", expand=False)
    table.add_column(w("article"), overflow="ellipsis", min_width=20, max_width=46, no_wrap=True)
    detail = [("lang", {}), ("words", {"justify": "right"}), ("readability", {"justify": "right"}),
              ("long_sentences", {"justify": "right"}), ("conventions", {"justify": "right"}),
              ("depth", {"justify": "right", "style": "bold"}), ("coverage", {"justify": "right"}),
              ("subtopics", {"justify": "right"}), ("evidence", {"justify": "right"}),
              ("originality", {"justify": "right"})]
    shown_keys = [k for k, _ in detail] if wide else ["words", "readability", "depth"]
    for key, options in detail:
        if key in shown_keys:
            table.add_column(w(key), no_wrap=True, min_width=max(len(w(key)), 6), **options)
    for col in extra_columns:  # figures are never cut: the title column gives way (ellipsis)
        table.add_column(col.name, justify="right", no_wrap=True, min_width=min(len(col.name), 12))
    table.add_column(w("hints"), justify="right", no_wrap=True, min_width=len(w("hints")))
    # the title takes what the figures leave (rich would otherwise shrink every column alike)
    others = sum((c.min_width or 0) + 3 for c in table.columns[1:]) + 4
    table.columns[0].max_width = max(20, min(46, console.width - others))
    rows = report.articles
    shown = rows if len(rows) <= limit else sorted(rows, key=lambda a: (a.depth.score, a.source))[:limit]
    for a in shown:
        passed = sum(c.passed for c in a.checks)
        values = {"lang": a.lang, "words": f"{a.words}", "readability": _main_readability(a),
                  "long_sentences": f"{100 * a.measures.long_sentence_share:.0f}%",
                  "conventions": f"{passed}/{len(a.checks)}", "depth": f"{a.depth.score}",
                  "coverage": _pts(a, "coverage"), "subtopics": _pts(a, "subtopics"),
                  "evidence": _pts(a, "evidence"), "originality": _pts(a, "originality")}
        cells = [shorten(a.title, table.columns[0].max_width)] + [values[k] for k in shown_keys]
        cells += ["" if (v := _cell(col.get(a))) == "" else str(v) for col in extra_columns]
        cells.append(str(len(a.hints)))
        table.add_row(*(Text(c) for c in cells))  # titles are text, never rich markup
    console.print(table)
    if not wide:
        console.print(w("narrow"), markup=False)
    if len(rows) > limit:
        console.print(w("lowest_shown", limit=limit), markup=False)
    _print_site_figures(report, console, lang, w)


def _print_site_figures(report: AnalysisReport, console, lang: str, w) -> None:
    s = report.summary
    d = s["depth"]
    rho = d["spearman_words"]
    words = s["words"]

    def num(x, digits: int = 0) -> str:
        return format_decimal(x, format="0" if digits == 0 else "0." + "0" * digits, locale=lang)

    if report.articles:
        console.print(w("depth_summary", median=num(d["median"]), min=d["min"], max=d["max"],
                        correlation=w("not_available") if rho is None else
                        w("correlation", rho=num(rho, 2), strength=correlation_note(rho, lang)), words_median=num(words["median"]),
                        words_min=words["min"], words_max=words["max"]), markup=False)
        per = ", ".join(f"{w('component.' + name)} {num(v['spearman_words'], 2)}" for name, v in d["components"].items()
                        if v["spearman_words"] is not None)
        if per:
            console.print(w("by_component", list=per), markup=False)
        bands = w("separator").join(w("band", words=b["words"], min=b["depth_min"], max=b["depth_max"],
                            median=num(b["depth_median"]), n=b["articles"])
                          for b in d.get("by_length", []))
        if bands:
            console.print(w("by_length", list=bands), markup=False)
    n_short = s["too_short_to_score"]
    if n_short:
        console.print(w("too_short_one" if n_short == 1 else "too_short_other", n=n_short), markup=False)
    for pair in s["near_duplicates"]:
        console.print(w("near_duplicates", source=pair["source"], other=pair["other"],
                        jaccard=num(pair["jaccard"], 2)), markup=False)
