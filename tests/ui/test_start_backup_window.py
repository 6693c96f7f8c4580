"""The window after the deferred checks (issue 17): a new record can be saved as soon as they
pass, without waiting for the registers' read, while the start backup is still being made (its
copy after the registers are shown); the status bar says it is being made and what became of
it; Restore… waits for it."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from kfor_desk.services import backup as backup_mod
from kfor_desk.services.backups import list_backups
from kfor_desk.services.demo import create_demo
from kfor_desk.ui.main_window import MainWindow
from kfor_desk.ui.window import checking as checking_mod
from kfor_desk.ui.window import refresh as refresh_mod
from kfor_desk.ui.window.checking import (
    START_BACKUP_FAILED_LABEL,
    START_BACKUP_LABEL,
    START_BACKUP_RUNNING,
)
from tests.factories import NOW, make_notification
from tests.ui.test_data_safety_window import Windows, _deferred

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    path = tmp_path / "desk.db"
    create_demo(str(path), 24, now=NOW).db.close()
    return path


@pytest.fixture
def windows(qtbot: QtBot, settings: QSettings, shown: list[QMessageBox]) -> Iterator[Windows]:
    ws = Windows(qtbot, settings)
    yield ws
    ws.close_all()
    assert ws.exit_warnings == []


@pytest.fixture
def held_copy(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The copy of every backup waits for the test to let it go."""
    go = threading.Event()
    real = backup_mod.copy_database

    def held(*args: Any, **kw: Any) -> None:
        assert go.wait(30)
        real(*args, **kw)

    monkeypatch.setattr(backup_mod, "copy_database", held)
    yield go
    go.set()


def _names(path: Path) -> set[str]:
    con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return {str(r[0]) for r in con.execute("SELECT name FROM notifications")}
    finally:
        con.close()


def test_writable_while_the_start_backup_is_made(
        windows: Windows, demo_path: Path, qtbot: QtBot, held_copy: threading.Event) -> None:
    opened = _deferred(demo_path)
    w = windows.open(opened)
    qtbot.waitUntil(lambda: not w.safety.pending_checks, timeout=30_000)
    # the checks passed: writable, and the start backup not made yet (its copy is held)
    assert not w.is_readonly() and w.act_new_saf.isEnabled() and w.act_new_ksf.isEnabled()
    assert w.guard.start_backup_running
    label = w.guard.backup_label
    assert label.isVisible() and label.text() == START_BACKUP_LABEL
    assert label.toolTip() == START_BACKUP_RUNNING
    assert not w.act_restore.isEnabled()  # it would replace the file being copied
    assert w.restore_newest() is None
    assert not w.warning_banner.isVisible() and not w.readonly_banner.isVisible()
    assert list_backups(demo_path, opened.result.backup_folder) == []
    w.desk.register(make_notification(name="Saved while backing up"))  # the window's desk
    held_copy.set()
    qtbot.waitUntil(lambda: not w.guard.start_backup_running, timeout=30_000)
    starts = [b for b in list_backups(demo_path, opened.result.backup_folder)
              if b.reason == "start"]
    assert len(starts) == 1 and w.safety.newest_backup == starts[0].path
    assert not label.isVisible()
    assert "Start backup made" in w.statusBar().currentMessage()
    assert starts[0].path.name in w.statusBar().currentMessage()
    assert w.act_restore.isEnabled() and not w.is_readonly()
    assert "Saved while backing up" in _names(demo_path)
    assert "Saved while backing up" not in _names(starts[0].path)  # the file as checked


