"""Recompute the stored search text: Serbian Cyrillic folded to Latin, labels included.

The search text of 0001 folded case and diacritics only, so ``вежба`` and ``vezba`` were two
different words. This revision recomputes it for every existing row with
:func:`kfor_desk.domain.text.fold` (Cyrillic to Latin, then case and diacritics) over the same
fields as :func:`kfor_desk.domain.search.texts`, read with plain SQL from the 0001 columns (so
later schema changes cannot break it). Records, their versions and the audit trail are not
touched; the search text is not part of a record's hash.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 03:10:00
"""
from __future__ import annotations

import json
from collections import defaultdict

import sqlalchemy as sa
from alembic import op

from kfor_desk.domain.enums import (
    Channel,
    ExerciseType,
    Municipality,
    NotificationStatus,
    Purpose,
    RequestStatus,
)
from kfor_desk.domain.text import fold

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

_N_TEXT = ("register_no", "name", "sender_ref", "received_by", "units", "weapon_systems",
           "air_assets", "disseminated_to", "cancel_reason", "liaison_contact", "notes")
_R_TEXT = ("register_no", "ksf_ref", "received_by", "requesting_unit", "point_of_contact",
           "description", "route", "air_assets", "recommendation", "withdraw_reason", "notes")
_DECISION = ("decision_authority", "conditions", "rationale", "communicated_via")


def _label(enum: type, value: str | None) -> str:
    try:
        return str(enum(value).label)
    except ValueError:
        return value or ""


def _locations(conn: sa.Connection, owner_col: str) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    rows = conn.execute(sa.text(
        f"SELECT {owner_col}, name, position FROM locations "
        f"WHERE {owner_col} IS NOT NULL ORDER BY {owner_col}, seq"))
    for row in rows:
        owner: int = row[0]
        out[owner] += [str(row[1] or ""), str(row[2] or "")]
    return out


def upgrade() -> None:
    conn = op.get_bind()
    updates: list[tuple[str, int, str]] = []

    locs = _locations(conn, "notification_id")
    cols = ", ".join(f'"{c}"' for c in (*_N_TEXT, "channel", "exercise_type", "status"))
    for row in conn.execute(sa.text(f"SELECT id, {cols} FROM notifications")).mappings():
        parts = [row[c] or "" for c in _N_TEXT]
        parts += [_label(Channel, row["channel"]), _label(ExerciseType, row["exercise_type"]),
                  _label(NotificationStatus, row["status"])]
        parts += locs.get(row["id"], [])
        updates.append(("notifications", row["id"], fold("\n".join(p for p in parts if p))))

    locs = _locations(conn, "request_id")
    cols = ", ".join(f'"{c}"' for c in (*_R_TEXT, *_DECISION, "decided_at", "purpose",
                                        "status", "municipalities"))
    for row in conn.execute(sa.text(f"SELECT id, {cols} FROM requests")).mappings():
        parts = [row[c] or "" for c in _R_TEXT]
        parts += [_label(Purpose, row["purpose"]), _label(RequestStatus, row["status"])]
        try:
            parts += [str(Municipality(m).value) for m in json.loads(row["municipalities"] or "[]")]
        except (ValueError, TypeError):
            parts.append(row["municipalities"] or "")
        if row["decided_at"] is not None:
            parts += [row[c] or "" for c in _DECISION]
        parts += locs.get(row["id"], [])
        updates.append(("requests", row["id"], fold("\n".join(p for p in parts if p))))

    for table in ("notifications", "requests"):
        batch = [{"i": i, "t": t} for tbl, i, t in updates if tbl == table]
        if batch:
            conn.execute(sa.text(f"UPDATE {table} SET search_text = :t WHERE id = :i"), batch)


def downgrade() -> None:
    """Nothing to undo: the 0001 code rewrites the search text of each row it saves."""
