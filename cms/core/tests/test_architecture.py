"""The layout's rules hold in the code: one dependency direction, no import cycles.

``docs/architecture.md`` promises that the content apps build on ``cms/core``,
the feature apps read page types without importing them, ``cms/core`` imports
no feature, and no module takes part in an import cycle, counting imports made
inside functions too (hiding an import in a function does not remove the
dependency). These tests read every project module's imports with ``ast``.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = ("cms", "home", "articles", "studies", "bench")
CONTENT_APPS = ("home", "articles", "studies")
FEATURE_APPS = ("cms.clinical", "cms.publishing", "cms.api")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts or "tests" in path.parts:
                continue
            modules[module_name(path)] = path
    return modules


MODULES = project_modules()


def imported_modules(name: str, path: Path, parents: bool = True) -> set[str]:
    """Project modules ``name`` imports, at module level or inside functions.

    With ``parents``, the packages whose ``__init__`` an import runs count too.
    """
    found = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{alias.name}" for alias in node.names]
            targets = [t if t in MODULES else base for t in targets]
        else:
            continue
        for target in targets:
            # Importing a.b.c runs a/__init__ and a/b/__init__ too, except for
            # the packages the importer itself lives in.
            parts = target.split(".")
            for depth in range(1 if parents else len(parts), len(parts) + 1):
                candidate = ".".join(parts[:depth])
                inside = name == candidate or name.startswith(candidate + ".")
                if candidate in MODULES and candidate != name and not inside:
                    found.add(candidate)
    return found


GRAPH = {name: imported_modules(name, path) for name, path in MODULES.items()}
DIRECT = {
    name: imported_modules(name, path, parents=False) for name, path in MODULES.items()
}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as a list of module names, or ``None``."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def in_app(module: str, app: str) -> bool:
    return module == app or module.startswith(app + ".")


def imports_of(app: str):
    """(module, imported module) pairs of one app, as written in its code."""
    for module, targets in DIRECT.items():
        if in_app(module, app):
            for target in targets:
                yield module, target


def test_the_checker_sees_imports_inside_functions():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
    source = ROOT / "cms" / "clinical" / "workflow_finish.py"
    assert "cms.clinical.rules" in imported_modules(
        "cms.clinical.workflow_finish", source
    )


def test_no_import_cycles():
    assert find_cycle(GRAPH) is None


def test_core_imports_no_feature_or_content_app():
    wrong = [
        (module, target)
        for module, target in imports_of("cms.core")
        if any(in_app(target, app) for app in (*FEATURE_APPS, *CONTENT_APPS))
    ]
    assert wrong == []


@pytest.mark.parametrize("app", FEATURE_APPS[:2])
def test_clinical_and_publishing_know_page_types_only_by_name(app):
    wrong = [
        (module, target)
        for module, target in imports_of(app)
        if any(in_app(target, other) for other in (*CONTENT_APPS, "cms.api"))
    ]
    assert wrong == []


def test_the_api_imports_content_apps_only_for_their_routers():
    wrong = [
        (module, target)
        for module, target in imports_of("cms.api")
        if any(in_app(target, app) for app in CONTENT_APPS)
        and not target.endswith(".api")
    ]
    assert wrong == []


@pytest.mark.parametrize("app", CONTENT_APPS)
def test_content_apps_build_on_core(app):
    allowed_api = ("cms.api.routers", "cms.api.lists", "cms.api.schemas")
    wrong = []
    for module, target in imports_of(app):
        if in_app(target, "cms.clinical") or in_app(target, "cms.publishing"):
            wrong.append((module, target))
        elif in_app(target, "cms.api") and not (
            module.endswith((".api", ".schemas")) and target in allowed_api
        ):
            wrong.append((module, target))  # no model imports the API wiring
    if app == "studies":
        # The evidence layer: pages that cite a study point at it by name.
        wrong.extend(
            (module, target)
            for module, target in imports_of(app)
            if in_app(target, "home") or in_app(target, "articles")
        )
    assert wrong == []
