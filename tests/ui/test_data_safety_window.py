"""The window on the checks on open: a damaged database opens read-only under a red banner with
writing disabled and the file untouched; a second window on the same database is told it is in
use; "Back up now" makes a verified private backup; "Restore…" puts the newest backup in place
and the window shows its records."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from kfor_desk.services.backup import check_copy
from kfor_desk.services.backups import BackupInfo, list_backups
from kfor_desk.services.demo import create_demo
from kfor_desk.services.desk import Operator
from kfor_desk.ui.main_window import MainWindow
from kfor_desk.ui.startup import Choice, Opened, StartupIO, StartupProblem, open_at_start
from tests.factories import NOW, make_request

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]

OP = Operator("Test", "Capt", "Duty Officer")


def scripted(*answers: Choice) -> StartupIO:
    queue = list(answers)

    def ask(_problem: StartupProblem) -> Choice:
        return queue.pop(0) if queue else Choice.QUIT

    return StartupIO(ask, lambda _s: None, lambda _s: None, lambda _p, _o: None)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def counts(path: Path) -> tuple[int, int]:
    con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        n = con.execute("SELECT count(*) FROM notifications").fetchone()[0]
        r = con.execute("SELECT count(*) FROM requests").fetchone()[0]
    finally:
        con.close()
    return int(n), int(r)


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    path = tmp_path / "desk.db"
    create_demo(str(path), 24, now=NOW).db.close()
    return path


class Windows:
    """Opens windows the way the app does; closes them (exit backup, lock) at the end."""

    def __init__(self, qtbot: QtBot, settings: QSettings) -> None:
        self.qtbot = qtbot
        self.settings = settings
        self.exit_warnings: list[str] = []
        self.opened: list[MainWindow] = []

    def open(self, opened: Opened) -> MainWindow:
        opened.desk.clock = lambda: NOW
        w = MainWindow(opened.desk, opened.location, self.settings, tray=False,
                       safety=opened.result)
        w.warn_at_exit = self.exit_warnings.append
        self.qtbot.addWidget(w)
        self.opened.append(w)
        w.show()
        self.qtbot.waitExposed(w)
        # the conflicts are computed after the checks on open: while a test holds those,
        # the registers are what is shown
        self.qtbot.waitUntil(lambda: w.is_ready() or (w.guard.pending_checks()
                                                      and w.registers_ready()), timeout=20_000)
        return w

    def close_all(self) -> None:
        for w in self.opened:
            w.close()


@pytest.fixture
def windows(qtbot: QtBot, settings: QSettings, shown: list[QMessageBox]) -> Iterator[Windows]:
    ws = Windows(qtbot, settings)
    yield ws
    ws.close_all()
    assert ws.exit_warnings == []


def _tamper(path: Path) -> str:
    con = sqlite3.connect(path)
    regno = con.execute("SELECT register_no FROM requests ORDER BY id LIMIT 1").fetchone()[0]
    con.execute("UPDATE requests SET personnel = 999 WHERE register_no = ?", (regno,))
    con.commit()
    con.close()
    return str(regno)


def test_a_damaged_database_opens_read_only_with_the_banner(
        windows: Windows, demo_path: Path, qtbot: QtBot) -> None:
    good = open_at_start(str(demo_path), OP, scripted())  # makes the start backup
    assert good is not None and not good.result.readonly
    good.result.close()
    regno = _tamper(demo_path)  # a record edited behind the app's back
    before = sha(demo_path)

    io = scripted()
    opened = open_at_start(str(demo_path), OP, io)
    assert opened is not None and io.shown == []
    assert opened.result.readonly and regno in (opened.result.readonly_reason or "")
    w = windows.open(opened)

    assert w.readonly_banner.isVisible()
    assert "READ-ONLY" in w.readonly_banner.text() and regno in w.readonly_banner.text()
    assert w.readonly_banner.action_button.isVisible()
    assert w.readonly_banner.action_button.text() == "Restore newest good backup…"
    assert w.readonly_banner.geometry().top() < w.main_split.geometry().top()
    for act in (w.act_new_saf, w.act_new_ksf, w.act_amend, w.act_import, w.act_backup):
        assert not act.isEnabled()
    assert not w.m_workflow.isEnabled()
    assert w.new_notification() is None  # the shortcut path refuses too
    assert w.select_record(regno)
    assert not w.act_amend.isEnabled()
    settings_dlg = w.open_settings()
    assert not settings_dlg.save_button.isEnabled()
    settings_dlg.reject()
    assert "(read-only)" in w.db_label.text()
    assert sha(demo_path) == before  # nothing written

    # the banner's button puts the newest good backup in place; the damaged file is kept
    w.confirm = lambda _title, _text: True
    with qtbot.waitSignal(w.refreshed, timeout=30_000):
        w.readonly_banner.action_button.click()
    qtbot.waitUntil(lambda: not w.is_readonly() and w.is_ready(), timeout=20_000)
    assert not w.readonly_banner.isVisible()
    assert w.act_new_saf.isEnabled() and w.act_backup.isEnabled()
    kept = list(demo_path.parent.glob("desk-replaced-*.db"))
    assert len(kept) == 1 and sha(kept[0]) == before
    notes, reqs = counts(demo_path)
    assert w.notifications.total_count() == notes and w.requests.total_count() == reqs


def test_a_second_window_on_the_same_database_is_told_it_is_in_use(
        windows: Windows, demo_path: Path) -> None:
    first = open_at_start(str(demo_path), OP, scripted())
    assert first is not None
    windows.open(first)
    io = scripted(Choice.QUIT)
    assert open_at_start(str(demo_path), OP, io) is None
    assert [p.kind for p in io.shown] == ["in_use"]
    problem = io.shown[0]
    assert "already open in another KFOR Desk" in problem.message
    assert f"process {os.getpid()}" in problem.message  # names the first
    assert Choice.RETRY in problem.choices and "close that one" in problem.advice


def test_back_up_now_makes_a_verified_private_backup(windows: Windows, demo_path: Path,
                                                     qtbot: QtBot) -> None:
    opened = open_at_start(str(demo_path), OP, scripted())
    assert opened is not None
    w = windows.open(opened)
    before = {b.path for b in list_backups(demo_path)}
    assert w.act_backup.isEnabled()
    w.act_backup.trigger()
    qtbot.waitUntil(lambda: "Backed up to" in w.statusBar().currentMessage(), timeout=20_000)
    made = [b for b in list_backups(demo_path) if b.path not in before]
    assert len(made) == 1 and made[0].reason == "manual"
    assert str(made[0].path) in w.statusBar().currentMessage()
    assert stat.S_IMODE(made[0].path.stat().st_mode) == 0o600
    assert check_copy(made[0].path) is None


def test_restore_puts_the_newest_backup_in_place(windows: Windows, demo_path: Path,
                                                 qtbot: QtBot) -> None:
    at_backup = counts(demo_path)
    opened = open_at_start(str(demo_path), OP, scripted())  # the start backup
    assert opened is not None
    opened.desk.clock = lambda: NOW
    opened.desk.register(make_request())  # saved after the backup
    w = windows.open(opened)
    assert w.requests.total_count() == at_backup[1] + 1

    offered: list[list[BackupInfo]] = []

    def choose(backups: list[BackupInfo]) -> Path:
        offered.append(backups)
        return backups[0].path

    w.choose_backup = choose
    w.confirm = lambda _title, _text: True
    old_desk = w.desk
    with qtbot.waitSignal(w.refreshed, timeout=30_000):
        w.act_restore.trigger()
    qtbot.waitUntil(w.is_ready, timeout=20_000)
    times = [b.taken_at for b in offered[0]]
    assert times == sorted(times, reverse=True)  # newest first
    assert w.desk is not old_desk and not w.is_readonly()
    assert counts(demo_path) == at_backup
    assert (w.notifications.total_count(), w.requests.total_count()) == at_backup
    kept = list(demo_path.parent.glob("desk-replaced-*.db"))
    assert len(kept) == 1 and counts(kept[0]) == (at_backup[0], at_backup[1] + 1)
    assert str(kept[0]) in w.statusBar().currentMessage()
    box = w.findChild(QMessageBox, "restoredBox")
    assert box is not None and str(kept[0]) in box.text()
    box.close()


def _deferred(path: Path) -> Opened:
    from functools import partial

    from kfor_desk.ui.startup import open_for_window

    opened = open_at_start(str(path), OP, scripted(),
                           opener=partial(open_for_window, deferred=True))
    assert opened is not None and opened.result.pending_checks
    return opened


@pytest.fixture
def held_checks(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The window's deferred checks wait for the test to let them go."""
    from kfor_desk.services import opening

    go = threading.Event()
    real = opening.finish_checks

    def held(result: Any, should_stop: Any = None, **kw: Any) -> Any:
        assert go.wait(30)
        return real(result, should_stop, **kw)

    monkeypatch.setattr(opening, "finish_checks", held)  # the window looks it up when used
    yield go
    go.set()


