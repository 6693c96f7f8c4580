"""The conflicts panel on a real database: list, mark deconflicted (audited), reopen on amend;
the entry-time preview dialog; register badges."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from kfor_desk.domain.records import Location
from kfor_desk.services.conflicts import conflict_report, mark_history, preview
from kfor_desk.services.desk import Desk
from kfor_desk.ui.conflict_preview import ConflictPreviewDialog, confirm_preview, preview_html
from kfor_desk.ui.conflicts_panel import (
    COL_A,
    COL_B,
    COL_STATUS,
    ConflictRow,
    ConflictsPanel,
    conflict_badges,
)
from tests.factories import NOW, make_notification, make_request

# The offscreen platform cannot pass size hints of a top-level window with a layout on.
pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]

NOTE = "KSF patrol moved 12 h later after liaison with the SAF LO; COMKFOR informed."
# About 4 km south of the factory's SAF range near Raška; overlaps its period by 8 h.
NEAR_RASKA = Location(name="track near Jarinje", lat=43.25, lon=20.62)


def _pair(desk: Desk) -> tuple[str, str]:
    saf = desk.register(make_notification(name="Vežba „Ibar“ 26")).record
    ksf = desk.register(make_request(
        description="Route clearance Jarinje", locations=(NEAR_RASKA,),
        start=NOW + timedelta(days=1, hours=6), end=NOW + timedelta(days=1, hours=14),
    )).record
    # far away and at another time: no conflict
    desk.register(make_request(description="Bridge inspection",
                               start=NOW + timedelta(days=5), end=NOW + timedelta(days=5, hours=2)))
    assert saf.register_no and ksf.register_no
    return saf.register_no, ksf.register_no


class Prompt:
    """A note prompt that answers at once and remembers what it was asked about."""

    def __init__(self, answer: str | None) -> None:
        self.answer = answer
        self.asked: list[ConflictRow] = []

    def __call__(self, _parent: object, row: ConflictRow) -> str | None:
        self.asked.append(row)
        return self.answer


@pytest.fixture
def pair(desk: Desk) -> tuple[str, str]:
    return _pair(desk)


def make_panel(qtbot: QtBot, desk: Desk, prompt: Prompt) -> ConflictsPanel:
    panel = ConflictsPanel(desk, note_prompt=prompt)
    qtbot.addWidget(panel)
    panel.resize(1100, 600)
    panel.show()
    qtbot.waitExposed(panel)
    panel.set_report(conflict_report(desk))
    return panel


def status_of(panel: ConflictsPanel, row: int = 0) -> str:
    return str(panel.model.index(row, COL_STATUS).data())


def test_lists_the_conflict_open(qtbot: QtBot, desk: Desk, pair: tuple[str, str]) -> None:
    saf, ksf = pair
    panel = make_panel(qtbot, desk, Prompt(NOTE))
    assert panel.model.rowCount() == 1
    row = panel.model.row_at(0)
    assert row is not None and row.key == (saf, ksf)
    assert panel.model.index(0, COL_A).data() == f"{saf}  Vežba „Ibar“ 26"
    assert panel.model.index(0, COL_B).data() == f"{ksf}  Route clearance Jarinje"
    assert 0 < row.distance_km < 10
    assert row.window_text == "272300ZNOV26 – 280700ZNOV26"
    assert status_of(panel) == "Open"
    assert "1</b> open" in panel.summary.text()
    # nothing selected: actions wait for a row
    assert not panel.mark_button.isEnabled() and not panel.map_button.isEnabled()
    # the flags list carries the SAF flags with their detail, most severe first
    assert panel.flags.topLevelItemCount() == len(conflict_report(desk).flags) > 0


def test_show_on_map_timeline_and_select(qtbot: QtBot, desk: Desk,
                                         pair: tuple[str, str]) -> None:
    saf, ksf = pair
    panel = make_panel(qtbot, desk, Prompt(NOTE))
    rect = panel.table.visualRect(panel.model.index(0, COL_B))
    # changed with issue 15: a click only selects; Enter ("Show record") goes to the record
    with qtbot.assertNotEmitted(panel.recordSelected):
        qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert panel.selected_pair() == (saf, ksf)
    with qtbot.waitSignal(panel.recordSelected, timeout=1000) as sel:
        qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert sel.args == [ksf]
    with qtbot.waitSignal(panel.showOnMap, timeout=1000) as on_map:
        qtbot.mouseClick(panel.map_button, Qt.MouseButton.LeftButton)
    assert on_map.args == [saf, ksf]
    with qtbot.waitSignal(panel.showOnTimeline, timeout=1000) as on_tl:
        qtbot.mouseClick(panel.timeline_button, Qt.MouseButton.LeftButton)
    assert on_tl.args == [saf, ksf]


def test_mark_deconflicted_then_amend_reopens(qtbot: QtBot, desk: Desk,
                                             pair: tuple[str, str]) -> None:
    saf, ksf = pair
    prompt = Prompt(NOTE)
    panel = make_panel(qtbot, desk, prompt)
    assert panel.select_pair(ksf, saf)
    assert panel.mark_button.isEnabled()
    with qtbot.waitSignal(panel.changed, timeout=20_000):  # the mark runs off the GUI thread
        qtbot.mouseClick(panel.mark_button, Qt.MouseButton.LeftButton)
    assert [r.key for r in prompt.asked] == [(saf, ksf)]
    assert status_of(panel) == "Deconflicted"
    assert NOTE in str(panel.model.index(0, COL_STATUS).data(Qt.ItemDataRole.ToolTipRole))
    assert not panel.mark_button.isEnabled()  # already deconflicted
    assert panel.refusal_text() == ""
    # audited on both records, the note as the reason
    for regno in (saf, ksf):
        entries = [e for e in desk.repo.history(regno) if e.entity == "conflict"]
        assert [(e.action, e.reason) for e in entries] == [("deconflict", NOTE)]
    assert [m.note for m in mark_history(desk, saf, ksf)] == [NOTE]
    assert conflict_badges(conflict_report(desk)) == {saf: "✓1", ksf: "✓1"}

    # the KSF activity is moved two hours later: still overlapping, so the pair reopens
    old = desk.repo.get(ksf)
    desk.amend(old, replace(old, start=old.start + timedelta(hours=2),
                            end=old.end + timedelta(hours=2)))
    panel.set_report(conflict_report(desk))
    assert status_of(panel) == "Reopened"
    assert panel.selected_pair() == (saf, ksf)  # selection kept across reports
    assert panel.mark_button.isEnabled()
    tip = str(panel.model.index(0, COL_STATUS).data(Qt.ItemDataRole.ToolTipRole))
    assert "changed in time or place" in tip
    assert conflict_badges(conflict_report(desk)) == {saf: "⚠1", ksf: "⚠1"}


def test_refusal_is_shown_and_nothing_marked(qtbot: QtBot, desk: Desk,
                                             pair: tuple[str, str]) -> None:
    saf, ksf = pair
    panel = make_panel(qtbot, desk, Prompt("   "))  # a blank note is refused by the service
    panel.select_pair(saf, ksf)
    with qtbot.assertNotEmitted(panel.changed):
        # the mark runs off the GUI thread; the service's refusal comes back to the banner
        assert panel.mark_selected()
        qtbot.waitUntil(lambda: not panel.is_busy(), timeout=20_000)
    assert "note is required" in panel.refusal_text()
    assert panel.banner.isVisible()
    assert status_of(panel) == "Open"
    assert mark_history(desk, saf, ksf) == []
    # cancelling the prompt does nothing at all
    panel.note_prompt = Prompt(None)
    with qtbot.assertNotEmitted(panel.changed):
        assert not panel.mark_selected()


def test_model_passes_qtmodeltester(qtmodeltester: object, qtbot: QtBot, desk: Desk,
                                    pair: tuple[str, str]) -> None:
    panel = make_panel(qtbot, desk, Prompt(NOTE))
    qtmodeltester.check(panel.model)  # type: ignore[attr-defined]


def test_empty_report(qtbot: QtBot, desk: Desk) -> None:
    panel = make_panel(qtbot, desk, Prompt(NOTE))
    assert panel.model.rowCount() == 0
    assert panel.flags.topLevelItemCount() == 0
    assert "0</b> open" in panel.summary.text()
    assert not panel.mark_selected()


# ------------------------------------------------------------------ entry-time preview
def test_preview_dialog_offers_accept_or_back(qtbot: QtBot, desk: Desk,
                                              pair: tuple[str, str]) -> None:
    saf, _ = pair
    draft = make_request(description="Second patrol", locations=(NEAR_RASKA,),
                         start=NOW + timedelta(days=1, hours=2),
                         end=NOW + timedelta(days=1, hours=4))
    result = preview(desk, draft)
    assert [c.a for c in result.conflicts] == [saf]
    html = preview_html(result, {saf: "Vežba <Ibar>"})
    assert saf in html and "Vežba &lt;Ibar&gt;" in html and "1 conflict<" in html
    dialog = ConflictPreviewDialog(result, {saf: "Vežba"})
    qtbot.addWidget(dialog)
    assert dialog.accept_button.text() == "Accept with conflict"
    assert dialog.back_button.text() == "Back to the form"
    assert dialog.back_button.isDefault()
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    dialog2 = ConflictPreviewDialog(result)
    qtbot.addWidget(dialog2)
    with qtbot.waitSignal(dialog2.rejected, timeout=1000):
        qtbot.mouseClick(dialog2.back_button, Qt.MouseButton.LeftButton)


def test_confirm_preview_skips_the_dialog_when_clear(desk: Desk, qtbot: QtBot) -> None:
    far = make_request(start=NOW + timedelta(days=9), end=NOW + timedelta(days=9, hours=2),
                       decision_due=NOW + timedelta(days=5))
    result = preview(desk, far)
    assert result.clear
    assert confirm_preview(None, result) is True
    assert "creates no conflicts" in preview_html(result)


@pytest.mark.qt_log_ignore("This plugin does not support raise",
                           "This plugin does not support grabbing the keyboard")
def test_keyboard_show_record_sort_and_note_dialog(qtbot: QtBot, desk: Desk,
                                                   pair: tuple[str, str]) -> None:
    """Issue 15 item 3: selecting stays on the tab; Show record; sorting by keyboard;
    Ctrl+Enter in the Mark deconflicted dialog."""
    from PySide6.QtWidgets import QApplication, QMenu

    from kfor_desk.ui.conflicts_panel import COL_DISTANCE, DeconflictNoteDialog

    saf, ksf = pair
    panel = make_panel(qtbot, desk, Prompt(NOTE))
    assert not panel.record_button.isEnabled()
    panel.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is panel)  # shortcuts need it
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Down)  # the first row: selected, nothing emitted
    if panel.selected_row() is None:
        panel.table.selectRow(0)
    assert panel.record_button.isEnabled()
    with qtbot.waitSignal(panel.recordSelected, timeout=1000) as sel:
        qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
    assert sel.args == [saf] or sel.args == [ksf]

    # Ctrl+Shift+S opens "Sort by"; choosing "Distance ↓" sorts by it
    chosen: list[str] = []

    def pick() -> None:
        menu = QApplication.activePopupWidget()
        assert isinstance(menu, QMenu)
        names = [a.text() for a in menu.actions()]
        chosen.extend(names)
        act = next(a for a in menu.actions() if a.text().startswith("Distance") and "↓" in a.text())
        menu.setActiveAction(act)
        qtbot.keyClick(menu, Qt.Key.Key_Return)

    from PySide6.QtCore import QTimer

    panel.table.setFocus()  # the button click took it
    QTimer.singleShot(200, pick)
    qtbot.keyClick(panel.table, Qt.Key.Key_S,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: bool(chosen), timeout=3000)
    assert any(n.startswith("Distance") for n in chosen) and len(chosen) == 2 * 5
    header = panel.table.horizontalHeader()
    assert header.sortIndicatorSection() == COL_DISTANCE
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    dists = [r.distance_km for r in panel.model.rows()]
    assert dists == sorted(dists, reverse=True)

    # the note dialog: Ctrl+Enter marks once something is written
    row = panel.model.row_at(0)
    assert row is not None
    dlg = DeconflictNoteDialog(row)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dlg)
    dlg.note.setFocus()
    qtbot.keyClick(dlg.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dlg.isVisible()  # nothing written yet
    qtbot.keyClicks(dlg.note, "Moved by 2 h after a call with the LO.")
    qtbot.keyClick(dlg.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dlg.result() == dlg.DialogCode.Accepted and not dlg.isVisible()


def test_search_words_narrow_the_pairs_in_any_script(qtbot: QtBot, desk: Desk,
                                                    pair: tuple[str, str]) -> None:
    """Issue 15 item 3: the search box's words narrow the pairs (and stay after a sort)."""
    saf, ksf = pair
    panel = make_panel(qtbot, desk, Prompt(NOTE))
    assert len(panel.shown_rows()) == panel.model.rowCount() >= 1
    panel.set_filter_text(ksf.lower())
    assert [r.key for r in panel.shown_rows()] == [(saf, ksf)]
    panel.set_filter_text("zzqq")
    assert panel.shown_rows() == []
    panel.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)  # still filtered after a sort
    assert panel.shown_rows() == []
    panel.set_filter_text("")
    assert len(panel.shown_rows()) == panel.model.rowCount()


