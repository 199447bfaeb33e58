"""Message catalogs: FR and EN have the same keys and placeholders, fallbacks work, the theme's t()
keys all exist."""

import re
import shutil
from pathlib import Path


from contentkit.i18n import CATALOG_DIR, catalog, flatten, languages, placeholders, read_language

THEME = Path(__file__).resolve().parents[1] / "contentkit" / "themes" / "default"


def _flat(lang):
    return flatten(read_language(CATALOG_DIR, lang))


def test_fr_and_en_have_the_same_keys_and_placeholders():
    assert languages() == ["en", "fr"]
    en, fr = _flat("en"), _flat("fr")
    assert set(en) == set(fr), (set(en) ^ set(fr))
    for key in en:
        assert placeholders(str(en[key])) == placeholders(str(fr[key])), key


def test_every_key_the_theme_calls_exists():
    called = set()
    for path in THEME.rglob("*.html"):
        called |= set(re.findall(r"""\bt\(\s*['"]([\w.]+)['"]""", path.read_text(encoding="utf-8")))
    called = {key for key in called if not key.endswith("_")}  # t("status_" ~ value): built at run time
    site = catalog("en").section("site")
    assert called, "no t('...') call found in the theme"
    assert called <= set(site), called - set(site)


def test_regional_code_uses_its_language_and_unknown_falls_back_to_english():
    assert catalog("fr-CA").t("site.page_of", n=2, total=5) == "Page 2 sur 5"
    assert catalog("de").t("site.page_of", n=2, total=5) == "Page 2 of 5"
    assert catalog("de").lang == "en"
    assert catalog("fr").section("report")["title"] == "Rapport éditorial"


def test_a_third_language_is_a_catalog_file(tmp_path):
    shutil.copytree(CATALOG_DIR / "en", tmp_path / "en")
    (tmp_path / "de").mkdir()
    (tmp_path / "de" / "site.yml").write_text('home: "Startseite"\n', encoding="utf-8")
    de = catalog("de-AT", tmp_path)
    assert de.lang == "de"
    assert de.t("site.home") == "Startseite"
    assert de.t("site.read_more") == "Read more"  # missing keys fall back to English


# --- No user-visible French outside the catalogs -------------------------------------------------
PACKAGE = Path(__file__).resolve().parents[1] / "contentkit"
FRENCH = re.compile(r"[àâçéèêëîïôûùüÿœæÀÂÇÉÈÊËÎÏÔÛÙÜŸŒÆ«»]|\b(?:les|des|une|est|pour|avec|dans|cette|vers|"
                    r"vos|votre|nous|aucun|aucune|mots|pas de|il faut)\b", re.IGNORECASE)
# Modules whose French literals are data, not messages: each with the reason.
DATA_MODULES = {
    "analytics/traffic": "column headers of French GA4, Matomo and Search Console exports, read not shown",
    "analytics/syllables.py": "French syllable-counting rules",
    "analytics/terms.py": "French stop words and stemming suffixes",
    "analytics/depth.py": "patterns that find French dates and « quotes » in articles",
    "analytics/sample.py": "French page titles of the synthetic demo traffic",
    "content/typography.py": "French typography rules",
    "text.py": "French word-splitting rules (elisions, apostrophes)",
    "scaffold.py": "the starter content `contentkit init` writes into a new (French by default) site",
    "render/jinja_fast.py": "a probe string checking the escape shortcut against markupsafe",
}
# French *example values* inside English hints (what the author should type), kept as examples.
EXAMPLES = ("Prénom Nom", "« Mise en œuvre »", "Courbe des ventes", "« cybersécurité »", "chemin/vers/image.png")


def _literals(path: Path):
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


def _is_french(text: str) -> bool:
    for example in EXAMPLES:
        text = text.replace(example, "")
    return FRENCH.search(text) is not None


def test_no_french_message_in_python_code_outside_the_catalogs():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if any(rel == m or rel.startswith(m + "/") for m in DATA_MODULES):
            continue
        for line, text in _literals(path):
            if _is_french(text):
                found.append(f"contentkit/{rel}:{line}: {text[:70]!r}")
    assert not found, "French wording outside contentkit/catalogs/ (move it to a catalog key):\n" + "\n".join(found)


def test_the_scan_finds_a_french_message(tmp_path):
    """The check above is not vacuous: a French message in code is caught."""
    sample = tmp_path / "m.py"
    sample.write_text('HINT = "ajoutez une date"\nOK = "add a date"\nEX = "add `name: Prénom Nom`"\n', encoding="utf-8")
    assert [t for _, t in _literals(sample) if _is_french(t)] == ["ajoutez une date"]
