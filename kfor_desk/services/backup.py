"""One backup, made with SQLite's online backup API and verified before it counts.

``backup_sqlite`` writes the copy under a temporary name (0600), checks it (``quick_check``, the
audit chain and every record's state against its last audit entry) and only then gives it its
final name, so a file under a backup name is always a verified copy. Automatic backups,
rotation and restore build on this in :mod:`kfor_desk.services.backups`.

The copy is read inside one read transaction on the source: it is the file as it was when
that transaction began, even while other connections commit (WAL mode keeps their writes
beside it), and a write never ends up half in it. :class:`Snapshot` begins that transaction
ahead of the copy, so a caller can fix *which* state is copied (the checks on open: the file
as checked) and then let saves go on while it is copied (:mod:`.open_checks`).

Not here: naming, rotation and when backups are made (:mod:`.backups`), restoring
(:mod:`.restoring`).
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from sqlalchemy.exc import SQLAlchemyError

from kfor_desk.portable import backups_dir as portable_backups_dir
from kfor_desk.portable import portable_data_dir
from kfor_desk.store.db import Database, open_database, utc_stamp
from kfor_desk.store.errors import CheckStopped, StoreError

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


def check_copy(path: Path, *, after: tuple[int, str] | None = None,
               should_stop: Callable[[], bool] | None = None) -> str | None:
    """None if ``path`` is a sound KFOR Desk database, else one sentence saying what is wrong.

    Read-only: ``quick_check``, then the audit chain and the records against it. Never writes.
    ``after=(seq, hash)``: a fresh copy of a file known good up to that entry (its witness
    says so): the copy must hold that entry, and only what came after it is hashed.
    ``should_stop``: as for :func:`~kfor_desk.services.verify.verify` (raises
    :class:`CheckStopped`).
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
        if after is not None:
            from kfor_desk.store import audit

            with db.read() as conn:
                held = audit.entry_hash(conn, after[0])
            if held != after[1]:
                return f"{path.name} does not hold entry {after[0]} as its original does"
        report = verify(Repository(db), full=False, after=after, should_stop=should_stop)
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


#: pages copied per step of the backup API (16 MB at 4 KiB pages); a stop is asked between
COPY_STEP_PAGES = 4096


class Snapshot:
    """The database file as it is now, held for a copy made later: a read-only connection
    inside a read transaction begun here. In WAL mode, what is committed after this does not
    reach what it reads (and is not held up by it: readers and the writer do not wait for each
    other); in rollback-journal mode it would keep writers out until :meth:`close`
    (:attr:`wal` says which). ``head``: the newest audit entry ``(seq, hash)`` it holds.

    Made and used on one thread (a connection never crosses threads); close it on every path
    (a ``with`` block)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True,
                                    isolation_level=None)
        try:
            self.wal = str(self.conn.execute("PRAGMA journal_mode").fetchone()[0]) == "wal"
            self.conn.execute("BEGIN")
            self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # fixes it
        except BaseException:
            self.conn.close()
            raise
        self.head: tuple[int, str] | None = None
        #: the head up to which the witness knew this state good when it was taken (the
        #: copy's check hashes only what came after it), set by whoever took it; None: all
        self.known_good: tuple[int, str] | None = None
        with contextlib.suppress(sqlite3.Error):  # a file with no trail copies all the same
            row = self.conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"
                                    ).fetchone()
            self.head = (int(row[0]), str(row[1])) if row else None

    def close(self) -> None:
        self.conn.close()  # ends the read transaction

    def __enter__(self) -> Snapshot:
        return self

    def __exit__(self, _t: type[BaseException] | None, _e: BaseException | None,
                 _tb: TracebackType | None) -> None:
        self.close()


def copy_database(src_path: Path, dst: Path, *, snapshot: Snapshot | None = None,
                  should_stop: Callable[[], bool] | None = None) -> None:
    """Consistent copy of a (possibly live) database into the new file ``dst`` (0600): the
    state at the start of one read transaction (``snapshot``'s, when given: it must be of
    ``src_path``). ``should_stop`` is asked between steps of :data:`COPY_STEP_PAGES` pages;
    when it says yes the copy ends with :class:`CheckStopped` (``dst`` is left for the
    caller to remove)."""
    fd = os.open(dst, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    held = snapshot if snapshot is not None else Snapshot(src_path)

    def step(_status: int, _remaining: int, _total: int) -> None:
        if should_stop is not None and should_stop():
            raise CheckStopped("the copy was stopped before it finished")

    try:
        out = sqlite3.connect(dst)
        try:
            # inside the held read transaction: every step reads the same state, so a
            # commit elsewhere neither restarts the copy nor lands half in it
            held.conn.backup(out, pages=COPY_STEP_PAGES, progress=step)
            out.execute("PRAGMA journal_mode=DELETE")
        finally:
            out.close()
    finally:
        if snapshot is None:
            held.close()
    with open(dst, "rb+") as fh:
        os.fsync(fh.fileno())


def backup_sqlite(src_path: Path, out: Path, *, after: tuple[int, str] | None = None,
                  snapshot: Snapshot | None = None,
                  should_stop: Callable[[], bool] | None = None) -> Path:
    """Copy a live SQLite database consistently to ``out`` (0600), then verify the copy.
    ``snapshot``: copy that held state of ``src_path`` (see :func:`copy_database`);
    ``should_stop``: asked during the copy and its check (:class:`CheckStopped`, no file
    kept)."""
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
        copy_database(src_path, part, snapshot=snapshot, should_stop=should_stop)
        problem = check_copy(part, after=after, should_stop=should_stop)
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
