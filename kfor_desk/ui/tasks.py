"""Long work off the GUI thread, with a progress dialog.

``run_task(parent, title, fn, on_done)`` runs ``fn(progress)`` on a worker thread of a
``QThreadPool`` while a window-modal :class:`QProgressDialog` shows how far it is. The result
(or the exception) comes back through a queued signal, so ``on_done`` / ``on_error`` always run
on the GUI thread.

Rules for ``fn``: call services that open their own connections and return plain values (records,
counts, paths); never pass ORM objects or a connection between threads, and never touch widgets.
Report progress with ``progress(done, total, text)``; when the work can stop half-way, call
``progress.check()`` between steps (raises :class:`Cancelled` once the operator pressed Cancel).
Work that a ``should_stop`` of its own ended (:class:`~kfor_desk.services.errors.Stopped`:
the window closed, a newer refresh superseded it) is treated the same way: dropped, nothing
shown, never an error dialog.
"""

from __future__ import annotations

import concurrent.futures
import threading
import traceback
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from kfor_desk.services.errors import Stopped, is_user_error, user_message

__all__ = ["Cancelled", "Progress", "TaskHandle", "WorkerThreads", "active_tasks", "run_task",
           "wait_for_tasks", "worker_threads"]


class Cancelled(Exception):
    """Raised by :meth:`Progress.check` after the operator pressed Cancel."""


class _Signals(QObject):
    progressed = Signal(int, int, str)  # done, total (0: unknown), text
    succeeded = Signal(object)
    failed = Signal(object, str)  # exception, formatted traceback
    cancelled = Signal()


class Progress:
    """Handed to the work function: report progress, and learn whether to stop.

    Thread-safe: only emits queued signals and reads a flag.
    """

    def __init__(self, signals: _Signals) -> None:
        self._signals = signals
        self._cancel_requested = False

    def __call__(self, done: int, total: int | None = None, text: str = "") -> None:
        self._signals.progressed.emit(int(done), int(total or 0), text)

    @property
    def cancelled(self) -> bool:
        return self._cancel_requested

    def check(self) -> None:
        """Raise :class:`Cancelled` if the operator asked to stop."""
        if self._cancel_requested:
            raise Cancelled()

    def request_cancel(self) -> None:
        self._cancel_requested = True


class _Runner(QRunnable):
    def __init__(self, fn: Callable[[Progress], Any], progress: Progress,
                 signals: _Signals) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn = fn
        self._progress = progress
        self._signals = signals

    def run(self) -> None:
        try:
            result = self._fn(self._progress)
        except (Cancelled, Stopped):  # dropped: nothing shown
            self._signals.cancelled.emit()
        except BaseException as exc:  # delivered to the GUI thread, never lost
            self._signals.failed.emit(exc, traceback.format_exc())
        else:
            self._signals.succeeded.emit(result)


class Pool(Protocol):
    """What :func:`run_task` needs of a pool (``QThreadPool`` or :class:`WorkerThreads`)."""

    def start(self, runnable: QRunnable) -> None: ...

    def waitForDone(self, msecs: int = ...) -> bool: ...


class WorkerThreads:
    """Work on long-lived *Python* threads (the default pool of :func:`run_task`).

    A ``QThreadPool`` thread gets a fresh Python thread state for every task, which drops
    per-thread state that C libraries keep (PROJ's context behind pyproj crashed on the second
    task in one pool thread). Python threads keep theirs for their whole life.
    """

    def __init__(self, max_threads: int = 4, name: str = "kfor-task") -> None:
        self._executor = concurrent.futures.ThreadPoolExecutor(max_threads,
                                                               thread_name_prefix=name)
        self._lock = threading.Lock()
        self._pending: set[concurrent.futures.Future[None]] = set()

    def start(self, runnable: QRunnable) -> None:
        future = self._executor.submit(runnable.run)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._forget)

    def _forget(self, future: concurrent.futures.Future[None]) -> None:
        with self._lock:
            self._pending.discard(future)

    def clear(self) -> None:
        """Drop the tasks that have not started."""
        with self._lock:
            pending = list(self._pending)
        for future in pending:
            future.cancel()

    def waitForDone(self, msecs: int = -1) -> bool:
        """Block until every started task has ended; ``False`` on timeout."""
        with self._lock:
            pending = list(self._pending)
        _, left = concurrent.futures.wait(pending, None if msecs < 0 else msecs / 1000)
        return not left

    def activeThreadCount(self) -> int:
        with self._lock:
            return len(self._pending)


_DEFAULT_POOL: WorkerThreads | None = None


def worker_threads() -> WorkerThreads:
    """The shared pool of :func:`run_task`."""
    global _DEFAULT_POOL
    if _DEFAULT_POOL is None:
        _DEFAULT_POOL = WorkerThreads()
    return _DEFAULT_POOL


_ACTIVE: set[TaskHandle] = set()


