"""A time field: DTG (``261700ZNOV26``) or ISO with zone, with the local time shown beside."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QWidget

from kfor_desk.domain.timefmt import TimeError, format_dtg, format_local, parse_when
from kfor_desk.ui import palette

from .field_error import mark_invalid

HINT = "DTG 261700ZNOV26 or ISO 2026-11-26T17:00Z"


def _normalise(text: str) -> str:
    # DTGs are written in capitals; accept them typed in lower case
    return text.strip().upper()


class DtgEdit(QWidget):
    """Line edit for a UTC time; ``value()`` is the parsed time or ``None``.

    While the operator types, an unfinished entry shows the expected forms in grey; once the
    field is left (or :meth:`show_problems` is called) a wrong entry shows its sentence in red.
    """

    valueChanged = Signal(object)  # datetime | None

    def __init__(self, parent: QWidget | None = None, *, required: bool = True) -> None:
        super().__init__(parent)
        self.required = required
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("DDHHMMZMONYY")
        self.edit.setMaxLength(40)
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        fixed.setPointSizeF(self.edit.font().pointSizeF())
        self.edit.setFont(fixed)
        width = self.edit.fontMetrics().horizontalAdvance("2026-11-26T17:00Z__")
        self.edit.setFixedWidth(width + 16)
        self.edit.setToolTip(f"UTC time: {HINT}")
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(8)
        lay.addWidget(self.edit)
        lay.addWidget(self.hint, 1)
        self.setFocusProxy(self.edit)
        self._value: datetime | None = None
        self._error: str | None = None
        self._touched = False
        self.edit.textChanged.connect(self._reparse)
        self.edit.editingFinished.connect(self._left)
        self._reparse(self.edit.text())

    # --- API ------------------------------------------------------------------------------
    def value(self) -> datetime | None:
        return self._value

    def set_value(self, value: datetime | None) -> None:
        self.edit.setText(format_dtg(value) if value is not None else "")

    def text(self) -> str:
        return self.edit.text()

    def setText(self, text: str) -> None:
        self.edit.setText(text)

    def error(self) -> str | None:
        """Why the text cannot be read (or is missing while required), else ``None``."""
        if self._error is None and self.required and self._value is None:
            return "A time is required: a DTG like 261700ZNOV26 or ISO like 2026-11-26T17:00Z."
        return self._error

    def show_problems(self) -> None:
        self._touched = True
        self._render()

    def shown_error(self) -> str:
        """The sentence its own line shows under the field ("" when it shows none): the form
        leaves a problem saying the same out of its error line (it would say it twice)."""
        return self.hint.text() if self._value is None and self._error and self._touched else ""

    # --- internals ------------------------------------------------------------------------
    def _reparse(self, text: str) -> None:
        t = _normalise(text)
        value: datetime | None = None
        error: str | None = None
        if t:
            try:
                value = parse_when(t)
            except TimeError as exc:
                error = str(exc)
        changed = value != self._value
        self._value, self._error = value, error
        self._render()
        if changed:
            self.valueChanged.emit(value)

    def _left(self) -> None:
        self._touched = True
        if self._value is not None:
            canonical = format_dtg(self._value)
            if self.edit.text() != canonical and self._value.second == 0:
                self.edit.setText(canonical)
        self._render()

    def _render(self) -> None:
        if self._value is not None:
            self.hint.setText(f"{format_local(self._value)}")
            palette.themed_style(self.hint, lambda: f"color: {palette.HINT};")
            mark_invalid(self.edit, False)
        elif self._error and self._touched:
            msg = self._error[0].upper() + self._error[1:]
            self.hint.setText(msg if msg.endswith(".") else msg + ".")
            palette.themed_style(self.hint, lambda: f"color: {palette.ERROR};")
            mark_invalid(self.edit, True)
        else:
            self.hint.setText(HINT if self.edit.text().strip() else "")
            palette.themed_style(self.hint, lambda: f"color: {palette.HINT};")
            mark_invalid(self.edit, False)
