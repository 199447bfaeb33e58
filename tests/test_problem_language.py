"""An author reads every problem of a build in the site's language: file, line, what is wrong and
what to do, in French for a French site and in English for an English one — also for the files the
build reads in worker processes (their problems are made there, in English, and re-worded by the
parent's ProblemLog), and on the terminal (`contentkit build`, `contentkit new`)."""
from __future__ import annotations

import pytest
import yaml

from contentkit import build as build_module
from contentkit.build import build_site
from contentkit.content import loader
from contentkit.content.frontmatter import yaml_mistake
from contentkit.errors import BuildFailed, ContentError, wording
from contentkit.yaml_safe import SAFE_LOADER

from .conftest import run_cli

# The typical mistakes of an author: one file each, with where the build must point.
MISTAKES = {
    # Front matter never closed: the whole file would be swallowed.
    "content/posts/ouvert.md": "---\ntitle: Jamais fermé\ndate: 2024-03-01\n\nLe texte commence ici.\n",
    # A list never closed: YAML notices it a line later, the author is shown the line it opens.
    "content/posts/liste.md": "---\ntitle: Bon titre\ndate: 2024-03-02\ntags: [a, b\nauthor: x\n---\nTexte.\n",
    # Text after a quoted title: invalid YAML, worded by the YAML library, with its line.
    "content/posts/guillemets.md": '---\ntitle: "Le bon" titre\ndate: 2024-03-05\n---\nTexte.\n',
    "content/posts/date.md": "---\ntitle: Mauvaise date\ndate: le 32 mars\n---\nTexte.\n",
    # Two posts of the same year with the same title: the same URL.
    "content/posts/premier.md": "---\ntitle: Même titre\ndate: 2024-03-03\n---\nUn.\n",
    "content/posts/second.md": "---\ntitle: Même titre\ndate: 2024-04-03\n---\nDeux.\n",
    "content/authors/alice.yml": "name: Alice Martin\nrole: redactrice\n",
}
CONFIG = "title: Carnet\nbase_url: https://blog.example.com/\nlanguage: {lang}\ntimezone: Europe/Paris\nper_pgae: 5\n"

ERRORS = {  # (code, file, line)
    ("front-matter-unclosed", "content/posts/ouvert.md", 1),
    ("yaml-list-unclosed", "content/posts/liste.md", 4),
    ("front-matter-yaml-invalid", "content/posts/guillemets.md", 2),
    ("date-unreadable", "content/posts/date.md", 3),
    ("url-claimed-twice", "content/posts/premier.md", 2),
}
WARNINGS = {
    ("author-role-unknown", "content/authors/alice.yml", 2),
    ("config-key-misspelt", "contentkit.yml", 5),
}
# What the author reads (message, hint), word for word where it matters.
FRENCH = {
    "front-matter-unclosed": ("l’en-tête n’est jamais fermé", "ajoutez une ligne « --- » après la dernière ligne"),
    "yaml-list-unclosed": ("une liste ouverte par « [ » n’est jamais fermée", "fermez-la par « ] » sur la même ligne"),
    "front-matter-yaml-invalid": ("l’en-tête n’est pas du YAML valide", "vérifiez l’indentation"),
    "date-unreadable": ("`date` : « le 32 mars » n’est pas une date lisible", "écrivez les dates ainsi"),
    "url-claimed-twice": ("ce fichier et content/posts/second.md revendiquent la même URL /2024/meme-titre/",
                          "donnez à l’un des deux un autre `slug:`"),
    "author-role-unknown": ("rôle inconnu « redactrice » : traité comme staff", "utilisez l’un de ces rôles"),
    "config-key-misspelt": ("réglage inconnu « per_pgae » : il est ignoré", "vouliez-vous écrire `per_page:` ?"),
}
ENGLISH = {
    "front-matter-unclosed": ("the front matter is never closed", "add a line '---' after the last front matter key"),
    "yaml-list-unclosed": ("a list opened with '[' is never closed", "close it with ']' on the same line"),
    "front-matter-yaml-invalid": ("invalid YAML in front matter", "check indentation"),
    "date-unreadable": ("`date`: 'le 32 mars' is not a date I can read", "write dates as 2024-01-31"),
    "url-claimed-twice": ("this file and content/posts/second.md both claim the URL /2024/meme-titre/",
                          "give one of them a different `slug:`"),
    "author-role-unknown": ("unknown role 'redactrice', treated as staff", "use one of: "),
    "config-key-misspelt": ("unknown config key 'per_pgae' is ignored", "did you mean `per_page:`?"),
}
WORDING = {"fr": FRENCH, "en": ENGLISH}