class TaskHandle(QObject):
    """One running task. ``finished`` is emitted on the GUI thread after the callbacks ran."""

    finished = Signal()

    def __init__(self, parent: QWidget | None, title: str, *, cancellable: bool,
                 show_dialog: bool) -> None:
        super().__init__()
        self.title = title
        self.signals = _Signals()
        self.progress = Progress(self.signals)
        self.done = False
        self.dialog: QProgressDialog | None = None
        if show_dialog:
            dlg = QProgressDialog(parent)
            dlg.setWindowTitle(title)
            dlg.setLabelText(f"{title}…")
            dlg.setWindowModality(Qt.WindowModality.WindowModal)
            dlg.setAutoClose(False)
            dlg.setAutoReset(False)
            dlg.setMinimumDuration(300)  # quick work finishes without a flash of a dialog
            dlg.setRange(0, 0)  # busy until the work reports a total
            dlg.setMinimumWidth(420)
            if cancellable:
                dlg.setCancelButtonText("Cancel")
                dlg.canceled.connect(self.cancel)
            else:
                dlg.setCancelButton(None)
            dlg.setValue(0)
            self.dialog = dlg
        self.signals.progressed.connect(self._on_progress)

    def cancel(self) -> None:
        """Ask the work to stop (it stops at its next :meth:`Progress.check`)."""
        self.progress.request_cancel()
        if self.dialog is not None and not self.done:
            self.dialog.setLabelText(f"{self.title}: stopping…")
            self.dialog.show()  # stays until the work has actually stopped

    @property
    def cancel_requested(self) -> bool:
        return self.progress.cancelled

    def _on_progress(self, done: int, total: int, text: str) -> None:
        dlg = self.dialog
        if dlg is None or self.done:
            return
        if total > 0:
            if dlg.maximum() != total:
                dlg.setRange(0, total)
            dlg.setValue(min(done, total))
        if text and not self.progress.cancelled:
            dlg.setLabelText(text)

    def _finish(self) -> None:
        self.done = True
        if self.dialog is not None:
            self.dialog.canceled.disconnect()
            self.dialog.hide()
            self.dialog.deleteLater()
            self.dialog = None
        _ACTIVE.discard(self)
        self.finished.emit()


def _default_error(parent: QWidget | None, title: str) -> Callable[[BaseException, str], None]:
    def show(exc: BaseException, tb: str) -> None:
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(title)
        if is_user_error(exc):  # the one taxonomy: the operator's problem, with its sentence
            box.setText(f"{title} did not complete.")
            box.setInformativeText(user_message(exc))
        else:
            box.setText(f"{title} stopped on an unexpected error.")
            box.setInformativeText(f"{type(exc).__name__}: {exc}\n\nNothing is lost that was "
                                   "already saved. Please report the details.")
            box.setDetailedText(tb)
        box.open()

    return show


def run_task(parent: QWidget | None, title: str, fn: Callable[[Progress], Any],
             on_done: Callable[[Any], None],
             on_error: Callable[[BaseException], None] | None = None, *,
             on_cancel: Callable[[], None] | None = None, cancellable: bool = True,
             show_dialog: bool = True, pool: Pool | QThreadPool | None = None) -> TaskHandle:
    """Run ``fn(progress)`` on a worker thread; call ``on_done(result)`` or
    ``on_error(exception)`` on the GUI thread.

    Without ``on_error`` the error is shown in a message box. When the work stops on
    :class:`Cancelled` (or :class:`Stopped`), ``on_cancel`` is called (if given) and neither
    of the others.
    If the operator presses Cancel but the work does not check, it runs to its end and
    ``on_done`` gets its result (whatever it did is done).
    """
    handle = TaskHandle(parent, title, cancellable=cancellable, show_dialog=show_dialog)
    show_error = _default_error(parent, title)

    def done(result: object) -> None:
        handle._finish()
        on_done(result)

    def failed(exc: BaseException, tb: str) -> None:
        handle._finish()
        if on_error is not None:
            on_error(exc)
        else:
            show_error(exc, tb)

    def stopped() -> None:
        handle._finish()
        if on_cancel is not None:
            on_cancel()

    # The signals object lives on the GUI thread: emissions from the worker are queued here.
    handle.signals.succeeded.connect(done, Qt.ConnectionType.QueuedConnection)
    handle.signals.failed.connect(failed, Qt.ConnectionType.QueuedConnection)
    handle.signals.cancelled.connect(stopped, Qt.ConnectionType.QueuedConnection)
    _ACTIVE.add(handle)
    (pool or worker_threads()).start(_Runner(fn, handle.progress, handle.signals))
    return handle


def active_tasks() -> list[TaskHandle]:
    """Tasks started and not yet delivered (e.g. to ask before quitting)."""
    return list(_ACTIVE)


def wait_for_tasks(timeout_ms: int = 30_000, pool: Pool | QThreadPool | None = None) -> bool:
    """Block until the worker threads are idle (at quit); ``False`` on timeout."""
    return (pool or worker_threads()).waitForDone(timeout_ms)
