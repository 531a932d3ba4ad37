"""The keys the cache keeps results under, one scheme for each kind of thing hashed.

Inputs: ``digest`` of strings (files' hashes, settings, code) and ``value_digest`` of values (a parsed
article, the site's shape). Pages: ``PageKeys``, a hash of what a page is made from, so that a rebuild
renders only the pages whose key changed.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import itertools
import pickle
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from pathlib import Path
from types import FunctionType
from typing import Any

from markupsafe import Markup

from newsgen.archive.collect import ListingHeader
from newsgen.archive.timeline import Calendar, Timeline
from newsgen.config import SiteConfig
from newsgen.models import Article, ArticleMeta
from newsgen.output.pages import Crumb, PageJob


def digest(*parts: str) -> str:
    """A hash of strings, each one ended, so that no two lists of them hash alike."""
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return hashed.hexdigest()


def code_digest(folder: Path) -> str:
    """A hash of newsgen's own code and data (the line model): a cache written by other code is not read."""
    files = sorted([*folder.rglob("*.py"), *folder.rglob("*.json")])
    return digest(*(f"{f.relative_to(folder)}\0{hashlib.sha256(f.read_bytes()).hexdigest()}" for f in files))


def value_digest(value: object) -> str:
    """A hash of a value made of strings, numbers, dates, tuples and lists, quick for 10,000s of them.

    It is pickled in one call, without pickle's memo: the bytes then depend on the values alone, not on
    which of them happen to be one object (as the fields of articles parsed in this process can be).
    """
    data = io.BytesIO()
    pickler = pickle.Pickler(data, pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump(value)
    return hashlib.blake2b(data.getbuffer(), digest_size=16).hexdigest()


class PageKeys:
    """A hash of what a page is made from: the same key, the same HTML.

    It hashes the page's ``inputs``: what its context is derived from. ``base`` stands for what every
    page shares (newsgen, the templates, the settings); an article counts by its parse key
    (``article_keys``, by source path) and its slug, a listing that a page only links to by its header.
    Functions among the inputs (``tag_path``, ``page_url``) depend only on the page's path and the
    settings, which the key holds.
    """

    def __init__(self, base: str, article_keys: Mapping[str, str]) -> None:
        self.base = base.encode()
        self.article_keys = article_keys
        self._seen: dict[int, tuple[object, str]] = {}  # the parts of objects already hashed, by identity
        self.articles: list[str] = []  # the source paths of the articles among the last key's values
        self._names: dict[type, tuple[str, ...]] = {}  # the field names of the dataclasses met so far

    def __call__(self, job: PageJob) -> str:
        return self.of(job.template, job.path, job.inputs)

    def of(self, *values: Any) -> str:
        """The key of anything made from ``values``."""
        parts: list[str] = []
        self.articles = []
        self._add(parts, values)
        return hashlib.blake2b(
            self.base + "\0".join(parts).encode("utf-8", "surrogatepass"), digest_size=16
        ).hexdigest()

    def _add(self, parts: list[str], values: Iterable[Any]) -> None:
        """The parts of ``values``; a container's items are added in one call (a page has dozens of strings)."""
        for value in values:
            kind = type(value)
            if kind is str or kind is Markup:
                parts.append(value)
            elif kind is ArticleMeta or kind is Article:  # by its parse key: light or whole, the same article
                parts.append(f"a{self.article_keys[value.source_path]}/{value.slug}")
                self.articles.append(value.source_path)
            elif kind is Crumb:
                parts.append(f"Crumb\0{value.title}\0{value.path})")
            elif kind is list or kind is tuple:
                parts.append("[")
                self._add(parts, value)
                parts.append("]")
            elif kind is dict:
                parts.append("{")
                self._add(parts, itertools.chain.from_iterable(value.items()))  # keys are strings
                parts.append("}")
            elif kind in _SHARED:  # kept while in use (SEEN_MOST): only what many pages share
                seen = self._seen.get(id(value))
                if seen is None or seen[0] is not value:
                    if len(self._seen) >= SEEN_MOST:  # pages come grouped by what they share: the old are done
                        self._seen.clear()
                    self._seen[id(value)] = seen = (value, self._fields(value))
                parts.append(seen[1])
            elif value is None or kind in _VALUES:
                parts.append(f"v{value!r}")
            elif kind in self._names:
                parts.append(self._fields(value))
            elif kind is FunctionType or kind is functools.partial:
                parts.append("f")
            elif kind is SiteConfig:
                parts.append("config")  # in ``base``
            elif dataclasses.is_dataclass(value):
                parts.append(self._fields(value))
            elif isinstance(value, Mapping):
                parts.append("{")
                self._add(parts, itertools.chain.from_iterable(value.items()))
                parts.append("}")
            elif callable(value):
                parts.append("f")
            else:
                raise TypeError(f"a page's key cannot hold {kind.__name__}: teach PageKeys about it")

    def _fields(self, value: Any) -> str:
        names = self._names.get(type(value))
        if names is None:
            names = self._names[type(value)] = tuple(f.name for f in dataclasses.fields(value))
        own = [type(value).__name__]
        self._add(own, [getattr(value, name) for name in names])
        return "\0".join(own) + ")"


_SHARED = frozenset((ListingHeader, Timeline, Calendar))  # objects many pages hold: hashed once while in use
# Shared objects kept hashed, at most: kept all build long they were tens of megabytes (every calendar's days,
# every listing's header) that no page needed any more.
SEEN_MOST = 4096
_VALUES = frozenset((int, float, bool, datetime, date))
