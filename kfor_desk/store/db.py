"""Opening and creating the database, under the rules of ``reliability.md``.

- An existing SQLite file is opened ``mode=rw`` (a mistyped path is an error, never a new empty
  database); only :func:`create_database` makes a file (0600), and it refuses to overwrite one
  — or, on a server, a database that already holds tables.
- At open the schema is checked: a file without one is refused, a database from a newer version
  is refused, a pending migration runs after the caller's verified backup.
- Failures come out as the operator's errors (:func:`.database._classify`).

The pieces live beside it, and their public names stay importable from here: where the database
is (``target``), the connections and their rules (``engine``), the transactions and their
failures (``database``), the schema's revisions and migrations (``schema``), the server's
one-writer lock (``pg``). A test that patches a constant (``BUSY_TIMEOUT_MS``,
``MIGRATIONS_DIR``) patches it where it is defined. This module does not create server
databases or roles: the server's administrator does.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.exc import DatabaseError, DBAPIError, InterfaceError, OperationalError

from .database import Database, _classify
from .engine import BUSY_TIMEOUT_MS, _make_engine, _read_mode
from .errors import (
    DatabaseExists,
    DatabaseMissing,
    NewerSchema,
    NotADatabase,
    ReadOnlyDatabase,
)
from .pg import SERVER_WAIT_S, WRITE_LOCK, lock_writers
from .schema import (
    MIGRATIONS_DIR,
    _alembic_config,
    head_revisions,
    known_revisions,
    schema_state,
    upgrade,
)
from .target import Target, resolve_target

__all__ = ["BUSY_TIMEOUT_MS", "MIGRATIONS_DIR", "SERVER_WAIT_S", "WRITE_LOCK", "Database",
           "Target", "_alembic_config", "_make_engine", "create_database", "file_mode_ok",
           "head_revisions", "known_revisions", "lock_writers", "open_database",
           "resolve_target", "schema_state", "upgrade", "utc_stamp"]


def _secure_new_file(path: Path) -> None:
    """Create the file 0600 (its folder 0700 if we create it)."""
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def create_database(path_or_url: str | os.PathLike[str] | Target, *, training: bool = False,
                    created_by: str = "") -> Database:
    """Create a new, empty database at the current schema; refuse to overwrite anything."""
    from .meta import init_meta

    target = resolve_target(path_or_url)
    if target.path is not None:
        if target.path.exists():
            raise DatabaseExists(f"{target.path} already exists; KFOR Desk never overwrites a "
                                 "database — choose another name or open it instead")
        try:
            _secure_new_file(target.path)
        except OSError as exc:
            raise DatabaseMissing(f"cannot create {target.path}: {exc.strerror}") from None
    engine = _make_engine(target, "rw")
    db = Database(engine, target)
    try:
        if target.is_server:
            _refuse_used_server_database(db)
        upgrade(db, backup=None)
        with db.write() as conn:
            init_meta(conn, training=training, created_by=created_by)
    except BaseException:
        db.close()
        if target.path is not None:
            for suffix in ("", "-wal", "-shm"):
                Path(str(target.path) + suffix).unlink(missing_ok=True)
        raise
    return db


def _refuse_used_server_database(db: Database) -> None:
    """``init`` on a server database that already holds tables: refused, nothing touched."""
    from sqlalchemy import inspect

    try:
        with db.read() as conn:
            tables = inspect(conn).get_table_names()
    except DBAPIError as exc:
        raise _classify(exc, db.target) from exc
    if "alembic_version" in tables:
        raise DatabaseExists(f"{db.target} already holds a KFOR Desk database; KFOR Desk never "
                             "overwrites one — open it instead")
    if tables:
        raise DatabaseExists(f"{db.target} already holds other tables ({', '.join(tables[:3])});"
                             " give KFOR Desk an empty database of its own")



BackupHook = Callable[[Database, str | None], Path | None]


def open_database(path_or_url: str | os.PathLike[str] | Target, *, readonly: bool = False,
                  migrate: bool = True, backup: BackupHook | None = None) -> Database:
    """Open an existing database (never creates one) and bring its schema up to date.

    ``backup(db, current_revision)`` is called before any migration runs; it must return the
    verified backup path (or raise).
    """
    target = resolve_target(path_or_url)
    if target.path is not None:
        if not target.path.exists():
            raise DatabaseMissing(f"there is no database at {target.path}; check the path, or "
                                  "create one with 'kfor-desk init' (nothing was created)")
        if not target.path.is_file():
            raise NotADatabase(f"{target.path} is not a database file")
        if not readonly and not os.access(target.path, os.W_OK):
            raise ReadOnlyDatabase(f"the database {target.path} is read-only for this user; "
                                   "check the file's permissions")
    engine = _make_engine(target, _read_mode(target.path) if readonly else "rw")
    db = Database(engine, target, readonly=readonly)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT count(*) FROM sqlite_master" if target.is_sqlite
                                 else "SELECT 1").all()
        current, heads = schema_state(db)
        if current is None:
            raise NotADatabase(f"{target} is not a KFOR Desk database (no schema version); "
                               "it was left untouched")
        if current not in known_revisions():
            raise NewerSchema(f"{target} was written by a newer version of KFOR Desk "
                              f"(schema {current}); install that version — this one will not "
                              "touch it")
        if current not in heads and migrate:
            if readonly:
                raise ReadOnlyDatabase(f"{target} needs a schema upgrade but is open read-only")
            upgrade(db, backup=lambda: backup(db, current) if backup else None)
    except (OperationalError, DatabaseError, InterfaceError) as exc:
        db.close()
        raise _classify(exc, target) from exc
    except BaseException:
        db.close()
        raise
    return db


def file_mode_ok(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) & 0o077 == 0


def utc_stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
