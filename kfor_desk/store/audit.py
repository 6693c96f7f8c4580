"""The audit trail: one append-only, hash-chained entry per change, written in the same
transaction as the change.

``hash = sha256(prev_hash + canonical entry)``. Each record entry also carries the hash of the
record's canonical state after the change, so :func:`verify` catches both an edited audit row
(the chain breaks) and a record edited behind the application's back (its state no longer
matches its last entry). ``PRAGMA integrity_check`` notices neither.

Many writers, one trail: :func:`append` reads the chain head and adds to it while holding the
one-writer lock (SQLite: the ``BEGIN IMMEDIATE`` transaction; a server: the advisory lock of
:func:`~kfor_desk.store.pg.lock_writers`), so two desks never link to the same head. On a server
the commit also announces the new entries (``NOTIFY kfor_desk``) to the other desks' watchers.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from json.encoder import encode_basestring
from typing import Any

from sqlalchemy import Connection, select, text

from kfor_desk.domain.exchange import canonical_json
from kfor_desk.domain.timefmt import format_iso

from .bulk import insert_tuples
from .errors import CheckStopped
from .models import AuditRow
from .pg import lock_writers
from .types import to_db_text

GENESIS = "0" * 64
#: key of ``Connection.info`` where :func:`append` leaves the new head for the witness
NEW_HEAD = "kfor_new_head"
#: the channel a server's commits announce new audit entries on (payload: the last seq)
CHANNEL = "kfor_desk"
_COLUMNS = ("seq", "at", "operator", "workstation", "entity", "register_no", "action", "changes",
            "reason", "state_hash", "prev_hash", "hash")


@dataclass(frozen=True, slots=True)
class Actor:
    """Who makes a change, from where."""

    operator: str
    workstation: str


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One change, as a plain value: ``changes`` is ``((field, before, after), ...)``."""

    seq: int
    at: datetime
    operator: str
    workstation: str
    entity: str
    register_no: str | None
    action: str
    changes: tuple[tuple[str, Any, Any], ...]
    reason: str
    state_hash: str | None
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class PendingEntry:
    at: datetime
    entity: str
    register_no: str | None
    action: str
    changes: Sequence[tuple[str, Any, Any]]
    reason: str = ""
    state_hash: str | None = None
    #: ``changes`` already in their canonical text (a bulk import writes it while hashing the
    #: record's state); when given, ``changes`` is not read
    changes_json: str | None = None


def _payload(seq: int, actor_op: str, actor_ws: str, e: PendingEntry | AuditEntry,
             changes_json: str | None = None, at: str | None = None) -> str:
    """The canonical text an entry's hash covers: ``canonical_json`` of ``{"seq", "at",
    "operator", "workstation", "entity", "register_no", "action", "changes", "reason",
    "state_hash"}``, written out key by key in sorted order so that the changes, already
    encoded once for their column, are not encoded a second time (the same text, byte for byte;
    tests/store compare the two). ``at``: :func:`_payload_time` of the entry's time, when the
    caller has it."""
    if changes_json is None:
        changes_json = _changes_json(e.changes)
    if at is None:
        at = _payload_time(e.at)
    head, middle, tail = _payload_parts(actor_op, actor_ws, e.action, at, e.entity, e.reason)
    return _payload_of(head, middle, tail, seq, changes_json, e.register_no, e.state_hash)


def _payload_parts(actor_op: str, actor_ws: str, action: str, at: str, entity: str,
                   reason: str) -> tuple[str, str, str]:
    """The texts of :func:`_payload` around its changes, register number, seq and state
    hash: what the entries of one change (an import's) share, written once for them all."""
    return (f'{{"action":{_scalar(action)},"at":{_scalar(at)},"changes":',
            f',"entity":{_scalar(entity)},"operator":{_scalar(actor_op)},'
            f'"reason":{_scalar(reason)},"register_no":',
            f',"workstation":{_scalar(actor_ws)}}}')


def _payload_of(head: str, middle: str, tail: str, seq: int, changes_json: str,
                register_no: str | None, state_hash: str | None) -> str:
    return (f'{head}{changes_json}{middle}{_scalar(register_no)},"seq":{_scalar(seq)},'
            f'"state_hash":{_scalar(state_hash)}{tail}')


def _payload_time(at: datetime) -> str:
    return format_iso(at) if not at.microsecond else at.isoformat()


def _changes_json(changes: Iterable[Sequence[Any]]) -> str:
    # tuples and lists encode alike: a list or tuple of them is encoded as it is, no copies
    if type(changes) is list or type(changes) is tuple:
        return canonical_json(changes)
    return canonical_json([list(c) for c in changes])


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if type(value) is str:
        return encode_basestring(value)
    if type(value) is int:  # the seq: json writes an int as repr does (bool is not int here)
        return repr(value)
    return canonical_json(value)


