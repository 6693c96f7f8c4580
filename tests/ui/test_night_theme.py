"""View ▸ Night theme (issue 15 item 11): switched in the menu, remembered, used at the next
start before the window's modules take their colours."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
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
    qtbot.waitUntil(lambda: "Night theme on" in w.statusBar().currentMessage())
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


def test_the_switch_repaints_the_running_window(qtbot: QtBot, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The switch reaches the timeline, detail pane, conflicts, attention list, EXERCISE mark
    and the map (when it has ``apply_theme``) at once, not at the next start."""
    from PySide6.QtGui import QColor

    from kfor_desk.services.demo import create_demo
    from tests.factories import NOW

    monkeypatch.setattr(errors, "presenter", lambda box: None)
    desk = create_demo(str(tmp_path / "d.db"), 40, now=NOW)
    desk.clock = lambda: NOW
    settings = QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    w = MainWindow(desk, str(tmp_path / "d.db"), settings, tray=False)
    qtbot.addWidget(w)
    w.resize(1366, 740)
    w.show()
    try:
        qtbot.waitUntil(w.is_ready, timeout=20_000)
        qtbot.waitUntil(lambda: w.detail.map is not None, timeout=20_000)
        themes: list[str] = []
        monkeypatch.setattr(w.detail.map, "apply_theme", lambda t: themes.append(t.name),
                            raising=False)
        regno = w.notifications.record_at(0).register_no  # type: ignore[union-attr]
        assert w.select_record(regno)
        w.tabs.setCurrentWidget(w.timeline)
        qtbot.wait(50)

        def timeline_bg() -> str:
            """The colour most of the timeline's time area shows (its background)."""
            image = w.timeline.viewport().grab().toImage()
            seen: dict[str, int] = {}
            for x in range(300, image.width(), 7):
                for y in range(60, image.height(), 7):
                    name = image.pixelColor(x, y).name()
                    seen[name] = seen.get(name, 0) + 1
            return max(seen, key=lambda k: seen[k])

        assert timeline_bg() == style.DAY.timeline.background
        assert QColor(style.DAY.muted).name() in w.detail.fields.toHtml()  # the field labels

        w.act_night.trigger()

        assert themes == ["night"]  # the map was asked to repaint
        assert timeline_bg() == style.NIGHT.timeline.background
        html = w.detail.fields.toHtml()
        assert QColor(style.NIGHT.muted).name() in html  # the field labels
        assert QColor(style.DAY.muted).name() not in html
        assert w.detail.record() is not None and w.detail.record().register_no == regno
        assert style.NIGHT.exercise in w.exercise_label.styleSheet()
        assert style.NIGHT.text in w.clock_label.styleSheet()  # it kept the old colour
        if w.attention.items():
            first = w.attention.list.topLevelItem(0)
            assert first.foreground(0).color().name() in {
                QColor(style.NIGHT.error).name(), QColor(style.NIGHT.due_soon).name(),
                QColor(style.NIGHT.text).name()}
        assert w.conflicts is not None and w.conflicts.model.rowCount() > 0
        status = w.conflicts.model.index(0, 4).data(Qt.ItemDataRole.BackgroundRole)
        row = w.conflicts.model.row_at(0)
        assert row is not None
        assert status.color().name() == \
            QColor(style.NIGHT.conflict_rows[row.status].background).name()
        assert "day" not in themes
    finally:
        w.close()
        desk.close()


def test_check_boxes_and_radio_buttons_show_at_night(qtbot: QtBot) -> None:
    """Fusion outlines them a shade darker than the window: on the night window that ring
    vanished (the decision dialog's choices, "Live fire"); the theme's indicator colour
    keeps it visible."""
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QCheckBox, QRadioButton, QVBoxLayout, QWidget

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    palette.use_theme("night")
    palette.apply_palette(app)
    box = QWidget()
    lay = QVBoxLayout(box)
    widgets = [QCheckBox("Live fire"), QRadioButton("Granted")]
    for w in widgets:
        lay.addWidget(w)
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    window = QColor(style.NIGHT.window)
    for w in widgets:
        image = w.grab().toImage()
        # the indicator sits at the left: some pixel there stands out from the window
        contrast = max(
            abs(image.pixelColor(x, y).lightness() - window.lightness())
            for x in range(15) for y in range(image.height()))
        assert contrast > 60, type(w).__name__


def test_bar_titles_read_on_the_night_timeline(qtbot: QtBot) -> None:
    """A bar's title is drawn light on the night timeline (dark red on its own dark bar
    could not be read) and deep on the day one."""
    from datetime import timedelta

    from kfor_desk.ui.timeline import TimelineItem, TimelineView
    from tests.factories import NOW

    view = TimelineView(clock=lambda: NOW)
    qtbot.addWidget(view)
    view.resize(1000, 300)
    view.set_items([TimelineItem("SAF-2026-0001", "SAF", "Kopaonik 26-1 field training",
                                 NOW - timedelta(hours=6), NOW + timedelta(hours=30))])
    view.show()
    qtbot.waitExposed(view)
    for theme, light in ((style.NIGHT, True), (style.DAY, False)):
        view.apply_theme(theme)
        image = view.viewport().grab().toImage()
        bar = view.bar_rect("SAF-2026-0001")
        assert bar is not None
        inner = bar.adjusted(8, 3, -8, -3).toRect()
        values = [image.pixelColor(x, y).lightness()
                  for x in range(inner.left(), inner.right()) for y in range(inner.top(),
                                                                            inner.bottom())]
        if light:
            assert max(values) > 170  # light letters on the dark bar
        else:
            assert min(values) < 130  # deep letters on the light bar
