"""RecordDialog driven by keystrokes: new and amended records reach the database; problems show
at their fields and nothing is saved until they are fixed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from kfor_desk.domain.enums import ExerciseType, Municipality, Purpose, RequestStatus
from kfor_desk.domain.records import ConsentRequest, ExerciseNotification, RecordKind
from kfor_desk.domain.workflow import Action
from kfor_desk.services.desk import Desk
from kfor_desk.ui.forms import RecordDialog
from tests.factories import NOW, make_notification, make_request

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


def open_form(qtbot: QtBot, desk: Desk, kind: RecordKind,
              record: ExerciseNotification | ConsentRequest | None = None) -> RecordDialog:
    dlg = RecordDialog(desk, kind, record)
    qtbot.addWidget(dlg)
    dlg.confirm_discard = lambda _parent: True  # teardown closes the form: no question
    dlg.show()
    dlg.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dlg)  # shortcuts need it
    return dlg


def type_into(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type ``text``; QTest only synthesises ASCII keys, so other letters are inserted as an
    input method would."""
    widget.setFocus()
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        elif isinstance(widget, QLineEdit):
            widget.insert(ch)
        elif isinstance(widget, QPlainTextEdit):
            widget.insertPlainText(ch)


def settle(qtbot: QtBot, dlg: RecordDialog) -> None:
    """The preview and the save run off the GUI thread: wait until they are back."""
    qtbot.waitUntil(lambda: not dlg.is_busy(), timeout=20_000)


def ctrl_enter(qtbot: QtBot, dlg: RecordDialog) -> None:
    target = QApplication.focusWidget() or dlg
    qtbot.keyClick(target, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, dlg)


def submit(qtbot: QtBot, dlg: RecordDialog) -> None:
    dlg.submit()
    settle(qtbot, dlg)
    settle(qtbot, dlg)


def fill_notification(qtbot: QtBot, dlg: RecordDialog, *, start: str = "271700ZNOV26",
                      end: str = "281700ZNOV26", position: str = "43.26, 20.58") -> None:
    type_into(qtbot, dlg.name, "Vežba Kopaonik 26")
    type_into(qtbot, dlg.units, "2. brigada KoV")
    type_into(qtbot, dlg.personnel, "150")
    type_into(qtbot, dlg.sender_ref, "JIC-1234/26")
    type_into(qtbot, dlg.start.edit, start)
    type_into(qtbot, dlg.end.edit, end)
    row = dlg.locations.rows[0]
    type_into(qtbot, row.name, "Kopaonik range")
    type_into(qtbot, row.position.edit, position)
    type_into(qtbot, row.radius, "2000")


def test_notification_typed_and_saved_with_ctrl_enter(qtbot: QtBot, desk: Desk) -> None:
    dlg = open_form(qtbot, desk, RecordKind.SAF)
    qtbot.waitUntil(lambda: dlg.name.hasFocus())
    fill_notification(qtbot, dlg)
    dlg.exercise_type.setCurrentIndex(list(ExerciseType).index(ExerciseType.LIVE_FIRING))
    got: list[object] = []
    dlg.saved.connect(got.append)
    ctrl_enter(qtbot, dlg)
    if not got:  # the record would carry a flag: the form shows it and asks again
        assert dlg.preview.isVisible()
        ctrl_enter(qtbot, dlg)
    assert len(got) == 1
    saved = got[0]
    assert isinstance(saved, ExerciseNotification) and saved.register_no
    stored = desk.repo.notifications()
    assert [n.register_no for n in stored] == [saved.register_no]
    n = stored[0]
    assert n.name == "Vežba Kopaonik 26" and n.personnel == 150
    assert n.start == NOW + timedelta(days=1) and n.end == NOW + timedelta(days=2)
    assert n.locations[0].name == "Kopaonik range" and n.locations[0].radius_m == 2000
    assert n.locations[0].position == "43.26, 20.58"
    assert n.locations[0].abl is not None
    assert n.exercise_type is ExerciseType.LIVE_FIRING
    assert n.received_by == desk.operator.display
    assert dlg.result() == dlg.DialogCode.Accepted


def test_period_ending_before_start_shows_at_end_and_saves_nothing(qtbot: QtBot,
                                                                    desk: Desk) -> None:
    dlg = open_form(qtbot, desk, RecordKind.SAF)
    fill_notification(qtbot, dlg, start="281700ZNOV26", end="271700ZNOV26")
    ctrl_enter(qtbot, dlg)
    assert dlg.field_error("end") == "End must be after the start of the period."
    assert dlg.end.edit.property("invalid") is True
    assert dlg.end.edit.hasFocus()
    assert dlg.isVisible() and desk.repo.notifications() == []
    assert dlg.banner.isVisible() and "1 problem" in dlg.banner.text()


