"""No false all-clear (issue 15 item 6): the attention panel says "Loading…" until the records
are read, also when the reminder timer fires first, and "nothing due" only when it knows."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
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
