"""Figures about the package's structure, for before/after comparisons of a refactoring:
the largest functions, function-level imports, private names used across modules, and the
modules of the site core that import a feature package.

    python3 benchmarks/code_metrics.py [PACKAGE_DIR]   (default: contentkit/ of this checkout)
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

CORE = ("config", "content", "model", "urls", "assemble", "render", "build", "output", "errors", "dates",
        "text", "slugs", "deferred", "forking", "extensions", "i18n", "shortcuts")
FEATURES = ("editorial", "search", "analytics", "serve", "commands", "cli", "check")


def module_name(pkg: Path, path: Path) -> str:
    parts = [pkg.name, *path.relative_to(pkg).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def resolve(mod: str, is_pkg: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = mod.split(".") if is_pkg else mod.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def main() -> None:
    pkg = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "contentkit"
    functions, local_imports, private, core_to_feature = [], 0, [], set()
    foreign_private: list[str] = []  # obj._name where obj is not self/cls: another object's internals
    for path in sorted(pkg.rglob("*.py")):
        mod = module_name(pkg, path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = mod.split(".")[1] if "." in mod else ""
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                functions.append((node.end_lineno - node.lineno + 1, f"{mod}.{node.name}"))
                for inner in ast.walk(node):
                    if isinstance(inner, (ast.Import, ast.ImportFrom)):
                        local_imports += 1
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__") \
                    and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
                foreign_private.append(f"{mod}:{node.lineno} .{node.attr}")
            if isinstance(node, ast.ImportFrom):
                target = resolve(mod, path.name == "__init__.py", node)
                if target.startswith(pkg.name) and target != mod:
                    private += [f"{mod} <- {target}.{a.name}" for a in node.names
                                if a.name.startswith("_") and not a.name.startswith("__")]
                    ttop = target.split(".")[1] if "." in target else ""
                    if top in CORE and ttop in FEATURES:
                        core_to_feature.add(f"{mod} -> {target}")
            if isinstance(node, ast.Import):
                for a in node.names:
                    ttop = a.name.split(".")[1] if a.name.startswith(pkg.name + ".") else ""
                    if top in CORE and ttop in FEATURES:
                        core_to_feature.add(f"{mod} -> {a.name}")
    functions.sort(reverse=True)
    print("10 largest functions (lines):")
    for size, name in functions[:10]:
        print(f"  {size:4d}  {name}")
    print(f"function-level imports: {local_imports}")
    print(f"private names imported from another module: {len(private)}")
    for line in private:
        print(f"  {line}")
    print(f"private attributes of other objects or modules used (obj._name, obj not self/cls): "
          f"{len(foreign_private)} in {len({f.split(':')[0] for f in foreign_private})} modules")
    print(f"core -> feature imports: {len(core_to_feature)}")
    for line in sorted(core_to_feature):
        print(f"  {line}")


if __name__ == "__main__":
    main()
