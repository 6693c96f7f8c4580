"""A window notified of another process's change, on a real PostgreSQL server and on a SQLite
file: the registers are refreshed and the status line says what changed, where, by whom."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from kfor_desk.services.session import create_desk
from kfor_desk.ui.live import follow
from tests import pgserver
from tests.factories import make_request

pytestmark = pytest.mark.gui

OTHER_DESK = """
import sys
from kfor_desk.services.session import open_desk
from kfor_desk.domain.workflow import Action
with open_desk(sys.argv[1], "Capt X") as desk:
    desk.workstation = "JOC-2"
    rec = desk.record("KSF-2026-0001")
    desk.act(rec, Action.START_REVIEW)
"""


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: object) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"{tmp_path}/desk.db"
        return
    url = pgserver.fresh_database()
    yield url
    pgserver.drop_database(url)


def test_window_hears_another_desk(qtbot: QtBot, location: str) -> None:
    with create_desk(location, "Capt Test") as desk:
        desk.register(make_request())
    window = QMainWindow()
    qtbot.addWidget(window)
    refreshed: list[int] = []
    live = follow(location, lambda: refreshed.append(1), window.statusBar(), window,
                  own_workstation="test-ws")
    try:
        assert live.watcher.ready.wait(30)
        env = {**os.environ, "PYTHONPATH": os.getcwd()}
        res = subprocess.run([sys.executable, "-c", OTHER_DESK, location], env=env,
                             capture_output=True, text=True, timeout=120)
        assert res.returncode == 0, res.stderr
        qtbot.waitUntil(lambda: bool(refreshed), timeout=10_000)
        assert window.statusBar().currentMessage() == (
            "KSF-2026-0001 taken under review at desk JOC-2 by Capt X")
    finally:
        live.stop()
    assert not live.watcher.running
