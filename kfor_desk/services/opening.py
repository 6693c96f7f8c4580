"""Opening a desk: one sequence, for the window and the command line alike.

Resolve once, then open once::

    location = resolve_location(raw, readonly=...)    # services.location: file or server,
                                                       # read-only or not, backups, lock file
    result = open_location(location, operator, plan)  # the sequence below → OpenResult

The sequence (:func:`open_location`), in this order, each step one function here:

1. **place** (:func:`_check_place`): the file exists and is a file (nothing is created here;
   :func:`~kfor_desk.services.session.create_desk` does that), it is not on a network folder
   (refused, :class:`UnsafeLocation`), a cloud-synced folder is warned about. A server URL
   skips steps 1–3 and the start backup: its administration locks, checks and backs it up.
2. **lock** (:func:`_take_lock`): one KFOR Desk per database, for an open that may write.
3. **checks** (:mod:`.open_checks`, :func:`run_checks`): the witnesses, quick check, audit
   chain and the records it touched, on a read-only connection, so nothing is written before
   they pass. A failure opens the desk read-only (``readonly_reason`` for the banner,
   ``newest_backup`` to offer); a file that is not a database is refused
   (:class:`OpenRefused`, with the newest good backup); a newer schema is refused.
   ``plan.checks == "deferred"``: the writable desk opens with its writes held and
   :func:`finish_checks` runs this step after the window has painted.
4. **upgrade** (:func:`_open_writable`): the writable connection; a pending schema upgrade
   runs only after a verified backup (``before-upgrade-from-<rev>`` in the backup folder).
5. **desk**: the :class:`Desk`, then the start backup. On the deferred path the start
   backup is the copy of the file as checked, made while the desk is already writable
   (:mod:`.open_checks` says why that holds exactly what the backup before saving held).

**A new check on open** goes in step 3, inside :func:`run_checks`: it gets the read-only
database and adds one sentence per problem (the deferred path runs the same function from
:func:`finish_checks`). A new kind of location (a server, a local copy of one) is resolved in
:mod:`kfor_desk.services.location` and handled in step 1.

Plans: :data:`WINDOW` (every step), :data:`WINDOW_DEFERRED` (step 3 after the first paint),
:data:`COMMAND` (the command line: place without the network refusal, upgrade, desk — no lock,
no checks, no automatic backups; ``kfor-desk verify`` is the full check). A location resolved
``readonly`` (the operator chose to look) skips the lock, the checks and the backups.

"Restore…" in the window is :func:`restore_or_reopen` (restore, reopen through this sequence,
and on failure reopen the file that is there). Start-up decisions (which file, what to ask)
are :mod:`kfor_desk.services.startup`; this module asks nobody anything.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from kfor_desk.store.db import Database, open_database
from kfor_desk.store.errors import (
    DatabaseMissing,
    NewerSchema,
    NotADatabase,
    StoreError,
    UnsafeLocation,
)

from .backup import BackupError, backup_sqlite, ensure_private_dir
from .backups import _target_name
from .desk import Desk, Operator, default_operator
from .instance import InstanceLock, check_location
from .location import DeskLocation, resolve_location
from .open_checks import checked_readonly, damaged, finish_checks, run_checks, start_backup
from .open_result import (
    CHECKS_PENDING,
    CHOSEN_READONLY,
    COMMAND,
    WINDOW,
    WINDOW_DEFERRED,
    OpenPlan,
    OpenRefused,
    OpenResult,
)
from .restoring import RestoreResult, restore

log = logging.getLogger("kfor_desk.opening")


# ---------------------------------------------------------------- the sequence
def open_location(location: DeskLocation, operator: Operator | str | None = None,
                  plan: OpenPlan = WINDOW, *, lock: InstanceLock | None = None) -> OpenResult:
    """Open the desk at ``location`` through the sequence of the module docstring.

    Raises :class:`DatabaseMissing` (nothing created), :class:`OpenRefused`,
    :class:`~kfor_desk.store.errors.DatabaseInUse` (another instance has it),
    :class:`UnsafeLocation` (network folder), :class:`NewerSchema` or another
    :class:`StoreError`; otherwise returns an :class:`OpenResult`, read-only when a check
    failed. ``lock``: an instance lock the caller already holds (a restore); it is handed on
    to the result and never released here.
    """
    op = operator or default_operator()
    path = location.path
    if path is None:  # a database server: its administration locks, checks and backs it up
        db = _open_writable(location, upgrade=True)
        return OpenResult(Desk(db, op), CHOSEN_READONLY if location.readonly else None,
                          location=location)

    warnings = _check_place(location, plan)                                      # 1. place
    if location.readonly:  # the operator chose to look: no lock, no checks, no backups
        return OpenResult(Desk(_open_writable(location, upgrade=True), op), CHOSEN_READONLY,
                          warnings, location=location)
    if plan.checks == "none":                                                    # 4., 5.
        return OpenResult(Desk(_open_writable(location, upgrade=True), op), None, warnings,
                          location=location)

    may_write = _may_write(path)
    own = lock is None
    if may_write and plan.lock and lock is None:                                 # 2. lock
        lock = _take_lock(path, warnings)
    try:
        if plan.checks == "deferred" and may_write:
            deferred = _open_deferred(location, op, lock, warnings)
            if deferred is not None:
                return deferred
        ro, problems = checked_readonly(location)                               # 3. checks
        if problems:
            return damaged(ro, op, problems, location, warnings, lock)
        if not may_write:
            return OpenResult(Desk(ro, op), _not_writable(path), warnings, None, lock,
                              location)
        ro.close()
        db = _open_writable(location, upgrade=True)                              # 4. upgrade
    except BaseException:
        if own and lock is not None:
            lock.release()
        raise
    started = start_backup(location, warnings) if plan.start_backup else None  # 5. desk
    return OpenResult(Desk(db, op), None, warnings, started, lock, location)


def _check_place(location: DeskLocation, plan: OpenPlan) -> list[str]:
    """Step 1: the file is there and is a file; a network folder is refused. Warnings."""
    path = location.path
    assert path is not None
    if not path.exists():
        raise DatabaseMissing(f"there is no database at {path}; check the path, or create one "
                              "with 'kfor-desk init' (nothing was created)")
    if not path.is_file():
        raise NotADatabase(f"{path} is not a database file")
    if not plan.refuse_network:
        return []
    # reading cannot lose records: a read-only look is warned about a network folder, not
    # refused
    refuse = not location.readonly
    where = check_location(path, plan.mounts_file)
    if where.refusal and refuse:
        raise UnsafeLocation(where.refusal)
    return [where.refusal] if where.refusal else list(where.warnings)


def _may_write(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _not_writable(path: Path) -> str:
    what = "file" if not os.access(path, os.W_OK) else "folder"
    return (f"the database {what} is read-only for this user, so KFOR Desk opened it "
            "READ-ONLY: you can read and print, nothing can be saved. Ask for write "
            f"permission on {path if what == 'file' else path.parent}.")


def _take_lock(path: Path, warnings: list[str]) -> InstanceLock | None:
    """Step 2: the instance lock (raises DatabaseInUse); a lock file that cannot be made is
    a warning, not a refusal."""
    try:
        lock = InstanceLock.acquire(path)
    except OSError as exc:
        warnings.append(f"cannot create the lock file beside the database ({exc.strerror}); "
                        "make sure no other KFOR Desk opens it")
        return None
    from .backups import clean_leftovers

    removed = clean_leftovers(path)  # a restore killed half-way: its marker and copy
    if removed:
        log.info("removed what a restore cut short left: %s", ", ".join(removed))
    return lock


def _open_writable(location: DeskLocation, *, upgrade: bool) -> Database:
    """Step 4: the connection (read-only when the location is), the schema brought up to date
    after a verified backup when ``upgrade``."""
    def before_upgrade(_db: Database, revision: str | None) -> Path | None:
        if location.path is None or location.backup_folder is None:
            return None  # a server database is backed up by its own administration
        return _pre_upgrade(location.path, location.backup_folder, revision)

    return open_database(location.target, readonly=location.readonly, migrate=upgrade,
                         backup=before_upgrade)


def _pre_upgrade(path: Path, folder: Path, revision: str | None) -> Path:
    ensure_private_dir(folder)
    from datetime import UTC, datetime

    out = _target_name(path, folder, f"before-upgrade-from-{revision}", datetime.now(UTC))
    return backup_sqlite(path, out)


# ---------------------------------------------------------------- deferred checks
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


def _open_deferred(location: DeskLocation, op: Operator | str, lock: InstanceLock | None,
                   warnings: list[str]) -> OpenResult | None:
    """Steps 4–5 before step 3: the writable desk with writing held until
    :func:`finish_checks`; or ``None`` when step 3 must run first: a schema that needs an
    upgrade, a file not in WAL mode or with a write-ahead log left over, a file that does not
    open (the caller owns ``lock``)."""
    from sqlalchemy.exc import SQLAlchemyError

    from kfor_desk.store.db import schema_state

    assert location.path is not None
    if not _clean_wal_file(location.path):
        return None
    try:
        db = _open_writable(location, upgrade=False)
    except NewerSchema:
        raise
    except (StoreError, SQLAlchemyError):
        return None  # damaged or not a database: step 3 refuses it with its offer
    db.writes_held = CHECKS_PENDING
    try:
        current, heads = schema_state(db)
    except BaseException:
        db.close()
        raise
    if current not in heads:  # a migration waits for the checks: the full path does both
        db.close()
        return None
    return OpenResult(Desk(db, op), None, list(warnings), None, lock, location,
                      pending_checks=True)


# ---------------------------------------------------------------- restore
@dataclass(frozen=True, slots=True)
class RestoreOutcome:
    """What "Restore…" left open: ``result`` (``None``: nothing could be opened again),
    ``done`` (``None``: the restore failed), ``error`` (why it failed, or ``None``)."""

    result: OpenResult | None
    done: RestoreResult | None
    error: BaseException | None


def restore_and_reopen(result: OpenResult, backup: Path) -> tuple[OpenResult, RestoreResult]:
    """Close the desk (keeping the instance lock), restore ``backup`` in its place, open the
    restored file through the sequence. On failure the old desk is closed and the lock kept
    by ``result``: :func:`restore_or_reopen` opens the file that is there again."""
    location = result.location or resolve_location(result.desk.target)
    path = location.path
    if path is None:
        raise BackupError("a server database is restored by its administrator")
    result.desk.close()
    lock = result.lock
    own = False
    if lock is None:
        lock = InstanceLock.acquire(path)
        own = True
    try:
        done = restore(backup, path, lock=lock)
        reopened = open_location(location, result.desk.operator,
                                 OpenPlan(start_backup=False), lock=lock)
    except BaseException:
        if own:
            lock.release()
        raise
    result.lock = None
    return reopened, done


def restore_or_reopen(result: OpenResult, backup: Path) -> RestoreOutcome:
    """"Restore…" in the window, off the GUI thread: restore ``backup`` and reopen; when that
    fails, reopen the database that is there (the old desk is closed by then) with every
    check, under the lock ``result`` held. Never raises: the outcome says what is open."""
    try:
        reopened, done = restore_and_reopen(result, backup)
        return RestoreOutcome(reopened, done, None)
    except Exception as exc:
        log.warning("restore of %s failed: %s", backup, exc)
        location = result.location or resolve_location(result.desk.target)
        try:
            again = open_location(location, result.desk.operator, OpenPlan(start_backup=False),
                                  lock=result.lock)
        except Exception as exc2:
            log.error("reopening %s after a failed restore failed: %s", location, exc2)
            return RestoreOutcome(None, None, exc)
        return RestoreOutcome(again, None, exc)


# ---------------------------------------------------------------- the old doors, kept
def open_checked(location: str | os.PathLike[str] | DeskLocation,
                 operator: Operator | str | None = None, *,
                 backup_folder: Path | None = None, lock: InstanceLock | None = None,
                 start_backup: bool = True, mounts_file: str = "/proc/mounts",
                 allow_network: bool = False, checks: bool = True) -> OpenResult:
    """The window's open with every check: :func:`open_location` with :data:`WINDOW`
    (``checks=False``: :data:`WINDOW_DEFERRED`)."""
    plan = OpenPlan("now" if checks else "deferred", True, start_backup, not allow_network,
                    mounts_file)
    return open_location(resolve_location(location, backup_folder=backup_folder), operator,
                         plan, lock=lock)


__all__ = ["CHECKS_PENDING", "CHOSEN_READONLY", "COMMAND", "WINDOW", "WINDOW_DEFERRED",
           "DeskLocation", "OpenPlan", "OpenRefused", "OpenResult", "RestoreOutcome",
           "RestoreResult", "finish_checks", "open_checked", "open_location", "resolve_location",
           "restore_and_reopen", "restore_or_reopen", "run_checks"]
