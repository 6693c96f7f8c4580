"""The connections to a database: SQLite's connection rules, and making an engine for a target.

- A SQLite file is connected to by URI with an explicit ``mode`` (``rw`` never creates a file;
  ``ro``, or ``ro&immutable=1`` in a folder this user cannot write: :func:`_read_mode`);
  pysqlite's legacy transaction handling is switched off so transactions (and DDL in
  migrations) are ours.
- Every SQLite connection: a busy timeout (:data:`BUSY_TIMEOUT_MS`), foreign keys, WAL (unless
  read-only), ``synchronous=FULL``; each transaction begins ``IMMEDIATE`` when the connection
  carries the ``kfor_write`` option (:meth:`.database.Database.write`), ``DEFERRED`` otherwise.
- A server's engine comes from :func:`.pg.make_server_engine`.

This module does not open, create, check or migrate a database (``db`` and ``schema`` do),
does not run transactions (``database``) and does not sort failures into operator errors.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from .pg import make_server_engine
from .target import Target

BUSY_TIMEOUT_MS = 5000


def _sqlite_connect(path: Path, mode: str) -> Callable[[], sqlite3.Connection]:
    uri = f"{path.as_uri()}?mode={mode}"

    def connect() -> sqlite3.Connection:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                               check_same_thread=False, isolation_level=None)
        return conn

    return connect


def _install_sqlite_rules(engine: Engine, readonly: bool) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        try:
            cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cur.execute("PRAGMA foreign_keys=ON")
            if not readonly:
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
        finally:
            cur.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Connection) -> None:
        mode = "IMMEDIATE" if conn.get_execution_options().get("kfor_write") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")


def _make_engine(target: Target, mode: str) -> Engine:
    if target.path is not None:
        engine = create_engine("sqlite+pysqlite://", creator=_sqlite_connect(target.path, mode),
                               poolclass=QueuePool, pool_size=4, max_overflow=4)
        _install_sqlite_rules(engine, readonly=mode.startswith("ro"))
        return engine
    return make_server_engine(target.url, readonly=mode.startswith("ro"))


def _read_mode(path: Path | None) -> str:
    """``ro``; in a folder this user cannot write (where SQLite cannot create the WAL index)
    and with no write-ahead log waiting, ``immutable`` so the file can still be read."""
    if path is None:
        return "ro"
    if not os.access(path.parent, os.W_OK) and not Path(str(path) + "-wal").exists():
        return "ro&immutable=1"
    return "ro"
