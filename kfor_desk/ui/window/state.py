"""The window's geometry, splitters and column layout, remembered in its QSettings.

Only the operator's arrangement is kept here (sizes, column order and widths); nothing about
data. Saved header states of an earlier column order are not reused (``COLUMNS_KEY``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QSplitter

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
    geo = s.value("window/geometry")
    if isinstance(geo, QByteArray) and not geo.isEmpty():
        w.restoreGeometry(geo)
    else:
        w.resize(1400, 880)
    state = s.value("window/state")
    if isinstance(state, QByteArray):
        w.restoreState(state)
    for key, split in _splits(w):
        val = s.value(key)
        if isinstance(val, QByteArray):
            split.restoreState(val)
        elif split is w.main_split:
            split.setSizes([990, 410])
        elif split is w.left_split:
            split.setSizes([620, 180])
    for key, table in _headers(w):
        val = s.value(key)
        if isinstance(val, QByteArray):
            table.horizontalHeader().restoreState(val)


def save_state(w: MainWindow) -> None:
    s = w.qsettings
    s.setValue("window/geometry", w.saveGeometry())
    s.setValue("window/state", w.saveState())
    for key, split in _splits(w):
        s.setValue(key, split.saveState())
    for key, table in _headers(w):
        s.setValue(key, table.horizontalHeader().saveState())
    s.sync()
