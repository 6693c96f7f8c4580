from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kfor_desk.domain.timefmt import (
    TimeError,
    ensure_utc,
    format_dtg,
    format_dtg_local,
    format_iso,
    parse_dtg,
    parse_when,
)


def test_dtg_example() -> None:
    assert format_dtg(datetime(2026, 11, 26, 17, 0, tzinfo=UTC)) == "261700ZNOV26"
    assert parse_dtg("261700ZNOV26") == datetime(2026, 11, 26, 17, 0, tzinfo=UTC)
    assert parse_when("26 1700Z nov 2026") == datetime(2026, 11, 26, 17, 0, tzinfo=UTC)


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31),
                    timezones=st.just(UTC)))
def test_dtg_round_trip(value: datetime) -> None:
    minute = value.replace(second=0, microsecond=0)
    assert parse_when(format_dtg(value)) == minute


def test_iso_with_offset_is_converted_to_utc() -> None:
    assert parse_when("2026-11-26T18:00+01:00") == datetime(2026, 11, 26, 17, tzinfo=UTC)
    assert parse_when("2026-11-26T17:00:00Z").tzinfo is not None


@pytest.mark.parametrize("text", ["2026-11-26T17:00", "321700ZNOV26", "261700ZXYZ26",
                                  "261799ZNOV26", "tomorrow", ""])
def test_bad_times_are_refused_with_a_reason(text: str) -> None:
    with pytest.raises(TimeError) as info:
        parse_when(text)
    assert str(info.value)


def test_naive_datetime_is_an_error() -> None:
    with pytest.raises(TimeError):
        ensure_utc(datetime(2026, 11, 26, 17, 0))
    with pytest.raises(TimeError):
        format_dtg(datetime(2026, 11, 26, 17, 0))


def test_local_time_follows_dst() -> None:
    winter = format_dtg_local(datetime(2026, 11, 26, 17, tzinfo=UTC))
    summer = format_dtg_local(datetime(2026, 7, 1, 17, tzinfo=UTC))
    assert "18:00 CET" in winter
    assert "19:00 CEST" in summer
    other = datetime(2026, 3, 29, 3, 0, tzinfo=timezone(timedelta(hours=2)))
    assert format_dtg(other) == "290100ZMAR26"


@pytest.mark.parametrize(("delta", "text"), [
    (timedelta(days=2, hours=3, minutes=59), "2 d 3 h"),
    (timedelta(hours=5, minutes=7), "5 h 07 min"),
    (timedelta(minutes=12, seconds=59), "12 min"),
    (-timedelta(hours=1), "1 h 00 min"),
])
def test_spans_as_a_duty_officer_says_them(delta: timedelta, text: str) -> None:
    from kfor_desk.domain.timefmt import format_span

    assert format_span(delta) == text


@given(st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=2)),
                                               timezone(timedelta(hours=-5, minutes=-30))])))
def test_format_iso_is_the_strftime_form(value: datetime) -> None:
    """The fast path for UTC gives exactly the text the strftime form gives."""
    try:
        v = ensure_utc(value)
    except OverflowError:
        return
    assert format_iso(value) == v.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_format_iso_examples() -> None:
    assert format_iso(datetime(2026, 11, 26, 17, 0, 5, 999_999, tzinfo=UTC)) == \
        "2026-11-26T17:00:05Z"
    assert format_iso(datetime(999, 1, 2, 3, 4, 5, tzinfo=UTC)) == \
        datetime(999, 1, 2, 3, 4, 5).strftime("%Y-%m-%dT%H:%M:%SZ")
