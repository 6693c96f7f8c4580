"""Deconfliction settings, which records take part, and when two of them conflict: the pair
computations one record at a time (the entry form's check, ``conflicts_with``) and the
brute-force reference. The sweep over a whole register (``find_conflicts``) is :mod:`.sweep`;
this module does not scale past a few hundred records and reads or writes nothing.
See the package notes for the rules."""

from __future__ import annotations

import hashlib
import math
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pyproj loads when a distance is first measured, not at start-up
    from pyproj import Geod

from ..enums import (
    NotificationStatus,
    RequestStatus,
)
from ..records import (
    ExerciseNotification,
    Location,
    Record,
    RecordKind,
    parse_register_no,
)
from ..timefmt import ensure_utc

UNNUMBERED = "(new)"  # register number shown for a record not yet saved


@cache
def _geod() -> Geod:
    from pyproj import Geod

    return Geod(ellps="WGS84")


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


# ================================================================ settings
@dataclass(frozen=True, slots=True)
class DeconflictionSettings:
    """The desk's deconfliction parameters (defaults of ``domain.md``)."""

    distance_km: float = 10.0
    margin: timedelta = timedelta(0)
    due_soon: timedelta = timedelta(hours=24)
    unacknowledged_after: timedelta = timedelta(hours=24)
    same_register: bool = False  # also SAF–SAF and KSF–KSF pairs

    def __post_init__(self) -> None:
        if not (math.isfinite(self.distance_km) and self.distance_km >= 0):
            raise ValueError("Deconfliction distance must be a number of km, 0 or more.")
        if self.margin < timedelta(0):
            raise ValueError("Deconfliction margin cannot be negative.")
        if self.due_soon < timedelta(0) or self.unacknowledged_after < timedelta(0):
            raise ValueError("Reminder periods cannot be negative.")


# ================================================================ participation and ordering
def participates(record: Record, as_of: datetime) -> bool:
    """Whether a record takes part in deconfliction at ``as_of`` (see the module notes)."""
    if isinstance(record, ExerciseNotification):
        if record.status is NotificationStatus.CANCELLED:
            return False
    elif record.status in (RequestStatus.DENIED, RequestStatus.WITHDRAWN):
        return False
    return ensure_utc(record.end) >= ensure_utc(as_of)


def register_label(record: Record) -> str:
    return record.register_no or f"{record.kind.value} {UNNUMBERED}"


def register_sort_key(register_no: str) -> tuple[int, int, int, str]:
    """SAF before KSF, then year and number; anything unparseable after, by its text."""
    try:
        kind, year, number = parse_register_no(register_no)
    except ValueError:
        kind_rank = 1 if register_no.upper().startswith("KSF") else 0
        return (kind_rank, 1 << 30, 0, register_no)
    return (0 if kind is RecordKind.SAF else 1, year, number, register_no)


def _micros(value: datetime) -> int:
    return (value - _EPOCH) // _MICROSECOND


def _participants(records: Iterable[Record], as_of: datetime) -> list[_Prepared]:
    taking_part = [_prepare(r) for r in records if participates(r, as_of) and r.locations]
    taking_part.sort(key=lambda p: register_sort_key(p.label))
    return taking_part