def broken_site(make_site, lang: str, extra_posts: int = 0):
    files = dict(MISTAKES)
    for i in range(extra_posts):  # enough files for the build to read them in worker processes
        files[f"content/posts/bon-{i:03d}.md"] = f"---\ntitle: Bon article {i}\ndate: 2023-01-{i % 28 + 1:02d}\n---\nTexte.\n"
    return make_site(files, config=CONFIG.format(lang=lang), name=f"site-{lang}-{extra_posts}")


def failed_build(root, **kwargs) -> BuildFailed:
    with pytest.raises(BuildFailed) as info:
        build_site(root, root / "site", **kwargs)
    return info.value


def located(problems) -> set:
    return {(p.code, p.file, p.line) for p in problems}


def assert_worded_in(lang: str, problems) -> None:
    for p in problems:
        message, hint = WORDING[lang][p.code]
        assert message in p.message, str(p)
        assert hint in p.hint, str(p)
        assert (p.message, p.hint) == wording(p.code, dict(p.params), lang), str(p)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_build_reports_each_mistake_located_in_the_site_language(make_site, lang):
    failed = failed_build(broken_site(make_site, lang), use_cache=False, workers=1)
    assert located(failed.problems) == ERRORS
    assert located(failed.warnings) >= WARNINGS
    assert_worded_in(lang, failed.problems + [w for w in failed.warnings if w.code in WORDING[lang]])


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_files_read_in_worker_processes_get_problems_in_the_site_language(make_site, lang, monkeypatch):
    pools = []
    real = loader.ProcessPoolExecutor
    monkeypatch.setattr(loader, "ProcessPoolExecutor", lambda *a, **k: pools.append(k) or real(*a, **k))
    root = broken_site(make_site, lang, extra_posts=loader.PARALLEL_THRESHOLD + 10)
    failed = failed_build(root, workers=2)
    assert pools, "the files were not read in worker processes"
    assert located(failed.problems) == ERRORS
    assert_worded_in(lang, failed.problems)


def test_a_site_without_language_gets_french_problems(make_site):
    root = make_site({"content/posts/ouvert.md": MISTAKES["content/posts/ouvert.md"]},
                     config="title: Carnet\nbase_url: https://blog.example.com/\n")
    failed = failed_build(root, use_cache=False)
    assert located(failed.problems) == {("front-matter-unclosed", "content/posts/ouvert.md", 1)}
    assert_worded_in("fr", failed.problems)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_terminal_shows_the_located_problems_in_the_site_language(make_site, lang):
    root = broken_site(make_site, lang)
    result = run_cli("build", "--root", str(root))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    for code, file, line in ERRORS:
        message, hint = WORDING[lang][code]
        assert f"{file}:{line}: {message}" in result.stderr, result.stderr
        assert hint in result.stderr, result.stderr
    assert not (root / "site").exists()


@pytest.mark.parametrize("lang, title, code, message, hint", [
    ("fr", '"Carnet', "yaml-quote-unclosed", "des guillemets ouverts sur cette ligne ne sont jamais fermés",
     "fermez-les sur la même ligne"),
    ("en", '"Carnet', "yaml-quote-unclosed", "quotes opened on this line are never closed", "close them on the same line"),
    ("fr", '"Carnet" de test', "config-yaml-invalid", "le fichier de configuration n’est pas du YAML valide",
     "corrigez la syntaxe YAML"),
    ("en", '"Carnet" de test', "config-yaml-invalid", "invalid YAML", "fix the YAML syntax"),
])
def test_a_broken_config_is_worded_in_the_language_it_declares(make_site, lang, title, code, message, hint):
    root = make_site({}, config=f'language: {lang}\ntitle: {title}\nbase_url: https://blog.example.com/\n')
    failed = failed_build(root)
    problem = failed.problems[0]
    assert (problem.code, problem.file, problem.line) == (code, "contentkit.yml", 2)  # the title's line
    assert problem.message.startswith(message) and problem.hint.startswith(hint), str(problem)


@pytest.mark.parametrize("lang, message, hint", [
    ("fr", "erreur dans un modèle de page : TemplateAssertionError", "corrigez le modèle"),
    ("en", "template error: TemplateAssertionError", "fix the template"),
])
def test_a_template_error_says_what_to_do_in_the_site_language(make_site, lang, message, hint):
    root = make_site({"content/posts/ok.md": "---\ntitle: Bon\ndate: 2024-01-01\n---\nTexte.\n",
                      "templates/article.html": "{% extends 'base.html' %}\n{% block content %}\n"
                                                "{{ article.title | nosuchfilter }}\n{% endblock %}\n"},
                     config=CONFIG.format(lang=lang))
    problem = failed_build(root, use_cache=False).problems[0]
    assert (problem.code, problem.file, problem.line) == ("template-error", "templates/article.html", 3)
    assert problem.message.startswith(message) and problem.hint.startswith(hint), str(problem)


