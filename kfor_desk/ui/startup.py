"""The start-up dialogs: :class:`StartupDialog` and the file pickers, as a :class:`StartupIO`.

What to open and what to ask when opening fails is decided without Qt in
:mod:`kfor_desk.services.startup` (re-exported here for the app and the tests): this module
only shows the question and returns the operator's choice. It opens nothing itself.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kfor_desk.services.desk import Operator
from kfor_desk.services.startup import (
    Choice,
    Opened,
    StartPlace,
    StartupIO,
    StartupProblem,
    describe,
    first_start,
    open_at_start,
    open_for_window,
    start_place,
)
from kfor_desk.ui import palette

__all__ = ["DB_FILTER", "Choice", "Opened", "StartPlace", "StartupDialog", "StartupIO",
           "StartupProblem", "ask_dialog", "describe", "dialog_io", "first_start",
           "open_at_start", "open_for_window", "pick_existing_dialog", "pick_new_dialog",
           "start_place"]

DB_FILTER = "KFOR Desk database (*.db *.sqlite *.kfor);;All files (*)"


# ---------------------------------------------------------------- the dialog
class StartupDialog(QDialog):
    """Shows a :class:`StartupProblem` with one button per choice; emits ``chosen``.

    Non-blocking friendly: tests call ``open()`` and click; the app uses :func:`ask_dialog`.
    """

    chosen = Signal(object)

    def __init__(self, problem: StartupProblem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.problem = problem
        self.choice: Choice = Choice.QUIT
        self.setWindowTitle(f"KFOR Desk — {problem.title}")
        self.setObjectName("startupDialog")
        heading = QLabel(f"<h2 style='margin:0'>{escape(problem.title)}</h2>")
        message = QLabel(escape(problem.message))
        message.setObjectName("startupMessage")
        message.setWordWrap(True)
        message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        advice = QLabel(escape(problem.advice))
        advice.setObjectName("startupAdvice")
        advice.setWordWrap(True)
        advice.setStyleSheet(f"color: {palette.HEADING};")
        where = QLabel(f"<span style='color:{palette.MUTED}'>Database: {escape(problem.location)}"
                       "</span>")
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.buttons: dict[Choice, QPushButton] = {}
        for c in problem.choices:
            b = QPushButton(c.label)
            b.setObjectName(f"choice_{c.value}")
            b.setAutoDefault(c is problem.default)
            b.setDefault(c is problem.default)
            b.clicked.connect(lambda _=False, c=c: self._choose(c))
            buttons.addWidget(b)
            self.buttons[c] = b
        lay = QVBoxLayout(self)
        lay.setSpacing(10)
        for w in (heading, message, advice, where):
            lay.addWidget(w)
        lay.addLayout(buttons)
        self.setMinimumWidth(560)
        if problem.default in self.buttons:
            self.buttons[problem.default].setFocus()

    def _choose(self, choice: Choice) -> None:
        self.choice = choice
        self.chosen.emit(choice)
        self.accept()

    def reject(self) -> None:  # Esc or the window's close button: quit
        self.choice = Choice.QUIT
        self.chosen.emit(Choice.QUIT)
        super().reject()


def ask_dialog(problem: StartupProblem, parent: QWidget | None = None) -> Choice:
    dlg = StartupDialog(problem, parent)
    dlg.exec()
    return dlg.choice


def pick_existing_dialog(start: str, parent: QWidget | None = None) -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, "Open a KFOR Desk database", start,
                                          DB_FILTER)
    return path or None


def pick_new_dialog(suggested: str, parent: QWidget | None = None) -> str | None:
    Path(suggested).parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path, _ = QFileDialog.getSaveFileName(
        parent, "Create a KFOR Desk database", suggested, DB_FILTER,
        options=QFileDialog.Option.DontConfirmOverwrite)
    return path or None


def dialog_io(make_training: Callable[[str, Operator], None],
              parent: QWidget | None = None) -> StartupIO:
    """The real dialogs (blocking), over ``parent`` (the main window, shown "Opening…")."""
    return StartupIO(partial(ask_dialog, parent=parent),
                     partial(pick_existing_dialog, parent=parent),
                     partial(pick_new_dialog, parent=parent), make_training)
