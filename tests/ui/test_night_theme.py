"""View ▸ Night theme (issue 15 item 11): switched in the menu, remembered, used at the next
start before the window's modules take their colours."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from kfor_desk import app as app_module
from kfor_desk import style
from kfor_desk.ui import errors, palette
from kfor_desk.ui.main_window import MainWindow
from kfor_desk.ui.panels.operator import OperatorDialog

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


@pytest.fixture(autouse=True)
def day_again() -> object:
    yield None
    palette.use_theme("day")
    app = QApplication.instance()
    if isinstance(app, QApplication):
        palette.apply_palette(app)


def test_view_menu_switches_and_remembers(qtbot: QtBot, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(errors, "presenter", lambda box: None)
    settings = QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    w = MainWindow(None, str(tmp_path / "d.db"), settings, tray=False)
    qtbot.addWidget(w)
    w.show()
    view = next(a.menu() for a in w.menuBar().actions() if a.text() == "&View")
    assert w.act_night in view.actions() and not w.act_night.isChecked()
    w.act_night.trigger()
    assert w.act_night.isChecked()
    assert settings.value("view/theme") == "night"
    assert palette.THEME is style.NIGHT
    window_bg = QApplication.palette().color(QPalette.ColorRole.Window).name()
    assert window_bg == style.NIGHT.window
    assert "Night theme on" in w.statusBar().currentMessage()
    w.act_night.trigger()
    assert settings.value("view/theme") == "day" and palette.THEME is style.DAY
    assert QApplication.palette().color(QPalette.ColorRole.Window).name() == style.DAY.window
    w.close()


def test_the_remembered_theme_is_used_at_start(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    for var, sub in (("HOME", "home"), ("XDG_CONFIG_HOME", "config"),
                     ("XDG_DATA_HOME", "data")):
        monkeypatch.setenv(var, str(tmp_path / sub))
    monkeypatch.delenv("KFOR_DESK_OPERATOR", raising=False)
    settings = app_module.window_settings()
    settings.setValue(app_module.THEME_SETTING, "night")
    settings.sync()
    seen: list[str] = []

    def exec_(self: OperatorDialog) -> int:  # the first question, then Cancel (quit)
        seen.append(palette.THEME.name)
        seen.append(self.palette().color(QPalette.ColorRole.Window).name())
        return int(QDialog.DialogCode.Rejected)

    monkeypatch.setattr(OperatorDialog, "exec", exec_)
    logger = logging.getLogger("kfor_desk")
    handlers, level = list(logger.handlers), logger.level
    try:
        assert app_module.run(str(tmp_path / "x.db")) == 0
    finally:
        for h in logger.handlers[:]:
            if h not in handlers:
                logger.removeHandler(h)
                h.close()
        logger.setLevel(level)
    assert seen == ["night", style.NIGHT.window]
