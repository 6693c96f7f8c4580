"""Facts about the database (training flag, creation) and the desk settings kept with it."""

from __future__ import annotations

import uuid

from sqlalchemy import Connection, delete, insert, select

from kfor_desk import __version__
from kfor_desk.domain.timefmt import format_iso, utc_now

from .models import Meta

TRAINING = "training"
#: the desk's identity (random, made at init or by revision 0002): witnesses are keyed by it
DESK_ID = "desk_id"


def init_meta(conn: Connection, *, training: bool, created_by: str) -> None:
    """The facts of a new database; its ``desk_id`` is made here or was by revision 0002."""
    rows = [
        {"key": "created_at", "value": format_iso(utc_now())},
        {"key": "created_by_version", "value": __version__},
        {"key": "created_by", "value": created_by},
        {"key": TRAINING, "value": "1" if training else "0"},
    ]
    if desk_id(conn) is None:
        rows.append({"key": DESK_ID, "value": uuid.uuid4().hex})
    conn.execute(insert(Meta), rows)


def desk_id(conn: Connection) -> str | None:
    row = conn.execute(select(Meta.value).where(Meta.key == DESK_ID)).first()
    return str(row[0]) if row else None


def read_meta(conn: Connection) -> dict[str, str]:
    return {row.key: row.value for row in conn.execute(select(Meta.key, Meta.value))}


def write_meta(conn: Connection, values: dict[str, str]) -> None:
    if not values:
        return
    conn.execute(delete(Meta).where(Meta.key.in_(list(values))))
    conn.execute(insert(Meta), [{"key": k, "value": v} for k, v in values.items()])
