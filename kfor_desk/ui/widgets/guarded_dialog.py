"""A dialog that never loses typed input by accident.

Esc or the window's close button ask before discarding changes; plain Enter moves to the next
field and never saves (Ctrl+Enter is the save key of each dialog). Subclasses give their input
state with :meth:`_state` and call :meth:`mark_clean` after loading or saving.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

ConfirmDiscard = Callable[[QWidget], bool]


def ask_discard(parent: QWidget) -> bool:
    """The default question before input is lost: ``True`` to discard."""
    box = QMessageBox(QMessageBox.Icon.Question, "Discard changes?",
                      "What you entered in this form has not been saved.", parent=parent)
    box.setInformativeText("Discard it and close the form?")
    discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton("Keep editing", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is discard


class GuardedDialog(QDialog):
    """Base of the record form and the workflow dialogs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: asked before input is lost; replaceable (tests answer without a modal box)
        self.confirm_discard: ConfirmDiscard = ask_discard
        self._initial: tuple[object, ...] = ()

    def _state(self) -> tuple[object, ...]:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def mark_clean(self) -> None:
        """The current input is what is saved (or loaded): nothing to lose."""
        self._initial = self._state()

    def has_changes(self) -> bool:
        return self._state() != self._initial

    def reject(self) -> None:
        if self.has_changes() and not self.confirm_discard(self):
            return
        self.mark_clean()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.result() == QDialog.DialogCode.Accepted or not self.has_changes() \
                or self.confirm_discard(self):
            self.mark_clean()
            event.accept()
        else:
            event.ignore()

    def keyPressEvent(self, event: Any) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.reject()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.focusNextChild()  # Enter moves on; it never saves by accident
            return
        super().keyPressEvent(event)