def test_bad_position_shows_at_its_field_and_saves_nothing(qtbot: QtBot, desk: Desk) -> None:
    dlg = open_form(qtbot, desk, RecordKind.SAF)
    fill_notification(qtbot, dlg, position="42,89 20,86")
    dlg.name.clear()  # a second problem, shown at the same time
    ctrl_enter(qtbot, dlg)
    assert "decimal comma" in dlg.field_error("locations[0].position")
    assert dlg.field_error("name") == "Exercise name is required."
    assert dlg.name.hasFocus()  # the first problem in the form
    assert desk.repo.notifications() == []
    # fixed: saves
    row = dlg.locations.rows[0]
    row.position.edit.clear()
    type_into(qtbot, row.position.edit, "34TDN8927048850")
    type_into(qtbot, dlg.name, "Fixed")
    got: list[object] = []
    dlg.saved.connect(got.append)
    submit(qtbot, dlg)
    if not got:
        submit(qtbot, dlg)
    assert len(got) == 1 and len(desk.repo.notifications()) == 1


def test_out_of_area_position_needs_confirmation(qtbot: QtBot, desk: Desk) -> None:
    dlg = open_form(qtbot, desk, RecordKind.SAF)
    fill_notification(qtbot, dlg, position="45.5, 20.0")
    submit(qtbot, dlg)
    assert "outside Kosovo" in dlg.field_error("locations[0].position")
    assert desk.repo.notifications() == []
    dlg.locations.rows[0].position.confirm.setChecked(True)
    got: list[object] = []
    dlg.saved.connect(got.append)
    submit(qtbot, dlg)
    if not got:
        submit(qtbot, dlg)
    assert len(got) == 1


def test_unreadable_time_and_count(qtbot: QtBot, desk: Desk) -> None:
    dlg = open_form(qtbot, desk, RecordKind.SAF)
    fill_notification(qtbot, dlg, start="32XX")
    dlg.vehicles.setText("many")
    submit(qtbot, dlg)
    assert "neither a DTG" in dlg.field_error("start")
    assert dlg.field_error("end") == ""  # no guess about the period while start is unreadable
    assert dlg.field_error("vehicles") == "Vehicles must be a whole number."
    assert desk.repo.notifications() == []


def test_an_unreadable_time_is_said_once_at_its_field(qtbot: QtBot, desk: Desk) -> None:
    """The time's own line under the field says why it cannot be read; the form's error line
    there does not say it a second time."""
    from PySide6.QtWidgets import QLabel

    dlg = open_form(qtbot, desk, RecordKind.SAF)
    fill_notification(qtbot, dlg, start="32XX")
    submit(qtbot, dlg)
    holder = dlg.start.parentWidget()
    assert holder is not None
    saying = [label for label in holder.findChildren(QLabel)
              if label.isVisible() and "neither a DTG" in label.text()]
    assert len(saying) == 1, [label.text() for label in saying]
    assert "1 problem" in dlg.banner.text()  # still counted, and the field still marked
    assert dlg.start.edit.property("invalid") is True
    type_into(qtbot, dlg.start.edit, "")  # and the other problems of a time stay in the line
    dlg.start.edit.clear()
    submit(qtbot, dlg)
    assert dlg.field_error("start").startswith("A time is required")


def test_second_location_added_and_removed(qtbot: QtBot, desk: Desk) -> None:
    dlg = open_form(qtbot, desk, RecordKind.SAF)
    fill_notification(qtbot, dlg)
    assert not dlg.locations.rows[0].remove.isEnabled()
    qtbot.mouseClick(dlg.locations.add_button, Qt.MouseButton.LeftButton)
    assert len(dlg.locations.rows) == 2 and dlg.locations.rows[1].name.hasFocus()
    row = dlg.locations.rows[1]
    qtbot.keyClicks(row.name, "Jarinje")
    type_into(qtbot, row.position.edit, "43.2075, 20.7167")
    # tab order: from the first location's last field into the second location
    qtbot.keyClick(row.position.edit, Qt.Key.Key_Tab)
    assert row.position.pick_button.hasFocus()
    submit(qtbot, dlg)
    if dlg.isVisible():
        submit(qtbot, dlg)
    n = desk.repo.notifications()[0]
    assert [loc.name for loc in n.locations] == ["Kopaonik range", "Jarinje"]


