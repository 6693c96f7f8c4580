"""The window's status line: EXERCISE marking, the operator on shift, the database, the clock.

Shows what the other parts know (training database, read-only access, the operator) and the
clock in DTG, UTC and local time, ticking every second; it decides nothing.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel

from kfor_desk.domain.timefmt import LOCAL_ZONE, format_dtg
from kfor_desk.ui import palette

if TYPE_CHECKING:
    from .main import MainWindow


class StatusLine:
    """The window's status bar (see the module docstring)."""

    def __init__(self, window: MainWindow) -> None:
        self.w = w = window
        w.exercise_label = QLabel("  EXERCISE  EXERCISE  EXERCISE  ")
        w.exercise_label.setObjectName("exerciseLabel")
        w.exercise_label.hide()
        w.operator_label = QLabel()
        w.operator_label.setObjectName("operatorLabel")
        w.db_label = QLabel()
        w.db_label.setObjectName("databaseLabel")
        w.clock_label = QLabel()
        w.clock_label.setObjectName("clockLabel")
        self.apply_theme()
        # the markings are permanent widgets: messages and menu hints (showMessage) use the
        # space on their left and never cover EXERCISE, the officer on shift or the database
        sb = w.statusBar()
        sb.addPermanentWidget(w.exercise_label)
        sb.addPermanentWidget(w.operator_label)
        sb.addPermanentWidget(w.db_label)
        sb.addPermanentWidget(w.clock_label)
        self.clock_timer = QTimer(w)
        self.clock_timer.setInterval(1000)
        self.clock_timer.timeout.connect(self.tick)
        self.clock_timer.start()
        w.clock_timer = self.clock_timer

    def apply_theme(self) -> None:
        """The EXERCISE mark and the clock in the active theme's colours (a label with a
        style sheet keeps the palette it was polished with: its colour is set here)."""
        self.w.exercise_label.setStyleSheet(
            f"background: {palette.EXERCISE_BG}; color: {palette.THEME.exercise_text}; "
            "font-weight: bold; padding: 2px 8px; border-radius: 3px;")
        self.w.clock_label.setStyleSheet(
            f"font-family: 'DejaVu Sans Mono', monospace; color: {palette.TEXT};")

    def update(self) -> None:
        """The operator, the database and the EXERCISE marking (once a desk is open)."""
        w = self.w
        if not w.attached:
            return
        op = w.desk.operator
        w.operator_label.setText(f"On shift: <b>{op.display}</b>")
        ro = " (read-only)" if w.desk.readonly else ""
        name = Path(w.location).name if "://" not in w.location else w.location
        w.db_label.setText(f"Database: {name}{ro}")
        if w.local_copy_of:
            w.db_label.setText(f"<b>LOCAL COPY — not shared</b> · {name}{ro}")
            w.db_label.setToolTip(f"{w.location} is a local copy of {w.local_copy_of}: what is "
                                  "saved here is not seen by the other desks")
        w.db_label.setToolTip(w.location)
        training = w.loader.training
        w.exercise_label.setVisible(training)
        prefix = "EXERCISE — " if training else ""
        w.setWindowTitle(f"{prefix}KFOR Desk — {op.display} — {Path(w.location).name}")

    def tick(self) -> None:
        now: datetime = self.w.clock()
        local = now.astimezone(LOCAL_ZONE)
        self.w.clock_label.setText(f"{format_dtg(now)}   {now:%H:%M:%S}Z   "
                                   f"{local:%H:%M} {local.tzname()}")
