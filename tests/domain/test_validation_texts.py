"""The check of all a record's texts at once finds a problem whenever one text by itself
would: validation gives the same problems, in the same order, either way."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kfor_desk.domain import validation
from kfor_desk.domain.records import LONG_TEXT, MEDIUM_TEXT, SHORT_TEXT
from tests.factories import make_notification, make_request

_ODD = st.sampled_from(["", " ", "\n", "\t", "\r", "\x00", "\x85", "\u202e", "\u200b",
                        "Đ", "ж", "x" * (SHORT_TEXT + 1), "y" * (MEDIUM_TEXT + 1),
                        "z" * (LONG_TEXT + 1), "Zvečan", "a\nb"])
_TEXT = st.lists(_ODD | st.text(max_size=5), max_size=4).map("".join)
_N_TEXTS = ("name", "sender_ref", "received_by", "units", "weapon_systems", "disseminated_to",
            "cancel_reason", "liaison_contact", "notes")
_R_TEXTS = ("requesting_unit", "ksf_ref", "received_by", "point_of_contact", "description",
            "route", "recommendation", "withdraw_reason", "notes")


def _one_by_one(monkeypatch: pytest.MonkeyPatch, record: object) -> list[validation.Problem]:
    with monkeypatch.context() as m:
        m.setattr(validation, "_notification_texts_fine", lambda n: False)
        m.setattr(validation, "_request_texts_fine", lambda r: False)
        return validation.validate(record)  # type: ignore[arg-type]


@settings(max_examples=300)
@given(texts=st.fixed_dictionaries(dict.fromkeys(_N_TEXTS, _TEXT)),
       air=st.none() | _TEXT)
def test_notification_texts(texts: dict[str, str], air: str | None) -> None:
    n = dataclasses.replace(make_notification(), air_assets=air, **texts)
    with pytest.MonkeyPatch.context() as mp:
        assert validation.validate(n) == _one_by_one(mp, n)


@settings(max_examples=300)
@given(texts=st.fixed_dictionaries(dict.fromkeys(_R_TEXTS, _TEXT)),
       air=st.none() | _TEXT)
def test_request_texts(texts: dict[str, str], air: str | None) -> None:
    r = dataclasses.replace(make_request(), air_assets=air, **texts)
    with pytest.MonkeyPatch.context() as mp:
        assert validation.validate(r) == _one_by_one(mp, r)


def test_each_text_problem_is_found() -> None:
    # every text, made wrong alone, gives its problem (the quick check does not pass it)
    for make, names in ((make_notification, _N_TEXTS), (make_request, _R_TEXTS)):
        for name in names:
            for bad in ("\x00", "z" * (LONG_TEXT + 1), "\u202e"):
                problems = validation.validate(dataclasses.replace(make(), **{name: bad}))
                assert any(p.field == name for p in problems), (name, bad)
        assert any(p.field == "air_assets" for p in validation.validate(
            dataclasses.replace(make(), air_assets=" ")))
