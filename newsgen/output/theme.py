"""The theme's files: the built-in theme's folder, the assets a site gets, and a hash of every template.

No Jinja here: the check that a site is already built asks for the theme's folder before any stage is imported.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from newsgen.errors import ThemeError

PACKAGE = Path(__file__).resolve().parents[1]  # newsgen's own folder: the wheel keeps the theme inside it
ASSETS_DIR = "assets"  # theme sub-folder copied verbatim to the output
LOCALE_DIR = "locale"  # theme sub-folder of the words' translations, <language>.po


def default_theme_dir() -> Path:
    """The built-in theme: packaged inside the wheel, or the checkout's top-level templates/."""
    for candidate in (PACKAGE / "theme", PACKAGE.parent / "templates"):
        if (candidate / "base.html").is_file():
            return candidate
    raise ThemeError(f"the default theme is missing (looked in {PACKAGE / 'theme'} and {PACKAGE.parent / 'templates'})")


def asset_files(site_templates: Path | None) -> dict[str, Path]:
    """Theme assets by output path; a site's own ``templates/assets/`` file replaces the theme's."""
    found: dict[str, Path] = {}
    for root in (default_theme_dir(), site_templates):
        if root is None or not (root / ASSETS_DIR).is_dir():
            continue
        for file in sorted((root / ASSETS_DIR).rglob("*")):
            if file.is_file() and not file.name.startswith("."):
                found[file.relative_to(root).as_posix()] = file
    return dict(sorted(found.items()))


def theme_digest(site_templates: Path | None) -> str:
    """A hash of every template and asset a build can use: the theme's and the site's own."""
    digest = hashlib.blake2b(digest_size=16)
    for root in (default_theme_dir(), site_templates):
        if root is None or not root.is_dir():
            digest.update(b"none\0")
            continue
        for file in sorted(p for p in root.rglob("*") if p.is_file()):
            digest.update(file.relative_to(root).as_posix().encode("utf-8", "surrogateescape") + b"\0")
            digest.update(hashlib.blake2b(file.read_bytes(), digest_size=16).digest())
    return digest.hexdigest()
