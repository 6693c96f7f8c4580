"""An open database (:class:`Database`): its write and read transactions, and their failures.

- Writes run in ``BEGIN IMMEDIATE`` transactions (:meth:`Database.write`); on a server each
  first takes the one-writer advisory lock (:func:`.pg.lock_writers`). Reads run in deferred
  transactions and never wait for that lock. After a write that appended audit entries has
  committed, :attr:`Database.on_commit` is told the new audit head.
- A failure of the database (locked, damaged, full disk, read-only, gone, an unreachable
  server) is turned into the operator's error by :func:`_classify`; a bug stays itself.

This module does not open, create or migrate a database (``db`` and ``schema`` do) and does not
make engines or set connection rules (``engine``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from .errors import (
    DatabaseLocked,
    DatabaseMissing,
    DiskFull,
    NotADatabase,
    ReadOnlyDatabase,
)
from .pg import classify_server, lock_writers
from .sqlite_errors import sort_sqlite_error
from .target import Target

__all__ = ["Database"]


def _classify(exc: BaseException, target: Target) -> Exception:
    """The operator's error for a failure of ``target``, or ``exc`` itself when it is a bug.

    SQLite: by the error code (:mod:`.sqlite_errors`), never by the message. A server: by its
    messages (:func:`.pg.classify_server`, then the words below)."""
    if target.is_sqlite:
        found = sort_sqlite_error(exc, target)
        if found is not None:
            return found
        return exc if isinstance(exc, Exception) else RuntimeError(str(exc))
    msg = str(getattr(exc, "orig", exc)).lower()
    if target.is_server:
        found = classify_server(msg, str(target))
        if found is not None:
            return found
    if "locked" in msg or "busy" in msg:
        return DatabaseLocked(
            f"the database {target} is locked by another program or workstation; "
            "wait a moment and try again, or close the other KFOR Desk")
    if "not a database" in msg or "malformed" in msg or "file is encrypted" in msg:
        return NotADatabase(
            f"{target} is not a KFOR Desk database or is damaged; it was left untouched — "
            "restore the newest backup (kfor-desk restore) or open another file")
    if "disk is full" in msg or "database or disk is full" in msg or "disk i/o error" in msg:
        return DiskFull(
            f"the disk holding {target} is full or failing; nothing was saved — your input is "
            "kept: free some space and save again")
    if "readonly" in msg or "read-only" in msg:
        return ReadOnlyDatabase(
            f"the database {target} is read-only; check the file's permissions")
    if "unable to open" in msg:
        return DatabaseMissing(
            f"cannot open {target}: the file or its folder is not accessible")
    return exc if isinstance(exc, Exception) else RuntimeError(str(exc))


class Database:
    """An open database: an engine with the connection rules, and transaction scopes."""

    def __init__(self, engine: Engine, target: Target, readonly: bool = False) -> None:
        self.engine = engine
        self.target = target
        self.readonly = readonly
        #: why writing is held on a writable connection (the checks on open still running),
        #: or None; :meth:`write` refuses while it is set
        self.writes_held: str | None = None
        #: called with the new audit head ``(seq, hash)`` after a write transaction that
        #: appended audit entries has COMMITTED (the witness outside the file; see
        #: ``services/witness.py`` for why after and not before)
        self.on_commit: Callable[[tuple[int, str]], None] | None = None

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction (``BEGIN IMMEDIATE`` on SQLite): all or nothing."""
        if self.readonly:
            raise ReadOnlyDatabase(
                f"the database {self.target} is open read-only; nothing can be saved")
        if self.writes_held:
            raise ReadOnlyDatabase(self.writes_held)
        from .audit import NEW_HEAD

        try:
            with self.engine.connect().execution_options(kfor_write=True) as conn:
                conn.info.pop(NEW_HEAD, None)
                with conn.begin():
                    if self.target.is_server:
                        lock_writers(conn)
                    yield conn
                head = conn.info.pop(NEW_HEAD, None)
        except (OperationalError, InterfaceError) as exc:
            raise _classify(exc, self.target) from exc
        except DBAPIError as exc:
            if self.target.is_server and exc.connection_invalidated:
                raise _classify(exc, self.target) from exc
            raise
        if head is not None and self.on_commit is not None:
            self.on_commit(head)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn, conn.begin():
                yield conn
        except (OperationalError, InterfaceError) as exc:
            raise _classify(exc, self.target) from exc

    def close(self) -> None:
        self.engine.dispose()

