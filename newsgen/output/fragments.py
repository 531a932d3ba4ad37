"""Included templates rendered once per distinct input: the header, menu and footer of every page are the same
text but for their relative links, which a page's depth decides; rendering them again for each of a site's
pages was a fifth of its rendering.

Which templates, and what their text depends on, is read from each template's own source as the loader finds
it (the site's override or the theme's), so a site's ``_header.html`` is cached on what it uses: a template is
cached only when its output is a function of the context values it names (``jinja2.meta``), which are all plain
data, frozen records or the theme's own functions, and of ``url`` called on constant paths (the key holds those
links as this page makes them). A template that defines blocks, macros or top-level variables, names any other
function, or uses a filter not known to be pure, renders as before; so does one whose inputs rarely repeat.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable, Iterator
from typing import Any, TypeAlias

import jinja2
from jinja2 import meta, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.idtracking import VAR_LOAD_RESOLVE
from jinja2.runtime import Context
from jinja2.utils import missing

LINKS = "url"  # the page's link function: keyed by the links it makes for the template's constant paths
PURE_GLOBALS = frozenset({"_", "gettext", "ngettext", "words", "range", "dict", "cycler", "joiner", "namespace"})
IMPURE_FILTERS = frozenset({"random"})
TRIAL = 64  # renders before a template whose inputs did not repeat enough is no longer looked up
MOST = 4096  # texts kept per template
PINNED = 1024  # frozen records keyed by identity, kept alive so that their ids are not reused

Key = tuple[Hashable, ...]
_ABSENT = object()  # a name the context does not have


class _Unkeyable(Exception):
    """A value the cache cannot tell apart from another by a key (a function, a mutable object)."""


@dataclasses.dataclass(frozen=True, slots=True)
class Plan:
    """What a template's text depends on: the context names it reads, and the paths it passes to ``url``."""

    names: tuple[str, ...]
    links: tuple[str, ...]


def plan(env: jinja2.Environment, name: str, pure: Pure) -> Plan | None:
    """What template ``name``'s text depends on, or None when it cannot be cached (see the module's doc)."""
    names: set[str] = set()
    links: set[str] = set()
    seen: set[str] = set()

    def read(template: str) -> bool:
        if template in seen:
            return True
        seen.add(template)
        try:
            source = env.loader.get_source(env, template)[0] if env.loader else None
        except jinja2.TemplateNotFound:
            return False
        if source is None:
            return False
        found = _facts(env, source, pure)
        if found is None:
            return False
        used, read_names, referenced = found
        links.update(used)
        names.update(read_names)
        return all(ref is not None and read(ref) for ref in referenced)

    if not read(name):
        return None
    return Plan(tuple(sorted(names)), tuple(sorted(links)))


Facts: TypeAlias = tuple[frozenset[str], frozenset[str], tuple[str | None, ...]]
_FACTS: dict[tuple[str, frozenset[str], frozenset[str], tuple[str, ...]], Facts | None] = {}


def _facts(env: jinja2.Environment, source: str, pure: Pure) -> Facts | None:
    """Of a template's source: the paths it links, the names it reads, the templates it includes; None when it
    cannot be cached. Kept for the process (a build reads them for each template it loads; the next build, in
    ``newsgen serve`` or the tests, reads the same sources again)."""
    key = (source, pure.filters, pure.tests, tuple(sorted(env.extensions)))
    if key not in _FACTS:
        ast = env.parse(source)
        used = _links(ast) if _plain(ast, pure) else None
        found = None if used is None else (used, _context_names(env, ast), meta.find_referenced_templates(ast))
        _FACTS[key] = None if found is None else (frozenset(found[0]), frozenset(found[1]), tuple(found[2]))
    return _FACTS[key]


class _Reads(CodeGenerator):
    """``jinja2.meta.find_undeclared_variables``'s code generator, less its leaving out of the environment's
    globals: a plugin's function is one of them, and the context may hold another value under a global's name."""

    def __init__(self, environment: jinja2.Environment) -> None:
        super().__init__(environment, "<introspection>", "<introspection>")
        self.reads: set[str] = set()

    def write(self, x: str) -> None:
        """Nothing: only the names matter."""

    def enter_frame(self, frame: Frame) -> None:
        super().enter_frame(frame)
        self.reads.update(param for action, param in frame.symbols.loads.values() if action == VAR_LOAD_RESOLVE)


def _context_names(env: jinja2.Environment, ast: nodes.Template) -> set[str]:
    """The names a template looks up in its context (globals among them)."""
    reader = _Reads(env)
    reader.visit(ast)
    return reader.reads