def test_a_failed_start_backup_is_said_and_the_window_stays_writable(
        windows: Windows, demo_path: Path, qtbot: QtBot) -> None:
    (demo_path.parent / "backups").write_text("not a folder")  # no backup can be made there
    w = windows.open(_deferred(demo_path))
    qtbot.waitUntil(lambda: not w.safety.pending_checks and not w.guard.start_backup_running,
                    timeout=30_000)
    label = w.guard.backup_label  # stays, whatever other messages come and go
    assert label.isVisible() and label.text() == START_BACKUP_FAILED_LABEL
    assert label.toolTip().startswith("The backup on start failed")
    assert "Back up now" in label.toolTip()
    assert w.warning_banner.isVisible() and "backup on start failed" in w.warning_banner.text()
    assert not w.is_readonly() and w.act_new_saf.isEnabled()
    (demo_path.parent / "backups").unlink()  # the folder can be made again: back up by hand
    w.act_backup.trigger()
    qtbot.waitUntil(lambda: "Backed up to" in w.statusBar().currentMessage(), timeout=20_000)
    assert not label.isVisible()


def test_saving_does_not_wait_for_the_registers(
        windows: Windows, demo_path: Path, qtbot: QtBot, settings: QSettings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The checks run beside the registers' read, not behind it: with the read held, the
    window becomes writable (the read's head start, :data:`CHECKS_HEAD_START_S`, is short);
    the registers fill in when the read is let go."""
    go = threading.Event()
    real = refresh_mod.load_registers

    def held(desk: Any) -> Any:
        assert go.wait(30)
        return real(desk)

    monkeypatch.setattr(refresh_mod, "load_registers", held)
    opened = _deferred(demo_path)
    opened.desk.clock = lambda: NOW
    w = MainWindow(opened.desk, opened.location, settings, tray=False, safety=opened.result)
    w.warn_at_exit = windows.exit_warnings.append
    qtbot.addWidget(w)
    windows.opened.append(w)
    w.show()
    try:
        with qtbot.waitSignal(w.editable, timeout=30_000):
            pass
        assert not w.registers_ready() and w.act_new_saf.isEnabled()
        w.desk.register(make_notification(name="Saved before the registers"))
        # the start backup's copy lets the registers' read go first (its state is held)
        qtbot.wait(1500)
        folder = demo_path.parent / "backups"
        assert w.guard.start_backup_running
        assert not folder.exists() or list(folder.iterdir()) == []
    finally:
        go.set()
    qtbot.waitUntil(w.is_ready, timeout=30_000)
    assert "Saved before the registers" in _names(demo_path)
    qtbot.waitUntil(lambda: not w.guard.start_backup_running, timeout=30_000)
    starts = [b.path for b in list_backups(demo_path) if b.reason == "start"]
    assert len(starts) == 1 and "Saved before the registers" not in _names(starts[0])


def test_the_checks_give_the_registers_read_a_head_start(
        windows: Windows, demo_path: Path, qtbot: QtBot, settings: QSettings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Both are Python on one interpreter lock: the checks on open begin once the registers
    are shown, or when the read's head start is over. With a long head start and the read
    held, they do not begin; let go, the registers are shown first, then it is writable."""
    monkeypatch.setattr(checking_mod, "CHECKS_HEAD_START_S", 30.0)
    go = threading.Event()
    real = refresh_mod.load_registers
    began: list[bool] = []  # per start of the checks: were the registers shown by then?
    made: list[MainWindow] = []  # the window, once built (the checks may start inside it)

    def held(desk: Any) -> Any:
        assert go.wait(30)
        return real(desk)

    from kfor_desk.services import opening

    real_checks = opening.finish_checks

    def checks(*args: Any, **kw: Any) -> Any:
        began.append(bool(made) and made[0].registers_ready())
        return real_checks(*args, **kw)

    monkeypatch.setattr(refresh_mod, "load_registers", held)
    monkeypatch.setattr(opening, "finish_checks", checks)
    opened = _deferred(demo_path)
    opened.desk.clock = lambda: NOW
    w = MainWindow(opened.desk, opened.location, settings, tray=False, safety=opened.result)
    made.append(w)
    w.warn_at_exit = windows.exit_warnings.append
    qtbot.addWidget(w)
    windows.opened.append(w)
    w.show()
    try:
        qtbot.wait(1000)
        assert began == [] and not w.act_new_saf.isEnabled()  # still read-only, unchecked
    finally:
        go.set()
    with qtbot.waitSignal(w.editable, timeout=30_000):
        pass
    assert began == [True] and w.registers_ready() and w.act_new_saf.isEnabled()
