"""Backups made with SQLite's online backup API, each verified before it counts."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from kfor_desk.store.db import Database, utc_stamp


class BackupError(Exception):
    pass


def default_backup_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def backup_sqlite(src_path: Path, out: Path) -> Path:
    """Copy a live SQLite database consistently to ``out`` (0600), then verify the copy."""
    if out.exists():
        raise BackupError(f"{out} already exists; a backup never overwrites a file")
    out.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    part = out.with_name(out.name + ".part")
    part.unlink(missing_ok=True)
    fd = os.open(part, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    try:
        src = sqlite3.connect(f"{src_path.as_uri()}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(part)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
                ok = dst.execute("PRAGMA quick_check").fetchone()[0]
            finally:
                dst.close()
        finally:
            src.close()
        if ok != "ok":
            raise BackupError(f"the backup {out} failed its check ({ok})")
        with open(part, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(part, out)
    except sqlite3.Error as exc:
        raise BackupError(f"backup to {out} failed: {exc}") from None
    finally:
        part.unlink(missing_ok=True)
    return out


def pre_migration_backup(db: Database, revision: str | None) -> Path | None:
    """The backup taken before any schema upgrade (refuses to migrate if it fails)."""
    if db.target.path is None:
        return None  # a server database is backed up by its own administration
    path = db.target.path
    out = default_backup_dir(path) / f"{path.stem}-{utc_stamp()}-before-upgrade-from-{revision}.db"
    return backup_sqlite(path, out)
