"""Tests for newsgen.text.dates: dateline recognition, filename dates, front-matter values, zones."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgen.text.dates import (
    Dateline,
    date_from_filename,
    date_from_url,
    parse_date_value,
    parse_dateline,
    resolve_timezone,
)

MOSCOW = ZoneInfo("Europe/Moscow")


# (line, expected published value as ISO 8601 with offset), parsed with tz=UTC.
POSITIVE = [
    # Site styles named in the spec
    ("8 Sep, 2016 14:01", "2016-09-08T14:01:00+00:00"),
    ("Tuesday, December 13, 2016", "2016-12-13T00:00:00+00:00"),
    ("10:11 GMT 16.09.2024 (Updated: 10:16 GMT 16.09.2024)", "2024-09-16T10:11:00+00:00"),
    ("Updated 2:36 PM ET, Thu January 25, 2018", "2018-01-25T14:36:00-05:00"),
    ("Updated 2:36 PM ET, Thu July 12, 2018", "2018-07-12T14:36:00-04:00"),
    ("January 25, 2018 at 4:17 pm", "2018-01-25T16:17:00+00:00"),
    ("Thu 25 Jan 2018 16.17 GMT", "2018-01-25T16:17:00+00:00"),
    ("Posted on 25.01.2018 by admin", "2018-01-25T00:00:00+00:00"),
    ("By Jane Doe | January 25, 2018", "2018-01-25T00:00:00+00:00"),
    ("Published: January 25, 2018", "2018-01-25T00:00:00+00:00"),
    ("Last modified 26.01.2018 10:00", "2018-01-26T10:00:00+00:00"),
    # ISO 8601 and RFC 2822
    ("2018-01-25", "2018-01-25T00:00:00+00:00"),
    ("2018-01-25T16:17:00Z", "2018-01-25T16:17:00+00:00"),
    ("2018-01-25T16:17:00+03:00", "2018-01-25T16:17:00+03:00"),
    ("2018-01-25 16:17", "2018-01-25T16:17:00+00:00"),
    ("2018-01-25T16:17:00.250-05:00", "2018-01-25T16:17:00-05:00"),
    ("Thu, 25 Jan 2018 16:17:00 +0000", "2018-01-25T16:17:00+00:00"),
    ("Thu, 25 Jan 2018 16:17:00 GMT", "2018-01-25T16:17:00+00:00"),
    # Numeric forms
    ("25/01/2018", "2018-01-25T00:00:00+00:00"),
    ("01/25/2018", "2018-01-25T00:00:00+00:00"),
    ("25.01.2018", "2018-01-25T00:00:00+00:00"),
    ("25.01.2018 16:17", "2018-01-25T16:17:00+00:00"),
    ("2018/01/25", "2018-01-25T00:00:00+00:00"),
    ("25-01-2018", "2018-01-25T00:00:00+00:00"),
    # English month spellings
    ("Jan. 25, 2018", "2018-01-25T00:00:00+00:00"),
    ("Sept. 8, 2016", "2016-09-08T00:00:00+00:00"),
    ("25 Jan 2018", "2018-01-25T00:00:00+00:00"),
    ("25 JANUARY 2018", "2018-01-25T00:00:00+00:00"),
    ("January 25th, 2018", "2018-01-25T00:00:00+00:00"),
    ("25 Jan 18", "2018-01-25T00:00:00+00:00"),
    # Other languages
    ("25 января 2018", "2018-01-25T00:00:00+00:00"),
    ("25 января 2018, 16:17", "2018-01-25T16:17:00+00:00"),
    ("5 мая 2018 г.", "2018-05-05T00:00:00+00:00"),
    ("1 сент. 2016", "2016-09-01T00:00:00+00:00"),
    ("Опубликовано: 25 мая 2018 г., 16:17 МСК", "2018-05-25T16:17:00+03:00"),
    ("le 25 janvier 2018 à 16h17", "2018-01-25T16:17:00+00:00"),
    ("jeudi 25 janvier 2018", "2018-01-25T00:00:00+00:00"),
    ("25 févr. 2018", "2018-02-25T00:00:00+00:00"),
    ("25 fevrier 2018", "2018-02-25T00:00:00+00:00"),
    ("1er mai 2018", "2018-05-01T00:00:00+00:00"),
    ("Publié le 14 août 2018", "2018-08-14T00:00:00+00:00"),
    ("25. Januar 2018", "2018-01-25T00:00:00+00:00"),
    ("Donnerstag, 25. Januar 2018", "2018-01-25T00:00:00+00:00"),
    ("3. März 2018, 16:17 Uhr", "2018-03-03T16:17:00+00:00"),
    ("3. Maerz 2018", "2018-03-03T00:00:00+00:00"),
    ("25 de enero de 2018", "2018-01-25T00:00:00+00:00"),
    ("miércoles, 31 de octubre de 2018", "2018-10-31T00:00:00+00:00"),
    ("12 dic 2018", "2018-12-12T00:00:00+00:00"),
    ("Pubblicato il 25 gennaio 2018 alle 16:17", "2018-01-25T16:17:00+00:00"),
    ("25 de março de 2018", "2018-03-25T00:00:00+00:00"),
    ("25 januari 2018", "2018-01-25T00:00:00+00:00"),
    # Clocks
    ("January 25, 2018, 4:17 a.m.", "2018-01-25T04:17:00+00:00"),
    ("January 25, 2018 12:05 am", "2018-01-25T00:05:00+00:00"),
    ("January 25, 2018 12:05 p.m.", "2018-01-25T12:05:00+00:00"),
    ("January 25, 2018 4 PM", "2018-01-25T16:00:00+00:00"),
    ("25 Jan 2018 16:17:45", "2018-01-25T16:17:45+00:00"),
    # Zones
    ("25 Jan 2018 16:17 UTC", "2018-01-25T16:17:00+00:00"),
    ("25 Jan 2018 16:17 (EST)", "2018-01-25T16:17:00-05:00"),
    ("25 Jul 2018 16:17 BST", "2018-07-25T16:17:00+01:00"),
    ("25 Jan 2018 16:17 EST", "2018-01-25T16:17:00-05:00"),
    ("25 Jan 2018 16:17 EDT", "2018-01-25T16:17:00-04:00"),
    ("25 Jan 2018 16:17 CT", "2018-01-25T16:17:00-06:00"),
    ("25 Jul 2018 16:17 CDT", "2018-07-25T16:17:00-05:00"),
    ("25 Jan 2018 16:17 MT", "2018-01-25T16:17:00-07:00"),
    ("25 Jul 2018 16:17 PT", "2018-07-25T16:17:00-07:00"),
    ("25 Jan 2018 16:17 PST", "2018-01-25T16:17:00-08:00"),
    ("25 Jan 2018 16:17 CET", "2018-01-25T16:17:00+01:00"),
    ("25 Jul 2018 16:17 CEST", "2018-07-25T16:17:00+02:00"),
    ("25 Jan 2018 16:17 EET", "2018-01-25T16:17:00+02:00"),
    ("25 Jan 2018 16:17 MSK", "2018-01-25T16:17:00+03:00"),
    ("25 Jan 2018 16:17 IST", "2018-01-25T16:17:00+05:30"),
    ("25 Jan 2018 16:17 JST", "2018-01-25T16:17:00+09:00"),
    ("25 Jan 2018 16:17 AEDT", "2018-01-25T16:17:00+11:00"),
    ("25 Jan 2018 16:17 +0300", "2018-01-25T16:17:00+03:00"),
    ("25 Jan 2018 16:17 UTC+3", "2018-01-25T16:17:00+03:00"),
    ("25 Jan 2018 16:17 GMT+03:00", "2018-01-25T16:17:00+03:00"),
    ("25 Jan 2018 16:17 GMT-05:30", "2018-01-25T16:17:00-05:30"),
]

NEGATIVE = [
    "The meeting on January 25, 2018 was postponed because of the storm.",
    "January 2018",
    "18 January",
    "25 Jan 16:17",
    "2018",
    "42",
    "0:00",
    "27:19",
    "4:17 pm",
    "Podcasts",
    "The 2016 election",
    "31/02/2018",
    "2018-13-45",
    "13/13/2018",
    "25 Jan 2018 25:61",
    "25 Jan 2018 13:05 pm",
    "",
    "   ",
    "Posted on 25.01.2018 by admin " + "and many more words " * 10,
    "Page 2 of 10",
    "Tickets go on sale 12.10.2018, call the box office",
    "25.01.2018 - 26.01.2018",
    "16:17 17:18 25.01.2018",
    "Read more: 25 comments since January 25, 2018",
]


@pytest.mark.parametrize(("line", "expected"), POSITIVE)
def test_dateline_formats(line: str, expected: str) -> None:
    found = parse_dateline(line, tz=UTC)
    assert found is not None, line
    assert found.value.isoformat() == expected


@pytest.mark.parametrize("line", NEGATIVE)
def test_not_a_dateline(line: str) -> None:
    assert parse_dateline(line, tz=UTC) is None


def test_five_megabyte_line_is_rejected_quickly() -> None:
    line = "25.01.2018 " * 500_000
    started = time.process_time()  # CPU time, not wall time: a busy machine does not change the verdict
    assert parse_dateline(line, tz=UTC) is None
    assert time.process_time() - started < 0.5


def test_text_is_the_date_part_of_the_line() -> None:
    assert parse_dateline("Posted on 25.01.2018 by admin", tz=UTC) == Dateline(
        value=datetime(2018, 1, 25, tzinfo=UTC), text="25.01.2018", updated=None, note=None
    )
    found = parse_dateline("By Jane Doe | January 25, 2018", tz=UTC)
    assert found is not None and found.text == "January 25, 2018"


def test_published_and_updated_times() -> None:
    found = parse_dateline("10:11 GMT 16.09.2024 (Updated: 10:16 GMT 16.09.2024)", tz=MOSCOW)
    assert found is not None
    assert found.value == datetime(2024, 9, 16, 10, 11, tzinfo=UTC)
    assert found.updated == datetime(2024, 9, 16, 10, 16, tzinfo=UTC)
    assert found.text == "10:11 GMT 16.09.2024"
    both = parse_dateline("Published 25.01.2018 16:17, updated 26.01.2018 09:00", tz=UTC)
    assert both is not None
    assert both.value.isoformat() == "2018-01-25T16:17:00+00:00"
    assert both.updated is not None and both.updated.isoformat() == "2018-01-26T09:00:00+00:00"


def test_update_time_alone_is_also_the_published_time() -> None:
    found = parse_dateline("Updated 2:36 PM ET, Thu January 25, 2018", tz=UTC)
    assert found is not None
    assert found.value.isoformat() == "2018-01-25T14:36:00-05:00"
    assert found.updated == found.value


def test_plain_dateline_has_no_update_or_note() -> None:
    found = parse_dateline("January 25, 2018 at 4:17 pm", tz=UTC)
    assert found is not None and found.updated is None and found.note is None


@pytest.mark.parametrize(
    ("dayfirst", "expected"),
    [(True, date(2018, 2, 1)), (False, date(2018, 1, 2)), (None, date(2018, 2, 1))],
)
def test_ambiguous_numeric_date(dayfirst: bool | None, expected: date) -> None:
    found = parse_dateline("01/02/2018", tz=UTC, dayfirst=dayfirst)
    assert found is not None
    assert found.value.date() == expected
    if dayfirst is None:
        assert found.note is not None
        for word in ("ambiguous", "01/02/2018", "day-first", "2018-02-01", "dayfirst", "site.yaml"):
            assert word in found.note
    else:
        assert found.note is None


def test_ambiguous_dashed_date_warns_but_dotted_does_not() -> None:
    dashed = parse_dateline("05-06-2018", tz=UTC)
    assert dashed is not None and dashed.value.date() == date(2018, 6, 5) and dashed.note
    dotted = parse_dateline("01.02.2018", tz=UTC)
    assert dotted is not None and dotted.value.date() == date(2018, 2, 1) and dotted.note is None
    us_dotted = parse_dateline("01.02.2018", tz=UTC, dayfirst=False)
    assert us_dotted is not None and us_dotted.value.date() == date(2018, 1, 2)


@pytest.mark.parametrize("dayfirst", [True, False, None])
def test_unambiguous_numeric_dates_ignore_dayfirst(dayfirst: bool | None) -> None:
    for line in ("25/01/2018", "01/25/2018"):
        found = parse_dateline(line, tz=UTC, dayfirst=dayfirst)
        assert found is not None and found.value.date() == date(2018, 1, 25) and found.note is None


def test_configured_zone_is_attached() -> None:
    found = parse_dateline("25.01.2018 16:17", tz=MOSCOW)
    assert found is not None
    assert found.value.tzinfo is MOSCOW
    assert found.value.isoformat() == "2018-01-25T16:17:00+03:00"
    midnight = parse_dateline("2018-01-25", tz=MOSCOW)
    assert midnight is not None and midnight.value.isoformat() == "2018-01-25T00:00:00+03:00"
    utc = parse_dateline("25.01.2018 16:17", tz=UTC)
    assert utc is not None and utc.value.tzinfo is UTC


def test_zone_in_the_line_wins_over_configured_zone() -> None:
    found = parse_dateline("Thu 25 Jan 2018 16.17 GMT", tz=MOSCOW)
    assert found is not None and found.value.isoformat() == "2018-01-25T16:17:00+00:00"


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=200),
        st.text(alphabet="0123456789 :./-+,()|apmAPMTZhJanuaryéмаяBy", max_size=60),
    )
)
def test_parse_dateline_never_raises(text: str) -> None:
    found = parse_dateline(text, tz=UTC)
    assert found is None or found.value.utcoffset() is not None


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("2016-09-08-some-slug", (datetime(2016, 9, 8, tzinfo=UTC), "some-slug")),
        ("2016-09-08_some_slug", (datetime(2016, 9, 8, tzinfo=UTC), "some_slug")),
        ("20160908-some-slug", (datetime(2016, 9, 8, tzinfo=UTC), "some-slug")),
        ("2016-09-08", (datetime(2016, 9, 8, tzinfo=UTC), "")),
        ("some-slug", None),
        ("2016-02-30-slug", None),
        ("2016-13-08-slug", None),
        ("2016-0908-slug", None),
        ("16-09-08-slug", None),
        ("2016-09-08slug", None),
    ],
)
def test_date_from_filename(stem: str, expected: tuple[datetime, str] | None) -> None:
    assert date_from_filename(stem, tz=UTC) == expected


def test_date_from_filename_uses_zone() -> None:
    found = date_from_filename("2016-09-08-x", tz=MOSCOW)
    assert found is not None and found[0].isoformat() == "2016-09-08T00:00:00+03:00"


def test_parse_date_value() -> None:
    plus5 = timezone(timedelta(hours=5))
    assert parse_date_value(datetime(2018, 1, 25, 16, 17), tz=MOSCOW) == datetime(2018, 1, 25, 16, 17, tzinfo=MOSCOW)
    aware = datetime(2018, 1, 25, 16, 17, tzinfo=plus5)
    assert parse_date_value(aware, tz=MOSCOW) is aware
    midnight = parse_date_value(date(2018, 1, 25), tz=MOSCOW)
    assert midnight is not None and midnight.isoformat() == "2018-01-25T00:00:00+03:00"
    text = parse_date_value("2018-01-25 16:17", tz=UTC)
    assert text is not None and text.isoformat() == "2018-01-25T16:17:00+00:00"
    us = parse_date_value("01/02/2018", tz=UTC, dayfirst=False)
    assert us is not None and us.date() == date(2018, 1, 2)


@pytest.mark.parametrize("value", ["not a date", "", 42, None, True, ["2018-01-25"], "31/02/2018"])
def test_parse_date_value_rejects(value: object) -> None:
    assert parse_date_value(value, tz=UTC) is None


@pytest.mark.parametrize(
    ("name", "offset"),
    [
        ("UTC", timedelta(0)),
        ("utc", timedelta(0)),
        ("+03:00", timedelta(hours=3)),
        ("+0300", timedelta(hours=3)),
        ("-05:30", timedelta(hours=-5, minutes=-30)),
    ],
)
def test_resolve_fixed_timezones(name: str, offset: timedelta) -> None:
    assert resolve_timezone(name).utcoffset(None) == offset


def test_resolve_iana_timezone() -> None:
    zone = resolve_timezone("Europe/Moscow")
    assert zone == MOSCOW
    assert datetime(2018, 1, 25, tzinfo=zone).utcoffset() == timedelta(hours=3)


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "", "Europe", "+25:00", "../etc/passwd"])
def test_resolve_timezone_errors(name: str) -> None:
    with pytest.raises(ValueError, match="IANA name such as 'Europe/Moscow'"):
        resolve_timezone(name)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://x.com/2015/08/26/slug/", (date(2015, 8, 26), False)),
        ("https://www.newsmax.com/newsfront/a-b/2018/01/05/id/835393/", (date(2018, 1, 5), False)),
        ("https://a.org/news/2016-09-08-story", (date(2016, 9, 8), False)),
        ("http://a.com/n/20150826/x", (date(2015, 8, 26), False)),
        ("http://a.com/story-20150826-b.html", (date(2015, 8, 26), False)),
        ("http://beforeitsnews.com/politics/2017/11/x-2459123.html", (date(2017, 11, 1), True)),
        ("http://a.com/alternative/2018/01/12-year-old-girl-dies.html", (date(2018, 1, 1), True)),
        ("http://a.com/p?id=20150826", None),  # a query holds anyone's numbers
        ("http://a.com/article/123420150826999", None),  # eight digits inside a longer number
        ("http://a.com/2015/13/40/x", None),  # no such month
        ("http://a.com/about-us/", None),
    ],
)
def test_date_from_url_reads_the_path_and_never_makes_a_month_a_day(
    url: str, expected: tuple[date, bool] | None
) -> None:
    found = date_from_url(url, tz=UTC)
    assert (None if found is None else (found[0].date(), found[1])) == expected
    assert found is None or found[0].tzinfo is UTC


@pytest.mark.parametrize(
    ("line", "expected", "zone"),
    [
        # an upper-case date, a slash-separated time and a relative "updated … ago" note
        ("NOVEMBER 5, 2017 / 10:32 AM / UPDATED 2 HOURS AGO", "2017-11-05T10:32:00+00:00", "UTC"),
        ("November 5, 2017 / 10:32 AM / Updated an hour ago", "2017-11-05T10:32:00+00:00", "UTC"),
        ("5. November 2017, 10:32 Uhr, aktualisiert vor 2 Stunden", "2017-11-05T10:32:00+00:00", "UTC"),
        # a time zone written out in words, in parentheses (through dateutil's zone database: DST follows the date)
        ("Published: November 5, 2017 10:32 AM (Eastern Standard Time)", "2017-11-05T10:32:00-05:00", "EST"),
        ("July 4, 2017 10:00 AM (Eastern Time)", "2017-07-04T10:00:00-04:00", "EDT"),
        ("5 November 2017 14:01 (Central European Time)", "2017-11-05T14:01:00+01:00", "CET"),
        # day, abbreviated month and year between hyphens
        ("05-Nov-2017", "2017-11-05T00:00:00+00:00", "UTC"),
        ("Posted 05-Nov-2017 10:32", "2017-11-05T10:32:00+00:00", "UTC"),
        ("Thursday, 5-nov-17", "2017-11-05T00:00:00+00:00", "UTC"),
        # "Updated :" and "First Published:" notes
        ("Updated : November 5, 2017 10:32 IST", "2017-11-05T10:32:00+05:30", "UTC+05:30"),
        ("First Published: Nov 5, 2017 10:32 AM IST", "2017-11-05T10:32:00+05:30", "UTC+05:30"),
    ],
)
def test_dateline_shapes_of_real_sites(line: str, expected: str, zone: str) -> None:
    found = parse_dateline(line, tz=UTC)
    assert found is not None
    assert (found.value.isoformat(), found.value.tzname()) == (expected, zone)


@pytest.mark.parametrize(
    "line",
    ["2 hours ago", "Updated an hour ago", "The vote was on 05-Nov-2017 at 10:32 am in the hall", "Model 05-Nov-2017x"],
)
def test_a_relative_note_or_a_date_inside_a_sentence_is_no_dateline(line: str) -> None:
    assert parse_dateline(line, tz=UTC) is None
