"""Validation and the two status machines."""

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kfor_desk.domain import workflow as wf
from kfor_desk.domain.enums import NotificationStatus, RequestStatus
from kfor_desk.domain.records import (
    SHORT_TEXT,
    Location,
    RecordKind,
    format_register_no,
    parse_municipality,
    parse_register_no,
)
from kfor_desk.domain.validation import RuleError, validate
from kfor_desk.domain.workflow import Action, Step
from tests.factories import NOW, make_notification, make_request

STEP = Step("Capt Test", NOW)


def fields(problems: list) -> set[str]:
    return {p.field for p in problems}


def test_valid_records_have_no_problems() -> None:
    assert validate(make_notification()) == []
    assert validate(make_request()) == []


def test_every_problem_is_reported_with_its_field() -> None:
    n = make_notification(name=" ", end=NOW, start=NOW + timedelta(hours=1), personnel=-3,
                          locations=(Location(name="x" * (SHORT_TEXT + 1), lat=99, lon=20),))
    problems = validate(n)
    assert fields(problems) >= {"name", "end", "personnel", "locations[0].name",
                                "locations[0].position"}
    assert all(p.message.endswith(".") for p in problems)


def test_naive_times_and_missing_locations_are_refused() -> None:
    n = make_notification(start=datetime(2026, 11, 27, 6, 0), locations=())
    assert {"start", "locations"} <= fields(validate(n))


def test_control_characters_are_refused() -> None:
    assert "name" in fields(validate(make_notification(name="Ibar\x00")))
    assert validate(make_notification(notes="line one\nline two")) == []


def test_request_rules() -> None:
    r = make_request(decision_due=NOW - timedelta(days=1))
    assert "decision_due" in fields(validate(r))
    r = make_request(status=RequestStatus.GRANTED)
    assert "decision" in fields(validate(r))


def test_notification_machine_allows_only_its_transitions() -> None:
    n = make_notification()
    assert wf.available_actions(n) == [Action.ACKNOWLEDGE, Action.CANCEL]
    with pytest.raises(RuleError, match="not possible"):
        wf.disseminate(n, STEP, "RC-E")
    a = wf.acknowledge(n, STEP)
    assert a.status is NotificationStatus.ACKNOWLEDGED and a.acknowledged_at == NOW
    with pytest.raises(RuleError) as info:
        wf.disseminate(a, STEP, " ")
    assert info.value.problems[0].field == "disseminated_to"
    d = wf.disseminate(a, STEP, "RC-E, RC-W")
    assert wf.available_actions(d) == [Action.CANCEL]
    with pytest.raises(RuleError):
        wf.cancel(d, STEP)  # a reason is required
    c = wf.cancel(d, replace(STEP, reason="SAF cancelled"))
    assert wf.available_actions(c) == []
    assert validate(c) == []


def test_step_needs_operator_and_utc_time_not_before_receipt() -> None:
    n = make_notification()
    with pytest.raises(RuleError, match="operator"):
        wf.acknowledge(n, Step(" ", NOW))
    with pytest.raises(RuleError, match="before"):
        wf.acknowledge(n, Step("x", n.received_at - timedelta(minutes=1)))
    with pytest.raises(RuleError, match="time zone"):
        wf.acknowledge(n, Step("x", datetime(2026, 11, 26, 18, 0)))


def test_request_machine_and_decision_requirements() -> None:
    r = make_request()
    assert wf.available_actions(r) == [Action.START_REVIEW, Action.DECIDE, Action.WITHDRAW]
    r = wf.recommend(wf.start_review(r, STEP), STEP, "Grant with escort")
    with pytest.raises(RuleError) as info:
        wf.decide(r, STEP, RequestStatus.GRANTED_WITH_CONDITIONS, "COMKFOR")
    assert info.value.problems[0].field == "decision.conditions"
    with pytest.raises(RuleError) as info:
        wf.decide(r, STEP, RequestStatus.DENIED, "COMKFOR")
    assert info.value.problems[0].field == "decision.rationale"
    with pytest.raises(RuleError):
        wf.decide(r, STEP, RequestStatus.WITHDRAWN, "COMKFOR")
    g = wf.decide(r, STEP, RequestStatus.GRANTED_WITH_CONDITIONS, "COMKFOR", "daylight only")
    assert g.awaiting_communication
    assert wf.available_actions(g) == [Action.COMMUNICATE]
    done = wf.communicate(g, STEP, "letter")
    assert not done.awaiting_communication and wf.available_actions(done) == []
    assert validate(done) == []
    with pytest.raises(RuleError):
        wf.withdraw(done, replace(STEP, reason="x"))
    with pytest.raises(RuleError, match="reason"):
        wf.amend_allowed(done, "")
    wf.amend_allowed(done, "typo in unit name")


def test_overdue() -> None:
    r = make_request(decision_due=NOW - timedelta(minutes=1), received_at=NOW - timedelta(days=1))
    assert r.is_overdue(NOW)
    g = wf.decide(r, STEP, RequestStatus.GRANTED, "COMKFOR")
    assert not g.is_overdue(NOW)


@given(st.sampled_from(list(RecordKind)), st.integers(2000, 2099), st.integers(1, 9999))
def test_register_numbers_round_trip(kind: RecordKind, year: int, number: int) -> None:
    text = format_register_no(kind, year, number)
    assert parse_register_no(text) == (kind, year, number)


def test_register_number_format_and_refusal() -> None:
    assert format_register_no(RecordKind.SAF, 2026, 42) == "SAF-2026-0042"
    with pytest.raises(ValueError, match="SAF-2026-0042"):
        parse_register_no("SAF-26-42")


@pytest.mark.parametrize("text", ["Zvecan", "Zveçan", "zvečan", "Звечан", "ZVECAN"])
def test_municipality_spellings(text: str) -> None:
    assert parse_municipality(text).value == "Zvečan"