def test_the_same_search_words_leave_the_pairs_untouched(
        qtbot: QtBot, desk: Desk, pair: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 17 (a 100,000-record desk has millions of pairs): the window hands the filter
    bar's words over at every choice (status, time, distance) and the model is reset or sorted
    at every refresh; when the words are the same, or there are none and no pair is hidden, no
    row of the table is touched (going through every pair took seconds each time)."""
    saf, ksf = pair
    panel = make_panel(qtbot, desk, Prompt(NOTE))
    touched: list[int] = []
    real = type(panel.table).setRowHidden

    def counting(table: QTableView, row: int, hide: bool) -> None:
        touched.append(row)
        real(table, row, hide)

    monkeypatch.setattr(type(panel.table), "setRowHidden", counting)
    panel.set_filter_text("")  # the filter bar's words at a status choice: none, as before
    panel.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    panel.set_report(conflict_report(desk))  # a refresh
    assert touched == [] and len(panel.shown_rows()) == panel.model.rowCount() >= 1
    panel.set_filter_text(ksf.lower())
    assert touched and [r.key for r in panel.shown_rows()] == [(saf, ksf)]
    touched.clear()
    panel.set_filter_text(f"  {ksf.upper()} ")  # the same word, another case and spacing
    assert touched == [] and [r.key for r in panel.shown_rows()] == [(saf, ksf)]
    panel.set_filter_text("zzqq")  # other words: hidden
    assert panel.shown_rows() == []
    panel.set_filter_text("")  # none: every pair shown again
    assert len(panel.shown_rows()) == panel.model.rowCount() >= 1
