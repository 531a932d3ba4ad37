"""The Jinja environment pages are rendered in: where templates are looked up, and the filters they use."""

from __future__ import annotations

from pathlib import Path

import jinja2

from newsgen.output.formats import by_day, format_clock, format_date, format_published, published_iso, truncate_words
from newsgen.output.theme import default_theme_dir
from newsgen.plugins import NO_PLUGINS, Plugins


def make_environment(
    site_templates: Path | None, bytecode_cache: jinja2.BytecodeCache | None = None, plugins: Plugins = NO_PLUGINS
) -> jinja2.Environment:
    """Site templates first, then the theme; ``{% extends "!theme/base.html" %}`` reaches the theme itself.

    ``bytecode_cache``: where templates compiled by an earlier build are kept (the caller chooses it), so
    that a rebuild does not compile them again. ``plugins``: their filters and globals are added last.
    """
    theme = jinja2.FileSystemLoader(str(default_theme_dir()))
    loaders: list[jinja2.BaseLoader] = []
    if site_templates is not None and site_templates.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(site_templates)))
    loaders += [jinja2.PrefixLoader({"!theme": theme}, delimiter="/"), theme]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # a build makes its own environment: no stat of the template per include
        cache_size=-1,  # a plain dict: every template stays loaded, looked up without an LRU's lock
        bytecode_cache=bytecode_cache,
    )
    env.filters["date"] = format_date
    env.filters["isodate"] = lambda d: d.isoformat()
    env.filters["published"] = format_published
    env.filters["isopublished"] = published_iso
    env.filters["words"] = truncate_words
    env.filters["by_day"] = by_day
    env.filters["clock"] = format_clock
    env.filters.update(plugins.filters)
    env.globals.update(plugins.globals)
    return env
