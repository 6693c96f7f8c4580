"""The main window, as parts with one job each (see :mod:`.main` for the map)."""

from .main import MainWindow
from .tables import RegisterTable

__all__ = ["MainWindow", "RegisterTable"]
