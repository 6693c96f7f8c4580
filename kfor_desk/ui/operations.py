"""One way to change data from the window: an operation off the GUI thread that says what changed.

A write (a save, a workflow step, a deconfliction mark) and the reads a form needs before one
(the conflict preview) are *operations*: ``run_op(parent, desk, title, op, on_done)`` runs
``op(desk)`` on a worker thread through :func:`kfor_desk.ui.tasks.run_task` and ``op`` returns a
:class:`Done` — its value and a frozen :class:`Changes` saying which register numbers and which
kinds of data (records, marks, settings) it changed. On the GUI thread the changes are announced
first on :func:`op_bus` (each screen decides whether it must refresh: the window re-reads its
registers when records, marks or settings changed), then ``on_done(value)`` runs. Errors come back
to ``on_error`` (the dialog shows them at their place) or, without one, through
:func:`kfor_desk.ui.errors.show_error`.

This module does not decide what is refreshed, nor how an error is worded; it never touches a
widget from the worker, and the values that cross threads are frozen dataclasses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from kfor_desk.ui.errors import show_error
from kfor_desk.ui.tasks import TaskHandle, run_task

if TYPE_CHECKING:
    from kfor_desk.services.desk import Desk

__all__ = ["NO_CHANGES", "Changes", "Done", "OpBus", "op_bus", "run_op"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Changes:
    """What an operation changed: register numbers, and which kinds of data."""

    register_nos: frozenset[str] = frozenset()
    records: bool = False  # records were created or changed (registers, conflicts, flags)
    marks: bool = False  # deconfliction marks changed (conflict statuses)
    settings: bool = False  # desk settings changed (everything derived from them)

    @classmethod
    def of_records(cls, register_nos: Iterable[str | None]) -> Changes:
        return cls(frozenset(r for r in register_nos if r), records=True)

    @classmethod
    def of_marks(cls, register_nos: Iterable[str]) -> Changes:
        return cls(frozenset(register_nos), marks=True)

    def __bool__(self) -> bool:
        return self.records or self.marks or self.settings

    def touches(self, register_no: str) -> bool:
        return register_no in self.register_nos


NO_CHANGES = Changes()


@dataclass(frozen=True, slots=True)
class Done(Generic[T]):
    """What an operation hands back: its value and what it changed."""

    value: T
    changes: Changes = NO_CHANGES


class OpBus(QObject):
    """Announces every operation's changes on the GUI thread:
    ``changed(changes, desk, initiator)``."""

    changed = Signal(object, object, object)


_BUS: OpBus | None = None


def op_bus() -> OpBus:
    """The one bus of the application (made on first use, on the GUI thread)."""
    global _BUS
    if _BUS is None:
        _BUS = OpBus()
    return _BUS


def run_op(parent: QWidget, desk: Desk, title: str, op: Callable[[Desk], Done[T]],
           on_done: Callable[[T], None],
           on_error: Callable[[BaseException], None] | None = None, *,
           show_dialog: bool = False) -> TaskHandle:
    """Run ``op(desk)`` off the GUI thread; announce its changes, then ``on_done(value)``
    (or ``on_error(exc)``) on the GUI thread. ``parent`` is the initiator (a screen may skip
    its own changes) and the parent of any error box; ``show_dialog``: a progress dialog for
    long work (an import), where a form shows its own busy state."""
    bus = op_bus()

    def done(result: Done[T]) -> None:
        if result.changes:
            bus.changed.emit(result.changes, desk, parent)
        on_done(result.value)

    def failed(exc: BaseException) -> None:
        if on_error is not None:
            on_error(exc)
        else:
            show_error(parent, exc, title)

    def work(_progress: Any) -> Done[T]:
        return op(desk)

    return run_task(parent, title, work, done, failed, cancellable=False,
                    show_dialog=show_dialog)
