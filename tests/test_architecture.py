"""The package's shape (ARCHITECTURE.md): no import cycles, small modules, contracts kept.

Imports inside functions count as much as those at the top of a module: a function-level
import that points up is still a dependency, and two of them make a cycle. ``make lint``
checks the layer contracts with import-linter; these tests hold what it does not say.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "saleor_aftersales"
MAX_LINES = 400


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("saleor_aftersales", cache_dir=None)


def _cycles(graph) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append(
                        (child, iter(sorted(graph.find_modules_directly_imported_by(child))))
                    )
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def test_no_module_imports_itself_through_others(graph):
    assert _cycles(graph) == []


def test_the_cycle_check_finds_a_cycle():
    """The check above would see one: two modules that import each other."""
    graph = grimp.build_graph("saleor_aftersales", cache_dir=None)
    graph.add_import(importer="saleor_aftersales.core.ids", imported="saleor_aftersales.tasks")
    assert any("saleor_aftersales.core.ids" in group for group in _cycles(graph))


def test_no_module_over_400_lines():
    long = {
        str(path.relative_to(ROOT)): lines
        for path in PACKAGE.rglob("*.py")
        if "migrations" not in path.parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_import_contracts_hold():
    """Layers, independent services, Saleor only in plugin.py and hosts/saleor* (pyproject)."""
    result = subprocess.run(
        [sys.executable, "-m", "importlinter.cli", "--no-cache"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "BROKEN" not in result.stdout


def _module_exists(name: str) -> bool:
    path = ROOT / Path(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file() or path.is_dir()


def test_every_import_of_the_package_names_a_module_of_this_tree():
    """An import of a moved module fails here even where an older install of the package
    would still answer it (an editable install elsewhere resolves missing submodules)."""
    missing = []
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        package = list(path.relative_to(ROOT).parts[:-1])
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom):
                continue
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                name = ".".join([*base, *([node.module] if node.module else [])])
            else:
                name = node.module or ""
            if not name.startswith("saleor_aftersales"):
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            if not _module_exists(name):
                missing.append(f"{where} {name}")
            elif node.module is None:  # from . import x: x is a module or the package's name
                init = (ROOT / Path(*name.split(".")) / "__init__.py").read_text(encoding="utf-8")
                missing += [
                    f"{where} {name}.{a.name}"
                    for a in node.names
                    if not _module_exists(f"{name}.{a.name}") and a.name not in init
                ]
    assert missing == []
