"""The start-up probe: with KFOR_DESK_EXIT_AFTER_PAINT=1 a window's first paint ends the app."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from kfor_desk.ui import paint_probe

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
