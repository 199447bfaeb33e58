"""Message catalogs: FR and EN have the same keys and placeholders, fallbacks work, the theme's t()
keys all exist."""

import re
from pathlib import Path

import yaml

from contentkit.i18n import CATALOG_DIR, catalog, flatten, placeholders

THEME = Path(__file__).resolve().parents[1] / "contentkit" / "themes" / "default"


def _flat(lang):
    return flatten(yaml.safe_load((CATALOG_DIR / f"{lang}.yml").read_text(encoding="utf-8")))


def test_fr_and_en_have_the_same_keys_and_placeholders():
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
    for lang in ("en", "fr"):
        (tmp_path / f"{lang}.yml").write_text((CATALOG_DIR / f"{lang}.yml").read_text(encoding="utf-8"),
                                              encoding="utf-8")
    (tmp_path / "de.yml").write_text('site:\n  home: "Startseite"\n', encoding="utf-8")
    de = catalog("de-AT", tmp_path)
    assert de.lang == "de"
    assert de.t("site.home") == "Startseite"
    assert de.t("site.read_more") == "Read more"  # missing keys fall back to English