def test_esc_with_changes_asks_before_losing_them(qtbot: QtBot, desk: Desk) -> None:
    dlg = open_form(qtbot, desk, RecordKind.SAF)
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)  # nothing entered: closes without asking
    assert not dlg.isVisible()

    dlg = open_form(qtbot, desk, RecordKind.SAF)
    answers: list[bool] = [False, True]
    asked: list[QWidget] = []

    def ask(parent: QWidget) -> bool:
        asked.append(parent)
        return answers.pop(0)

    dlg.confirm_discard = ask
    type_into(qtbot, dlg.name, "Half typed")
    qtbot.keyClick(dlg.name, Qt.Key.Key_Escape)
    assert asked == [dlg] and dlg.isVisible()  # "keep editing"
    assert dlg.name.text() == "Half typed"
    qtbot.keyClick(dlg.name, Qt.Key.Key_Escape)
    assert len(asked) == 2 and not dlg.isVisible()
    assert desk.repo.notifications() == []


def test_enter_does_not_save(qtbot: QtBot, desk: Desk) -> None:
    dlg = open_form(qtbot, desk, RecordKind.SAF)
    fill_notification(qtbot, dlg)
    qtbot.keyClick(dlg.name, Qt.Key.Key_Return)
    assert dlg.isVisible() and desk.repo.notifications() == []


def test_request_typed_and_saved(qtbot: QtBot, desk: Desk) -> None:
    dlg = open_form(qtbot, desk, RecordKind.KSF)
    qtbot.waitUntil(lambda: dlg.requesting_unit.hasFocus())
    qtbot.keyClicks(dlg.requesting_unit, "KSF Civil Protection Regiment")
    dlg.purpose.setCurrentIndex(list(Purpose).index(Purpose.EOD))
    type_into(qtbot, dlg.description, "UXO disposal near Zupče")
    dlg.municipalities[Municipality.ZUBIN_POTOK].setChecked(True)
    type_into(qtbot, dlg.start.edit, "280800ZNOV26")
    type_into(qtbot, dlg.end.edit, "281600ZNOV26")
    type_into(qtbot, dlg.decision_due.edit, "271200ZNOV26")
    row = dlg.locations.rows[0]
    type_into(qtbot, row.name, "Zupče")
    type_into(qtbot, row.position.edit, "42.917, 20.683")
    got: list[object] = []
    dlg.saved.connect(got.append)
    ctrl_enter(qtbot, dlg)
    if not got:
        ctrl_enter(qtbot, dlg)
    assert len(got) == 1
    r = desk.repo.requests()[0]
    assert r.requesting_unit == "KSF Civil Protection Regiment"
    assert r.purpose is Purpose.EOD and r.municipalities == (Municipality.ZUBIN_POTOK,)
    assert r.decision_due == NOW + timedelta(hours=19)


def test_amend_notification_keeps_status_and_records_change(qtbot: QtBot, desk: Desk) -> None:
    old = desk.register(make_notification()).record
    old = desk.act(old, Action.ACKNOWLEDGE).record
    dlg = open_form(qtbot, desk, RecordKind.SAF, old)
    assert dlg.name.text() == old.name
    dlg.personnel.setText("200")
    assert dlg.reason is not None
    dlg.reason.setPlainText("Letter of 26 Nov: more personnel")
    got: list[object] = []
    dlg.saved.connect(got.append)
    submit(qtbot, dlg)
    if not got:
        submit(qtbot, dlg)
    new = desk.repo.get(old.register_no or "")
    assert isinstance(new, ExerciseNotification)
    assert new.personnel == 200 and new.status is old.status and new.version == old.version + 1
    assert new.locations == old.locations  # untouched locations are kept as they were
    assert desk.repo.history(old.register_no or "")[-1].reason == \
        "Letter of 26 Nov: more personnel"


def test_amend_without_change_says_so(qtbot: QtBot, desk: Desk) -> None:
    old = desk.register(make_notification()).record
    dlg = open_form(qtbot, desk, RecordKind.SAF, old)
    submit(qtbot, dlg)
    assert "Nothing has changed" in dlg.banner.text()
    assert desk.repo.get(old.register_no or "").version == old.version


def test_amend_decided_request_needs_reason(qtbot: QtBot, desk: Desk) -> None:
    req = desk.register(make_request()).record
    req = desk.act(req, Action.DECIDE, outcome=RequestStatus.GRANTED_WITH_CONDITIONS.value,
                   authority="COMKFOR", conditions="Escort by KFOR").record
    dlg = open_form(qtbot, desk, RecordKind.KSF, req)
    assert "decision.conditions" in dlg._fields
    dlg.personnel.setText("12")
    submit(qtbot, dlg)
    assert "reason for the correction" in dlg.field_error("reason")
    assert desk.repo.get(req.register_no or "").version == req.version
    # the decision's own rules apply to a correction too
    conditions = dlg._fields["decision.conditions"][0]
    assert hasattr(conditions, "setPlainText")
    conditions.setPlainText("")
    assert dlg.reason is not None
    dlg.reason.setPlainText("Personnel figure corrected by phone")
    submit(qtbot, dlg)
    assert "state the conditions" in dlg.field_error("decision.conditions")
    conditions.setPlainText("Escort by KFOR; daylight only")
    got: list[object] = []
    dlg.saved.connect(got.append)
    submit(qtbot, dlg)
    if not got:
        submit(qtbot, dlg)
    new = desk.repo.get(req.register_no or "")
    assert isinstance(new, ConsentRequest) and new.personnel == 12
    assert new.decision is not None and new.decision.conditions == "Escort by KFOR; daylight only"
    assert desk.repo.history(req.register_no or "")[-1].action == "correct"


