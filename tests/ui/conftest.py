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
