"""Who is on shift after a long idle: the first key or click after the desk stood untouched
for longer than the limit (default 8 h) asks "Who is on shift?" before it does anything.

An incoming officer who forgets "Hand over shift" would otherwise sign every change with the
previous officer's name. The guard watches the application's key presses and mouse clicks
(an event filter), keeps the time of the last one, and on the first input after the limit
swallows that input and calls ``ask()`` (the window's operator question, the current officer
offered: one Enter confirms). It does not time anything out on its own, lock the screen or
look at the database; the limit is a workstation setting (``shift/idle_hours`` in the window's
settings file, 0 turns the question off).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QSettings
from PySide6.QtWidgets import QApplication

DEFAULT_IDLE_HOURS = 8.0
SETTING = "shift/idle_hours"
_INPUT = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel,
          QEvent.Type.MouseButtonDblClick}


def idle_hours(settings: QSettings) -> float:
    """The limit from the settings (default 8 h; a bad value counts as the default)."""
    try:
        value = float(str(settings.value(SETTING, DEFAULT_IDLE_HOURS)))
    except (TypeError, ValueError):
        return DEFAULT_IDLE_HOURS
    return value if value >= 0 else DEFAULT_IDLE_HOURS


class IdleShiftGuard(QObject):
    """Calls ``ask()`` on the first input after ``hours`` without any (0: never)."""

    def __init__(self, ask: Callable[[], None], hours: float = DEFAULT_IDLE_HOURS, *,
                 clock: Callable[[], float] = time.monotonic,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ask = ask
        self.hours = hours
        self.clock = clock
        self.last_input = clock()
        self._asking = False
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def idle_seconds(self) -> float:
        return self.clock() - self.last_input

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() not in _INPUT or self._asking:
            return False
        expired = self.hours > 0 and self.idle_seconds() > self.hours * 3600
        self.last_input = self.clock()
        if not expired:
            return False
        self._asking = True
        try:
            self.ask()
        finally:
            self._asking = False
            self.last_input = self.clock()
        return True  # the input that woke the desk is not applied to whatever had focus

    def stop(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
