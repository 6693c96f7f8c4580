"""The window's search box and ``kfor-desk find`` give the same answer, in every script and case
(issue 15 item 1), typed into the real search field of the real window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from kfor_desk.services.demo import create_demo
from kfor_desk.services.search import find
from kfor_desk.ui import errors
from kfor_desk.ui.main_window import MainWindow
from tests.factories import NOW

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


def type_text(widget: QWidget, text: str) -> None:
    """Type any Unicode text as key presses (QTest's keyClicks knows ASCII only)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown,
                                                     Qt.KeyboardModifier.NoModifier, ch))


def test_window_search_and_find_agree(qtbot: QtBot, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(errors, "presenter", lambda box: None)
    desk = create_demo(str(tmp_path / "d.db"), 60, now=NOW)
    desk.clock = lambda: NOW
    settings = QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    w = MainWindow(desk, str(tmp_path / "d.db"), settings, tray=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(w.is_ready, timeout=20_000)
    try:
        for text in ("vezba", "Vežba", "вежба", "VEŽBA", "kopaonik", "Копаоник", "zvecan",
                     "ЗВЕЧАН"):
            qtbot.keyClick(w, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
            w.filter_bar.search.selectAll()
            type_text(w.filter_bar.search, text)
            qtbot.waitUntil(lambda t=text: w.notifications.filter().text == t, timeout=5000)
            shown = {m.record_at(i).register_no  # type: ignore[union-attr]
                     for m in (w.notifications, w.requests) for i in range(m.rowCount())}
            assert shown == {f.register_no for f in find(desk, text)}, text
            if text in ("vezba", "вежба"):
                names = [w.notifications.record_at(i).name  # type: ignore[union-attr]
                         for i in range(w.notifications.rowCount())]
                assert any("Вежба" in n for n in names) and any("Vežba" in n for n in names)
    finally:
        w.close()
        desk.db.close()


def test_ctrl_f_on_the_conflicts_tab_stays_and_narrows_the_pairs(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 15 item 3: Ctrl+F on the Conflicts tab no longer jumps to a register; the words
    narrow the pairs and the registers follow."""
    monkeypatch.setattr(errors, "presenter", lambda box: None)
    desk = create_demo(str(tmp_path / "d.db"), 60, now=NOW)
    desk.clock = lambda: NOW
    settings = QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    w = MainWindow(desk, str(tmp_path / "d.db"), settings, tray=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(w.is_ready, timeout=20_000)
    try:
        assert w.conflicts is not None
        conflicts = w.conflicts
        w.tabs.setCurrentWidget(conflicts)
        qtbot.waitUntil(lambda: conflicts.model.rowCount() > 0, timeout=20_000)
        first = conflicts.model.rows()[0]
        w.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
        qtbot.keyClick(w, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        assert w.tabs.currentWidget() is conflicts
        assert QApplication.focusWidget() is w.filter_bar.search
        assert not w.filter_bar.status.isEnabled()  # only the words apply there
        qtbot.keyClicks(w.filter_bar.search, first.a)
        qtbot.waitUntil(lambda: w.notifications.filter().text == first.a)  # registers follow
        shown = conflicts.shown_rows()
        assert shown and all(first.a in (r.a, r.b) for r in shown)
        assert len(shown) < conflicts.model.rowCount() or \
            all(first.a in (r.a, r.b) for r in conflicts.model.rows())
    finally:
        w.close()
        desk.close()


def test_down_from_the_search_goes_to_the_rows_found(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keyboard walk: Ctrl+F, type, ↓ — the register has the focus, its first row selected
    and shown in the detail pane."""
    monkeypatch.setattr(errors, "presenter", lambda box: None)
    desk = create_demo(str(tmp_path / "d.db"), 40, now=NOW)
    desk.clock = lambda: NOW
    settings = QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    w = MainWindow(desk, str(tmp_path / "d.db"), settings, tray=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(w.is_ready, timeout=20_000)
    try:
        w.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
        qtbot.keyClick(w, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        assert QApplication.focusWidget() is w.filter_bar.search
        qtbot.keyClicks(w.filter_bar.search, "SAF-2026")
        qtbot.keyClick(w.filter_bar.search, Qt.Key.Key_Down)
        assert QApplication.focusWidget() is w.saf_table
        rec = w.selected_record()
        assert rec is not None and rec.register_no == \
            w.notifications.record_at(0).register_no  # type: ignore[union-attr]
        qtbot.waitUntil(lambda: w.detail.record() is not None)
        assert w.detail.record().register_no == rec.register_no  # type: ignore[union-attr]
        assert w.saf_table.selectionModel().isRowSelected(0)  # selected, not only current
        qtbot.keyClick(w.saf_table, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
        assert w.detail.tabs.currentWidget() is w.detail.history
        assert QApplication.focusWidget() is w.detail.history
        qtbot.waitUntil(lambda: w.detail.history_entries() >= 1)  # read off the GUI thread
        # on the Conflicts tab ↓ selects the first pair shown
        assert w.conflicts is not None
        w.tabs.setCurrentWidget(w.conflicts)
        qtbot.waitUntil(lambda: w.conflicts.model.rowCount() > 0, timeout=20_000)  # type: ignore[union-attr]
        qtbot.keyClick(w, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(w.filter_bar.search, Qt.Key.Key_Down)
        assert QApplication.focusWidget() is w.conflicts.table
        pair = w.conflicts.selected_row()
        assert pair is not None
        # the pair's record is shown beside it; the tab stays
        qtbot.waitUntil(lambda: w.detail.record() is not None
                        and w.detail.record().register_no == pair.a)  # type: ignore[union-attr]
        assert w.tabs.currentWidget() is w.conflicts
        qtbot.keyClick(w.conflicts.table, Qt.Key.Key_Right)  # the KSF record's column
        qtbot.waitUntil(lambda: w.detail.record().register_no == pair.b)  # type: ignore[union-attr]
        assert w.tabs.currentWidget() is w.conflicts
    finally:
        w.close()
        desk.close()
