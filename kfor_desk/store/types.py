"""Column types: UTC datetimes stored as fixed-width ISO text, refusing naive values.

``DateTime(timezone=True)`` on SQLite silently drops the offset; this type never guesses.
Fixed-width text sorts chronologically and is portable to PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

_FMT = "%Y-%m-%dT%H:%M:%S.%fZ"


class UTCDateTime(TypeDecorator[datetime]):
    impl = String(27)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime refused: KFOR Desk stores UTC times only")
        return to_db_text(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return from_db_text(str(value))


def from_db_text(text: str) -> datetime:
    """The aware UTC datetime of a stored text (:func:`to_db_text`)."""
    if text.endswith("Z"):  # fromisoformat reads the "Z" as UTC; ten times faster than strptime
        return datetime.fromisoformat(text)
    return datetime.strptime(text, _FMT).replace(tzinfo=UTC)


def to_db_text(value: datetime) -> str:
    """The stored text of an aware datetime: ``2026-11-26T17:00:00.000000Z``."""
    if value.tzinfo is UTC:  # the common case, as below without a copy (isoformat pads years)
        return value.isoformat(timespec="microseconds")[:26] + "Z"
    if value.utcoffset():
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"
