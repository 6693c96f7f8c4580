"""Closing the window stops the conflict step promptly: the second step of a refresh asks to
stop between chunks of its work; stopped, it is dropped with nothing shown and no error, and
closing does not wait for a whole sweep (issue: close waited ~2 min at 100,000 records). A
newer refresh does not stop it (saves faster than a sweep would never let a report show): the
step under way is shown, then the newer one runs."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from kfor_desk.services import conflicts
from kfor_desk.services.demo import create_demo
from kfor_desk.services.desk import Operator
from kfor_desk.services.errors import Stopped, check_stop
from kfor_desk.ui.main_window import MainWindow
from kfor_desk.ui.startup import Choice, StartupIO, StartupProblem, open_at_start
from tests.factories import NOW

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]

OP = Operator("Test", "Capt", "Duty Officer")
SWEEP_S = 30.0  # how long the slow sweep runs when nobody asks it to stop


class SlowSweep:
    """``find_conflicts`` that runs for :data:`SWEEP_S` unless asked to stop (or let go)."""

    def __init__(self) -> None:
        self.real = conflicts.find_conflicts
        self.started = threading.Event()
        self.stopped = threading.Event()
        self.release = threading.Event()
        self.calls = 0

    def __call__(self, records: Any, as_of: Any, settings: Any = None,
                 should_stop: Any = None) -> Any:
        self.calls += 1
        self.started.set()
        deadline = time.monotonic() + SWEEP_S
        while not self.release.is_set() and time.monotonic() < deadline:
            try:
                check_stop(should_stop)
            except Stopped:
                self.stopped.set()
                raise
            time.sleep(0.01)
        return self.real(records, as_of, settings, should_stop)


@pytest.fixture
def slow(monkeypatch: pytest.MonkeyPatch) -> Iterator[SlowSweep]:
    sweep = SlowSweep()
    monkeypatch.setattr(conflicts, "find_conflicts", sweep)
    yield sweep
    sweep.release.set()


def no_questions() -> StartupIO:
    def ask(_problem: StartupProblem) -> Choice:
        return Choice.QUIT

    return StartupIO(ask, lambda _s: None, lambda _s: None, lambda _p, _o: None)


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, settings: QSettings, shown: list[QMessageBox],
           slow: SlowSweep) -> Iterator[tuple[MainWindow, list[str], Path]]:
    """A window opened the way the app opens one (exit backup and lock at close), its
    registers shown and its conflict step under way."""
    path = tmp_path / "desk.db"
    create_demo(str(path), 24, now=NOW).db.close()
    opened = open_at_start(str(path), OP, no_questions())
    assert opened is not None
    opened.desk.clock = lambda: NOW
    w = MainWindow(opened.desk, opened.location, settings, tray=False, safety=opened.result)
    warnings: list[str] = []
    w.warn_at_exit = warnings.append  # type: ignore[method-assign]
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(w.registers_ready, timeout=20_000)
    assert slow.started.wait(20)
    yield w, warnings, path
    w.close()


def test_closing_stops_the_conflict_step_and_shows_nothing(
        window: tuple[MainWindow, list[str], Path], slow: SlowSweep, qtbot: QtBot,
        shown: list[QMessageBox]) -> None:
    w, warnings, path = window
    assert not w.is_ready()
    t = time.monotonic()
    w.close()  # waits for the loader thread, then the exit backup and the lock
    assert time.monotonic() - t < SWEEP_S / 3
    assert slow.stopped.is_set()
    qtbot.wait(100)  # the dropped task's signal is delivered: nothing shown
    assert shown == [] and warnings == []
    assert w.loader.report is None  # nothing of the stopped step was applied
    assert not Path(str(path) + ".lock").exists()


def test_newer_refreshes_never_starve_the_running_conflict_step(
        window: tuple[MainWindow, list[str], Path], slow: SlowSweep, qtbot: QtBot,
        shown: list[QMessageBox]) -> None:
    w, _warnings, _path = window
    for _ in range(3):  # saves coming faster than one sweep
        w.refresh()
        qtbot.wait(150)
    assert slow.calls == 1 and not slow.stopped.is_set()  # the step under way goes on
    refreshed: list[bool] = []
    w.refreshed.connect(lambda: refreshed.append(True))
    slow.release.set()  # it ends: its report is shown, then the three asks read once more
    qtbot.waitUntil(lambda: len(refreshed) >= 2, timeout=20_000)
    assert slow.calls == 2 and not slow.stopped.is_set()
    report = w.loader.report
    assert report is not None and report.conflicts and w.is_ready()
    assert shown == []