# ================================================================ conflicts
@dataclass(frozen=True, slots=True)
class Conflict:
    """Two activities that meet in time and space.

    ``a`` and ``b`` are register numbers in stable order (SAF before KSF, then by number).
    ``distance_km`` is edge to edge (centre distance minus both radii, at least 0) between
    ``location_a`` and ``location_b``, the closest pair. ``overlap_start``..``overlap_end`` is
    the common part of both periods; for a near miss caught only by the margin
    (``overlapping`` false) it is the gap between them. ``fingerprint`` digests both records'
    periods and locations: a deconflicted mark holds while it matches.
    """

    a: str
    b: str
    distance_km: float
    location_a: Location
    location_b: Location
    overlap_start: datetime
    overlap_end: datetime
    overlapping: bool
    fingerprint: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.a, self.b)


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A taking-part record with what the pair computations need, worked out once."""

    record: Record
    label: str
    start: datetime
    end: datetime
    start_us: int  # microseconds since the epoch: exact integer time
    end_us: int
    digest: str  # of the register number, period and locations


def _prepare(record: Record) -> _Prepared:
    label = register_label(record)
    start, end = ensure_utc(record.start), ensure_utc(record.end)
    start_us, end_us = _micros(start), _micros(end)
    places = sorted((loc.lat, loc.lon, loc.effective_radius_m) for loc in record.locations)
    packed = struct.pack(f"<qq{3 * len(places)}d", start_us, end_us,
                         *(v for place in places for v in place))
    digest = hashlib.blake2b(label.encode() + b"\x00" + packed, digest_size=8).hexdigest()
    return _Prepared(record, label, start, end, start_us, end_us, digest)


def fingerprint(first: Record, second: Record) -> str:
    """Digest of the periods and locations of a pair (in the order given): the two records'
    digests side by side, so a later change to either gives a different fingerprint."""
    return _prepare(first).digest + _prepare(second).digest


def _periods_meet(a: _Prepared, b: _Prepared, margin: timedelta) -> bool:
    return a.start <= b.end + margin and b.start <= a.end + margin


def _make_conflict(a: _Prepared, b: _Prepared, edge_m: float, la: Location,
                   lb: Location) -> Conflict:
    start = a.start if a.start >= b.start else b.start
    end = a.end if a.end <= b.end else b.end
    overlapping = start <= end
    if not overlapping:
        start, end = end, start
    return Conflict(
        a=a.label,
        b=b.label,
        distance_km=edge_m / 1000.0,
        location_a=la,
        location_b=lb,
        overlap_start=start,
        overlap_end=end,
        overlapping=overlapping,
        fingerprint=a.digest + b.digest,
    )


def _pair_allowed(a: _Prepared, b: _Prepared, settings: DeconflictionSettings) -> bool:
    return settings.same_register or a.record.kind is not b.record.kind


def _edge_m(la: Location, lb: Location) -> float:
    _, _, dist = _geod().inv(la.lon, la.lat, lb.lon, lb.lat)
    return max(float(dist) - la.effective_radius_m - lb.effective_radius_m, 0.0)


def _sorted_conflicts(found: list[tuple[int, int, Conflict]]) -> list[Conflict]:
    found.sort(key=lambda t: (t[2].overlap_start, t[0], t[1]))
    return [c for _, _, c in found]


def brute_force_conflicts(
    records: Iterable[Record],
    as_of: datetime,
    settings: DeconflictionSettings | None = None,
) -> list[Conflict]:
    """Reference implementation: every pair, every pair of locations. O(n²); for tests."""
    settings = settings or DeconflictionSettings()
    people = _participants(records, as_of)
    limit_m = settings.distance_km * 1000.0
    found: list[tuple[int, int, Conflict]] = []
    for i, a in enumerate(people):
        for j in range(i + 1, len(people)):
            b = people[j]
            if not _pair_allowed(a, b, settings) or not _periods_meet(a, b, settings.margin):
                continue
            conflict = _closest(a, b, limit_m)
            if conflict is not None:
                found.append((i, j, conflict))
    return _sorted_conflicts(found)


def _closest(a: _Prepared, b: _Prepared, limit_m: float) -> Conflict | None:
    """The conflict of a pair whose periods meet, from its closest locations, if near enough
    (every pair of locations is measured; ties go to the first locations in order)."""
    best: tuple[float, Location, Location] | None = None
    for la in a.record.locations:
        for lb in b.record.locations:
            edge = _edge_m(la, lb)
            if edge <= limit_m and (best is None or edge < best[0]):
                best = (edge, la, lb)
    return None if best is None else _make_conflict(a, b, *best)


def conflicts_with(
    candidate: Record,
    records: Iterable[Record],
    as_of: datetime,
    settings: DeconflictionSettings | None = None,
) -> list[Conflict]:
    """The conflicts ``candidate`` would have with ``records`` (its saved self is skipped).

    For the entry form: checks one record against all others, linearly.
    """
    settings = settings or DeconflictionSettings()
    others = [
        r for r in records
        if not (
            r.kind is candidate.kind
            and (
                (candidate.id is not None and r.id == candidate.id)
                or (candidate.register_no is not None and r.register_no == candidate.register_no)
            )
        )
    ]
    if not participates(candidate, as_of) or not candidate.locations:
        return []
    limit_m = settings.distance_km * 1000.0
    cand = _prepare(candidate)
    cand_key = register_sort_key(cand.label)
    found: list[tuple[int, int, Conflict]] = []
    for other in _participants(others, as_of):
        if not _pair_allowed(cand, other, settings):
            continue
        if not _periods_meet(cand, other, settings.margin):
            continue
        first, second = cand, other
        if register_sort_key(other.label) < cand_key:
            first, second = other, cand
        conflict = _closest(first, second, limit_m)
        if conflict is not None:
            found.append((0, len(found), conflict))
    return _sorted_conflicts(found)