def _plain(ast: nodes.Template, pure: Pure) -> bool:
    """No blocks, extends, macros or exported variables (an import or a child template would see them), and
    only pure filters and tests."""
    if any(True for _ in ast.find_all((nodes.Block, nodes.Extends, nodes.Macro, nodes.CallBlock))):
        return False
    if any(f.name not in pure.filters for f in ast.find_all(nodes.Filter)):
        return False
    if any(t.name not in pure.tests for t in ast.find_all(nodes.Test)):
        return False
    return not _top_level_sets(ast)


def _top_level_sets(node: nodes.Node) -> bool:
    """Whether a ``set`` outside any loop (a template's exported variable) is under ``node``."""
    for child in node.iter_child_nodes():
        if isinstance(child, (nodes.Assign, nodes.AssignBlock)):
            return True
        if not isinstance(child, nodes.For) and _top_level_sets(child):
            return True
    return False


def _links(ast: nodes.Template) -> set[str] | None:
    """The constant paths ``url`` is called on; None when it is used any other way."""
    calls = [c for c in ast.find_all(nodes.Call) if isinstance(c.node, nodes.Name) and c.node.name == LINKS]
    found: set[str] = set()
    for call in calls:
        if len(call.args) != 1 or call.kwargs or call.dyn_args or call.dyn_kwargs:
            return None
        arg = call.args[0]
        if not isinstance(arg, nodes.Const) or not isinstance(arg.value, str):
            return None
        found.add(arg.value)
    uses = sum(1 for n in ast.find_all(nodes.Name) if n.name == LINKS and n.ctx == "load")
    return found if uses == len(calls) else None


class FragmentCache:
    """The texts of one template by key; the wrapper of its compiled ``root`` render function."""

    def __init__(self, template_plan: Plan, pure: Pure) -> None:
        self.globals = pure.globals
        self.names = tuple(n for n in template_plan.names if n != LINKS)
        self.links = template_plan.links
        self.texts: dict[Key, str] = {}
        self.pinned: dict[int, object] = {}
        self.tries = self.hits = 0
        self.on = True

    def wrap(self, root: Callable[[Context], Iterator[str]]) -> Callable[[Context], Iterator[str]]:
        """``root``, returning the text it made for the same key before."""

        def cached(context: Context) -> Iterator[str]:
            key = self.key(context) if self.on else None
            if key is None:
                yield from root(context)
                return
            text = self.texts.get(key)
            if text is None:
                text = "".join(root(context))
                if len(self.texts) < MOST:
                    self.texts[key] = text
            else:
                self.hits += 1
            yield text

        return cached

    def key(self, context: Context) -> Key | None:
        """What the template's text depends on in ``context``; None when some of it cannot be keyed."""
        self.tries += 1
        if self.tries == TRIAL and self.hits * 2 < TRIAL:
            self.on = False  # its inputs rarely repeat: keying them costs more than it saves
        try:
            values = tuple(self._value(name, context.resolve_or_missing(name)) for name in self.names)
            if not self.links:
                return values
            link = context.resolve_or_missing(LINKS)
            if not callable(link):
                return None
            return (*values, tuple(link(path) for path in self.links))
        except _Unkeyable:
            return None

    def _value(self, name: str, value: Any) -> Hashable:
        if value is missing:
            return _ABSENT
        if name in self.globals and value is self.globals[name]:
            return name
        return self._data(value)

    def _data(self, value: Any) -> Hashable:
        """``value`` as a key: what it holds, and its type (``Markup("a")`` is not escaped as ``"a"`` is, and
        ``True`` is not written as ``1``); a plain string stands for itself, a key of any other kind is a tuple."""
        kind = type(value)
        if kind is str:
            return str(value)
        if kind is dict:
            return (kind, *((self._data(k), self._data(v)) for k, v in value.items()))
        if kind is list or kind is tuple:
            return (kind, *(self._data(v) for v in value))
        if kind in (int, float, bool) or value is None or isinstance(value, str):  # Markup too
            return (kind, value)
        params = getattr(kind, "__dataclass_params__", None)
        if params is not None and params.frozen:  # a frozen record is what it was: the same object, the same text
            if id(value) not in self.pinned:
                if len(self.pinned) >= PINNED:
                    raise _Unkeyable
                self.pinned[id(value)] = value
            return (kind, id(value))
        raise _Unkeyable


@dataclasses.dataclass(frozen=True, slots=True)
class Pure:
    """The filters and globals a cached template may use: Jinja's own (but ``random`` and ``lipsum``) and the
    theme's, as ``make_environment`` sets them before a plugin's (whose functions may give another answer
    each time)."""

    filters: frozenset[str]
    tests: frozenset[str]
    globals: dict[str, object]


def pure_functions(environment: jinja2.Environment) -> Pure:
    """What ``environment`` has now: call before a plugin's filters and globals are added."""
    found = {name: environment.globals[name] for name in PURE_GLOBALS if name in environment.globals}
    return Pure(frozenset(environment.filters) - IMPURE_FILTERS, frozenset(environment.tests), found)
