"""Markings are never covered (issue 15 item 4): EXERCISE, "On shift" and the database stay in
the status bar while messages and menu hints show; and the first start fits a 1366×768 screen
(item 10)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSettings, Qt
from PySide6.QtGui import QFontMetrics, QStatusTipEvent
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionViewItem, QTableView
from pytestqt.qtbot import QtBot

from kfor_desk.domain.exchange import FORMAT, notification_to_dict
from kfor_desk.domain.timefmt import format_dtg
from kfor_desk.services.demo import create_demo
from kfor_desk.services.desk import Desk
from kfor_desk.services.exchange import import_json
from kfor_desk.ui import errors, palette
from kfor_desk.ui.main_window import MainWindow
from kfor_desk.ui.window.state import right_pane_width
from tests.factories import NOW, make_notification

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


def _marks_visible(w: MainWindow) -> bool:
    return all(lab.isVisible() and not lab.visibleRegion().isEmpty()
               for lab in (w.exercise_label, w.operator_label, w.db_label))


def test_messages_and_menu_hints_never_cover_the_markings(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(errors, "presenter", lambda box: None)
    desk = create_demo(str(tmp_path / "d.db"), 20, now=NOW)
    desk.clock = lambda: NOW
    w = MainWindow(desk, str(tmp_path / "d.db"),
                   QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat), tray=False)
    qtbot.addWidget(w)
    w.resize(1366, 740)
    w.show()
    try:
        qtbot.waitUntil(w.is_ready, timeout=20_000)
        assert _marks_visible(w)
        assert "On shift" in w.operator_label.text() and "d.db" in w.db_label.text()
        w.statusBar().showMessage("Daily brief written to /some/long/folder/brief.pdf.", 10_000)
        qtbot.wait(20)
        assert w.statusBar().currentMessage().startswith("Daily brief written")
        assert _marks_visible(w)
        # a menu hint (status tip) as hovering a menu entry sends it
        QApplication.sendEvent(w, QStatusTipEvent("Write the daily deconfliction brief"))
        qtbot.wait(20)
        assert _marks_visible(w)
        w.set_operator(type(w.desk.operator)("Lt Night"))  # "… is now on shift." message
        qtbot.wait(20)
        assert _marks_visible(w) and "Lt Night" in w.operator_label.text()
    finally:
        w.close()
        desk.close()


def test_first_start_fills_the_screen(qtbot: QtBot, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(errors, "presenter", lambda box: None)
    w = MainWindow(None, str(tmp_path / "d.db"),
                   QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat), tray=False)
    qtbot.addWidget(w)
    screen = w.screen().availableGeometry()
    assert w.windowState() & Qt.WindowState.WindowMaximized  # the whole screen, any size
    assert w.width() <= max(screen.width(), w.minimumSizeHint().width())
    w.close()


def _import_numbered(desk: Desk, folder: Path, regno: str) -> None:
    """One SAF record numbered ``regno``, imported as a kfor-desk/1 file (numbers kept)."""
    doc = {"format": FORMAT, "exported_at": "2026-11-26T17:00:00Z",
           "exercise_notifications": [notification_to_dict(make_notification(
               register_no=regno))], "consent_requests": []}
    src = folder / "numbered.json"
    src.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert import_json(desk, src).imported == [regno]


def _shown_whole(table: QTableView, key: str, text: str) -> bool:
    """The cell of column ``key`` that shows ``text`` has room for all of it, in the font,
    text rectangle and margins the table's delegate and style draw it with."""
    model = table.model()
    col = model.column_index(key)  # type: ignore[attr-defined]
    rows = [r for r in range(model.rowCount()) if model.index(r, col).data() == text]
    assert rows, f"{text} is not in the register's {key} column"
    index = model.index(rows[0], col)
    option = QStyleOptionViewItem()
    table.initViewItemOption(option)
    option.rect = QRect(0, 0, table.horizontalHeader().sectionSize(col), table.rowHeight(0))
    table.itemDelegateForIndex(index).initStyleOption(option, index)
    text_rect = table.style().subElementRect(QStyle.SubElement.SE_ItemViewItemText, option,
                                             table)
    # the style draws the text inside the focus frame's margin and one pixel more, each side
    # (QCommonStyle's viewItemDrawText), eliding what does not fit there
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
    room = text_rect.width() - 2 * margin
    return QFontMetrics(option.font).horizontalAdvance(option.text) <= room


