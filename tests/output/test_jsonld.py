"""JSON-LD: escaped for a script tag, and written as ``json`` would write it."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from newsgen.output.jsonld import json_script

HOSTILE = '</script><script>alert("x")</script>'
values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=12,
)


def test_json_script_cannot_close_its_tag() -> None:
    assert "</" not in str(json_script({"x": HOSTILE}))


@given(st.dictionaries(st.text(), values, max_size=4))
def test_json_script_is_json_dumps_indented(data: dict[str, Any]) -> None:
    expected = json.dumps(data, ensure_ascii=False, indent=2)
    assert str(json_script(data)) == expected.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
