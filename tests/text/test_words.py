"""The words and dates a reader sees, in the site's language: catalogues read as .po, dates by CLDR."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from newsgen.text.words import ENGLISH, Words, catalogue_language, dates_in, load_words

THEME_LOCALE = Path(__file__).resolve().parents[2] / "templates" / "locale"
THURSDAY = date(2016, 9, 8)


def words(language: str) -> Words:
    return load_words(language, [THEME_LOCALE])


@pytest.mark.parametrize(
    ("language", "day", "heading", "month"),
    [
        ("en", "8 September 2016", "Thursday 8 September 2016", "September 2016"),
        ("fr", "8 septembre 2016", "jeudi 8 septembre 2016", "septembre 2016"),
        ("de", "8. September 2016", "Donnerstag, 8. September 2016", "September 2016"),
        ("es", "8 de septiembre de 2016", "jueves, 8 de septiembre de 2016", "septiembre de 2016"),
        # A date takes the month in the genitive; a month named alone, in the nominative.
        ("ru", "8 сентября 2016", "четверг, 8 сентября 2016", "сентябрь 2016"),
    ],
)
def test_dates_follow_the_language(language: str, day: str, heading: str, month: str) -> None:
    w = dates_in(language)
    assert (w.day(THURSDAY), w.day_heading(THURSDAY), w.period_title("2016-09")) == (day, heading, month)
    assert w.period_title("2016-09-08") == day and w.period_title("2016") == "2016"


def test_a_datetime_is_dated_by_its_own_local_day() -> None:
    late = datetime(2016, 9, 8, 23, 30, tzinfo=timezone(timedelta(hours=3)))
    assert dates_in("fr").day(late) == "8 septembre 2016"  # not the 7th, as it is in UTC


def test_names_for_charts_and_calendars() -> None:
    assert "".join(ENGLISH.weekday_initials) == "MTWTFSS" and "".join(ENGLISH.month_initials) == "JFMAMJJASOND"
    assert ENGLISH.month_abbreviations[8] == "Sep" and dates_in("fr").month_abbreviations[5:7] == ("juin", "juil.")
    assert "".join(dates_in("fr").weekday_initials) == "LMMJVSD" and dates_in("ru").months[8] == "сентябрь"


@pytest.mark.parametrize(
    ("language", "forms"),
    [
        ("en", ["0 articles", "1 article", "2 articles", "5 articles", "21 articles"]),
        ("fr", ["0 article", "1 article", "2 articles", "5 articles", "21 articles"]),  # French: 0 is singular
        ("de", ["0 Artikel", "1 Artikel", "2 Artikel", "5 Artikel", "21 Artikel"]),
        ("ru", ["0 статей", "1 статья", "2 статьи", "5 статей", "21 статья"]),  # three forms
    ],
)
def test_counts_take_the_languages_plural_forms(language: str, forms: list[str]) -> None:
    assert [words(language).articles(n) for n in (0, 1, 2, 5, 21)] == forms


def test_russian_plurals_for_the_search_page_by_cldr_category() -> None:
    forms = words("ru").plural_templates("%(num)d result", "%(num)d results")
    assert forms == {
        "one": "%(num)d результат",
        "few": "%(num)d результата",
        "many": "%(num)d результатов",
        "other": "%(num)d результата",  # for fractions, which no count is: there all the same
    }
    assert ENGLISH.plural_templates("%(num)d result", "%(num)d results") == {
        "one": "%(num)d result",
        "other": "%(num)d results",
    }


def test_a_language_tag_reads_its_languages_catalogue() -> None:
    assert [catalogue_language(t) for t in ("fr", "fr-CA", "pt_BR", "DE", "it", "")] == ["fr", "fr", "", "de", "", ""]
    assert dates_in("it").language == "en"


def test_a_sites_catalogue_wins_over_the_themes_and_falls_back_to_it(tmp_path: Path) -> None:
    (tmp_path / "fr.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
        'msgid "Latest articles"\nmsgstr "À la une"\n',
        encoding="utf-8",
    )
    w = load_words("fr", [tmp_path, THEME_LOCALE])
    assert w.gettext("Latest articles") == "À la une" and w.gettext("Archive") == "Archives"
    assert load_words("fr", [tmp_path / "none", THEME_LOCALE]).gettext("Latest articles") == "Derniers articles"