def test_window_paints_read_only_while_the_deferred_checks_run(
        windows: Windows, demo_path: Path, qtbot: QtBot,
        held_checks: threading.Event) -> None:
    from kfor_desk.ui.main_window import CHECKING_TITLE

    opened = _deferred(demo_path)
    assert opened.result.readonly  # nothing can be saved before the checks pass
    assert list_backups(demo_path, opened.result.backup_folder) == []
    w = windows.open(opened)
    assert w.safety.pending_checks and w.is_readonly()
    assert w.notifications.rowCount() + w.requests.rowCount() > 0  # readable meanwhile
    assert w.warning_banner.isVisible() and CHECKING_TITLE in w.warning_banner.label.text()
    assert not w.readonly_banner.isVisible()
    assert not w.act_new_saf.isEnabled() and not w.act_backup.isEnabled()
    assert not w.act_restore.isEnabled() and not w.m_workflow.isEnabled()
    assert list_backups(demo_path, opened.result.backup_folder) == []
    desk = w.desk
    held_checks.set()
    qtbot.waitUntil(lambda: not w.safety.pending_checks, timeout=30_000)
    assert w.desk is desk  # the same database, not reloaded
    assert not w.is_readonly() and w.act_new_saf.isEnabled() and w.act_backup.isEnabled()
    # the start backup (the file as checked) is made with the window writable; Restore waits
    qtbot.waitUntil(lambda: not w.guard.start_backup_running, timeout=30_000)
    assert w.act_restore.isEnabled()
    assert not w.warning_banner.isVisible() and not w.readonly_banner.isVisible()
    starts = [b for b in list_backups(demo_path, opened.result.backup_folder)
              if b.reason == "start"]
    assert len(starts) == 1  # the start backup, after the checks passed
    assert w.safety.newest_backup == starts[0].path
    assert starts[0].path.name in w.statusBar().currentMessage()


