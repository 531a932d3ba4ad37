"""``newsgen init`` and ``newsgen new``: start a site, start an article; never overwrite a file."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from pathlib import Path

import yaml

from newsgen.config import SiteConfig, SourceConfig
from newsgen.errors import NewsgenError
from newsgen.plugins import Plugins
from newsgen.sources.newfiles import MAX_NAME_BYTES, SURROGATES, create_file, cut_utf8
from newsgen.text.dates import YEARS
from newsgen.text.slugs import slugify

EXAMPLE_TEXT = """\
Home | World | Business | Sport
Share on Facebook
Harbour reopens after winter storm repairs
By Alex Example | 12 March 2024 09:15

The harbour reopened to ferries on Tuesday after three weeks of repairs to the storm-damaged pier.

This is an example of a scraped article: the menu and share lines above, and the prompts below, are
boilerplate that newsgen removes. The title, byline and date come from the lines at the top.

Delete this file when you add your own articles.

Follow us on Twitter
Subscribe to our newsletter
"""

EXAMPLE_MARKDOWN = """\
---
title: Welcome to your archive
date: 2024-03-12 10:00
authors: [The editors]
tags: [meta]
summary: How this archive is put together.
---

Articles written by hand are Markdown with a short front matter block, like this one.

Scraped articles are plain text files: drop them into `content/<source>/` and run `newsgen build`.
"""

EXAMPLE_PAGE = """\
---
title: About this archive
---

A page, not an article: a file under `content/pages/` lives at `/about/` (its file's name), has no date, and no
list, feed or calendar shows it. The `menu:` in `site.yaml` links to it from the top of every page.
"""
MENU = "menu:\n  - page: about  # content/pages/about.md; or a link: {title: Home, url: /}"

# Most file systems allow 255 bytes a name; this leaves room for an editor's copy (name.txt~, .name.txt.swp).
GITIGNORE = "_site/\n.newsgen-cache/\n.*.building-*\n.*.old-*\n"
TEMPLATES_README = (
    "Put a template here with the same name as one of the default theme's (base.html, article.html, index.html, ...)\n"
    'to replace it; start it with {% extends "!theme/base.html" %} to build on the theme\'s own. See README.md.\n'
    "A locale/<language>.po here changes the theme's words in that language, one message at a time.\n"
)


def site_yaml(title: str) -> str:
    """A site.yaml with every key present, at its default, and a comment saying what it does."""
    lines = ["# newsgen site settings. Every key is optional; these are the defaults.", ""]
    defaults = SiteConfig(title=title)
    for f in dataclasses.fields(SiteConfig):
        value = getattr(defaults, f.name)
        if f.name == "sources":
            continue
        lines.append(f"# {f.metadata['doc']}")
        if f.name == "menu":
            lines.append(MENU)
        elif dataclasses.is_dataclass(value):
            lines.append(f"{f.name}:")
            for sub in dataclasses.fields(value):
                lines.append(f"  {sub.name}: {_yaml_value(getattr(value, sub.name))}  # {sub.metadata['doc']}")
        else:
            lines.append(f"{f.name}: {_yaml_value(value)}")
        lines.append("")
    lines += [
        f"# {dataclasses.fields(SiteConfig)[-1].metadata['doc']}; every key of a source is optional.",
        "sources:",
        "  example:",
    ]
    example = SourceConfig(name="Example Gazette", timezone="UTC")
    for f in dataclasses.fields(SourceConfig):
        value = getattr(example, f.name)
        shown = "{}" if f.name == "cleaning" else _yaml_value(value)
        lines.append(f"    {f.name}: {shown}  # {f.metadata['doc']}")
    return "\n".join(lines) + "\n"


def init_site(folder: Path) -> list[Path]:
    """Create a new site in ``folder`` (which must be empty or absent); returns the files made."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise NewsgenError(f"{folder} is not empty; choose a new folder name (init never overwrites files)")
    files = {
        "site.yaml": site_yaml(folder.resolve().name.replace("-", " ").replace("_", " ").title() or "News archive"),
        "content/example/harbour-reopens.txt": EXAMPLE_TEXT,
        "content/editors/welcome.md": EXAMPLE_MARKDOWN,
        "content/pages/about.md": EXAMPLE_PAGE,
        "templates/README.txt": TEMPLATES_README,
        ".gitignore": GITIGNORE,
    }
    made = []
    for name, text in files.items():
        made.append(_create(folder / name, text))
    return made


def new_article(content: Path, config: SiteConfig, title: str, source: str | None, when: datetime) -> Path:
    """Start a Markdown article at ``content/<source>/YYYY-MM-DD-<slug>.md``; refuses to overwrite."""
    if not title.strip():
        raise NewsgenError('the title is empty; give one, e.g. newsgen new "Storm closes the harbour"')
    for what, text in (("title", title), ("source", source or "")):
        if bad := SURROGATES.findall(text):  # bytes the command line could not read as UTF-8
            shown = "".join(f"\\x{ord(c) - 0xDC00:02x}" if ord(c) >= 0xDC80 else f"\\u{ord(c):04x}" for c in bad)
            raise NewsgenError(
                f"the {what} is not valid UTF-8 text ({shown}); type it again in a terminal set to UTF-8"
            )
    if when.year not in YEARS:  # the build would reject the file
        raise NewsgenError(f"the year {when.year} is outside 1000-9999; give a four-digit year")
    folder = slugify(source or config.default_source, fallback="archive")
    text = (
        f"---\ntitle: {json.dumps(title.strip(), ensure_ascii=False)}\n"
        f"date: {when.isoformat(sep=' ', timespec='seconds')}\n"
        f"source: {json.dumps(source or config.default_source, ensure_ascii=False)}\n"
        "tags: []\n---\n\nWrite the article here.\n"
    )
    name = f"{when:%Y-%m-%d}-{cut_utf8(slugify(title), MAX_NAME_BYTES - 14).rstrip('-')}.md"
    return _create(content / folder / name, text)


def _create(path: Path, text: str) -> Path:
    try:
        create_file(path, text.encode("utf-8"))
    except FileExistsError:
        raise NewsgenError(f"{path} already exists; newsgen never overwrites a file (choose another title)") from None
    return path


def _yaml_value(value: object) -> str:
    if isinstance(value, Plugins):
        value = list(value.names)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return yaml.safe_dump(value, default_style='"', width=1000).strip()
