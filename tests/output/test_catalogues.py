"""The theme's catalogues: each holds every message the templates and newsgen ask for, translated whole.

The ids are read from the templates with Jinja's own extractor and from newsgen's code with Babel's, as a
translator's tools would; a word added to a template without a translation fails here, not on a French site.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_python
from babel.messages.pofile import read_po
from jinja2.ext import babel_extract

from newsgen.text.words import DATE_PATTERNS

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "templates" / "locale"
# What newsgen calls to translate: Jinja's _(), gettext() and ngettext(); Words' gettext and ngettext, and
# plural_templates (a message's forms for the search page's script).
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "plural_templates": (1, 2)}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")

Message = str | tuple[str, str]


def _message(found: object) -> Message | None:
    """One extracted message: its id, or (singular, plural); None for a call with no literal id."""
    if isinstance(found, str):
        return found
    parts = tuple(p for p in found or () if p is not None)  # type: ignore[attr-defined]
    if not parts or not all(isinstance(p, str) for p in parts):
        return None
    return parts[0] if len(parts) == 1 else (parts[0], parts[1])


def used_messages() -> dict[Message, str]:
    """Every message id the theme's templates and newsgen's modules use, with the first place it is used."""
    used: dict[Message, str] = {}
    for file in sorted((ROOT / "templates").glob("*.html")):
        with file.open("rb") as f:
            for line, _, found, _ in babel_extract(f, KEYWORDS, [], {"extensions": "jinja2.ext.i18n"}):
                if (message := _message(found)) is not None:
                    used.setdefault(message, f"{file.name}:{line}")
    for file in sorted((ROOT / "newsgen").rglob("*.py")):
        with file.open("rb") as f:
            for line, _, found, _ in extract_python(f, KEYWORDS, [], {}):
                if (message := _message(found)) is not None:
                    used.setdefault(message, f"{file.relative_to(ROOT)}:{line}")
    return used


USED = used_messages()


def test_the_extraction_finds_template_words_and_code_words() -> None:
    assert USED["Skip to content"] == "base.html:20"
    assert ("%(num)d article", "%(num)d articles") in USED and "Home" in USED and "No results" in USED
    assert len(USED) > 60


def test_english_french_german_spanish_and_russian_are_shipped() -> None:
    assert sorted(p.stem for p in LOCALE.glob("*.po")) == sorted(DATE_PATTERNS) == ["de", "en", "es", "fr", "ru"]


@pytest.mark.parametrize("language", sorted(DATE_PATTERNS))
def test_every_catalogue_translates_every_message_and_no_other(language: str) -> None:
    with (LOCALE / f"{language}.po").open("rb") as f:
        catalogue = read_po(f)
    held: dict[Message, object] = {
        (m.id if isinstance(m.id, str) else (m.id[0], m.id[1])): m.string for m in catalogue if m.id
    }
    missing = [f"{message!r} ({where})" for message, where in USED.items() if message not in held]
    assert not missing, f"{language}.po lacks: " + "; ".join(missing)
    assert not set(held) - set(USED), f"{language}.po holds messages nothing uses: {set(held) - set(USED)}"
    plurals = re.search(r'"Plural-Forms: nplurals=(\d);', (LOCALE / f"{language}.po").read_text(encoding="utf-8"))
    assert plurals is not None, f"{language}.po has no Plural-Forms"
    forms = int(plurals[1])
    for message, string in held.items():
        translations = [string] if isinstance(string, str) else list(string)  # type: ignore[call-overload]
        if language == "en":  # the ids are English: the catalogue is a template, which a site's own may fill
            assert not any(translations), message
            continue
        assert all(translations), f"{language}.po: {message!r} is not translated"
        wanted = set(PLACEHOLDER.findall(message if isinstance(message, str) else message[1]))
        for translation in translations:
            assert set(PLACEHOLDER.findall(translation)) <= wanted, f"{language}.po: {translation!r}"
        if isinstance(message, tuple):
            assert len(translations) == forms, f"{language}.po: {message!r} needs {forms} forms"
        elif wanted:
            assert set(PLACEHOLDER.findall(translations[0])) == wanted, f"{language}.po: {translations[0]!r}"
