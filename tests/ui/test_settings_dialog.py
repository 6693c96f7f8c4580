"""The settings dialog edits the brief markings and the originator through the desk."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from kfor_desk.services.desk import Desk
from kfor_desk.ui.panels.settings_dialog import SettingsDialog

pytestmark = pytest.mark.gui


def test_originator_and_releasability_are_saved(qtbot: QtBot, desk: Desk) -> None:
    settings = desk.settings()
    assert settings.releasability == "RELEASABLE TO KFOR"
    assert settings.originator == "HQ KFOR JOC"
    dlg = SettingsDialog(settings, desk.save_settings)
    qtbot.addWidget(dlg)
    dlg.originator.setText("HQ KFOR JOC Pristina")
    dlg.releasability.setText("RELEASABLE TO KFOR AND EULEX")
    dlg.accept()
    assert desk.settings().originator == "HQ KFOR JOC Pristina"
    assert desk.settings().releasability == "RELEASABLE TO KFOR AND EULEX"
    again = SettingsDialog(desk.settings(), desk.save_settings)
    qtbot.addWidget(again)
    again.originator.setText("  ")
    again.accept()
    assert "originator" in again.problem.text().lower()
    assert desk.settings().originator == "HQ KFOR JOC Pristina"