def test_register_columns_fit_at_1366(qtbot: QtBot, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Item 10: on a first start at 1366×768 the SAF register shows its Attention column whole
    (the name, place and period columns give way); saved widths are left alone. In the app's
    own font (at least 10 pt), a register number of five digits and the received DTG are
    shown whole (issue 17: at 100,000 records "SAF-2026-12…" was all one saw)."""
    monkeypatch.setattr(errors, "presenter", lambda box: None)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    palette.apply_palette(app)  # as app.run: the Fusion style, the day palette, 10 pt
    desk = create_demo(str(tmp_path / "d.db"), 20, now=NOW)
    desk.clock = lambda: NOW
    _import_numbered(desk, tmp_path, "SAF-2026-12345")  # a desk's 12,345th SAF record
    settings = QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    w = MainWindow(desk, str(tmp_path / "d.db"), settings, tray=False)
    qtbot.addWidget(w)
    w.setWindowState(Qt.WindowState.WindowNoState)
    w.resize(1366, 740)
    right = right_pane_width(1366)  # what a first start on a 1366 screen gives the detail
    w.main_split.setSizes([1366 - right, right])
    w.show()
    try:
        qtbot.waitUntil(w.is_ready, timeout=20_000)
        t = w.saf_table
        hh = t.horizontalHeader()
        att = w.notifications.column_index("attention")
        qtbot.waitUntil(lambda: not t.fit_pending)
        end = hh.sectionViewportPosition(att) + hh.sectionSize(att)
        assert hh.sectionSize(att) >= 100
        assert end <= t.viewport().width() + 1
        assert hh.sectionSize(w.notifications.column_index("title")) >= 92
        assert _shown_whole(t, "regno", "SAF-2026-12345")  # a register number is never cut
        assert _shown_whole(t, "received", format_dtg(NOW - timedelta(hours=3)))
        # the KSF register (more columns) fits too, when first shown
        detail_width = w.detail.width()
        w.tabs.setCurrentWidget(w.ksf_table)
        k, khh = w.ksf_table, w.ksf_table.horizontalHeader()
        katt = w.requests.column_index("attention")
        qtbot.waitUntil(lambda: not k.fit_pending)
        qtbot.waitUntil(lambda: khh.sectionViewportPosition(katt) + khh.sectionSize(katt)
                        <= k.viewport().width() + 1, timeout=3000)
        assert khh.sectionSize(katt) >= khh.fontMetrics().horizontalAdvance("Attention")
        # the Conflicts tab does not widen the left side (squeezing the detail pane)
        assert w.conflicts is not None
        w.tabs.setCurrentWidget(w.conflicts)
        qtbot.wait(50)
        assert abs(w.detail.width() - detail_width) <= 2
        regno = w.notifications.column_index("regno")
        whole = t.columnWidth(regno)
        t.setColumnWidth(regno, 100)  # a width saved narrower (an older version's default)
        w.save_state()
    finally:
        w.close()
    w2 = MainWindow(None, str(tmp_path / "d.db"), settings, tray=False)
    qtbot.addWidget(w2)
    assert not w2.saf_table.fit_pending  # widths were saved: the officer's own from now on
    assert w2.saf_table.columnWidth(regno) == whole  # ... but never one that cuts a number
    w2.close()
    desk.close()


@pytest.mark.qt_log_ignore("This plugin does not support raise",
                           "This plugin does not support grabbing the keyboard")
def test_workflow_steps_and_sorting_by_keyboard(qtbot: QtBot, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Item 3: workflow steps have shortcuts acting on the selection (shown in the menus; a
    key with no step for the record says so); registers sort by keyboard (Ctrl+Shift+S opens
    "Sort by")."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMenu

    from kfor_desk.ui.actions import ActionDialog

    monkeypatch.setattr(errors, "presenter", lambda box: None)
    desk = create_demo(str(tmp_path / "d.db"), 20, now=NOW)
    desk.clock = lambda: NOW
    w = MainWindow(desk, str(tmp_path / "d.db"),
                   QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat), tray=False)
    qtbot.addWidget(w)
    w.show()
    try:
        qtbot.waitUntil(w.is_ready, timeout=20_000)
        qtbot.waitUntil(lambda: not w.is_readonly(), timeout=20_000)
        w.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
        received = desk.register(make_notification()).record
        w.refresh()
        qtbot.waitUntil(lambda: w.notifications.row_of(received.register_no or "") is not None,
                        timeout=20_000)
        assert w.select_record(received.register_no or "")
        # the new row's record: the registers' whole read or the detail pane's own read
        qtbot.waitUntil(lambda: w.selected_record() is not None, timeout=20_000)
        w.commands.fill_workflow_menu(w.m_workflow, w.selected_record())
        assert any(a.text().endswith("\tCtrl+Shift+A") for a in w.m_workflow.actions())
        w.saf_table.setFocus()
        opened: list[object] = []
        monkeypatch.setattr(w.dialogs, "_open", opened.append)
        qtbot.keyClick(w.saf_table, Qt.Key.Key_A,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        assert len(opened) == 1 and isinstance(opened[0], ActionDialog)
        assert opened[0].action.value == "acknowledge"
        opened[0].close()
        qtbot.keyClick(w.saf_table, Qt.Key.Key_W,  # withdraw: a KSF step, not this record's
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        assert len(opened) == 1 and "no step on Ctrl+Shift+W" in w.statusBar().currentMessage()

        chosen: list[str] = []

        def pick() -> None:
            menu = QApplication.activePopupWidget()
            assert isinstance(menu, QMenu)
            act = next(a for a in menu.actions() if a.text().startswith("Register no.")
                       and "↑" in a.text())
            chosen.append(act.text())
            menu.setActiveAction(act)
            qtbot.keyClick(menu, Qt.Key.Key_Return)

        w.saf_table.setFocus()
        QTimer.singleShot(200, pick)
        qtbot.keyClick(w.saf_table, Qt.Key.Key_S,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        qtbot.waitUntil(lambda: bool(chosen), timeout=3000)
        regnos = [w.notifications.record_at(i).register_no  # type: ignore[union-attr]
                  for i in range(w.notifications.rowCount())]
        assert regnos == sorted(regnos)
    finally:
        w.close()
        desk.close()
