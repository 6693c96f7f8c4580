"""Brief assembly from a real temporary database: what each section selects."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path

from kfor_desk.domain.enums import NotificationStatus
from kfor_desk.domain.workflow import Action
from kfor_desk.services.briefs import (
    daily_brief_data,
    handover_data,
    record_sheet_data,
    write_daily_brief,
)
from kfor_desk.services.desk import Desk
from tests.factories import NOW, make_notification, make_request


def test_daily_brief_sections(desk: Desk) -> None:
    soon = desk.register(make_notification()).record  # starts in 24 h
    late = desk.register(make_notification(start=NOW + timedelta(days=5),
                                           end=NOW + timedelta(days=6))).record
    over = desk.register(make_notification(start=NOW - timedelta(days=3),
                                           end=NOW - timedelta(days=2))).record
    overdue = desk.register(make_request(decision_due=NOW - timedelta(hours=2))).record
    later = desk.register(make_request(decision_due=NOW + timedelta(hours=40))).record
    decided = desk.register(make_request()).record
    decided = desk.act(decided, Action.START_REVIEW).record
    desk.act(decided, Action.DECIDE, outcome="granted_with_conditions", authority="COMKFOR",
             conditions="KFOR escort")

    data = daily_brief_data(desk, NOW)
    assert [r.register_no for r in data.saf_activities] == [soon.register_no]
    assert late.register_no not in {r.register_no for r in data.saf_activities}
    assert over.register_no not in {r.register_no for r in data.saf_activities}
    assert [r.register_no for r in data.ksf_requests] == [overdue.register_no, later.register_no]
    assert [r.register_no for r in data.decisions] == [decided.register_no]
    assert data.meta.as_of == data.meta.produced_at == NOW
    assert data.meta.operator == desk.operator.display
    assert len(data.meta.chain_head) == 64
    assert not data.meta.training
    assert any("OVERDUE" in k and (overdue.register_no or "") in k for k in data.key_points)
    assert {i.register_no for i in data.timeline} >= {soon.register_no, later.register_no}
    assert data.conflicts is not None and data.flags is not None


def test_classification_from_settings_and_override(desk: Desk) -> None:
    desk.save_settings(dataclasses.replace(desk.settings(), classification="KFOR RESTRICTED",
                                           releasability="RELEASABLE TO KFOR"))
    data = daily_brief_data(desk, NOW)
    assert data.meta.classification == "KFOR RESTRICTED"
    assert data.meta.releasability == "RELEASABLE TO KFOR"
    assert daily_brief_data(desk, NOW, classification="NATO SECRET").meta.classification \
        == "NATO SECRET"


def test_record_sheet_has_full_history(desk: Desk) -> None:
    n = desk.register(make_notification()).record
    desk.act(n, Action.ACKNOWLEDGE)
    data = record_sheet_data(desk, (n.register_no or "").lower(), NOW)
    assert data.record.register_no == n.register_no
    assert data.record.status is NotificationStatus.ACKNOWLEDGED
    assert [h.action for h in data.history] == ["Registered", "Acknowledged"]
    assert all(h.operator and h.workstation for h in data.history)
    # the window's words (services.history, one reader): the status as its label, not the
    # stored code ("acknowledged" before); field labels as in the detail pane ("Acknowledged"
    # and "Location 1 · position", were "Acknowledged at" and "Location 1 position"); times
    # as DTGs without local time (the brief's column is "When (UTC)")
    assert any(c.field == "Status" and c.after == "Acknowledged" for c in data.history[1].changes)
    changes = {c.field: c.after for c in data.history[1].changes}
    assert changes["Acknowledged"] == "261700ZNOV26"
    assert any(c.field == "Location 1 · position" for c in data.history[0].changes)


def test_handover_changes_and_pending(desk: Desk) -> None:
    n = desk.register(make_notification()).record
    r = desk.register(make_request()).record
    data = handover_data(desk, since=NOW - timedelta(hours=1), as_of=NOW + timedelta(hours=1))
    assert {c.register_no for c in data.changes} >= {n.register_no, r.register_no}
    assert {p.register_no for p in data.pending} == {n.register_no, r.register_no}


def test_same_database_and_as_of_give_identical_files(desk: Desk, tmp_path: Path) -> None:
    folder = tmp_path
    desk.register(make_notification())
    desk.register(make_request())
    a = write_daily_brief(desk, folder / "a.pdf", NOW)
    b = write_daily_brief(desk, folder / "b.pdf", NOW)
    assert a.read_bytes() == b.read_bytes()
