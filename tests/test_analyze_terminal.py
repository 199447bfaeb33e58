"""`contentkit analyze`'s terminal table: in the site's language, readable at 80 columns (figures
never cut, titles cut at a word with an ellipsis), the full table from 150 columns."""

import re

from hypothesis import given, strategies as st
from rich.console import Console

from contentkit.analytics.article_report import analyze_site
from contentkit.analytics.outputs import WIDE_TABLE, print_table, shorten

LONG_TITLE = "Prévision de la demande : sortir du tableur sans perdre ce que savent les équipes"
PARAGRAPH = ("Les équipes commerciales connaissent leurs clients mieux que tout modèle statistique. "
             "Elles savent quand une commande va tomber et pourquoi un client hésite encore. ") * 12


def _table(factory, width: int) -> list[str]:
    console = Console(width=width, force_terminal=True, color_system=None, record=True)
    print_table(analyze_site(factory.load()), console)
    return console.export_text().splitlines()


def _site(make_site, language: str):
    site = make_site(config={"language": language})
    site.post("prevision", LONG_TITLE, "2024-03-01", PARAGRAPH, tags=["data"])
    site.post("court", "Un billet court", "2024-03-02", "Trois mots seulement.")
    return site


def test_a_french_site_reads_french_and_fits_80_columns(make_site):
    lines = _table(_site(make_site, "fr"), 80)
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)
    header = next(line for line in lines if "Article" in line)
    for label in ("Mots", "Lisib.", "Profondeur", "Conseils"):
        assert label in header
    assert "Words" not in header
    row = next(line for line in lines if line.startswith("│ Prévision"))
    title = re.sub(r"[\u00a0\u202f]", " ", row.split("│")[1].strip())  # titles are typeset
    kept = title[:-1].rstrip()
    assert title.endswith("…") and LONG_TITLE.startswith(kept)
    assert LONG_TITLE[len(kept)] == " ", "cut in the middle of a word"
    words = int(row.split("│")[2])  # the word count is whole, not "1…"
    assert words > 200
    assert any("terminal étroit" in line for line in lines)
    assert any("trop court" in line for line in lines)


def test_an_english_site_reads_english_and_a_wide_terminal_shows_every_column(make_site):
    lines = _table(_site(make_site, "en"), WIDE_TABLE + 10)
    header = next(line for line in lines if "Article" in line)
    for label in ("Words", "Readab.", "Depth", "Cov/35", "Orig/20", "Hints"):
        assert label in header
    assert not any("narrow terminal" in line for line in lines)
    assert any(line.startswith("Depth: median") for line in lines)


@given(st.text(alphabet=st.sampled_from("ab cdé:\u202f,"), max_size=60), st.integers(min_value=2, max_value=50))
def test_shorten_never_exceeds_the_width_and_cuts_between_words(text, width):
    out = shorten(text, width)
    assert len(out) <= width
    if out == text:
        return
    assert out.endswith("…")
    kept = out[:-1]
    assert text.startswith(kept)
    if " " in text[:width - 1].strip() and kept:
        following = text[len(kept)]
        assert following.isspace() or following in ",:" or not kept[-1:].isalnum() or \
            not text[len(kept) - 1].isalnum() or len(kept) == width - 1
