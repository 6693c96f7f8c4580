"""The detail pane's record and history are read off the GUI thread: "Loading…" meanwhile, and
when the operator moves on before a read is in, the record chosen last is the one shown."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from kfor_desk.services.demo import create_demo
from kfor_desk.services.desk import Desk
from kfor_desk.ui import errors
from kfor_desk.ui.main_window import MainWindow
from tests.factories import NOW

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


@pytest.fixture
def win(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MainWindow]:
    monkeypatch.setattr(errors, "presenter", lambda box: None)
    desk: Desk = create_demo(str(tmp_path / "d.db"), 20, now=NOW)
    desk.clock = lambda: NOW
    settings = QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    w = MainWindow(desk, str(tmp_path / "d.db"), settings, tray=False)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(w.is_ready, timeout=20_000)
    yield w
    desk.close()


class Gated:
    """``desk.history`` held at a gate for one register number; notes the thread of each read."""

    def __init__(self, desk: Desk, held: str) -> None:
        self.real = desk.history
        self.held = held
        self.gate = threading.Event()
        self.reads: list[tuple[str, bool]] = []  # register number, on the GUI thread

    def __call__(self, register_no: str) -> Any:
        self.reads.append((register_no, threading.current_thread() is threading.main_thread()))
        if register_no == self.held:
            assert self.gate.wait(10)
        return self.real(register_no)


def test_selecting_two_rows_quickly_shows_the_second(
        qtbot: QtBot, win: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    model, table = win.notifications, win.saf_table
    first, second = model.record_at(2), model.record_at(5)
    assert first is not None and second is not None
    assert first.register_no and second.register_no
    gated = Gated(win.desk, first.register_no)
    monkeypatch.setattr(win.desk, "history", gated)
    table.setCurrentIndex(model.index(2, 0))
    qtbot.waitUntil(lambda: gated.reads != [])
    table.setCurrentIndex(model.index(5, 0))  # the first read is still held
    # the second record's fields at once (the register has them), its history being read
    assert win.detail.record() == second
    assert second.register_no in win.detail.heading.text()
    assert win.detail.is_loading()
    assert win.detail.history.topLevelItem(0).text(0) == "Loading…"
    gated.gate.set()  # the first read ends now, after the operator moved on
    qtbot.waitUntil(lambda: not win.detail.is_loading())
    qtbot.waitUntil(lambda: len(gated.reads) == 2)
    qtbot.wait(100)
    assert [r for r, _ in gated.reads] == [first.register_no, second.register_no]
    assert not any(on_gui for _, on_gui in gated.reads)  # never read on the GUI thread
    assert win.detail.record() == second
    assert win.detail.history_entries() == len(win.desk.history(second.register_no))
    assert second.name in win.detail.fields.toPlainText()


def test_a_record_chosen_elsewhere_says_loading_until_it_is_read(
        qtbot: QtBot, win: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    rec = win.desk.records()[1][3]
    assert rec.register_no
    gated = Gated(win.desk, rec.register_no)
    monkeypatch.setattr(win.desk, "history", gated)
    win.detail.clear()
    win.selection.show_detail(rec.register_no)  # as the attention list or the map do
    assert win.detail.record() is None and win.detail.is_loading()
    assert "Loading…" in win.detail.heading.text()
    assert rec.register_no in win.detail.heading.text()
    assert "Loading…" in win.detail.fields.toPlainText()
    assert win.detail.history_entries() == 0
    gated.gate.set()
    qtbot.waitUntil(lambda: not win.detail.is_loading())
    shown = win.detail.record()
    assert shown is not None and shown.register_no == rec.register_no
    assert rec.title in win.detail.heading.text()
    assert win.detail.history_entries() >= 1
    assert gated.reads == [(rec.register_no, False)]
    assert win.detail.tabs.tabText(0) == "Details"
