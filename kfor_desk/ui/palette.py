"""The window's colours as Qt sees them: the application palette and ``QColor`` helpers.

The values live in :mod:`kfor_desk.style` (one source for the window and the PDF briefs); this
module only turns the active :class:`~kfor_desk.style.ScreenTheme` into a ``QPalette`` and keeps
the short names the widgets use (``palette.MUTED``, ``palette.STATUS_PILLS``, …). The theme is
chosen with :func:`use_theme` ("day" or "night"), at start before the window's modules load,
and again by View ▸ Night theme (``ui.window.state.set_night_theme``), which then asks each part
of the running window to repaint (their ``apply_theme``) and gives every widget styled with
:func:`themed_style` (the forms' banners, hints, field errors) its style sheet again in the new
colours (:func:`restyle`); widgets read these names when they draw or are made. It decides
no colour itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QStyleOption,
    QWidget,
)

from kfor_desk import style
from kfor_desk.style import Pill, Tint

THEME: style.ScreenTheme = style.DAY

AMBER: Pill
BLUE: Pill
GREEN: Pill
TEAL: Pill
VIOLET: Pill
RED: Pill
ORANGE: Pill
SAND: Pill
GREY: Pill
STATUS_PILLS: Mapping[str, Pill]
BAND_PILLS: Mapping[str, Pill]
OVERDUE: str
ERROR: str
DUE_SOON: str
MUTED: str
HINT: str
HEADING: str
NOTE: str
OK: str
TEXT: str
SAF: str
KSF: str
EXERCISE_BG: str
WINDOW_BG: str
BASE_BG: str
ALT_BG: str
HIGHLIGHT: str


def _bind(theme: style.ScreenTheme) -> None:
    """Point the short names at ``theme``'s colours."""
    g = globals()
    g["THEME"] = theme
    for name in ("amber", "blue", "green", "teal", "violet", "red", "orange", "sand", "grey"):
        g[name.upper()] = theme.pills[name]
    g.update(
        STATUS_PILLS=theme.status_pills, BAND_PILLS=theme.band_pills, OVERDUE=theme.error,
        ERROR=theme.error, DUE_SOON=theme.due_soon, MUTED=theme.muted, HINT=theme.hint,
        HEADING=theme.heading, NOTE=theme.note, OK=theme.ok, TEXT=theme.text, SAF=theme.saf,
        KSF=theme.ksf, EXERCISE_BG=theme.exercise, WINDOW_BG=theme.window,
        BASE_BG=theme.base, ALT_BG=theme.alternate_base, HIGHLIGHT=theme.selection)


_bind(style.DAY)


def use_theme(name: str) -> style.ScreenTheme:
    """Make ``name`` ("day", "night"; anything else: day) the window's theme.

    ``app.run`` calls it before the window's modules are imported (the remembered choice);
    a switch while the window runs is followed by the parts' ``apply_theme``
    (``ui.window.state.set_night_theme``)."""
    theme = style.SCREEN_THEMES.get(name, style.DAY)
    _bind(theme)
    return theme


_THEMED = "_kfor_themed_style"  # the attribute holding a widget's style sheet maker


def themed_style(widget: QWidget, make: Callable[[], str]) -> None:
    """Style ``widget`` with ``make()`` (a style sheet that reads these names) now, and again
    in the new colours when the theme changes (:func:`restyle`)."""
    setattr(widget, _THEMED, make)
    widget.setStyleSheet(make())


def restyle(root: QWidget) -> int:
    """After a theme switch: ``root`` and every widget under it (open forms included) that was
    styled with :func:`themed_style` gets its style sheet in the active theme; how many did."""
    count = 0
    for widget in (root, *root.findChildren(QWidget)):
        make = getattr(widget, _THEMED, None)
        if callable(make):
            widget.setStyleSheet(make())
            count += 1
    return count


def qcolor(colour: str | Tint) -> QColor:
    """A ``QColor`` from a ``#rrggbb`` string or a :class:`~kfor_desk.style.Tint`."""
    if isinstance(colour, Tint):
        c = QColor(colour.colour)
        c.setAlpha(round(colour.alpha * 255))
        return c
    return QColor(colour)


class _Style(QProxyStyle):
    """Fusion, with check boxes and radio buttons outlined in the theme's ``indicator``
    colour: Fusion draws their ring a shade darker than the window, which vanishes on the
    night theme's dark window."""

    _BOXES = (QStyle.PrimitiveElement.PE_IndicatorCheckBox,
              QStyle.PrimitiveElement.PE_IndicatorRadioButton)

    def __init__(self) -> None:
        super().__init__(QStyleFactory.create("Fusion"))

    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption,
                      painter: QPainter, widget: QWidget | None = None) -> None:
        if element in self._BOXES:
            option = type(option)(option)  # a copy of its own kind (a button option)
            option.palette.setColor(QPalette.ColorRole.Window, QColor(THEME.indicator))
        super().drawPrimitive(element, option, painter, widget)


def apply_palette(app: QApplication) -> None:
    """Fusion style with the active theme's palette (the same on every platform)."""
    if not isinstance(app.style(), _Style):
        app.setStyle(_Style())
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
