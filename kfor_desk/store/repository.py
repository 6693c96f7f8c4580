"""Repositories: records in and out as plain domain values, each write one transaction with
its audit entries; optimistic locking on every update."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select, update

from kfor_desk.domain.exchange import (
    diff,
    state_hash,
)
from kfor_desk.domain.records import (
    ConsentRequest,
    ExerciseNotification,
    Location,
    Record,
    RecordKind,
)
from kfor_desk.domain.search import haystack
from kfor_desk.domain.timefmt import utc_now

from . import audit, bulk_records
from .audit import Actor, AuditEntry, PendingEntry
from .database import Database
from .errors import ConcurrentEdit, DuplicateRegisterNo, NotFound
from .meta import TRAINING, read_meta, write_meta
from .reading import L_TABLE, N_TABLE, R_TABLE, load_records


def search_text(record: Record) -> str:
    """The stored search text: :func:`kfor_desk.domain.search.haystack` of the record."""
    return haystack(record)


# ---------------------------------------------------------------- row mapping
def _n_values(n: ExerciseNotification) -> dict[str, Any]:
    return {
        "register_no": n.register_no, "sender_ref": n.sender_ref, "channel": n.channel._value_,
        "received_at": n.received_at, "received_by": n.received_by, "name": n.name,
        "exercise_type": n.exercise_type._value_, "units": n.units, "personnel": n.personnel,
        "vehicles": n.vehicles, "weapon_systems": n.weapon_systems, "live_fire": n.live_fire,
        "air_assets": n.air_assets, "start": n.start, "end": n.end, "status": n.status._value_,
        "acknowledged_at": n.acknowledged_at, "disseminated_at": n.disseminated_at,
        "disseminated_to": n.disseminated_to, "cancelled_at": n.cancelled_at,
        "cancel_reason": n.cancel_reason, "patrols": n.patrols._value_,
        "liaison_contact": n.liaison_contact, "notes": n.notes, "search_text": search_text(n),
    }


def _r_values(r: ConsentRequest) -> dict[str, Any]:
    d = r.decision
    return {
        "register_no": r.register_no, "ksf_ref": r.ksf_ref, "received_at": r.received_at,
        "received_by": r.received_by, "requesting_unit": r.requesting_unit,
        "point_of_contact": r.point_of_contact, "purpose": r.purpose._value_,
        "description": r.description,
        "municipalities": json.dumps([m._value_ for m in r.municipalities], ensure_ascii=False),
        "route": r.route, "start": r.start, "end": r.end, "personnel": r.personnel,
        "vehicles": r.vehicles, "weapons_carried": r.weapons_carried,
        "air_assets": r.air_assets, "decision_due": r.decision_due, "status": r.status._value_,
        "review_started_at": r.review_started_at, "recommendation": r.recommendation,
        "recommended_at": r.recommended_at,
        "decision_authority": d.authority if d else None,
        "decided_at": d.decided_at if d else None,
        "conditions": d.conditions if d else "", "rationale": d.rationale if d else "",
        "communicated_at": d.communicated_at if d else None,
        "communicated_via": d.communicated_via if d else "",
        "withdrawn_at": r.withdrawn_at, "withdraw_reason": r.withdraw_reason,
        "notes": r.notes, "search_text": search_text(r),
    }


def _loc_values(loc: Location, seq: int, owner: str, owner_id: int) -> dict[str, Any]:
    return {
        "notification_id": owner_id if owner == "n" else None,
        "request_id": owner_id if owner == "r" else None,
        "seq": seq, "name": loc.name, "position": loc.position, "lat": loc.lat, "lon": loc.lon,
        "radius_m": loc.radius_m, "uncertainty_m": loc.uncertainty_m,
        "abl_distance_km": loc.abl.distance_km if loc.abl else None,
        "side": loc.abl.side.value if loc.abl else None,
        "band": loc.abl.band.value if loc.abl else None,
    }


def _kind_parts(record: Record) -> tuple[Table, str, str]:
    if isinstance(record, ExerciseNotification):
        return N_TABLE, "n", "notification"
    return R_TABLE, "r", "request"


def _values(record: Record) -> dict[str, Any]:
    if isinstance(record, ExerciseNotification):
        return _n_values(record)
    return _r_values(record)


@dataclass(frozen=True, slots=True)
class Saved:
    """What a write changed, so screens know what to refresh."""

    record: Record
    audit_head: str


class Repository:
    """Both registers on one database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # ------------------------------------------------------------ reads
    def _load(self, conn: Connection, table: Table, owner_col: str,
              where: Any = None) -> list[Record]:
        return load_records(conn, table, owner_col, where)

    def notifications(self) -> list[ExerciseNotification]:
        with self.db.read() as conn:
            return self._load(conn, N_TABLE, "notification_id")  # type: ignore[return-value]

    def requests(self) -> list[ConsentRequest]:
        with self.db.read() as conn:
            return self._load(conn, R_TABLE, "request_id")  # type: ignore[return-value]

    def all_records(self) -> tuple[list[ExerciseNotification], list[ConsentRequest]]:
        with self.db.read() as conn:
            n = self._load(conn, N_TABLE, "notification_id")
            r = self._load(conn, R_TABLE, "request_id")
        return n, r  # type: ignore[return-value]

    def _get(self, conn: Connection, register_no: str) -> Record:
        table, owner = (N_TABLE, "notification_id") if register_no.upper().startswith("SAF") \
            else (R_TABLE, "request_id")
        found = self._load(conn, table, owner, table.c.register_no == register_no.upper())
        if not found:
            raise NotFound(f"there is no record {register_no}")
        return found[0]

    def get(self, register_no: str) -> Record:
        with self.db.read() as conn:
            return self._get(conn, register_no)

    def history(self, register_no: str) -> list[AuditEntry]:
        with self.db.read() as conn:
            return audit.entries(conn, register_no=register_no.upper())

    def audit_since(self, since: datetime | None = None) -> list[AuditEntry]:
        with self.db.read() as conn:
            return audit.entries(conn, since=since)

    def last_operator(self) -> str | None:
        with self.db.read() as conn:
            return audit.last_operator(conn)

    def chain_head(self) -> str:
        with self.db.read() as conn:
            return audit.chain_head(conn)[1]

    def meta(self) -> dict[str, str]:
        with self.db.read() as conn:
            return read_meta(conn)

    def is_training(self) -> bool:
        return self.meta().get(TRAINING) == "1"

    def count_records(self) -> int:
        with self.db.read() as conn:
            return int(conn.execute(select(func.count()).select_from(N_TABLE)).scalar() or 0) \
                + int(conn.execute(select(func.count()).select_from(R_TABLE)).scalar() or 0)

    def existing_register_nos(self) -> set[str]:
        with self.db.read() as conn:
            a: list[str] = list(conn.execute(select(N_TABLE.c.register_no)).scalars())
            b: list[str] = list(conn.execute(select(R_TABLE.c.register_no)).scalars())
        return set(a) | set(b)

    # ------------------------------------------------------------ writes
    def set_meta(self, values: dict[str, str], actor: Actor) -> None:
        with self.db.write() as conn:
            old = read_meta(conn)
            changes = [(k, old.get(k), v) for k, v in sorted(values.items()) if old.get(k) != v]
            if not changes:
                return
            write_meta(conn, values)
            audit.append(conn, actor, [PendingEntry(utc_now(), "database", None, "settings",
                                                    changes)])

    @staticmethod
    def _next_numbers(conn: Connection, kind: RecordKind, year: int, n: int) -> list[str]:
        table = N_TABLE if kind is RecordKind.SAF else R_TABLE
        return bulk_records.next_numbers(conn, table, kind, year, n)

    def create(self, record: Record, actor: Actor, action: str = "create",
               at: datetime | None = None) -> Saved:
        """Insert a new record (register number generated if absent) with its audit entry."""
        at = at or utc_now()
        table, owner, entity = _kind_parts(record)
        with self.db.write() as conn:
            regno = record.register_no
            if regno is None:
                regno = self._next_numbers(conn, record.kind, at.year, 1)[0]
            elif conn.execute(select(table.c.id).where(table.c.register_no == regno)).first():
                raise DuplicateRegisterNo(f"{regno} already exists; nothing was saved")
            record = replace(record, register_no=regno, version=1)
            vals = _values(record) | {"version": 1}
            new_id = conn.execute(insert(table).values(**vals)).inserted_primary_key[0]  # type: ignore[index]
            record = replace(record, id=new_id)
            if record.locations:
                conn.execute(insert(L_TABLE), [_loc_values(loc, i, owner, new_id)
                                               for i, loc in enumerate(record.locations)])
            head = audit.append(conn, actor, [PendingEntry(
                at, entity, regno, action, diff(None, record), state_hash=state_hash(record))])
        return Saved(record, head)

    def update(self, old: Record, new: Record, actor: Actor, action: str = "amend",
               reason: str = "", at: datetime | None = None) -> Saved:
        """Save ``new`` over ``old`` if nobody else changed it since ``old`` was loaded."""
        at = at or utc_now()
        table, owner, entity = _kind_parts(new)
        assert old.id is not None and old.register_no is not None
        new = replace(new, id=old.id, register_no=old.register_no)
        changes = diff(old, new)
        with self.db.write() as conn:
            current = self._get(conn, old.register_no)
            if current.version != old.version:
                raise ConcurrentEdit(old.register_no, old.version, current.version)
            if diff(current, old):  # loaded value differs from stored one: never overwrite
                raise ConcurrentEdit(old.register_no, old.version, current.version)
            if not changes:
                return Saved(current, audit.chain_head(conn)[1])
            new = replace(new, version=old.version + 1)
            res = conn.execute(update(table).where(table.c.id == old.id,
                                                   table.c.version == old.version)
                               .values(**(_values(new) | {"version": new.version})))
            if res.rowcount != 1:
                raise ConcurrentEdit(old.register_no, old.version, old.version + 1)
            if any(k.startswith("locations") for k, _, _ in changes) or _abl_changed(old, new):
                conn.execute(L_TABLE.delete().where(L_TABLE.c[f"{entity}_id"] == old.id))
                conn.execute(insert(L_TABLE), [_loc_values(loc, i, owner, old.id)
                                               for i, loc in enumerate(new.locations)])
            head = audit.append(conn, actor, [PendingEntry(
                at, entity, old.register_no, action, changes, reason, state_hash(new))])
        return Saved(new, head)

    def bulk_create(self, records: Sequence[Record], actor: Actor, action: str = "import",
                    at: datetime | None = None) -> tuple[list[str], str]:
        """Insert many records in ONE transaction (all or nothing) with one audit entry each
        (:func:`.bulk_records.create_many`); returns their register numbers and the new chain
        head. Records carrying a register number that exists are refused as a whole
        (:class:`DuplicateRegisterNo`); callers filter them first."""
        at = at or utc_now()
        with self.db.write() as conn:
            out, head, tables = bulk_records.create_many(conn, records, actor, action, at)
            sync_id_sequences(conn, tables)
        return out, head

    def append_audit(self, actor: Actor, entries: Iterable[PendingEntry]) -> str:
        with self.db.write() as conn:
            return audit.append(conn, actor, entries)


def _abl_changed(old: Record, new: Record) -> bool:
    return [loc.abl for loc in old.locations] != [loc.abl for loc in new.locations]


def sync_id_sequences(conn: Connection, tables: Iterable[Table]) -> None:
    """After rows were inserted with explicit ids: on a server, move each table's id
    sequence past the largest id (SQLite needs nothing)."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        pk = next(iter(table.primary_key.columns)).name
        conn.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', '{pk}'), "
            f"GREATEST(COALESCE(MAX({pk}), 0), 1), MAX({pk}) IS NOT NULL) FROM {table.name}")
