"""The package tree shows the pipeline: stage packages, a small shared core, no import cycles."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "govscrape"
STAGES = ("crawl", "extract", "parse", "datasets", "questions", "cli", "demo")
MAX_SHARED_MODULES = 8  # the national format, the record model, findings, errors and the like
# Heavy libraries a command must not pay for unless it uses them (`govscrape --help` stays fast).
HEAVY = (
    "pandas",
    "pyarrow",
    "duckdb",
    "pdfplumber",
    "pypdfium2",
    "docx",
    "reportlab",
    "fsspec",
    "s3fs",
)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imported(path: Path, known: set[str]) -> set[str]:
    """The govscrape modules `path` imports, at the top or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in known}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:  # `from pkg import module` names a module, else a symbol
                child = f"{node.module}.{alias.name}"
                found.add(child if child in known else node.module)
    return {name for name in found if name in known}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module, or a module importing itself."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph[node]:
                found.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_the_top_of_the_package_is_the_stages_and_a_small_shared_core():
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    shared = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__", "__main__"}
    assert packages == set(STAGES)
    assert len(shared) <= MAX_SHARED_MODULES, sorted(shared)


def test_no_module_imports_in_a_cycle():
    known = modules()
    graph = {name: imported(path, set(known)) - {name} for name, path in known.items()}
    assert cycles(graph) == []


def test_the_cycle_check_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_upstream_stages_never_import_downstream_ones():
    order = ["crawl", "extract", "parse", "datasets", "questions", "demo", "cli"]
    known = modules()
    for name, path in known.items():
        stage = name.split(".")[1] if name.count(".") else None
        if stage not in order:
            continue
        for target in imported(path, set(known)):
            other = target.split(".")[1] if target.count(".") else None
            if other in order:
                assert order.index(other) <= order.index(stage), f"{name} imports {target}"


@pytest.mark.parametrize("stage", STAGES)
def test_every_stage_package_says_what_it_takes_in_and_gives_out(stage):
    doc = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text("utf-8")))
    assert doc and len(doc.splitlines()[0]) > 20


def test_every_module_has_a_one_line_docstring():
    missing = [n for n, p in modules().items() if not ast.get_docstring(ast.parse(p.read_text()))]
    assert missing == []


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_imports_alone_in_a_fresh_interpreter(stage):
    code = f"import govscrape.{stage}"
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_the_command_line_starts_without_the_heavy_libraries():
    code = (
        "import sys; from govscrape.cli.main import build_parser; build_parser(); "
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == ""


def test_imports_inside_functions_say_why():
    """A function-level import is for start-up time (or an optional library): a comment says so."""
    silent = []
    for name, path in modules().items():
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            nested = [n for n in node.body if isinstance(n, ast.Import | ast.ImportFrom)]
            nested += [
                n
                for stmt in node.body
                if not isinstance(stmt, ast.Import | ast.ImportFrom)
                for n in ast.walk(stmt)
                if isinstance(n, ast.Import | ast.ImportFrom)
            ]
            if not nested:
                continue
            first = min(n.lineno for n in nested)
            before = lines[node.lineno - 1 : first]
            if not any("#" in line for line in before):
                silent.append(f"{name}.{node.name}")
    assert silent == []
