"""Reading whole records: the rows of a register table and their locations made into
domain records (:class:`~kfor_desk.domain.records.ExerciseNotification`,
:class:`~kfor_desk.domain.records.ConsentRequest`).

Used by the repository's reads and by the registers' snapshot read (:mod:`.lines`). Nothing
here writes, opens a transaction of its own or knows about the audit chain.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, Table, select

from kfor_desk.domain.enums import (
    Band,
    Channel,
    ExerciseType,
    Municipality,
    NotificationStatus,
    Patrols,
    Purpose,
    RequestStatus,
    Side,
)
from kfor_desk.domain.gcpause import gc_paused
from kfor_desk.domain.records import (
    AblRelation,
    ConsentRequest,
    Decision,
    ExerciseNotification,
    Location,
    Record,
)

from .models import LocationRow, NotificationRow, RequestRow

__all__ = ["L_TABLE", "N_TABLE", "R_TABLE", "load_records"]

N_TABLE: Table = NotificationRow.__table__  # type: ignore[assignment]
R_TABLE: Table = RequestRow.__table__  # type: ignore[assignment]
L_TABLE: Table = LocationRow.__table__  # type: ignore[assignment]


def _loc_from_row(r: Any) -> Location:
    abl = None
    if r.abl_distance_km is not None and r.side and r.band:
        abl = AblRelation(r.abl_distance_km, Side(r.side), Band(r.band))
    return Location(name=r.name, lat=r.lat, lon=r.lon, position=r.position,
                    radius_m=r.radius_m, uncertainty_m=r.uncertainty_m, abl=abl)


def _n_from_row(r: Any, locs: tuple[Location, ...]) -> ExerciseNotification:
    return ExerciseNotification(
        id=r.id, register_no=r.register_no, version=r.version, sender_ref=r.sender_ref,
        channel=Channel(r.channel), received_at=r.received_at, received_by=r.received_by,
        name=r.name, exercise_type=ExerciseType(r.exercise_type), units=r.units,
        personnel=r.personnel, vehicles=r.vehicles, weapon_systems=r.weapon_systems,
        live_fire=bool(r.live_fire), air_assets=r.air_assets, start=r.start, end=r.end,
        locations=locs, status=NotificationStatus(r.status),
        acknowledged_at=r.acknowledged_at, disseminated_at=r.disseminated_at,
        disseminated_to=r.disseminated_to, cancelled_at=r.cancelled_at,
        cancel_reason=r.cancel_reason, patrols=Patrols(r.patrols),
        liaison_contact=r.liaison_contact, notes=r.notes,
    )


def _r_from_row(r: Any, locs: tuple[Location, ...]) -> ConsentRequest:
    decision = None
    if r.decided_at is not None:
        decision = Decision(authority=r.decision_authority or "", decided_at=r.decided_at,
                            conditions=r.conditions, rationale=r.rationale,
                            communicated_at=r.communicated_at,
                            communicated_via=r.communicated_via)
    return ConsentRequest(
        id=r.id, register_no=r.register_no, version=r.version, ksf_ref=r.ksf_ref,
        received_at=r.received_at, received_by=r.received_by,
        requesting_unit=r.requesting_unit, point_of_contact=r.point_of_contact,
        purpose=Purpose(r.purpose), description=r.description,
        municipalities=tuple(Municipality(m) for m in json.loads(r.municipalities or "[]")),
        locations=locs, route=r.route, start=r.start, end=r.end, personnel=r.personnel,
        vehicles=r.vehicles, weapons_carried=bool(r.weapons_carried),
        air_assets=r.air_assets, decision_due=r.decision_due,
        status=RequestStatus(r.status), review_started_at=r.review_started_at,
        recommendation=r.recommendation, recommended_at=r.recommended_at, decision=decision,
        withdrawn_at=r.withdrawn_at, withdraw_reason=r.withdraw_reason, notes=r.notes,
    )


def load_records(conn: Connection, table: Table, owner_col: str,
                 where: Any = None) -> list[Record]:
    """The records of ``table`` (``N_TABLE`` or ``R_TABLE``, ``owner_col`` the locations'
    column naming it) in id order, with their locations; ``where`` narrows the rows."""
    with gc_paused():  # many records at once, none in a cycle (a third of a large read)
        return _load(conn, table, owner_col, where)


def _load(conn: Connection, table: Table, owner_col: str, where: Any) -> list[Record]:
    q = select(table).order_by(table.c.id)
    if where is not None:
        q = q.where(where)
    rows = list(conn.execute(q))
    locs: dict[int, list[Location]] = defaultdict(list)
    lq = select(L_TABLE).where(L_TABLE.c[owner_col].is_not(None)).order_by(
        L_TABLE.c[owner_col], L_TABLE.c.seq)
    if where is not None and len(rows) < 500:
        lq = lq.where(L_TABLE.c[owner_col].in_([r.id for r in rows]))
    for lr in conn.execute(lq):
        locs[lr._mapping[owner_col]].append(_loc_from_row(lr))
    make = _n_from_row if table is N_TABLE else _r_from_row
    return [make(r, tuple(locs.get(r.id, ()))) for r in rows]
