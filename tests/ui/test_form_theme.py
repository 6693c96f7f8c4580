"""An open record form follows View ▸ Night theme: its banner, field errors and hints take the
new colours at once (they are style sheets made from the theme, made again on the switch)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from kfor_desk import style
from kfor_desk.domain.records import RecordKind
from kfor_desk.services.demo import create_demo
from kfor_desk.ui import errors, palette
from kfor_desk.ui.forms import RecordDialog
from kfor_desk.ui.main_window import MainWindow
from kfor_desk.ui.widgets import FieldError
from tests.factories import NOW

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


@pytest.fixture
def win(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MainWindow]:
    monkeypatch.setattr(errors, "presenter", lambda box: None)
    desk = create_demo(str(tmp_path / "d.db"), 10, now=NOW)
    desk.clock = lambda: NOW
    settings = QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    w = MainWindow(desk, str(tmp_path / "d.db"), settings, tray=False)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitUntil(w.is_ready, timeout=20_000)
    yield w
    palette.use_theme("day")
    app = QApplication.instance()
    if isinstance(app, QApplication):
        palette.apply_palette(app)
    desk.close()


def _inside(label: QLabel) -> str:
    """The colour the banner is painted with, just inside its right edge (no text there)."""
    image = label.grab().toImage()
    return image.pixelColor(image.width() - 4, image.height() // 2).name()


def test_an_open_form_follows_the_theme_switch(qtbot: QtBot, win: MainWindow) -> None:
    dlg = win.dialogs.new(RecordKind.SAF)
    assert isinstance(dlg, RecordDialog)
    dlg.confirm_discard = lambda _parent: True
    qtbot.waitExposed(dlg)
    qtbot.keyClicks(dlg.start.edit, "32 smarch")
    dlg.submit()  # an empty form: the banner at the top and a sentence at each field
    qtbot.waitUntil(lambda: not dlg.is_busy(), timeout=20_000)
    assert dlg.banner.isVisible()
    errors_shown = [e for e in dlg.findChildren(FieldError) if e.isVisible()]
    assert errors_shown
    day, night = style.DAY.form_banners["error"], style.NIGHT.form_banners["error"]
    assert _inside(dlg.banner) == QColor(day.background).name()
    assert dlg.start.hint.styleSheet() == f"color: {style.DAY.error};"

    win.act_night.trigger()  # View ▸ Night theme while the form is open

    assert _inside(dlg.banner) == QColor(night.background).name()
    for shown in errors_shown:
        assert shown.styleSheet() == f"color: {style.NIGHT.error};"
        assert shown.palette().color(shown.foregroundRole()).name() \
            == QColor(style.NIGHT.error).name()
    assert dlg.start.hint.styleSheet() == f"color: {style.NIGHT.error};"
    assert style.NIGHT.error in dlg.styleSheet()  # the red frame of a field with a problem
    assert style.DAY.error not in dlg.styleSheet()
    # and back: the form does not keep the night either
    win.act_night.trigger()
    assert _inside(dlg.banner) == QColor(day.background).name()
    assert dlg.start.hint.styleSheet() == f"color: {style.DAY.error};"
