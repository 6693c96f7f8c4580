"""The reader's quick way for ``YYYY-MM-DDTHH:MM:SSZ`` gives exactly what ``parse_iso`` gives:
the same time in the same zone object, or the same sentence for a time it refuses."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kfor_desk.domain.exchange_read import _Reader
from kfor_desk.domain.timefmt import TimeError, parse_iso
from kfor_desk.domain.validation import Problem


def _both(text: str) -> tuple[object, object]:
    problems: list[Problem] = []
    got = _Reader({"t": text}, "x", problems).time("t")
    try:
        expected: object = parse_iso(text)
    except TimeError as exc:
        expected = str(exc)
    return (got if not problems else problems[0].message), expected


@pytest.mark.parametrize("text", [
    "2026-11-26T17:00:00Z", "2024-02-29T23:59:59Z", "2026-02-29T10:00:00Z",
    "2026-13-01T00:00:00Z", "2026-11-31T00:00:00Z", "2026-11-26T24:00:00Z",
    "2026-11-26T17:00:60Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
    "2026-1a-26T17:00:00Z", "２０２６-11-26T17:00:00Z", "2026-11-26 17:00:00Z",
    "20261126T170000.000Z", "2026-11-26T17+01:00Z", "2026-11-26T17:00:00z",
])
def test_known_texts(text: str) -> None:
    got, expected = _both(text)
    assert got == expected
    if isinstance(got, datetime):
        assert isinstance(expected, datetime) and got.tzinfo is expected.tzinfo


_chars = st.sampled_from("0123456789-:T Z+.z٣")


@settings(max_examples=400)
@given(st.lists(_chars, min_size=20, max_size=20), st.datetimes())
def test_any_twenty_characters(chars: list[str], when: datetime) -> None:
    # a real time with some of its characters swapped for others, ending in Z
    base = list(when.strftime("%Y-%m-%dT%H:%M:%SZ").rjust(20, "0"))[:20]
    text = "".join(c if i % 3 else base[i] for i, c in enumerate(chars))[:19] + "Z"
    got, expected = _both(text)
    assert got == expected
    if isinstance(got, datetime):
        assert isinstance(expected, datetime) and got.tzinfo is expected.tzinfo


@settings(max_examples=300)
@given(st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59)))
def test_every_whole_second(when: datetime) -> None:
    text = f"{when.year:04d}-{when.month:02d}-{when.day:02d}T{when:%H:%M:%S}Z"
    got, expected = _both(text)
    assert got == expected and got.tzinfo is expected.tzinfo  # type: ignore[attr-defined]
