"""Fixtures shared by the window tests (each was copied in several files before)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from kfor_desk.ui import errors


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    """The window's settings in a file of this test's own (never the user's)."""
    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[QMessageBox]:
    """Every error box the window would show, collected instead of shown."""
    boxes: list[QMessageBox] = []
    monkeypatch.setattr(errors, "presenter", boxes.append)
    return boxes


@pytest.fixture(autouse=True)
def day_theme_after() -> object:
    """Every test ends in the day theme: a test that starts the app (``app.run``) reads the
    theme from settings, and Qt keeps the first settings folder of the process, so a "night"
    remembered by one test would otherwise colour the widgets of the tests after it."""
    yield None
    from PySide6.QtWidgets import QApplication

    from kfor_desk.ui import palette

    if palette.THEME.name != "day":
        palette.use_theme("day")
        app = QApplication.instance()
        if isinstance(app, QApplication):
            palette.apply_palette(app)


@pytest.fixture
def held_rest(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The window's second step (the whole records, conflicts, reminders, map, timeline)
    waits until the test sets the event it yields."""
    from kfor_desk.ui.window import refresh

    go = threading.Event()
    real = refresh.load_rest

    def held(desk: Any, regs: Any, should_stop: Any = None) -> Any:
        assert go.wait(30)
        return real(desk, regs, should_stop)

    monkeypatch.setattr(refresh, "load_rest", held)
    yield go
    go.set()
