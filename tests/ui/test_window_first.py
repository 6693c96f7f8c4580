"""Window first: the main window is built and paints before the database is opened, with
nothing of the store, SQLAlchemy, numpy, the map's geometry or reportlab loaded; it says
"Opening …" with every action that needs the database off, then works on the desk it is
handed (``open_with``) exactly as a window made with one."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from kfor_desk.services.demo import create_demo
from kfor_desk.services.opening import open_checked
from kfor_desk.ui.main_window import MainWindow
from tests.factories import NOW

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("sqlalchemy", "alembic", "numpy", "shapely", "pyproj", "reportlab", "openpyxl",
         "kfor_desk.store.db")

# The real start (kfor_desk.cli.main → app.run) with the probe in "ready" mode and a filter
# that writes down, at the main window's first paint, which heavy modules are loaded.
START = f"""\
import sys
from kfor_desk.ui.paint_probe import install_from_env
assert install_from_env()
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow

class AtPaint(QObject):
    seen = False
    def eventFilter(self, obj, event):
        if not self.seen and event.type() == QEvent.Type.Paint and isinstance(obj, QMainWindow):
            self.seen = True
            loaded = [m for m in {HEAVY!r} if m in sys.modules]
            print("AT_PAINT", ",".join(loaded) or "-", flush=True)
        return False

