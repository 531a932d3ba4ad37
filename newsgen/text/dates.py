"""Recognise datelines in scraped article text and turn them into timezone-aware datetimes.

The recogniser is strict on purpose: a line is a dateline only when, once the date and
time expressions are cut out, nothing but known decoration words (``Posted on``,
``Updated``, weekday names, a short ``By <name>`` byline, punctuation) is left.
Datetimes are built straight from regex groups; dateutil's fuzzy mode is never used.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from types import MappingProxyType
from typing import NamedTuple
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from newsgen.text.zones import OFFSET as _OFFSET
from newsgen.text.zones import offset_zone as _offset_zone
from newsgen.text.zones import resolve_timezone as resolve_timezone

__all__ = [
    "MAX_DATELINE_LENGTH",
    "YEARS",
    "Dateline",
    "date_from_filename",
    "date_from_url",
    "parse_date_value",
    "parse_dateline",
    "resolve_timezone",
]

MAX_DATELINE_LENGTH = 150
# Years of four digits: pages live under /YYYY/, periods sort as text, the timeline reads them back.
# "0218-01-25" (a digit lost) would put a page under /218/ and stretch the timeline 1,800 years.
YEARS = range(1000, 10_000)


@dataclass(frozen=True, slots=True)
class Dateline:
    """A recognised dateline: what the pipeline needs to date an article and warn the user."""

    value: datetime  # timezone-aware, the PUBLISHED time
    text: str  # the substring of the line that held the (published) date
    updated: datetime | None  # when the line also carries an "Updated ..." time, else None
    note: str | None  # a warning for the user (e.g. ambiguous day/month order), else None


def _fold(text: str) -> str:
    """Lower-case and strip accents one character at a time so offsets match the original."""
    if text.isascii():
        return text.lower()  # what the loop below makes of ASCII, at C speed
    out = []
    for ch in text:
        decomposed = unicodedata.normalize("NFKD", ch)
        base = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
        out.append(base if len(base) == 1 else ch)
    return "".join(out)


# Month names per language, one entry per month (space-separated spellings, accents optional).
_MONTH_NAMES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "en": (
            "january jan",
            "february feb",
            "march mar",
            "april apr",
            "may",
            "june jun",
            "july jul",
            "august aug",
            "september sep sept",
            "october oct",
            "november nov",
            "december dec",
        ),
        "fr": (
            "janvier janv",
            "février févr fév",
            "mars",
            "avril avr",
            "mai",
            "juin",
            "juillet juil",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre déc",
        ),
        "de": (
            "januar jänner jän",
            "februar",
            "märz maerz mrz",
            "april",
            "mai",
            "juni",
            "juli",
            "august",
            "september",
            "oktober okt",
            "november",
            "dezember dez",
        ),
        "es": (
            "enero ene",
            "febrero",
            "marzo",
            "abril abr",
            "mayo",
            "junio",
            "julio",
            "agosto ago",
            "septiembre setiembre",
            "octubre",
            "noviembre",
            "diciembre dic",
        ),
        "it": (
            "gennaio gen",
            "febbraio",
            "marzo",
            "aprile",
            "maggio mag",
            "giugno giu",
            "luglio lug",
            "agosto",
            "settembre set",
            "ottobre ott",
            "novembre",
            "dicembre",
        ),
        "pt": (
            "janeiro",
            "fevereiro",
            "março",
            "abril",
            "maio",
            "junho",
            "julho",
            "agosto",
            "setembro",
            "outubro out",
            "novembro",
            "dezembro",
        ),
        "nl": (
            "januari",
            "februari",
            "maart mrt",
            "april",
            "mei",
            "juni",
            "juli",
            "augustus",
            "september",
            "oktober",
            "november",
            "december",
        ),
        "ru": (
            "январь января янв",
            "февраль февраля фев",
            "март марта мар",
            "апрель апреля апр",
            "май мая",
            "июнь июня июн",
            "июль июля июл",
            "август августа авг",
            "сентябрь сентября сен сент",
            "октябрь октября окт",
            "ноябрь ноября ноя нояб",
            "декабрь декабря дек",
        ),
    }
)


def _build_months() -> Mapping[str, int]:
    """Flatten the language table into folded name -> month number, refusing clashes."""
    months: dict[str, int] = {}
    for names in _MONTH_NAMES.values():
        for number, spellings in enumerate(names, start=1):
            for word in spellings.split():
                if months.setdefault(_fold(word), number) != number:
                    raise ValueError(f"month name {word!r} means two different months")
    return MappingProxyType(months)


_MONTHS = _build_months()

# Zone abbreviation -> IANA zone name (DST follows the date) or fixed offset in minutes.
_ZONES: Mapping[str, str | int] = MappingProxyType(
    {
        "gmt": 0,
        "utc": 0,
        "z": 0,
        "wet": 0,
        "west": 60,
        "bst": 60,
        "cet": 60,
        "cest": 120,
        "eet": 120,
        "eest": 180,
        "msk": 180,
        "мск": 180,
        "ist": 330,
        "jst": 540,
        "aest": 600,
        "aedt": 660,
        "est": -300,
        "edt": -240,
        "cst": -360,
        "cdt": -300,
        "mst": -420,
        "mdt": -360,
        "pst": -480,
        "pdt": -420,
        "et": "America/New_York",
        "ct": "America/Chicago",
        "mt": "America/Denver",
        "pt": "America/Los_Angeles",
    }
)

# Zones written out in words, as sites print them after the time ("10:32 AM (Eastern Standard Time)"):
# resolved by python-dateutil's tz database under their IANA names, so that DST follows the date.
_ZONE_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "eastern standard time": "America/New_York",
        "eastern daylight time": "America/New_York",
        "eastern time": "America/New_York",
        "central standard time": "America/Chicago",
        "central daylight time": "America/Chicago",
        "central time": "America/Chicago",
        "mountain standard time": "America/Denver",
        "mountain daylight time": "America/Denver",
        "mountain time": "America/Denver",
        "pacific standard time": "America/Los_Angeles",
        "pacific daylight time": "America/Los_Angeles",
        "pacific time": "America/Los_Angeles",
        "greenwich mean time": "Etc/GMT",
        "coordinated universal time": "UTC",
        "british summer time": "Europe/London",
        "central european time": "Europe/Berlin",
        "central european summer time": "Europe/Berlin",
        "eastern european time": "Europe/Athens",
        "moscow time": "Europe/Moscow",
        "moscow standard time": "Europe/Moscow",
        "india standard time": "Asia/Kolkata",
        "japan standard time": "Asia/Tokyo",
        "china standard time": "Asia/Shanghai",
        "australian eastern standard time": "Australia/Sydney",
        "australian eastern daylight time": "Australia/Sydney",
        "mitteleuropäische zeit": "Europe/Berlin",
        "mitteleuropaische zeit": "Europe/Berlin",
        "heure de paris": "Europe/Paris",
    }
)
# "Updated 2 hours ago": a note the scraper froze in time; it dates nothing, and may stand beside a dateline.
_AGO = re.compile(
    r"(?<!\w)(?:(?:an?|one|\d{1,3})\s+(?:second|sec|minute|min|hour|hr|day|week|month|year)s?\s+ago"
    r"|vor\s+(?:einer|einem|\d{1,3})\s+(?:sekunden?|minuten?|stunden?|tag(?:en)?|wochen?)"
    r"|il\s+y\s+a\s+(?:une?|\d{1,3})\s+(?:secondes?|minutes?|heures?|jours?)"
    r"|hace\s+(?:una?|\d{1,3})\s+(?:segundos?|minutos?|horas?|dias?))(?!\w)"
)

# Words allowed around the date: publishing verbs, prepositions, weekdays (all languages).
_DECORATION_WORDS = """
    posted published publication date dated created on at the time first originally last modified updated
    update edited le à publié mis jour modifié am um uhr den veröffentlicht aktualisiert
    stand vom el de del a las publicado actualizado il alle ore pubblicato aggiornato em
    às atualizado op om gepubliceerd bijgewerkt в г года опубликовано обновлено изменено
    monday mon tuesday tue tues wednesday wed thursday thu thur thurs friday fri saturday
    sat sunday sun lundi mardi mercredi jeudi vendredi samedi dimanche montag dienstag
    mittwoch donnerstag freitag samstag sonnabend sonntag lunes martes miércoles jueves
    viernes sábado domingo lunedì martedì mercoledì giovedì venerdì sabato domenica
    segunda terça quarta quinta sexta feira maandag dinsdag woensdag donderdag vrijdag
    zaterdag zondag понедельник вторник среда четверг пятница суббота воскресенье
    пн вт ср чт пт сб вс
