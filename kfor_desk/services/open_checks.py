"""Step 3 of opening a desk, the checks on open, and the start backup that follows them.

:func:`run_checks` is the check itself, on a read-only connection: the witnesses outside the
file (head log, ``witness/paths``, backups), ``PRAGMA quick_check`` of the whole file, the
audit chain after the head the last check reached, and the records it touched. The window
opens with them deferred: :func:`finish_checks` runs them after the first paint, and only
when they pass is writing let go (``Database.writes_held``). A failure gives the read-only
result the checked open gives (:func:`damaged`), with the newest good backup to offer.

**The start backup, from the file as checked (issue 17).** Once the checks pass, a read
transaction is begun on the file (:class:`~kfor_desk.services.backup.Snapshot`) *before*
writing is let go; the desk is writable from that moment (``on_writable``), and the start
backup is the copy of that held state, made and verified while the officer saves. SQLite's
WAL mode keeps the saves beside the held state, so the backup holds exactly what it held when
it was taken before saving was allowed (the file as checked): no save, and no part of one,
is in it. If it fails the desk stays writable and the warning says so (the window shows it);
closing the window stops it (the exit backup follows). A file not in WAL mode (where a
reader would keep the writer out) gets the backup first, as before.

**Why quick_check still holds up saving.** The trust rules say: nothing is written to a
file that has not passed quick_check and the audit chain on this open. SQLite's own
guarantee (atomic commits, WAL, ``synchronous=FULL``) covers crashes and power loss, not a
file damaged on disk or by another program, and a write into a damaged b-tree can spread the
damage to pages that were good. A file stamp that is unchanged since the last check does not
show damage done below the file system either, so quick_check is not skipped on an unchanged
file; it is cheap enough not to need it (≈ 0.6 s for the 275 MB of 100k records, in C with
Python's lock released, so the registers' read goes on beside it). What makes "editable" wait
is therefore only: the witnesses, quick_check, the chain since the last verified head and the
two whole-table questions (records with no entry, entries whose record is gone). A full
``integrity_check`` and the whole chain still run after restores and upgrades (no verified
head then) and on ``verify --full``.

Not here: the order of the whole open (:mod:`.opening`), what a backup is
(:mod:`.backup`), comparing witnesses (:mod:`.witness_check`), the checks themselves
(:mod:`.verify`).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

from kfor_desk.store.db import Database, open_database
from kfor_desk.store.errors import CheckStopped, NewerSchema, NotADatabase, StoreError

from .backup import BackupError, Snapshot
from .backups import auto_backup, newest_good_backup
from .desk import Desk, Operator
from .instance import InstanceLock
from .location import DeskLocation
from .open_result import OpenRefused, OpenResult

log = logging.getLogger("kfor_desk.opening")


def run_checks(db: Database, should_stop: Callable[[], bool] | None = None, *,
               backup_folder: Path | None = None) -> list[str]:
    """Step 3, the checks on open, on a read-only ``db``: one sentence per problem found (an
    empty list: all good). ``should_stop`` ends them early with :class:`CheckStopped`.

    The database is first compared with its witnesses outside the file (head log, backups:
    a cut tail, a rollback or a rewrite is a problem); then quick check and the audit chain,
    hashing only what came after the head the last check reached (the whole trail after a
    restore, an upgrade, or when no witness remembers one). A clean result is remembered."""
    from sqlalchemy.exc import SQLAlchemyError

    from .verify import check_desk

    try:
        return check_desk(db, backup_folder=backup_folder, should_stop=should_stop).problems
    except CheckStopped:
        raise
    except (StoreError, SQLAlchemyError, ValueError) as exc:
        return [f"the database cannot be read completely ({exc})"]


def checked_readonly(location: DeskLocation, should_stop: Callable[[], bool] | None = None
                     ) -> tuple[Database, list[str]]:
    """Step 3: the read-only database and the problems :func:`run_checks` found."""
    try:
        ro = open_database(location.target, readonly=True, migrate=False)
    except (NotADatabase, NewerSchema) as exc:
        raise OpenRefused(str(exc), None if isinstance(exc, NewerSchema) else
                          newest_good_backup(location.path, location.backup_folder)  # type: ignore[arg-type]
                          ) from exc
    try:
        return ro, run_checks(ro, should_stop, backup_folder=location.backup_folder)
    except BaseException:
        ro.close()
        raise


def damaged(ro: Database, op: Operator | str, problems: list[str], location: DeskLocation,
            warnings: list[str], lock: InstanceLock | None) -> OpenResult:
    """The read-only result of a desk that failed its checks (the newest good backup to
    offer)."""
    assert location.path is not None
    newest = newest_good_backup(location.path, location.backup_folder)
    reason = ("KFOR Desk found a problem with this database and opened it READ-ONLY; "
              "nothing will be saved and the file is left as it is: "
              + "; ".join(problems[:3])
              + (f". The newest good backup is {newest.name} — restore it (Restore…) to "
                 "carry on working." if newest else ". No good backup was found."))
    return OpenResult(Desk(ro, op), reason, warnings, newest, lock, location)


def start_backup(location: DeskLocation, warnings: list[str], *,
                 snapshot: Snapshot | None = None,
                 should_stop: Callable[[], bool] | None = None) -> Path | None:
    """The start backup (of ``snapshot``'s state when given); a failure is added to
    ``warnings`` as one sentence and gives None. ``should_stop``: :class:`CheckStopped`."""
    assert location.path is not None
    try:
        info = auto_backup(location.path, "start", folder=location.backup_folder,
                           snapshot=snapshot, should_stop=should_stop)
    except BackupError as exc:
        warnings.append(f"the backup on start failed: {exc}. Your records are saved as "
                        "always; make a backup by hand (Back up now, or kfor-desk backup)")
        return None
    return info.path if info else None


def _hold_as_checked(path: Path, warnings: list[str]) -> Snapshot | None:
    """The file as the checks just saw it, held for the start backup (writes still held);
    None (and the sentence in ``warnings``) when it cannot be held."""
    from .witness import known_good

    try:
        snapshot = Snapshot(path)
    except sqlite3.Error as exc:
        warnings.append(f"the backup on start failed: {path} could not be read for it "
                        f"({exc}). Your records are saved as always; make a backup by hand "
                        "(Back up now, or kfor-desk backup)")
        return None
    snapshot.known_good = known_good(path)  # the copy's check hashes only what is new
    return snapshot


def finish_checks(result: OpenResult, should_stop: Callable[[], bool] | None = None, *,
                  on_writable: Callable[[OpenResult], None] | None = None,
                  before_copy: Callable[[], None] | None = None) -> OpenResult:
    """Step 3 of a deferred open, then its start backup, on connections of their own
    (nothing is written unless the checks pass). Returns the result to work with from now
    on: the same desk, writable, with the start backup (``newest_backup``) or a warning
    saying it failed, when all is well; when not, the read-only result the checked open gives
    (the writable connection closed, the lock kept, the file untouched).

    Passed: the file as checked is held (a read transaction), writing is let go and
    ``on_writable`` gets the writable result (no backup yet) while the start backup of the
    held state is made; saves made meanwhile are not in it (see the module docstring).
    ``before_copy`` is called before the copy begins, with the state already held: the window
    lets the registers' read go first (it may block; ``should_stop`` is asked after it).

    ``should_stop`` (the window is closing) ends the checks early: ``result`` comes back as
    it was, still pending and read-only, and no start backup is made; once writing has been
    let go it ends the start backup instead (the writable result comes back without one)."""
    location = result.location
    if not result.pending_checks or location is None or location.path is None:
        return result
    warnings = list(result.warnings)
    try:
        ro, problems = checked_readonly(location, should_stop)
    except CheckStopped:
        return result
    if problems:
        result.desk.close()
        return damaged(ro, result.desk.operator, problems, location, warnings, result.lock)
    ro.close()
    if should_stop is not None and should_stop():
        return result  # passed, but nothing is gained by unlocking writes for a closing window
    before = list(warnings)  # the writable result's; what the start backup says comes after
    snapshot = _hold_as_checked(location.path, warnings)
    try:
        started: Path | None = None
        if snapshot is not None and not snapshot.wal:  # a reader would keep saves out
            started = start_backup(location, warnings, snapshot=snapshot)
            snapshot.close()
            snapshot = None
        result.desk.db.writes_held = None
        writable = OpenResult(result.desk, None, before, started, result.lock, location)
        if on_writable is not None:
            on_writable(writable)
        if snapshot is not None and before_copy is not None:
            before_copy()
        if snapshot is not None:
            try:
                started = start_backup(location, warnings, snapshot=snapshot,
                                       should_stop=should_stop)
            except CheckStopped:
                log.info("the start backup was stopped: the window is closing")
                return writable
    finally:
        if snapshot is not None:
            snapshot.close()
    return OpenResult(result.desk, None, warnings, started, result.lock, location)


__all__ = ["checked_readonly", "damaged", "finish_checks", "run_checks", "start_backup"]
