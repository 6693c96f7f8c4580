"""run_task: work on a worker thread, results and errors back on the GUI thread."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from kfor_desk.ui.tasks import Cancelled, Progress, active_tasks, run_task

pytestmark = pytest.mark.gui


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    w = QWidget()
    qtbot.addWidget(w)
    w.show()
    return w


def test_result_is_delivered_on_the_gui_thread(qtbot: QtBot, parent: QWidget) -> None:
    seen: dict[str, object] = {}

    def work(progress: Progress) -> int:
        seen["worker"] = threading.current_thread()
        for i in range(5):
            progress(i + 1, 5, f"step {i + 1}")
        return 42

    def done(result: object) -> None:
        seen["result"] = result
        seen["gui"] = threading.current_thread()

    handle = run_task(parent, "Counting", work, done)
    qtbot.waitUntil(lambda: "result" in seen, timeout=5000)
    assert seen["result"] == 42
    assert seen["gui"] is threading.main_thread()
    assert seen["worker"] is not threading.main_thread()
    assert handle.done and handle.dialog is None
    assert handle not in active_tasks()


def test_error_is_delivered_on_the_gui_thread(qtbot: QtBot, parent: QWidget) -> None:
    seen: dict[str, object] = {}

    def work(progress: Progress) -> None:
        raise ValueError("the file is not a kfor-desk/1 export")

    def error(exc: BaseException) -> None:
        seen["error"] = exc
        seen["gui"] = threading.current_thread()

    run_task(parent, "Import", work, lambda _r: seen.setdefault("result", _r), error)
    qtbot.waitUntil(lambda: "error" in seen, timeout=5000)
    assert isinstance(seen["error"], ValueError)
    assert "kfor-desk/1" in str(seen["error"])
    assert seen["gui"] is threading.main_thread()
    assert "result" not in seen


def test_cancel_stops_work_that_checks(qtbot: QtBot, parent: QWidget) -> None:
    seen: dict[str, object] = {}
    started = threading.Event()

    def work(progress: Progress) -> str:
        started.set()
        for i in range(500):
            progress.check()
            progress(i, 500)
            time.sleep(0.01)
        return "finished"

    handle = run_task(parent, "Exporting", work, lambda r: seen.setdefault("result", r),
                      on_cancel=lambda: seen.setdefault("cancelled", True))
    assert started.wait(5)
    handle.cancel()
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen == {"cancelled": True}
    assert isinstance(Cancelled(), Exception)


def test_progress_dialog_follows_the_work(qtbot: QtBot, parent: QWidget) -> None:
    gate = threading.Event()
    seen: dict[str, object] = {}

    def work(progress: Progress) -> None:
        progress(3, 10, "Record 3 of 10")
        gate.wait(5)

    handle = run_task(parent, "Demo data", work, lambda r: seen.setdefault("done", True))
    dlg = handle.dialog
    assert dlg is not None
    qtbot.waitUntil(lambda: dlg.value() == 3, timeout=5000)
    assert dlg.maximum() == 10
    assert dlg.labelText() == "Record 3 of 10"
    gate.set()
    qtbot.waitUntil(lambda: "done" in seen, timeout=5000)
