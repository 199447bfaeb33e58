"""Locale numbers, durations and rates; the number convention is decided per file."""
from __future__ import annotations

import pytest

from contentkit.analytics.traffic import import_export
from contentkit.analytics.traffic import numbers as num

FR = num.DECIMAL_COMMA_SPACE_THOUSANDS
EN = num.DECIMAL_POINT_COMMA_THOUSANDS
DE = num.DECIMAL_COMMA_DOT_THOUSANDS


@pytest.mark.parametrize("space", [" ", "\u00a0", "\u202f"])
def test_space_thousands_with_the_three_spaces(space):
    assert num.parse_number(f"1{space}234", FR) == 1234
    assert num.parse_number(f"1{space}234", EN) == 1234
    assert num.parse_number(f"12{space}345{space}678,5", FR) == 12345678.5
    ev = num.Evidence()
    ev.add(f"1{space}234")
    ev.add("84,6")
    assert ev.decide("en")[0] is FR


@pytest.mark.parametrize("text, conv, expected", [
    ("1,234", EN, 1234),
    ("1,234", FR, 1.234),
    ("84,6", FR, 84.6),
    ("0.45", EN, 0.45),
    ("1,234.5", EN, 1234.5),
    ("1.234,5", DE, 1234.5),
    ("2.546", DE, 2546),
    ("$0.00", EN, 0.0),
    ("0,00 €", FR, 0.0),
    ("US$ 0,00", DE, 0.0),
    ("-12,5", FR, -12.5),
    ("\u221212,5", FR, -12.5),
    ("", FR, None),
    ("-", FR, None),
    ("nan", num.PLAIN, None),
])
def test_parse_number_matrix(text, conv, expected):
    assert num.parse_number(text, conv) == expected


@pytest.mark.parametrize("text, conv", [("1,23", EN), ("12.5.3", EN), ("abc", FR), ("1,2,3", FR),
                                        ("12;5", FR)])
def test_parse_number_rejects(text, conv):
    with pytest.raises(ValueError):
        num.parse_number(text, conv)


@pytest.mark.parametrize("text, conv, percent_units, expected", [
    ("45,2 %", FR, False, 0.452),
    ("45,2\u00a0%", FR, False, 0.452),
    ("12.14%", EN, False, 0.1214),
    ("0.1214", EN, False, 0.1214),
    ("45", num.PLAIN, True, 0.45),
    ("100%", EN, False, 1.0),
    ("0 %", FR, False, 0.0),
])
def test_parse_rate(text, conv, percent_units, expected):
    assert num.parse_rate(text, conv, percent_units) == pytest.approx(expected)


@pytest.mark.parametrize("text, expected", [
    ("00:03:12", 192), ("1:02:03", 3723), ("03:12", 192), ("<00:00:01", 0.0), ("45.3", 45.3),
    ("1m 30s", 90), ("2 min 5 s", 125), ("1h 2min", 3720), ("", None),
])
def test_parse_duration(text, expected):
    assert num.parse_duration(text, EN) == expected


def test_duration_with_decimal_comma_seconds():
    assert num.parse_duration("45,3", FR) == pytest.approx(45.3)


def test_ambiguous_comma_decided_by_other_cells():
    ev = num.Evidence()
    ev.add("1,234")
    assert ev.decide("en")[0] is EN          # alone, English UI: thousands
    ev.add("12,5")
    assert ev.decide("en")[0] is FR          # a "12,5" elsewhere: decimal comma for the file


def test_ambiguous_comma_alone_uses_ui_language():
    ev = num.Evidence()
    ev.add("1,234")
    conv, notes = ev.decide("fr")
    assert conv is FR and "ambiguous" in notes[0].message


def test_conflicting_conventions_warn_and_take_the_majority():
    ev = num.Evidence()
    for cell in ("12,5", "3,25", "12.5"):
        ev.add(cell)
    conv, notes = ev.decide("en")
    assert conv.decimal == "," and "conflicting" in notes[0].message


def test_plain_machine_numbers():
    ev = num.Evidence()
    for cell in ("15235", "0.164364035087719", "37.8883737517831"):
        ev.add(cell)
    assert ev.decide("fr")[0] is num.PLAIN


def test_convention_is_per_file_not_per_cell(tmp_path):
    # the same cell "1,234" means 1234 in one file and 1.234 in the other
    en = tmp_path / "en.csv"
    en.write_text("Top pages,Clicks,Impressions,CTR,Position\n"
                  'https://a.example/x/,"1,234","5,000",3%,4\n', encoding="utf-8")
    fr = tmp_path / "fr.csv"
    fr.write_text("Top pages,Clicks,Impressions,CTR,Position\n"
                  'https://a.example/x/,3,"1,234",3%,"12,5"\n', encoding="utf-8")
    e, f = import_export(en), import_export(fr)
    assert e.rows[0].clicks == 1234 and e.number_convention == "decimal point, comma thousands"
    assert f.rows[0].impressions == pytest.approx(1.234)
    assert f.rows[0].position == 12.5
    assert f.number_convention == "decimal comma, space thousands"


def test_rate_column_above_one_without_percent_is_percent(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("Top pages,Clicks,Impressions,CTR,Position\n"
                    "https://a.example/x/,3,100,3,4\nhttps://a.example/y/,1,100,0.5,4\n",
                    encoding="utf-8")
    export = import_export(path)
    assert [r.ctr for r in export.rows] == [0.03, 0.005]
    assert any("percentages" in w.message for w in export.warnings)


@pytest.mark.parametrize("conv", [num.PLAIN, EN, FR, DE])
def test_compiled_parsers_agree_with_the_reference(conv):
    cells = ["1,234", "1 234", "1\u00a0234", "1\u202f234,5", "84,6", "0.45", "12.14%", "45,2 %",
             "$0.00", "0,00 €", "-12,5", "", "-", "nan", "1,23", "12.5.3", "abc", "1.234,5",
             "2.546", "100%", "0 %", "1,234,567", "007"]

    def outcome(fn, *args):
        try:
            return fn(*args)
        except ValueError:
            return "error"

    fast = num.number_parser(conv)
    for percent_units in (False, True):
        rate = num.rate_parser(conv, percent_units)
        for cell in cells:
            assert outcome(fast, cell) == outcome(num.parse_number, cell, conv), cell
            assert outcome(rate, cell) == outcome(num.parse_rate, cell, conv, percent_units), cell
    duration = num.duration_parser(conv)
    for cell in ["00:03:12", "1:02:03", "03:12", "<00:00:01", "45.3", "1m 30s", "", "00:61:00"]:
        assert outcome(duration, cell) == outcome(num.parse_duration, cell, conv), cell