"""
_DECORATION = frozenset(_fold(word) for word in _DECORATION_WORDS.split())
_BYLINE = frozenset(_fold(word) for word in ("by", "par", "von", "por", "di", "door", "автор", "author"))
_MAX_NAME_WORDS = 4
_UPDATE_WORD = re.compile(
    r"(?<!\w)(?:updated?|last modified|modifie|mis a jour|aktualisiert|actualizado"
    r"|atualizado|aggiornato|bijgewerkt|обновлено|изменено)(?!\w)"
)
_WORD = re.compile(r"[^\W_]+")
_DIGIT = re.compile(r"\d")


def _alternation(words: Mapping[str, object]) -> str:
    """Longest-first alternation so regex matching prefers the full spelling."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_MON = rf"(?P<mon>{_alternation(_MONTHS)})(?!\w)\.?"
_TIME = re.compile(
    r"(?<![\w.:])(?P<h>\d{1,2})(?:(?P<sep>[:.h])(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?)?"
    r"(?!\d)(?:\s*(?P<ap>[ap])\.?m(?!\w)\.?)?"
    rf"(?:\s*\(?(?P<zone>(?:utc|gmt)\s?[+-]\d{{1,2}}(?::?\d{{2}})?|[+-]\d{{2}}:?\d{{2}}"
    rf"|{_alternation({**_ZONE_NAMES, **_ZONES})})(?!\w)\)?)?"
)

