"""The code's shape, checked: areas import each other in one direction only (no cycle between the
packages of portal/), nothing outside an area imports its views or a name starting with "_", and no
module grows past 400 lines."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PORTAL = Path(__file__).resolve().parents[2] / "portal"
MODULES = sorted(path for path in PORTAL.rglob("*.py") if "migrations" not in path.parts)


def unit_of(path: Path) -> str:
    """The package a module belongs to: an area (portal/desks/…), a workspace feature
    (portal/backoffice/grids/…) or one of the workspace's shared modules (portal/backoffice/blueprint.py),
    a top-level module (portal/db.py). The workspace's and the portal's __init__ wire them together."""
    parts = path.relative_to(PORTAL).with_suffix("").parts
    if parts[0] == "backoffice" and len(parts) > 1 and parts[1] != "__init__":
        return "backoffice." + parts[1]
    return parts[0]


def unit_of_name(dotted: str) -> str | None:
    parts = dotted.split(".")[1:]
    if not parts:
        return None
    if parts[0] == "backoffice" and len(parts) > 1:
        return "backoffice." + parts[1]
    return parts[0]


def imports(path: Path, module_level_only: bool) -> list[tuple[str, list[str]]]:
    """(imported module, imported names) of a module's import statements."""
    tree = ast.parse(path.read_text())
    nodes = tree.body if module_level_only else list(ast.walk(tree))
    found = []
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("portal"):
            found.append((node.module, [alias.name for alias in node.names]))
        elif isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names if alias.name.startswith("portal")]
    return found


def dependencies() -> dict[str, set[str]]:
    """Which packages each package imports when it is loaded (imports inside functions excluded)."""
    graph: dict[str, set[str]] = {}
    for path in MODULES:
        unit = unit_of(path)
        for module, names in imports(path, module_level_only=True):
            targets = {unit_of_name(module)}
            if module == "portal" or module == "portal.backoffice":  # from portal import db, events…
                targets = {unit_of_name(f"{module}.{name}") for name in names}
            graph.setdefault(unit, set()).update(t for t in targets if t and t != unit)
    return graph


def cycle_in(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    trail: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        trail.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*trail[trail.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        state[node] = 2
        trail.pop()
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycle_between_packages():
    assert cycle_in(dependencies()) is None


def test_the_cycle_finder_finds_a_cycle():
    assert cycle_in({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle_in({"a": {"b"}, "b": {"c"}}) is None


def test_no_area_reaches_into_another_areas_views_or_private_names():
    reached = []
    for path in MODULES:
        if path == PORTAL / "__init__.py":  # the app factory registers every blueprint
            continue
        unit = unit_of(path)
        for module, names in imports(path, module_level_only=False):
            target = unit_of_name(module)
            if target is None or target == unit:
                continue
            private = [name for name in names if name.startswith("_")]
            if module.endswith(".views") or "views" in names or private:
                reached.append(f"{path.relative_to(PORTAL)}: {module} {private or ''}")
    assert reached == []


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(PORTAL)))
def test_modules_stay_under_400_lines(path):
    assert len(path.read_text().splitlines()) <= 400


def test_no_test_module_imports_another_or_a_conftest():
    """Tests share through fixtures, tests/support.py, tests/browser/support.py and tests/factories/."""
    tests = PORTAL.parent / "tests"
    found = []
    for path in tests.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            last = {module.rsplit(".", 1)[-1] for module in modules if module.startswith("tests")}
            if any(name.startswith("test_") or name == "conftest" for name in last):
                found.append(f"{path.relative_to(tests)}:{node.lineno}")
    assert found == []
