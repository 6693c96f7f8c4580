"""The desk's use cases on a real database file."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from kfor_desk.domain.enums import Band, RequestStatus, Side
from kfor_desk.domain.validation import RuleError
from kfor_desk.domain.workflow import Action
from kfor_desk.services.desk import Desk
from kfor_desk.services.settings import DeskSettings
from kfor_desk.services.verify import verify
from tests.factories import NOW, make_notification, make_request


def test_register_computes_abl_and_defaults_receiver(desk: Desk) -> None:
    saved = desk.register(make_notification()).record
    assert saved.received_by == "Capt Test (Duty Officer)"
    rel = saved.locations[0].abl
    assert rel is not None and rel.side is Side.SERBIA and rel.band is Band.AIR
    assert 8.0 < rel.distance_km < 8.7  # Raška


def test_invalid_record_is_refused_with_every_problem_and_nothing_saved(desk: Desk) -> None:
    bad = make_notification(name="", end=NOW, start=NOW + timedelta(hours=2))
    with pytest.raises(RuleError) as info:
        desk.register(bad)
    assert {p.field for p in info.value.problems} == {"name", "end"}
    assert desk.repo.notifications() == []


def test_status_only_changes_through_its_action(desk: Desk) -> None:
    r = desk.register(make_request()).record
    with pytest.raises(RuleError, match="workflow"):
        desk.amend(r, replace(r, status=RequestStatus.GRANTED))
    r = desk.act(r, Action.START_REVIEW).record
    r = desk.act(r, Action.DECIDE, outcome="granted_with_conditions", authority="COMKFOR",
                 conditions="KFOR escort").record
    assert r.status is RequestStatus.GRANTED_WITH_CONDITIONS
    with pytest.raises(RuleError, match="reason"):
        desk.amend(r, replace(r, personnel=14))
    corrected = desk.amend(r, replace(r, personnel=14), reason="typo in the letter").record
    history = desk.repo.history(r.register_no or "")
    assert history[-1].action == "correct" and history[-1].reason == "typo in the letter"
    assert corrected.personnel == 14
    r = desk.act(corrected, Action.COMMUNICATE, via="letter").record
    assert r.decision is not None and r.decision.communicated_via == "letter"
    assert verify(desk.repo).ok


def test_unknown_action_parameters_are_a_bug(desk: Desk) -> None:
    n = desk.register(make_notification()).record
    with pytest.raises(TypeError):
        desk.act(n, Action.ACKNOWLEDGE, to="RC-E")


def test_settings_round_trip_and_validation(desk: Desk) -> None:
    assert desk.settings() == DeskSettings()
    new = replace(DeskSettings(), classification="NATO RESTRICTED",
                  releasability="RELEASABLE TO KFOR", conflict_distance_km=7.5)
    desk.save_settings(new)
    assert desk.settings() == new
    assert desk.repo.history("") == []  # settings changes are audited without a register no
    assert any(e.action == "settings" for e in desk.repo.audit_since())
    with pytest.raises(RuleError):
        desk.save_settings(replace(new, conflict_distance_km=0))
    assert desk.settings() == new


def test_the_door_reads_what_was_saved_and_closes(desk: Desk, backend: str) -> None:
    saved = desk.register(make_request()).record
    no = saved.register_no or ""
    notes, reqs = desk.records()
    assert notes == [] and [r.register_no for r in reqs] == [no]
    assert desk.record(no) == saved
    assert [e.action for e in desk.history(no)] == ["create"]
    assert desk.chain_head() == desk.history(no)[-1].hash
    assert desk.readonly is False and desk.target.is_sqlite == (backend == "sqlite")
    with desk as same:
        assert same is desk