def test_deferred_checks_on_a_damaged_database_end_read_only(
        windows: Windows, demo_path: Path, qtbot: QtBot,
        held_checks: threading.Event) -> None:
    from kfor_desk.ui.main_window import CHECKING_TITLE

    regno = _tamper(demo_path)
    before = sha(demo_path)
    opened = _deferred(demo_path)
    w = windows.open(opened)
    assert w.is_readonly() and not w.act_new_saf.isEnabled()
    assert CHECKING_TITLE in w.warning_banner.label.text()
    held_checks.set()
    qtbot.waitUntil(lambda: w.readonly_banner.isVisible(), timeout=30_000)
    assert not w.safety.pending_checks and w.safety.readonly_reason
    assert regno in w.readonly_banner.text()
    assert w.is_readonly() and not w.act_new_saf.isEnabled() and not w.act_backup.isEnabled()
    assert not w.warning_banner.isVisible()
    assert list_backups(demo_path, opened.result.backup_folder) == []
    assert sha(demo_path) == before


def test_closing_during_the_deferred_checks_stops_them_and_makes_no_backup(
        windows: Windows, demo_path: Path, qtbot: QtBot,
        held_checks: threading.Event) -> None:
    before = sha(demo_path)
    opened = _deferred(demo_path)
    w = windows.open(opened)
    assert w.safety.pending_checks
    # the checks are let go only after the window has begun closing (it waits for them)
    threading.Timer(0.5, held_checks.set).start()
    w.close()
    assert w.safety.pending_checks  # they stopped: nothing concluded
    assert list_backups(demo_path, opened.result.backup_folder) == []  # no start/exit backup
    assert windows.exit_warnings == []
    assert not Path(str(demo_path) + ".lock").exists()  # the lock is released
    assert sha(demo_path) == before
