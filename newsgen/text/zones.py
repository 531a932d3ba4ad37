"""Time zones as the settings name them: read when the settings are, so kept apart from the dateline
recogniser, whose many patterns a build that finds nothing changed has no use for."""

from __future__ import annotations

import re
from datetime import UTC, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

OFFSET = re.compile(r"(?:utc|gmt)?\s*([+-])(\d{1,2})(?::?(\d{2}))?", re.IGNORECASE)


def offset_zone(sign: str, hours: str, minutes: str | None) -> tzinfo:
    """Fixed offsets become datetime.timezone; out-of-range ones raise ValueError."""
    delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
    return timezone(-delta if sign == "-" else delta) if delta else UTC


def resolve_timezone(name: str) -> tzinfo:
    """Turn the configured zone name into a tzinfo, failing early with the accepted forms."""
    key = name.strip()
    help_text = (
        f"unknown time zone {name!r}: use an IANA name such as 'Europe/Moscow' "
        "or 'America/New_York', 'UTC', or a fixed offset such as '+03:00'"
    )
    if key.upper() in {"UTC", "GMT", "Z"}:
        return UTC
    m = OFFSET.fullmatch(key)
    try:
        return offset_zone(*m.groups()) if m else ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise ValueError(help_text) from exc
