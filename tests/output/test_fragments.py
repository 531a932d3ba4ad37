"""Included templates kept by their inputs (``newsgen.output.fragments``) render what Jinja renders each time."""

from __future__ import annotations

import itertools
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup
from test_template_speedups import stock_environment

from newsgen.output.environment import make_environment
from newsgen.output.fragments import plan
from newsgen.report import BuildReport

PAGE = '<p>{{ page_path }}</p>{% include "_frag.html" %}{% for item in items %}{% include "_frag.html" %}{% endfor %}'
FRAGMENT = """<a href="{{ url('index.html') }}">{{ site }}</a>{{ url('a/b/index.html') }}
{% for entry in menu %}<li class="{{ 'on' if entry.current }}">{{ entry.title | upper }}</li>{% endfor %}
{{ _("Search") }}{{ value }}{{ item if item is defined }}{% include "_inner.html" %}"""
INNER = "{{ value | string | length }}{{ flag }}"


def links(depth: int) -> Callable[[str], str]:
    return lambda path: "../" * depth + path


def environments(tmp_path: Path) -> tuple[jinja2.Environment, jinja2.Environment]:
    """Ours, and the same templates in a plain Jinja environment (nothing cached)."""
    for name, text in {"page.html": PAGE, "_frag.html": FRAGMENT, "_inner.html": INNER}.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    ours = make_environment(tmp_path)
    plain = stock_environment()
    plain.loader = jinja2.FileSystemLoader(str(tmp_path))
    plain.filters, plain.globals = dict(ours.filters), dict(ours.globals)
    return ours, plain


values = st.one_of(
    st.sampled_from(["", "a", "<b>", 1, True, 1.0, None]),
    st.builds(Markup, st.sampled_from(["a", "<b>"])),
    st.lists(st.sampled_from(["a", 1, True]), max_size=2),
    st.dictionaries(st.sampled_from(["a", "b"]), st.sampled_from(["a", 1]), max_size=2),
)
contexts = st.fixed_dictionaries(
    {
        "page_path": st.sampled_from(["index.html", "a/index.html", "a/b/c.html"]),
        "depth": st.integers(0, 2),
        "site": st.sampled_from(["News", "<News>"]),
        "menu": st.lists(st.fixed_dictionaries({"title": st.sampled_from(["x", "y"]), "current": st.booleans()})),
        "value": values,
        "flag": values,
        "items": st.lists(values, max_size=3),
    }
)


@settings(max_examples=50, deadline=None)
@given(pages=st.lists(contexts, min_size=1, max_size=12))
def test_pages_render_as_jinja_renders_them_with_nothing_kept(
    tmp_path_factory: Any, pages: list[dict[str, Any]]
) -> None:
    ours, plain = environments(tmp_path_factory.mktemp("templates"))
    assert plan(ours, "_frag.html", ours.pure_functions) is not None  # type: ignore[attr-defined]  # kept
    for context in pages * 2:  # each page again: what was kept is used
        page = {**context, "url": links(context["depth"])}
        assert ours.get_template("page.html").render(page) == plain.get_template("page.html").render(page)


def test_a_plugins_function_is_called_for_every_page(tmp_path: Path) -> None:
    counter = itertools.count()
    ours, _ = environments(tmp_path)
    ours.globals["tick"] = lambda: next(counter)  # as a plugin's are added: after the theme's
    (tmp_path / "_frag.html").write_text("{{ tick() }}", encoding="utf-8")
    page = ours.get_template("_frag.html")
    assert [page.render() for _ in range(3)] == ["0", "1", "2"]


def test_templates_a_cache_could_get_wrong_are_not_kept(tmp_path: Path) -> None:
    env, _ = environments(tmp_path)
    pure = env.pure_functions  # type: ignore[attr-defined]
    kept = {
        "plain.html": "{{ url('index.html') }}{{ site.title }}",
        "loop_set.html": "{% for x in xs %}{% set y = x %}{{ y }}{% endfor %}",
    }
    not_kept = {
        "block.html": "{% block b %}{% endblock %}",
        "macro.html": "{% macro m() %}{% endmacro %}",
        "top_set.html": "{% set x = 1 %}{{ x }}",
        "if_set.html": "{% if a %}{% set x = 1 %}{% endif %}",
        "extends.html": '{% extends "plain.html" %}',
        "url_of_a_value.html": "{{ url(page_path) }}",
        "url_passed_on.html": "{{ f(url) }}",
        "random.html": "{{ [1, 2] | random }}",
        "dynamic_include.html": "{% include name %}",
        "includes_a_macro.html": '{% include "macro.html" %}',
    }
    for name, text in {**kept, **not_kept}.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert {name for name in {**kept, **not_kept} if plan(env, name, pure) is not None} == set(kept)


def test_a_sites_own_header_and_footer_change_every_page(
    tmp_path: Path, make_content: Callable[..., Path], build: Callable[..., BuildReport]
) -> None:
    make_content({f"wire/story-{n}.txt": f"Story {n}\n\nPublished 2016-09-0{n}\n\nBody {n}.\n" for n in range(1, 4)})
    templates = tmp_path / "templates"
    templates.mkdir()
    own = "<header><a href=\"{{ url('index.html') }}\">Ours</a> {{ title }}</header>\n"
    (templates / "_header.html").write_text(own, encoding="utf-8")
    (templates / "_footer.html").write_text("<footer>{{ site.title }}: own footer</footer>\n", encoding="utf-8")
    build(templates_dir=templates)
    pages = sorted((tmp_path / "_site").rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        html = page.read_text(encoding="utf-8")
        title = html.split("<title>", 1)[1].split("</title>", 1)[0].split(" · ")[0]
        up = "/".join([".."] * (len(page.relative_to(tmp_path / "_site").parts) - 1))
        home = f"{up}/index.html" if up else "index.html"
        if page.name != "404.html":
            assert f'<header><a href="{home}">Ours</a> {title}</header>' in html, page
        assert "<footer>News archive: own footer</footer>" in html
        assert 'class="site-header"' not in html


def test_a_fragment_keeps_its_text_per_depth(tmp_path: Path) -> None:
    """What the cache is for: one render of the header for each distinct set of links."""
    env, _ = environments(tmp_path)
    (tmp_path / "_frag.html").write_text(textwrap.dedent("{{ url('index.html') }}{{ site }}"), encoding="utf-8")
    template = env.get_template("_frag.html")
    seen = [template.render(url=links(n % 3), site="S") for n in range(30)]
    assert seen[:3] == ["index.htmlS", "../index.htmlS", "../../index.htmlS"]
    assert seen == seen[:3] * 10
    cache = next(
        c.cell_contents for c in template.root_render_func.__closure__ or () if hasattr(c.cell_contents, "texts")
    )
    assert len(cache.texts) == 3 and cache.hits == 27


def test_values_equal_in_python_but_written_differently_are_kept_apart(tmp_path: Path) -> None:
    ours, plain = environments(tmp_path)
    alike = ["<b>", Markup("<b>"), 1, True, 1.0, [1], (1,), [True], {"a": 1}, {"a": True}, None, "None"]
    for value in alike * 2:
        page = {"page_path": "", "site": "", "menu": [], "value": value, "flag": "", "items": [], "url": links(0)}
        assert ours.get_template("page.html").render(page) == plain.get_template("page.html").render(page)
