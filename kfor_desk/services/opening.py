"""Opening the desk for the window: the checks on open, one instance, backups on start/exit.

:func:`open_checked` returns an :class:`OpenResult`. When the quick check or the audit chain
fails, nothing is written: the database is opened read-only, ``readonly_reason`` says why (for
a banner) and ``newest_backup`` names the newest backup that still verifies, to offer a restore.
The damaged file is left untouched. A file that is not a database at all cannot be opened even
read-only: :class:`OpenRefused` carries the message and the backup to offer.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from kfor_desk.store.db import Database, open_database, resolve_target
from kfor_desk.store.errors import (
    CheckStopped,
    DatabaseMissing,
    NewerSchema,
    NotADatabase,
    StoreError,
)
from kfor_desk.store.repository import Repository

from .backup import BackupError, backup_sqlite, default_backup_dir, ensure_private_dir
from .backups import (
    BackupInfo,
    RestoreResult,
    _target_name,
    auto_backup,
    newest_good_backup,
    restore,
)
from .desk import Desk, Operator, default_operator
from .instance import InstanceLock, check_location
from .verify import verify


class OpenRefused(StoreError):
    """The file cannot be opened at all (not a database, or damaged beyond reading)."""

    def __init__(self, message: str, newest_backup: Path | None) -> None:
        self.newest_backup = newest_backup
        offer = (f" The newest good backup is {newest_backup}: restore it with "
                 f"'kfor-desk restore {newest_backup}'." if newest_backup else
                 " No good backup was found beside it.")
        super().__init__(message + offer)


@dataclass
class OpenResult:
    """What the window needs after opening.

    ``readonly_reason``: None when the desk is writable, else one paragraph for the banner.
    ``warnings``: things to show once (cloud folder, a backup that failed, ...).
    ``newest_backup``: the newest backup known to verify (to offer "Restore…").
    """

    desk: Desk
    readonly_reason: str | None
    warnings: list[str] = field(default_factory=list)
    newest_backup: Path | None = None
    lock: InstanceLock | None = None
    backup_folder: Path | None = None
    #: opened with the checks deferred (:func:`finish_checks` still to run): nothing may be
    #: written until they pass, so the result counts as read-only meanwhile
    pending_checks: bool = False

    @property
    def path(self) -> Path | None:
        return self.desk.db.target.path

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
        self.desk.db.close()
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


def _open_readonly(path: Path, problems: list[str], folder: Path | None,
                   should_stop: Callable[[], bool] | None = None) -> tuple[Database, list[str]]:
    """The read-only database and the problems the checks found (none: all good)."""
    try:
        ro = open_database(path, readonly=True, migrate=False)
    except (NotADatabase, NewerSchema) as exc:
        raise OpenRefused(str(exc), None if isinstance(exc, NewerSchema)
                          else newest_good_backup(path, folder)) from exc
    try:
        report = verify(Repository(ro), full=False, should_stop=should_stop)
        problems.extend(report.problems)
    except CheckStopped:
        ro.close()
        raise
    except (StoreError, SQLAlchemyError, ValueError) as exc:
        problems.append(f"the database cannot be read completely ({exc})")
    return ro, problems


def open_checked(location: str | os.PathLike[str], operator: Operator | str | None = None, *,
                 backup_folder: Path | None = None, lock: InstanceLock | None = None,
                 start_backup: bool = True, mounts_file: str = "/proc/mounts",
                 allow_network: bool = False, checks: bool = True) -> OpenResult:
    """Open an existing database for the window, with every check of ``reliability.md``.

    Raises :class:`DatabaseMissing` (nothing created), :class:`OpenRefused`,
    :class:`~kfor_desk.store.errors.DatabaseInUse` (another instance has it),
    :class:`~kfor_desk.store.errors.UnsafeLocation` (network folder) or another
    :class:`StoreError`; otherwise returns an :class:`OpenResult`, read-only when a check failed.

    ``checks=False`` defers the integrity and audit-chain checks (and the start backup) to
    :func:`finish_checks`, so the window can paint first: the result is ``pending_checks`` and
    counts as read-only until then (its connection refuses to write). A database whose schema
    needs an upgrade, that this user cannot write, that is not in WAL mode or has a write-ahead
    log left over is checked at once: nothing is migrated or written before the checks pass.
    """
    op = operator or default_operator()
    target = resolve_target(location)
    if target.path is None:  # a database server: its administration checks and backs it up
        from .session import open_desk

        return OpenResult(open_desk(str(location), op), None)
    path = target.path
    folder = backup_folder or default_backup_dir(path)
    if not path.exists():
        raise DatabaseMissing(f"there is no database at {path}; check the path, or create one "
                              "with 'kfor-desk init' (nothing was created)")
    if not path.is_file():
        raise NotADatabase(f"{path} is not a database file")
    where = check_location(path, mounts_file)
    warnings = list(where.warnings)
    if where.refusal and not allow_network:
        from kfor_desk.store.errors import UnsafeLocation

        raise UnsafeLocation(where.refusal)

    if not checks and os.access(path, os.W_OK) and os.access(path.parent, os.W_OK):
        deferred = _open_deferred(path, op, folder, lock, warnings)
        if deferred is not None:
            return deferred

    # 1. read-only checks: nothing is written until they pass
    ro, problems = _open_readonly(path, [], folder)
    if problems:
        return _damaged(ro, op, problems, path, folder, warnings, lock)

    # 2. can this user write here at all?
    writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    if not writable:
        what = "file" if not os.access(path, os.W_OK) else "folder"
        reason = (f"the database {what} is read-only for this user, so KFOR Desk opened it "
                  "READ-ONLY: you can read and print, nothing can be saved. Ask for write "
                  f"permission on {path if what == 'file' else path.parent}.")
        return OpenResult(Desk(ro, op), reason, warnings, None, lock, folder)
    ro.close()

    # 3. one instance, then the real (writable) open with the backup-before-upgrade rule
    own = lock is None
    if lock is None:
        try:
            lock = InstanceLock.acquire(path)
        except OSError as exc:
            warnings.append(f"cannot create the lock file beside the database ({exc.strerror}); "
                            "make sure no other KFOR Desk opens it")
    try:
        db = open_database(path, backup=lambda d, rev: _pre_upgrade(path, folder, rev))
    except BaseException:
        if own and lock is not None:
            lock.release()
        raise
    desk = Desk(db, op)
    started: Path | None = None
    if start_backup:
        try:
            info = auto_backup(path, "start", folder=folder)
            started = info.path if info else None
        except BackupError as exc:
            warnings.append(f"the backup on start failed: {exc}")
    return OpenResult(desk, None, warnings, started, lock, folder)


def _damaged(ro: Database, op: Operator | str, problems: list[str], path: Path, folder: Path,
             warnings: list[str], lock: InstanceLock | None) -> OpenResult:
    newest = newest_good_backup(path, folder)
    reason = ("KFOR Desk found a problem with this database and opened it READ-ONLY; "
              "nothing will be saved and the file is left as it is: "
              + "; ".join(problems[:3])
              + (f". The newest good backup is {newest.name} — restore it (Restore…) to "
                 "carry on working." if newest else ". No good backup was found."))
    return OpenResult(Desk(ro, op), reason, warnings, newest, lock, folder)


#: why a deferred open cannot save yet (ReadOnlyDatabase from ``Database.write``)
CHECKS_PENDING = ("the checks on open (integrity and audit trail) are still running; nothing "
                  "can be saved until they pass")


def _clean_wal_file(path: Path) -> bool:
    """True when opening ``path`` for writing changes nothing in it: already in WAL mode
    (so ``journal_mode=WAL`` rewrites no header) and no write-ahead log left over from a crash
    (which closing a writable connection would copy into the file)."""
    try:
        with path.open("rb") as fh:
            header = fh.read(100)
        wal = Path(str(path) + "-wal")
        leftover = wal.exists() and wal.stat().st_size > 0
    except OSError:
        return False
    return (len(header) == 100 and header.startswith(b"SQLite format 3\x00")
            and header[18] == 2 and header[19] == 2 and not leftover)


def _open_deferred(path: Path, op: Operator | str, folder: Path, lock: InstanceLock | None,
                   warnings: list[str]) -> OpenResult | None:
    """The writable open without the checks, writing held until :func:`finish_checks`; or
    ``None`` when the full checked path must run first: a schema that needs an upgrade, a file
    not in WAL mode or with a write-ahead log left over, a file that does not open."""
    from kfor_desk.store.db import schema_state

    if not _clean_wal_file(path):
        return None
    warnings = list(warnings)  # the full path adds its own if it runs instead
    own = lock is None
    if lock is None:
        try:
            lock = InstanceLock.acquire(path)
        except OSError as exc:
            warnings.append(f"cannot create the lock file beside the database ({exc.strerror}); "
                            "make sure no other KFOR Desk opens it")
    try:
        db = open_database(path, migrate=False)
    except (StoreError, SQLAlchemyError) as exc:
        if own and lock is not None:
            lock.release()
        if isinstance(exc, NewerSchema):
            raise
        return None  # damaged or not a database: the full path refuses it with its offer
    except BaseException:
        if own and lock is not None:
            lock.release()
        raise
    db.writes_held = CHECKS_PENDING
    try:
        current, heads = schema_state(db)
    except BaseException:
        db.close()
        if own and lock is not None:
            lock.release()
        raise
    if current not in heads:  # a migration waits for the checks: the full path does both
        db.close()
        if own and lock is not None:
            lock.release()
        return None
    return OpenResult(Desk(db, op), None, warnings, None, lock, folder, pending_checks=True)


def finish_checks(result: OpenResult,
                  should_stop: Callable[[], bool] | None = None) -> OpenResult:
    """Run the checks a deferred open skipped, on their own read-only connection (nothing is
    written unless they pass), then the start backup. Returns the result to work with from
    now on: the same desk, writable, when all is well; when not, the read-only result the
    checked open gives (the writable connection closed, the lock kept, the file untouched).

    ``should_stop`` (the window is closing) ends the checks early: ``result`` comes back as
    it was, still pending and read-only, and no start backup is made."""
    if not result.pending_checks or result.path is None:
        return result
    path, folder = result.path, result.backup_folder or default_backup_dir(result.path)
    warnings = list(result.warnings)
    try:
        ro, problems = _open_readonly(path, [], folder, should_stop)
    except CheckStopped:
        return result
    if problems:
        result.desk.db.close()
        return _damaged(ro, result.desk.operator, problems, path, folder, warnings, result.lock)
    ro.close()
    if should_stop is not None and should_stop():
        return result  # passed, but nothing is gained by unlocking writes for a closing window
    result.desk.db.writes_held = None
    started: Path | None = None
    try:
        info = auto_backup(path, "start", folder=folder)
        started = info.path if info else None
    except BackupError as exc:
        warnings.append(f"the backup on start failed: {exc}")
    return OpenResult(result.desk, None, warnings, started, result.lock, folder)


def _pre_upgrade(path: Path, folder: Path, revision: str | None) -> Path:
    ensure_private_dir(folder)
    from datetime import UTC, datetime

    out = _target_name(path, folder, f"before-upgrade-from-{revision}", datetime.now(UTC))
    return backup_sqlite(path, out)


def restore_and_reopen(result: OpenResult, backup: Path) -> tuple[OpenResult, RestoreResult]:
    """"Restore…" in the window: close the desk (keeping the instance lock), restore the
    backup, open the restored file with every check. On failure the old desk is closed and the
    caller opens the database again with :func:`open_checked`."""
    path = result.path
    if path is None:
        raise BackupError("a server database is restored by its administrator")
    result.desk.db.close()
    lock = result.lock
    own = False
    if lock is None:
        lock = InstanceLock.acquire(path)
        own = True
    try:
        done = restore(backup, path, lock=lock)
        reopened = open_checked(path, result.desk.operator, backup_folder=result.backup_folder,
                                lock=lock, start_backup=False)
    except BaseException:
        if own:
            lock.release()
        raise
    result.lock = None
    return reopened, done


__all__ = ["OpenRefused", "OpenResult", "open_checked", "restore_and_reopen"]
