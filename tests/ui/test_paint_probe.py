"""The start-up probe: with KFOR_DESK_EXIT_AFTER_PAINT=1 a window's first paint ends the app;
with ``ready`` the filled registers, with ``editable`` a window in which a record can be saved."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kfor_desk.services.demo import create_demo
from kfor_desk.ui import paint_probe
from tests.factories import NOW

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """\
from kfor_desk.ui.paint_probe import install_from_env
assert install_from_env()
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication.instance()
win = QMainWindow()
win.show()
raise SystemExit(app.exec())
"""


def test_without_the_variable_nothing_happens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(paint_probe.ENV, raising=False)
    assert paint_probe.install_from_env() is False


def test_first_paint_prints_the_line_and_quits() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", **{paint_probe.ENV: "1"})
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    line = done.stdout.strip().splitlines()[-1]
    name, seconds = line.split()
    assert name == paint_probe.LINE
    assert 0 < float(seconds) < 60


READY_SCRIPT = """\
from kfor_desk.ui.paint_probe import install_from_env, mark_ready
assert install_from_env()
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication.instance()
win = QMainWindow()
win.show()
QTimer.singleShot(300, mark_ready)  # the records shown, some time after the paint
raise SystemExit(app.exec())
"""


def test_ready_mode_says_painted_then_ready_and_quits() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", **{paint_probe.ENV: "ready"})
    done = subprocess.run([sys.executable, "-c", READY_SCRIPT], env=env, capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    lines = [line.split() for line in done.stdout.strip().splitlines()]
    assert [name for name, _ in lines] == [paint_probe.LINE, paint_probe.READY_LINE]
    painted, ready = (float(s) for _, s in lines)
    assert 0 < painted < ready < 60 and ready - painted >= 0.2


EDITABLE_FIRST_SCRIPT = """\
from kfor_desk.ui.paint_probe import install_from_env, mark_editable, mark_ready
assert install_from_env()
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication.instance()
win = QMainWindow()
win.show()
QTimer.singleShot(200, mark_editable)  # writable while the registers are still loading
QTimer.singleShot(600, mark_ready)
raise SystemExit(app.exec())
"""


def test_editable_mode_waits_for_both_in_whichever_order() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", **{paint_probe.ENV: "editable"})
    done = subprocess.run([sys.executable, "-c", EDITABLE_FIRST_SCRIPT], env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    lines = [line.split() for line in done.stdout.strip().splitlines()]
    assert [name for name, _ in lines] == [paint_probe.LINE, paint_probe.EDITABLE_LINE,
                                          paint_probe.READY_LINE]
    painted, editable, ready = (float(s) for _, s in lines)
    assert painted < editable < ready and ready - editable >= 0.3


APP = """\
import sys
from kfor_desk.ui.paint_probe import install_from_env
assert install_from_env()
from kfor_desk.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _app_env(home: Path, mode: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KFOR_DESK_")}
    env.update(QT_QPA_PLATFORM="offscreen", KFOR_DESK_OPERATOR="Capt Probe", HOME=str(home),
               XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"),
               PYTHONPATH=str(ROOT), **{paint_probe.ENV: mode})
    return env


@pytest.mark.slow
def test_editable_mode_says_so_once_a_record_can_be_saved(tmp_path: Path) -> None:
    """The real app on a real file: painted, registers filled, then (the checks on open
    passed) editable; the database is the app's and a backup was made at the start."""
    db = tmp_path / "desk.db"
    create_demo(str(db), 30, now=NOW).db.close()
    done = subprocess.run([sys.executable, "-c", APP, "--db", str(db)], cwd=tmp_path,
                          env=_app_env(tmp_path, "editable"), capture_output=True, text=True,
                          timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    names = [line.split()[0] for line in done.stdout.splitlines()]
    # painted first; filled and editable then in whichever order they came (the checks run
    # beside the registers' read), each once, and it quit after both
    assert names[0] == paint_probe.LINE and len(names) == 3, names
    assert set(names) == {paint_probe.LINE, paint_probe.READY_LINE, paint_probe.EDITABLE_LINE}
    assert "Traceback" not in done.stderr
    # editable means the checks passed: a backup of the checked file is there, the start
    # backup or, when quitting stopped that one half-way, the exit backup (a desk that has
    # not passed its checks gets neither)
    assert any(("-start" in p.name or "-exit" in p.name)
               for p in (tmp_path / "backups").glob("desk-*.db"))


@pytest.mark.slow
def test_a_database_that_fails_its_checks_is_never_said_editable(tmp_path: Path) -> None:
    """A record changed behind the app's back: the registers are shown (READY), the window
    stays read-only, EDITABLE never comes; with ``ready`` the same app quits after READY."""
    db = tmp_path / "desk.db"
    create_demo(str(db), 30, now=NOW).db.close()
    con = sqlite3.connect(db)
    con.execute("UPDATE requests SET personnel = 999 WHERE id = (SELECT min(id) FROM requests)")
    con.commit()
    con.close()
    proc = subprocess.Popen([sys.executable, "-c", APP, "--db", str(db)], cwd=tmp_path,
                            env=_app_env(tmp_path, "editable"), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    try:
        names = []
        for line in proc.stdout:
            names.append(line.split()[0])
            if names[-1] == paint_probe.READY_LINE:
                break
        # the checks run beside the registers' read; the log says when they concluded
        log = tmp_path / "data" / "kfor-desk" / "kfor-desk.log"
        for _ in range(600):
            if log.exists() and "checks on open:" in log.read_text(errors="replace"):
                break
            if proc.poll() is not None:
                break
            time.sleep(0.2)
    finally:
        proc.kill()
        rest, err = proc.communicate()
    names += [line.split()[0] for line in rest.splitlines()]
    assert paint_probe.READY_LINE in names, (names, err)
    assert paint_probe.EDITABLE_LINE not in names, (names, err)
    assert "checks on open: read-only" in log.read_text(errors="replace")
