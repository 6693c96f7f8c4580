"""The sentence under a field that says what is wrong with it, and the marking of the field."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from kfor_desk.ui import palette

# the colours when the module loaded; a form made later reads the active theme (palette.*)
ERROR_COLOUR = palette.ERROR
HINT_COLOUR = palette.HINT
OK_COLOUR = palette.OK


def invalid_style() -> str:
    """Applied by forms: a field with a problem gets a red frame (dynamic property
    ``invalid``), in the active theme's colour."""
    return (
        f'QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"], QSpinBox[invalid="true"], '
        f'QComboBox[invalid="true"] {{ border: 1px solid {palette.ERROR}; border-radius: 3px; '
        f"padding: 2px; }}"
    )


INVALID_STYLE = invalid_style()


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    """Set or clear the red frame of a field (only repolishes when it changes)."""
    if bool(widget.property("invalid")) == invalid:
        return
    widget.setProperty("invalid", invalid)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


class FieldError(QLabel):
    """A red sentence under a field; hidden while there is nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FieldError")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        palette.themed_style(self, lambda: f"color: {palette.ERROR};")
        self.setVisible(False)

    def set_error(self, message: str | None) -> None:
        text = (message or "").strip()
        if text and not text.endswith((".", "?", "!")):
            text += "."
        if text:
            text = text[0].upper() + text[1:]
        self.setText(text)
        self.setAccessibleDescription(text)
        self.setVisible(bool(text))

    def add_error(self, message: str) -> None:
        """Append another sentence (several problems on one field)."""
        current = self.text()
        self.set_error(message)
        if current and current != self.text():
            self.setText(f"{current}\n{self.text()}")

    @property
    def message(self) -> str:
        return self.text()
