"""The house rules, checked: layers, no import cycles, one error tree, short files, tests that
stand alone. Each rule is written down in README.md's layout table; this is where it is enforced."""

from __future__ import annotations

import ast
import builtins
import importlib
import inspect
import pkgutil
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import grimp
import pytest

from protolab.errors import ProtolabError

ROOT = Path(__file__).parents[2]
PACKAGES = ("protolab", "kantech_proto", "ekm_proto", "emulators", "tools")
MAX_LINES = 400

#: builtin exceptions a module may raise on purpose, and why
ALLOWED_BUILTIN_RAISES = {
    "NotImplementedError": "an abstract method",
    "StopIteration": "iterator protocol",
    "StopAsyncIteration": "iterator protocol",
    "KeyboardInterrupt": "re-raised interruption",
    "SystemExit": "process exit",
    "TimeoutError": "Clock.wait_for keeps asyncio.wait_for's contract",
}


def _modules() -> Iterator[str]:
    for package in PACKAGES:
        module = importlib.import_module(package)
        yield package
        for info in pkgutil.walk_packages(module.__path__, prefix=f"{package}."):
            if not info.name.endswith(".__main__"):  # importing one runs the program
                yield info.name


def _python_files(*roots: str) -> list[Path]:
    files: list[Path] = []
    for root in roots:
        files.extend(p for p in (ROOT / root).rglob("*.py") if ".venv" not in p.parts)
    return sorted(files)


def test_the_layer_contracts_hold() -> None:
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint_imports is not None, "import-linter is a test dependency: run `make test`"
    result = subprocess.run([lint_imports, "--no-cache"], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative (the graph has hundreds of modules)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
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
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
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
    return found


def test_no_module_imports_itself_through_others() -> None:
    """Function-level imports count: grimp reads every import statement of a module."""
    graph = grimp.build_graph(*PACKAGES)
    edges = {m: set(graph.find_modules_directly_imported_by(m)) & graph.modules
             for m in graph.modules}
    for module, imported in edges.items():  # a package importing its own submodule is no cycle
        edges[module] = {i for i in imported if not i.startswith(module + ".")}
    assert _strongly_connected(edges) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [
        ["a", "b", "c"]]


def test_every_exception_class_roots_in_protolab_error() -> None:
    strays = []
    for name in _modules():
        module = importlib.import_module(name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if value.__module__ == name and issubclass(value, BaseException) \
                    and not issubclass(value, ProtolabError):
                strays.append(f"{name}.{value.__qualname__}")
    assert strays == []


def _builtin_raises(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and node.exc is not None:
            target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(target, ast.Name) and isinstance(getattr(builtins, target.id, None),
                                                           type) \
                    and issubclass(getattr(builtins, target.id), BaseException) \
                    and target.id not in ALLOWED_BUILTIN_RAISES:
                yield node.lineno, target.id


def test_errors_raised_on_purpose_are_protolab_errors() -> None:
    """`raise ValueError(...)` in product code is an error a caller cannot catch as ours."""
    found = [f"{path.relative_to(ROOT)}:{line}: raise {name}"
             for path in _python_files(*PACKAGES) for line, name in _builtin_raises(path)]
    assert found == []


def test_the_builtin_raise_finder_finds_one(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f(x):\n    if x:\n        raise ValueError('no')\n"
                      "    raise NotImplementedError\n")
    assert list(_builtin_raises(sample)) == [(3, "ValueError")]


@pytest.mark.parametrize("root", [*PACKAGES, "bench", "tests"])
def test_files_stay_under_400_lines(root: str) -> None:
    long = {str(p.relative_to(ROOT)): n for p in _python_files(root)
            if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert long == {}


def test_tests_do_not_import_conftest_or_other_test_modules() -> None:
    """Shared test helpers are fixtures (or plain helper modules), never test modules."""
    found = []
    for path in _python_files("tests"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith(
                    "tests")):
                names = [node.module or ""] + [f"{node.module or ''}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names if a.name.startswith("tests")]
            for name in names:
                last = name.rsplit(".", 1)[-1]
                if last == "conftest" or last.startswith("test_"):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}")
    assert found == []
