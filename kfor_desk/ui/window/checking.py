"""The window's checks on open and its start backup: the deferred checks run after the first
paint, on a worker of their own, so a new record can be saved as soon as they pass while the
records may still be loading; until then the window is read-only. The registers' read gets a
head start (:data:`CHECKS_HEAD_START_S`): the checks begin once the registers are shown, or
when it is over, so a small desk's registers are not slowed by them and a large desk's saving
does not wait for its whole read. The
start backup that follows (the file as checked, :mod:`kfor_desk.services.open_checks`) is made
while the window is already writable, its copy begun once the registers are shown (the state it
copies is held from the moment the checks passed); a label in the status bar says it is being
made and, if it failed, stays until a backup is made by hand; "Restore…" waits for it.

This part only starts the services' work off the GUI thread and shows what it concluded; it
decides nothing about the database (the banners and actions are :mod:`.safety`'s).
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal

from kfor_desk.ui.errors import show_error
from kfor_desk.ui.tasks import run_task

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtWidgets import QLabel

    from kfor_desk.services.opening import OpenResult

    from .main import MainWindow

log = logging.getLogger("kfor_desk.ui")

CHECKING_TITLE = "Checking the database (integrity and audit trail)…"
READONLY_TITLE = "READ-ONLY — nothing can be saved"
START_BACKUP_RUNNING = ("Making the start backup (the database as it was opened); you can "
                        "save meanwhile…")
START_BACKUP_LABEL = "Making the start backup…"
#: the start backup's copy waits at most this long for the registers to be shown first
REGISTERS_FIRST_S = 60.0
#: the checks on open give the registers' read this head start (they begin once the registers
#: are shown, or after this long: a large desk's read is not waited for; ``bench_start``)
CHECKS_HEAD_START_S = 0.3
START_BACKUP_FAILED_LABEL = "<b>No start backup</b> — File ▸ Back up now"


class _Relay(QObject):
    """Carries the writable result from the checks' worker to the GUI thread (queued)."""

    writable = Signal(object)


def _sentences(lines: list[str]) -> list[str]:
    return [w[0].upper() + w[1:] for w in lines if w]


class ChecksOnOpen:
    """The deferred checks and the start backup, for :class:`~.safety.DataSafety`."""

    w: MainWindow
    checks_stop: threading.Event
    start_backup_running: bool
    _writable_shown: OpenResult | None
    backup_label: QLabel
    set_safety: Callable[..., None]  # DataSafety's: work on the result the checks gave

    def start_checks(self) -> Any:
        """A deferred open: the integrity and audit-chain checks run after the first paint,
        on a worker of their own beside the registers' read (saving waits for the checks
        only, not for the records to be shown); until they pass the window is read-only.
        Then the window is writable at once while the start backup (the file as checked)
        is made on the same worker; the status bar says so, and what became of it."""
        w = self.w
        safety = w.safety
        if safety is None or not safety.pending_checks:
            return None
        w.warning_banner.show_message(
            CHECKING_TITLE,
            ["You can read now; saving is possible as soon as the checks pass."])
        relay = _Relay(w)
        relay.writable.connect(self._writable, Qt.ConnectionType.QueuedConnection)

        def writable(result: OpenResult) -> None:  # the worker: hand it to the GUI thread
            relay.writable.emit(result)

        def done(result: OpenResult) -> None:
            relay.deleteLater()
            self.start_backup_running = False
            if w.closed:
                if result.desk is not w.desk:
                    result.desk.close()
                return
            if self._writable_shown is not None and result.desk is w.desk \
                    and not result.readonly:
                self._start_backup_done(result)
                return
            w.warning_banner.hide()
            log.info("checks on open: %s", "passed, writable" if not result.readonly
                     else f"read-only: {result.readonly_reason or 'not concluded'}")
            self.set_safety(result, reload=result.desk is not w.desk)
            if result.warnings:
                w.warning_banner.show_message("Please read", _sentences(result.warnings))

        def failed(exc: BaseException) -> None:  # the checks did not run: writing stays off
            relay.deleteLater()
            self.start_backup_running = False
            w.warning_banner.hide()
            if w.closed:
                return
            if self._writable_shown is not None:  # the checks passed; the backup broke
                self._start_backup_done(None, exc)
                return
            w.readonly_banner.show_message(
                READONLY_TITLE,
                [f"The checks on open could not run ({exc}). Close KFOR Desk and start it "
                 "again; nothing was changed."])
            show_error(w, exc, "Checking the database")

        from kfor_desk.services.opening import finish_checks

        self._writable_shown = None
        stop = self.checks_stop.is_set
        shown = threading.Event()  # the registers are on screen: the copy may begin
        if w.registers_ready():
            shown.set()
        else:
            w.registersShown.connect(shown.set)

        def registers_first() -> None:  # the worker: the state to copy is held already
            waited = 0.0
            while not shown.wait(0.2) and not stop() and waited < REGISTERS_FIRST_S:
                waited += 0.2

        def checks(_progress: Any) -> OpenResult:
            # the registers' read first, for a moment: both are Python on one interpreter
            # lock, so a read with the checks beside it takes about twice as long; a small
            # desk's registers are then shown before the checks start, a large one's
            # read goes on beside them (saving does not wait for it)
            shown.wait(CHECKS_HEAD_START_S)
            return finish_checks(safety, stop, on_writable=writable,
                                 before_copy=registers_first)

        # not on the loader's thread: the checks do not queue behind the registers' read
        return run_task(w, "Checking the database", checks, done, failed,
                        cancellable=False, show_dialog=False)

    def _writable(self, result: OpenResult) -> None:
        """The checks passed: writable now; the start backup goes on behind."""
        w = self.w
        if w.closed:
            return
        self._writable_shown = result
        self.start_backup_running = True
        w.warning_banner.hide()
        log.info("checks on open: passed, writable (the start backup is being made)")
        self.set_safety(result, reload=False)
        self.backup_label.setText(START_BACKUP_LABEL)
        self.backup_label.setToolTip(START_BACKUP_RUNNING)
        self.backup_label.show()  # the sentence is its tooltip: the message line stays free
        if result.warnings:
            w.warning_banner.show_message("Please read", _sentences(result.warnings))

    def _start_backup_done(self, result: OpenResult | None,
                           exc: BaseException | None = None) -> None:
        """The start backup ended (``result``: the desk's result with it, or with the
        sentence saying why it failed; ``exc``: it broke)."""
        w = self.w
        shown = self._writable_shown
        self._writable_shown = None
        w.commands.apply_readonly()
        if result is None or shown is None:
            text = (f"The backup on start failed ({exc}). Your records are saved as always; "
                    "make a backup with File ▸ Back up now.")
            self._start_backup_failed(text)
            w.warning_banner.show_message("Please read", [text])
            return
        w.safety = result  # the same desk and lock, now with its start backup
        new = [x for x in result.warnings if x not in shown.warnings]
        self.backup_label.hide()
        if new:
            self._start_backup_failed(_sentences(new)[0])
            w.warning_banner.show_message("Please read", _sentences(result.warnings))
        elif result.newest_backup is not None:
            w.statusBar().showMessage(
                f"Start backup made: {result.newest_backup.name} (the database as it was "
                "opened).", 20_000)
        else:
            w.statusBar().clearMessage()

    def _start_backup_failed(self, text: str) -> None:
        self.backup_label.setText(START_BACKUP_FAILED_LABEL)
        self.backup_label.setToolTip(text)
        self.backup_label.show()
        self.w.statusBar().showMessage(text)

