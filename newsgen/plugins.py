"""Plugins: site code that adds Jinja filters and globals, Markdown extensions, cleaner rules and post-build hooks.

site.yaml's ``plugins:`` names each one: an entry point of the group ``newsgen.plugins``, an importable
module, or a ``.py`` file inside the site folder (as MkDocs hooks are). Each has a ``register(registry)``
function, called once when the settings are read, before any worker process is forked: every worker
sees the plugins as the build's own process does. What the plugins are (names, the digest of their code,
their versions) is part of the settings' ``repr``, which keys the up-to-date stamp and the build cache:
an edited plugin rebuilds the site.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import importlib.util
import re
import sys
import types
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsgen.errors import ConfigError, NewsgenError

GROUP = "newsgen.plugins"  # the entry-point group a package registers its plugins under
HOOKED = "plugin:"  # what the keys of files a hook wrote start with: no stage takes them for its own
LAST = -1000.0  # a plugin's cleaner rule is tried after the built-in ones (100, 90, ... down), unless it says


class PluginError(NewsgenError):
    """A plugin failed to load, to register, or when called: named, with what it raised."""


def plugin_error(plugin: str, what: str, exc: BaseException | None = None) -> PluginError:
    """The error that names ``plugin`` (one argument: it crosses from a worker process pickled)."""
    raised = f" ({type(exc).__name__}: {exc})" if exc is not None else ""
    return PluginError(f"plugin {plugin}: {what}{raised}")


@dataclass(frozen=True, slots=True)
class CleanerRule:
    """A plugin's rule: ``matches`` gets a ``newsgen.cleaning.cleaner.LineContext``; a line it matches is
    removed, and ``newsgen explain`` shows ``name`` beside it."""

    name: str
    description: str
    matches: Callable[[Any], bool]
    priority: float
    plugin: str  # the plugin that added it, named if it fails

    def __call__(self, line: Any) -> bool:
        try:
            return bool(self.matches(line))
        except Exception as exc:
            raise plugin_error(self.plugin, f"its cleaner rule {self.name} failed", exc) from exc


@dataclass(frozen=True, slots=True)
class BuiltSite:
    """What a post-build hook gets: the site as it will be published, before it is.

    The hook runs after every page is written but before the output folder changes, so a hook that
    fails leaves the last site as it was. Pages the last build wrote and this one kept are still in
    ``output``, new ones are not yet: read them with ``read``. Files written with ``write`` are part of
    the site: listed, kept by the next build while the hook writes them again (the same bytes are not
    written twice), and removed once it stops.
    """

    output: Path  # where the site is published
    report: Any  # the build's newsgen.report.BuildReport (its counts before the hooks' files)
    files: tuple[str, ...]  # every file of the site, as a path relative to ``output``
    changed: frozenset[str]  # those this build wrote; the others are as the last build left them
    reader: Callable[[str], bytes]
    writer: Callable[[str, bytes], None]
    keeper: Callable[[str], bool]

    def read(self, path: str) -> bytes:
        """The bytes of one of ``files``."""
        return self.reader(path)

    def write(self, path: str, content: bytes | str) -> None:
        """Add ``path`` (relative, inside the output; not one of ``files``) to the site."""
        self.writer(path, content.encode("utf-8") if isinstance(content, str) else content)

    def keep(self, path: str) -> bool:
        """Keep ``path`` as a hook wrote it for the last build, if it is there untouched; False: write it."""
        return self.keeper(path)


Hook = Callable[[BuiltSite], None]


class Registry:
    """What a plugin's ``register(registry)`` is given, to add to the build."""

    def __init__(self, plugin: str) -> None:
        self.plugin = plugin
        self.filters: dict[str, Callable[..., Any]] = {}
        self.globals: dict[str, Any] = {}
        self.markdown: list[Any] = []
        self.rules: list[CleanerRule] = []
        self.hooks: list[Hook] = []

    def add_filter(self, name: str, function: Callable[..., Any]) -> None:
        """A Jinja filter for the templates: ``{{ article.title | name }}``."""
        self.filters[_identifier(name, "filter")] = function

    def add_global(self, name: str, value: Any) -> None:
        """A value (or function) every template can use by ``name``."""
        self.globals[_identifier(name, "global")] = value

    def add_markdown_extension(self, extension: Any) -> None:
        """A Python-Markdown extension (its name, or an instance) for Markdown articles; the HTML it makes is
        sanitised like the rest (no scripts, no event attributes)."""
        import markdown  # here: only a site with Markdown extensions needs it to read its settings

        markdown.Markdown(extensions=[extension])  # a misspelt name fails here, not in every article
        self.markdown.append(extension)

    def add_cleaner_rule(
        self, name: str, description: str, matches: Callable[[Any], bool], priority: float = LAST
    ) -> None:
        """A rule of the per-file cleaner: lines it matches are removed, with ``name`` as their reason."""
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", name):
            raise ValueError(f"a cleaner rule's name is kebab-case (like 'share-buttons'), not {name!r}")
        self.rules.append(CleanerRule(name, description, matches, priority, self.plugin))

    def add_post_build(self, hook: Hook) -> None:
        """A function called with the ``BuiltSite`` once the pages are written."""
        self.hooks.append(hook)


