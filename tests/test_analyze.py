"""`contentkit analyze` end to end, on a small site written by the test."""
from __future__ import annotations

import csv
import io
import json
import random

import pytest

from contentkit.analytics.outputs import CSV_COLUMNS, excel_safe

from .conftest import SiteFactory, run_cli

FILLER = ("équipe direction projet client méthode outil résultat objectif risque coût décision "
          "processus service métier usage démarche solution besoin priorité chantier contrat "
          "partenaire réunion calendrier dossier périmètre sauvegarde restauration incident "
          "chiffrement authentification annuaire").split()
GLUE = "le la les un une des du de et à pour avec dans sur par vers chez mais donc ou".split()
ENGLISH = ("team project client method tool result goal risk cost decision process service "
           "backup restore incident encryption the a of and to for with in on by but").split()


def text(seed: int, words: int, vocab=None) -> str:
    rng = random.Random(seed)
    vocab = vocab or FILLER + GLUE
    out, sentence = [], []
    for _ in range(words):
        sentence.append(rng.choice(vocab))
        if len(sentence) >= rng.randint(7, 15):
            out.append(" ".join(sentence).capitalize() + ".")
            sentence = []
    return " ".join(out + ([" ".join(sentence).capitalize() + "."] if sentence else []))


@pytest.fixture(scope="module")
def analyzed(tmp_path_factory):
    site = SiteFactory(tmp_path_factory.mktemp("analyze") / "site")
    sections = "\n\n".join(f"## Partie {k}\n\n{text(10 + k, 120)}" for k in range(4))
    common = {"category": "Cybersécurité", "tags": ["sauvegarde", "cyber"]}
    site.post("2024/formule", '=HYPERLINK("http://evil.example","clic")', "2024-03-01", **common,
              body=f"{sections}\n\nSelon [l'ANSSI](https://www.anssi.gouv.fr/), 37 % des PME en 2023.")
    site.post("2024/court", "Un billet court", "2024-03-02", **common, body=text(2, 40))
    site.post("2024/francais", "Un article en français", "2024-03-03", **common, body=text(3, 400))
    site.post("2024/anglais", "An English article", "2024-03-04", **common, lang="en",
              body=text(4, 300, ENGLISH))
    site.post("2024/autre", "Encore un article", "2024-03-05", **common, body=text(5, 350))
    site.post("2024/brouillon", "Un brouillon", "2024-03-06", **common, status="writing", body=text(6, 200))
    root = site.root
    out = root.parent / "reports"
    first = run_cli("analyze", "--root", str(root), "--output", str(out))
    snapshot = {name: (out / name).read_bytes() for name in ("articles.csv", "analysis.json")}
    second = run_cli("analyze", "--root", str(root), "--output", str(out))
    uncached = run_cli("analyze", "--root", str(root), "--output", str(root.parent / "nocache"),
                       "--no-cache")
    drafts = run_cli("analyze", "--root", str(root), "--output", str(root.parent / "drafts"),
                     "--drafts")
    return {"root": root, "out": out, "first": first, "second": second, "uncached": uncached,
            "drafts": drafts, "snapshot": snapshot}


def load_json(analyzed) -> dict:
    return json.loads((analyzed["out"] / "analysis.json").read_text(encoding="utf-8"))


def by_source(data: dict) -> dict:
    return {a["source"]: a for a in data["articles"]}


def test_prints_the_table_and_writes_the_outputs(analyzed):
    first = analyzed["first"]
    assert first.returncode == 0, first.stderr + first.stdout
    out = first.stdout
    # the site is French (the default language): so is the table, full width when redirected
    for header in ("Article", "Mots", "Lisib.", "Profondeur", "Couv/35", "Sous/20", "Preuv/25", "Orig/20"):
        assert header in out
    assert "Words" not in out
    assert "Un article en français" in out and "An English article" in out
    assert "Corrélation de la profondeur avec la longueur (Spearman)" in out
    assert "Un brouillon" not in out  # not published
    assert (analyzed["out"] / "articles.csv").is_file()
    assert (analyzed["out"] / "analysis.json").is_file()


