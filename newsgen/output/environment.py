"""The Jinja environment pages are rendered in: where templates are looked up, the filters they use, and the
language of their words."""

from __future__ import annotations

import functools
import types
from collections import ChainMap
from collections.abc import Callable, Mapping, MutableMapping
from pathlib import Path
from typing import Any, cast

import jinja2
import jinja2.runtime
from markupsafe import Markup

from newsgen.output.formats import (
    by_day,
    format_clock,
    format_date,
    format_published,
    published_iso,
    shortened_crumbs,
    truncate_words,
)
from newsgen.output.fragments import FragmentCache, Pure, plan, pure_functions
from newsgen.output.theme import LOCALE_DIR, default_theme_dir
from newsgen.plugins import NO_PLUGINS, Plugins
from newsgen.text.words import DATE_PATTERNS, ENGLISH, Words, catalogue_language, load_words

try:
    from markupsafe._speedups import _escape_inner  # markupsafe 3: the C half of ``escape``, without its Markup

    _STR_ESCAPE = True
except ImportError:  # markupsafe 2 (its ``escape`` is all C), or 3 without its C extension
    _STR_ESCAPE = False


def site_words(language: str, site_templates: Path | None) -> tuple[Words, str | None]:
    """The theme's words in ``language`` (the site's own ``templates/locale/<language>.po`` over the theme's),
    and a warning when the theme has no translation to it: then its words and dates are English."""
    found = catalogue_language(language)
    if not found:
        known = ", ".join(sorted(DATE_PATTERNS))
        return ENGLISH, f"language: the theme has no translation to {language!r} ({known}); its words are English"
    theme = default_theme_dir() / LOCALE_DIR
    own = [site_templates / LOCALE_DIR] if site_templates is not None else []
    return load_words(found, [*(f for f in own if f.resolve() != theme.resolve()), theme]), None


def _translators(words: Words) -> dict[str, Callable[..., Markup]]:
    """``_``, ``gettext`` and ``ngettext`` as Jinja's i18n extension makes them with ``newstyle`` (the values
    are escaped into the translation, ``%(num)d`` filled in), less its two context look-ups a call: a page calls
    them some 16 times (2,000 articles: 10,085 pages, 160,000 calls; Jinja's own cost a tenth of the build's CPU)."""
    plain: dict[str, Markup] = {}  # by id: the translation as it reads with no values (Jinja's: "%%" is "%")

    def gettext(message: str, /, **values: object) -> Markup:
        if values:
            return Markup(words.gettext(message)) % values
        found = plain.get(message)
        if found is None:
            found = plain[message] = Markup(words.gettext(message)) % {}
        return found

    def ngettext(singular: str, plural: str, num: int, /, **values: object) -> Markup:
        return Markup(words.translations.ngettext(singular, plural, num)) % {"num": num, **values}

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext}


def _escape(value: object, /) -> str:
    """markupsafe's ``escape`` (the same text, the same ``__html__`` rule) as a plain ``str``: Jinja escapes every
    value a template outputs, and a Markup made of each (~130 a page) only to be joined into the page was a fifth
    of a page's rendering. Jinja joins what it outputs, or wraps it in a Markup itself (``set`` blocks, macros)."""
    if type(value) is str:
        return _escape_inner(value)  # only installed with it (``_Template``)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return _escape_inner(str(value))


_DICT_ATTRIBUTES = frozenset(dir({}))  # what ``getattr`` finds on a dict before its items


