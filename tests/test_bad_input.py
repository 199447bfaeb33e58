"""Bad input: one clear message per problem (file, line, what to do), all in one run, nothing lost."""
from __future__ import annotations

import pytest

from contentkit.errors import BuildFailed

from .conftest import run_cli

GOOD = {
    "content/posts/ok.md": "---\ntitle: Un bon article\ndate: 2020-01-01\n---\nTout va bien.\n",
    "content/posts/autre.md": "---\ntitle: Un autre article\ndate: 2020-02-01\n---\nTout va bien aussi.\n",
}


def failing_build(site) -> list:
    with pytest.raises(BuildFailed) as info:
        site.build()
    return info.value.problems


CASES = {
    # name: (files to add, expected file, expected line, words in message, words in hint)
    "broken_yaml": ({"content/posts/bad.md": "---\ntitle: Bon titre\ndate: 2020-01-01\ntags: [a, b\nauthor: x\n---\nTexte.\n"},
                    "content/posts/bad.md", 4, "list opened with '[' is never closed", "]"),
    "tab_in_yaml": ({"content/posts/tab.md": "---\ntitle: Tabs\ndate: 2020-01-01\nauthors:\n\t- melody\n---\nTexte.\n"},
                    "content/posts/tab.md", 5, "invalid YAML", "tab"),
    "missing_title": ({"content/posts/notitle.md": "---\ndate: 2020-01-01\n---\nTexte.\n"},
                      "content/posts/notitle.md", 2, "missing `title`", "title:"),
    "missing_date": ({"content/posts/nodate.md": "---\ntitle: Sans date\n---\nTexte.\n"},
                     "content/posts/nodate.md", 2, "missing `date`", "date: 2024-01-31"),
    "bad_date": ({"content/posts/baddate.md": "---\ntitle: Mauvaise date\ndate: le 32 du mois\n---\nTexte.\n"},
                 "content/posts/baddate.md", 3, "not a date", "2024-01-31"),
    "duplicate_url": ({"content/posts/dup.md": "---\ntitle: Un bon article\ndate: 2020-06-01\n---\nCopie.\n"},
                      "content/posts/ok.md", 2, "content/posts/dup.md", "slug"),
    "alias_collision": ({"content/posts/alias.md": "---\ntitle: Alias\ndate: 2021-01-01\naliases: [/2020/un-autre-article/]\n---\nT.\n"},
                        "content/posts/alias.md", 4, "collides", "remove that alias"),
    "alias_empty_segment": ({"content/posts/slashes.md": "---\ntitle: Slashes\ndate: 2021-01-01\naliases: [/2019//ancien/]\n---\nT.\n"},
                            "content/posts/slashes.md", 4, "empty part", "single slashes"),
    "slug_escape": ({"content/posts/evil.md": "---\ntitle: Evil\ndate: 2020-01-01\nslug: ../../../etc/passwd\n---\nT.\n"},
                    "content/posts/evil.md", 4, "outside", "letters, digits"),
    "permalink_escape": ({"content/posts/evil2.md": "---\ntitle: Evil\ndate: 2020-01-01\npermalink: /../../outside/\n---\nT.\n"},
                         "content/posts/evil2.md", 4, "leave the output folder", "path like"),
    "non_utf8": ({"content/posts/latin1.md": "---\ntitle: Caf\u00e9\ndate: 2020-01-01\n---\nD\u00e9j\u00e0 vu.\n".encode("latin-1")},
                 "content/posts/latin1.md", 2, "not valid UTF-8", "UTF-8"),
    "empty_file": ({"content/posts/empty.md": ""}, "content/posts/empty.md", 1, "empty", "title"),
    "no_front_matter": ({"content/posts/plain.md": "Juste du texte.\n"}, "content/posts/plain.md", 1,
                        "no front matter", "---"),
    "unknown_status": ({"content/posts/st.md": "---\ntitle: S\ndate: 2020-01-01\nstatus: finished\n---\nT.\n"},
                       "content/posts/st.md", 4, "unknown `status", "published"),
    "template_error": ({"templates/article.html": "{% extends 'base.html' %}\n{% block content %}\n{{ article.title | nosuchfilter }}\n{% endblock %}\n"},
                       "templates/article.html", 3, "template error", "template"),
    "template_runtime_error": ({"templates/article.html": "{% extends 'base.html' %}\n{% block content %}\n{{ article.title.nope.deeper() }}\n{% endblock %}\n"},
                               "templates/article.html", 3, "template error", "template"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_located_and_leaves_previous_site_untouched(make_site, case):
    files, file, line, message, hint = CASES[case]
    site = make_site(GOOD)
    root = site.root
    site.build()
    before = site.snapshot()
    for rel, content in files.items():
        site.write(rel, content if isinstance(content, bytes) else content.encode("utf-8"))  # bytes: as is
    problems = failing_build(site)
    matching = [p for p in problems if p.file == file]
    assert matching, [str(p) for p in problems]
    problem = matching[0].in_language("en")  # a site without `language:` is French: compare the English wording
    assert problem.line == line, str(problem)
    assert message.lower() in problem.message.lower(), str(problem)
    assert hint.lower() in problem.hint.lower(), str(problem)
    assert site.snapshot() == before
    assert not list(root.glob(".site.*")), "no staging folder may be left behind"


def test_all_content_problems_are_reported_in_one_run_by_the_cli(make_site):
    files = dict(GOOD)
    for name in ("missing_title", "bad_date", "non_utf8", "empty_file", "slug_escape"):
        files.update(CASES[name][0])
    root = make_site(files).root
    result = run_cli("build", "--root", str(root))
    assert result.returncode == 1
    for name in ("missing_title", "bad_date", "non_utf8", "empty_file", "slug_escape"):
        _files, file, line, _msg, _hint = CASES[name]
        assert f"{file}:{line}" in result.stderr, result.stderr
    assert "Échec de la construction : 5 erreurs" in result.stderr  # the site is French
    assert "Traceback" not in result.stderr
    assert not (root / "site").exists()


def test_output_folder_cannot_replace_the_sources_or_a_foreign_folder(make_site, tmp_path):
    site = make_site(GOOD)
    root = site.root
    for output in (root, root / "content", root.parent):
        with pytest.raises(BuildFailed) as info:
            site.build(output)
        assert info.value.problems[0].code in ("output-contains-sources", "output-not-ours")
    foreign = tmp_path / "documents"
    foreign.mkdir()
    (foreign / "precious.txt").write_text("keep me")
    with pytest.raises(BuildFailed) as info:
        site.build(foreign)
    assert info.value.problems[0].code == "output-not-ours"
    assert (foreign / "precious.txt").read_text() == "keep me"


def test_nothing_is_written_outside_the_output_folder(make_site, tmp_path):
    site = make_site({**GOOD, **CASES["permalink_escape"][0], **CASES["slug_escape"][0]})
    before = sorted(p for p in tmp_path.rglob("*"))
    with pytest.raises(BuildFailed):
        site.build()
    after = sorted(p for p in tmp_path.rglob("*"))
    assert before == after


def test_broken_config_is_located(make_site):
    problems = failing_build(make_site(GOOD, config='title: "Blog\nbase_url: x\n'))
    assert problems[0].file == "contentkit.yml" and problems[0].line is not None
    problems = failing_build(make_site(GOOD, config='title: T\nper_page: beaucoup\ntimezone: Europe/Pariss\n',
                                       name="cfg2"))
    assert {(p.file, p.line) for p in problems} == {("contentkit.yml", 2), ("contentkit.yml", 3)}
