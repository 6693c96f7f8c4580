"""The one-walk canonical texts of a new record are the general functions' texts, byte for byte:
on every generated demo record, on odd values the walk leaves to the general encoder, on
arbitrary JSON-like forms, and written straight from records (every field set, a dozen
locations, times with microseconds or another offset, fields of unexpected types)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kfor_desk.domain.enums import Municipality, Purpose
from kfor_desk.domain.exchange import canonical_json, creation_changes, record_to_dict
from kfor_desk.domain.exchange_record_texts import record_texts
from kfor_desk.domain.exchange_texts import creation_texts
from kfor_desk.domain.records import Decision, Location
from kfor_desk.services.demo import generate
from tests.factories import NOW, make_notification, make_request


def _general(form: Any) -> tuple[str, str]:
    return canonical_json(form), canonical_json(creation_changes(form))


def test_every_demo_record() -> None:
    records = [rec for rec, _ in generate(300, datetime(2026, 11, 26, 17, tzinfo=UTC))]
    assert len(records) == 300
    for rec in records:
        form = record_to_dict(rec)
        assert creation_texts(form) == _general(form)


@pytest.mark.parametrize("form", [
    {"locations": [{"name": f"L{i}", "position": "34TDN1234567890"} for i in range(12)]},
    {"locations": [{"name": "", "position": {"lat": 0.0, "lon": -0.0}, "radius_m": 0}]},
    {"decision": {}, "municipalities": [], "notes": "", "flag": False, "count": 0},
    {"nested": [[1, [], {}], [True, None, 2.5]], "x": {"y": {"z": "ž\u202e\"\\\n"}}},
    {"a.b": 1, "a": {"b": ""}},          # keys that flatten onto each other: the general way
    {"a": {"b[0]": 1}, "a.b": [2]},
    {"t": (1, 2)},                        # a tuple: the general way
    {"f": float("nan")}, {"f": float("inf")},
    {1: "non-text key"},
    {},
])
def test_odd_forms(form: dict[Any, Any]) -> None:
    assert creation_texts(form) == _general(form)


def test_not_a_dict_goes_the_general_way() -> None:
    class Form(dict[str, Any]):
        pass

    form = Form(name="x", count=3)
    assert creation_texts(form) == _general(form)


_scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
            | st.text(max_size=8))
_json = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.text(max_size=5), inner, max_size=4), max_leaves=20)


@settings(max_examples=300)
@given(st.dictionaries(st.text(max_size=6), _json, max_size=8))
def test_any_json_form(form: dict[str, Any]) -> None:
    assert creation_texts(form) == _general(form)


def _record_general(rec: Any, regno: str | None) -> tuple[str, str]:
    form = record_to_dict(rec)
    form["register_no"] = regno
    return _general(form)


def test_record_texts_of_every_demo_record() -> None:
    records = [rec for rec, _ in generate(300, datetime(2026, 11, 26, 17, tzinfo=UTC))]
    for i, rec in enumerate(records):
        regno = None if i % 7 == 0 else f"X-{i}"
        assert record_texts(rec, regno) == _record_general(rec, regno)


_PLUS_ONE = timezone(timedelta(hours=1))


@pytest.mark.parametrize("rec", [
    make_notification(),
    make_notification(  # every field, ordered keys that sort apart ("[10]" before "[2]")
        sender_ref="JIC/1", received_by="Capt X", units="", personnel=0, vehicles=12,
        weapon_systems="—", air_assets="", acknowledged_at=NOW, disseminated_at=NOW,
        disseminated_to="all", cancelled_at=NOW.replace(microsecond=5), cancel_reason="r",
        liaison_contact="Maj Y", notes="ž\u202e\"\\\n", live_fire=False,
        received_at=datetime(2026, 11, 26, 18, tzinfo=_PLUS_ONE),
        locations=tuple(Location(name=f"L{i}" if i % 2 else "", lat=0.0 if i == 3 else 42.5,
                                 lon=20.0 + i, position=None if i % 3 else f"34TDN{i:05d}",
                                 radius_m=None if i % 4 else i)
                        for i in range(12))),
    make_request(),
    make_request(municipalities=tuple(Municipality)[:3] * 4, route="R", weapons_carried=True,
                 review_started_at=NOW, recommendation="yes", recommended_at=NOW,
                 withdrawn_at=NOW, withdraw_reason="w", purpose=Purpose.EOD,
                 decision=Decision("COM", NOW, "", "why", None, "")),
    make_request(decision=Decision("", NOW, "c", "", NOW, "JIC"), locations=()),
    make_notification(locations=tuple(Location(f"L{i}", 42.0, 20.0, radius_m=i)
                                      for i in range(120))),
    make_notification(personnel=True),    # not a count: the general way
    make_notification(name=7),            # not text: the general way
    make_notification(locations=[Location("a", 1.0, 2.0)]),  # a list: the general way
    make_notification(locations=(Location("a", float("inf"), 2.0),)),
])
def test_record_texts_of_odd_records(rec: Any) -> None:
    for regno in (None, "SAF-2026-0001"):
        assert record_texts(rec, regno) == _record_general(rec, regno)
