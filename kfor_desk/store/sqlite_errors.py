"""SQLite failures sorted by their error code: the operator's problem (with a sentence), or a bug.

``sqlite3.Error.sqlite_errorcode`` is the (extended) result code; its low byte is the primary
code (``SQLITE_IOERR_WRITE`` → ``SQLITE_IOERR``). The primary codes in :data:`USER_CODES` come
from the file, the disk or another program — locked, full, read-only, damaged, cannot be
opened — and become a :class:`~kfor_desk.store.errors.StoreError` whose sentence says what was
kept and what to do. Every other code (``SQLITE_ERROR`` for a bad statement, a constraint, a
misuse …) is a bug in KFOR Desk and is passed on as it is. No message text is matched.

Only SQLite: a database server's failures are sorted in :mod:`kfor_desk.store.database`.
"""

from __future__ import annotations

import sqlite3

from .errors import DatabaseLocked, DatabaseMissing, DiskFull, NotADatabase, ReadOnlyDatabase

#: primary result code → the error class and its sentence ({target}: the database)
USER_CODES: dict[int, tuple[type[Exception], str]] = {
    sqlite3.SQLITE_BUSY: (DatabaseLocked, "the database {target} is locked by another program "
                          "or workstation; nothing was saved — your input is kept: wait a "
                          "moment and try again, or close the other KFOR Desk"),
    sqlite3.SQLITE_LOCKED: (DatabaseLocked, "the database {target} is locked by another "
                            "connection; nothing was saved — your input is kept: wait a moment "
                            "and try again"),
    sqlite3.SQLITE_PROTOCOL: (DatabaseLocked, "the database {target} could not be locked "
                              "(another program is using it); nothing was saved — your input "
                              "is kept: try again"),
    sqlite3.SQLITE_FULL: (DiskFull, "the disk holding {target} is full; nothing was saved — "
                          "your input is kept: free some space and save again"),
    sqlite3.SQLITE_IOERR: (DiskFull, "the disk holding {target} failed to read or write; "
                           "nothing was saved — your input is kept: check the disk, free some "
                           "space and save again"),
    sqlite3.SQLITE_READONLY: (ReadOnlyDatabase, "the database {target} is read-only; nothing "
                              "was saved — check the file's permissions"),
    sqlite3.SQLITE_PERM: (ReadOnlyDatabase, "access to the database {target} was refused; "
                          "nothing was saved — check the file's permissions"),
    sqlite3.SQLITE_AUTH: (ReadOnlyDatabase, "access to the database {target} was refused; "
                          "nothing was saved — check the file's permissions"),
    sqlite3.SQLITE_CANTOPEN: (DatabaseMissing, "cannot open {target}: the file or its folder "
                              "is not accessible (nothing was changed) — check the path and "
                              "the folder's permissions"),
    sqlite3.SQLITE_CORRUPT: (NotADatabase, "{target} is damaged; it was left untouched — "
                             "restore the newest backup (kfor-desk restore) or open another "
                             "file"),
    sqlite3.SQLITE_NOTADB: (NotADatabase, "{target} is not a KFOR Desk database or is damaged; "
                            "it was left untouched — restore the newest backup (kfor-desk "
                            "restore) or open another file"),
}


def primary_code(exc: BaseException) -> int | None:
    """The primary SQLite result code of ``exc`` (a ``sqlite3.Error``, or a SQLAlchemy error
    wrapping one in ``.orig``); ``None`` when it carries none."""
    err = exc if isinstance(exc, sqlite3.Error) else getattr(exc, "orig", None)
    code = getattr(err, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def sort_sqlite_error(exc: BaseException, target: object) -> Exception | None:
    """The operator's error for a SQLite failure of ``target`` (the database, as text), or
    ``None`` when it is a bug (the caller re-raises it unchanged)."""
    code = primary_code(exc)
    if code is None or code not in USER_CODES:
        return None
    cls, sentence = USER_CODES[code]
    return cls(sentence.format(target=target))


__all__ = ["USER_CODES", "primary_code", "sort_sqlite_error"]
