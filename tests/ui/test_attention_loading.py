"""No false all-clear (issue 15 item 6): the attention panel says "Loading…" until the records
are read, also when the reminder timer fires first, and "nothing due" only when it knows.
Registers first (issue 17): the records are shown before the conflicts are computed; until
then the Conflicts tab, the attention column and the attention list say so."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from kfor_desk.services.demo import create_demo
from kfor_desk.ui import errors
from kfor_desk.ui.main_window import MainWindow
from kfor_desk.ui.panels.attention import AttentionPanel
from tests.factories import NOW

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


def test_the_panel_says_loading_until_it_knows(qtbot: QtBot) -> None:
    p = AttentionPanel()
    qtbot.addWidget(p)
    assert "Loading…" in p.title.text() and "nothing due" not in p.title.text()
    assert not p.is_loaded()
    p.set_items([])
    assert p.is_loaded() and "nothing due" in p.title.text()
    p.set_loading()
    assert "Loading…" in p.title.text() and p.list.topLevelItemCount() == 0


def test_the_window_shows_loading_then_the_reminders(qtbot: QtBot, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(errors, "presenter", lambda box: None)
    desk = create_demo(str(tmp_path / "d.db"), 40, now=NOW)
    desk.clock = lambda: NOW
    w = MainWindow(desk, str(tmp_path / "d.db"),
                   QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat), tray=False)
    qtbot.addWidget(w)
    try:
        assert w.is_loading()
        assert "Loading…" in w.attention.title.text()
        w.refresh_attention()  # the reminder timer firing before the first read
        assert "Loading…" in w.attention.title.text()
        assert "nothing due" not in w.attention.title.text()
        w.show()
        qtbot.waitUntil(w.is_ready, timeout=20_000)
        assert w.attention.is_loaded()
        assert "Loading…" not in w.attention.title.text()
        assert w.attention.list.topLevelItemCount() > 0
        assert "reminder" in w.attention.title.text()
    finally:
        w.close()
        desk.close()


def test_the_registers_are_shown_before_the_conflicts_are_known(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        held_rest: threading.Event) -> None:
    monkeypatch.setattr(errors, "presenter", lambda box: None)
    desk = create_demo(str(tmp_path / "d.db"), 40, now=NOW)
    desk.clock = lambda: NOW
    notes, reqs = desk.records()
    w = MainWindow(desk, str(tmp_path / "d.db"),
                   QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat), tray=False)
    qtbot.addWidget(w)
    try:
        w.show()
        qtbot.waitUntil(w.registers_ready, timeout=20_000)
        # the records are there, readable and sortable…
        assert w.notifications.rowCount() == len(notes) and w.requests.rowCount() == len(reqs)
        assert not w.saf_table.is_loading() and not w.is_ready()
        # …and nothing claims to know the conflicts yet
        tab = w.tabs.tabText(w.tabs.indexOf(w.conflicts))
        assert "computing" in tab
        assert "Computing conflicts" in w.conflicts.summary.text()
        col = w.requests.column_index("attention")
        cells = {w.requests.index(i, col).data() for i in range(w.requests.rowCount())}
        assert cells == {"…"}
        assert "Computing" in w.requests.index(0, col).data(Qt.ItemDataRole.ToolTipRole)
        assert "Loading…" in w.attention.title.text()
        assert "nothing due" not in w.attention.title.text()
        held_rest.set()
        qtbot.waitUntil(w.is_ready, timeout=20_000)
        report = w.loader.report
        assert report is not None and report.conflicts  # the demo has conflicts
        n_open = len(report.open_conflicts)
        assert w.tabs.tabText(w.tabs.indexOf(w.conflicts)) == f"Conflicts ({n_open} open)"
        badges = {w.requests.index(i, col).data() for i in range(w.requests.rowCount())}
        badges |= {w.notifications.index(i, w.notifications.column_index("attention")).data()
                   for i in range(w.notifications.rowCount())}
        assert "…" not in badges and any(b.startswith("⚠") for b in badges)
        assert w.attention.is_loaded()
    finally:
        w.close()
        desk.close()
