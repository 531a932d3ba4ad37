"""SiteConfig from site.yaml: validated once, frozen, every mistake named with its key."""

from __future__ import annotations

import collections.abc
import dataclasses
import difflib
import functools
import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import Any

import yaml

from newsgen.errors import ConfigError
from newsgen.plugins import NO_PLUGINS, Plugins, load_plugins, plugin_names
from newsgen.safeyaml import DuplicateKeyError, joined_pairs, safe_load
from newsgen.text.zones import resolve_timezone


def setting(default: Any, doc: str) -> Any:
    """A settings field with its one-line documentation (shown by ``newsgen init`` and checked against README)."""
    if isinstance(default, dict):
        return field(default_factory=dict, metadata={"doc": doc})
    return field(default=default, metadata={"doc": doc})


@dataclass(frozen=True, slots=True)
class CleaningSettings:
    """Every threshold of the corpus-level cleaning in one place; README "Cleaning settings" explains each.

    Set for the whole site under ``cleaning:`` in site.yaml, and per source under ``sources.<name>.cleaning:``.
    """

    repeated_min_articles: int = setting(2, "a line in this many distinct articles of a source may be boilerplate")
    repeated_always_articles: int = setting(5, "in this many, and in repeated_always_share of them: always")
    repeated_always_share: float = setting(0.2, "share of a source's articles for repeated_always_articles")
    near_duplicate: float = setting(0.7, "word-shingle Jaccard similarity at which two articles are one")
    shingle_words: int = setting(5, "words per shingle when comparing articles")
    non_article_min_words: int = setting(40, "fewer words of prose than this, and the page is not an article")
    line_model: float = setting(0.4, "remove a line the line model gives less chance than this of being text; 0: off")


@dataclass(frozen=True, slots=True)
class SourceConfig:
    """Settings for one publication (a first-level folder of content/)."""

    name: str = setting("", "display name; defaults to the folder name, a domain read as a name (cnn-com: Cnn)")
    url: str = setting("", "the publication's home page")
    timezone: str = setting("", "zone for its datelines that name none; defaults to the site's")
    dayfirst: bool | None = setting(None, "how to read 01/02/2018 in its datelines; defaults to the site's")
    cleaning: CleaningSettings | None = setting(None, "its own cleaning thresholds, over the site's")


@dataclass(frozen=True, slots=True)
class MenuEntry:
    """One link of the header's menu: to a standalone page of the site, or to any address."""

    title: str = setting("", "the link's text; for a page, its own title unless given")
    url: str = setting("", "a path of this site (/archive/) or an address of another (https://...)")
    page: str = setting("", "a standalone page, by its slug (about) or its file (pages/about.md)")


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """The whole site's settings; see README "Configuration" for each key."""

    title: str = setting("News archive", "site name, shown in the header and in <title>")
    description: str = setting("", "one line under the title, and the meta description")
    base_url: str = setting("", "e.g. https://archive.example.org/ ; canonical URLs use it when set")
    language: str = setting("en", "the lang of pages, the theme's words and dates (en fr de es ru), search's stemmer")
    timezone: str = setting("UTC", "IANA zone (Europe/Moscow), UTC, or an offset (+03:00) for datelines without one")
    dayfirst: bool | None = setting(None, "true: 01/02/2018 is 1 February; false: 2 January; null: day-first, warned")
    default_source: str = setting("archive", "source of files that sit directly in content/")
    per_page: int = setting(20, "articles per index page")
    pretty_urls: bool = setting(False, "true drops index.html from links (served over HTTP); false works from disk")
    lead_words: int = setting(60, "words of the lead shown on lists")
    duplicates: str = setting("drop", "drop: one page per duplicated article (the rest are reported); keep: all")
    feed_entries: int = setting(20, "newest articles in each feed")
    feed_content: str = setting("full", "full: the whole body in feeds; summary: the lead only")
    related_articles: int = setting(5, "related articles listed under each article; 0 for none")
    search: bool = setting(True, "build the search index, the /search/ page and the search box")
    max_article_bytes: int = setting(10_000_000, "an article file larger than this is rejected, unread")
    menu: tuple[MenuEntry, ...] = setting((), "links in the header of every page: each {page: about} or {title:, url:}")
    cleaning: CleaningSettings = setting(CleaningSettings(), "thresholds of the corpus-level cleaning")
    plugins: Plugins = setting(NO_PLUGINS, "entry points, modules or .py files of the site folder: see Plugins")
    sources: Mapping[str, SourceConfig] = setting({}, "settings per source (folder name under content/)")

    def zone_for(self, source: str) -> tzinfo:
        """The zone that datelines of ``source`` are read in when they name none."""
        own = self.sources.get(source)
        return resolve_timezone(own.timezone if own and own.timezone else self.timezone)

    def dayfirst_for(self, source: str) -> bool | None:
        own = self.sources.get(source)
        return own.dayfirst if own and own.dayfirst is not None else self.dayfirst

    def source_name(self, source: str, written: str = "") -> str:
        """Its configured ``name``, else one read from how the source was written (``written``, else its key)."""
        own = self.sources.get(source)
        return own.name if own and own.name else readable_source_name(written or source)

    def cleaning_for(self, source: str) -> CleaningSettings:
        """The cleaning thresholds for ``source``: its own, else the site's."""
        own = self.sources.get(source)
        return own.cleaning if own and own.cleaning else self.cleaning

    def source_url(self, source: str) -> str:
        own = self.sources.get(source)
        return own.url if own else ""


