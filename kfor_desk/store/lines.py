"""The registers' lines read straight from the tables: the first read of a window.

:func:`read_lines` reads, for every record, only what a register row shows
(:class:`~kfor_desk.domain.lines.NotificationLine`, :class:`~kfor_desk.domain.lines.RequestLine`:
dates, title, status, the location nearest the ABL, the stored folded search text) as plain
tuples, without building whole records: at 100,000 records it is a fraction of the whole read.
:func:`read_lines_and_records` reads the lines and the whole records of one moment (one
snapshot: a save landing while it reads is in both or in neither), so the registers can be
brought to the moment the rest of the window shows.

Nothing here writes, builds a whole record itself (:mod:`.reading` does) or decides what a
screen shows.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, String, select, type_coerce

from kfor_desk.domain.enums import (
    DECIDED,
    Band,
    Channel,
    ExerciseType,
    NotificationStatus,
    Purpose,
    RequestStatus,
)
from kfor_desk.domain.errors import ShouldStop, check_stop
from kfor_desk.domain.gcpause import gc_paused
from kfor_desk.domain.lines import NotificationLine, RequestLine
from kfor_desk.domain.records import ConsentRequest, ExerciseNotification, request_title
from kfor_desk.domain.text import fold

from .database import Database
from .reading import L_TABLE, N_TABLE, R_TABLE, load_records
from .types import from_db_text

__all__ = ["read_lines", "read_lines_and_records", "register_lines"]

_Place = tuple[str | None, float | None, Band | None, int]
_NO_PLACE: _Place = (None, None, None, 0)


def _members(enum: Any) -> dict[str, Any]:
    return {m.value: m for m in enum}


_CHANNEL = _members(Channel)
_TYPE = _members(ExerciseType)
_N_STATUS = _members(NotificationStatus)
_PURPOSE = _members(Purpose)
_R_STATUS = _members(RequestStatus)
_BAND = _members(Band)


def _search_text(register_no: str, stored: str) -> str:
    """The stored search text is :func:`kfor_desk.domain.search.haystack` of the record, except
    that a bulk import stored it without the register number it gave (its first line): put
    back here, so a search for the number finds the row."""
    first = fold(register_no) + "\n"
    return stored if stored.startswith(first) else first + stored


def _rows(conn: Connection, q: Any) -> list[Any]:
    """The plain tuples of ``q`` from the driver's cursor of ``conn`` (in its transaction):
    no result rows or column types in between, the values as stored."""
    sql = str(q.compile(dialect=conn.dialect))
    cur = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cur.execute(sql)
        return list(cur.fetchall())
    finally:
        cur.close()


def _unknown(table: str, exc: KeyError) -> ValueError:
    return ValueError(f"the {table} table holds an unknown value {exc}: nothing was shown; "
                      f"open the database with the version of KFOR Desk that wrote it")


def _text(col: Any) -> Any:
    """A datetime column as its stored text (parsed here, cheaper than the column type)."""
    return type_coerce(col, String)


def _places(conn: Connection, owner_col: str) -> dict[int, _Place]:
    """Per record id: the location nearest the ABL (the first one when none has a distance),
    as :func:`kfor_desk.domain.lines.nearest_location` picks it, and how many it has."""
    col = L_TABLE.c[owner_col]
    q = (select(col, L_TABLE.c.name, L_TABLE.c.abl_distance_km, L_TABLE.c.side,
                L_TABLE.c.band).where(col.is_not(None)).order_by(col, L_TABLE.c.seq))
    # per owner: [name, km, band, count, has an ABL relation]
    best: dict[int, list[Any]] = {}
    for owner, name, km, side, band in _rows(conn, q):
        has_abl = km is not None and bool(side) and bool(band)
        cur = best.get(owner)
        if cur is None:
            best[owner] = [name, km, band, 1, True] if has_abl else [name, None, None, 1, False]
            continue
        cur[3] += 1
        if has_abl and (not cur[4] or km < cur[1]):
            cur[0], cur[1], cur[2], cur[4] = name, km, band, True
    try:
        return {owner: (name, km, _BAND[band] if band else None, n)
                for owner, (name, km, band, n, _abl) in best.items()}
    except KeyError as exc:
        raise _unknown("locations", exc) from None


def _notification_lines(conn: Connection) -> list[NotificationLine]:
    t = N_TABLE.c
    q = select(t.id, t.register_no, t.version, _text(t.received_at), t.channel, t.name,
               t.exercise_type, t.live_fire, _text(t.start), _text(t.end), t.status,
               t.search_text).order_by(t.id)
    rows = _rows(conn, q)
    place = _places(conn, "notification_id").get
    dt, new, line, none = from_db_text, tuple.__new__, NotificationLine, _NO_PLACE
    channels, types, statuses = _CHANNEL, _TYPE, _N_STATUS
    try:
        return [
            new(line, (rid, regno, version, dt(received), channels[channel], name,
                       types[etype], bool(live), dt(start), dt(end), statuses[status],
                       *place(rid, none), _search_text(regno, hay)))
            for rid, regno, version, received, channel, name, etype, live, start, end, status,
            hay in rows]
    except KeyError as exc:
        raise _unknown("notifications", exc) from None


def _request_lines(conn: Connection) -> list[RequestLine]:
    t = R_TABLE.c
    q = select(t.id, t.register_no, t.version, _text(t.received_at), t.purpose, t.description,
               _text(t.start), _text(t.end), t.status, _text(t.decision_due),
               _text(t.decided_at), _text(t.communicated_at), t.search_text).order_by(t.id)
    rows = _rows(conn, q)
    place = _places(conn, "request_id").get
    dt, new, line, none = from_db_text, tuple.__new__, RequestLine, _NO_PLACE
    out = []
    try:
        for (rid, regno, version, received, purpose_v, description, start, end, status_v,
             due, decided, communicated, hay) in rows:
            purpose, status = _PURPOSE[purpose_v], _R_STATUS[status_v]
            # as ConsentRequest.awaiting_communication: decided, not yet told to the KSF
            awaiting = status in DECIDED and decided is not None and communicated is None
            out.append(new(line, (
                rid, regno, version, dt(received), purpose,
                request_title(description, purpose), bool(description), dt(start), dt(end),
                status, dt(due), awaiting, *place(rid, none), _search_text(regno, hay))))
    except KeyError as exc:
        raise _unknown("requests", exc) from None
    return out


def _snapshot(conn: Connection) -> None:
    """On a server, every statement of this read transaction sees the same moment (SQLite's
    read transaction does already)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")


