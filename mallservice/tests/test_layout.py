"""The shape of the code base (issue 23): files small enough to read, no
import cycles, and a kernel that imports no app."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 500
SKIP_PARTS = {"migrations", ".venv", "node_modules"}


def _python_files() -> list[Path]:
    return sorted(
        path
        for top in [*settings.PROJECT_APPS, "bench", "scripts"]
        for path in (ROOT / top).rglob("*.py")
        if not SKIP_PARTS & set(path.relative_to(ROOT).parts)
    )


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, known: set[str]) -> set[str]:
    """The project modules `path` imports, anywhere in it — an import put
    inside a function to dodge a cycle is still a cycle — except under
    `if TYPE_CHECKING:`."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = (
        _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    )
    found: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                visit(node.orelse)
                continue
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                visit(
                    [child for child in ast.iter_child_nodes(node) if isinstance(child, ast.stmt)]
                )
                if isinstance(node, ast.Try):
                    for handler in node.handlers:
                        visit(handler.body)
                continue
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                # `from package import module` imports the module; the
                # package's __init__ runs for every submodule anyway.
                names = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                    for alias in node.names
                ]
            for name in names:
                # The deepest project module the name refers to.
                while name and name not in known:
                    name = name.rpartition(".")[0]
                if name:
                    found.add(name)

    visit(tree.body)
    found.discard(_module_name(path))
    return found


def _graph() -> dict[str, set[str]]:
    files = {_module_name(path): path for path in _python_files() if "tests" not in path.parts}
    known = set(files)
    return {name: _imports(path, known) for name, path in files.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def test_no_file_is_longer_than_500_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): count
        for path in _python_files()
        if (count := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}, f"split these by sub-domain (see docs/app-conventions.md): {long}"


def test_no_import_cycle() -> None:
    assert _cycles(_graph()) == []


def test_the_kernel_imports_no_app() -> None:
    apps = [app for app in settings.PROJECT_APPS if app != "mallservice"]
    upward = {
        module: sorted(target for target in imports if target.split(".")[0] in apps)
        for module, imports in _graph().items()
        if module.split(".")[0] == "mallservice"
    }
    assert {module: targets for module, targets in upward.items() if targets} == {}


def test_the_cycle_finder_finds_a_cycle() -> None:
    # The check above must be able to fail.
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
