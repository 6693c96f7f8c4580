"""Facts about the database (training flag, creation) and the desk settings kept with it."""

from __future__ import annotations

from sqlalchemy import Connection, delete, insert, select

from kfor_desk import __version__
from kfor_desk.domain.timefmt import format_iso, utc_now

from .models import Meta

TRAINING = "training"


def init_meta(conn: Connection, *, training: bool, created_by: str) -> None:
    conn.execute(insert(Meta), [
        {"key": "created_at", "value": format_iso(utc_now())},
        {"key": "created_by_version", "value": __version__},
        {"key": "created_by", "value": created_by},
        {"key": TRAINING, "value": "1" if training else "0"},
    ])


def read_meta(conn: Connection) -> dict[str, str]:
    return {row.key: row.value for row in conn.execute(select(Meta.key, Meta.value))}


def write_meta(conn: Connection, values: dict[str, str]) -> None:
    if not values:
        return
    conn.execute(delete(Meta).where(Meta.key.in_(list(values))))
    conn.execute(insert(Meta), [{"key": k, "value": v} for k, v in values.items()])