_Builder = Callable[[re.Match[str], bool | None], tuple[date, str | None]]


def _year(text: str) -> int:
    """Two-digit years (only accepted next to a month name) mean 1970-2069."""
    year = int(text)
    if len(text) == 2:
        return year + (2000 if year < 70 else 1900)
    return year


def _named_month(m: re.Match[str], dayfirst: bool | None) -> tuple[date, str | None]:
    """A month written as a word leaves no doubt about the order."""
    return date(_year(m["y"]), _MONTHS[m["mon"]], int(m["d"])), None


def _year_first(m: re.Match[str], dayfirst: bool | None) -> tuple[date, str | None]:
    """Year-first numeric dates are always year-month-day."""
    return date(int(m["y"]), int(m["m"]), int(m["d"])), None


def _numeric(m: re.Match[str], dayfirst: bool | None) -> tuple[date, str | None]:
    """Numeric d/m/y or m/d/y: decide the order, and say so when we had to guess."""
    a, b, year = int(m["a"]), int(m["b"]), int(m["y"])
    note = None
    if a > 12 or a == b:
        first = True
    elif b > 12:
        first = False
    elif dayfirst is not None:
        first = dayfirst
    else:
        first = True
        if m["sep"] != ".":  # dotted dates are day-first by convention: no need to warn
            day = date(year, b, a)
            note = (
                f"ambiguous date {m.group(0)!r}: read day-first as {day.isoformat()}; "
                "set 'dayfirst: true' or 'dayfirst: false' for this source in site.yaml"
            )
    return (date(year, b, a) if first else date(year, a, b)), note


_DATE_PATTERNS: tuple[tuple[str, re.Pattern[str], _Builder], ...] = (
    (
        "month_day_year",
        re.compile(rf"(?<!\w){_MON},?\s*(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?!\d),?\s+(?P<y>\d{{4}})(?!\d)"),
        _named_month,
    ),
    (
        "day_month_year",
        re.compile(
            rf"(?<![\w.])(?P<d>\d{{1,2}})(?:er|st|nd|rd|th|\.)?\s*(?:de\s+|of\s+)?{_MON},?\s*"
            r"(?:de\s+|del\s+)?(?P<y>\d{4}|\d{2})(?!\d|[:.h]\d)"
        ),
        _named_month,
    ),
    (
        "day_mon_year",  # 05-Nov-2017, 5-nov-17: day, month word and year between hyphens
        re.compile(rf"(?<![\w.-])(?P<d>\d{{1,2}})-{_MON}-(?P<y>\d{{4}}|\d{{2}})(?![\w-])"),
        _named_month,
    ),
    (
        "iso",
        re.compile(r"(?<![\d./-])(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d|[./-]\d)(?:t(?=\d))?"),
        _year_first,
    ),
    (
        "year_first",
        re.compile(
            r"(?<![\d./-])(?P<y>\d{4})(?P<sep>[/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"
            r"(?!\d|[./-]\d)"
        ),
        _year_first,
    ),
    (
        "numeric",
        re.compile(
            r"(?<![\d./-])(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})"
            r"(?!\d|[./-]\d)"
        ),
        _numeric,
    ),
)