_GENERIC_DOMAINS = frozenset(("com", "org", "net", "info", "biz", "gov", "edu"))
_SECOND_LEVEL = frozenset(("co", "com", "org", "net", "ac", "gov", "edu"))  # co.uk, com.au: not the name


@functools.lru_cache(maxsize=1024)
def readable_source_name(written: str) -> str:
    """A name for a source nobody named: a domain, as an importer writes it (``www.beforeitsnews.com``) or as a
    folder (``beforeitsnews-com``), reads as ``Beforeitsnews``; anything else is kept as written.

    Only a domain: a folder such as ``rt`` or ``harbour-gazette`` is some editor's own choice.
    """
    name = written.strip()
    if re.fullmatch(r"(?:[\w-]+\.)+[a-z]{2,}", name):
        labels = name.split(".")
    elif re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)+", name) and name.rsplit("-", 1)[1] in _GENERIC_DOMAINS:
        labels = name.rsplit("-", 1)  # a folder: its hyphens before the domain's ending may be the name's own
    else:
        return name
    labels = labels[:-1]
    if len(labels) > 1 and len(labels[-1]) <= 3 and labels[-1].lower() in _SECOND_LEVEL:
        labels = labels[:-1]
    words = labels[-1].replace("_", "-").split("-")
    if not all(words) or labels[-1].lower() == "www":
        return name
    return " ".join(w[:1].upper() + w[1:] for w in words)


def load_config(path: Path | None) -> SiteConfig:
    """Read ``path`` (or return the defaults when it is None) into a SiteConfig."""
    if path is None:
        return SiteConfig()
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError("no such file; create it or pass --config", shown) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", shown) from None
    try:
        data = safe_load(text)
    except DuplicateKeyError as exc:
        raise ConfigError(exc.message(), shown, exc.line) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        line = mark.line + 1 if mark is not None else None
        raise ConfigError(f"invalid YAML: {problem}", shown, line) from None
    return config_from_mapping({} if data is None else _paired(data, shown), shown, path.parent)


def _paired(value: Any, where: str, key: str = "") -> Any:
    """``value`` with UTF-16 pairs that YAML's \\u escapes left in halves joined; a half alone is an error."""
    if isinstance(value, str):
        try:
            return joined_pairs(value)
        except UnicodeDecodeError:
            raise ConfigError(
                f"'{key or '(the file)'}' holds half of a UTF-16 pair (a \\u escape such as \\ud800 alone), "
                "which no page can be written with; write the character itself, or both halves of the pair",
                where,
            ) from None
    if isinstance(value, dict):
        return {name: _paired(item, where, f"{key}.{name}" if key else str(name)) for name, item in value.items()}
    if isinstance(value, list):
        return [_paired(item, where, f"{key}.{n}" if key else str(n)) for n, item in enumerate(value)]
    return value


def config_from_mapping(data: object, where: str = "site.yaml", site_dir: Path | None = None) -> SiteConfig:
    """Validate a parsed mapping into a SiteConfig; its plugins (``.py`` files from ``site_dir``) are loaded last."""
    listed = None
    if isinstance(data, Mapping):  # loaded once the other settings are known to be right
        listed, data = data.get("plugins"), {k: v for k, v in data.items() if k != "plugins"}
    names = [] if listed is None else plugin_names(listed, where)
    values = _fields(SiteConfig, data, where, prefix="")
    sources = values.pop("sources", {})
    if not isinstance(sources, Mapping):
        raise ConfigError(_type_message("sources", sources, "a mapping of source name to settings"), where)
    cleaning = _cleaning(CleaningSettings(), values.pop("cleaning", {}), where, "cleaning.")
    values["cleaning"] = cleaning
    values["menu"] = tuple(_menu_entry(entry, where, f"menu.{n}.") for n, entry in enumerate(values.get("menu", ())))
    values["sources"] = {}
    for key, val in sorted(sources.items(), key=lambda kv: str(kv[0])):
        own = _fields(SourceConfig, val or {}, where, prefix=f"sources.{key}.")
        if "cleaning" in own:
            own["cleaning"] = _cleaning(cleaning, own["cleaning"], where, f"sources.{key}.cleaning.")
        values["sources"][str(key)] = SourceConfig(**own)
    if values.get("duplicates", "drop") not in ("drop", "keep"):
        raise ConfigError(f"duplicates must be 'drop' or 'keep', not {values['duplicates']!r}", where)
    config = SiteConfig(**values)
    if config.per_page < 1:
        raise ConfigError(f"per_page must be at least 1, not {config.per_page}", where)
    if config.lead_words < 1:
        raise ConfigError(f"lead_words must be at least 1, not {config.lead_words}", where)
    if config.max_article_bytes < 1:
        raise ConfigError(f"max_article_bytes must be at least 1, not {config.max_article_bytes}", where)
    if config.feed_entries < 1:
        raise ConfigError(f"feed_entries must be at least 1, not {config.feed_entries}", where)
    if config.feed_content not in ("full", "summary"):
        raise ConfigError(f"feed_content must be 'full' or 'summary', not {config.feed_content!r}", where)
    if not 0 <= config.related_articles <= 20:
        raise ConfigError(f"related_articles must be between 0 and 20, not {config.related_articles}", where)
    links = [("base_url", config.base_url)] + [(f"sources.{k}.url", v.url) for k, v in config.sources.items()]
    for key, link in links:
        _check_link(key, link, where)
    for source in (None, *config.sources):
        try:
            config.zone_for(source or "")
        except ValueError as exc:
            key = "timezone" if source is None else f"sources.{source}.timezone"
            raise ConfigError(f"{key}: {exc}", where) from None
    return dataclasses.replace(config, plugins=load_plugins(names, site_dir or Path.cwd())) if names else config


