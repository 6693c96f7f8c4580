"""Registers first, whole records after (issue 17): the window shows the registers' lines of a
first read at once, reads the whole records after, and a save that lands between the two reads
is what the registers show once the whole read is in (never a stale row)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from kfor_desk.services.demo import create_demo
from kfor_desk.services.desk import Desk
from kfor_desk.ui import errors
from kfor_desk.ui.main_window import MainWindow
from tests.factories import NOW

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


@pytest.fixture
def demo_window(qtbot: QtBot, tmp_path: Path,
                monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[MainWindow, Desk]]:
    monkeypatch.setattr(errors, "presenter", lambda box: None)
    desk = create_demo(str(tmp_path / "d.db"), 40, now=NOW)
    desk.clock = lambda: NOW
    w = MainWindow(desk, str(tmp_path / "d.db"),
                   QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat), tray=False)
    qtbot.addWidget(w)
    try:
        yield w, desk
    finally:
        w.close()
        desk.close()


def _cell(model: Any, regno: str, key: str, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
    row = model.row_of(regno)
    assert row is not None
    return model.index(row, model.column_index(key)).data(role)


def test_the_lines_are_shown_first_and_the_whole_records_follow(
        qtbot: QtBot, demo_window: tuple[MainWindow, Desk],
        held_rest: threading.Event) -> None:
    w, desk = demo_window
    notes, reqs = desk.records()
    w.show()
    qtbot.waitUntil(w.registers_ready, timeout=20_000)
    m = w.notifications
    assert m.rowCount() == len(notes) and w.requests.rowCount() == len(reqs)
    # what the rows show is there; the whole records are not read yet
    several = next(n for n in notes if len(n.locations) > 1)
    regno = several.register_no
    assert regno is not None
    assert _cell(m, regno, "title") == several.name
    assert f"+{len(several.locations) - 1}" in _cell(m, regno, "location")
    assert _cell(m, regno, "location", Qt.ItemDataRole.ToolTipRole) is None
    assert m.record_at(m.row_of(regno)) is None and not m.whole()
    # sorting and the search work on the lines alone (the search text came with them)
    m.sort(m.column_index("title"), Qt.SortOrder.AscendingOrder)
    titles = [m.index(i, m.column_index("title")).data() for i in range(m.rowCount())]
    assert titles == sorted(titles, key=str.casefold)
    w.filter_bar.search.setText(regno.lower())
    qtbot.waitUntil(lambda: m.rowCount() == 1)
    assert m.line_at(0).register_no == regno
    # a row chosen now shows its record in the detail pane (read on its own), and the
    # commands act on that record
    w.saf_table.setCurrentIndex(m.index(0, 0))
    qtbot.waitUntil(lambda: w.detail.record() is not None, timeout=10_000)
    assert w.detail.record() == several and w.selection.selected_record() == several
    held_rest.set()
    qtbot.waitUntil(w.is_ready, timeout=20_000)
    assert m.whole() and m.record_at(0) == several
    assert "\n" in _cell(m, regno, "location", Qt.ItemDataRole.ToolTipRole)
    assert w.selection.selected_record() == several


def test_a_save_between_the_two_reads_is_what_the_registers_show(
        qtbot: QtBot, demo_window: tuple[MainWindow, Desk],
        held_rest: threading.Event) -> None:
    w, desk = demo_window
    w.show()
    qtbot.waitUntil(w.registers_ready, timeout=20_000)
    m = w.notifications
    old = desk.records()[0][0]
    regno = old.register_no
    assert regno is not None and _cell(m, regno, "title") == old.name
    # saved by another hand after the registers' read, before the whole read
    saved = desk.amend(old, replace(old, name="Renamed between the reads"), "test").record
    seen: list[tuple[Any, Any]] = []
    # what the registers show the moment the rest of the window shows the whole read
    w.refreshed.connect(lambda: seen.append((_cell(m, regno, "title"),
                                             m.record_at(m.row_of(regno)))))
    held_rest.set()
    qtbot.waitUntil(lambda: bool(seen), timeout=20_000)
    title, record = seen[0]
    assert title == "Renamed between the reads"
    assert record == saved and record.version == old.version + 1


def test_the_model_shows_the_same_rows_from_lines_or_whole_records(
        qtbot: QtBot, tmp_path: Path) -> None:
    """The lines of the first read show what the whole records show, cell by cell; a later
    set of lines keeps the whole record of every unchanged row and drops a changed one's."""
    from kfor_desk.services.snapshot import read_registers
    from kfor_desk.ui.models import NotificationModel, RequestModel

    desk = create_demo(str(tmp_path / "d.db"), 40, now=NOW)
    desk.clock = lambda: NOW
    try:
        regs = read_registers(desk)
        notes, reqs = desk.records()
        for cls, lines, records in ((NotificationModel, regs.notifications, notes),
                                    (RequestModel, regs.requests, reqs)):
            from_lines, from_records = cls(now=NOW), cls(now=NOW)
            from_lines.set_lines(lines, NOW)
            from_records.set_records(records, NOW)
            roles = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole,
                     Qt.ItemDataRole.FontRole)
            for row in range(from_records.rowCount()):
                for col in range(from_records.columnCount()):
                    a, b = from_lines.index(row, col), from_records.index(row, col)
                    assert [a.data(r) for r in roles] == [b.data(r) for r in roles]
            assert from_lines.records() == [] and from_records.records() == records
            from_lines.set_whole(lines, records, NOW)
            assert from_lines.whole() and from_lines.records() == records
        # one record saved since: the next lines keep every other row's whole record
        m = NotificationModel(now=NOW)
        m.set_whole(regs.notifications, notes, NOW)
        old = notes[0]
        saved = desk.amend(old, replace(old, name="Renamed"), "test").record
        m.set_lines(read_registers(desk).notifications, NOW)
        row = m.row_of(old.register_no or "")
        assert row is not None and m.record_at(row) is None
        assert m.index(row, m.column_index("title")).data() == "Renamed"
        assert m.records() == notes[1:] and not m.whole()
        m.set_whole(*_whole(desk), NOW)
        assert m.record_at(m.row_of(old.register_no or "")) == saved and m.whole()
    finally:
        desk.close()


def _whole(desk: Desk) -> tuple[Any, Any]:
    from kfor_desk.services.snapshot import read_whole

    whole = read_whole(desk)
    return whole.notification_lines, whole.notifications
