"""Import contract of the package, from the source (every import, function-level ones included).

- The site core never imports a feature (editorial, search, analytics, serve, commands, cli).
  Issue #13 turns today's remaining core -> feature edges into extensions; they are listed in
  KNOWN_CORE_TO_FEATURE so that no NEW edge can appear, and the list must shrink as they go
  (an edge listed here that no longer exists fails the test: remove it from the list).
- No import cycle among contentkit modules (a package importing its own submodules for re-export,
  and those submodules importing siblings through `from . import x`, is not a cycle).
"""
from __future__ import annotations

import ast
import shutil
import subprocess
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "contentkit"

CORE = ("contentkit.config", "contentkit.content", "contentkit.model", "contentkit.urls",
        "contentkit.assemble", "contentkit.render", "contentkit.build", "contentkit.output",
        "contentkit.errors", "contentkit.dates", "contentkit.text", "contentkit.slugs",
        "contentkit.deferred", "contentkit.forking", "contentkit.extensions", "contentkit.i18n",
        "contentkit.shortcuts", "contentkit.yaml_safe", "contentkit.lock")
FEATURES = ("contentkit.editorial", "contentkit.search", "contentkit.analytics", "contentkit.serve",
            "contentkit.commands", "contentkit.cli", "contentkit.importers")

# (importer, imported) still to be turned into extension hooks (issue #13); never add to this list
KNOWN_CORE_TO_FEATURE: set[tuple[str, str]] = set()  # all turned into extensions


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports_of(name: str, path: Path) -> set[str]:
    """contentkit modules imported anywhere in the file (module level or inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            submodules = {f"{target}.{a.name}" for a in node.names} & MODULES.keys()
            found |= submodules
            if len(submodules) < len(node.names):  # some names come from the module itself
                found.add(target)
    return {m for m in found if m in MODULES and m != name}


def graph(modules: dict[str, Path] = MODULES) -> dict[str, set[str]]:
    return {name: imports_of(name, path) for name, path in modules.items()}


def _within(name: str, prefixes) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def core_to_feature(edges: dict[str, set[str]]) -> set[tuple[str, str]]:
    return {(a, b) for a, targets in edges.items() if _within(a, CORE)
            for b in targets if _within(b, FEATURES)}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, found, counter = {}, {}, set(), [], [], [0]
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter[0]; counter[0] += 1
        stack.append(root); on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter[0]; counter[0] += 1
                    stack.append(child); on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop(); on_stack.discard(member); component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_core_imports_no_feature_beyond_the_known_edges():
    edges = core_to_feature(graph())
    assert edges - KNOWN_CORE_TO_FEATURE == set(), "new core -> feature import: use an extension hook"
    assert KNOWN_CORE_TO_FEATURE - edges == set(), "edge removed: drop it from KNOWN_CORE_TO_FEATURE"


def test_no_import_cycle_among_contentkit_modules():
    assert cycles(graph()) == []


def test_the_checks_see_a_reintroduced_edge_and_cycle():
    edges = graph()
    edges["contentkit.model"] = edges["contentkit.model"] | {"contentkit.editorial.events"}
    assert ("contentkit.model", "contentkit.editorial.events") in core_to_feature(edges)
    edges["contentkit.urls"] = edges["contentkit.urls"] | {"contentkit.assemble"}
    assert any("contentkit.urls" in c and "contentkit.assemble" in c for c in cycles(edges))


def test_import_linter_contract_is_kept():
    """The same contract as declared in pyproject.toml [tool.importlinter], checked by import-linter."""
    lint = shutil.which("lint-imports")
    if lint is None:
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    done = subprocess.run([lint, "--no-cache"], cwd=PACKAGE.parent, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


# Extensions (contentkit/extensions.py) ---------------------------------------------------------
from contentkit.extensions import Extension, installed_extensions  # noqa: E402


def test_the_built_in_features_are_installed_extensions():
    assert [e.name for e in installed_extensions()] == ["editorial", "search"]


class Colophon(Extension):
    """A third-party extension: one file written beside the site's pages."""

    def on_write(self, site, writer):
        writer.add("humans.txt", f"Équipe de {site.config.title}, {len(site.posts)} billets\n".encode())


def two_posts(make_site):
    site = make_site(name="src")
    site.out = site.root.parent / "out"
    site.post("premier", "Premier", "2024-03-01", body="Bonjour.")
    site.post("second", "Second", "2024-03-02", body="Re-bonjour.")
    return site


def test_a_third_party_extension_writes_a_file_and_the_built_ins_can_be_left_out(make_site, tmp_path):
    site = two_posts(make_site)
    out = site.out
    result = site.build(extensions=[*installed_extensions(), Colophon()])
    assert (out / "humans.txt").read_text(encoding="utf-8") == "Équipe de Carnet de test, 2 billets\n"
    assert "Premier" in (out / "index.html").read_text(encoding="utf-8")
    assert (out / ".contentkit" / "next-publish.json").is_file()  # written by the editorial extension
    assert [e.name for e in result.site.extensions] == ["editorial", "search", "extension"]

    # without the built-in extensions the site is still built, without their files
    bare = tmp_path / "bare"
    site.build(bare, extensions=[Colophon()], use_cache=False)
    assert not (bare / ".contentkit" / "next-publish.json").exists()
    assert (bare / "humans.txt").is_file() and "Premier" in (bare / "index.html").read_text(encoding="utf-8")


class Colophon2(Extension):
    """A third-party extension that plans a page of its own: rendered only when its deps change."""

    def on_plan(self, planner):
        count = len(planner.site.posts)
        planner.add("colophon.txt", ("colophon", count), lambda: f"{count} billets\n".encode())


def test_a_third_party_extension_plans_a_file_rebuilt_when_its_deps_change(make_site):
    site = two_posts(make_site)
    out = site.out
    extensions = [*installed_extensions(), Colophon2()]
    first = site.build(extensions=extensions)
    assert (out / "colophon.txt").read_text(encoding="utf-8") == "2 billets\n"
    assert "colophon.txt" in first.report.written
    again = site.build(extensions=extensions)
    assert "colophon.txt" not in again.report.written  # same deps: kept as it is
    site.post("troisieme", "Trois", "2024-03-03", body="Encore.")
    site.build(extensions=extensions)
    assert (out / "colophon.txt").read_text(encoding="utf-8") == "3 billets\n"
    site.build()  # the installed extensions only: the file is gone from the site
    assert not (out / "colophon.txt").exists()
