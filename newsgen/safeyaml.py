"""Safe YAML loading that refuses a key set twice in one mapping: the last would win silently, hiding the first."""

from __future__ import annotations

import re
from typing import Any

import yaml

_MERGE = "tag:yaml.org,2002:merge"
_SURROGATE = re.compile("[\ud800-\udfff]")  # half a UTF-16 pair: no UTF-8 text can hold one


def joined_pairs(text: str, errors: str = "strict") -> str:
    """``text`` with the UTF-16 pairs that YAML's ``\\u`` escapes leave in halves joined into their characters.

    A half alone is handled by ``errors``: "replace" makes it U+FFFD, "strict" raises UnicodeDecodeError.
    """
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", errors)


class DuplicateKeyError(yaml.YAMLError):
    """``key`` is set on ``line`` and already on ``first`` (1-based lines of the YAML text)."""

    def __init__(self, key: object, line: int, first: int) -> None:
        super().__init__(f"line {line}: duplicate key '{key}' (first set on line {first})")
        self.key, self.line, self.first = key, line, first

    def message(self, offset: int = 0) -> str:
        """The message for lines ``offset`` further down a file (YAML front matter after its ``---``)."""
        return f"duplicate key '{self.key}' (first set on line {self.first + offset})"


def _unique_keys(self: yaml.constructor.SafeConstructor, node: yaml.MappingNode, deep: bool = False) -> Any:
    first: dict[object, int] = {}
    for key_node, _ in node.value:
        if key_node.tag == _MERGE:  # ``<<: *defaults`` then a key over one of them is an override, not a mistake
            continue
        key = self.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            if key in first:
                raise DuplicateKeyError(key, line, first[key])
            first[key] = line
        except TypeError:  # an unhashable key: the base class says so
            continue
    return yaml.constructor.SafeConstructor.construct_mapping(self, node, deep)


class SafeLoader(yaml.SafeLoader):
    """``yaml.SafeLoader``, refusing duplicate keys in every mapping, nested ones too."""

    construct_mapping = _unique_keys


# libyaml's parser (several times faster) with the same Python constructor; None where PyYAML has no libyaml.
CSafeLoader: type[Any] | None = None
if hasattr(yaml, "CSafeLoader"):

    class _CSafeLoader(yaml.CSafeLoader):
        construct_mapping = _unique_keys

    CSafeLoader = _CSafeLoader


def safe_load(text: str, loader: type[Any] = SafeLoader) -> Any:
    """``yaml.safe_load`` that raises DuplicateKeyError for a key set twice."""
    return yaml.load(text, Loader=loader)
