"""The package's layering holds: no import cycle, the engine stands alone, the client knows no engine, small modules.

docs/architecture.rst draws the layers; these tests read every module's
imports (those inside functions included; only ``if TYPE_CHECKING:`` blocks
are left out) so a change that breaks a rule fails here, not in review.
"""
from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, List, Set

PACKAGE = Path(__file__).resolve().parents[1] / "shotgun_api3"
LARGEST_MODULE = 500


def _modules() -> Dict[str, Path]:
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _imports(name: str, path: Path, modules: Dict[str, Path]) -> Set[str]:
    """The package modules ``name`` imports (a package's submodule when ``from package import submodule``)."""
    is_package = path.name == "__init__.py"
    found: Set[str] = set()

    def visit(nodes: List[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names if alias.name.startswith("shotgun_api3"))
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = name.split(".") if is_package else name.split(".")[:-1]
                    base = base[:len(base) - (node.level - 1)]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                if target.startswith("shotgun_api3"):
                    for alias in node.names:
                        found.add(target + "." + alias.name if target + "." + alias.name in modules else target)
            for child in ("body", "orelse", "finalbody"):
                visit(getattr(node, child, []) or [])
            for handler in getattr(node, "handlers", []) or []:
                visit(handler.body)

    visit(ast.parse(path.read_text(encoding="utf-8")).body)
    return {module for module in found if module in modules and module != name}


def _graph() -> Dict[str, Set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def _cycles(graph: Dict[str, Set[str]]) -> List[List[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack: List[str] = []
    on_stack: Set[str] = set()
    groups: List[List[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                connect(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
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

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return groups


def test_no_module_imports_itself_back_through_others():
    assert _cycles(_graph()) == []


def test_the_engine_imports_nothing_of_the_package_outside_itself():
    outside = {name: sorted(d for d in deps if not d.startswith("shotgun_api3._engine"))
               for name, deps in _graph().items() if name.startswith("shotgun_api3._engine")}
    assert {name: deps for name, deps in outside.items() if deps} == {}


def test_the_client_imports_no_engine_module():
    client = {name: sorted(d for d in deps if d.startswith("shotgun_api3._engine"))
              for name, deps in _graph().items()
              if not name.startswith(("shotgun_api3._engine", "shotgun_api3.local_site", "shotgun_api3.lib.mockgun"))}
    assert {name: deps for name, deps in client.items() if deps} == {}


def test_no_module_is_over_500_lines():
    sizes = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in _modules().items()}
    assert {name: size for name, size in sizes.items() if size > LARGEST_MODULE} == {}
