"""The main window's old address: the window lives in :mod:`kfor_desk.ui.window` now.

Kept so that ``from kfor_desk.ui.main_window import MainWindow`` (app, tests, benches) works;
defines nothing of its own.
"""

from kfor_desk.ui.window.checking import CHECKING_TITLE
from kfor_desk.ui.window.loading import Snapshot, load_map_layers, load_snapshot, row_attention
from kfor_desk.ui.window.main import MainWindow
from kfor_desk.ui.window.refresh import ATTENTION_REFRESH_MS
from kfor_desk.ui.window.safety import BACKUP_TICK_MS
from kfor_desk.ui.window.tables import COLUMNS_KEY, ROW_HEIGHT, RegisterTable

__all__ = ["ATTENTION_REFRESH_MS", "BACKUP_TICK_MS", "CHECKING_TITLE", "COLUMNS_KEY",
           "ROW_HEIGHT", "MainWindow", "RegisterTable", "Snapshot", "load_map_layers",
           "load_snapshot", "row_attention"]
