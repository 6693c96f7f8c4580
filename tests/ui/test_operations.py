"""Data changes from the window are operations off the GUI thread that say what changed.

Through the real dialogs: the save and the workflow step run on a worker thread (the GUI thread
stays free), the dialog is busy meanwhile (input kept, Save off, a second Save saves nothing
twice), errors come back to their place with the input kept, and the changes are announced.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from kfor_desk.domain.enums import NotificationStatus
from kfor_desk.domain.records import RecordKind
from kfor_desk.domain.workflow import Action, available_actions
from kfor_desk.services.desk import Desk
from kfor_desk.services.errors import DiskFull
from kfor_desk.ui import errors as ui_errors
from kfor_desk.ui.actions import ActionDialog
from kfor_desk.ui.forms import RecordDialog
from kfor_desk.ui.operations import Changes, op_bus
from tests.factories import make_notification

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


def open_amend(qtbot: QtBot, desk: Desk) -> RecordDialog:
    old = desk.register(make_notification()).record
    dlg = RecordDialog(desk, RecordKind.SAF, old)
    qtbot.addWidget(dlg)
    dlg.confirm_discard = lambda _parent: True
    dlg.show()
    return dlg


def wrap(desk: Desk, name: str, before: Callable[[], None]) -> list[threading.Thread]:
    """Replace ``desk.<name>`` by a wrapper that notes its thread and calls ``before`` first."""
    threads: list[threading.Thread] = []
    real = getattr(desk, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread())
        before()
        return real(*args, **kwargs)

    setattr(desk, name, wrapper)
    return threads


def submit_until_saved(qtbot: QtBot, dlg: RecordDialog, got: list[object]) -> None:
    """Ctrl+Enter, and once more if the form shows a preview to confirm."""
    dlg.submit()
    qtbot.waitUntil(lambda: not dlg.is_busy(), timeout=20_000)
    if not got and dlg.preview.isVisible():
        dlg.submit()
        qtbot.waitUntil(lambda: not dlg.is_busy(), timeout=20_000)


def test_a_save_runs_off_the_gui_thread_and_announces_what_changed(qtbot: QtBot,
                                                                   desk: Desk) -> None:
    dlg = open_amend(qtbot, desk)
    regno = dlg.record.register_no if dlg.record else None
    threads = wrap(desk, "amend", lambda: None)
    announced: list[Changes] = []
    op_bus().changed.connect(lambda changes, _desk, _who: announced.append(changes))
    got: list[object] = []
    dlg.saved.connect(got.append)
    dlg.personnel.setText("321")
    submit_until_saved(qtbot, dlg, got)
    assert len(got) == 1 and len(threads) == 1
    assert threads[0] is not threading.main_thread()  # the GUI thread never waited on it
    assert announced == [Changes(frozenset({regno}), records=True)]
    assert desk.record(regno or "").personnel == 321


def test_while_saving_the_input_stays_and_a_second_save_saves_nothing(qtbot: QtBot,
                                                                     desk: Desk) -> None:
    dlg = open_amend(qtbot, desk)
    regno = dlg.record.register_no if dlg.record else ""
    release = threading.Event()
    threads = wrap(desk, "amend", lambda: release.wait(20))
    got: list[object] = []
    dlg.saved.connect(got.append)
    dlg.personnel.setText("321")
    dlg.submit()
    qtbot.waitUntil(lambda: bool(threads) or dlg.preview.isVisible(), timeout=20_000)
    if not threads:  # the preview came back with something to confirm: confirm it
        qtbot.waitUntil(lambda: not dlg.is_busy(), timeout=20_000)
        dlg.submit()
    qtbot.waitUntil(lambda: len(threads) == 1, timeout=20_000)  # the save is running
    assert dlg.is_busy() and not dlg.save_button.isEnabled()
    dlg.submit()  # a second Ctrl+Enter while the first save runs
    dlg.reject()  # Esc: the form stays until the save is back
    assert dlg.isVisible() and dlg.personnel.text() == "321"
    release.set()
    qtbot.waitUntil(lambda: bool(got), timeout=20_000)
    assert len(threads) == 1 and len(got) == 1  # saved once
    assert [e.action for e in desk.history(regno)].count("amend") == 1


def test_a_failing_save_keeps_the_input_and_says_why_at_the_top(qtbot: QtBot,
                                                                desk: Desk) -> None:
    dlg = open_amend(qtbot, desk)

    def full() -> None:
        raise DiskFull("the disk is full; nothing was saved")

    wrap(desk, "amend", full)
    got: list[object] = []
    dlg.saved.connect(got.append)
    dlg.personnel.setText("321")
    submit_until_saved(qtbot, dlg, got)
    assert got == [] and dlg.isVisible()
    assert "the disk is full" in dlg.banner.text() and dlg.banner.isVisible()
    assert dlg.personnel.text() == "321" and dlg.save_button.isEnabled()


def test_an_unexpected_error_goes_to_the_one_error_display(qtbot: QtBot, desk: Desk,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[QMessageBox] = []
    monkeypatch.setattr(ui_errors, "presenter", shown.append)
    dlg = open_amend(qtbot, desk)

    def bug() -> None:
        raise KeyError("bug")

    wrap(desk, "amend", bug)
    got: list[object] = []
    dlg.saved.connect(got.append)
    dlg.personnel.setText("321")
    submit_until_saved(qtbot, dlg, got)
    assert got == [] and dlg.isVisible() and dlg.personnel.text() == "321"
    assert len(shown) == 1 and shown[0].text() == "An unexpected error occurred."


def test_a_workflow_step_runs_off_the_gui_thread(qtbot: QtBot, desk: Desk) -> None:
    n = desk.register(make_notification()).record
    dlg = ActionDialog(desk, n, Action.ACKNOWLEDGE)
    qtbot.addWidget(dlg)
    dlg.show()
    threads = wrap(desk, "act", lambda: None)
    got: list[object] = []
    dlg.saved.connect(got.append)
    dlg.submit()
    assert dlg.is_busy() and not dlg.save_button.isEnabled()
    qtbot.waitUntil(lambda: bool(got), timeout=20_000)
    assert threads and threads[0] is not threading.main_thread()
    assert desk.record(n.register_no or "").status is NotificationStatus.ACKNOWLEDGED


def test_a_refused_step_keeps_the_input(qtbot: QtBot, desk: Desk) -> None:
    n = desk.register(make_notification()).record
    dlg = ActionDialog(desk, n, Action.CANCEL)
    qtbot.addWidget(dlg)
    dlg.confirm_discard = lambda _parent: True
    dlg.show()
    assert dlg.reason is not None
    # someone else cancels it first: the step is refused with the store's sentence
    desk.amend(n, replace(n, units="changed elsewhere"))
    dlg.reason.setPlainText("exercise called off by the SAF LO")
    dlg.submit()
    qtbot.waitUntil(lambda: not dlg.is_busy(), timeout=20_000)
    assert dlg.isVisible() and "Not saved" in dlg.banner.text()
    assert dlg.reason.toPlainText() == "exercise called off by the SAF LO"


# ------------------------------------------------------------------ the window answers changes
@pytest.fixture
def win(qtbot: QtBot, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from PySide6.QtCore import QSettings

    from kfor_desk.services.demo import create_demo
    from kfor_desk.ui.main_window import MainWindow
    from tests.factories import NOW

    monkeypatch.setattr(ui_errors, "presenter", lambda _box: None)
    demo = create_demo(str(tmp_path / "d.db"), 30, now=NOW)
    demo.clock = lambda: NOW
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    w = MainWindow(demo, str(tmp_path / "d.db"), settings, tray=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(w.is_ready, timeout=20_000)
    yield w
    demo.close()


def test_the_window_refreshes_on_a_saved_step_and_selects_the_record(qtbot: QtBot,
                                                                     win: Any) -> None:
    open_recs = [r for r in win.notifications.records()
                 if Action.CANCEL in available_actions(r)]
    rec = open_recs[0]
    dlg = win.run_action(rec, Action.CANCEL)
    assert dlg is not None
    dlg.reason.setPlainText("called off")
    with qtbot.waitSignal(win.refreshed, timeout=20_000):
        dlg.submit()
    qtbot.waitUntil(lambda: win.selected_record() is not None
                    and win.selected_record().register_no == rec.register_no, timeout=20_000)
    shown = win.notifications.records()
    assert next(r for r in shown if r.register_no == rec.register_no).status \
        is NotificationStatus.CANCELLED


def test_a_mark_in_the_conflicts_tab_refreshes_the_window(qtbot: QtBot, win: Any) -> None:
    panel = win.conflicts
    open_rows = [r for r in panel.model.rows() if r.is_open]
    assert open_rows
    panel.note_prompt = lambda _parent, _row: "moved after liaison"
    assert panel.select_pair(*open_rows[0].key)
    before = win.tabs.tabText(win.tabs.indexOf(panel))
    with qtbot.waitSignal(win.refreshed, timeout=20_000):
        assert panel.mark_selected()
    after = win.tabs.tabText(win.tabs.indexOf(panel))
    assert before != after  # one pair fewer open
    row = panel.model.rows()[panel.model.row_of(*open_rows[0].key)]
    assert row.status == "deconflicted"


def test_an_import_from_the_window_is_an_operation_the_window_answers(
        qtbot: QtBot, win: Any, tmp_path: Any) -> None:
    from kfor_desk.services.exchange import export_json
    from kfor_desk.services.session import create_desk

    other = create_desk(str(tmp_path / "other.db"), "Capt Other")
    theirs = {other.register(make_notification()).record.register_no for _ in range(25)}
    export_json(other, tmp_path / "one.json")
    other.close()
    fresh = theirs - {r.register_no for r in win.notifications.records()}
    assert fresh  # the demo has fewer notifications: the later numbers are new
    announced: list[Changes] = []
    op_bus().changed.connect(lambda changes, _desk, _who: announced.append(changes))
    before = win.notifications.total_count()
    with qtbot.waitSignal(win.refreshed, timeout=30_000):
        win.import_json(str(tmp_path / "one.json"))
    assert announced == [Changes(records=True)]
    assert win.notifications.total_count() == before + len(fresh)
