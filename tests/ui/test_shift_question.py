"""The right officer on the record (issue 15 item 2): "Who is on shift?" at every start with the
last officer offered (one Enter confirms), and again on the first input after a long idle."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDeadlineTimer, QEventLoop, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit
from pytestqt.qtbot import QtBot

from kfor_desk import app as app_module
from kfor_desk.services.demo import create_demo
from kfor_desk.services.desk import Operator
from kfor_desk.ui import errors
from kfor_desk.ui.main_window import MainWindow
from kfor_desk.ui.panels.operator import OperatorDialog
from kfor_desk.ui.shift_guard import IdleShiftGuard, idle_hours
from tests.factories import NOW

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]

LAST = Operator("J. Smith", "Capt", "Duty Officer")


def test_one_enter_confirms_the_offered_officer(qtbot: QtBot) -> None:
    dlg = OperatorDialog(LAST)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    assert dlg.windowTitle() == "Who is on shift?"
    assert dlg.name.text() == "J. Smith" and dlg.name.hasSelectedText()
    with qtbot.waitSignal(dlg.chosen) as got:
        qtbot.keyClick(dlg.name, Qt.Key.Key_Return)
    assert got.args == [LAST] and dlg.result() == QDialog.DialogCode.Accepted


def test_typing_a_name_replaces_the_offered_one(qtbot: QtBot) -> None:
    dlg = OperatorDialog(LAST)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    qtbot.keyClicks(dlg.name, "A. Jones")  # the offered name is selected: typing replaces it
    dlg.rank.setText("Maj")
    with qtbot.waitSignal(dlg.chosen) as got:
        qtbot.keyClick(dlg.name, Qt.Key.Key_Return)
    assert got.args[0] == Operator("A. Jones", "Maj", "Duty Officer")


def test_every_start_asks_with_the_last_officer_offered(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for var, sub in (("HOME", "home"), ("XDG_CONFIG_HOME", "config"),
                     ("XDG_DATA_HOME", "data")):
        monkeypatch.setenv(var, str(tmp_path / sub))
    monkeypatch.delenv("KFOR_DESK_OPERATOR", raising=False)
    monkeypatch.delenv("KFOR_DESK_EXIT_AFTER_PAINT", raising=False)
    app_module.remember_operator(app_module.window_settings(), LAST)
    offered: list[str] = []

    def exec_(self: OperatorDialog) -> int:  # what the officer sees, then Cancel (quit)
        offered.append(self.name.text())
        return int(QDialog.DialogCode.Rejected)

    monkeypatch.setattr(OperatorDialog, "exec", exec_)
    import logging

    logger = logging.getLogger("kfor_desk")
    handlers, level = list(logger.handlers), logger.level
    try:
        assert app_module.run(str(tmp_path / "x.db")) == 0
    finally:
        for h in logger.handlers[:]:
            if h not in handlers:
                logger.removeHandler(h)
                h.close()
        logger.setLevel(level)
    assert offered == ["J. Smith"]  # asked, not resumed silently
    assert not (tmp_path / "x.db").exists()


def test_the_desks_last_officer_is_offered_on_fresh_settings(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No officer remembered on this workstation: the officer of the desk's newest audit
    entry is offered once read (the dialog shows at once), and Enter still has to confirm."""
    for var, sub in (("HOME", "home"), ("XDG_CONFIG_HOME", "config"),
                     ("XDG_DATA_HOME", "data")):
        monkeypatch.setenv(var, str(tmp_path / sub))
    monkeypatch.delenv("KFOR_DESK_OPERATOR", raising=False)
    monkeypatch.delenv("KFOR_DESK_EXIT_AFTER_PAINT", raising=False)
    monkeypatch.delenv("KFOR_DESK_DB", raising=False)
    fresh = app_module.window_settings()  # Qt keeps the first settings folder of the process
    for key in ("operator", "database/last"):
        fresh.remove(key)
    fresh.sync()
    create_demo(str(tmp_path / "d.db"), 5, now=NOW,
                operator=Operator("A. Jones", "Maj", "JOC Duty Officer")).close()
    before = (tmp_path / "d.db").read_bytes()
    seen: list[tuple[str, str, str, str]] = []

    def exec_(self: OperatorDialog) -> int:  # what the officer sees, then Cancel (quit)
        self.show()
        first = self.name.text()
        deadline = QDeadlineTimer(10_000)
        while not self.name.text() and not deadline.hasExpired():
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        seen.append((first, self.name.text(), self.appointment.text(), self.intro.text()))
        assert self.name.selectedText() == self.name.text()  # typing replaces it
        self.hide()
        return int(QDialog.DialogCode.Rejected)

    monkeypatch.setattr(OperatorDialog, "exec", exec_)
    import logging

    logger = logging.getLogger("kfor_desk")
    handlers, level = list(logger.handlers), logger.level
    try:
        assert app_module.run(str(tmp_path / "d.db")) == 0
    finally:
        for h in logger.handlers[:]:
            if h not in handlers:
                logger.removeHandler(h)
                h.close()
        logger.setLevel(level)
    [(first, name, appointment, intro)] = seen
    assert first == ""  # shown before the database was read
    assert (name, appointment) == ("Maj A. Jones", "JOC Duty Officer")
    assert "Maj A. Jones (JOC Duty Officer) made the last entry on this desk" in intro
    assert (tmp_path / "d.db").read_bytes() == before  # only read


