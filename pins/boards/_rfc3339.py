"""The timestamps Posit Connect sends, parsed the same on every Python pins supports.

Connect writes RFC 3339 times as Go formats them: ``2024-01-15T12:00:00Z``, and with a
fraction of a second it trims trailing zeros (``…:00.3757Z``) and may give nanoseconds
(``…:00.123456789Z``) or an offset (``…:00.5-05:00``). ``datetime.fromisoformat`` on
Python 3.10 accepts none of the fractional forms, so they are parsed here. This module
imports only the standard library.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

__all__ = ["parse_rfc3339"]

_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?"
    r"(?:([Zz])|([+-])(\d{2}):?(\d{2}))?"
)


def parse_rfc3339(value: object) -> datetime | None:
    """An aware datetime (UTC when no offset is given), or None for anything else.

    A fraction finer than microseconds is cut to microseconds.

    >>> parse_rfc3339("2024-01-15T12:00:00.3757Z")
    datetime.datetime(2024, 1, 15, 12, 0, 0, 375700, tzinfo=datetime.timezone.utc)
    >>> parse_rfc3339("2024-01-15T12:00:00.5-05:00").isoformat()
    '2024-01-15T12:00:00.500000-05:00'
    >>> parse_rfc3339("yesterday") is None
    True
    """
    if not isinstance(value, str):
        return None
    match = _RFC3339.fullmatch(value.strip())
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, _, sign, off_h, off_m = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        tz = timezone.utc
        if sign:
            offset = timedelta(hours=int(off_h), minutes=int(off_m))
            tz = timezone(-offset if sign == "-" else offset)
        return datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second), micro, tz
        )
    except ValueError:  # a date or an offset that does not exist, a leap second
        return None
