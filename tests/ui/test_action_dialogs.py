"""Every workflow transition through ActionDialog; refusals shown at their fields."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from kfor_desk.domain.enums import NotificationStatus, RequestStatus
from kfor_desk.domain.records import ConsentRequest, ExerciseNotification, Record
from kfor_desk.domain.timefmt import format_dtg
from kfor_desk.domain.workflow import Action, available_actions
from kfor_desk.services.desk import Desk
from kfor_desk.ui.actions import ActionDialog
from tests.factories import NOW, make_notification, make_request

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


def open_action(qtbot: QtBot, desk: Desk, record: Record, action: Action) -> ActionDialog:
    dlg = ActionDialog(desk, record, action)
    qtbot.addWidget(dlg)
    dlg.confirm_discard = lambda _parent: True
    dlg.show()
    dlg.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dlg)
    return dlg


def save(qtbot: QtBot, dlg: ActionDialog) -> list[Record]:
    got: list[Record] = []
    dlg.saved.connect(got.append)
    target: QWidget = QApplication.focusWidget() or dlg
    qtbot.keyClick(target, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    # the step runs off the GUI thread: wait until it is back
    qtbot.waitUntil(lambda: not dlg.is_busy(), timeout=20_000)
    return got


def test_notification_acknowledge_disseminate(qtbot: QtBot, desk: Desk) -> None:
    n = desk.register(make_notification()).record
    dlg = open_action(qtbot, desk, n, Action.ACKNOWLEDGE)
    assert dlg.at.value() == NOW  # default: now
    got = save(qtbot, dlg)
    assert len(got) == 1 and got[0].status is NotificationStatus.ACKNOWLEDGED
    n = desk.repo.get(n.register_no or "")
    assert isinstance(n, ExerciseNotification) and n.acknowledged_at == NOW

    dlg = open_action(qtbot, desk, n, Action.DISSEMINATE)
    assert dlg.to is not None
    got = save(qtbot, dlg)  # to whom is missing
    assert got == [] and "to whom" in dlg.field_error("to")
    qtbot.keyClicks(dlg.to, "RC-N, RC-E, JRD-N")
    got = save(qtbot, dlg)
    assert len(got) == 1
    n = desk.repo.get(n.register_no or "")
    assert isinstance(n, ExerciseNotification)
    assert n.status is NotificationStatus.DISSEMINATED and n.disseminated_to == "RC-N, RC-E, JRD-N"
    assert desk.repo.history(n.register_no or "")[-1].action == "disseminate"


def test_notification_cancel_needs_reason(qtbot: QtBot, desk: Desk) -> None:
    n = desk.register(make_notification()).record
    dlg = open_action(qtbot, desk, n, Action.CANCEL)
    assert save(qtbot, dlg) == []
    assert "reason" in dlg.field_error("reason")
    assert dlg.reason is not None
    qtbot.keyClicks(dlg.reason, "Exercise called off by the SAF (JIC letter 123)")
    assert len(save(qtbot, dlg)) == 1
    n = desk.repo.get(n.register_no or "")
    assert n.status is NotificationStatus.CANCELLED
    assert isinstance(n, ExerciseNotification) and n.cancel_reason.startswith("Exercise called")


def test_time_is_typed_as_dtg(qtbot: QtBot, desk: Desk) -> None:
    n = desk.register(make_notification()).record
    dlg = open_action(qtbot, desk, n, Action.ACKNOWLEDGE)
    dlg.at.edit.clear()
    qtbot.keyClicks(dlg.at.edit, "2617")
    assert save(qtbot, dlg) == []
    assert "neither a DTG" in dlg.field_error("at")
    dlg.at.edit.clear()
    earlier = NOW - timedelta(days=1)  # before it was received: refused by the rules
    qtbot.keyClicks(dlg.at.edit, format_dtg(earlier))
    assert save(qtbot, dlg) == []
    assert "cannot be before" in dlg.field_error("at")
    dlg.at.edit.clear()
    qtbot.keyClicks(dlg.at.edit, "261630ZNOV26")
    assert len(save(qtbot, dlg)) == 1
    n = desk.repo.get(n.register_no or "")
    assert isinstance(n, ExerciseNotification)
    assert n.acknowledged_at == NOW - timedelta(minutes=30)


def test_request_review_recommend_decide_communicate(qtbot: QtBot, desk: Desk) -> None:
    r = desk.register(make_request()).record
    regno = r.register_no or ""
    assert save(qtbot, open_action(qtbot, desk, r, Action.START_REVIEW))
    r = desk.repo.get(regno)
    assert r.status is RequestStatus.UNDER_REVIEW

    dlg = open_action(qtbot, desk, r, Action.RECOMMEND)
    assert dlg.recommendation is not None
    qtbot.keyClicks(dlg.recommendation, "Grant with KFOR escort")
    assert save(qtbot, dlg)
    r = desk.repo.get(regno)
    assert isinstance(r, ConsentRequest) and r.recommendation == "Grant with KFOR escort"

    dlg = open_action(qtbot, desk, r, Action.DECIDE)
    assert dlg.authority is not None and dlg.authority.text() == "COMKFOR"
    assert save(qtbot, dlg) == []  # no outcome chosen
    assert "granted, granted with conditions or denied" in dlg.field_error("status")
    dlg.outcomes[RequestStatus.GRANTED_WITH_CONDITIONS].setChecked(True)
    assert save(qtbot, dlg) == []  # conditions missing
    assert dlg.field_error("decision.conditions") == \
        "Granted with conditions: state the conditions."
    assert desk.repo.get(regno).status is RequestStatus.RECOMMENDED
    assert dlg.conditions is not None
    qtbot.keyClicks(dlg.conditions, "Escorted by KFOR; daylight only")
    assert save(qtbot, dlg)
    r = desk.repo.get(regno)
    assert isinstance(r, ConsentRequest)
    assert r.status is RequestStatus.GRANTED_WITH_CONDITIONS and r.awaiting_communication
    assert r.decision is not None and r.decision.authority == "COMKFOR"
    assert available_actions(r) == [Action.COMMUNICATE]

    dlg = open_action(qtbot, desk, r, Action.COMMUNICATE)
    assert dlg.via is not None
    assert save(qtbot, dlg) == []
    assert "how the answer reached" in dlg.field_error("via")
    line = dlg.via.lineEdit()
    assert line is not None
    qtbot.keyClicks(line, "Phone to KSF LNO")
    assert save(qtbot, dlg)
    r = desk.repo.get(regno)
    assert isinstance(r, ConsentRequest) and r.decision is not None
    assert r.decision.communicated_via == "Phone to KSF LNO"
    assert r.decision.communicated_at == NOW and not r.awaiting_communication


def test_decide_denied_needs_rationale(qtbot: QtBot, desk: Desk) -> None:
    r = desk.register(make_request()).record
    dlg = open_action(qtbot, desk, r, Action.DECIDE)
    dlg.outcomes[RequestStatus.DENIED].setChecked(True)
    assert save(qtbot, dlg) == []
    assert dlg.field_error("decision.rationale") == "Denied: state the rationale."
    assert dlg.rationale is not None
    qtbot.keyClicks(dlg.rationale, "Too close to the ABL during the SAF exercise")
    assert save(qtbot, dlg)
    assert desk.repo.get(r.register_no or "").status is RequestStatus.DENIED


def test_decide_granted(qtbot: QtBot, desk: Desk) -> None:
    r = desk.register(make_request()).record
    dlg = open_action(qtbot, desk, r, Action.DECIDE)
    dlg.outcomes[RequestStatus.GRANTED].setChecked(True)
    assert save(qtbot, dlg)
    assert desk.repo.get(r.register_no or "").status is RequestStatus.GRANTED


def test_withdraw(qtbot: QtBot, desk: Desk) -> None:
    r = desk.register(make_request()).record
    dlg = open_action(qtbot, desk, r, Action.WITHDRAW)
    assert dlg.reason is not None
    qtbot.keyClicks(dlg.reason, "KSF withdrew the request by phone")
    assert save(qtbot, dlg)
    r = desk.repo.get(r.register_no or "")
    assert r.status is RequestStatus.WITHDRAWN
    assert isinstance(r, ConsentRequest) and r.withdraw_reason.startswith("KSF withdrew")


def test_action_not_allowed_is_refused_in_the_banner(qtbot: QtBot, desk: Desk) -> None:
    n = desk.register(make_notification()).record
    dlg = open_action(qtbot, desk, n, Action.DISSEMINATE)  # not acknowledged yet
    assert dlg.to is not None
    qtbot.keyClicks(dlg.to, "RC-N")
    assert save(qtbot, dlg) == []
    assert dlg.banner.isVisible() and "not possible" in dlg.banner.text()


def test_stale_record_shows_concurrent_edit(qtbot: QtBot, desk: Desk) -> None:
    n = desk.register(make_notification()).record
    dlg = open_action(qtbot, desk, n, Action.ACKNOWLEDGE)
    desk.act(n, Action.CANCEL, reason="elsewhere")
    assert save(qtbot, dlg) == []
    assert "changed by someone else" in dlg.banner.text()


def test_esc_with_typed_reason_asks(qtbot: QtBot, desk: Desk) -> None:
    n = desk.register(make_notification()).record
    dlg = open_action(qtbot, desk, n, Action.CANCEL)
    asked: list[bool] = []
    dlg.confirm_discard = lambda _p: asked.append(True) or False
    assert dlg.reason is not None
    qtbot.keyClicks(dlg.reason, "typo")
    qtbot.keyClick(dlg.reason, Qt.Key.Key_Escape)
    assert asked and dlg.isVisible()
    dlg.confirm_discard = lambda _p: True
    qtbot.keyClick(dlg.reason, Qt.Key.Key_Escape)
    assert not dlg.isVisible()
    assert desk.repo.get(n.register_no or "").status is NotificationStatus.RECEIVED
