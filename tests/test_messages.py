"""Problems (build, check, import) are worded from the `errors` catalog, in the site's language.

The AST scan below finds every place the package reports a problem and checks that it names a
catalog entry with exactly the parameters its wording uses: a missing key would show the key to the
user, a missing parameter would crash with KeyError in the middle of a build.
"""

import ast
from pathlib import Path

import pytest

from contentkit.errors import ContentError, Problem, ProblemLog
from contentkit.i18n import catalog, placeholders

PACKAGE = Path(__file__).resolve().parents[1] / "contentkit"
# Calls that report a problem: (callee name, index of the code argument).
REPORTERS = {"error": 1, "warning": 1, "ContentError": 1, "TrafficImportError": 1, "of": 0}


def _callee(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _reported_problems():
    """(where, code, keyword names, has **kwargs) of every problem-reporting call in the package."""
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel == "errors.py":  # the reporting API itself
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = _callee(node)
            if name == "of" and not (isinstance(node.func, ast.Attribute)
                                     and getattr(node.func.value, "id", "") == "Problem"):
                continue
            if name in ("error", "warning"):  # a ProblemLog, not logging or rich
                owner = node.func.value if isinstance(node.func, ast.Attribute) else None
                text = ast.unparse(owner) if owner is not None else ""
                if not text.endswith("log"):
                    continue
            if name not in REPORTERS:
                if name == "Problem":
                    yield f"{rel}:{node.lineno}", None, set(), False
                continue
            index = REPORTERS[name]
            arg = node.args[index] if len(node.args) > index else None
            code = arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None
            keywords = {k.arg for k in node.keywords if k.arg} - {"line", "severity", "lang"}
            spread = any(k.arg is None for k in node.keywords)
            yield f"{rel}:{node.lineno}", code, keywords, spread


def test_every_reported_problem_names_a_catalog_entry_with_its_parameters():
    english = catalog("en")
    wrong = []
    for where, code, keywords, spread in _reported_problems():
        if code is None:
            wrong.append(f"{where}: the problem is not a literal catalog code (use Problem.of / "
                         f"log.error(file, 'code', **params))")
            continue
        key = f"errors.{code}"
        if f"{key}.message" not in english:
            wrong.append(f"{where}: no entry '{code}' in catalogs/en/errors.yml")
            continue
        used = placeholders(english.t(key + ".message")) | placeholders(english.t(key + ".hint"))
        if not spread and keywords != used:
            wrong.append(f"{where}: '{code}' is given {sorted(keywords)} but its wording uses {sorted(used)}")
    assert not wrong, "\n".join(wrong)


def test_the_scan_sees_a_free_text_problem(tmp_path, monkeypatch):
    """The check above can fail: a module that reports a free-text problem is caught."""
    bad = tmp_path / "bad.py"
    bad.write_text("def f(log):\n    log.error('a.md', 'something is wrong', 'fix it', 3)\n", encoding="utf-8")
    monkeypatch.setattr("tests.test_messages.PACKAGE", tmp_path)
    found = list(_reported_problems())
    assert [(w, c) for w, c, _, _ in found] == [("bad.py:2", "something is wrong")]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_error_entry_has_a_message_and_the_same_placeholders_in_both_languages(lang):
    entries = catalog(lang).section("errors")
    english = catalog("en").section("errors")
    assert entries, "the errors catalog is empty"
    for code, entry in entries.items():
        assert isinstance(entry, dict) and entry.get("message"), code
        for part in ("message", "hint"):
            assert placeholders(str(entry.get(part, ""))) == placeholders(str(english[code].get(part, ""))), code


def test_a_problem_reads_in_the_language_of_the_log_it_is_added_to():
    log = ProblemLog(lang="fr")
    log.error("posts/a.md", "url-claimed-twice", line=3, other="posts/b.md", url="/2024/a/")
    log.add(Problem.of("url-claimed-twice", "posts/c.md", 1, other="posts/d.md", url="/2024/c/"))
    french = catalog("fr").section("errors")["url-claimed-twice"]["message"]
    assert [p.message for p in log.problems] == [
        french.format(other="posts/b.md", url="/2024/a/"), french.format(other="posts/d.md", url="/2024/c/")]
    assert all(p.code == "url-claimed-twice" and p.severity == "error" for p in log.problems)
    english = log.problems[0].in_language("en")
    assert english.message == "this file and posts/b.md both claim the URL /2024/a/"
    assert english.location() == "posts/a.md:3"


def test_a_content_error_carries_a_located_worded_problem():
    exc = ContentError("posts/a.md", "url-claimed-twice", line=7, other="posts/b.md", url="/x/")
    assert exc.problem.location() == "posts/a.md:7"
    assert "posts/b.md" in exc.problem.message and exc.problem.hint
