"""The window's geometry, splitters, column layout and theme, remembered in its QSettings.

Only the operator's arrangement is kept here (sizes, column order and widths, day or night);
nothing about data. Saved header states of an earlier column order are not reused
(``COLUMNS_KEY``). The first start fills the screen and fits the columns to it. A theme switch
repaints every part of the window at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QSplitter

from kfor_desk.ui import palette

from .tables import COLUMNS_KEY, RegisterTable

if TYPE_CHECKING:
    from .main import MainWindow


def _splits(w: MainWindow) -> tuple[tuple[str, QSplitter], ...]:
    return (("window/main_split", w.main_split), ("window/left_split", w.left_split),
            ("window/detail_split", w.detail.splitter))


def _headers(w: MainWindow) -> tuple[tuple[str, RegisterTable], ...]:
    return ((f"{COLUMNS_KEY}/saf", w.saf_table), (f"{COLUMNS_KEY}/ksf", w.ksf_table))


def restore_state(w: MainWindow) -> None:
    """The remembered arrangement, or the defaults the first time."""
    s = w.qsettings
    width = 1400  # the screen's width, on a first start
    geo = s.value("window/geometry")
    if isinstance(geo, QByteArray) and not geo.isEmpty():
        w.restoreGeometry(geo)
    else:  # first start: the whole screen (1366×768 laptop or 1920×1080 desk)
        screen = w.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            avail = screen.availableGeometry()
            width = avail.width()
            # the size maximized gives (also where no window manager maximizes)
            w.resize(avail.width(), avail.height())
        else:
            w.resize(1400, 880)
        w.setWindowState(w.windowState() | Qt.WindowState.WindowMaximized)
    state = s.value("window/state")
    if isinstance(state, QByteArray):
        w.restoreState(state)
    for key, split in _splits(w):
        val = s.value(key)
        if isinstance(val, QByteArray):
            split.restoreState(val)
        elif split is w.main_split:  # the register gets what the detail pane can spare
            right = right_pane_width(width)
            split.setSizes([width - right, right])
        elif split is w.left_split:
            split.setSizes([620, 180])
    for key, table in _headers(w):
        val = s.value(key)
        if isinstance(val, QByteArray):
            table.horizontalHeader().restoreState(val)
            table.keep_whole()  # a saved width never cuts a register number or a DTG
        else:
            table.fit_pending = True


def right_pane_width(screen_width: int) -> int:
    """The detail pane's first width: a quarter of the screen, 320–520 px (1366 → 341: the
    register's columns fit beside it; 1920 → 480)."""
    return max(320, min(520, screen_width // 4))


def save_state(w: MainWindow) -> None:
    s = w.qsettings
    s.setValue("window/geometry", w.saveGeometry())
    s.setValue("window/state", w.saveState())
    for key, split in _splits(w):
        s.setValue(key, split.saveState())
    for key, table in _headers(w):
        s.setValue(key, table.horizontalHeader().saveState())
    s.sync()


def set_night_theme(w: MainWindow, on: bool) -> None:
    """View ▸ Night theme: remembered, and the whole window repainted at once — the Qt
    palette, registers, conflicts, attention list, banners, status line, timeline, detail
    pane, and the map when it can (``MapView.apply_theme``, looked up: the map may not have
    it). Open forms and dialogs follow too (their :func:`palette.themed_style` sheets made
    again); those opened later take the new colours as they are made."""
    name = "night" if on else "day"
    w.qsettings.setValue("view/theme", name)
    w.qsettings.sync()
    theme = palette.use_theme(name)
    app = QApplication.instance()
    if isinstance(app, QApplication):
        palette.apply_palette(app)
    for table in (w.saf_table, w.ksf_table):
        table.apply_theme()
    if w.conflicts is not None:
        w.conflicts.apply_theme(theme)
    w.attention.apply_theme(theme)
    for banner in (w.readonly_banner, w.warning_banner):
        banner.apply_theme(theme)
    w.status.apply_theme()
    w.timeline.apply_theme(theme)
    w.detail.apply_theme(theme)  # the map inside it too, if it knows how
    for top in QApplication.topLevelWidgets():  # the window with the forms it opened, and
        if top.parentWidget() is None:  # any window of no parent, each with what it holds
            palette.restyle(top)
    # after the menu has closed (its empty status tip would clear the message at once)
    message = f"{'Night' if on else 'Day'} theme on (remembered)."
    QTimer.singleShot(0, lambda: w.statusBar().showMessage(message, 10_000))
