"""Data safety of the window: banners, read-only mode, backups, restore and the deferred checks.

The window gets the :class:`~kfor_desk.services.opening.OpenResult` of the checks on open. A
database that failed them is shown READ-ONLY under a red banner with "Restore newest good
backup…", and every action that writes is off (the action table applies the rule); warnings from
opening are shown once in an amber banner. File ▸ Back up now / Restore…, a daily backup when due
(an hourly timer), the deferred checks after the first paint, and the exit backup when the window
closes. The checks, backups and restore themselves are the services'; this part only starts them
off the GUI thread and shows what they concluded.

The deferred checks and the start backup that follows them are :mod:`.checking`'s.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QMessageBox

from kfor_desk.ui.errors import show_error
from kfor_desk.ui.panels.backups import describe_reason
from kfor_desk.ui.tasks import run_task, wait_for_tasks

from .checking import (
    READONLY_TITLE,
    ChecksOnOpen,
    _sentences,
)

if TYPE_CHECKING:
    from kfor_desk.services.backups import BackupInfo
    from kfor_desk.services.opening import OpenResult, RestoreOutcome

    from .main import MainWindow

log = logging.getLogger("kfor_desk.ui")

BACKUP_TICK_MS = 3_600_000  # the daily backup is made by the first tick after it is due
class DataSafety(ChecksOnOpen):
    """The window's data-safety part (see the module docstring; the deferred checks and the
    start backup are :class:`~.checking.ChecksOnOpen`)."""

    def __init__(self, window: MainWindow) -> None:
        self.w = window
        self.restoring = False
        self.closed_db = False  # the exit backup and the lock are done (or nothing is open)
        self.checks_stop = threading.Event()  # set when the window closes
        #: the start backup is being made (the desk is writable meanwhile; no restore)
        self.start_backup_running = False
        self._writable_shown: OpenResult | None = None
        #: says in the status bar, where no other message wipes it, that the start backup is
        #: being made or that it failed (until a backup is made by hand)
        self.backup_label = QLabel()
        self.backup_label.setObjectName("startBackupLabel")
        self.backup_label.hide()
        window.statusBar().insertPermanentWidget(0, self.backup_label)
        self.backup_timer = QTimer(window)
        self.backup_timer.setInterval(BACKUP_TICK_MS)
        self.backup_timer.timeout.connect(self.backup_tick)

    # ------------------------------------------------------------ read-only
    def is_readonly(self) -> bool:
        """True when nothing can be saved (the checks on open failed, or read-only access)."""
        w = self.w
        if not w.attached or (w.safety is not None and w.safety.readonly):
            return True
        return w.desk.readonly or self.restoring

    def pending_checks(self) -> bool:
        return self.w.safety is not None and self.w.safety.pending_checks

    def show(self, first: bool = False) -> None:
        """The banners and the state of every action that writes."""
        w = self.w
        safety = w.safety
        if safety is not None and safety.readonly_reason:
            action = "Restore newest good backup…" if safety.newest_backup else ""
            w.readonly_banner.show_message(READONLY_TITLE, [safety.readonly_reason], action)
        elif w.desk.readonly:
            w.readonly_banner.show_message(
                READONLY_TITLE, ["The database was opened read-only; you can read and print."])
        else:
            w.readonly_banner.hide()
        if first and safety is not None and safety.warnings:
            w.warning_banner.show_message("Please read", _sentences(safety.warnings))
        w.commands.apply_readonly()
        if not self.is_readonly():  # the checks on open passed: a new record can be saved
            w.editable.emit()

    # ------------------------------------------------------------ backups
    def backup_now(self) -> Any:
        """"Back up now": a verified backup off the GUI thread; the status bar says where."""
        w = self.w
        safety = w.safety
        if safety is None or self.is_readonly():
            return None

        def done(info: BackupInfo) -> None:
            w.statusBar().showMessage(f"Backed up to {info.path}.", 20_000)
            if not self.start_backup_running:
                self.backup_label.hide()  # a failed start backup is made up for

        def failed(exc: BaseException) -> None:
            show_error(w, exc, "Back up now")

        return run_task(w, "Backing up the database", lambda _p: safety.backup_now(), done,
                        failed, cancellable=False)

    def backup_tick(self) -> Any:
        """The hourly timer: a daily backup when one is due (never while restoring)."""
        w = self.w
        safety = w.safety
        if safety is None or self.restoring or w.closed or self.is_readonly():
            return None

        def done(info: BackupInfo | None) -> None:
            if info is not None and not w.closed:
                w.statusBar().showMessage(f"Daily backup made: {info.path}.", 10_000)

        def failed(exc: BaseException) -> None:
            log.warning("daily backup failed: %s", exc)
            if not w.closed:
                w.warning_banner.show_message("The daily backup failed",
                                              [str(exc), "Use File ▸ Back up now."])

        return run_task(w, "Daily backup", lambda _p: safety.daily_tick(), done, failed,
                        cancellable=False, show_dialog=False)

    # ------------------------------------------------------------ restore
    def restore_from_backup(self) -> Any:
        """"Restore…": choose a backup (newest first), confirm, restore off the GUI thread."""
        w = self.w
        safety = w.safety
        if safety is None or safety.path is None or self.restoring or safety.pending_checks \
                or self.start_backup_running:  # it replaces the file they are reading
            return None
        from kfor_desk.services.backups import list_backups

        backups = list_backups(safety.path, safety.backup_folder)
        if not backups:
            show_error(w, ValueError(
                f"there are no backups of {safety.path.name} in {safety.backup_folder}"),
                "Restore")
            return None
        chosen = w.choose_backup(backups)
        if chosen is None:
            return None
        return self.restore(chosen)

    def restore_newest(self) -> Any:
        """The read-only banner's "Restore newest good backup…"."""
        safety = self.w.safety
        if safety is None or safety.newest_backup is None:
            return self.restore_from_backup()
        return self.restore(safety.newest_backup)

    def restore(self, backup: Path, *, ask: bool = True) -> Any:
        """Put ``backup`` in place of the database and reload the window on it."""
        w = self.w
        safety = w.safety
        if safety is None or safety.path is None or self.restoring or safety.pending_checks \
                or self.start_backup_running:  # it replaces the file they are reading
            return None
        from kfor_desk.services.backups import list_backups
        from kfor_desk.services.opening import restore_or_reopen

        info = next((b for b in list_backups(safety.path, safety.backup_folder)
                     if b.path == backup), None)
        when = (f"{info.taken_at:%Y-%m-%d %H:%M}Z ({describe_reason(info.reason)})"
                if info else backup.name)
        if ask and not w.confirm(
                "Restore from a backup",
                f"Put the backup of {when} in place of {safety.path.name}?\n\n"
                "Records saved after that backup will not be in the restored database. The "
                "current file is kept aside beside it (renamed, never deleted)."):
            return None
        self.restoring = True
        self.backup_timer.stop()
        w.commands.apply_readonly()
        w.main_split.setEnabled(False)
        w.statusBar().showMessage("Restoring…")
        old = safety

        def work(progress: Any) -> RestoreOutcome:
            progress(0, 0, "Verifying the backup and putting it in place…")
            return restore_or_reopen(old, backup)  # never raises: says what is open

        def crashed(exc: BaseException) -> None:
            from kfor_desk.services.opening import RestoreOutcome

            self._restored(RestoreOutcome(None, None, exc))

        # on the loader's thread: queued behind any read, and no read runs during the restore
        return run_task(w, "Restoring from a backup", work, self._restored, crashed,
                        cancellable=False, pool=w.load_pool)

    def _restored(self, outcome: RestoreOutcome) -> None:
        w = self.w
        result, done, error = outcome.result, outcome.done, outcome.error
        self.restoring = False
        w.main_split.setEnabled(True)
        w.statusBar().clearMessage()
        if result is None:  # nothing open any more: say so, writing stays off
            self.closed_db = True
            self.restoring = True
            w.commands.apply_readonly()
            w.readonly_banner.show_message(
                "The database could not be reopened", [
                    f"The restore stopped: {error}.",
                    "Close KFOR Desk and start it again; nothing was deleted."])
            return
        self.set_safety(result)
        if error is not None or done is None:
            show_error(w, error or RuntimeError("the restore did not finish"), "Restore")
            return
        kept = (f"The database that was replaced is kept at {done.kept_aside}."
                if done is not None and done.kept_aside else "")
        w.statusBar().showMessage(f"Restored {done.from_backup.name}. {kept}", 30_000)
        box = QMessageBox(QMessageBox.Icon.Information, "Restore",
                          f"The database was restored from {done.from_backup.name}.\n\n{kept}",
                          parent=w)
        box.setObjectName("restoredBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        box.open()

    def set_safety(self, result: OpenResult, *, reload: bool = True) -> None:
        """Work on a newly opened database (after a restore or the deferred checks): reload
        everything from it when it is another database."""
        w = self.w
        clock = w.desk.clock
        w.safety = result
        w.desk = result.desk
        w.desk.clock = clock
        if w.conflicts is not None:
            w.conflicts.set_desk(result.desk)  # the panel marks pairs through this desk
        self.show()
        if not w.closed:
            self.backup_timer.start()
        if reload:
            w.refresh()

    # ------------------------------------------------------------ the end
    def close_database(self) -> None:
        """The end: let running work finish, then the exit backup and the lock (once)."""
        w = self.w
        if w.safety is None or self.closed_db:
            return
        self.closed_db = True
        w.load_pool.waitForDone(15_000)
        wait_for_tasks(15_000)
        try:
            problems = w.safety.close()
        except Exception as exc:  # never lose the message at exit
            log.exception("closing the database failed")
            problems = [f"closing the database failed: {exc}"]
        for problem in problems:
            log.warning("at exit: %s", problem)
        if problems:
            w.warn_at_exit("; ".join(problems))

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            self.w, title, text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    def warn_at_exit(self, text: str) -> None:
        QMessageBox.warning(self.w, "KFOR Desk — backup on exit",
                            f"{text[0].upper()}{text[1:]}.\n\nYour records are saved; make a "
                            "backup by hand (kfor-desk backup) before you rely on one.")
