"""The environment's shortcut past Jinja's own (output escaped to plain strings) renders what stock Jinja renders."""

from __future__ import annotations

from typing import Any

import jinja2
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from newsgen.output.environment import make_environment

PAGE = """{% macro box(x) %}<b>{{ x }}</b>{% endmacro %}{% set held %}<i>{{ value }}</i>{% endset %}
{{ value }}|{{ box(value) }}|{{ held }}|{{ held | length }}|{{ shout(value) }}|{{ here() }}|{{ value ~ "&" }}
{% filter upper %}{{ value }}{% endfilter %}|{% trans %}Hi {{ value }}{% endtrans %}"""


class Html:
    def __html__(self) -> str:
        return "<em>safe</em>"


@jinja2.pass_context
def here(context: jinja2.runtime.Context) -> str:
    return str(context.get("marker"))


def stock_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]  # the i18n extension's
    return env


def render(env: jinja2.Environment, source: str, **context: Any) -> str:
    env.globals.update(shout=lambda v: f"{v}!", here=here)
    return env.from_string(source).render(marker="<m>", **context)


def test_output_is_escaped_as_stock_jinja_escapes_it() -> None:
    ours = make_environment(None)
    for value in ['Tom & "Jerry" <b>', "plain", Markup("<b>bold</b> &amp;"), Html(), 42, None, 1.5, ["<a>"]]:
        assert render(ours, PAGE, value=value) == render(stock_environment(), PAGE, value=value)


CALLS = """{{ d.a }}|{{ d.keys is defined }}|{{ d.nope is defined }}|{{ d.get("a") }}|{{ d.items() | list | length }}
{% for x in [1, 2] %}{{ shout(x) }}{{ here() }}{{ plain(x, k=x) }}{{ stop() is defined }}{% endfor %}{{ plain(1) }}"""


def stop() -> None:
    raise StopIteration


def test_calls_and_a_dicts_items_are_what_stock_jinja_makes_of_them() -> None:
    """The shortcuts past ``Context.call`` and ``Environment.getattr``: plain functions in and out of loops, a
    ``pass_context`` one, one raising StopIteration; a dict's items, its methods, a missing key."""
    for d in [{"a": "<x>", "keys": 1}, {"a": 1, "nope": None}]:
        found = [
            render(env, CALLS, d=d, plain=lambda *a, **k: f"{a}{sorted(k.items())}", stop=stop)
            for env in (make_environment(None), stock_environment())
        ]
        assert found[0] == found[1]


LOOPED_BREADCRUMBS = """\
<nav class="breadcrumbs" aria-label="{{ _('Breadcrumb') }}">
  <ol>
    {% for crumb_title, crumb_url in breadcrumbs %}
    {% set before = none if loop.first else " " ~ loop.previtem[0] %}
    {% set short = before and crumb_title.endswith(before) and crumb_title != before.strip() %}
    {% set shown %}{% if short %}{{ crumb_title[:(crumb_title | length) - (before | length)] }}\
<span class="visually-hidden">{{ before }}</span>{% else %}{{ crumb_title }}{% endif %}{% endset %}
    <li><a href="{{ crumb_url }}"{% if loop.last %} aria-current="page"{% endif %}>{{ shown }}</a></li>
    {% endfor %}
  </ol>
</nav>
"""  # the theme's _breadcrumbs.html before its loop's work moved to the ``shortened`` filter


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["2016", "September 2016", "8 September 2016", " 2016", "", " ", "a & b", "b"]),
            st.text(max_size=3),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_the_themes_breadcrumbs_are_what_their_template_loop_made(crumbs: list[tuple[str, str]]) -> None:
    env = make_environment(None)
    theme = env.get_template("!theme/_breadcrumbs.html").render(breadcrumbs=crumbs)
    assert theme == env.from_string(LOOPED_BREADCRUMBS).render(breadcrumbs=crumbs)
