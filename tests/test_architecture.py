"""The arrows between newsgen's modules, read from their imports: data flows one way through the stages.

config -> sources -> cleaning -> articles -> archive -> output, wired in ``pipeline``; ``incremental`` is
asked by the pipeline alone; only the pipeline and the commands import the writer.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "newsgen"
# Each module's layer: a module may import its own layer and the ones before it, never a later one.
FOUNDATION = {"errors", "models", "folders", "safeyaml", "parallel", "progress", "config", "text"}
LAYERS = [
    "sources",
    "cleaning",
    "articles",
    "archive",
    "output",
    "records",  # what each file became (records.Parsed), then what the build did (report)
    "report",
    "incremental",
    "pipeline",
    "commands",
    "cli",
]


def layer(module: str) -> int:
    """0 for the foundation, then the stages in the order data flows through them."""
    top = module.split(".")[1] if module.count(".") else "__init__"
    if top in FOUNDATION or top in {"__init__", "__main__"}:
        return 0 if top != "__main__" else len(LAYERS)
    return 1 + LAYERS.index(top)


def imports() -> dict[str, set[str]]:
    """Every module of the package and the newsgen modules it imports (at the top, in functions, for types)."""
    found: dict[str, set[str]] = {}
    for file in sorted(PACKAGE.rglob("*.py")):
        parts = file.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        names: set[str] = set()
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("newsgen"):
                names.update(
                    f"{node.module}.{a.name}" if _is_module(f"{node.module}.{a.name}") else node.module
                    for a in node.names
                )
            elif isinstance(node, ast.Import):
                names.update(a.name for a in node.names if a.name.startswith("newsgen"))
        found[name] = names - {"newsgen", name}
    return found


def _is_module(name: str) -> bool:
    path = PACKAGE.parent / name.replace(".", "/")
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


GRAPH = imports()


def test_the_graph_is_read_from_the_package() -> None:
    assert "newsgen.pipeline" in GRAPH and "newsgen.output.writer" in GRAPH["newsgen.pipeline"]
    assert all(layer(m) >= 0 for m in GRAPH)  # every module has a layer (a new top-level one must be placed)


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_no_module_imports_a_later_stage(module: str) -> None:
    later = sorted(m for m in GRAPH[module] if layer(m) > layer(module))
    assert not later, f"{module} (layer {layer(module)}) imports later stages: {later}"


def test_no_stage_imports_incremental_and_only_the_pipeline_and_commands_the_writer() -> None:
    stages = [m for m in GRAPH if 0 < layer(m) <= LAYERS.index("output") + 1]
    assert not [m for m in stages if any(i.startswith("newsgen.incremental") for i in GRAPH[m])]
    writers = {m for m, names in GRAPH.items() if "newsgen.output.writer" in names}
    assert writers <= {"newsgen.pipeline", "newsgen.cli"} | {m for m in GRAPH if m.startswith("newsgen.commands")}
