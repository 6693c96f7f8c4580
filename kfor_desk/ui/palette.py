"""Colours of the window: calm, print-like, with status colours that read at a glance.

Status and band colours are pairs (background, text) for the small "pills" in the registers and
the detail pane. SAF red and KSF blue match the map.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

Pill = tuple[str, str]  # background, text

AMBER: Pill = ("#fff0d1", "#6e4700")
BLUE: Pill = ("#e2ecf8", "#1b4a86")
GREEN: Pill = ("#e1f0e4", "#1d5a31")
TEAL: Pill = ("#dcefec", "#145a52")
VIOLET: Pill = ("#ebe6f5", "#46377a")
RED: Pill = ("#fbe3e0", "#8c1d18")
ORANGE: Pill = ("#fde9d2", "#7f4500")
SAND: Pill = ("#efeae0", "#574a37")
GREY: Pill = ("#ececea", "#5a5e63")

STATUS_PILLS: dict[str, Pill] = {
    # notifications
    "received": AMBER,
    "acknowledged": BLUE,
    "disseminated": GREEN,
    "cancelled": GREY,
    # requests
    "under_review": BLUE,
    "recommended": VIOLET,
    "granted": GREEN,
    "granted_with_conditions": TEAL,
    "denied": RED,
    "withdrawn": GREY,
}

BAND_PILLS: dict[str, Pill] = {
    "notify": RED,
    "ground": ORANGE,
    "air": SAND,
    "beyond": GREY,
}

OVERDUE = "#b3261e"
DUE_SOON = "#8a4b00"
MUTED = "#6b7075"
TEXT = "#202326"
SAF = "#b3262d"
KSF = "#1c5fb0"
EXERCISE_BG = "#7a1f1f"

WINDOW_BG = "#f4f3ef"
BASE_BG = "#ffffff"
ALT_BG = "#f7f6f2"
HIGHLIGHT = "#cfe0f3"


def apply_palette(app: QApplication) -> None:
    """Fusion style with a light, calm palette (the same on every platform)."""
    app.setStyle("Fusion")
    pal = QPalette()
    roles = QPalette.ColorRole
    pal.setColor(roles.Window, QColor(WINDOW_BG))
    pal.setColor(roles.WindowText, QColor(TEXT))
    pal.setColor(roles.Base, QColor(BASE_BG))
    pal.setColor(roles.AlternateBase, QColor(ALT_BG))
    pal.setColor(roles.Text, QColor(TEXT))
    pal.setColor(roles.Button, QColor("#ebe9e3"))
    pal.setColor(roles.ButtonText, QColor(TEXT))
    pal.setColor(roles.Highlight, QColor(HIGHLIGHT))
    pal.setColor(roles.HighlightedText, QColor(TEXT))
    pal.setColor(roles.ToolTipBase, QColor("#fffdf5"))
    pal.setColor(roles.ToolTipText, QColor(TEXT))
    pal.setColor(roles.PlaceholderText, QColor(MUTED))
    pal.setColor(QPalette.ColorGroup.Disabled, roles.Text, QColor("#9a9ea3"))
    pal.setColor(QPalette.ColorGroup.Disabled, roles.WindowText, QColor("#9a9ea3"))
    pal.setColor(QPalette.ColorGroup.Disabled, roles.ButtonText, QColor("#9a9ea3"))
    app.setPalette(pal)
    font = app.font()
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
        app.setFont(font)
