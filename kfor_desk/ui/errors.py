"""The one place that shows errors.

A :class:`StoreError` or :class:`RuleError` is something the operator can act on: its sentence
is shown in a message box. Anything else is a bug: a short "unexpected error" box with the
details collapsed, and the traceback in the log. ``install_excepthook`` routes uncaught
exceptions (e.g. in a slot) here instead of a traceback on stderr.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from kfor_desk.domain.timefmt import TimeError
from kfor_desk.domain.validation import RuleError
from kfor_desk.store.errors import StoreError

log = logging.getLogger("kfor_desk.ui")

#: Replaced in tests: receives every box before it is shown (and may stop it being shown).
Presenter = Callable[[QMessageBox], None]


def _open(box: QMessageBox) -> None:
    box.open()


presenter: Presenter = _open


def is_user_error(exc: BaseException) -> bool:
    from kfor_desk.services.files import OutputError

    return isinstance(exc, (StoreError, RuleError, TimeError, OutputError))


def user_message(exc: BaseException) -> str:
    """The sentence for the operator: every problem of a RuleError on its own line."""
    if isinstance(exc, RuleError):
        return "\n".join(p.message for p in exc.problems) or str(exc)
    text = str(exc).strip() or type(exc).__name__
    return text[0].upper() + text[1:] if text else text


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
