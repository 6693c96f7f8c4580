"""Witnesses of the audit trail, held outside the database file.

A hash chain only shows that the file agrees with itself. Whoever holds an earlier head
``(seq, hash)`` can check that the file still holds that entry unchanged (its hash covers
every entry before it) and only adds after it. The witnesses, compared by
:mod:`.witness_check`:

- the **head log** ``<user data folder>/witness/<desk id>.heads``: one line per committed
  write, appended and fsynced after the commit; each line is sealed with an HMAC under
  ``witness/key`` (random, 0600, made on first use), so a line cannot be forged without it;
- every **backup** of the same desk in the backup folder (its own newest entry);
- a head given by hand (``kfor-desk verify --head``, e.g. the one printed on a brief).

**Write order.** The database commits first; then the new head is appended to the log and
fsynced (``Database.on_commit``). A crash (kill -9) between the two leaves the log one commit
behind, or its last line torn; never ahead: every head in the log is one the database
committed. So the check asks that the database still holds the newest complete line's head,
unchanged, and every head the log recorded since the last check that passed (a tail cut and
then written to again holds the newest line, not the cut ones). What it holds beyond is new
since (that is also how several workstations share one PostgreSQL database: each one's log is
a subsequence). A torn last line (no newline) is the crash window and is skipped; nothing
else is excused.

**Which desk is in which file.** The head log is named by the desk id stored in the file, so
someone who can write the file could give it a new id and cut it: no witness of the new id
exists. So ``witness/paths`` (sealed lines, :func:`record_identity`) notes for every file path
the desk KFOR Desk last knew there; :mod:`.witness_check` reports a file that now claims
another identity (or none) and compares it with the former desk's witnesses too. KFOR Desk
notes the identities it puts in a file itself — a new desk (``init``, also where a removed
file was), a restore (also of another desk's file), a copy, a server desk's local copy —
while merely opening a file only notes a path not known yet: a write without checks (the
command line) never makes a changed identity look good. A server desk has no path: nothing is
noted (its database's identity is its administrator's business).

A restore is a rollback the user asked for: it appends a ``restored`` line; backups taken
before it stop counting as witnesses (they may be ahead of the restored file).

``verified`` lines record the head the last check reached and ``closed`` lines the head a
writable desk was closed at, each with the file's size, time and inode: when the file is still
exactly as the app left it, the next check on open hashes only what came after
(:attr:`WitnessReport.verified`); otherwise it hashes everything.

This module writes the witnesses and reads a file's head; the head log's file format and its
reading and writing are :mod:`.witness_log`, the comparing is :mod:`.witness_check`.

Not here: deciding read-only (the caller does, from ``problems``), and any protection against
someone who can also write the witness folder and read its key.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .witness_log import (
    GENESIS,
    LogLine,
    _field,
    append,
    bind,
    binding,
    file_stamp,
    log_path,
    read_log,
    witness_dir,
)

if TYPE_CHECKING:
    from kfor_desk.store.db import Database

log = logging.getLogger(__name__)


# ---------------------------------------------------------------- recording
def desk_id_of(db: Database) -> str | None:
    from kfor_desk.store.meta import desk_id

    try:
        with db.read() as conn:
            return desk_id(conn)
    except Exception:  # a damaged file: the checks on open say so
        return None


def attach(db: Database, folder: Path | None = None, *, created: bool = False) -> str | None:
    """From now on every commit of ``db`` that appends audit entries is witnessed; returns
    the desk id (None: not witnessed: read-only, or no id).
    ``created``: a new database: its first line (the empty head) is written now."""
    if db.readonly:
        return None
    ident = desk_id_of(db)
    if ident is None:
        return None
    where = folder or witness_dir()

    def on_commit(head: tuple[int, str]) -> None:
        try:
            append(where, ident, "commit", head[0], head[1])
        except OSError as exc:  # saved, but not witnessed: the next check says the log lags
            log.warning("the head log in %s could not be written: %s", where, exc)

    db.on_commit = on_commit
    with contextlib.suppress(OSError):
        if created:
            append(where, ident, "created", 0, GENESIS, str(db.target.path or ""))
        else:  # a writer is open from here until its "closed" line
            seq, head = _head_of(db)
            append(where, ident, "opened", seq, head)
    if db.target.path is not None:
        record_identity(db.target.path, ident, "created" if created else "opened", where,
                        replace=created)
    return ident


def _head_of(db: Database) -> tuple[int, str]:
    from kfor_desk.store.audit import chain_head

    try:
        with db.read() as conn:
            return chain_head(conn)
    except Exception:  # a damaged file: the checks on open say so
        return 0, GENESIS


def record_identity(path: Path, ident: str | None, kind: str, folder: Path | None = None, *,
                    replace: bool = True) -> None:
    """Note in ``witness/paths`` that the file at ``path`` holds the desk ``ident``.

    ``replace``: KFOR Desk itself put a desk there (a new desk, a restore, a copy): the note
    replaces what was known. Otherwise (a desk opened) only a path with no desk known yet,
    or one known without an id, is noted: a file that now claims another identity than the
    one noted changed it behind KFOR Desk's back, and :mod:`.witness_check` says so — a write
    without checks (the command line) must not make that look good."""
    where = folder or witness_dir()
    try:
        known = binding(where, path)
        if known is not None and known.desk_id == (ident or ""):
            return
        if known is not None and known.desk_id and not replace:
            log.warning("%s was desk %s and now claims to be desk %s; not noted",
                        path, known.desk_id, ident)
            return
        bind(where, path, ident, kind)
    except OSError as exc:
        log.warning("the witness folder %s could not be written: %s", where, exc)


def mark_verified(db: Database, head: tuple[int, str], revision: str | None,
                  folder: Path | None = None) -> None:
    """The check reached ``head`` on the file as it is now: the next check on open starts
    after it, if the file is still as this left it (see :func:`_trusted_point`)."""
    ident = desk_id_of(db)
    if ident is None or head[0] == 0:
        return
    note = f"rev={revision or ''};stat={file_stamp(db.target.path)}"
    with contextlib.suppress(OSError):
        append(folder or witness_dir(), ident, "verified", head[0], head[1], note)


def record_close(ident: str, path: Path | None, head: tuple[int, str],
                 folder: Path | None = None) -> None:
    """A writable desk was closed at ``head``; the file as the app leaves it."""
    with contextlib.suppress(OSError):
        append(folder or witness_dir(), ident, "closed", head[0], head[1],
               f"stat={file_stamp(path)}")


def record_restore(db_path: Path, backup: Path, folder: Path | None = None) -> None:
    """After a restore: the restored head is the desk's head now, on purpose."""
    info = file_head(db_path)
    if info is None:
        return
    record_identity(db_path, info.desk_id, "restored", folder)
    if info.desk_id is None:
        return
    with contextlib.suppress(OSError):
        append(folder or witness_dir(), info.desk_id, "restored", info.seq, info.hash,
               backup.name)