def with_base_url(config: SiteConfig, base_url: str) -> SiteConfig:
    """``config`` published at another address: a preview or staging deploy (``newsgen build --base-url``)."""
    _check_link("--base-url", base_url, "the command line")
    return dataclasses.replace(config, base_url=base_url)


def _check_link(key: str, link: str, where: str, other: str = "") -> None:
    if link and not re.match(r"https?://[^\s/]+", link, re.IGNORECASE):
        raise ConfigError(f"{key} must start with {other}http:// or https://, not {link[:60]!r}", where)


def _menu_entry(data: object, where: str, prefix: str) -> MenuEntry:
    """A menu entry: a page, or a title and a url (this site's path, from its root, or another site's address)."""
    entry = MenuEntry(**_fields(MenuEntry, data, where, prefix))
    if bool(entry.page) == bool(entry.url):
        raise ConfigError(f"{prefix.rstrip('.')} must have either 'page' or 'url'", where)
    if entry.url and not entry.title:
        raise ConfigError(f"{prefix}title must be given with a url", where)
    if entry.url and not entry.url.startswith("/"):
        _check_link(f"{prefix}url", entry.url, where, "/ (a path of this site), ")
    return entry


def _cleaning(base: CleaningSettings, data: object, where: str, prefix: str) -> CleaningSettings:
    """``base`` with the keys of ``data`` over it, each checked: counts at least 1, shares from 0 to 1."""
    settings = dataclasses.replace(base, **_fields(CleaningSettings, data or {}, where, prefix))
    for name, value in sorted(dataclasses.asdict(settings).items()):
        share = name.endswith(("_share", "near_duplicate", "line_model"))
        if (share and not 0 <= value <= 1) or (not share and value < 1):
            limit = "between 0 and 1" if share else "at least 1"
            raise ConfigError(f"{prefix}{name} must be {limit}, not {value}", where)
    return settings


def _fields(cls: type, data: object, where: str, prefix: str) -> dict[str, Any]:
    """Check keys and value types of ``data`` against the dataclass ``cls``."""
    if not isinstance(data, Mapping):
        what = prefix.rstrip(".") or "the file"
        raise ConfigError(_type_message(what, data, "a mapping of keys to values"), where)
    hints = typing.get_type_hints(cls)
    known = [f.name for f in dataclasses.fields(cls)]
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = str(key)
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"; did you mean '{prefix}{close[0]}'?" if close else f"; valid keys: {', '.join(known)}"
            raise ConfigError(f"unknown key '{prefix}{name}'{hint}", where)
        out[name] = _check_type(prefix + name, value, hints[name], where)
    return out


def _check_type(key: str, value: object, hint: object, where: str) -> object:
    allowed = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    if value is None and type(None) in allowed:
        return None
    for kind in allowed:
        if kind is bool and isinstance(value, bool):
            return value
        if kind is int and isinstance(value, int) and not isinstance(value, bool):
            return value
        if kind is float and isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if kind is str and isinstance(value, str | int | float) and not isinstance(value, bool):
            return str(value)
        if typing.get_origin(kind) is tuple and isinstance(value, list):
            return value
        if (typing.get_origin(kind) is collections.abc.Mapping or dataclasses.is_dataclass(kind)) and isinstance(
            value, Mapping
        ):
            return value
    expected = " or ".join(
        "null"
        if k is type(None)
        else ("a list" if typing.get_origin(k) is tuple else "a mapping")
        if typing.get_origin(k) or dataclasses.is_dataclass(k)
        else k.__name__
        for k in allowed
    )
    raise ConfigError(_type_message(key, value, expected), where)


def _type_message(key: str, value: object, expected: str) -> str:
    # Only a short quote: a YAML alias bomb would take forever to print whole.
    shown = repr(value) if isinstance(value, str | int | float | bool) else ""
    shown = shown if len(shown) <= 60 else shown[:60] + "…"
    return f"{key} must be {expected}, not {type(value).__name__} {shown}".rstrip()
