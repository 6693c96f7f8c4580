"""``copy DEST``: a desk moved between a SQLite file and a PostgreSQL server, and the local
copy of a server desk (``backup`` of a server desk, and the copy the window falls back to when
the server cannot be reached).

The destination is created when it does not exist (a new SQLite file, or the schema in an empty
server database), refused when it already holds records, and verified after the copy: the
audit trail arrives whole, so the copy's chain head is the source's. A new SQLite file that
fails is removed; the source is only read. This module does not decide when to copy.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

from kfor_desk.store.db import Database, create_database, open_database, resolve_target
from kfor_desk.store.errors import DatabaseExists, IntegrityFailure, StoreError
from kfor_desk.store.repository import Repository

from .verify import verify

#: the reason word in a server desk's local copies: ``<dbname>-<UTC time>-server-copy.db``
LOCAL_COPY = "server-copy"
#: the meta key a local copy carries: which server desk it was copied from, and when
LOCAL_COPY_OF = "local_copy_of"
#: how it is marked in the status bar and on briefs
LOCAL_COPY_MARK = "LOCAL COPY — not shared"
#: local copies kept per server desk (older ones are removed after a new one verified)
KEEP_LOCAL_COPIES = 5


@dataclass(frozen=True, slots=True)
class CopyReport:
    dest: str
    records: int
    audit_entries: int
    chain_head: str

    def summary(self) -> str:
        return (f"copied {self.records} records and {self.audit_entries} audit entries to "
                f"{self.dest} (verified, chain head {self.chain_head[:12]})")


def _open_or_create_dest(location: str) -> tuple[Database, bool]:
    """(the destination desk, True when this call created it)."""
    target = resolve_target(location)
    if target.path is not None and not target.path.exists():
        return create_database(location), True
    if target.is_server:
        try:
            return create_database(location), True
        except DatabaseExists as exc:
            if "KFOR Desk database" not in str(exc):
                raise
    return open_database(location, migrate=False), False


def copy_desk(source: Database, dest_location: str) -> CopyReport:
    """Copy the open desk ``source`` to ``dest_location``; verified; refuses a used one."""
    from kfor_desk.store.db import schema_state
    from kfor_desk.store.transfer import copy_rows, holds_records

    target = resolve_target(dest_location)
    if str(target) == str(source.target):
        raise StoreError("the copy's destination is the desk itself; name another database")
    dst, created = _open_or_create_dest(dest_location)
    ok = False
    try:
        if holds_records(dst):
            raise DatabaseExists(f"{target} already holds records; a desk is only copied into "
                                 "an empty database (nothing was copied)")
        if schema_state(dst)[0] != schema_state(source)[0]:
            raise StoreError(f"{target} has another schema version than the desk; open both "
                             "with this version of KFOR Desk first (nothing was copied)")
        copy_rows(source, dst)
        report = verify(Repository(dst))
        src_head = Repository(source).chain_head()
        if not report.ok or report.chain_head != src_head:
            raise IntegrityFailure(f"the copy at {target} does not verify ("
                                   + "; ".join(report.problems[:2]) + ")")
        ok = True
        if created and target.path is not None:  # a desk put there by KFOR Desk, on purpose
            from .witness import desk_id_of, record_identity

            record_identity(target.path, desk_id_of(dst), "copied")
        return CopyReport(str(target), report.records, report.audit_entries, report.chain_head)
    finally:
        dst.close()
        if not ok and created and target.path is not None:
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(OSError):
                    os.unlink(str(target.path) + suffix)


def local_copy_dir() -> Path:
    """Where a server desk's local copies go: ``server-copies`` in the user data folder."""
    from .session import data_dir

    return data_dir() / "server-copies"


def local_copy_name(source: Database, folder: Path) -> Path:
    from sqlalchemy.engine import make_url

    from kfor_desk.store.db import utc_stamp

    name = make_url(source.target.url).database or "server"
    return folder / f"{name}-{utc_stamp()}-{LOCAL_COPY}.db"


def backup_server_desk(source: Database, out: Path | None = None) -> Path:
    """A verified local SQLite copy of a server desk (``out``: a file or a folder)."""
    from .backup import ensure_private_dir

    if out is None:
        out = local_copy_name(source, ensure_private_dir(local_copy_dir()))
    elif out.is_dir():
        out = local_copy_name(source, out)
    if out.exists():
        raise DatabaseExists(f"{out} already exists; KFOR Desk never overwrites a database")
    copy_desk(source, str(out))
    _mark_local_copy(out, source)
    _prune(out.parent, out)
    return out


def _mark_local_copy(path: Path, source: Database) -> None:
    """Record in the copy where it came from (a fact about the file, like its creation time:
    not a setting, so not audited — the copy's chain head stays the server's), and give it a
    desk identity of its own."""
    import uuid

    from kfor_desk.domain.timefmt import format_iso, utc_now
    from kfor_desk.store.meta import DESK_ID, write_meta

    db = open_database(str(path), migrate=False)
    try:
        with db.write() as conn:
            # its own identity for the witnesses: what is saved on the copy forks from the
            # server's trail, and must not be taken for a rewrite of the server desk's heads
            ident = uuid.uuid4().hex
            write_meta(conn, {LOCAL_COPY_OF: f"{source.target} at {format_iso(utc_now())}",
                              DESK_ID: ident})
    finally:
        db.close()
    from .witness import record_identity

    record_identity(path, ident, "copied")


def _prune(folder: Path, newest: Path) -> None:
    stem = newest.name.split("-20")[0]
    copies = sorted(folder.glob(f"{stem}-*-{LOCAL_COPY}.db"))
    for old in copies[:-KEEP_LOCAL_COPIES]:
        if old != newest:
            with contextlib.suppress(OSError):
                old.unlink()


def local_copy_of(meta: dict[str, str]) -> str | None:
    """Which server desk a desk's ``meta`` says it is a local copy of (None: it is not)."""
    return meta.get(LOCAL_COPY_OF) or None


def newest_local_copy(server_location: str, folder: Path | None = None) -> Path | None:
    """The newest local copy of the server desk at ``server_location`` (by the name's time)."""
    from sqlalchemy.engine import make_url

    name = make_url(resolve_target(server_location).url).database or "server"
    folder = folder or local_copy_dir()
    if not folder.is_dir():
        return None
    found = sorted(folder.glob(f"{name}-*-{LOCAL_COPY}.db"))
    return found[-1] if found else None