def test_json_has_the_documented_shape(analyzed):
    data = load_json(analyzed)
    assert list(data)[:4] == ["generator", "site", "articles", "summary"]
    assert data["generator"].startswith("contentkit ")
    assert data["site"] == {"title": "Carnet de test", "language": "fr", "articles": 5}
    sources = [a["source"] for a in data["articles"]]
    assert sources == sorted(sources) and len(sources) == 5
    item = by_source(data)["content/posts/2024/francais.md"]
    for key in ("source", "url", "title", "date", "lang", "words", "sentences", "paragraphs",
                "reading_time_min", "readability", "readability_note", "measures", "checks",
                "depth", "hints", "category", "tags", "authors"):
        assert key in item, key
    assert item["date"] == "2024-03-03" and item["url"].startswith("/")
    assert item["category"] == "Cybersécurité" and item["tags"] == ["sauvegarde", "cyber"]
    assert isinstance(item["words"], int) and item["words"] > 350
    depth = item["depth"]
    assert 0 <= depth["score"] <= 100
    assert [c["name"] for c in depth["components"]] == ["coverage", "subtopics", "evidence",
                                                         "originality"]
    for c in depth["components"]:
        assert set(c) >= {"name", "value", "points", "max_points", "explanation", "to_improve"}
    assert {c["name"] for c in item["checks"]} == {"long_sentences", "paragraph_length",
                                                    "subheading_distribution",
                                                    "consecutive_sentences"}
    assert all(isinstance(h, str) for h in item["hints"])
    summary = data["summary"]
    assert summary["articles"] == 5
    assert "spearman_words" in summary["depth"] and "by_length" in summary["depth"]


def test_depth_components_and_hints_on_the_site(analyzed):
    items = by_source(load_json(analyzed))
    rich = items["content/posts/2024/formule.md"]
    comps = {c["name"]: c for c in rich["depth"]["components"]}
    assert comps["subtopics"]["value"] == 4
    assert comps["evidence"]["details"]["counts"]["sources"] == 1
    assert comps["evidence"]["details"]["counts"]["percentages"] == 1
    plain = items["content/posts/2024/francais.md"]
    assert "aucune source citée (pas de lien vers une source externe)" in plain["hints"]
    assert "no source cited (no link to an external source)" in items[
        "content/posts/2024/anglais.md"]["hints"]
    assert rich["depth"]["score"] > plain["depth"]["score"]


def test_csv_opens_with_the_csv_module_and_neutralises_formulas(analyzed):
    raw = (analyzed["out"] / "articles.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    header = rows[0]
    assert header[:len(CSV_COLUMNS)] == [c.name for c in CSV_COLUMNS]
    assert header[:4] == ["source", "url", "title", "date"]
    records = [dict(zip(header, r)) for r in rows[1:]]
    assert len(records) == 5
    formula = next(r for r in records if r["source"].endswith("formule.md"))
    assert formula["title"].startswith("'=HYPERLINK(")
    for r in records:
        for value in r.values():
            assert not value.startswith(("=", "+", "@", "\t", "\r")), value
    # numbers stay numbers
    float(formula["depth_score"]), int(formula["words"])
    assert excel_safe("-1") == "'-1" and excel_safe(-1.5) == -1.5 and excel_safe("a=b") == "a=b"


def test_same_input_gives_byte_identical_outputs_cached_or_not(analyzed):
    assert analyzed["second"].returncode == 0 and analyzed["uncached"].returncode == 0
    for name, content in analyzed["snapshot"].items():
        assert (analyzed["out"] / name).read_bytes() == content, name
        assert (analyzed["root"].parent / "nocache" / name).read_bytes() == content, name
    assert (analyzed["root"] / ".contentkit-cache").is_dir()


def test_too_short_article_has_null_readability(analyzed):
    item = by_source(load_json(analyzed))["content/posts/2024/court.md"]
    assert item["words"] < 100
    assert item["readability"] == {"flesch_kandel_moles": None, "lix": None}
    assert item["readability_note"] == "too short to score"
    row = next(r for r in csv.DictReader(io.StringIO(
        (analyzed["out"] / "articles.csv").read_text(encoding="utf-8-sig")))
        if r["source"].endswith("court.md"))
    assert row["flesch_kandel_moles"] == "" and row["readability_note"] == "too short to score"


def test_each_language_gets_its_own_formulas(analyzed):
    items = by_source(load_json(analyzed))
    en = items["content/posts/2024/anglais.md"]
    fr = items["content/posts/2024/francais.md"]
    assert en["lang"] == "en" and fr["lang"] == "fr"
    assert set(en["readability"]) == {"flesch_reading_ease", "flesch_kincaid_grade", "lix"}
    assert all(isinstance(v, float) for v in en["readability"].values())
    assert set(fr["readability"]) == {"flesch_kandel_moles", "lix"}  # no US grade in French
    assert all(isinstance(v, float) for v in fr["readability"].values())


def test_drafts_are_analysed_on_request(analyzed):
    drafts = analyzed["drafts"]
    assert drafts.returncode == 0, drafts.stderr
    assert "Un brouillon" in drafts.stdout
    data = json.loads((analyzed["root"].parent / "drafts" / "analysis.json").read_text())
    item = by_source(data)["content/posts/2024/brouillon.md"]
    assert item["status"] == "writing"
