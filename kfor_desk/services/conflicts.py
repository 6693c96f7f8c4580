"""Deconfliction use cases: conflicts and flags as of a time, marking a pair deconflicted,
reopening it, and the entry-time preview of what a record would create.

The rules are the domain's (:mod:`kfor_desk.domain.conflicts`); the parameters are the desk
settings kept in the database; marks are stored and audited by
:mod:`kfor_desk.store.conflict_marks`. A deconflicted pair reopens by itself when either record
changes in time or place (its fingerprint no longer matches the mark).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from kfor_desk.domain.conflicts import (
    Conflict,
    ConflictMark,
    ConflictStatus,
    DeconflictionSettings,
    Flag,
    TrackedConflict,
    apply_marks,
    attention_flags,
    conflicts_with,
    find_conflicts,
    flags_for,
    latest_marks,
    mark_conflict,
    register_sort_key,
)
from kfor_desk.domain.records import Record, parse_register_no
from kfor_desk.domain.timefmt import ensure_utc
from kfor_desk.domain.validation import Problem, RuleError

from .desk import Desk
from .errors import ShouldStop, check_stop
from .settings import DeskSettings

if TYPE_CHECKING:
    from kfor_desk.store.conflict_marks import ConflictMarks, MarkSaved


def deconfliction_settings(settings: DeskSettings) -> DeconflictionSettings:
    """The engine's parameters from the desk settings."""
    return DeconflictionSettings(
        distance_km=settings.conflict_distance_km,
        margin=settings.margin,
        due_soon=timedelta(hours=settings.due_soon_h),
        unacknowledged_after=timedelta(hours=settings.unacknowledged_h),
    )


@dataclass(frozen=True, slots=True)
class ConflictReport:
    """Conflicts (each with its status) and attention flags as of ``as_of``."""

    as_of: datetime
    settings: DeconflictionSettings
    conflicts: tuple[TrackedConflict, ...]
    flags: tuple[Flag, ...]

    @property
    def open_conflicts(self) -> tuple[TrackedConflict, ...]:
        return tuple(c for c in self.conflicts if c.status is ConflictStatus.OPEN)

    def involving(self, register_no: str) -> tuple[TrackedConflict, ...]:
        return tuple(c for c in self.conflicts if register_no in c.conflict.key)

    def flags_of(self, register_no: str) -> tuple[Flag, ...]:
        return tuple(f for f in self.flags if f.register_no == register_no)


@dataclass(frozen=True, slots=True)
class Preview:
    """What a record being entered would create, for the form before the operator confirms."""

    record: Record  # validated, with its ABL relations
    conflicts: tuple[Conflict, ...]
    flags: tuple[Flag, ...]

    @property
    def clear(self) -> bool:
        return not self.conflicts and not self.flags


def _marks(desk: Desk) -> ConflictMarks:
    from kfor_desk.store.conflict_marks import ConflictMarks  # with the first database use

    return ConflictMarks(desk.db)


def _records(desk: Desk) -> list[Record]:
    notes, reqs = desk.repo.all_records()
    return [*notes, *reqs]


def conflict_report(desk: Desk, as_of: datetime | None = None, *,
                    records: Sequence[Record] | None = None,
                    desk_settings: DeskSettings | None = None,
                    should_stop: ShouldStop | None = None) -> ConflictReport:
    """Every current conflict with its status, and every attention flag, as of ``as_of``
    (default: the desk's clock). ``records`` and ``desk_settings`` save a read when the caller
    has just read them (they must be the database's current ones). ``should_stop`` is asked
    between chunks of the work; when it says yes the report ends with
    :class:`~kfor_desk.services.errors.Stopped` (nothing concluded, nothing written)."""
    when = ensure_utc(as_of) if as_of is not None else desk.clock()
    settings = deconfliction_settings(desk_settings or desk.settings())
    records = list(records) if records is not None else _records(desk)
    found = find_conflicts(records, when, settings, should_stop)
    check_stop(should_stop)
    tracked = apply_marks(found, _marks(desk).all(), should_stop)
    flags = attention_flags(records, when, settings, should_stop)
    return ConflictReport(when, settings, tuple(tracked), tuple(flags))


def preview(desk: Desk, record: Record, as_of: datetime | None = None) -> Preview:
    """The conflicts and flags ``record`` (new or amended, not yet saved) would have.

    Validates and computes ABL relations as saving would (:class:`RuleError` if invalid).
    """
    when = ensure_utc(as_of) if as_of is not None else desk.clock()
    settings = deconfliction_settings(desk.settings())
    ready = desk.prepare(record)
    found = conflicts_with(ready, _records(desk), when, settings)
    return Preview(ready, tuple(found), tuple(flags_for(ready, when, settings)))


def _refuse(message: str) -> RuleError:
    return RuleError([Problem("conflict", message)])


def _ordered(a: str, b: str) -> tuple[str, str]:
    a, b = a.strip().upper(), b.strip().upper()
    for regno in (a, b):
        try:
            parse_register_no(regno)
        except ValueError as exc:
            raise _refuse(str(exc)) from None
    if a == b:
        raise _refuse("A record cannot conflict with itself.")
    return (a, b) if register_sort_key(a) <= register_sort_key(b) else (b, a)


def current_conflict(desk: Desk, a: str, b: str,
                     as_of: datetime | None = None) -> TrackedConflict | None:
    """The pair's conflict now (with its status), or ``None`` when the two do not conflict."""
    first, second = _ordered(a, b)
    when = ensure_utc(as_of) if as_of is not None else desk.clock()
    settings = deconfliction_settings(desk.settings())
    pair = [desk.repo.get(first), desk.repo.get(second)]
    found = find_conflicts(pair, when, settings)
    if not found:
        return None
    return apply_marks(found, _marks(desk).for_pair(first, second))[0]


def _mark(desk: Desk, a: str, b: str, status: ConflictStatus, note: str,
          at: datetime | None) -> MarkSaved:
    when = ensure_utc(at) if at is not None else desk.clock()
    first, second = _ordered(a, b)
    tracked = current_conflict(desk, first, second, when)
    if tracked is None:
        raise _refuse(f"{first} and {second} do not conflict as of now; nothing to mark.")
    if tracked.status is status:
        raise _refuse(f"The conflict {first} / {second} is already {status.value}.")
    try:
        mark = mark_conflict(tracked.conflict, status, note, desk.operator.display, when)
    except ValueError as exc:
        raise _refuse(str(exc)) from None
    action = "deconflict" if status is ConflictStatus.DECONFLICTED else "reopen"
    return _marks(desk).add(mark, tracked.status, desk.actor, action)


def mark_deconflicted(desk: Desk, a: str, b: str, note: str,
                      at: datetime | None = None) -> MarkSaved:
    """Mark the current conflict of a pair deconflicted, saying what was done (audited).

    It holds while neither record changes in time or place."""
    return _mark(desk, a, b, ConflictStatus.DECONFLICTED, note, at)


def reopen(desk: Desk, a: str, b: str, note: str = "",
           at: datetime | None = None) -> MarkSaved:
    """Reopen a deconflicted pair by hand (audited)."""
    return _mark(desk, a, b, ConflictStatus.OPEN, note, at)


def mark_history(desk: Desk, a: str, b: str) -> list[ConflictMark]:
    """Every mark of a pair, oldest first."""
    first, second = _ordered(a, b)
    return _marks(desk).for_pair(first, second)


def latest_mark(desk: Desk, a: str, b: str) -> ConflictMark | None:
    first, second = _ordered(a, b)
    return latest_marks(_marks(desk).for_pair(first, second)).get((first, second))