@pytest.mark.parametrize("lang, message", [("fr", "aucune fiche auteur « inconnu »"),
                                           ("en", "no author profile 'inconnu'")])
def test_contentkit_new_words_its_problem_in_the_site_language(make_site, lang, message):
    root = make_site({}, config=CONFIG.format(lang=lang))
    result = run_cli("new", "Un article", "--author", "inconnu", "--root", str(root))
    assert result.returncode == 1
    assert f"content/authors/inconnu.yml: {message}" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


# The YAML library words a mistake in its own terms, often a line later: the common ones are told
# in the author's words at the line where they are, with libyaml's C loader and the Python one.
YAML_MISTAKES = [
    ("title: Bon\ntags: [a, b\nauthor: x\n", "yaml-list-unclosed", 2),
    ('title: "Bon\ndate: 2024-01-01\n', "yaml-quote-unclosed", 1),
    ("title: Bon\njuste une phrase\ndate: 2024-01-01\n", "yaml-colon-missing", 2),
    ("title: Pourquoi: la data\ndate: 2024-01-01\n", "yaml-colon-unexpected", 1),
    ("title: Bon\n  date: 2024-01-01\n", "yaml-colon-unexpected", 2),
]


@pytest.mark.parametrize("loader", sorted({yaml.SafeLoader, SAFE_LOADER}, key=lambda c: c.__name__),
                         ids=lambda c: c.__name__)
@pytest.mark.parametrize("text, code, line", YAML_MISTAKES)
def test_common_yaml_mistakes_are_told_at_their_line(loader, text, code, line):
    with pytest.raises(yaml.YAMLError) as error:
        yaml.load(text, Loader=loader)
    with pytest.raises(ContentError) as mistake:
        yaml_mistake(error.value, "contentkit.yml")
    assert (mistake.value.problem.code, mistake.value.problem.line) == (code, line)
    assert mistake.value.problem.in_language("fr").message != mistake.value.problem.message


def test_a_yaml_mistake_in_front_matter_is_located_in_the_file(make_site):
    root = make_site({"content/posts/a.md": "---\ntitle: Bon\ndate: 2024-01-01\njuste une phrase\n---\nTexte.\n"},
                     config=CONFIG.format(lang="fr"))
    (problem,) = failed_build(root, use_cache=False).problems
    assert (problem.code, problem.file, problem.line) == ("yaml-colon-missing", "content/posts/a.md", 4)
    assert problem.message == "cette ligne n’est pas de la forme `clé: valeur` (il manque « : »)"


@pytest.mark.parametrize("lang, message, hint", [
    ("fr", "erreur dans un modèle de page : UndefinedError", "corrigez le modèle"),
    ("en", "template error: UndefinedError", "fix the template"),
])
def test_a_template_error_met_in_render_workers_is_worded_in_the_site_language(make_site, monkeypatch, lang,
                                                                                message, hint):
    """Pages are rendered in forked processes when there are many: the problem made there is worded
    in English and re-worded by the parent's log."""
    monkeypatch.setattr(build_module, "RENDER_PARALLEL_THRESHOLD", 4)
    forks = []
    real = build_module.concurrent.futures.ProcessPoolExecutor
    monkeypatch.setattr(build_module.concurrent.futures, "ProcessPoolExecutor",
                        lambda *a, **k: forks.append(k) or real(*a, **k))
    files = {f"content/posts/p{i}.md": f"---\ntitle: Article {i}\ndate: 2024-01-{i + 1:02d}\n---\nTexte.\n"
             for i in range(12)}
    files["templates/article.html"] = ("{% extends 'base.html' %}\n{% block content %}\n"
                                       "{{ article.title.nope.deeper() }}\n{% endblock %}\n")
    root = make_site(files, config=CONFIG.format(lang=lang))
    # The build never forks beside another thread (forking.can_fork); an idle thread another test of
    # the session left must not turn this test about wording into one about that policy.
    monkeypatch.setattr(build_module, "can_fork", lambda: True)
    problems = failed_build(root, use_cache=False, workers=2).problems
    assert forks, "the pages were not rendered in worker processes"
    assert {(p.code, p.file, p.line) for p in problems} == {("template-error", "templates/article.html", 3)}
    assert all(p.message.startswith(message) and p.hint.startswith(hint) for p in problems), problems