class _DateHit(NamedTuple):
    start: int
    end: int
    day: date
    note: str | None


class _TimeHit(NamedTuple):
    start: int
    end: int
    clock: time
    zone: tzinfo | None


class _Group(NamedTuple):
    start: int
    end: int
    value: datetime
    note: str | None


def _zone(name: str) -> tzinfo:
    """Map a zone abbreviation or numeric offset to a tzinfo via the single _ZONES table."""
    if (iana := _ZONE_NAMES.get(name)) is not None:
        from dateutil import tz as dateutil_tz  # here: most datelines name no zone in words

        found = dateutil_tz.gettz(iana)
        if found is None:
            raise ValueError(f"no time zone data for {iana}")
        return found
    entry = _ZONES.get(name)
    if isinstance(entry, str):
        return ZoneInfo(entry)
    if entry is not None:
        return timezone(timedelta(minutes=entry)) if entry else UTC
    m = _OFFSET.fullmatch(name)
    if m is None:
        raise ValueError(f"unknown zone {name!r}")
    return _offset_zone(*m.groups())


def _time_hit(m: re.Match[str]) -> _TimeHit | None:
    """A bare number is not a time: require minutes or am/pm; reject impossible clocks."""
    if m["mi"] is None and m["ap"] is None:
        return None
    hour, minute, second = int(m["h"]), int(m["mi"] or 0), int(m["s"] or 0)
    if m["ap"]:
        if not 1 <= hour <= 12:
            raise ValueError("12-hour clock out of range")
        hour = hour % 12 + (12 if m["ap"] == "p" else 0)
    zone = _zone(m["zone"]) if m["zone"] else None
    return _TimeHit(m.start(), m.end(), time(hour, minute, second), zone)


def _blank(text: str, start: int, end: int) -> str:
    """Replace a consumed span with a separator so later patterns and the word check skip it."""
    return text[:start] + "|" * (end - start) + text[end:]


def _only_decoration(masked: str) -> bool:
    """True when what is left is publishing words, weekdays and at most short bylines."""
    names_left = 0
    for word in _WORD.findall(masked):
        if word in _DECORATION:
            continue
        if word in _BYLINE:
            names_left = _MAX_NAME_WORDS
        elif names_left and not any(c.isdigit() for c in word):
            names_left -= 1
        else:
            return False
    return True


def _gap(a: _DateHit, b: _TimeHit) -> int:
    """Characters between a date and a time, so each time goes with its nearest date."""
    return max(a.start - b.end, b.start - a.end, 0)


def _groups(dates: list[_DateHit], times: list[_TimeHit], tz: tzinfo) -> list[_Group]:
    """Pair every time with its nearest date and build the aware datetimes."""
    paired: dict[int, _TimeHit] = {}
    used: set[int] = set()
    candidates = sorted((_gap(d, t), ti, di) for ti, t in enumerate(times) for di, d in enumerate(dates))
    for _, ti, di in candidates:
        if ti not in used and di not in paired:
            paired[di] = times[ti]
            used.add(ti)
    groups = []
    for di, d in enumerate(dates):
        t = paired.get(di)
        clock, zone = (t.clock, t.zone) if t else (time(), None)
        value = datetime.combine(d.day, clock, tzinfo=zone or tz)
        start, end = (min(d.start, t.start), max(d.end, t.end)) if t else (d.start, d.end)
        groups.append(_Group(start, end, value, d.note))
    return sorted(groups)


def _parse(text: str, tz: tzinfo, dayfirst: bool | None) -> Dateline | None:
    """Find dates, then times, check the leftovers, then decide published vs updated."""
    folded = masked = _fold(text)
    if not _DIGIT.search(folded):
        return None  # every date has a number in it
    for m in _AGO.finditer(folded):
        masked = _blank(masked, m.start(), m.end())
    dates: list[_DateHit] = []
    for _name, pattern, build in _DATE_PATTERNS:
        found_here = list(pattern.finditer(masked))
        for m in found_here:
            day, note = build(m, dayfirst)
            dates.append(_DateHit(m.start(), m.end(), day, note))
            masked = _blank(masked, m.start(), m.end())
    times: list[_TimeHit] = []
    for m in _TIME.finditer(masked):
        found = _time_hit(m)
        if found is not None:
            times.append(found)
    for t in times:
        masked = _blank(masked, t.start, t.end)
    if not 1 <= len(dates) <= 2 or len(times) > len(dates) or not _only_decoration(masked):
        return None
    published: list[_Group] = []
    updated: list[_Group] = []
    previous_end = 0
    for group in _groups(dates, times, tz):
        is_update = _UPDATE_WORD.search(folded, previous_end, group.start) is not None
        (updated if is_update else published).append(group)
        previous_end = group.end
    if len(published) > 1 or len(updated) > 1:
        return None
    # An "Updated ..." time alone stands in for the publication time and is also reported
    # as the update time, so callers can tell the page was revised.
    main = published[0] if published else updated[0]
    notes = [g.note for g in published + updated if g.note]
    return Dateline(
        value=main.value,
        text=text[main.start : main.end].strip(),
        updated=updated[0].value if updated else None,
        note="; ".join(notes) or None,
    )


