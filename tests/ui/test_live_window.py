"""Two desks on one server: a change made at another desk (another process) appears in an
open window without F5, and the status line says what changed, where and by whom."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from kfor_desk.services.desk import Operator
from kfor_desk.services.session import create_desk, open_desk
from kfor_desk.ui.main_window import MainWindow
from tests import pgserver
from tests.factories import make_request

pytestmark = pytest.mark.gui

OTHER_DESK = """
import sys
from kfor_desk.services.session import open_desk
from kfor_desk.domain.workflow import Action
from tests.factories import make_request
with open_desk(sys.argv[1], "Capt X") as desk:
    desk.workstation = "JOC-2"
    desk.register(make_request(requesting_unit="KSF Engineer Company"))
    desk.act(desk.record("KSF-2026-0001"), Action.START_REVIEW)
"""


@pytest.fixture
def server_db() -> Iterator[str]:
    url = pgserver.fresh_database()
    yield url
    pgserver.drop_database(url)


def test_a_change_at_another_desk_appears_without_f5(qtbot: QtBot, server_db: str,
                                                    tmp_path: Path) -> None:
    with create_desk(server_db, "Capt Test") as desk:
        desk.register(make_request())
    desk = open_desk(server_db, Operator("Test", "Capt"))
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    w = MainWindow(desk, server_db, settings, tray=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.is_ready() and w.requests.rowCount() == 1, timeout=20_000)
    assert w.live is not None and w.live.watcher.ready.wait(30)
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    res = subprocess.run([sys.executable, "-c", OTHER_DESK, server_db], env=env,
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    qtbot.waitUntil(lambda: w.requests.rowCount() == 2, timeout=10_000)
    qtbot.waitUntil(lambda: "at desk JOC-2 by Capt X" in w.statusBar().currentMessage(),
                    timeout=10_000)
    w.close()
    assert w.live is None or not w.live.watcher.running
