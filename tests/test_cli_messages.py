"""The terminal speaks the site's language: `contentkit check`, `build`, `new`, `clean`, `status` run
on a tiny French site and the same site in English print French / English (verdicts, summaries,
located problems with their hints), `--format json` keeps the same stable codes in both, and
outside any site the user's locale (LC_ALL / LC_MESSAGES / LANG) decides, e.g. for `contentkit init`
and `--help`."""
from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from contentkit.commands import main
from contentkit.commands.terminal import locale_language, terminal_language
from contentkit.i18n import catalog

from .conftest import write_site

PACKAGE = Path(__file__).resolve().parents[1] / "contentkit"

POSTS = {
    "content/authors/alice.yml": "name: Alice Durand\n",
    "content/posts/2024/un.md": """
        ---
        title: Premier article
        date: 2024-03-01
        authors: [alice]
        summary: "Un résumé."
        ---
        Voir [le deuxième](/2024/deuxieme-article/) et [une page perdue](/2024/perdue/).
        """,
    "content/posts/2024/deux.md": """
        ---
        title: Deuxième article
        date: 2024-03-02
        authors: [alice]
        summary: "Un autre résumé."
        ---
        Retour au [premier](/2024/premier-article/).

        ![](/images/schema.png)
        """,
}


def config(language: str) -> str:
    return f'title: "Carnet"\nbase_url: "https://blog.example.com/"\nlanguage: {language}\ntimezone: Europe/Paris\n'


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    base = tmp_path_factory.mktemp("cli-messages")
    return {lang: write_site(base / lang, POSTS, config(lang)) for lang in ("fr", "en")}


