"""The PostgreSQL server's connection rules, for :mod:`kfor_desk.store.db`.

- Addresses: ``postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME`` or the socket form
  ``postgresql://USER@/DBNAME?host=/run/postgresql``, always through psycopg 3.
- The one-writer lock (:func:`lock_writers`): every write transaction on a server first takes
  one transaction-scoped advisory lock, as SQLite's ``BEGIN IMMEDIATE`` makes writers queue.
- The server's and the network's failures, as one sentence each (:func:`classify_server`).

It does not open databases (``db`` does) or run their transactions (``database``), and knows
nothing about roles (``server``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

from .errors import (
    DatabaseLocked,
    DatabaseMissing,
    DiskFull,
    ReadOnlyDatabase,
    ServerUnreachable,
)

#: the advisory lock every write transaction on a server takes first (``kfor`` in ASCII)
WRITE_LOCK = 0x6B666F72
#: seconds a server write waits for the lock, and a connection attempt for the server
SERVER_WAIT_S = 15


def bad_url(raw: str, why: str) -> DatabaseMissing:
    return DatabaseMissing(f"{why} in the database address {redact(raw)}; write it as "
                           "postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME or give a file path "
                           "(nothing was opened)")


def redact(raw: str) -> str:
    """The address without its password, for messages."""
    try:
        return make_url(raw).render_as_string(hide_password=True)
    except Exception:
        return raw.split("@", 1)[-1] if "@" in raw else raw


def server_url(raw: str, url: URL) -> str:
    """The SQLAlchemy URL (psycopg 3 driver) for a ``postgresql://`` address, or a sentence."""
    if url.get_driver_name() not in ("psycopg", "postgresql", "postgres"):
        raise bad_url(raw, f"the driver '{url.get_driver_name()}' is not supported "
                           "(KFOR Desk uses psycopg 3)")
    if not url.database:
        raise bad_url(raw, "no database name")
    return url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def classify_server(msg: str, where: str) -> Exception | None:
    """The server's and the network's failures, as sentences (None: not one of them)."""
    if "password authentication failed" in msg or "no password supplied" in msg \
            or "authentication failed" in msg:
        return DatabaseMissing(f"the server refused the user name or password for {where}; "
                               "check them with the server's administrator (nothing was saved)")
    if "does not exist" in msg and "database" in msg:
        return DatabaseMissing(f"the server has no database named in {where}; check the name, "
                               "or ask the administrator to create it (nothing was created)")
    if "role" in msg and "does not exist" in msg:
        return DatabaseMissing(f"the server does not know the user in {where}; check the name "
                               "(nothing was saved)")
    if ("connection refused" in msg or "could not connect" in msg or "timeout expired" in msg
            or "no such file or directory" in msg or "could not translate host name" in msg
            or "name or service not known" in msg or "server closed the connection" in msg
            or "terminating connection" in msg or "connection is lost" in msg
            or "consuming input failed" in msg or "connection failed" in msg
            or "the connection is closed" in msg or "network is unreachable" in msg):
        return ServerUnreachable(f"cannot reach the database server {where}: it is down or the "
                               "network is cut; nothing was saved and your input is kept — try "
                               "again later, or work on the newest local copy")
    if "lock timeout" in msg or "canceling statement due to lock timeout" in msg:
        return DatabaseLocked(f"the database {where} is busy with another desk's save; "
                              "wait a moment and try again")
    if "permission denied" in msg:
        return ReadOnlyDatabase(f"the server refused this change for the user in {where} "
                                f"({msg.splitlines()[0]}); nothing was saved")
    if "disk full" in msg or "no space left" in msg:
        return DiskFull(f"the database server for {where} is out of disk space; nothing was "
                        "saved — your input is kept")
    return None


def lock_writers(conn: Connection) -> None:
    """On a server: wait (up to :data:`SERVER_WAIT_S`) for the one-writer lock, held until the
    transaction ends. Taking it again in the same transaction is harmless. No-op on SQLite,
    where ``BEGIN IMMEDIATE`` already did this."""
    if conn.dialect.name != "postgresql" or conn.info.get("kfor_locked") is conn.get_transaction():
        return
    conn.exec_driver_sql(f"SELECT set_config('lock_timeout', '{SERVER_WAIT_S}s', true), "
                         f"pg_advisory_xact_lock({WRITE_LOCK})")
    conn.info["kfor_locked"] = conn.get_transaction()


def make_server_engine(url: str, *, readonly: bool) -> Engine:
    engine = create_engine(url, pool_pre_ping=True, pool_size=4, max_overflow=4,
                           connect_args={"connect_timeout": SERVER_WAIT_S,
                                         "application_name": "kfor-desk"})
    if readonly:
        @event.listens_for(engine, "connect")
        def read_only(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            try:
                cur.execute("SET default_transaction_read_only = on")
            finally:
                cur.close()
            dbapi_conn.commit()
    return engine
