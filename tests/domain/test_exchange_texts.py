"""The one-walk canonical texts of a new record are the general functions' texts, byte for byte:
on every generated demo record, on odd values the walk leaves to the general encoder, and on
arbitrary JSON-like forms."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kfor_desk.domain.exchange import canonical_json, creation_changes, record_to_dict
from kfor_desk.domain.exchange_texts import creation_texts
from kfor_desk.services.demo import generate


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