class Plugins:
    """The site's plugins, loaded: what they registered, and a fingerprint of their code.

    Its ``repr`` (names and fingerprint, never addresses) is part of the settings' ``repr``: what the
    stamp and the cache's keys are made of. Equal when the same plugins with the same code are named.
    """

    __slots__ = ("filters", "fingerprint", "globals", "hooks", "markdown", "names", "rules")

    def __init__(self, names: Sequence[str] = (), fingerprint: str = "", registries: Sequence[Registry] = ()) -> None:
        self.names = tuple(names)
        self.fingerprint = fingerprint
        self.filters = {k: _named(r.plugin, f"filter {k}", v) for r in registries for k, v in r.filters.items()}
        self.globals = {k: _named(r.plugin, f"global {k}", v) for r in registries for k, v in r.globals.items()}
        self.markdown = tuple(e for r in registries for e in r.markdown)
        self.rules = tuple(rule for r in registries for rule in r.rules)
        self.hooks = tuple((r.plugin, hook) for r in registries for hook in r.hooks)

    def __repr__(self) -> str:
        return f"Plugins({list(self.names)!r}, {self.fingerprint!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Plugins) and (self.names, self.fingerprint) == (other.names, other.fingerprint)

    def __hash__(self) -> int:
        return hash((self.names, self.fingerprint))

    def __bool__(self) -> bool:
        return bool(self.names)


NO_PLUGINS = Plugins()


def load_plugins(names: Sequence[str], site_dir: Path) -> Plugins:
    """Import each plugin named and call its ``register``; a ``PluginError`` names the one that failed."""
    registries: list[Registry] = []
    digest = hashlib.sha256()
    for name in names:
        module, version = _import(name, site_dir)
        register = getattr(module, "register", None) if isinstance(module, types.ModuleType) else module
        if not callable(register):
            raise plugin_error(name, "has no register(registry) function")
        registry = Registry(name)
        try:
            register(registry)
        except Exception as exc:
            raise plugin_error(name, "its register(registry) failed", exc) from exc
        registries.append(registry)
        digest.update(f"{name}\0{version}\0{_code_digest(module)}\0".encode("utf-8", "surrogateescape"))
    rules = [rule.name for r in registries for rule in r.rules]
    if twice := sorted({n for n in rules if rules.count(n) > 1}):
        raise plugin_error(", ".join(names), f"two plugins add a cleaner rule named {twice[0]!r}")
    return Plugins(names, digest.hexdigest()[:32], registries)


def plugin_names(value: object, where: str) -> list[str]:
    """site.yaml's ``plugins:`` checked: a list of names."""
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError("plugins must be a list of entry-point names, module names or .py files", where)
    return [v.strip() for v in value]


def _import(name: str, site_dir: Path) -> tuple[Any, str]:
    """The plugin's module (or its register function, for an entry point naming one) and its version."""
    try:
        if name.endswith(".py") or "/" in name or "\\" in name:
            return _from_file(name, site_dir), ""
        import importlib.metadata  # here: 25 ms of every build's start, for the sites that name a plugin so

        found = importlib.metadata.entry_points(group=GROUP, name=name)
        for point in found:
            return point.load(), f"{point.value} {point.dist.version if point.dist else ''}"
        module = importlib.import_module(name)
        return module, str(getattr(module, "__version__", ""))
    except PluginError:
        raise
    except ModuleNotFoundError as exc:
        if exc.name and (name == exc.name or name.startswith(exc.name + ".")):
            raise plugin_error(name, f"no entry point in group {GROUP} and no module of that name") from exc
        raise plugin_error(name, "could not be imported", exc) from exc
    except Exception as exc:
        raise plugin_error(name, "could not be imported", exc) from exc


def _from_file(name: str, site_dir: Path) -> types.ModuleType:
    """A ``.py`` file inside the site folder, run as a module of its own (fresh each time settings are read)."""
    root = site_dir.resolve()
    path = (root / name).resolve()
    if not path.is_relative_to(root) or path.suffix != ".py":
        raise plugin_error(name, f"a plugin file must be a .py file inside the site folder {root}")
    if not path.is_file():
        raise plugin_error(name, f"no such file {path}")
    module_name = "newsgen_site_plugin_" + hashlib.sha256(str(path).encode("utf-8", "surrogateescape")).hexdigest()[:12]
    spec = importlib.util.spec_from_file_location(module_name, path)
    assert spec is not None and spec.loader is not None  # a .py file always has a loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses and pickle look a module up by name
    # Run from its source, not through Python's bytecode cache, which trusts a file's size and whole-second time:
    # a plugin edited to the same size within a second of the last build would run as it was (and no __pycache__
    # is left in the site folder).
    exec(compile(path.read_bytes(), str(path), "exec", dont_inherit=True), module.__dict__)
    return module


def _code_digest(plugin: Any) -> str:
    """A hash of the plugin's source: its module's file, or every .py file of its package."""
    module = plugin if isinstance(plugin, types.ModuleType) else sys.modules.get(getattr(plugin, "__module__", ""))
    file = getattr(module, "__file__", None)
    if not file:
        return ""
    path = Path(file)
    files = sorted(path.parent.rglob("*.py")) if path.name == "__init__.py" else [path]
    digest = hashlib.sha256()
    for each in files:
        digest.update(each.read_bytes())
    return digest.hexdigest()


def _named(plugin: str, what: str, value: Any) -> Any:
    """``value``, and if a function, one whose failure names the plugin (Jinja's markers, such as
    ``pass_context``, are kept)."""
    if not isinstance(value, types.FunctionType):
        return value

    @functools.wraps(value)
    def named(*args: Any, **kwargs: Any) -> Any:
        try:
            return value(*args, **kwargs)
        except Exception as exc:
            raise plugin_error(plugin, f"its {what} failed", exc) from exc

    return named


def _identifier(name: str, what: str) -> str:
    """A name templates can write: a Python identifier."""
    if not name.isidentifier():
        raise ValueError(f"a template {what}'s name is a Python identifier, not {name!r}")
    return name