def test_an_offer_read_late_does_not_replace_typed_input(qtbot: QtBot) -> None:
    dlg = OperatorDialog()
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    assert dlg.offer(LAST)
    assert (dlg.name.text(), dlg.rank.text()) == ("J. Smith", "Capt")
    with qtbot.waitSignal(dlg.chosen) as got:
        qtbot.keyClick(dlg.name, Qt.Key.Key_Return)
    assert got.args == [LAST]
    typed = OperatorDialog()
    qtbot.addWidget(typed)
    typed.show()
    qtbot.waitExposed(typed)
    qtbot.keyClicks(typed.name, "Lt Day")
    assert not typed.offer(LAST)
    assert typed.name.text() == "Lt Day" and typed.rank.text() == ""


def test_idle_guard_asks_on_the_first_input_after_the_limit(qtbot: QtBot) -> None:
    now = [1000.0]
    asked: list[int] = []
    edit = QLineEdit()
    qtbot.addWidget(edit)
    edit.show()
    qtbot.waitExposed(edit)
    edit.setFocus()
    guard = IdleShiftGuard(lambda: asked.append(1), 8, clock=lambda: now[0])
    try:
        qtbot.keyClicks(edit, "ab")
        now[0] += 7.9 * 3600
        qtbot.keyClicks(edit, "c")
        assert asked == [] and edit.text() == "abc"
        now[0] += 8.1 * 3600
        qtbot.keyClicks(edit, "d")  # wakes the desk: asks, and the key is not typed
        assert asked == [1] and edit.text() == "abc"
        qtbot.keyClicks(edit, "e")
        assert asked == [1] and edit.text() == "abce"
        guard.hours = 0  # off
        now[0] += 100 * 3600
        qtbot.keyClicks(edit, "f")
        assert asked == [1] and edit.text() == "abcef"
    finally:
        guard.stop()


def test_idle_hours_setting(tmp_path: Path) -> None:
    s = QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    assert idle_hours(s) == 8
    s.setValue("shift/idle_hours", "4.5")
    assert idle_hours(s) == 4.5
    s.setValue("shift/idle_hours", "soon")
    assert idle_hours(s) == 8


def test_after_idle_a_new_officer_takes_over_in_the_window(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(errors, "presenter", lambda box: None)
    desk = create_demo(str(tmp_path / "d.db"), 20, now=NOW)
    desk.clock = lambda: NOW
    w = MainWindow(desk, str(tmp_path / "d.db"),
                   QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat), tray=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(w.is_ready, timeout=20_000)
    now = [0.0]
    guard = IdleShiftGuard(partial(app_module.ask_after_idle, w, 8), 8, clock=lambda: now[0])
    seen: list[Any] = []

    def answer() -> None:
        dlg = QApplication.activeModalWidget()
        assert isinstance(dlg, OperatorDialog)
        seen.append(dlg.name.text())
        qtbot.keyClicks(dlg.name, "Lt Night")
        qtbot.keyClick(dlg.name, Qt.Key.Key_Return)

    try:
        before = w.desk.operator
        now[0] += 9 * 3600
        QTimer.singleShot(0, answer)
        qtbot.keyClick(w.saf_table, Qt.Key.Key_Down)
        assert seen == [before.name]
        assert w.desk.operator.name == "Lt Night"
        assert "Lt Night" in w.operator_label.text()
    finally:
        guard.stop()
        w.close()
        desk.close()
