"""Traffic-import, slug-history and search problems read in the site's language.

French sites (the default) get the French wording of the errors catalog, English sites the English
one: in the terminal of `contentkit analyze` / `contentkit build`, in the import-problems section
of the HTML report, and in the problems a build returns.
"""
from __future__ import annotations

import lxml.html
import pytest

from contentkit import search
from contentkit.analytics.traffic import TrafficImportError, aggregate_by_path, import_export
from contentkit.errors import Problem, ProblemLog

from .conftest import SiteFactory, run_cli

GA4 = ("# Start date: 20240101\n# End date: 20240131\n\n"
       "Page path and screen class,Views,Active users\n"
       "/2024/premier/,120,80\n/2024/second/,oops,5\n,300,200\n")
UNKNOWN = "foo,bar\n1,2\n"

WORDING = {
    "fr": {"unknown": "export de trafic non reconnu : l’en-tête (ligne 1) est « foo,bar »",
           "row": "ligne écartée : « Views » = « oops » n’est pas un nombre",
           "skipped": "lignes de synthèse ignorées : 1 (ligne 7)"},
    "en": {"unknown": "not a known traffic export: header (line 1) is 'foo,bar'",
           "row": "row excluded: 'Views' = 'oops' is not a number",
           "skipped": "skipped 1 summary row(s) (line 7)"},
}


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module", params=["fr", "en"])
def analyzed(request, tmp_path_factory):
    """`contentkit analyze` of a French or English site with a malformed GA4 export and a file
    that is no known export."""
    lang = request.param
    folder = tmp_path_factory.mktemp(f"analyze-{lang}")
    site = SiteFactory(folder / "site", config={"language": lang})
    body = "## Partie\n\n" + " ".join(["Le projet avance avec l’équipe et le client."] * 40)
    site.post("premier", "Premier article", "2024-01-05", body=body)
    site.post("second", "Second article", "2024-01-06", body=body)
    ga4 = site.write("traffic/ga4.csv", GA4)
    unknown = site.write("traffic/unknown.csv", UNKNOWN)
    out = folder / "reports"
    done = run_cli("analyze", "--root", str(site.root), "--output", str(out), "--no-cache",
                   "--traffic", str(ga4), "--traffic", str(unknown))
    assert done.returncode == 0, done.stderr + done.stdout
    report = lxml.html.parse(str(out / "editorial-report.html")).getroot()
    quality = report.xpath("//section[@aria-labelledby='quality-h']")[0]
    items = [flat(li.text_content()) for li in quality.xpath(".//li")]
    return lang, flat(done.stdout), items


def test_analyze_prints_an_unreadable_export_in_the_site_language(analyzed):
    lang, stdout, _ = analyzed
    assert WORDING[lang]["unknown"] in stdout
    other = "en" if lang == "fr" else "fr"
    assert WORDING[other]["unknown"] not in stdout


VERDICT = {"fr": ("Norme de longueur :", "Trafic : 1 fichier,", "1 fichier non importé"),
           "en": ("Length norm:", "Traffic: 1 file,", "1 file not imported")}


def test_the_terminal_verdict_is_plain_words_of_the_site_language(analyzed):
    lang, stdout, _ = analyzed
    for phrase in VERDICT[lang]:
        assert phrase in stdout
    for code in ("insufficient_data", "longer_better", "no_clear_difference", "file(s)", "fichier(s)"):
        assert code not in stdout  # machine codes and (s) plurals stay out of what people read


def test_the_report_lists_import_problems_in_the_site_language(analyzed):
    lang, _, items = analyzed
    assert any("unknown.csv" in i and WORDING[lang]["unknown"] in i for i in items), items
    assert any("ga4.csv" in i and WORDING[lang]["row"] in i for i in items), items
    assert any("ga4.csv" in i and WORDING[lang]["skipped"] in i for i in items), items
    other = "en" if lang == "fr" else "fr"
    assert not any(WORDING[other]["row"] in i for i in items)