def known_good(db_path: Path, folder: Path | None = None) -> tuple[int, str] | None:
    """The head up to which the file at ``db_path`` is known good without hashing it again
    (see :func:`_trusted_point`), or None."""
    info = file_head(db_path)
    if info is None or info.desk_id is None:
        return None
    try:
        lines, _ = read_log(folder or witness_dir(), info.desk_id)
    except OSError:
        return None
    return _trusted_point(lines, db_path, info.revision)


# ---------------------------------------------------------------- heads of files
@dataclass(frozen=True, slots=True)
class FileHead:
    desk_id: str | None
    created_at: str | None
    seq: int
    hash: str
    revision: str | None = None


def file_head(path: Path) -> FileHead | None:
    """The identity and newest entry of a database file (a backup), read-only; None when
    it cannot be read."""
    try:
        con = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        meta = dict(con.execute("SELECT key, value FROM meta WHERE key IN "
                                "('desk_id', 'created_at')").fetchall())
        row = con.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        rev = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    finally:
        con.close()
    seq, head = (int(row[0]), str(row[1])) if row else (0, GENESIS)
    return FileHead(meta.get("desk_id"), meta.get("created_at"), seq, head,
                    str(rev[0]) if rev else None)


def _wal_has_frames(db_path: Path | None) -> bool:
    if db_path is None:
        return False
    try:
        return Path(str(db_path) + "-wal").stat().st_size > 0
    except FileNotFoundError:
        return False
    except OSError:
        return True


def _trusted_point(lines: list[LogLine], db_path: Path | None,
                   revision: str | None) -> tuple[int, str] | None:
    """The head up to which the file is known good without hashing it again, or None (a full
    check). Only when the file is exactly as the app last left it (size, time, inode) and
    that was either a check (``verified``) or a close after a check with only the app's own
    opening and commits between (``closed``). A crash, a restore, an upgrade, an outside write, or a
    session that never checked: None. Writable desks opened since (``opened``: the window's
    own, whose checks run after it painted) change nothing until they commit; but a
    write-ahead log with frames in it holds changes the file's own stamp does not show
    (a crash after a commit, or a write from outside): then None."""
    stamp = file_stamp(db_path)
    if not lines or not stamp or _wal_has_frames(db_path):
        return None
    at = len(lines) - 1
    while at > 0 and lines[at].kind == "opened":
        at -= 1
    newest = lines[at]
    if newest.kind not in ("verified", "closed") or not newest.sealed \
            or _field(newest.note, "stat") != stamp:
        return None
    check = newest if newest.kind == "verified" else None
    for line in reversed(lines[:at]):
        if check is not None:
            break
        if line.kind == "verified":
            check = line
        elif line.kind not in ("commit", "opened"):
            return None
    if check is None or not check.sealed or _field(check.note, "rev") != (revision or ""):
        return None
    return newest.seq, newest.hash


__all__ = ["GENESIS", "FileHead", "LogLine", "append", "attach", "desk_id_of", "file_head",
           "file_stamp", "known_good", "log_path", "mark_verified", "read_log", "record_close",
           "record_identity", "record_restore", "witness_dir"]
