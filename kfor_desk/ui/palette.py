"""The window's colours as Qt sees them: the application palette and ``QColor`` helpers.

The values live in :mod:`kfor_desk.style` (one source for the window and the PDF briefs); this
module only turns the active :class:`~kfor_desk.style.ScreenTheme` into a ``QPalette`` and keeps
the short names the widgets use (``palette.MUTED``, ``palette.STATUS_PILLS``, …). It does not
switch themes while the window runs.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from kfor_desk import style
from kfor_desk.style import Pill, Tint

THEME: style.ScreenTheme = style.DAY

AMBER: Pill = THEME.pills["amber"]
BLUE: Pill = THEME.pills["blue"]
GREEN: Pill = THEME.pills["green"]
TEAL: Pill = THEME.pills["teal"]
VIOLET: Pill = THEME.pills["violet"]
RED: Pill = THEME.pills["red"]
ORANGE: Pill = THEME.pills["orange"]
SAND: Pill = THEME.pills["sand"]
GREY: Pill = THEME.pills["grey"]

STATUS_PILLS = THEME.status_pills
BAND_PILLS = THEME.band_pills

OVERDUE = THEME.error
ERROR = THEME.error
DUE_SOON = THEME.due_soon
MUTED = THEME.muted
HINT = THEME.hint
HEADING = THEME.heading
NOTE = THEME.note
OK = THEME.ok
TEXT = THEME.text
SAF = THEME.saf
KSF = THEME.ksf
EXERCISE_BG = THEME.exercise

WINDOW_BG = THEME.window
BASE_BG = THEME.base
ALT_BG = THEME.alternate_base
HIGHLIGHT = THEME.selection


def qcolor(colour: str | Tint) -> QColor:
    """A ``QColor`` from a ``#rrggbb`` string or a :class:`~kfor_desk.style.Tint`."""
    if isinstance(colour, Tint):
        c = QColor(colour.colour)
        c.setAlpha(round(colour.alpha * 255))
        return c
    return QColor(colour)


def apply_palette(app: QApplication) -> None:
    """Fusion style with a light, calm palette (the same on every platform)."""
    app.setStyle("Fusion")
    t = THEME
    pal = QPalette()
    roles = QPalette.ColorRole
    pal.setColor(roles.Window, QColor(t.window))
    pal.setColor(roles.WindowText, QColor(t.text))
    pal.setColor(roles.Base, QColor(t.base))
    pal.setColor(roles.AlternateBase, QColor(t.alternate_base))
    pal.setColor(roles.Text, QColor(t.text))
    pal.setColor(roles.Button, QColor(t.button))
    pal.setColor(roles.ButtonText, QColor(t.text))
    pal.setColor(roles.Highlight, QColor(t.selection))
    pal.setColor(roles.HighlightedText, QColor(t.text))
    pal.setColor(roles.ToolTipBase, QColor(t.tooltip))
    pal.setColor(roles.ToolTipText, QColor(t.text))
    pal.setColor(roles.PlaceholderText, QColor(t.muted))
    pal.setColor(QPalette.ColorGroup.Disabled, roles.Text, QColor(t.disabled))
    pal.setColor(QPalette.ColorGroup.Disabled, roles.WindowText, QColor(t.disabled))
    pal.setColor(QPalette.ColorGroup.Disabled, roles.ButtonText, QColor(t.disabled))
    app.setPalette(pal)
    font = app.font()
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
        app.setFont(font)