f = AtPaint()
QApplication.instance().installEventFilter(f)
from kfor_desk.cli import main
code = main(sys.argv[1:])
print("LOADED_AT_END", ",".join(m for m in {HEAVY!r} if m in sys.modules), flush=True)
sys.exit(code)
"""


def _env(tmp_path: Path, mode: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KFOR_DESK_")}
    env.update(QT_QPA_PLATFORM="offscreen", KFOR_DESK_EXIT_AFTER_PAINT=mode,
               KFOR_DESK_OPERATOR="Capt First", PYTHONPATH=str(ROOT), HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))
    return env


@pytest.mark.slow
def test_the_app_paints_before_the_store_loads_then_shows_the_records(tmp_path: Path) -> None:
    db = tmp_path / "desk.db"
    create_demo(str(db), 30, now=NOW).db.close()
    res = subprocess.run([sys.executable, "-c", START, "--db", str(db)], cwd=tmp_path,
                         env=_env(tmp_path, "ready"), capture_output=True, text=True,
                         timeout=120, check=False)
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    names = [line.split()[0] for line in lines]
    assert names == ["AT_PAINT", "KFOR_DESK_PAINTED", "KFOR_DESK_READY", "LOADED_AT_END"], lines
    assert lines[0] == "AT_PAINT -", lines[0]  # nothing heavy before the first paint
    # …and the database was opened and read after it (the same check can see them)
    loaded_at_end = lines[-1].split()[1].split(",")
    assert "sqlalchemy" in loaded_at_end and "kfor_desk.store.db" in loaded_at_end
    assert "Traceback" not in res.stderr


def test_before_the_database_is_open_the_window_says_so_and_nothing_needs_it(
        qtbot: QtBot, settings: QSettings, tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    create_demo(str(path), 30, now=NOW).db.close()
    w = MainWindow(None, str(path), settings, tray=False)
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.firstPainted, timeout=10_000):
        w.show()
    assert not w.attached and w.is_readonly()
    assert "Opening" in w.db_label.text() and "opening" in w.windowTitle()
    assert w.saf_table.is_loading() and w.ksf_table.is_loading()
    for act in (w.act_new_saf, w.act_new_ksf, w.act_amend, w.act_import, w.act_export_json,
                w.act_export_table, w.act_daily_brief, w.act_record_sheet,
                w.act_handover_brief, w.act_backup, w.act_restore, w.act_settings,
                w.act_refresh, w.act_handover):
        assert not act.isEnabled(), act.text()
    assert not w.m_workflow.isEnabled()
    # the keyboard cannot reach them either: Ctrl+N opens no form
    qtbot.keyClick(w, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    QApplication.processEvents()
    assert not [t for t in QApplication.topLevelWidgets()
                if isinstance(t, QDialog) and t.isVisible()]
    # the clock runs on the system's UTC clock meanwhile
    assert "Z" in w.clock_label.text()

    opened = open_checked(str(path), "Capt First", checks=False)
    opened.desk.clock = lambda: NOW
    assert opened.pending_checks  # the window runs them, beside the first load
    w.open_with(opened.desk, opened)
    # then the start backup (Restore… waits for it)
    qtbot.waitUntil(lambda: w.is_ready() and not w.safety.pending_checks
                    and not w.guard.start_backup_running, timeout=20_000)
    notes, reqs = opened.desk.repo.all_records()
    assert w.notifications.rowCount() == len(notes) > 0
    assert w.requests.rowCount() == len(reqs) > 0
    assert w.attached and not w.is_readonly()
    assert "Capt First" in w.operator_label.text() and "Opening" not in w.db_label.text()
    for act in (w.act_new_saf, w.act_new_ksf, w.act_import, w.act_export_json,
                w.act_daily_brief, w.act_backup, w.act_restore, w.act_settings,
                w.act_refresh, w.act_handover):
        assert act.isEnabled(), act.text()
    with pytest.raises(RuntimeError):
        w.open_with(opened.desk, opened)
    w.close()
    opened.desk.db.close()


def test_closing_before_the_database_is_open_closes_nothing(
        qtbot: QtBot, settings: QSettings, tmp_path: Path) -> None:
    w = MainWindow(None, str(tmp_path / "never.db"), settings, tray=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.close()  # saves the window state, closes no database
    assert settings.value("window/geometry") is not None
    assert not (tmp_path / "never.db").exists()


def _run_quitting_at_the_question(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  ask: object) -> int:
    """``app.run`` in this process on a missing database; ``ask`` answers the question."""
    from kfor_desk import app as app_module
    from kfor_desk.ui import startup

    for var, sub in (("HOME", "home"), ("XDG_CONFIG_HOME", "config"),
                     ("XDG_DATA_HOME", "data")):
        monkeypatch.setenv(var, str(tmp_path / sub))
    monkeypatch.delenv("KFOR_DESK_DB", raising=False)
    monkeypatch.delenv("KFOR_DESK_EXIT_AFTER_PAINT", raising=False)
    monkeypatch.setattr(startup, "ask_dialog", ask)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run() installs its own
    logger = logging.getLogger("kfor_desk")
    handlers, level = list(logger.handlers), logger.level
    try:
        return app_module.run(str(tmp_path / "missing.db"), "Capt First")
    finally:  # run() logs to a file in the data folder: leave the logger as it was
        for h in logger.handlers[:]:
            if h not in handlers:
                logger.removeHandler(h)
                h.close()
        logger.setLevel(level)


def test_a_start_up_question_is_asked_once_over_the_painted_window(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The database is missing: the question comes over the painted "Opening …" window, once
    (also while it stays up longer than the fallback timer), and Quit ends the app."""
    from PySide6.QtCore import QEventLoop, QTimer

    from kfor_desk.ui import startup

    asked: list[tuple[str, bool, str]] = []

    def ask(problem: startup.StartupProblem, parent: object = None) -> startup.Choice:
        windows = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, MainWindow) and w.isVisible()]
        asked.append((problem.kind, parent in windows and not windows[0].attached,
                      windows[0].db_label.text() if windows else ""))
        loop = QEventLoop()
        QTimer.singleShot(2000, loop.quit)  # longer than the 1.5 s fallback timer
        loop.exec()
        return startup.Choice.QUIT

    code = _run_quitting_at_the_question(tmp_path, monkeypatch, ask)
    assert code == 0
    assert len(asked) == 1, asked
    kind, over_window, label = asked[0]
    assert kind == "missing"
    assert over_window and "Opening" in label and "missing.db" in label
    assert not (tmp_path / "missing.db").exists()  # nothing created


def test_after_run_ended_the_process_still_delivers_worker_results(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Quit at the start-up question closes the window (Qt then posts its own quit) and
    quits: nothing of that is left to end the next event loop of the process, so a worker's
    result still reaches the GUI thread and a local event loop still runs."""
    from PySide6.QtCore import QEventLoop, QTimer

    from kfor_desk.ui import startup
    from kfor_desk.ui.tasks import run_task

    def ask(problem: startup.StartupProblem, parent: object = None) -> startup.Choice:
        return startup.Choice.QUIT

    assert _run_quitting_at_the_question(tmp_path, monkeypatch, ask) == 0
    QApplication.processEvents()  # what pytest-qt does between tests
    loop = QEventLoop()
    QTimer.singleShot(100, lambda: loop.exit(7))
    assert loop.exec() == 7  # ran until its timer (-1: ended at once by a stale quit)
    got: list[int] = []
    run_task(None, "After the app", lambda progress: 6 * 7, got.append, show_dialog=False)
    qtbot.waitUntil(lambda: got == [42], timeout=10_000)
