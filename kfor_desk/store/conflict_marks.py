"""Deconflicted marks: what the duty officer recorded about a conflicting pair.

Marks are appended, never edited: the latest mark of a pair counts
(:func:`kfor_desk.domain.conflicts.apply_marks`). Each mark is written in one transaction with
one audit entry per record of the pair (entity ``conflict``; the note is the entry's reason),
so either record's history shows it. Those entries carry no state hash: they do not describe
the record's own fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, insert, or_, select

from kfor_desk.domain.conflicts import ConflictMark, ConflictStatus

from . import audit
from .audit import Actor, PendingEntry
from .database import Database
from .models import ConflictMarkRow

M_TABLE: Table = ConflictMarkRow.__table__  # type: ignore[assignment]

ENTITY = "conflict"


def _from_row(r: Any) -> ConflictMark:
    return ConflictMark(a=r.a, b=r.b, status=ConflictStatus(r.status), note=r.note,
                        marked_by=r.marked_by, marked_at=r.marked_at,
                        fingerprint=r.fingerprint)


@dataclass(frozen=True, slots=True)
class MarkSaved:
    """What a mark changed: the mark as stored and the new audit chain head."""

    mark: ConflictMark
    previous: ConflictStatus
    audit_head: str


class ConflictMarks:
    """The ``conflict_marks`` table as plain :class:`ConflictMark` values."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def all(self) -> list[ConflictMark]:
        """Every mark, oldest first."""
        with self.db.read() as conn:
            rows = conn.execute(select(M_TABLE).order_by(M_TABLE.c.marked_at, M_TABLE.c.id))
            return [_from_row(r) for r in rows]

    def for_pair(self, a: str, b: str) -> list[ConflictMark]:
        """The marks of one pair (either order), oldest first."""
        with self.db.read() as conn:
            rows = conn.execute(
                select(M_TABLE)
                .where(or_((M_TABLE.c.a == a) & (M_TABLE.c.b == b),
                           (M_TABLE.c.a == b) & (M_TABLE.c.b == a)))
                .order_by(M_TABLE.c.marked_at, M_TABLE.c.id))
            return [_from_row(r) for r in rows]

    def add(self, mark: ConflictMark, previous: ConflictStatus, actor: Actor,
            action: str) -> MarkSaved:
        """Store ``mark`` with its audit entries, in one transaction."""
        with self.db.write() as conn:
            conn.execute(insert(M_TABLE).values(
                a=mark.a, b=mark.b, status=mark.status.value, note=mark.note,
                marked_by=mark.marked_by, marked_at=mark.marked_at,
                fingerprint=mark.fingerprint))
            entries = [
                PendingEntry(
                    at=mark.marked_at, entity=ENTITY, register_no=own, action=action,
                    changes=(("conflict_with", None, other),
                             ("status", previous.value, mark.status.value),
                             ("fingerprint", None, mark.fingerprint)),
                    reason=mark.note,
                )
                for own, other in ((mark.a, mark.b), (mark.b, mark.a))
            ]
            head = audit.append(conn, actor, entries)
        return MarkSaved(mark, previous, head)
