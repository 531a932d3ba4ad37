"""The arrows between newsgen's modules, read from their imports: data flows one way through the stages.

config -> sources -> cleaning -> articles -> archive -> output, wired in ``pipeline``; ``incremental`` is
asked by the pipeline alone; only the pipeline and the commands import the writer.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "newsgen"
# Each module's layer: a module may import its own layer and the ones before it, never a later one.
FOUNDATION = {"errors", "models", "folders", "safeyaml", "parallel", "progress", "config", "plugins", "text"}
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


TOY_STAGE = '''"""A toy stage: headlines in capitals."""

import dataclasses

from newsgen.models import Article


def shout(article: Article) -> Article:
    return dataclasses.replace(article, title=article.title.upper())
'''


def test_a_new_stage_is_one_module_and_one_line_in_the_pipeline(tmp_path: Path) -> None:
    """Add a per-file stage to a copy of newsgen, as a contributor would: build, check and explain all run it."""
    copy = tmp_path / "newsgen"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(PACKAGE.parent / "templates", tmp_path / "templates")  # the theme, beside the package
    (copy / "articles" / "shout.py").write_text(TOY_STAGE, encoding="utf-8")
    pipeline = (copy / "pipeline.py").read_text(encoding="utf-8")
    parse = "        article = parse_article(source, result, config)\n"
    assert pipeline.count(parse) == 1, "the per-file stages are written once"
    line = "        article = __import__('newsgen.articles.shout').articles.shout.shout(article)\n"
    (copy / "pipeline.py").write_text(pipeline.replace(parse, parse + line), encoding="utf-8")
    content = tmp_path / "content" / "gazette"
    content.mkdir(parents=True)
    (content / "a.txt").write_text("Harbour reopens\n8 Sep, 2016 14:01\n\nThe harbour reopened today.\n", "utf-8")
    script = (
        "import sys; from pathlib import Path; from newsgen.config import SiteConfig;"
        "from newsgen.pipeline import build_site, check_content, explain_file;"
        "root = Path(sys.argv[1]); config = SiteConfig();"
        "built = build_site(config, root / 'content', root / '_site');"
        "checked = check_content(config, root / 'content');"
        "told = explain_file(root / 'content/gazette/a.txt', root / 'content', config);"
        "print(built.articles[0].title, checked.archive.articles[0].title, told.article.title, sep='|')"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "HARBOUR REOPENS|HARBOUR REOPENS|HARBOUR REOPENS"
    page = tmp_path / "_site" / "2016" / "09" / "08" / "harbour-reopens" / "index.html"
    assert "<h1>HARBOUR REOPENS</h1>" in page.read_text(encoding="utf-8").replace("\n", "")
