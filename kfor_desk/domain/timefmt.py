"""UTC-only datetimes and NATO date-time groups (DTG).

A DTG is ``DDHHMMZMONYY`` (e.g. ``261700ZNOV26``). Every datetime handled by KFOR Desk is
timezone-aware and in UTC; a naive datetime is a programming or input error, never guessed.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from .errors import UserError

LOCAL_ZONE = ZoneInfo("Europe/Belgrade")

MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DTG_RE = re.compile(
    r"^\s*(?P<dd>\d{2})\s?(?P<hh>\d{2})(?P<mi>\d{2})\s*Z\s*(?P<mon>[A-Za-z]{3})\s*(?P<yy>\d{2}|\d{4})\s*$"
)


class TimeError(UserError, ValueError):
    """A time that cannot be accepted; the message says what was expected."""


def ensure_utc(value: datetime, what: str = "time") -> datetime:
    """Return ``value`` converted to UTC; refuse a naive datetime."""
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise TimeError(f"{what} has no time zone; KFOR Desk only takes UTC times")
    return value.astimezone(UTC)


def utc_now() -> datetime:
    """The current time in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0)


def format_dtg(value: datetime) -> str:
    """``261700ZNOV26`` for 2026-11-26 17:00 UTC."""
    v = ensure_utc(value)
    return f"{v.day:02d}{v.hour:02d}{v.minute:02d}Z{MONTHS[v.month - 1]}{v.year % 100:02d}"


def format_local(value: datetime) -> str:
    """Local (Europe/Belgrade) wall time with its zone name, e.g. ``26 Nov 18:00 CET``."""
    v = ensure_utc(value).astimezone(LOCAL_ZONE)
    return f"{v.day:02d} {MONTHS[v.month - 1].title()} {v:%H:%M} {v.tzname()}"


def format_dtg_local(value: datetime) -> str:
    """DTG with the local time beside it: ``261700ZNOV26 (26 Nov 18:00 CET)``."""
    return f"{format_dtg(value)} ({format_local(value)})"


def format_iso(value: datetime) -> str:
    """ISO 8601 in UTC with ``Z``, to the second: the storage and exchange form."""
    if value.tzinfo is UTC and value.year >= 1000:
        # the common case, exactly as below without the conversion (strftime does not pad
        # years before 1000 to four digits, isoformat does: those take the long way)
        return value.isoformat(timespec="seconds")[:19] + "Z"
    v = ensure_utc(value)
    return v.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_dtg(text: str) -> datetime:
    """Parse a DTG such as ``261700ZNOV26`` (spaces and a four-digit year allowed)."""
    m = _DTG_RE.match(text)
    if not m:
        raise TimeError(f"'{text.strip()}' is not a DTG; expected DDHHMMZMONYY, e.g. 261700ZNOV26")
    mon = m["mon"].upper()
    if mon not in MONTHS:
        raise TimeError(f"'{m['mon']}' is not a month; expected JAN, FEB, … DEC")
    yy = int(m["yy"])
    year = yy if len(m["yy"]) == 4 else 2000 + yy
    try:
        return datetime(
            year, MONTHS.index(mon) + 1, int(m["dd"]), int(m["hh"]), int(m["mi"]), tzinfo=UTC
        )
    except ValueError as exc:
        raise TimeError(f"'{text.strip()}' is not a real date and time ({exc})") from None


def parse_iso(text: str) -> datetime:
    """Parse ISO 8601 with an explicit offset or ``Z``; a time without zone is refused."""
    if len(text) == 20 and text[19] == "Z":  # 2026-11-26T17:00:00Z, as every export writes
        try:
            value = datetime.fromisoformat(text[:19])
        except ValueError:
            pass  # not that form after all: the long way says why
        else:
            if value.tzinfo is None:
                return value.replace(tzinfo=UTC)
    t = text.strip()
    if t.endswith(("z", "Z")):
        t = t[:-1] + "+00:00"
    try:
        value = datetime.fromisoformat(t)
    except ValueError:
        raise TimeError(
            f"'{text.strip()}' is not an ISO time; expected e.g. 2026-11-26T17:00:00Z"
        ) from None
    if value.tzinfo is None:
        raise TimeError(
            f"'{text.strip()}' has no time zone; add Z for UTC (e.g. 2026-11-26T17:00Z)"
        )
    try:
        return value.astimezone(UTC)
    except OverflowError:  # year 1 with a positive offset, year 9999 with a negative one
        raise TimeError(f"'{text.strip()}' lies outside the years a desk can hold") from None


def parse_when(text: str) -> datetime:
    """Parse a DTG or an ISO time (with zone) into an aware UTC datetime."""
    t = text.strip()
    if not t:
        raise TimeError("a time is required: a DTG like 261700ZNOV26 or ISO like 2026-11-26T17:00Z")
    if _DTG_RE.match(t):
        return parse_dtg(t)
    if re.match(r"^\d{4}-\d{2}-\d{2}", t):
        return parse_iso(t)
    raise TimeError(
        f"'{t}' is neither a DTG (261700ZNOV26) nor an ISO time (2026-11-26T17:00Z)"
    )


def format_span(delta: timedelta) -> str:
    """A duration as a duty officer says it: ``2 d 3 h``, ``5 h 07 min``, ``12 min``."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hrs, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hrs} h"
    if hrs:
        return f"{hrs} h {mins:02d} min"
    return f"{mins} min"


def hours(n: float) -> timedelta:
    return timedelta(hours=n)
