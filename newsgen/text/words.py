"""The words and dates a reader sees, in the site's language: gettext catalogues and CLDR's names (Babel).

Catalogues are .po text (reviewable, diffable, no build step), compiled when a build loads one: Babel reads
the .po and writes the .mo into memory for Python's own ``gettext``, which applies each language's plural
rule. Dates are formatted by Babel from CLDR with a pattern per language, so that English stays as it was
("Thursday 8 September 2016") and Russian says "8 сентября 2016" (the month in the genitive).
Machine-readable dates (ISO, RFC 822) are no business of this module.
"""

from __future__ import annotations

import functools
import gettext
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from babel import Locale

__all__ = ["DATE_PATTERNS", "ENGLISH", "Words", "catalogue_language", "dates_in", "load_words"]

# Per language: a day ("8 September 2016"), a day with its weekday, and a month of a year ("September 2016"),
# as CLDR patterns. A language has a translation of the theme only if it has a catalogue and a line here.
DATE_PATTERNS: Mapping[str, tuple[str, str, str]] = MappingProxyType(
    {
        "en": ("d MMMM y", "EEEE d MMMM y", "LLLL y"),
        "fr": ("d MMMM y", "EEEE d MMMM y", "LLLL y"),
        "de": ("d. MMMM y", "EEEE, d. MMMM y", "LLLL y"),
        "es": ("d 'de' MMMM 'de' y", "EEEE, d 'de' MMMM 'de' y", "LLLL 'de' y"),
        "ru": ("d MMMM y", "EEEE, d MMMM y", "LLLL y"),
    }
)


@dataclass(frozen=True, eq=False)
class Words:
    """One language's words (``gettext``/``ngettext``) and dates; built once per build, read by every page."""

    language: str  # the catalogue's: "fr" for a site whose language is fr-CA
    translations: gettext.NullTranslations = field(default_factory=gettext.NullTranslations, repr=False)

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str:
        """The form for ``n`` (Russian has three), with ``%(num)d`` and ``values`` filled in, as Jinja's does."""
        return self.translations.ngettext(singular, plural, n) % {"num": n, **values}

    def articles(self, n: int) -> str:
        """ "1 article", "3 articles"."""
        return self.ngettext("%(num)d article", "%(num)d articles", n)

    def day(self, value: date) -> str:
        """``8 September 2016``; of a datetime, its own (local) date."""
        return self._format(value.date() if isinstance(value, datetime) else value, 0)

    def day_heading(self, value: date) -> str:
        """``Thursday 8 September 2016``."""
        return self._format(value, 1)

    def month_title(self, year: int, month: int) -> str:
        """``September 2016`` (Russian: "сентябрь 2016", the month as a name, not the genitive of a date)."""
        return self._format(date(year, month, 1), 2)

    def period_title(self, key: str) -> str:
        """``2016`` → "2016", ``2016-09`` → "September 2016", ``2016-09-08`` → "8 September 2016"."""
        parts = [int(p) for p in key.split("-")]
        if len(parts) == 1:
            return key
        return self.month_title(parts[0], parts[1]) if len(parts) == 2 else self.day(date(*parts))

    @functools.cached_property
    def months(self) -> tuple[str, ...]:
        """The months' names as they stand alone ("September"), January first."""
        return _names("month", "wide", self.language)

    @functools.cached_property
    def month_abbreviations(self) -> tuple[str, ...]:
        return _names("month", "abbreviated", self.language)

    @functools.cached_property
    def month_initials(self) -> tuple[str, ...]:
        return _names("month", "narrow", self.language)

    @functools.cached_property
    def weekdays(self) -> tuple[str, ...]:
        """The weekdays' names as they stand alone, Monday first."""
        return _names("day", "wide", self.language)

    @functools.cached_property
    def weekday_initials(self) -> tuple[str, ...]:
        return _names("day", "narrow", self.language)

    @functools.cached_property
    def plural_samples(self) -> dict[str, int]:
        """A whole number of each CLDR plural category ("one", "few", ...) of the language: the search page's
        script picks a form by ``Intl.PluralRules``, which names categories, not gettext's form numbers."""
        from babel import Locale

        rule = Locale.parse(self.language).plural_form
        samples: dict[str, int] = {}
        for n in range(200):
            samples.setdefault(rule(n), n)
        return dict(sorted(samples.items()))

    def plural_templates(self, singular: str, plural: str) -> dict[str, str]:
        """The translated form, ``%(num)d`` unfilled, for each CLDR plural category of the language; "other"
        always (Russian's is for fractions, which no count is: the form of its largest sample stands in)."""
        samples = self.plural_samples
        forms = {category: self.translations.ngettext(singular, plural, n) for category, n in samples.items()}
        forms.setdefault("other", forms[max(samples, key=samples.__getitem__)])
        return forms

    @functools.cached_property
    def _locale(self) -> Locale:
        """Parsed once: Babel parses a locale's name again on every call given one (half of formatting a date)."""
        from babel import Locale

        return Locale.parse(self.language)

    def _format(self, day: date, pattern: int) -> str:
        found = _FORMATTED.get((self.language, day, pattern))
        if found is None:
            from babel.dates import format_date

            found = format_date(day, DATE_PATTERNS[self.language][pattern], locale=self._locale)
            _FORMATTED[self.language, day, pattern] = found
        return found


# Dates as a language writes them, for the process: many articles share a day, a calendar names each day of its
# year, and the next build (``newsgen serve``, the tests) names the same days again.
_FORMATTED: dict[tuple[str, date, int], str] = {}


@functools.cache
def _names(kind: str, width: Literal["abbreviated", "narrow", "wide"], language: str) -> tuple[str, ...]:
    from babel.dates import get_day_names, get_month_names

    if kind == "month":
        names = get_month_names(width, "stand-alone", language)
        return tuple(names[n] for n in range(1, 13))
    names = get_day_names(width, "stand-alone", language)
    return tuple(names[n] for n in range(7))  # CLDR's 0 is Monday, as datetime.weekday()'s


ENGLISH = Words("en")  # the msgids are English: no catalogue needed


def catalogue_language(language: str) -> str:
    """The catalogue a language tag reads (``fr-CA`` → ``fr``); "" for a language the theme is not translated to."""
    primary = language.replace("_", "-").split("-")[0].lower()
    return primary if primary in DATE_PATTERNS else ""


@functools.cache
def dates_in(language: str) -> Words:
    """Dates in ``language`` (English where the theme has no translation to it), without its catalogue: what
    the search index needs of it as each file is parsed."""
    return Words(catalogue_language(language) or "en")


def load_words(language: str, folders: Iterable[Path]) -> Words:
    """``language``'s words from ``<folder>/<language>.po`` in each folder, the first folder's words winning
    (a site's own catalogue over the theme's); a folder without one is skipped."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    translations: gettext.NullTranslations | None = None
    for folder in folders:
        po = folder / f"{language}.po"
        if not po.is_file():
            continue
        with po.open("rb") as file:
            catalogue = read_po(file)
        compiled = io.BytesIO()
        write_mo(compiled, catalogue)
        compiled.seek(0)
        found = gettext.GNUTranslations(compiled)
        if translations is None:
            translations = found
        else:
            translations.add_fallback(found)
    return Words(language, translations or gettext.NullTranslations())
