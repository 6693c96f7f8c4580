"""A dialog that never loses typed input by accident.

Esc or the window's close button ask before discarding changes; plain Enter moves to the next
field and never saves (Ctrl+Enter is the save key of each dialog). Subclasses give their input
state with :meth:`_state` and call :meth:`mark_clean` after loading or saving.

A dialog saves through :meth:`GuardedDialog.run_op` (an operation off the GUI thread, see
:mod:`kfor_desk.ui.operations`): while it runs the dialog is *busy* — the input stays, the save
button is off, a second save is refused and the dialog does not close — until the result or the
error is back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QMessageBox, QPushButton, QWidget

if TYPE_CHECKING:
    from kfor_desk.services.desk import Desk
    from kfor_desk.ui.operations import Done
    from kfor_desk.ui.tasks import TaskHandle

T = TypeVar("T")

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
        self._op: TaskHandle | None = None  # the operation running for this dialog

    desk: Desk
    save_button: QPushButton

    # ------------------------------------------------------------ operations
    def run_op(self, title: str, op: Callable[[Desk], Done[T]], on_done: Callable[[T], None],
               on_error: Callable[[BaseException], None]) -> TaskHandle | None:
        """Run ``op`` off the GUI thread (``None`` when one is running already: no double
        save); busy until its result or error is back."""
        from kfor_desk.ui.operations import run_op

        if self._op is not None:
            return None

        def finish() -> None:
            self._op = None
            self.save_button.setEnabled(True)
            self.unsetCursor()

        def done(value: T) -> None:
            finish()
            on_done(value)

        def failed(exc: BaseException) -> None:
            finish()
            on_error(exc)

        self.save_button.setEnabled(False)
        self.setCursor(Qt.CursorShape.BusyCursor)
        self._op = run_op(self, self.desk, title, op, done, failed)
        return self._op

    def is_busy(self) -> bool:
        """True while an operation of this dialog runs."""
        return self._op is not None

    def _state(self) -> tuple[object, ...]:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def mark_clean(self) -> None:
        """The current input is what is saved (or loaded): nothing to lose."""
        self._initial = self._state()

    def has_changes(self) -> bool:
        return self._state() != self._initial

    def reject(self) -> None:
        if self.is_busy():  # the operation reports back to this dialog
            return
        if self.has_changes() and not self.confirm_discard(self):
            return
        self.mark_clean()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.is_busy():
            event.ignore()
            return
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
