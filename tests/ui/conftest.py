"""Fixtures shared by the window tests (each was copied in several files before)."""

from __future__ import annotations

from pathlib import Path

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
