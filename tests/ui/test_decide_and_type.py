"""Issue 15 item 8: the decision dialog shows the recommendation it decides on and the deadline;
choosing the type "Live firing" in the SAF form ticks "Live fire" (by keyboard)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kfor_desk.domain.enums import ExerciseType
from kfor_desk.domain.records import RecordKind
from kfor_desk.domain.timefmt import format_dtg
from kfor_desk.domain.workflow import Action
from kfor_desk.services.desk import Desk
from tests.factories import NOW, make_notification, make_request
from tests.ui.test_action_dialogs import open_action
from tests.ui.test_record_form import open_form

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


def _recommended(desk: Desk, **kw: object):  # type: ignore[no-untyped-def]
    r = desk.register(make_request(**kw)).record
    r = desk.act(r, Action.START_REVIEW).record
    return desk.act(r, Action.RECOMMEND,
                    recommendation="Grant with KFOR escort; daylight only.").record


def test_decision_dialog_shows_recommendation_and_deadline(qtbot: QtBot, desk: Desk) -> None:
    r = _recommended(desk, decision_due=NOW + timedelta(hours=4, minutes=13))
    dlg = open_action(qtbot, desk, r, Action.DECIDE)
    assert dlg.recommendation_shown.isVisible()
    assert dlg.recommendation_shown.text().startswith("Grant with KFOR escort; daylight only.")
    assert format_dtg(NOW) in dlg.recommendation_shown.text()  # when it was recorded
    assert dlg.deadline_shown.text().startswith(format_dtg(r.decision_due))
    assert dlg.deadline_shown.text().endswith("in 4 h 13 min")
    assert "b3261e" not in dlg.deadline_shown.styleSheet()


def test_overdue_deadline_is_said_and_marked(qtbot: QtBot, desk: Desk) -> None:
    r = _recommended(desk, received_at=NOW - timedelta(days=3),
                     decision_due=NOW - timedelta(days=1, hours=2))
    dlg = open_action(qtbot, desk, r, Action.DECIDE)
    assert dlg.deadline_shown.text().endswith("overdue by 1 d 2 h")
    assert "b3261e" in dlg.deadline_shown.styleSheet()


def test_live_firing_type_ticks_live_fire(qtbot: QtBot, desk: Desk) -> None:
    dlg = open_form(qtbot, desk, RecordKind.SAF)
    assert not dlg.live_fire.isChecked()
    dlg.exercise_type.setFocus()
    while dlg.exercise_type.currentData() != ExerciseType.LIVE_FIRING:
        qtbot.keyClick(dlg.exercise_type, Qt.Key.Key_Down)
    assert dlg.live_fire.isChecked()
    qtbot.keyClick(dlg.exercise_type, Qt.Key.Key_Down)  # another type does not untick it
    assert dlg.exercise_type.currentData() != ExerciseType.LIVE_FIRING
    assert dlg.live_fire.isChecked()


def test_opening_a_record_keeps_its_live_fire_as_saved(qtbot: QtBot, desk: Desk) -> None:
    n = desk.register(make_notification(exercise_type=ExerciseType.LIVE_FIRING,
                                        live_fire=False)).record
    dlg = open_form(qtbot, desk, RecordKind.SAF, n)
    assert not dlg.live_fire.isChecked()  # never changed behind the officer's back
