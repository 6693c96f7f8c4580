"""Witnesses of the audit trail, held outside the database file.

A hash chain only shows that the file agrees with itself. Whoever holds an earlier head
``(seq, hash)`` can check that the file still holds that entry unchanged (its hash covers
every entry before it) and only adds after it. The witnesses compared here:

- the **head log** ``<user data folder>/witness/<desk id>.heads``: one line per committed
  write, appended and fsynced after the commit; each line is sealed with an HMAC under
  ``witness/key`` (random, 0600, made on first use), so a line cannot be forged without it;
- every **backup** of the same desk in the backup folder (its own newest entry);
- a head given by hand (``kfor-desk verify --head``, e.g. the one printed on a brief).

**Write order.** The database commits first; then the new head is appended to the log and
fsynced (``Database.on_commit``). A crash (kill -9) between the two leaves the log one commit
behind, or its last line torn; never ahead: every head in the log is one the database
committed. So the check asks exactly that the database still holds the newest complete line's
head, unchanged. What it holds beyond is new since (that is also how several workstations
share one PostgreSQL database: each one's log is a prefix). A torn last line (no newline) is
the crash window and is skipped; nothing else is excused.

A restore is a rollback the user asked for: it appends a ``restored`` line; backups taken
before it stop counting as witnesses (they may be ahead of the restored file).

``verified`` lines record the head the last check reached and ``closed`` lines the head a
writable desk was closed at, each with the file's size, time and inode: when the file is still
exactly as the app left it, the next check on open hashes only what came after
(:attr:`WitnessReport.verified`); otherwise it hashes everything.

Not here: deciding read-only (the caller does, from ``problems``), and any protection against
someone who can also write the witness folder and read its key.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import os
import secrets
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from kfor_desk.store.db import Database

log = logging.getLogger(__name__)

GENESIS = "0" * 64
KEY_NAME = "key"
STAMP = "%Y-%m-%dT%H:%M:%SZ"


def witness_dir() -> Path:
    """``witness`` in the user data folder (portable mode: the portable data folder)."""
    from .session import data_dir

    return data_dir() / "witness"


def _private_dir(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)


def _key(folder: Path, create: bool) -> bytes | None:
    path = folder / KEY_NAME
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        if not create:
            return None
    except (OSError, ValueError):
        return None
    _private_dir(folder)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return _key(folder, False)
    try:
        os.write(fd, (secrets.token_hex(32) + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    return _key(folder, False)


def log_path(folder: Path, desk_id: str) -> Path:
    return folder / f"{desk_id}.heads"


def _seal(key: bytes, desk_id: str, body: str) -> str:
    return hmac.new(key, f"{desk_id} {body}".encode(), hashlib.sha256).hexdigest()


# ---------------------------------------------------------------- the head log
@dataclass(frozen=True, slots=True)
class LogLine:
    kind: str  # created | commit | verified | restored
    seq: int
    hash: str
    at: str
    note: str
    lineno: int
    sealed: bool  # the HMAC holds under this folder's key

    @property
    def when(self) -> datetime | None:
        try:
            return datetime.strptime(self.at, STAMP).replace(tzinfo=UTC)
        except ValueError:
            return None


def append(folder: Path, desk_id: str, kind: str, seq: int, head: str, note: str = "",
           when: datetime | None = None) -> None:
    """Append one sealed line and fsync it (``OSError`` when the folder cannot be written)."""
    key = _key(folder, create=True)
    if key is None:
        raise PermissionError(f"the witness key in {folder} cannot be read")
    path = log_path(folder, desk_id)
    new = not path.exists()
    at = (when or datetime.now(UTC)).strftime(STAMP)
    body = f"{kind} {seq} {head} {at} {quote(note, safe='') or '-'}"
    line = f"{body} {_seal(key, desk_id, body)}\n".encode()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, line)  # one write of one short line: O_APPEND keeps lines whole
        os.fsync(fd)
    finally:
        os.close(fd)
    if new and hasattr(os, "O_DIRECTORY"):
        dfd = os.open(folder, os.O_DIRECTORY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


def read_log(folder: Path, desk_id: str) -> tuple[list[LogLine], list[int]]:
    """(the complete lines, oldest first; numbers of lines that do not parse). An
    unterminated last line is a write cut short by a crash: left out, not reported.
    ``OSError`` when the log is there but cannot be read."""
    try:
        data = log_path(folder, desk_id).read_bytes()
    except FileNotFoundError:
        return [], []
    key = _key(folder, create=False)
    raw = data.split(b"\n")
    raw.pop()  # after the last newline: empty, or the torn line of a crash
    lines: list[LogLine] = []
    bad: list[int] = []
    for n, b in enumerate(raw, start=1):
        parts = b.decode("ascii", "replace").split(" ")
        try:
            kind, seq, head, at, note, mac = parts
            seq_n = int(seq)
            bytes.fromhex(head)
        except ValueError:
            bad.append(n)
            continue
        body = " ".join(parts[:5])
        sealed = key is not None and hmac.compare_digest(mac, _seal(key, desk_id, body))
        lines.append(LogLine(kind, seq_n, head, at, unquote(note) if note != "-" else "", n,
                             sealed))
    return lines, bad


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
    if created:
        with contextlib.suppress(OSError):
            append(where, ident, "created", 0, GENESIS, str(db.target.path or ""))
    return ident


def file_stamp(path: Path | None) -> str:
    """Size, modification time (ns) and inode of the database file: what the app last saw.
    Someone who can write the file but does not own it cannot set its time back."""
    if path is None:
        return ""
    try:
        st = path.stat()
    except OSError:
        return ""
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}"


def _field(note: str, name: str) -> str:
    for part in note.split(";"):
        key, _, value = part.partition("=")
        if key == name:
            return value
    return ""


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
    if info is None or info.desk_id is None:
        return
    with contextlib.suppress(OSError):
        append(folder or witness_dir(), info.desk_id, "restored", info.seq, info.hash,
               backup.name)


# ---------------------------------------------------------------- heads of files
@dataclass(frozen=True, slots=True)
class FileHead:
    desk_id: str | None
    created_at: str | None
    seq: int
    hash: str


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
    except sqlite3.Error:
        return None
    finally:
        con.close()
    seq, head = (int(row[0]), str(row[1])) if row else (0, GENESIS)
    return FileHead(meta.get("desk_id"), meta.get("created_at"), seq, head)


# ---------------------------------------------------------------- comparing
@dataclass
class WitnessReport:
    """What the witnesses say about a database."""

    #: disagreements: the database is shorter than a witness or differs from one
    problems: list[str] = field(default_factory=list)
    #: things worth saying that are not tampering (a log that lags, a missing key)
    notes: list[str] = field(default_factory=list)
    #: the witnesses that were compared, in words
    compared: list[str] = field(default_factory=list)
    #: the head the last check reached, still held by the database: check after it
    verified: tuple[int, str] | None = None
    desk_id: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def _missing_since(lines: list[LogLine], db_seq: int) -> str:
    for line in lines:
        if line.seq > db_seq and line.kind in ("commit", "verified"):
            return f" (written {line.at})"
    return ""


def compare_head(conn: Connection, seq: int, head: str, what: str, since: str = "") -> str | None:
    """None when the database holds entry ``seq`` with ``head``; else the sentence."""
    from kfor_desk.store import audit

    if seq == 0:  # the empty trail's head: every database holds it
        return None
    stored = audit.entry_hash(conn, seq)
    if stored == head:
        return None
    db_seq, _ = audit.chain_head(conn)
    if stored is None and db_seq < seq:
        return (f"the database is shorter than {what}: entries {db_seq + 1}–{seq} are "
                f"missing{since} — its tail was cut or an older copy was put in its place")
    if stored is None:
        return f"entry {seq} that {what} holds is missing from the database"
    return (f"the database disagrees with {what} at entry {seq} (hash {stored[:16]}… "
            f"instead of {head[:16]}…) — the trail was rewritten up to there, or this is "
            "another database")


def check(db: Database, *, db_path: Path | None = None, backup_folder: Path | None = None,
          hand_head: str | None = None, folder: Path | None = None,
          revision: str | None = None) -> WitnessReport:
    """Compare ``db`` with every witness found. ``revision``: the database's schema
    revision; a ``verified`` line from another revision is not used (a full check after an
    upgrade)."""
    from kfor_desk.store import audit

    where = folder or witness_dir()
    report = WitnessReport()
    ident = desk_id_of(db)
    report.desk_id = ident
    with db.read() as conn:
        if ident is not None:
            _check_log(conn, where, ident, report, revision, db_path)
        restored_at: datetime | None = None
        if ident is not None:
            try:
                lines, _ = read_log(where, ident)
            except OSError:
                lines = []
            restores = [ln.when for ln in lines if ln.kind == "restored" and ln.sealed]
            restored_at = max((w for w in restores if w), default=None)
        if db_path is not None:
            _check_backups(conn, db_path, backup_folder, ident, report, restored_at)
        if hand_head is not None:
            prefix = hand_head.strip().lower()
            found = audit.entries_with_prefix(conn, prefix)
            report.compared.append(f"the head given ({prefix[:16]}…)")
            if not found:
                db_seq, _ = audit.chain_head(conn)
                report.problems.append(
                    f"this database does not hold the head {prefix}: entries were removed, "
                    "rolled back or rewritten since it was taken (the newest entry now is "
                    f"{db_seq})")
            elif len(found) > 1:
                report.problems.append(f"{prefix} matches {len(found)} entries; give more "
                                       "hex digits")
    return report


def _check_log(conn: Connection, where: Path, ident: str, report: WitnessReport,
               revision: str | None, db_path: Path | None) -> None:
    try:
        lines, bad = read_log(where, ident)
    except OSError as exc:
        report.notes.append(f"the head log {log_path(where, ident)} cannot be read "
                            f"({exc.strerror or exc}); it was not compared")
        return
    if not lines and not bad:
        return
    report.compared.append(f"the head log {log_path(where, ident)}")
    if bad:
        report.notes.append(f"head log lines {', '.join(map(str, bad[:5]))} are unreadable")
    if lines and _key(where, False) is None:
        report.notes.append("the witness key is missing: the head log's seals cannot be "
                            "checked")
    elif lines and not lines[-1].sealed:
        report.problems.append(f"the newest line of the head log {log_path(where, ident)} is "
                               "not sealed with this computer's witness key (edited by hand?)")
        return
    if not lines:
        return
    newest = lines[-1]
    from kfor_desk.store import audit

    db_seq, _ = audit.chain_head(conn)
    since = _missing_since(lines, db_seq)
    problem = compare_head(conn, newest.seq, newest.hash,
                           f"the head log (entry {newest.seq}, {newest.at})", since)
    if problem:
        report.problems.append(problem)
        return
    report.verified = _trusted_point(lines, db_path, revision)


def _trusted_point(lines: list[LogLine], db_path: Path | None,
                   revision: str | None) -> tuple[int, str] | None:
    """The head up to which the file is known good without hashing it again, or None (a full
    check). Only when the file is exactly as the app last left it (size, time, inode) and
    that was either a check (``verified``) or a close after a check with only the app's own
    commits between (``closed``). A crash, a restore, an upgrade, an outside write, or a
    session that never checked: None."""
    stamp = file_stamp(db_path)
    if not lines or not stamp:
        return None
    newest = lines[-1]
    if newest.kind not in ("verified", "closed") or not newest.sealed \
            or _field(newest.note, "stat") != stamp:
        return None
    check = newest if newest.kind == "verified" else None
    for line in reversed(lines[:-1]):
        if check is not None:
            break
        if line.kind == "verified":
            check = line
        elif line.kind != "commit":
            return None
    if check is None or not check.sealed or _field(check.note, "rev") != (revision or ""):
        return None
    return newest.seq, newest.hash


def _check_backups(conn: Connection, db_path: Path, backup_folder: Path | None, ident: str | None,
                   report: WitnessReport, restored_at: datetime | None) -> None:
    from kfor_desk.store.meta import read_meta

    from .backups import list_backups

    created = read_meta(conn).get("created_at")
    for b in list_backups(db_path, backup_folder):
        if restored_at is not None and b.taken_at <= restored_at:
            continue  # taken before a restore the user asked for: may be ahead of it
        head = file_head(b.path)
        if head is None:
            continue
        same = (head.desk_id == ident) if head.desk_id and ident else \
            (head.created_at is not None and head.created_at == created)
        if not same:
            continue
        report.compared.append(f"backup {b.path.name}")
        problem = compare_head(conn, head.seq, head.hash,
                               f"the backup {b.path.name} ({b.label})",
                               _backup_since(b.path, conn))
        if problem:
            report.problems.append(problem)


def _backup_since(backup: Path, conn: Connection) -> str:
    """" (since <time of the first entry the database lacks>)" read from the backup."""
    from kfor_desk.store import audit

    db_seq, _ = audit.chain_head(conn)
    try:
        con = sqlite3.connect(f"{backup.absolute().as_uri()}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT at FROM audit WHERE seq = ?", (db_seq + 1,)).fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return ""
    return f" (since {row[0]})" if row else ""
