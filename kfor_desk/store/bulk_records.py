"""New records in bulk (an import, demo data): their rows and one audit entry each, inside the
caller's write transaction.

Per record this builds the row of its register and of each location as a tuple in column order
(what :func:`.repository._values` and ``_loc_values`` give as dicts: ``tests/store`` compares
them) and, straight from the record, the canonical texts of its audit entry's field-level
changes and of its state (:func:`~kfor_desk.domain.exchange_record_texts.record_texts`). The rows go
to the driver's ``executemany`` :data:`BULK_CHUNK` records at a time, the audit entries to
:func:`.audit.append` with them (announced to the other desks once, with the last chunk). On
SQLite, an import at least as large as what the database holds drops the plain indexes of the
tables it fills and makes them again, as they were, before the commit (:func:`_drop_indexes`).

It does not open or commit the transaction, look for records that already exist beyond the
register numbers it is given (the caller filters those) or validate records (they come
validated); a register number that exists refuses the whole batch.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, func, select

from kfor_desk.domain.exchange_record_texts import record_texts
from kfor_desk.domain.quick_init import quick_init
from kfor_desk.domain.records import (
    ConsentRequest,
    ExerciseNotification,
    Location,
    Record,
    RecordKind,
    format_register_no,
)
from kfor_desk.domain.search import haystack

from . import audit
from .audit import Actor, PendingEntry
from .bulk import insert_tuples
from .errors import DuplicateRegisterNo
from .models import LocationRow, NotificationRow, RequestRow
from .types import to_db_text

N_TABLE: Table = NotificationRow.__table__  # type: ignore[assignment]
R_TABLE: Table = RequestRow.__table__  # type: ignore[assignment]
L_TABLE: Table = LocationRow.__table__  # type: ignore[assignment]

#: records built into rows and audit entries at a time by :func:`create_many`
BULK_CHUNK = 2_000
_new_entry = quick_init(PendingEntry)  # PendingEntry(...) in half the time

N_COLUMNS = (
    "id", "version", "register_no", "sender_ref", "channel", "received_at", "received_by",
    "name", "exercise_type", "units", "personnel", "vehicles", "weapon_systems", "live_fire",
    "air_assets", "start", "end", "status", "acknowledged_at", "disseminated_at",
    "disseminated_to", "cancelled_at", "cancel_reason", "patrols", "liaison_contact", "notes",
    "search_text",
)
R_COLUMNS = (
    "id", "version", "register_no", "ksf_ref", "received_at", "received_by", "requesting_unit",
    "point_of_contact", "purpose", "description", "municipalities", "route", "start", "end",
    "personnel", "vehicles", "weapons_carried", "air_assets", "decision_due", "status",
    "review_started_at", "recommendation", "recommended_at", "decision_authority",
    "decided_at", "conditions", "rationale", "communicated_at", "communicated_via",
    "withdrawn_at", "withdraw_reason", "notes", "search_text",
)
L_COLUMNS = (
    "notification_id", "request_id", "seq", "name", "position", "lat", "lon", "radius_m",
    "uncertainty_m", "abl_distance_km", "side", "band",
)


def _t(value: datetime | None, times: dict[str, str] | None = None,
       key: str = "") -> str | None:
    """The stored text of a time, as :class:`~.types.UTCDateTime` writes it (``times``: the
    seconds already written for it, by :func:`record_texts`)."""
    if value is None:
        return None
    if times:
        seconds = times.get(key)
        if seconds is not None:  # a whole-second UTC time: these digits, no microseconds
            return seconds + ".000000Z"
    if value.tzinfo is UTC:  # the common case, as to_db_text without its checks
        return value.isoformat(timespec="microseconds")[:26] + "Z"
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("naive datetime refused: KFOR Desk stores UTC times only")
    return to_db_text(value)


def _json_list(values: Sequence[str]) -> str:
    from json import dumps

    return dumps(values, ensure_ascii=False)


def notification_row(n: ExerciseNotification, row_id: int, regno: str, search_text: str,
                     times: dict[str, str] | None = None) -> tuple[Any, ...]:
    """The ``notifications`` row of a new record, in :data:`N_COLUMNS` order."""
    return (
        row_id, 1, regno, n.sender_ref, n.channel._value_,
        _t(n.received_at, times, "received_at"), n.received_by, n.name,
        n.exercise_type._value_, n.units, n.personnel, n.vehicles, n.weapon_systems,
        n.live_fire, n.air_assets, _t(n.start, times, "start"), _t(n.end, times, "end"),
        n.status._value_, _t(n.acknowledged_at, times, "acknowledged_at"),
        _t(n.disseminated_at, times, "disseminated_at"), n.disseminated_to,
        _t(n.cancelled_at, times, "cancelled_at"), n.cancel_reason, n.patrols._value_,
        n.liaison_contact, n.notes, search_text,
    )


def request_row(r: ConsentRequest, row_id: int, regno: str, search_text: str,
                times: dict[str, str] | None = None) -> tuple[Any, ...]:
    """The ``requests`` row of a new record, in :data:`R_COLUMNS` order."""
    d = r.decision
    return (
        row_id, 1, regno, r.ksf_ref, _t(r.received_at, times, "received_at"), r.received_by,
        r.requesting_unit, r.point_of_contact, r.purpose._value_, r.description,
        _json_list([m._value_ for m in r.municipalities]), r.route,
        _t(r.start, times, "start"), _t(r.end, times, "end"), r.personnel, r.vehicles,
        r.weapons_carried, r.air_assets, _t(r.decision_due, times, "decision_due"),
        r.status._value_, _t(r.review_started_at, times, "review_started_at"),
        r.recommendation, _t(r.recommended_at, times, "recommended_at"),
        d.authority if d else None, _t(d.decided_at, times, "decision.decided_at") if d else None,
        d.conditions if d else "", d.rationale if d else "",
        _t(d.communicated_at, times, "decision.communicated_at") if d else None,
        d.communicated_via if d else "",
        _t(r.withdrawn_at, times, "withdrawn_at"), r.withdraw_reason, r.notes, search_text,
    )


def location_rows(locs: Sequence[Location], owner: str, owner_id: int) -> list[tuple[Any, ...]]:
    """The ``locations`` rows of a record, in :data:`L_COLUMNS` order."""
    n_id, r_id = (owner_id, None) if owner == "n" else (None, owner_id)
    return [(n_id, r_id, seq, loc.name, loc.position, loc.lat, loc.lon, loc.radius_m,
             loc.uncertainty_m,
             *((loc.abl.distance_km, loc.abl.side.value, loc.abl.band.value) if loc.abl
               else (None, None, None)))
            for seq, loc in enumerate(locs)]


def search_text(record: Record, regno: str) -> str:
    """:func:`~kfor_desk.domain.search.haystack` of the record as stored, numbered ``regno``
    (the number is its first text, folded apart: a register number is ASCII)."""
    if record.register_no is not None:
        return haystack(record)
    rest = haystack(record)
    return regno.casefold() + "\n" + rest if rest else regno.casefold()


def next_numbers(conn: Connection, table: Table, kind: RecordKind, year: int,
                 n: int) -> list[str]:
    """The next ``n`` register numbers of ``kind`` in ``year`` (under the write lock)."""
    prefix = f"{kind.value}-{year:04d}-"
    top = conn.execute(select(func.max(table.c.register_no))
                       .where(table.c.register_no.like(prefix + "%"))).scalar()
    start = int(top.rsplit("-", 1)[1]) if top else 0
    return [format_register_no(kind, year, start + i + 1) for i in range(n)]


def create_many(conn: Connection, records: Sequence[Record], actor: Actor, action: str,
                at: datetime) -> tuple[list[str], str, set[Table]]:
    """Insert ``records`` with one audit entry each; returns (their register numbers in
    order, the new chain head, the tables given explicit ids)."""
    out: list[str] = []
    head = audit.chain_head(conn)[1]
    chunks: list[tuple[Table, str, str, list[tuple[Record, str, int]]]] = []
    for kind, table, owner, entity in ((RecordKind.SAF, N_TABLE, "n", "notification"),
                                       (RecordKind.KSF, R_TABLE, "r", "request")):
        batch = [r for r in records if r.kind is kind]
        if not batch:
            continue
        given = [r.register_no for r in batch if r.register_no]
        if given:
            clash: set[str] = set(conn.execute(select(table.c.register_no).where(
                table.c.register_no.in_(given))).scalars())
            if clash or len(set(given)) != len(given):
                dup = sorted(clash) or sorted({g for g in given if given.count(g) > 1})
                raise DuplicateRegisterNo(f"{', '.join(dup[:5])} already exist(s)")
        missing = sum(1 for r in batch if not r.register_no)
        fresh = iter(next_numbers(conn, table, kind, at.year, missing))
        base = (conn.execute(select(func.max(table.c.id))).scalar() or 0) + 1
        numbered = [(r, r.register_no or next(fresh), base + i) for i, r in enumerate(batch)]
        out += [regno for _, regno, _ in numbered]
        chunks += [(table, owner, entity, numbered[i:i + BULK_CHUNK])
                   for i in range(0, len(numbered), BULK_CHUNK)]
    deferred = _drop_indexes(conn, len(records))
    for n, (table, owner, entity, chunk) in enumerate(chunks, start=1):
        rows: list[tuple[Any, ...]] = []
        locs: list[tuple[Any, ...]] = []
        pending: list[PendingEntry] = []
        make_row = notification_row if owner == "n" else request_row
        for r, regno, row_id in chunk:
            times: dict[str, str] = {}  # the record's times, formatted once for both
            state_text, changes_text = record_texts(r, regno, times)
            rows.append(make_row(r, row_id, regno,  # type: ignore[arg-type]
                                 search_text(r, regno), times))
            if r.locations:
                locs += location_rows(r.locations, owner, row_id)
            pending.append(_new_entry(
                at, entity, regno, action, (),
                state_hash=hashlib.sha256(state_text.encode()).hexdigest(),
                changes_json=changes_text))
        insert_tuples(conn, table, N_COLUMNS if owner == "n" else R_COLUMNS, rows)
        if locs:
            insert_tuples(conn, L_TABLE, L_COLUMNS, locs)
        # one announcement to the other desks, with the last chunk
        head = audit.append(conn, actor, pending, announce=n == len(chunks))
    for sql in deferred:
        conn.exec_driver_sql(sql)
    return out, head, {c[0] for c in chunks}


#: an import at least this large, and at least as large as what the database holds, builds the
#: plain indexes of the tables it fills once at its end instead of row by row
DEFER_INDEXES_FROM = 1_000
_FILLED = ("notifications", "requests", "locations", "audit")


def _drop_indexes(conn: Connection, adding: int) -> list[str]:
    """SQLite, a large import into a small database: drop the plain (not unique) indexes of
    the tables it fills and return the statements that make them again, exactly as they were
    (``sqlite_master``), to be run before the commit. Inside the one transaction: a failed
    import rolls the drop back with the rest. Sorting once is cheaper than growing each index
    a row at a time, but it sorts the whole table, hence only when the import is at least as
    large as what is there. The unique indexes (register numbers, audit hashes) stay, so a
    duplicate is refused at its row as before. A server keeps its indexes (dropping one would
    lock the table against the other desks' reads), and so does a file with planner statistics
    (``ANALYZE``'s ``sqlite_stat1``: a dropped index loses its rows there)."""
    if conn.dialect.name != "sqlite" or adding < DEFER_INDEXES_FROM:
        return []
    held = conn.exec_driver_sql(
        "SELECT (SELECT COALESCE(MAX(id), 0) FROM notifications)"
        " + (SELECT COALESCE(MAX(id), 0) FROM requests), (SELECT COALESCE(MAX(seq), 0) "
        "FROM audit), (SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1')").one()
    if adding < max(held[0], held[1]) or held[2]:
        return []
    marks = ", ".join("?" for _ in _FILLED)
    rows = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND sql NOT LIKE 'CREATE UNIQUE%' AND tbl_name IN ({marks}) ORDER BY name",
        _FILLED).all()
    for name, _ in rows:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    return [str(sql) for _, sql in rows]