class _Environment(jinja2.Environment):
    """Jinja's, with ``getattr`` of a dict's item without an AttributeError first: the context's feeds and menu
    are dicts, whose items (``feed.href``) the theme reads some twenty times a page."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:  # what Jinja's would find: the item, or none
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


class _Context(jinja2.runtime.Context):
    """Jinja's, with a call of a plain Python function (``url``, ``_``) made without Jinja's look-ups for the
    ``pass_context`` marks it cannot have: a page makes some fifty such calls."""

    def call(__self, __obj: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:  # Jinja's names
        if type(__obj) is not types.FunctionType or hasattr(__obj, "jinja_pass_arg"):
            return super().call(__obj, *args, **kwargs)
        if kwargs:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )


class _Template(jinja2.Template):
    """Templates whose output is escaped by ``_escape``, and whose text is kept for the inputs it was made from
    where that is safe (``fragments``): set where a compiled template is loaded (from source or the bytecode
    cache), so the compiled code is Jinja's own."""

    @classmethod
    def from_code(
        cls,
        environment: jinja2.Environment,
        code: types.CodeType,
        globals: MutableMapping[str, Any],
        uptodate: Callable[[], bool] | None = None,
    ) -> jinja2.Template:
        template = super().from_code(environment, code, globals, uptodate)
        if _STR_ESCAPE:
            module = cast(types.FunctionType, template.root_render_func).__globals__  # the compiled module's names
            module["escape"] = _escape  # what its output calls (compiled as ``from jinja2.runtime import escape``)
        pure: Pure | None = getattr(environment, "pure_functions", None)
        found = plan(environment, template.name, pure) if pure is not None and template.name else None
        if found is not None and pure is not None:
            template.root_render_func = FragmentCache(found, pure).wrap(template.root_render_func)
        return template

    def new_context(
        self,
        vars: dict[str, Any] | None = None,
        shared: bool = False,
        locals: Mapping[str, Any] | None = None,
    ) -> jinja2.runtime.Context:
        """Jinja's, given the environment's globals themselves where the template has none of its own: their
        ChainMap was read whole for each template and include rendered, a tenth of a page's rendering."""
        found = self.globals
        if isinstance(found, ChainMap) and len(found.maps) == 2 and not found.maps[0]:
            found = found.maps[1]
        return jinja2.runtime.new_context(self.environment, self.name, self.blocks, vars, shared, found, locals)


def make_environment(
    site_templates: Path | None,
    bytecode_cache: jinja2.BytecodeCache | None = None,
    words: Words = ENGLISH,
    plugins: Plugins = NO_PLUGINS,
) -> jinja2.Environment:
    """Site templates first, then the theme; ``{% extends "!theme/base.html" %}`` reaches the theme itself.

    ``bytecode_cache``: where templates compiled by an earlier build are kept (the caller chooses it), so
    that a rebuild does not compile them again. ``words``: the language of the templates' ``_()`` and
    ``{% trans %}``, and of their dates. Compiled templates call ``gettext`` as they render, so one compiled
    template serves every language. ``plugins``: their filters and globals are added last.
    """
    theme = jinja2.FileSystemLoader(str(default_theme_dir()))
    loaders: list[jinja2.BaseLoader] = []
    if site_templates is not None and site_templates.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(site_templates)))
    loaders += [jinja2.PrefixLoader({"!theme": theme}, delimiter="/"), theme]
    env = _Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # a build makes its own environment: no stat of the template per include
        cache_size=-1,  # a plain dict: every template stays loaded, looked up without an LRU's lock
        bytecode_cache=bytecode_cache,
        extensions=["jinja2.ext.i18n"],
    )
    env.template_class = _Template
    env.context_class = _Context
    env.newstyle_gettext = True  # type: ignore[attr-defined]  # {% trans %} compiles to gettext(id, **values)
    env.globals.update(_translators(words))
    env.globals["words"] = words
    env.filters["date"] = functools.partial(format_date, words=words)
    env.filters["isodate"] = lambda d: d.isoformat()
    env.filters["published"] = functools.partial(format_published, words=words)
    env.filters["isopublished"] = published_iso
    env.filters["words"] = truncate_words
    env.filters["by_day"] = functools.partial(by_day, words=words)
    env.filters["clock"] = format_clock
    env.filters["shortened"] = shortened_crumbs
    env.extend(pure_functions=pure_functions(env))  # what a cached fragment may use: not a plugin's
    env.filters.update(plugins.filters)
    env.globals.update(plugins.globals)
    return env
