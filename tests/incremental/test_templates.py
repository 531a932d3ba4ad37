"""Compiled templates: kept on disk for the next build, and in memory for the next build of the same process."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import pytest

from newsgen.incremental.templates import compiled_templates


def environment(templates: Path, cache: Path, key: str = "") -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates), autoescape=True, bytecode_cache=compiled_templates(cache, key)
    )


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates Jinja compiles from here on."""
    seen: list[str] = []
    real = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: str, name: str | None = None, *args: Any, **kw: Any) -> Any:
        seen.append(name or "")
        return real(self, source, name, *args, **kw)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return seen


def test_a_template_is_compiled_once_a_process_and_kept_for_the_next(tmp_path: Path, compiles: list[str]) -> None:
    (tmp_path / "t").mkdir()
    page = tmp_path / "t" / "page.html"
    page.write_text("<p>{{ x }} {{ 'once' }}</p>", encoding="utf-8")
    first = environment(tmp_path / "t", tmp_path / "one").get_template("page.html").render(x="<b>")
    assert first == "<p>&lt;b&gt; once</p>" and compiles == ["page.html"]
    # Another output's cache, same process: the code compiled already, written into that cache too.
    second = environment(tmp_path / "t", tmp_path / "two").get_template("page.html").render(x=1)
    assert second == "<p>1 once</p>" and compiles == ["page.html"]
    assert [p.name for p in (tmp_path / "one").iterdir()] == [p.name for p in (tmp_path / "two").iterdir()] != []
    # An edited template is compiled again; a cache of other plugins does not take the first's code.
    page.write_text("<p>{{ x }} edited</p>", encoding="utf-8")
    assert environment(tmp_path / "t", tmp_path / "two").get_template("page.html").render(x=2) == "<p>2 edited</p>"
    assert environment(tmp_path / "t", tmp_path / "two", "plugins").get_template("page.html").render(x=3) == (
        "<p>3 edited</p>"
    )
    assert compiles == ["page.html"] * 3


def test_a_cache_that_cannot_be_written_still_renders(tmp_path: Path) -> None:
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "page.html").write_text("{{ 40 + 2 }}", encoding="utf-8")
    cache = tmp_path / "cache"
    env = environment(tmp_path / "t", cache)
    cache.rmdir()  # gone after the environment was made: writing the compiled code fails, rendering does not
    assert env.get_template("page.html").render() == "42"
