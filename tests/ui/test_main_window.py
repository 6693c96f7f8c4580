"""The main window on a real demo database with a fixed clock: registers, selection → detail
pane and map, search, attention panel, status bar, shift handover, settings, state."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from kfor_desk.domain.workflow import available_actions
from kfor_desk.services.attention import Reminder
from kfor_desk.services.demo import create_demo
from kfor_desk.services.desk import Desk, Operator
from kfor_desk.ui import errors
from kfor_desk.ui.main_window import MainWindow
from tests.factories import NOW

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Desk]:
    desk = create_demo(str(tmp_path / "d.db"), 40, now=NOW)
    desk.clock = lambda: NOW
    yield desk
    desk.db.close()


@pytest.fixture
def win(qtbot: QtBot, demo: Desk, settings: QSettings, tmp_path: Path,
        shown: list[QMessageBox]) -> MainWindow:
    w = MainWindow(demo, str(tmp_path / "d.db"), settings, tray=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    wait_ready(qtbot, w)
    return w


def wait_ready(qtbot: QtBot, w: MainWindow) -> None:
    """The records (read off the GUI thread) and the map are in."""
    qtbot.waitUntil(lambda: w.is_ready() and w.detail.map is not None, timeout=20_000)


def test_the_window_paints_before_the_records_are_read(qtbot: QtBot, demo: Desk,
                                                        settings: QSettings,
                                                        tmp_path: Path) -> None:
    w = MainWindow(demo, str(tmp_path / "d.db"), settings, tray=False)
    qtbot.addWidget(w)
    # nothing read on the GUI thread: empty tables saying so, the map still to come
    assert w.is_loading() and not w.is_ready()
    assert w.notifications.rowCount() == 0 and w.requests.rowCount() == 0
    assert w.saf_table.is_loading() and w.ksf_table.is_loading()
    assert w.detail.map is None and w.detail.map_placeholder is not None
    w.show()
    qtbot.waitExposed(w)
    with qtbot.waitSignal(w.refreshed, timeout=20_000):
        pass
    notes, reqs = demo.repo.all_records()
    assert w.notifications.rowCount() == len(notes) and w.requests.rowCount() == len(reqs)
    assert not w.saf_table.is_loading() and not w.ksf_table.is_loading()
    wait_ready(qtbot, w)
    assert w.detail.map_placeholder is None
    assert set(w.detail.map.record_items()) == {r.register_no for r in [*notes, *reqs]}


def test_a_refresh_asked_for_during_a_refresh_reads_again(qtbot: QtBot,
                                                          win: MainWindow) -> None:
    calls: list[int] = []
    win.refresh(then=lambda: calls.append(1))
    win.refresh(then=lambda: calls.append(2))  # coalesced: read again once the first ends
    assert win.is_loading()
    qtbot.waitUntil(win.is_ready, timeout=20_000)
    assert calls == [1, 2]


def test_opens_on_a_demo_database(win: MainWindow, demo: Desk,
                                  shown: list[QMessageBox]) -> None:
    notes, reqs = demo.repo.all_records()
    assert win.notifications.rowCount() == len(notes)
    assert win.requests.rowCount() == len(reqs)
    assert win.exercise_label.isVisible()  # a training database
    assert "Capt Demo" in win.operator_label.text()
    assert "d.db" in win.db_label.text()
    assert "261700ZNOV26" in win.clock_label.text() and "CET" in win.clock_label.text()
    assert win.tabs.tabText(0).startswith("SAF exercise notifications")
    assert shown == []


def test_selecting_a_row_fills_the_detail_pane_and_centres_the_map(
        qtbot: QtBot, win: MainWindow) -> None:
    table = win.saf_table
    table.setCurrentIndex(win.notifications.index(3, 0))
    rec = win.notifications.record_at(3)
    assert rec is not None and rec.register_no
    shown = win.detail.record()
    assert shown is not None and shown.register_no == rec.register_no
    assert rec.register_no in win.detail.heading.text()
    assert rec.name in win.detail.fields.toPlainText()
    qtbot.waitUntil(lambda: not win.detail.is_loading())  # the history is read off the GUI
    assert win.detail.history_entries() >= 1  # at least its creation
    mapview = win.detail.map
    assert mapview is not None
    symbol = mapview.record_items()[rec.register_no]
    centre = mapview.mapToScene(mapview.viewport().rect().center())
    assert abs(centre.x() - symbol.pos().x()) < 2000
    assert abs(centre.y() - symbol.pos().y()) < 2000


def test_history_shows_field_level_changes(qtbot: QtBot, win: MainWindow, demo: Desk) -> None:
    notes, _ = demo.repo.all_records()
    acted = next(n for n in notes if n.status.value != "received")
    assert win.select_record(acted.register_no or "")
    qtbot.waitUntil(lambda: not win.detail.is_loading())  # read off the GUI thread
    tree = win.detail.history
    # changed with issue 15: labels, not stored keys, in the first column
    changes = [tree.topLevelItem(i).child(j).text(0)
               for i in range(tree.topLevelItemCount())
               for j in range(tree.topLevelItem(i).childCount())]
    assert "Status" in changes


def test_search_as_you_type_from_ctrl_f(qtbot: QtBot, win: MainWindow) -> None:
    win.tabs.setCurrentIndex(1)
    qtbot.keyClick(win, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is win.filter_bar.search
    qtbot.keyClicks(win.filter_bar.search, "zvecan")
    n = win.requests.rowCount()
    assert 0 < n < win.requests.total_count()
    assert f"{n} of" in win.filter_bar.count.text()
    for i in range(n):
        rec = win.requests.record_at(i)
        assert rec is not None
    assert f"({n} of {win.requests.total_count()})" in win.tabs.tabText(1)
    # the search applies to both registers; the SAF register has its own status filter
    win.tabs.setCurrentIndex(0)
    assert win.filter_bar.search.text() == "zvecan"
    assert win.notifications.filter().text == "zvecan"
    qtbot.keyClick(win.filter_bar.search, Qt.Key.Key_Escape)
    assert win.notifications.rowCount() == win.notifications.total_count()
    assert win.requests.rowCount() == win.requests.total_count()


def test_attention_panel_with_a_fixed_clock(win: MainWindow, demo: Desk) -> None:
    _, reqs = demo.repo.all_records()
    overdue = {r.register_no for r in reqs if r.is_overdue(NOW)}
    items = win.attention.items()
    assert overdue and overdue == {i.register_no for i in items
                                   if i.reminder is Reminder.OVERDUE}
    assert items[0].reminder is Reminder.OVERDUE
    assert "overdue" in win.attention.title.text()
    # clicking a reminder selects its record
    win.attention.list.itemClicked.emit(win.attention.list.topLevelItem(0), 0)
    shown = win.detail.record()
    assert shown is not None and shown.register_no == items[0].register_no


def test_a_new_reminder_notifies(win: MainWindow, demo: Desk) -> None:
    from datetime import timedelta

    said: list[tuple[str, str]] = []
    win.notify = lambda title, text: said.append((title, text))
    demo.clock = lambda: NOW + timedelta(hours=20)
    win.refresh_attention()
    assert said  # something became due in those 20 hours
    said.clear()
    win.refresh_attention()
    assert said == []  # nothing new


def test_hand_over_shift(qtbot: QtBot, win: MainWindow) -> None:
    dlg = win.hand_over()
    qtbot.waitExposed(dlg)
    assert dlg.name.text() == ""
    qtbot.keyClicks(dlg.name, "Marija Petrovi")
    dlg.name.insert("ć")  # QTest types ASCII only; an input method inserts the rest
    qtbot.keyClicks(dlg.rank, "Maj")
    with qtbot.waitSignal(win.operatorChanged):
        dlg.accept()
    assert win.desk.operator == Operator("Marija Petrović", "Maj", "Duty Officer")
    assert "Maj Marija Petrović" in win.operator_label.text()


def test_hand_over_needs_a_name(qtbot: QtBot, win: MainWindow) -> None:
    dlg = win.hand_over()
    qtbot.waitExposed(dlg)
    dlg.accept()
    assert dlg.isVisible() and not dlg.problem.isHidden()
    assert win.desk.operator.name == "Demo"
    dlg.reject()


def test_settings_are_saved_through_the_desk(qtbot: QtBot, win: MainWindow,
                                             demo: Desk) -> None:
    dlg = win.open_settings()
    qtbot.waitExposed(dlg)
    dlg.releasability.setText("RELEASABLE TO KFOR")
    dlg.due_soon.setValue(48)
    with qtbot.waitSignal(win.refreshed, timeout=20_000):
        dlg.accept()
    assert demo.settings().releasability == "RELEASABLE TO KFOR"
    assert demo.settings().due_soon_h == 48
    assert win.desk_settings.due_soon_h == 48
    # a refused value stays in the dialog, nothing saved
    dlg2 = win.open_settings()
    dlg2.classification.setText("   ")
    dlg2.accept()  # saved off the GUI thread: the refusal comes back to the dialog
    qtbot.waitUntil(lambda: not dlg2.is_busy(), timeout=20_000)
    assert dlg2.isVisible() and "classification" in dlg2.problem.text().lower()
    assert demo.settings().classification == "NATO UNCLASSIFIED"
    dlg2.reject()


def test_menus_offer_only_allowed_workflow_actions(win: MainWindow) -> None:
    win.tabs.setCurrentIndex(1)
    win.ksf_table.setCurrentIndex(win.requests.index(0, 0))
    rec = win.selected_record()
    assert rec is not None
    win.commands.fill_workflow_menu(win.m_workflow, rec)
    # changed with issue 15: each step shows its shortcut after a tab
    labels = [a.text().split("\t")[0] for a in win.m_workflow.actions()]
    assert labels == [f"{a.label}…" for a in available_actions(rec)] or \
        labels == ["(no further steps)"]


def test_workflow_and_record_dialogs_open(qtbot: QtBot, win: MainWindow) -> None:
    win.saf_table.setCurrentIndex(win.notifications.index(0, 0))
    rec = win.selected_record()
    assert rec is not None
    for action in available_actions(rec)[:1]:
        dlg = win.run_action(rec, action)
        assert dlg is not None and dlg.isVisible()
        dlg.confirm_discard = lambda _p: True
        dlg.reject()
    form = win.new_notification()
    assert form is not None and form.isVisible()
    form.confirm_discard = lambda _p: True
    form.reject()


def test_window_state_and_columns_are_remembered(qtbot: QtBot, win: MainWindow, demo: Desk,
                                                 settings: QSettings, tmp_path: Path) -> None:
    win.saf_table.setColumnWidth(2, 333)
    win.close()
    again = MainWindow(demo, str(tmp_path / "d.db"), settings, tray=False)
    qtbot.addWidget(again)
    assert again.saf_table.columnWidth(2) == 333
    qtbot.waitUntil(again.is_ready, timeout=20_000)
    assert again.saf_table.columnWidth(2) == 333  # the records did not change it


def test_about_box_names_the_map_attribution(win: MainWindow) -> None:
    box = win.show_about()
    text = box.text()
    assert "© OpenStreetMap contributors (ODbL)" in text
    assert "not an accredited system" in text.lower()
    box.close()


def test_errors_are_shown_as_sentences(win: MainWindow, shown: list[QMessageBox]) -> None:
    from kfor_desk.store.errors import DatabaseLocked

    errors.show_error(win, DatabaseLocked("the database is locked; wait and try again"))
    errors.show_error(win, ZeroDivisionError("division by zero"))
    assert shown[0].text() == "The database is locked; wait and try again"
    assert shown[0].detailedText() == ""
    assert shown[1].text() == "An unexpected error occurred."
    assert "ZeroDivisionError" in shown[1].detailedText()


def test_a_click_on_a_timeline_bar_selects_the_record_everywhere(qtbot: QtBot,
                                                                 win: MainWindow) -> None:
    qtbot.keyClick(win, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert win.tabs.currentWidget() is win.timeline
    qtbot.waitUntil(lambda: bool(win.timeline.lanes()))
    regno = next(r for r in win.timeline.lanes() if r.startswith("KSF"))
    bar = win.timeline.bar_rect(regno)
    assert bar is not None
    win.timeline.select(None)
    qtbot.mouseClick(win.timeline.viewport(), Qt.MouseButton.LeftButton,
                     pos=bar.center().toPoint())
    assert win.tabs.currentWidget() is win.timeline  # the operator stays on the timeline
    row = win.ksf_table.currentIndex()
    assert row.isValid() and win.requests.record_at(row.row()).register_no == regno
    shown = win.detail.record()
    assert shown is not None and shown.register_no == regno
    assert win.timeline.selected() == regno
    assert win.detail.map._selected == regno


def test_the_conflicts_tab_lists_every_pair_of_the_report_open_first(
        win: MainWindow, demo: Desk) -> None:
    """The rows are built on the loader thread: they must still be the report's pairs, with
    their titles, open and reopened before deconflicted, each group by window start."""
    from kfor_desk.services.conflicts import conflict_report

    assert win.conflicts is not None
    report = conflict_report(demo, NOW)
    rows = win.conflicts.model.rows()
    assert {r.key for r in rows} == {(t.conflict.a, t.conflict.b) for t in report.conflicts}
    assert len(rows) == len(report.conflicts) > 0
    ranks = [(0 if r.is_open else 1, r.window_start) for r in rows]
    assert ranks == sorted(ranks)
    titles = {r.register_no: r.title for r in [*demo.repo.all_records()[0],
                                                *demo.repo.all_records()[1]]}
    assert all(r.a_title == titles[r.a] and r.b_title == titles[r.b] for r in rows)
    # the timeline marks the same pairs
    assert {(c.a, c.b) for c in win.timeline._conflicts} == {r.key for r in rows}


def test_show_on_timeline_focuses_the_pair(qtbot: QtBot, win: MainWindow) -> None:
    assert win.conflicts is not None
    rows = win.conflicts.model.rows()
    assert rows, "the demo database has conflicts"
    a, b = rows[0].key
    win.conflicts.select_pair(a, b)
    qtbot.mouseClick(win.conflicts.timeline_button, Qt.MouseButton.LeftButton)
    assert win.tabs.currentWidget() is win.timeline
    assert win.timeline.focused_pair() == (a, b)
    assert win.timeline.lanes()[:2] == [a, b] or set(win.timeline.lanes()[:2]) == {a, b}
    assert win.timeline.selected() == a
    shown = win.detail.record()
    assert shown is not None and shown.register_no == a
    # and "show on map" selects and centres the first record of the pair
    win.tabs.setCurrentIndex(2)
    qtbot.mouseClick(win.conflicts.map_button, Qt.MouseButton.LeftButton)
    assert win.detail.map._selected == a


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def test_daily_brief_action_writes_a_real_pdf(qtbot: QtBot, win: MainWindow, demo: Desk,
                                              tmp_path: Path) -> None:
    asked: list[tuple[str, str]] = []
    out = tmp_path / "briefs" / "brief.pdf"
    out.parent.mkdir()

    def choose(title: str, default: str, _filters: str) -> str:
        asked.append((title, default))
        return str(out)

    opened: list[QUrl] = []
    win.choose_save_path = choose
    win.open_url = opened.append
    offers: list[QMessageBox] = []
    real_offer = win.offer_open
    win.offer_open = lambda title, path: offers.append(real_offer(title, path))  # type: ignore[method-assign]
    qtbot.keyClick(win, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(offers), timeout=30_000)
    assert asked[0][1].endswith("daily-brief-261700ZNOV26.pdf")
    text = _pdf_text(out)
    assert "NATO UNCLASSIFIED" in text
    notes, _ = demo.repo.all_records()
    assert any(n.register_no and n.register_no in text for n in notes)
    open_button = offers[0].buttons()[0]
    open_button.click()
    assert opened == [QUrl.fromLocalFile(str(out))]


def test_record_sheet_of_the_selected_record(qtbot: QtBot, win: MainWindow,
                                             tmp_path: Path) -> None:
    win.saf_table.setCurrentIndex(win.notifications.index(0, 0))
    rec = win.selected_record()
    assert rec is not None and rec.register_no
    out = tmp_path / "sheet.pdf"
    win.choose_save_path = lambda _t, default, _f: str(out)
    done: list[str] = []
    win.offer_open = lambda _t, path: done.append(path)  # type: ignore[method-assign]
    win.act_record_sheet.trigger()
    qtbot.waitUntil(lambda: bool(done), timeout=30_000)
    text = _pdf_text(out)
    assert rec.register_no in text and "NATO UNCLASSIFIED" in text


def test_an_unwritable_target_is_a_clear_message(qtbot: QtBot, win: MainWindow,
                                                 tmp_path: Path,
                                                 shown: list[QMessageBox]) -> None:
    win.choose_save_path = lambda _t, _d, _f: str(tmp_path / "no-such-folder" / "h.pdf")
    win.handover_brief()
    qtbot.waitUntil(lambda: bool(shown), timeout=30_000)
    text = shown[0].text() + shown[0].informativeText()
    assert "Shift handover could not be written" in text
    assert not (tmp_path / "no-such-folder").exists()


def test_briefs_are_offered_in_home_when_there_is_no_documents_folder(
        win: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a Documents folder the save dialog opened in the program's working folder
    (the project's own source tree in a screenshot); the home folder is offered instead."""
    home = tmp_path / "officer"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    win.qsettings.remove("paths/brief_dir")
    assert win.exchange._brief_dir() == str(home)
    (home / "Documents").mkdir()
    assert win.exchange._brief_dir() == str(home / "Documents")