def chain_hash(prev_hash: str, payload: str) -> str:
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


def chain_head(conn: Connection) -> tuple[int, str]:
    """(last seq, last hash), or (0, GENESIS) for an empty trail."""
    row = conn.execute(select(AuditRow.seq, AuditRow.hash).order_by(AuditRow.seq.desc())
                       .limit(1)).first()
    return (row[0], row[1]) if row else (0, GENESIS)


def last_operator(conn: Connection) -> str | None:
    """The operator of the newest entry (None for an empty trail)."""
    row = conn.execute(select(AuditRow.operator).order_by(AuditRow.seq.desc()).limit(1)).first()
    return str(row[0]) if row else None


def append(conn: Connection, actor: Actor, entries: Iterable[PendingEntry], *,
           announce: bool = True) -> str:
    """Append entries in order; returns the new chain head hash.

    ``announce=False``: no ``NOTIFY`` for these entries on a server (a caller appending in
    parts in one transaction announces with its last part; the watchers read every entry after
    the seq they know, so one announcement covers the parts before it)."""
    lock_writers(conn)  # no-op on SQLite; a server: one writer links to the head at a time
    seq, prev = chain_head(conn)
    rows: list[tuple[Any, ...]] = []
    # entries of one change share their time: (it, its stored text, its text in the payload)
    at_text: tuple[datetime, str, str] | None = None
    # ... and their action, entity and reason: (those, the payload's texts around the rest)
    shared: tuple[tuple[str, str, str, str], tuple[str, str, str]] | None = None
    for e in entries:
        seq += 1
        changes = e.changes_json if e.changes_json is not None else _changes_json(e.changes)
        if at_text is None or at_text[0] is not e.at:
            if e.at.tzinfo is None:  # as UTCDateTime: never guess a zone
                raise ValueError("naive datetime refused: KFOR Desk stores UTC times only")
            at_text = (e.at, to_db_text(e.at), _payload_time(e.at))
        key = (at_text[2], e.action, e.entity, e.reason)
        if shared is None or shared[0] != key:
            shared = (key, _payload_parts(actor.operator, actor.workstation, e.action,
                                          at_text[2], e.entity, e.reason))
        head, middle, tail = shared[1]
        h = chain_hash(prev, _payload_of(head, middle, tail, seq, changes, e.register_no,
                                         e.state_hash))
        rows.append((seq, at_text[1], actor.operator, actor.workstation, e.entity,
                     e.register_no, e.action, changes, e.reason, e.state_hash, prev, h))
        prev = h
    if rows:
        insert_tuples(conn, AuditRow.__table__, _COLUMNS, rows)  # type: ignore[arg-type]
        conn.info[NEW_HEAD] = (seq, prev)  # for Database.write's after-commit witness
        if announce and conn.dialect.name == "postgresql":  # sent at commit, not on rollback
            conn.execute(text("SELECT pg_notify(:channel, :seq)"),
                         {"channel": CHANNEL, "seq": str(seq)})
    return prev


def _to_entry(r: Any) -> AuditEntry:
    return AuditEntry(
        seq=r.seq, at=r.at, operator=r.operator, workstation=r.workstation, entity=r.entity,
        register_no=r.register_no, action=r.action,
        changes=tuple((c[0], c[1], c[2]) for c in json.loads(r.changes)), reason=r.reason,
        state_hash=r.state_hash, prev_hash=r.prev_hash, hash=r.hash,
    )


def entries(conn: Connection, *, register_no: str | None = None,
            since: datetime | None = None) -> list[AuditEntry]:
    q = select(AuditRow).order_by(AuditRow.seq)
    if register_no is not None:
        q = q.where(AuditRow.register_no == register_no)
    if since is not None:
        q = q.where(AuditRow.at >= since)
    return [_to_entry(r) for r in conn.execute(q)]


def entry_hash(conn: Connection, seq: int) -> str | None:
    """The stored hash of entry ``seq`` (None when there is no such entry)."""
    row = conn.execute(select(AuditRow.hash).where(AuditRow.seq == seq)).first()
    return row[0] if row else None


def hashes_between(conn: Connection, first: int, last: int) -> dict[int, str]:
    """{seq: stored hash} of the entries ``first``–``last`` there are."""
    q = select(AuditRow.seq, AuditRow.hash).where(AuditRow.seq >= first, AuditRow.seq <= last)
    return {int(r[0]): str(r[1]) for r in conn.execute(q)}


def entries_with_prefix(conn: Connection, prefix: str) -> list[tuple[int, str]]:
    """(seq, hash) of every entry whose hash starts with ``prefix`` (lower-case hex)."""
    q = select(AuditRow.seq, AuditRow.hash).where(AuditRow.hash.like(prefix + "%")) \
        .order_by(AuditRow.seq)
    return [(r[0], r[1]) for r in conn.execute(q)]