def parse_dateline(line: str, *, tz: tzinfo, dayfirst: bool | None = None) -> Dateline | None:
    """Return the dateline parsed from one line of text, or None when it is not a dateline."""
    text = line.strip()
    if not text or len(text) > MAX_DATELINE_LENGTH:
        return None
    try:
        return _parse(text, tz, dayfirst)
    except (ValueError, OverflowError):  # impossible dates, clocks or offsets
        return None


_FILENAME = re.compile(
    r"(?P<y>[0-9]{4})(?P<sep>-?)(?P<m>[0-9]{2})(?P=sep)(?P<d>[0-9]{2})(?:[-_](?P<rest>.*))?",
    re.DOTALL,
)


def date_from_filename(stem: str, *, tz: tzinfo) -> tuple[datetime, str] | None:
    """Date files named like ``2016-09-08-slug`` when the text itself has no dateline."""
    m = _FILENAME.fullmatch(stem)
    if m is None:
        return None
    try:
        value = datetime(int(m["y"]), int(m["m"]), int(m["d"]), tzinfo=tz)
    except ValueError:
        return None
    return value, m["rest"] or ""


# Dates in an article's address: /2015/08/26/, /2015-08-26-slug, /20150826/ or news-20150826-slug, year first
# always (no site writes a path day first), between separators so that an id of digits is not read as one.
_URL_DAY = re.compile(
    r"(?<![0-9])(?P<y>(?:1[89]|20)[0-9]{2})(?P<sep>[/_-]?)(?P<m>[01][0-9])(?P=sep)(?P<d>[0-3][0-9])(?![0-9])"
)
_URL_MONTH = re.compile(r"/(?P<y>(?:1[89]|20)[0-9]{2})/(?P<m>[01][0-9])/")


def date_from_url(url: str, *, tz: tzinfo) -> tuple[datetime, bool] | None:
    """The date an article's address gives, at midnight in ``tz``, and whether it gives only the month.

    Only the path is read (a query's ``?id=20150826`` is anyone's number). A month alone comes back as
    its first day with True: the caller must not show or file it as that day.
    """
    path = urlsplit(url.strip()).path
    for m in _URL_DAY.finditer(path):
        after = path[m.end() : m.end() + 1]
        if m["sep"] == "/" and after not in ("", "/"):
            continue  # /2018/01/12-year-old-girl…: the month, then a slug that starts with a number
        if not m["sep"] and not _whole_segment_part(path, m.start(), m.end()):
            continue
        try:
            return datetime(int(m["y"]), int(m["m"]), int(m["d"]), tzinfo=tz), False
        except ValueError:
            continue
    month = _URL_MONTH.search(path + "/")
    if month and 1 <= int(month["m"]) <= 12:
        return datetime(int(month["y"]), int(month["m"]), 1, tzinfo=tz), True
    return None


def _whole_segment_part(path: str, start: int, end: int) -> bool:
    """Whether eight digits run alone between separators (``/20150826/``, ``-20150826-``), not in a longer token."""
    before = path[start - 1] if start else "/"
    after = path[end] if end < len(path) else "/"
    return before in "/-_." and after in "/-_."


def parse_date_value(value: object, *, tz: tzinfo, dayfirst: bool | None = None) -> datetime | None:
    """Turn a front-matter ``date:``/``updated:`` value into an aware datetime, else None."""
    if isinstance(value, datetime):
        return value if value.utcoffset() is not None else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=tz)
    if isinstance(value, str):
        found = parse_dateline(value, tz=tz, dayfirst=dayfirst)
        return None if found is None else found.value
    return None
