"""One error taxonomy, seen through the window: a failed backup, a failed restore, a full disk
and a locked file each end in a warning sentence that says what was kept and what to do — never
"An unexpected error occurred… please report" with a traceback.

The window is driven through its menus (the QAction found by its text) and its documented
test hooks (``choose_backup``, ``confirm``); the file dialog of "Import" is answered by
patching ``QFileDialog.getOpenFileName``."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from kfor_desk.services.demo import create_demo
from kfor_desk.services.desk import Operator
from kfor_desk.services.exchange import export_json
from kfor_desk.services.session import create_desk
from kfor_desk.ui.main_window import MainWindow
from kfor_desk.ui.startup import Opened, StartupIO, open_at_start
from tests.factories import NOW

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]

OP = Operator("Test", "Capt", "Duty Officer")


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    path = tmp_path / "desk.db"
    create_demo(str(path), 12, now=NOW).db.close()
    return path


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, demo_path: Path) -> Iterator[MainWindow]:
    io = StartupIO(lambda _p: pytest.fail("no question expected"), lambda _s: None,
                   lambda _s: None, lambda _p, _o: None)
    opened = open_at_start(str(demo_path), OP, io)
    assert isinstance(opened, Opened)
    opened.desk.clock = lambda: NOW
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    w = MainWindow(opened.desk, opened.location, settings, tray=False, safety=opened.result)
    w.warn_at_exit = lambda _text: None
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(w.is_ready, timeout=20_000)
    yield w
    w.close()


def action(w: MainWindow, text: str) -> QAction:
    """The menu action whose text (without its '&') starts with ``text``."""
    for act in w.findChildren(QAction):
        if act.text().replace("&", "").startswith(text):
            return act
    raise AssertionError(f"no action {text!r}")


def warning_shown(qtbot: QtBot, shown: list[QMessageBox], *words: str) -> QMessageBox:
    """The one box shown: a warning, the words in its sentence, no traceback, no report."""
    qtbot.waitUntil(lambda: bool(shown), timeout=30_000)
    box = shown[-1]
    text = box.text() + " " + box.informativeText()
    assert box.icon() == QMessageBox.Icon.Warning, text
    assert "unexpected" not in text.lower() and "report" not in text.lower(), text
    assert box.detailedText() == ""  # no traceback
    for word in words:
        assert word in text, (word, text)
    return box


def test_a_failed_backup_is_a_warning_sentence(
        qtbot: QtBot, window: MainWindow, shown: list[QMessageBox], demo_path: Path) -> None:
    folder = window.safety.backup_folder if window.safety else None
    assert folder is not None
    for old in folder.iterdir():
        old.unlink()
    folder.rmdir()
    folder.write_text("a file where the backup folder should be")  # even root cannot mkdir
    act = action(window, "Back up now")
    assert act.isEnabled()
    act.trigger()
    warning_shown(qtbot, shown, str(folder), "no backup was made")


def test_a_failed_restore_is_a_warning_sentence(
        qtbot: QtBot, window: MainWindow, shown: list[QMessageBox], demo_path: Path) -> None:
    assert window.safety is not None and window.safety.newest_backup is not None
    bad = window.safety.newest_backup
    bad.write_bytes(b"this backup was damaged on the disk" * 100)  # listed, but not good
    window.choose_backup = lambda backups: bad
    window.confirm = lambda _title, _text: True
    action(window, "Restore from a backup").trigger()
    box = warning_shown(qtbot, shown, "not a good backup", "nothing was changed")
    assert box.windowTitle() == "Restore"
    qtbot.waitUntil(lambda: window.is_ready() and not window.is_readonly(), timeout=20_000)


def _import_file(tmp_path: Path, records: int) -> Path:
    other = tmp_path / "other.db"
    src = create_demo(str(other), records, now=NOW)
    out = tmp_path / "incoming.json"
    export_json(src, out)
    src.close()
    doc = json.loads(out.read_text(encoding="utf-8"))
    for kind in ("exercise_notifications", "consent_requests"):  # new register numbers
        for n, rec in enumerate(doc[kind]):
            prefix = "SAF" if kind.startswith("exercise") else "KSF"
            rec["register_no"] = f"{prefix}-2031-{n + 1:04d}"
            rec["notes"] = "Опис " * 800
    out.write_text(json.dumps(doc), encoding="utf-8")
    return out


def _import(window: MainWindow, monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *_a, **_k: (str(path), "")))
    act = action(window, "Import records")
    assert act.isEnabled()
    act.trigger()


def test_a_full_disk_is_a_warning_sentence(
        qtbot: QtBot, window: MainWindow, shown: list[QMessageBox], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy import event

    incoming = _import_file(tmp_path, 40)
    engine = window.desk.db.engine
    with engine.connect() as conn:
        pages = int(conn.exec_driver_sql("PRAGMA page_count").scalar() or 0)

    @event.listens_for(engine, "connect")
    def limit(dbapi_conn: sqlite3.Connection, _rec: object) -> None:
        dbapi_conn.execute(f"PRAGMA max_page_count={pages + 2}")  # SQLITE_FULL

    engine.dispose()
    before = window.requests.total_count()
    _import(window, monkeypatch, incoming)
    warning_shown(qtbot, shown, "full", "nothing was saved")
    assert window.requests.total_count() == before


def test_a_locked_file_is_a_warning_sentence(
        qtbot: QtBot, window: MainWindow, shown: list[QMessageBox], tmp_path: Path,
        demo_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kfor_desk.store.engine as store_engine

    incoming = _import_file(tmp_path, 4)
    monkeypatch.setattr(store_engine, "BUSY_TIMEOUT_MS", 50)
    window.desk.db.engine.dispose()  # new connections wait 50 ms, not 5 s
    other = sqlite3.connect(demo_path, isolation_level=None, timeout=0.05)
    other.execute("BEGIN EXCLUSIVE")  # another program holds the file
    try:
        _import(window, monkeypatch, incoming)
        warning_shown(qtbot, shown, "locked", "try again")
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_sqlite_codes_are_sorted_into_sentences_or_bugs(tmp_path: Path) -> None:
    """Real sqlite3 errors: full, busy, not a database → the operator's; a bad statement or a
    constraint → a bug, passed on as it is."""
    from kfor_desk.services.errors import (
        DatabaseLocked,
        DiskFull,
        NotADatabase,
        is_user_error,
        user_message,
    )
    from kfor_desk.store.sqlite_errors import primary_code, sort_sqlite_error

    def raised(fn: object) -> sqlite3.Error:
        try:
            fn()  # type: ignore[operator]
        except sqlite3.Error as exc:
            return exc
        raise AssertionError("no error")

    db = tmp_path / "codes.db"
    create_desk(str(db), OP).close()
    con = sqlite3.connect(db, isolation_level=None, timeout=0.05)
    con.execute("CREATE TABLE filler(x)")
    pages = con.execute("PRAGMA page_count").fetchone()[0]
    con.execute(f"PRAGMA max_page_count={pages}")
    full = raised(lambda: con.execute("INSERT INTO filler VALUES (zeroblob(100000))"))
    assert primary_code(full) == sqlite3.SQLITE_FULL
    other = sqlite3.connect(db, isolation_level=None, timeout=0)
    other.execute("BEGIN EXCLUSIVE")
    busy = raised(lambda: con.execute("INSERT INTO filler VALUES (1)"))
    other.execute("ROLLBACK")
    assert primary_code(busy) == sqlite3.SQLITE_BUSY
    con.execute("PRAGMA max_page_count=1000000")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all " * 200)
    notadb = raised(lambda: sqlite3.connect(junk).execute("SELECT * FROM sqlite_master"))
    assert primary_code(notadb) == sqlite3.SQLITE_NOTADB
    bad_sql = raised(lambda: con.execute("SELECT * FROM no_such_table"))
    constraint = raised(lambda: con.execute("INSERT INTO meta(key, value) "
                                            "SELECT key, value FROM meta"))
    con.close()
    other.close()

    for exc, cls, words in ((full, DiskFull, "full"), (busy, DatabaseLocked, "locked"),
                            (notadb, NotADatabase, "not a KFOR Desk database")):
        sorted_ = sort_sqlite_error(exc, db)
        assert isinstance(sorted_, cls) and is_user_error(sorted_), exc
        assert words in user_message(sorted_) and str(db) in str(sorted_)
    for exc in (bad_sql, constraint):
        assert sort_sqlite_error(exc, db) is None  # a bug
        assert not is_user_error(exc)


def test_file_errors_are_the_operators_problem_with_a_sentence(tmp_path: Path) -> None:
    import errno

    from kfor_desk.services.errors import is_user_error, user_message

    full = OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "out.pdf"))
    denied = PermissionError(errno.EACCES, "Permission denied", "/srv/briefs/out.pdf")
    for exc, words in ((full, "disk is full"), (denied, "permission was refused")):
        assert is_user_error(exc)
        text = user_message(exc)
        assert words in text and str(exc.filename) in text and "already saved is safe" in text
    assert not is_user_error(ZeroDivisionError("a bug"))
    assert not is_user_error(KeyError("a bug"))


def test_a_failed_restore_at_start_up_is_a_problem_to_act_on(tmp_path: Path) -> None:
    """The start-up question after "Restore newest backup…" failed says why, not
    "An unexpected error… please report"."""
    from kfor_desk.services.errors import BackupError
    from kfor_desk.ui.startup import describe

    problem = describe(BackupError("the backup is not a good backup; nothing was changed"),
                       str(tmp_path / "desk.db"))
    assert problem.kind == "store" and "not a good backup" in problem.message
    assert describe(KeyError("a bug"), "x").kind == "unexpected"
