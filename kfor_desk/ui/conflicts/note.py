"""The note prompt of "Mark deconflicted": what was done, kept in the audit trail.

OK is possible only once something is written; the service decides whether the note is enough.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from .rows import ConflictRow, record_text


class DeconflictNoteDialog(QDialog):
    """Asks what was done to deconflict a pair; OK only once something is written."""

    def __init__(self, row: ConflictRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Mark deconflicted")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        pair = QLabel(
            f"<b>{_html(record_text(row.a, row.a_title))}</b><br>"
            f"<b>{_html(record_text(row.b, row.b_title))}</b><br>"
            f"{row.distance_km:.1f} km apart · {_html(row.window_text)}")
        pair.setTextFormat(Qt.TextFormat.RichText)
        pair.setWordWrap(True)
        layout.addWidget(pair)
        layout.addWidget(QLabel("What was done to deconflict them (kept in the audit trail):"))
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(
            "e.g. KSF activity moved to 29 NOV after liaison with SAF LO; COMKFOR informed.")
        self.note.setTabChangesFocus(True)
        layout.addWidget(self.note)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Mark deconflicted")
        ok.setEnabled(False)
        self.note.textChanged.connect(
            lambda: ok.setEnabled(bool(self.note.toPlainText().strip())))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        hint = QLabel("Ctrl+Enter marks · Esc cancels")
        hint.setObjectName("hint")
        layout.addWidget(hint)
        for seq in ("Ctrl+Return", "Ctrl+Enter"):  # like every other dialog
            sc = QShortcut(QKeySequence(seq), self)
            sc.activated.connect(self._accept_if_written)
        self._ok = ok

    def text(self) -> str:
        return self.note.toPlainText().strip()

    def _accept_if_written(self) -> None:
        if self._ok.isEnabled():
            self.accept()


def ask_note(parent: QWidget, row: ConflictRow) -> str | None:
    """The default note prompt: a modal dialog; ``None`` when cancelled."""
    dialog = DeconflictNoteDialog(row, parent)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.text()
        return None
    finally:
        dialog.deleteLater()


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
