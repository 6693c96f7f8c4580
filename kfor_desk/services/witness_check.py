"""Comparing a database with its witnesses held outside the file: the head log, the backups
of the same desk, a head given by hand (see :mod:`kfor_desk.services.witness` for what they
are and the order they are written in).

Not here: writing the witnesses (:mod:`.witness`, :mod:`.witness_log`), deciding read-only
(the caller does, from :attr:`WitnessReport.problems`), checking the chain itself
(:mod:`.verify`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from .witness import _trusted_point, desk_id_of, file_head
from .witness_log import LogLine, _key, binding, log_path, read_log, witness_dir

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from kfor_desk.store.db import Database


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


def compare_head(conn: Connection, seq: int, head: str, what: str,
                 since: str | Callable[[], str] = "") -> str | None:
    """None when the database holds entry ``seq`` with ``head``; else the sentence.
    ``since`` (" (since <time>)") may be given as a function: read only for a short
    database, the one sentence that says it."""
    from kfor_desk.store import audit

    if seq == 0:  # the empty trail's head: every database holds it
        return None
    stored = audit.entry_hash(conn, seq)
    if stored == head:
        return None
    db_seq, _ = audit.chain_head(conn)
    if stored is None and db_seq < seq:
        when = since() if callable(since) else since
        return (f"the database is shorter than {what}: entries {db_seq + 1}–{seq} are "
                f"missing{when} — its tail was cut or an older copy was put in its place")
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
    upgrade).

    The witnesses are found by the desk id the file holds and, for a file, also by its path:
    when ``witness/paths`` says this file was another desk (its id changed behind KFOR Desk's
    back), that is a problem, and the other desk's head log and backups are compared too."""
    from kfor_desk.store import audit

    where = folder or witness_dir()
    report = WitnessReport()
    ident = desk_id_of(db)
    report.desk_id = ident
    former = _check_identity(where, db_path, ident, report) if db_path is not None else None
    with db.read() as conn:
        for desk in dict.fromkeys(d for d in (ident, former) if d):
            _check_log(conn, where, desk, report, revision, db_path)
            if db_path is not None:
                _check_backups(conn, db_path, backup_folder, desk, report,
                               _restored_at(where, desk))
        if ident is None and db_path is not None:  # backups matched by creation time
            _check_backups(conn, db_path, backup_folder, None, report, None)
        if former is not None:
            report.verified = None  # nothing about this file is known good
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


def _restored_at(where: Path, ident: str) -> datetime | None:
    """When the newest restore of desk ``ident`` the user asked for was made."""
    try:
        lines, _ = read_log(where, ident)
    except OSError:
        return None
    restores = [ln.when for ln in lines if ln.kind == "restored" and ln.sealed]
    return max((w for w in restores if w), default=None)


def _check_identity(where: Path, db_path: Path, ident: str | None,
                    report: WitnessReport) -> str | None:
    """The desk KFOR Desk last knew in this file when the file now claims another identity
    (and the problem said), else None. KFOR Desk notes the identities it puts in a file
    itself (a new desk, a restore, a copy: :func:`.witness.record_identity`); a change made
    any other way is what hides a cut or rolled-back file from its own witnesses."""
    try:
        known = binding(where, db_path)
    except OSError as exc:
        report.notes.append(f"the witness list of database files cannot be read "
                            f"({exc.strerror or exc}); the file's identity was not compared")
        return None
    if known is None or not known.desk_id or known.desk_id == ident:
        return None
    now = f"now claims to be desk {ident[:8]}" if ident else "now has no desk id"
    how = {"created": "created", "restored": "restored", "copied": "copied"}.get(
        known.kind, "opened")
    report.compared.append("the list of database files in the witness folder")
    report.problems.insert(0, (
        f"this file was desk {known.desk_id[:8]} (KFOR Desk {how} it here, {known.at}) and "
        f"{now}: its identity was changed outside KFOR Desk, which hides a cut or rolled-back "
        "file from its witnesses. To put another desk's file here on purpose, restore it "
        "(Restore…, or kfor-desk restore FILE)"))
    return known.desk_id


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
                           f"the head log (entry {newest.seq}, {newest.at})", since) \
        or _check_since_last_check(conn, lines, since) \
        or (_added_after_close(conn, lines) if db_path is not None else None)
    if problem:
        report.problems.append(problem)
        return
    report.verified = _trusted_point(lines, db_path, revision)


def _added_after_close(conn: Connection, lines: list[LogLine]) -> str | None:
    """Entries beyond the head a file desk was last closed (or restored) at, when no
    writable KFOR Desk has had it open on this computer since (the log's newest lines are
    that ``closed``/``restored`` line and checks): nobody here wrote them. Not a crash: a
    crash after a commit leaves an ``opened`` (or ``created``) line after the last close.
    Not for a server desk: the other workstations add to it."""
    from kfor_desk.store import audit

    accepted = 0
    last = None
    for line in reversed(lines):
        if not line.sealed:
            return None
        if line.kind == "verified":
            accepted = max(accepted, line.seq)
            continue
        last = line
        break
    if last is None or last.kind not in ("closed", "restored"):
        return None
    accepted = max(accepted, last.seq)
    db_seq, _ = audit.chain_head(conn)
    if db_seq <= accepted:
        return None
    first = audit.entries_after(conn, accepted, limit=1)
    who = f", the first at {first[0].at:%Y-%m-%d %H:%MZ} by {first[0].operator}" if first \
        else ""
    how = "closed" if last.kind == "closed" else "restored"
    return (f"entries {accepted + 1}–{db_seq}{who} were added after KFOR Desk {how} this desk "
            f"at entry {last.seq} ({last.at}), and no KFOR Desk on this computer has written "
            "it since: they were added behind its back — or with KFOR Desk on another "
            "computer or user account (then restore this file through KFOR Desk to accept "
            "them: copy it aside, Restore… / kfor-desk restore COPY)")


def _check_since_last_check(conn: Connection, lines: list[LogLine], since: str) -> str | None:
    """Every head the log recorded since the last check that passed (``verified``), restore
    or creation must still be in the database, not only the newest: a tail cut and then
    written to without checks (the command line) holds the newest line again, but not the
    ones that were cut. The lines before that check are vouched for by the head it reached."""
    from kfor_desk.store import audit

    start = 0
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].sealed and lines[i].kind in ("verified", "restored", "created"):
            start = i
            break
    todo = [ln for ln in lines[start:] if ln.sealed and ln.seq > 0]
    if not todo:
        return None
    held = audit.hashes_between(conn, min(ln.seq for ln in todo), max(ln.seq for ln in todo))
    for line in todo:
        stored = held.get(line.seq)
        if stored is None:
            return compare_head(conn, line.seq, line.hash,
                                f"the head log (entry {line.seq}, {line.at})", since)
        if stored != line.hash:
            return (f"the database no longer holds entry {line.seq} as the head log recorded "
                    f"it ({line.at}; hash {stored[:16]}… instead of {line.hash[:16]}…): the "
                    "trail was cut there and written to again, or rewritten from there on")
    return None


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
                               partial(_backup_since, b.path, conn))  # opened if short
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
