"""One backup, made with SQLite's online backup API and verified before it counts.

``backup_sqlite`` writes the copy under a temporary name (0600), checks it (``quick_check``, the
audit chain and every record's state against its last audit entry) and only then gives it its
final name, so a file under a backup name is always a verified copy. Automatic backups,
rotation and restore build on this in :mod:`kfor_desk.services.backups`.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from kfor_desk.portable import backups_dir as portable_backups_dir
from kfor_desk.portable import portable_data_dir
from kfor_desk.store.db import Database, open_database, utc_stamp
from kfor_desk.store.errors import StoreError

from .errors import BackupError as BackupError  # re-exported: callers import it from here


def default_backup_dir(db_path: Path) -> Path:
    """``backups`` beside the database (in portable mode: the portable backup folder)."""
    portable = portable_backups_dir()
    data = portable_data_dir()
    if portable is not None and data is not None and db_path.parent == data:
        return portable
    return db_path.parent / "backups"


def ensure_private_dir(folder: Path) -> Path:
    """Create ``folder`` 0700 if missing (an existing folder keeps its mode)."""
    if not folder.is_dir():
        folder.mkdir(parents=True, mode=0o700, exist_ok=True)
        with contextlib.suppress(OSError):
            os.chmod(folder, 0o700)
    return folder


def check_copy(path: Path) -> str | None:
    """None if ``path`` is a sound KFOR Desk database, else one sentence saying what is wrong.

    Read-only: ``quick_check``, then the audit chain and the records against it. Never writes.
    """
    from kfor_desk.store.repository import Repository

    from .verify import verify

    try:
        con = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
        try:
            res = [str(r[0]) for r in con.execute("PRAGMA quick_check")]
        finally:
            con.close()
    except sqlite3.Error as exc:
        return f"{path.name} is not a readable database ({exc})"
    if res != ["ok"]:
        return f"{path.name} is damaged ({'; '.join(res[:2])})"
    try:
        db = open_database(path, readonly=True, migrate=False)
    except StoreError as exc:
        return str(exc)
    try:
        report = verify(Repository(db), full=False)
    except (StoreError, sqlite3.Error, SQLAlchemyError, ValueError) as exc:
        # a damaged row that does not even decode
        return f"{path.name} cannot be read ({exc})"
    finally:
        db.close()
    if not report.ok:
        return f"{path.name} failed verification: " + "; ".join(report.problems[:3])
    return None


def _fsync_dir(folder: Path) -> None:
    if hasattr(os, "O_DIRECTORY"):
        fd = os.open(folder, os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def copy_database(src_path: Path, dst: Path) -> None:
    """Consistent copy of a (possibly live) database into the new file ``dst`` (0600)."""
    fd = os.open(dst, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    src = sqlite3.connect(f"{src_path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        out = sqlite3.connect(dst)
        try:
            src.backup(out)
            out.execute("PRAGMA journal_mode=DELETE")
        finally:
            out.close()
    finally:
        src.close()
    with open(dst, "rb+") as fh:
        os.fsync(fh.fileno())


def backup_sqlite(src_path: Path, out: Path) -> Path:
    """Copy a live SQLite database consistently to ``out`` (0600), then verify the copy."""
    if out.exists():
        raise BackupError(f"{out} already exists; a backup never overwrites a file")
    try:
        ensure_private_dir(out.parent)
    except OSError as exc:
        raise BackupError(f"cannot create the backup folder {out.parent} "
                          f"({exc.strerror or exc}); no backup was made and the database is "
                          "unchanged — make sure that folder can be created, then back up "
                          "again") from None
    part = out.with_name(out.name + ".part")
    part.unlink(missing_ok=True)
    try:
        copy_database(src_path, part)
        problem = check_copy(part)
        if problem:
            raise BackupError(f"the backup {out} failed its check ({problem}); it was not kept")
        os.replace(part, out)
        _fsync_dir(out.parent)
    except sqlite3.Error as exc:
        raise BackupError(f"backup to {out} failed: {exc}") from None
    except OSError as exc:
        raise BackupError(f"backup to {out} failed: {exc.strerror or exc}") from None
    finally:
        part.unlink(missing_ok=True)
    return out


def backup_name(db_path: Path, folder: Path, reason: str, stamp: str | None = None) -> Path:
    """``<stem>-<UTC stamp>[.<n>]-<reason>.db`` in ``folder``, not yet taken."""
    stamp = stamp or utc_stamp()
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", reason).strip("-") or "manual"
    out = folder / f"{db_path.stem}-{stamp}-{safe}.db"
    n = 1
    while out.exists() or out.with_name(out.name + ".part").exists():
        n += 1
        out = folder / f"{db_path.stem}-{stamp}.{n}-{safe}.db"
    return out


def pre_migration_backup(db: Database, revision: str | None) -> Path | None:
    """The backup taken before any schema upgrade (refuses to migrate if it fails)."""
    if db.target.path is None:
        return None  # a server database is backed up by its own administration
    path = db.target.path
    folder = default_backup_dir(path)
    return backup_sqlite(path, backup_name(path, folder, f"before-upgrade-from-{revision}"))
