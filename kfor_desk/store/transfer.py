"""Copying a whole desk between databases (SQLite ↔ PostgreSQL): every table's rows as they
are — records, locations, deconfliction marks, settings and the audit trail with its original
sequence numbers, times and hashes, so the copy verifies exactly as the source does.

One write transaction on the destination: it lands whole or not at all. It does not create or
choose the destination (``services.copying`` does), and it refuses one that holds records or
audit entries.
"""

from __future__ import annotations

from sqlalchemy import Table, delete, func, insert, select

from .database import Database
from .errors import DatabaseExists
from .models import AuditRow, ConflictMarkRow, LocationRow, Meta, NotificationRow, RequestRow
from .repository import sync_id_sequences

#: parents before children; ``meta`` replaces the destination's own
TABLES: tuple[Table, ...] = tuple(
    m.__table__ for m in (Meta, NotificationRow, RequestRow, LocationRow,  # type: ignore[misc]
                          ConflictMarkRow, AuditRow))
BATCH = 2000


def holds_records(db: Database) -> bool:
    """True when ``db`` has any record, mark or audit entry."""
    with db.read() as conn:
        return any(conn.execute(select(func.count()).select_from(t)).scalar()
                   for t in TABLES if t.name != "meta")


def copy_rows(src: Database, dst: Database) -> dict[str, int]:
    """Copy every row of ``src`` into the empty desk ``dst``; returns rows per table."""
    counts: dict[str, int] = {}
    with src.read() as s, dst.write() as d:
        for t in TABLES:
            if t.name != "meta" and d.execute(select(func.count()).select_from(t)).scalar():
                raise DatabaseExists(f"{dst.target} already holds records; a desk is only "
                                     "copied into an empty database (nothing was copied)")
        for t in TABLES:
            if t.name == "meta":
                d.execute(delete(t))
            key = list(t.primary_key.columns)
            n = 0
            batch: list[dict[str, object]] = []
            for row in s.execute(select(t).order_by(*key)):
                batch.append(dict(row._mapping))
                if len(batch) >= BATCH:
                    d.execute(insert(t), batch)
                    n += len(batch)
                    batch = []
            if batch:
                d.execute(insert(t), batch)
                n += len(batch)
            counts[t.name] = n
        sync_id_sequences(d, [t for t in TABLES if t.name != "meta"])
    return counts