def entries_after(conn: Connection, seq: int, limit: int = 500) -> list[AuditEntry]:
    """The entries after ``seq``, oldest first, at most ``limit`` (what another desk added)."""
    q = select(AuditRow).where(AuditRow.seq > seq).order_by(AuditRow.seq).limit(limit)
    return [_to_entry(r) for r in conn.execute(q)]


@dataclass(frozen=True, slots=True)
class ChainReport:
    ok: bool
    count: int
    head: str
    first_bad_seq: int | None = None
    problem: str = ""
    last_state: dict[str, str] | None = None  # register_no -> state hash of its last entry
    #: register numbers that appear only in entries after the first bad one: the trail has
    #: them, but a broken chain cannot vouch for them
    after_break: frozenset[str] = frozenset()
    #: the entries after the first bad one (seq of the first, seq of the last), if any
    after_range: tuple[int, int] | None = None
    #: the check started after this entry (0: from the beginning)
    checked_after: int = 0


def verify_chain(conn: Connection,
                 should_stop: Callable[[], bool] | None = None, *,
                 after: tuple[int, str] | None = None) -> ChainReport:
    """Walk the trail; name the first entry whose hash or link does not hold.

    ``after=(seq, hash)`` starts the walk after an entry already known good (the witness's
    last verified head): only what came since is hashed. The caller must have checked that
    the entry ``seq`` still carries ``hash``. Entries after a break are read on (their
    register numbers, not their hashes) so that the report can say what rests on the break
    instead of calling those records unknown.
    ``should_stop`` is asked every 1,000 entries; when it says yes, :class:`CheckStopped`."""
    start, prev = after or (0, GENESIS)
    count = start
    last_state: dict[str, str] = {}
    later: set[str] = set()
    bad: tuple[int, str, str] | None = None  # (seq, problem, head before it)
    first_after = last_after = 0
    q = select(AuditRow).where(AuditRow.seq > start).order_by(AuditRow.seq)
    for expected_seq, r in enumerate(conn.execute(q), start=start + 1):
        count = expected_seq
        if should_stop is not None and expected_seq % 1000 == 0 and should_stop():
            raise CheckStopped("the audit trail check was stopped")
        if bad is not None:
            if r.register_no:
                later.add(r.register_no)
            first_after = first_after or r.seq
            last_after = r.seq
            continue
        e = _to_entry(r)
        problem = ""
        if e.seq != expected_seq:
            problem = f"audit entry {expected_seq} is missing (next is {e.seq})"
        elif e.prev_hash != prev:
            problem = f"audit entry {e.seq} does not link to entry {e.seq - 1}"
        elif chain_hash(prev, _payload(e.seq, e.operator, e.workstation, e)) != e.hash:
            problem = (f"audit entry {e.seq} ({e.action} {e.register_no or ''}) was "
                       "altered after it was written")
        if problem:
            bad = (expected_seq, problem, prev)
            if e.register_no:
                later.add(e.register_no)
            first_after = last_after = e.seq
            continue
        if e.register_no and e.state_hash:
            last_state[e.register_no] = e.state_hash
        prev = e.hash
    if bad is not None:
        return ChainReport(False, count, bad[2], bad[0], bad[1], last_state,
                           frozenset(later - set(last_state)), (first_after, last_after),
                           start)
    return ChainReport(True, count, prev, last_state=last_state, checked_after=start)


def unaudited(conn: Connection) -> tuple[list[str], list[str]]:
    """(register numbers of records with no audit entry at all, register numbers the trail
    created that no register holds). Cheap even when the trail is long: each is a walk of
    one index with a lookup in another per key (``NOT EXISTS``), not a temporary table of
    every register number (``NOT IN``), which cost three times as much at 100,000 records."""
    from sqlalchemy import and_, exists

    from .models import NotificationRow, RequestRow

    without: list[str] = []
    for row in (NotificationRow, RequestRow):
        q = select(row.register_no).where(
            row.register_no.is_not(None),
            ~select(AuditRow.register_no).where(AuditRow.register_no == row.register_no)
            .exists())  # the index alone answers it
        without += [str(r[0]) for r in conn.execute(q)]
    keys = select(AuditRow.register_no.label("r")).where(
        AuditRow.register_no.is_not(None)).distinct().subquery()
    other = AuditRow.__table__.alias("created")
    q2 = select(keys.c.r).where(
        ~select(NotificationRow.register_no).where(NotificationRow.register_no == keys.c.r)
        .exists(),
        ~select(RequestRow.register_no).where(RequestRow.register_no == keys.c.r).exists(),
        exists().where(and_(other.c.register_no == keys.c.r,
                            other.c.entity.in_(("notification", "request")))))
    gone = [str(r[0]) for r in conn.execute(q2)]
    return sorted(without), sorted(gone)