def read_lines(conn: Connection) -> tuple[list[NotificationLine], list[RequestLine]]:
    """Every record's register line, in id order, within the transaction of ``conn``."""
    with gc_paused():  # many small tuples, none in a cycle
        return _notification_lines(conn), _request_lines(conn)


def register_lines(db: Database) -> tuple[list[NotificationLine], list[RequestLine]]:
    """Every record's register line, in id order, of one moment."""
    with db.read() as conn:
        _snapshot(conn)
        return read_lines(conn)


def read_lines_and_records(db: Database, should_stop: ShouldStop | None = None) -> tuple[
        list[NotificationLine], list[RequestLine], list[ExerciseNotification],
        list[ConsentRequest]]:
    """The lines and the whole records (both in id order, one per record) of one moment.
    ``should_stop`` is asked between the reads of the lines and of each register's records
    (:class:`~kfor_desk.domain.errors.Stopped`: the read ends, nothing returned)."""
    with db.read() as conn:
        _snapshot(conn)
        n_lines, r_lines = read_lines(conn)
        check_stop(should_stop)
        notes = load_records(conn, N_TABLE, "notification_id")
        check_stop(should_stop)
        reqs = load_records(conn, R_TABLE, "request_id")
    return n_lines, r_lines, notes, reqs  # type: ignore[return-value]
