"""How pages show dates and text: the Jinja filters."""

from __future__ import annotations

from datetime import datetime

from test_pages import MSK, article, days

from newsgen.output.formats import by_day, format_clock, format_date, format_published, truncate_words


def test_articles_run_under_a_heading_a_day() -> None:
    runs = [(heading, key, [a.slug for a in group]) for heading, key, group in by_day(days())]
    assert runs == [
        ("Thursday 8 September 2016", "2016-09-08", ["late", "noon"]),
        ("Wednesday 7 September 2016", "2016-09-07", ["seventh"]),
        ("August 2016, day unknown", "2016-08", ["month"]),
        ("Undated", "", ["none"]),
    ]
    assert [format_clock(a) for a in days()] == ["23:30 UTC+03:00", "12:00 UTC", "09:00 UTC", "", ""]


def test_format_date_is_locale_free() -> None:
    assert format_date(datetime(2016, 9, 8, 14, 1, tzinfo=MSK)) == "8 September 2016, 14:01 UTC+03:00"
    assert format_date(datetime(2016, 9, 8, tzinfo=MSK)) == "8 September 2016"
    assert format_published(days()[3]) == "August 2016" and format_published(article()).startswith("8 September")


def test_truncate_words_cuts_with_an_ellipsis() -> None:
    assert truncate_words("one two  three", 2) == "one two…"
    assert truncate_words("one two  three", 3) == "one two  three"
