"""What an open hands back, and how it is asked for: :class:`OpenResult`, :class:`OpenPlan`,
:class:`OpenRefused` (the sequence itself is :mod:`kfor_desk.services.opening`).

An :class:`OpenResult` closes its desk, makes the window's backups ("Back up now", the daily
one, the exit backup) and releases the instance lock; it opens nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .backups import BackupInfo, auto_backup
from .desk import Desk
from .errors import BackupError, OpenRefused, StoreError
from .instance import InstanceLock
from .location import DeskLocation


@dataclass(frozen=True, slots=True)
class OpenPlan:
    """Which steps of the sequence run (see the module docstring)."""

    checks: Literal["now", "deferred", "none"] = "now"
    lock: bool = True
    start_backup: bool = True
    refuse_network: bool = True
    mounts_file: str = "/proc/mounts"


WINDOW = OpenPlan()
WINDOW_DEFERRED = OpenPlan(checks="deferred")
COMMAND = OpenPlan(checks="none", lock=False, start_backup=False, refuse_network=False)

#: why the window is read-only when the operator chose to open read-only
CHOSEN_READONLY = ("Opened READ-ONLY as you chose: you can read and print, nothing can be "
                   "saved.")
#: why a deferred open cannot save yet (ReadOnlyDatabase from ``Database.write``)
CHECKS_PENDING = ("the checks on open (integrity and audit trail) are still running; nothing "
                  "can be saved until they pass")


@dataclass
class OpenResult:
    """What the window needs after opening.

    ``readonly_reason``: None when the desk is writable, else one paragraph for the banner.
    ``warnings``: things to show once (cloud folder, a backup that failed, ...).
    ``newest_backup``: the newest backup known to verify (to offer "Restore…").
    ``location``: where it was opened (``None`` only for a desk handed in from outside).
    """

    desk: Desk
    readonly_reason: str | None
    warnings: list[str] = field(default_factory=list)
    newest_backup: Path | None = None
    lock: InstanceLock | None = None
    location: DeskLocation | None = None
    #: opened with the checks deferred (:func:`finish_checks` still to run): nothing may be
    #: written until they pass, so the result counts as read-only meanwhile
    pending_checks: bool = False

    @property
    def path(self) -> Path | None:
        return self.location.path if self.location is not None else self.desk.target.path

    @property
    def backup_folder(self) -> Path | None:
        return self.location.backup_folder if self.location is not None else None

    @property
    def readonly(self) -> bool:
        return self.readonly_reason is not None or self.pending_checks

    def backup_now(self) -> BackupInfo:
        """"Back up now": a verified manual backup (raises :class:`BackupError`)."""
        if self.path is None:
            raise BackupError("a server database is backed up by its administrator")
        from .backups import make_backup

        return make_backup(self.path, "manual", folder=self.backup_folder)

    def daily_tick(self) -> BackupInfo | None:
        """For the window's timer: a daily backup when one is due (writable desks only)."""
        if self.path is None or self.readonly:
            return None
        from .backups import maybe_daily_backup

        return maybe_daily_backup(self.path, folder=self.backup_folder)

    def close(self, *, backup: bool = True) -> list[str]:
        """Close the desk: the exit backup (writable desks), then the lock. Returns warnings."""
        warnings: list[str] = []
        if backup and self.path is None and not self.readonly:
            try:  # a server desk: the newest local copy, to go on from if the server is lost
                from .copying import backup_server_desk

                backup_server_desk(self.desk.db)
            except (StoreError, OSError) as exc:
                warnings.append(f"the local copy of the server desk failed: {exc}")
        self.desk.close()
        try:
            if backup and self.path is not None and not self.readonly:
                try:
                    auto_backup(self.path, "exit", folder=self.backup_folder)
                except BackupError as exc:
                    warnings.append(f"the backup on exit failed: {exc}")
        finally:
            if self.lock is not None:
                self.lock.release()
                self.lock = None
        return warnings


__all__ = ["CHECKS_PENDING", "CHOSEN_READONLY", "COMMAND", "WINDOW", "WINDOW_DEFERRED",
           "OpenPlan", "OpenRefused", "OpenResult"]
