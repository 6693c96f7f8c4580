"""The detail pane's history in words (issue 15 item 9): labels, DTGs, readable values, and the
"After" column on screen without scrolling, in the real window at 1366×768."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QSettings, Qt
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
    desk: Desk = create_demo(str(tmp_path / "d.db"), 40, now=NOW)
    desk.clock = lambda: NOW
    settings = QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    w = MainWindow(desk, str(tmp_path / "d.db"), settings, tray=False)
    qtbot.addWidget(w)
    w.setWindowState(Qt.WindowState.WindowNoState)  # the offscreen screen is small: 1366 wide
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(w.is_ready, timeout=20_000)
    yield w
    desk.close()


def test_history_speaks_words_and_after_is_on_screen(qtbot: QtBot, win: MainWindow) -> None:
    notes, reqs = win.desk.records()
    decided = next(r for r in reqs if r.decision is not None)
    for rec in (decided, next(n for n in notes if n.status.value == "disseminated")):
        assert win.select_record(rec.register_no or "")
        qtbot.waitUntil(lambda: not win.detail.is_loading())  # read off the GUI thread
        win.detail.tabs.setCurrentWidget(win.detail.history)
        tree = win.detail.history
        qtbot.waitUntil(tree.isVisible)
        assert tree.topLevelItemCount() >= 2
        newest, first = tree.topLevelItem(0), tree.topLevelItem(tree.topLevelItemCount() - 1)
        assert re.match(r"\d{6}Z[A-Z]{3}\d\d  \w", newest.text(0))
        assert "Registered — " in first.text(0)
        labels = [first.child(j).text(0) for j in range(first.childCount())]
        assert "Location 1 · position" in labels and "Status" in labels
        for i in range(tree.topLevelItemCount()):
            top = tree.topLevelItem(i)
            for j in range(top.childCount()):
                row = [top.child(j).text(c) for c in range(3)]
                assert "[" not in row[0] and "_" not in row[0], row
                assert not any(re.search(r"\d{4}-\d\d-\d\dT", t) for t in row), row
                assert "under_review" not in row
        # the After column ends inside the visible width: nothing to scroll to
        header = tree.header()
        assert header.sectionViewportPosition(2) + header.sectionSize(2) \
            <= tree.viewport().width()
        assert header.sectionSize(2) >= 100
        assert not tree.horizontalScrollBar().isVisible()
    # and in a narrow pane: every column still inside the visible width
    win.main_split.setSizes([1366 - 260, 260])
    qtbot.wait(50)
    tree = win.detail.history
    header = tree.header()
    assert header.sectionViewportPosition(2) + header.sectionSize(2) \
        <= tree.viewport().width() + 1


def test_a_long_status_chip_does_not_widen_the_pane(qtbot: QtBot, win: MainWindow) -> None:
    """Issue 15 item 7: the right pane keeps its width whatever the record shows."""
    notes, reqs = win.desk.records()
    short = next(n for n in notes if n.status.value == "received")
    assert win.select_record(short.register_no or "")
    qtbot.wait(50)
    widths = (win.detail.width(), win.detail.minimumSizeHint().width())
    long_ = next((r for r in reqs if r.awaiting_communication), None) or next(
        r for r in reqs if r.status.value == "granted_with_conditions")
    assert win.select_record(long_.register_no or "")
    qtbot.wait(50)
    assert len(win.detail.status.text()) > 20
    assert win.detail.minimumSizeHint().width() <= max(widths[1], 360)
    assert win.detail.width() == widths[0]
    assert win.detail.status.width() <= 200


def test_the_history_is_read_whole_at_1366(qtbot: QtBot, win: MainWindow) -> None:
    """Issue: the history was cut at 1366×768 (every entry line and value one elided line in a
    pane of about 340 px). Every text now wraps at the width it is painted in: each row is as
    tall as its text needs there, and nothing lies beyond the visible width."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QFontMetrics

    assert win.width() == 1366
    win.main_split.setSizes([1366 - 341, 341])  # the pane's first width on a 1366 screen
    _notes, reqs = win.desk.records()
    decided = next(r for r in reqs if r.decision is not None and r.decision.conditions)
    assert win.select_record(decided.register_no or "")
    qtbot.waitUntil(lambda: not win.detail.is_loading())
    win.detail.tabs.setCurrentWidget(win.detail.history)
    tree = win.detail.history
    qtbot.waitUntil(tree.isVisible)
    qtbot.wait(50)  # the rows measured at the width shown
    margin = 4  # the cell's text margin each side
    model = tree.model()
    wrapped = 0
    checked = 0

    def check(index: QModelIndex) -> None:
        nonlocal wrapped, checked
        text = str(index.data() or "")
        if not text or tree.isColumnHidden(index.column()):
            return
        if tree.stacked() and index.column() == 2 and index.parent().isValid():
            text = f"{index.siblingAtColumn(1).data()} → {text}"  # Before goes into After
        rect = tree.visualRect(index)
        if tree.isFirstColumnSpanned(index.row(), index.parent()):
            rect.setRight(tree.viewport().width() - 1)
        font = index.data(Qt.ItemDataRole.FontRole) or tree.font()
        need = QFontMetrics(font).boundingRect(
            QRect(0, 0, rect.width() - 2 * margin, 100_000),
            int(Qt.TextFlag.TextWordWrap), text)
        assert rect.height() >= need.height(), (text, rect, need)
        if index.column() == 0 and index.parent().isValid():  # a Field label: no word cut
            assert need.width() <= rect.width() - 2 * margin, (text, rect, need)
        assert rect.right() <= tree.viewport().width(), text
        checked += 1
        wrapped += need.height() > QFontMetrics(font).height() * 1.5

    for i in range(model.rowCount()):
        top = model.index(i, 0)
        check(top)
        for j in range(model.rowCount(top)):
            for c in range(3):
                check(model.index(j, c, top))
    assert checked > 20 and wrapped >= 3  # long lines there were, and they wrapped
    assert not tree.horizontalScrollBar().isVisible()
    # too narrow for three columns whose words fit: After shows "before → after"
    assert tree.stacked() and tree.isColumnHidden(1)
    assert tree.headerItem().text(2) == "Before → After"
    # a wider pane (a larger screen) has the three columns again
    win.main_split.setSizes([1366 - 560, 560])
    qtbot.waitUntil(lambda: not tree.stacked())
    assert not tree.isColumnHidden(1) and tree.headerItem().text(2) == "After"
    win.main_split.setSizes([1366 - 341, 341])
    qtbot.waitUntil(tree.stacked)
    # a narrower pane wraps the same texts onto more lines

    def content_height() -> int:
        total = 0
        for i in range(model.rowCount()):
            top = model.index(i, 0)
            total += tree.visualRect(top).height()
            total += sum(tree.visualRect(model.index(j, 0, top)).height()
                         for j in range(model.rowCount(top)))
        return total

    before = content_height()
    win.main_split.setSizes([1366 - 280, 280])
    qtbot.waitUntil(lambda: content_height() > before)