def test_an_import_error_reads_in_the_language_of_the_log_it_is_added_to(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(UNKNOWN, encoding="utf-8")
    with pytest.raises(TrafficImportError) as info:
        import_export(path)
    err = info.value
    assert err.problem.code == "traffic-format-not-recognised" and err.line == 1
    assert err.message == WORDING["en"]["unknown"] and "- search_console:" in err.hint
    log = ProblemLog(lang="fr")
    log.add(err.problem)
    (french,) = log.problems
    assert french.message == WORDING["fr"]["unknown"]
    assert french.hint.startswith("formats attendus (vous pouvez en imposer un avec --format NOM) :")
    assert "- search_console : export Search Console avec Pages les plus populaires" in french.hint


def test_merge_decisions_and_number_notes_have_a_french_wording(tmp_path):
    long = tmp_path / "q1.csv"
    long.write_text("# Start date: 20240101\n# End date: 20240331\n\nPage path,Views\n/a,10\n",
                    encoding="utf-8")
    short = tmp_path / "jan.csv"
    short.write_text("# Start date: 20240115\n# End date: 20240120\n\nPage path,Views\n/a,1\n",
                     encoding="utf-8")
    pages = aggregate_by_path([import_export(long), import_export(short)])
    (warning,) = pages.warnings
    assert warning.code == "traffic-period-overlaps"
    assert warning.message.startswith("left out: ga4 2024-01-15 → 2024-01-20 overlaps")
    assert warning.in_language("fr").message.startswith(
        "fichier écarté : sa période ga4 2024-01-15 → 2024-01-20 chevauche")

    rates = tmp_path / "rates.csv"
    rates.write_text("Page path,Views,Bounce rate\n/a,\"1,5\",45\n/b,\"2,5\",60\n", encoding="utf-8")
    notes = [w.in_language("fr").message for w in import_export(rates).warnings]
    assert "la colonne « Bounce rate » a des valeurs supérieures à 1 sans « % » : elles sont lues " \
           "comme des pourcentages" in notes, notes


def test_a_hint_with_literal_braces_keeps_them_in_both_languages():
    english = Problem.of("events-page-shadowed", "content/pages/e.md", url="/evenements/")
    assert "`params: {events_path: /webinaires/}`" in english.hint
    assert "`params: {events_path: /webinaires/}`" in english.in_language("fr").hint
    assert english.in_language("fr").message.startswith("cette page utilise /evenements/")


@pytest.mark.parametrize("lang,expected", [
    ("fr", "son ancienne URL /2024/titre-initial/ (d’après content/.slugs.yml) est maintenant "
           "utilisée par content/posts/y.md : aucune redirection n’est créée"),
    ("en", "its old URL /2024/titre-initial/ (from content/.slugs.yml) is now used by "
           "content/posts/y.md: no redirect is made"),
])
def test_build_prints_slug_history_warnings_in_the_site_language(make_site, lang, expected):
    site = make_site(config={"language": lang})
    site.post("x", "Titre initial", "2024-01-10", body="Un article.")
    first = run_cli("build", "--root", str(site.root))
    assert first.returncode == 0, first.stderr + first.stdout
    site.post("x", "Titre révisé", "2024-01-10", body="Un article.")
    site.post("y", "Titre initial", "2024-01-10", body="Un autre.")  # takes the old URL
    second = run_cli("build", "--root", str(site.root))
    assert second.returncode == 0, second.stderr + second.stdout
    assert expected in flat(second.stdout + second.stderr)


@pytest.mark.parametrize("lang,expected", [
    ("fr", "`search` est activé mais Pagefind n’est pas installé : le site est généré sans recherche"),
    ("en", "`search` is on but Pagefind is not installed: the site is built without search"),
])
def test_missing_pagefind_warning_reads_in_the_site_language(make_site, monkeypatch, lang, expected):
    monkeypatch.setattr(search, "_executable", None)  # as if `pagefind` were not importable
    monkeypatch.setattr(search, "_warned", False)
    site = make_site(config={"language": lang})
    site.post("a", "Un", "2024-01-10", body="Texte.")
    result = site.build(use_cache=False)
    (warning,) = [w for w in result.warnings if w.code == "search-pagefind-missing"]
    assert warning.message == expected


def test_an_engagement_average_without_its_basis_column_excludes_no_row(tmp_path):
    """Average engagement per active user without an Active users column: the rows are imported
    (the total cannot be derived) instead of each being excluded with a Python error as reason."""
    path = tmp_path / "ga4.csv"
    path.write_text("Page path,Views,Average engagement time per active user\n/a,10,00:00:12\n"
                    "/b,4,00:01:00\n", encoding="utf-8")
    export = import_export(path)
    assert not export.problems, [p.message for p in export.problems]
    assert [(r.path, r.views, r.avg_engaged_seconds, r.engaged_seconds_total) for r in export.rows] == [
        ("/a/", 10, 12.0, None), ("/b/", 4, 60.0, None)]