def test_choosing_a_record_looks_its_conflicts_up(
        qtbot: QtBot, win: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 17: the detail pane names a record's conflicts and flags; at 100,000 records
    (3.57 million conflicts) going through the report for them held the GUI thread 0.4-0.6 s
    at every row chosen (each ↓ in a register). They are looked up in what the refresh
    indexed off the GUI thread, the same lines in the same order."""
    from kfor_desk.services.conflicts import ConflictReport

    report = win.loader.report
    assert report is not None and report.conflicts
    regno = report.conflicts[0].conflict.a
    want = [f"Conflict with {next(r for r in t.conflict.key if r != regno)}"
            for t in report.involving(regno)]
    want += [f"{f.flag.label}: {f.detail}" for f in report.flags_of(regno)]
    asked: list[str] = []
    monkeypatch.setattr(ConflictReport, "involving",
                        lambda self, r: asked.append(r) or ())  # type: ignore[func-returns-value]
    monkeypatch.setattr(ConflictReport, "flags_of",
                        lambda self, r: asked.append(r) or ())  # type: ignore[func-returns-value]
    assert win.select_record(regno)
    assert asked == []  # nothing went through the report
    text = win.detail.fields.toPlainText()
    assert want and all(line.split(":")[0] in text for line in want)
    positions = [text.index(line.split(":")[0]) for line in want]
    assert positions == sorted(positions)


def test_the_timelines_conflict_index_is_built_off_the_gui_thread(
        qtbot: QtBot, demo: Desk, settings: QSettings, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 17: who is in which conflict (for the timeline's marks and tooltips) takes
    seconds for the 3.57 million conflicts of 100,000 records; a refresh builds it on the
    loader thread and the timeline takes it as it is."""
    import threading

    from kfor_desk.ui.timeline import view as timeline_view

    built_here: list[str] = []
    real = timeline_view.conflict_index

    def watched(conflicts: Any) -> Any:
        built_here.append(threading.current_thread().name)
        return real(conflicts)

    monkeypatch.setattr(timeline_view, "conflict_index", watched)
    w = MainWindow(demo, str(tmp_path / "d.db"), settings, tray=False)
    qtbot.addWidget(w)
    w.show()
    wait_ready(qtbot, w)
    report = w.loader.report
    assert report is not None and report.conflicts
    assert built_here == []
    want: dict[str, bool] = {}
    for t in report.conflicts:
        for regno in t.conflict.key:
            want[regno] = want.get(regno, False) or t.status.value == "open"
    assert w.timeline.conflicted() == want
    w.close()
