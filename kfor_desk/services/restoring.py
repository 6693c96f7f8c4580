"""Restoring a backup over the database file: the current file (with its -wal/-shm) is moved
aside, never deleted; the backup is checked, copied in under the instance lock and verified.
It does not make, list or rotate backups (``backups.py``), nor reopen the desk (``opening.py``).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .backup import (
    BackupError,
    _fsync_dir,
    check_copy,
    copy_database,
)
from .backups import _now, clean_leftovers, paused
from .instance import InstanceLock

if TYPE_CHECKING:
    pass

@dataclass(frozen=True, slots=True)
class RestoreResult:
    restored: Path
    from_backup: Path
    kept_aside: Path | None  # the file that was at the database path, renamed


def _move_aside(db_path: Path, when: datetime) -> Path | None:
    """Rename the current database (and its -wal/-shm) aside; never deletes anything."""
    if not db_path.exists():
        for side in ("-wal", "-shm"):  # a log without its database is of no use to a restore
            p = Path(str(db_path) + side)
            if p.exists():
                p.rename(p.with_name(f"{db_path.stem}-orphan-{when:%Y%m%dT%H%M%SZ}"
                                     f"{db_path.suffix}{side}"))
        return None
    with contextlib.suppress(sqlite3.Error):  # fold a waiting log into the file first
        con = sqlite3.connect(f"{db_path.absolute().as_uri()}?mode=rw", uri=True, timeout=5)
        try:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            con.close()
    n = 1
    aside = db_path.with_name(f"{db_path.stem}-replaced-{when:%Y%m%dT%H%M%SZ}{db_path.suffix}")
    while aside.exists():
        n += 1
        aside = db_path.with_name(f"{db_path.stem}-replaced-{when:%Y%m%dT%H%M%SZ}.{n}"
                                  f"{db_path.suffix}")
    db_path.rename(aside)
    for side in ("-wal", "-shm"):
        p = Path(str(db_path) + side)
        if p.exists():
            p.rename(Path(str(aside) + side))
    return aside


def restore(backup_path: Path, db_path: Path, *, lock: InstanceLock | None = None,
            on_step: Callable[[str], None] | None = None,
            now: datetime | None = None) -> RestoreResult:
    """Put a verified copy of ``backup_path`` at ``db_path``.

    The caller must have closed its own connections to ``db_path``. ``lock`` is the caller's
    held instance lock; without it one is taken (refused while another KFOR Desk has the
    database open). Nothing is deleted: the current file is renamed aside."""
    backup_path = Path(backup_path).absolute()
    db_path = Path(db_path).absolute()
    step = on_step or (lambda _s: None)
    if not backup_path.is_file():
        raise BackupError(f"there is no backup at {backup_path}; nothing was changed")
    if backup_path == db_path:
        raise BackupError("the backup and the database are the same file; nothing was changed")
    if db_path.exists() and not db_path.is_file():
        raise BackupError(f"{db_path} is not a database file (a folder or a device); a restore "
                          "replaces only a database file — nothing was changed")
    problem = check_copy(backup_path)
    if problem:
        raise BackupError(f"{backup_path} is not a good backup ({problem}); nothing was "
                          "changed — choose an older backup")
    step("backup verified")
    own_lock = None
    try:
        if lock is None:
            try:
                own_lock = lock = InstanceLock.acquire(db_path, "a restore")
            except OSError as exc:
                raise BackupError(f"cannot restore into {db_path.parent}: "
                                  f"{exc.strerror or exc}") from None
        clean_leftovers(db_path)
        return _restore_locked(backup_path, db_path, step, _now(now))
    finally:
        if own_lock is not None:
            own_lock.release()


def _restore_locked(backup_path: Path, db_path: Path, step: Callable[[str], None],
                    when: datetime) -> RestoreResult:
    with paused(db_path):
        step("automatic backups paused")
        part = db_path.with_name(f".{db_path.name}.restore.part")
        part.unlink(missing_ok=True)
        try:
            copy_database(backup_path, part)
            problem = check_copy(part)
            if problem:
                raise BackupError(f"the copy of {backup_path} failed its check ({problem}); "
                                  "nothing was changed")
            aside = _move_aside(db_path, when)
            step("current database kept aside" if aside else "no current database")
            os.replace(part, db_path)
            _fsync_dir(db_path.parent)
        except (OSError, sqlite3.Error) as exc:
            raise BackupError(f"restore into {db_path} failed: {exc}; the database was not "
                              "replaced") from None
        finally:
            part.unlink(missing_ok=True)
        problem = check_copy(db_path)
        if problem:  # put things back as they were
            failed = db_path.with_name(f"{db_path.stem}-failed-restore-"
                                       f"{when:%Y%m%dT%H%M%SZ}{db_path.suffix}")
            db_path.rename(failed)
            if aside is not None:
                aside.rename(db_path)
            raise BackupError(f"the restored database failed its check ({problem}); the "
                              f"previous database is back in place, the failed copy is {failed}")
        step("restored database verified")
    from .witness import record_restore

    record_restore(db_path, backup_path)  # a rollback asked for: the witnesses follow it
    return RestoreResult(db_path, backup_path, aside)