def test_concurrent_edit_is_shown_and_input_kept(qtbot: QtBot, desk: Desk) -> None:
    old = desk.register(make_notification()).record
    dlg = open_form(qtbot, desk, RecordKind.SAF, old)
    desk.amend(old, replace(old, units="changed elsewhere"))  # someone else saves first
    dlg.personnel.setText("321")
    submit(qtbot, dlg)
    if not dlg.banner.isVisible():
        submit(qtbot, dlg)
    assert dlg.isVisible()
    assert "changed by someone else" in dlg.banner.text()
    assert dlg.personnel.text() == "321"
    assert desk.repo.get(old.register_no or "").personnel == old.personnel


def test_conflict_preview_before_confirming(qtbot: QtBot, desk: Desk) -> None:
    # an SAF exercise 1 km from the ABL near Jarinje, and a KSF request close by at the same time
    desk.register(make_request(locations=make_notification().locations,
                               start=NOW + timedelta(days=1, hours=2),
                               end=NOW + timedelta(days=1, hours=6)))
    dlg = open_form(qtbot, desk, RecordKind.SAF)
    fill_notification(qtbot, dlg, position="43.2858, 20.6136")
    got: list[object] = []
    dlg.saved.connect(got.append)
    submit(qtbot, dlg)
    assert got == [] and dlg.preview.isVisible()
    assert "Conflict with" in dlg.preview.text() and "KSF-" in dlg.preview.text()
    assert dlg.save_button.text().startswith("Save with 1 conflict")
    submit(qtbot, dlg)  # confirmed: accepted with the conflict
    assert len(got) == 1 and len(desk.repo.notifications()) == 1


def test_form_fits_the_screen(qtbot: QtBot, desk: Desk) -> None:
    dlg = open_form(qtbot, desk, RecordKind.KSF)
    screen = dlg.screen().availableGeometry()
    assert dlg.width() <= screen.width() and dlg.height() <= screen.height()


def test_kind_must_match_record(desk: Desk, qtbot: QtBot) -> None:
    n = desk.register(make_notification()).record
    with pytest.raises(ValueError, match="not a KSF consent request"):
        RecordDialog(desk, RecordKind.KSF, n)


_: Callable[..., object] = open_form


def test_leaving_a_fixed_field_clears_its_sentence_before_the_next_save(
        qtbot: QtBot, desk: Desk) -> None:
    """Issue 15 item 7: after a refused save, leaving a field checks the form again."""
    dlg = open_form(qtbot, desk, RecordKind.SAF)
    fill_notification(qtbot, dlg, start="281700ZNOV26", end="271700ZNOV26")
    ctrl_enter(qtbot, dlg)
    assert dlg.field_error("end") == "End must be after the start of the period."
    assert dlg.end.edit.hasFocus()
    dlg.end.edit.selectAll()
    qtbot.keyClicks(dlg.end.edit, "291700ZNOV26")
    assert dlg.field_error("end")  # still there while typing
    qtbot.keyClick(dlg.end.edit, Qt.Key.Key_Tab)  # left: checked again
    assert dlg.field_error("end") == ""
    assert dlg.end.edit.property("invalid") is False
    assert not dlg.banner.isVisible()
    assert desk.repo.notifications() == []  # nothing saved by the check


def test_leaving_a_field_keeps_the_problems_not_yet_fixed(qtbot: QtBot, desk: Desk) -> None:
    dlg = open_form(qtbot, desk, RecordKind.SAF)
    fill_notification(qtbot, dlg, start="281700ZNOV26", end="271700ZNOV26")
    dlg.name.clear()
    ctrl_enter(qtbot, dlg)
    assert dlg.field_error("name") and dlg.field_error("end")
    assert "2 problems" in dlg.banner.text()
    type_into(qtbot, dlg.name, "Vezba Ibar")
    qtbot.keyClick(dlg.name, Qt.Key.Key_Tab)
    assert dlg.field_error("name") == ""
    assert dlg.field_error("end") == "End must be after the start of the period."
    assert "1 problem" in dlg.banner.text()
    assert not dlg.end.edit.hasFocus()  # a re-check does not move the focus
