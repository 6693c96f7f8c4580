"""The one place that shows errors.

The one taxonomy decides (:func:`~kfor_desk.services.errors.is_user_error`): a
:class:`~kfor_desk.services.errors.UserError` (or an OSError on a file) is something the
operator can act on: its sentence (:func:`~kfor_desk.services.errors.user_message`) is shown
in a warning box. Anything else is a bug: a short "unexpected error" box with the details
collapsed, and the traceback in the log. ``install_excepthook`` routes uncaught
exceptions (e.g. in a slot) here instead of a traceback on stderr.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from kfor_desk.services.errors import is_user_error, user_message

log = logging.getLogger("kfor_desk.ui")

#: Replaced in tests: receives every box before it is shown (and may stop it being shown).
Presenter = Callable[[QMessageBox], None]


def _open(box: QMessageBox) -> None:
    box.open()


presenter: Presenter = _open

__all__ = ["error_box", "install_excepthook", "is_user_error", "presenter", "show_error",
           "user_message"]


def error_box(parent: QWidget | None, exc: BaseException, title: str = "KFOR Desk",
              tb: str | None = None) -> QMessageBox:
    """Build (not show) the box for ``exc``."""
    box = QMessageBox(parent)
    box.setWindowTitle(title)
    if is_user_error(exc):
        box.setIcon(QMessageBox.Icon.Warning)
        box.setText(user_message(exc))
    else:
        box.setIcon(QMessageBox.Icon.Critical)
        box.setText("An unexpected error occurred.")
        box.setInformativeText("What was already saved is safe. The details are in the log; "
                               "please report them.")
        box.setDetailedText(tb or "".join(traceback.format_exception(exc)))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    return box


def show_error(parent: QWidget | None, exc: BaseException, title: str = "KFOR Desk",
               tb: str | None = None) -> QMessageBox:
    """Show ``exc`` to the operator (non-blocking) and log it; returns the box."""
    if is_user_error(exc):
        log.warning("%s: %s", title, exc)
    else:
        log.error("%s: unexpected error\n%s", title,
                  tb or "".join(traceback.format_exception(exc)))
    box = error_box(parent, exc, title, tb)
    presenter(box)
    return box


def install_excepthook() -> None:
    """Uncaught exceptions on the GUI thread go to :func:`show_error`, never to a traceback
    on the console alone."""

    def hook(kind: type[BaseException], exc: BaseException,
             tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        text = "".join(traceback.format_exception(kind, exc, tb))
        parent = QApplication.activeWindow()
        show_error(parent, exc, tb=text)

    sys.excepthook = hook