def cli(*args: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess:
    """`python -m contentkit ARGS` with the locale variables replaced by `env` (none: C.UTF-8)."""
    environ = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")}
    environ.update(COLUMNS="200", NO_COLOR="1", **(env or {"LANG": "C.UTF-8"}))
    return subprocess.run([sys.executable, "-m", "contentkit", *args], cwd=cwd, env=environ,
                          capture_output=True, text=True, timeout=600)


# --- contentkit check ---------------------------------------------------------------------------

def test_check_text_is_in_the_site_language(sites):
    fr = cli("check", "--root", str(sites["fr"]))
    assert fr.returncode == 1, fr.stdout + fr.stderr
    assert ("erreur content/posts/2024/un.md:7 (broken-link) lien vers /2024/perdue/ : cette page n’existe pas "
            "sur le site") in fr.stdout
    assert "    → copiez l’adresse de l’article visé depuis le site construit" in fr.stdout
    assert "avertissement content/posts/2024/deux.md:9 (image-alt) l’image /images/schema.png n’a pas de texte " \
           "alternatif" in fr.stdout
    assert re.search(r"^2 articles vérifiés : 2 erreurs, \d+ avertissements? — pas encore prêt à publier$",
                     fr.stdout, re.M), fr.stdout
    for english in ("link to", "not ready", "error content/", "checked"):
        assert english not in fr.stdout

    en = cli("check", "--root", str(sites["en"]), LANG="fr_FR.UTF-8")  # the site's language wins
    assert en.returncode == 1
    assert "error content/posts/2024/un.md:7 (broken-link) link to /2024/perdue/: no such page on the site" in en.stdout
    assert "    → copy the address of the target article from the built site" in en.stdout
    assert re.search(r"^2 articles checked: 2 errors, \d+ warnings? — not ready$", en.stdout, re.M), en.stdout


def test_check_json_keeps_the_same_codes_in_both_languages(sites):
    data = {lang: json.loads(cli("check", "--root", str(root), "--format", "json").stdout)
            for lang, root in sites.items()}
    codes = {lang: [(f["file"], f["line"], f["severity"], f["code"]) for f in d["findings"]]
             for lang, d in data.items()}
    assert codes["fr"] == codes["en"]
    assert {"broken-link", "missing-image", "image-alt"} <= {c for *_, c in codes["fr"]}
    assert data["fr"]["summary"] == data["en"]["summary"]
    messages = {lang: [f["message"] for f in d["findings"]] for lang, d in data.items()}
    assert "lien vers /2024/perdue/ : cette page n’existe pas sur le site" in messages["fr"]
    assert "link to /2024/perdue/: no such page on the site" in messages["en"]


def test_a_clean_check_says_so_in_words():
    messages = {lang: catalog(lang) for lang in ("fr", "en")}
    assert messages["fr"].counted("cli.check.errors", 0) == "aucune erreur"
    assert messages["fr"].counted("cli.check.warnings", 1) == "1 avertissement"
    assert messages["fr"].counted("cli.check.articles", 3) == "3 articles vérifiés"
    assert messages["en"].counted("cli.check.errors", 0) == "no errors"
    assert messages["en"].counted("cli.check.errors", 2) == "2 errors"
    assert messages["en"].counted("cli.build.removed", 0) == "0 removed"  # no _zero key: the plural form


# --- contentkit build ---------------------------------------------------------------------------

def test_build_summary_is_in_the_site_language(sites, tmp_path):
    fr = cli("build", "--root", str(sites["fr"]), "--output", str(tmp_path / "fr"))
    assert fr.returncode == 0, fr.stderr
    assert re.search(r"Site construit : 2 articles, 0 pages, 1 auteur, 0 étiquettes → .+ \(\d+ fichiers : "
                     r"\d+ écrits, 0 inchangés, 0 supprimés\) en \d+,\d\d s", fr.stderr), fr.stderr
    assert "Prochain changement" not in fr.stderr  # nothing is scheduled
    en = cli("build", "--root", str(sites["en"]), "--output", str(tmp_path / "en"))
    assert re.search(r"Built 2 posts, 0 pages, 1 author, 0 tags → .+ \(\d+ files: \d+ written, 0 unchanged, "
                     r"0 removed\) in \d+\.\d\d s", en.stderr), en.stderr


def test_the_next_change_line_is_in_the_site_language(tmp_path):
    future = {"content/posts/plus-tard.md": "---\ntitle: Plus tard\ndate: 2099-05-04 09:30\nstatus: scheduled\n"
                                              "approved_by: alice\nauthors: [alice]\n---\nTexte.\n",
              "content/authors/alice.yml": "name: Alice\n"}
    for lang, line in (("fr", "Prochain changement le 2099-05-04 09:30 Europe/Paris (2099-05-04T07:30:00Z) : "
                              "« Plus tard » sera mis en ligne. Relancez alors la construction"),
                       ("en", "Next change: 2099-05-04 09:30 Europe/Paris (2099-05-04T07:30:00Z): “Plus tard” goes "
                              "live. Rebuild then; see .contentkit/next-publish.json.")):
        root = write_site(tmp_path / lang, future, config(lang))
        result = cli("build", "--root", str(root))
        assert result.returncode == 0, result.stderr
        assert line in result.stderr, result.stderr


def test_a_failed_build_reports_located_problems_with_hints_in_the_site_language(tmp_path):
    broken = {"content/posts/sans-titre.md": "---\ndate: 2024-03-01\n---\nTexte.\n"}
    for lang, expected in (("fr", ("erreur content/posts/sans-titre.md:", "    → ",
                                   "Échec de la construction : 1 erreur. Le site précédent n’a pas été modifié.")),
                           ("en", ("error content/posts/sans-titre.md:", "    → ",
                                   "Build failed: 1 error. The previous site was left untouched."))):
        root = write_site(tmp_path / lang, broken, config(lang))
        result = cli("build", "--root", str(root))
        assert result.returncode == 1
        for text in expected:
            assert text in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    french = cli("build", "--root", str(tmp_path / "fr")).stderr
    assert "title" in french and "error" not in french.replace("erreur", "")


# --- the other commands -------------------------------------------------------------------------

def test_new_clean_and_status_speak_the_site_language(sites, tmp_path):
    runner = CliRunner()
    for lang, created, no_cache in (("fr", "Article créé : ", "Aucun cache à supprimer."),
                                    ("en", "Created ", "No cache to remove.")):
        root = write_site(tmp_path / lang, dict(POSTS), config(lang))
        result = runner.invoke(main, ["new", "Un article de plus", "--root", str(root), "--date", "2024-04-01"])
        assert result.exit_code == 0, result.output
        assert result.output.startswith(created), result.output
        result = runner.invoke(main, ["clean", "--root", str(root)])
        assert result.output.strip() == no_cache
    for lang, words in (("fr", ("Carnet — circuit éditorial au ", "2 publiés", "Publiés récemment", "Fichier",
                                "Rien en cours.")),
                        ("en", ("Carnet — editorial pipeline at ", "2 published", "Recently published", "File",
                                "Nothing in progress."))):
        status = runner.invoke(main, ["status", "--root", str(sites[lang])], env={"COLUMNS": "200"})
        assert status.exit_code == 0, status.output
        for text in words:
            assert text in status.output, status.output


def test_a_bad_status_date_is_a_located_problem_in_the_site_language(sites):
    runner = CliRunner()
    fr = runner.invoke(main, ["status", "--root", str(sites["fr"]), "--now", "demain"])
    assert fr.exit_code == 2
    assert "erreur --now: « demain » n’est pas une date lisible" in fr.output
    assert "    → écrivez par exemple" in fr.output
    en = runner.invoke(main, ["status", "--root", str(sites["en"]), "--now", "tomorrow"])
    assert en.exit_code == 2 and "error --now: 'tomorrow' is not a date I can read" in en.output


def test_commands_refuse_a_folder_that_is_not_a_site(tmp_path):
    nowhere = tmp_path / "pas-un-site"
    for command in (["build"], ["check"], ["status"], ["new", "Un titre"]):
        result = cli(*command, "--root", str(nowhere), LANG="fr_FR.UTF-8")
        assert result.returncode == 2, (command, result.stderr)
        assert f"{nowhere} ne ressemble pas à un site contentkit" in result.stderr
        assert "    → lancez la commande depuis le dossier du site" in result.stderr
    assert not nowhere.exists()  # nothing was built or written there
    english = cli("check", "--root", str(nowhere))
    assert "does not look like a contentkit site" in english.stderr and english.returncode == 2


def test_init_outside_a_site_follows_the_locale(tmp_path):
    fr = cli("init", str(tmp_path / "nouveau"), cwd=tmp_path, LANG="fr_FR.UTF-8")
    assert fr.returncode == 0, fr.stderr
    assert fr.stdout.startswith(f"Nouveau site créé dans {tmp_path / 'nouveau'}. Pour continuer : cd ")
    en = cli("init", str(tmp_path / "new"), cwd=tmp_path)  # C.UTF-8
    assert en.stdout.startswith(f"Created a new site in {tmp_path / 'new'}. Next: cd ")
    lc_all = cli("init", str(tmp_path / "autre"), cwd=tmp_path, LC_ALL="en_GB.UTF-8", LANG="fr_FR.UTF-8")
    assert lc_all.stdout.startswith("Created a new site in")  # LC_ALL overrides LANG
    refused = cli("init", str(tmp_path / "nouveau"), cwd=tmp_path, LANG="fr_FR.UTF-8")  # not empty
    assert refused.returncode == 1
    assert f"erreur {tmp_path / 'nouveau'}: " in refused.stderr and "Traceback" not in refused.stderr


def test_help_follows_the_locale():
    fr = cli("build", "--help", LANG="fr_FR.UTF-8")
    assert fr.stdout.startswith("Utilisation : ")
    assert "Construire le site statique dans site/" in fr.stdout
    assert "Inclure les articles pas encore publiés." in fr.stdout
    assert "[par défaut : .]" in fr.stdout and "Afficher cette aide et quitter." in fr.stdout
    en = cli("build", "--help")
    assert en.stdout.startswith("Usage: ") and "[default: .]" in en.stdout
    assert "Build the static site into site/" in en.stdout and "Include posts that are not published yet." in en.stdout
    group = cli("--help", LANG="fr_FR.UTF-8")
    assert re.search(r"^Commandes:\n", group.stdout, re.M), group.stdout
    assert re.search(r"^  check +Vérifier le contenu avant publication\.$", group.stdout, re.M), group.stdout


def test_terminal_language(tmp_path, monkeypatch):
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert terminal_language(tmp_path) == "fr"  # not a site: the locale
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert terminal_language(tmp_path) == "en"
    assert terminal_language(None) == "en"
    (tmp_path / "contentkit.yml").write_text("title: [broken\nlanguage: fr\n", encoding="utf-8")
    assert terminal_language(tmp_path) == "fr"  # a broken config still says its language
    (tmp_path / "contentkit.yml").write_text("title: Blog\n", encoding="utf-8")
    assert terminal_language(tmp_path) == "fr"  # a site without `language:` is French (the default)
    assert locale_language({"LC_MESSAGES": "en_US.UTF-8", "LANG": "fr_FR"}) == "en"
    assert locale_language({"LANG": "fr_CA.UTF-8"}) == "fr"
    assert locale_language({"LANG": "POSIX"}) == "en"
    assert locale_language({}) == "en"


# --- every key the terminal asks for exists --------------------------------------------------------

def _terminal_keys():
    """(where, key, counted) for every `"cli...."` literal and help_text("...") call of the terminal code."""
    paths = [path for folder in ("commands", "check", "serve") for path in sorted((PACKAGE / folder).glob("*.py"))]
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            args = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            where = f"{path.relative_to(PACKAGE)}:{node.lineno}"
            if name in ("help_text", "counted") and not args:
                continue  # a key built at run time (the definitions themselves, build's count())
            if name == "help_text":
                yield where, f"cli.help.{args[0]}", False
            elif name == "counted":
                yield where, args[0], True
            elif name == "t":
                yield from ((where, a, False) for a in args if a.startswith("cli."))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_terminal_key_exists(lang):
    messages = catalog(lang)
    found = list(_terminal_keys())
    assert len(found) > 60, found
    missing = [f"{where}: {key}" for where, key, is_counted in found
               if not ({f"{key}_one", f"{key}_other"} <= messages.keys() if is_counted else key in messages)]
    assert not missing, "\n".join(missing)
