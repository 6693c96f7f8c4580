"""Deconfliction settings, which records take part, and the conflicting pairs (the sweep
and its brute-force reference). See the package notes for the rules."""

from __future__ import annotations

import hashlib
import math
import struct
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # numpy, shapely and pyproj load when the engine first runs, not at start-up
    import numpy as np
    from numpy.typing import NDArray
    from pyproj import Geod, Transformer

    FloatArray = NDArray[np.float64]
    IntArray = NDArray[np.int64]

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
_UTM34_CENTRAL_MERIDIAN = 21.0
_UTM_K0 = 0.9996
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


_thread_local = threading.local()


def _to_utm34() -> Transformer:
    """One transformer per thread: a PROJ object must not be used from another thread (the
    window computes conflicts on a worker thread)."""
    found: Transformer | None = getattr(_thread_local, "utm34", None)
    if found is None:
        from pyproj import Transformer

        found = Transformer.from_crs("EPSG:4326", "EPSG:32634", always_xy=True)
        _thread_local.utm34 = found
    return found


def find_conflicts(
    records: Iterable[Record],
    as_of: datetime,
    settings: DeconflictionSettings | None = None,
) -> list[Conflict]:
    """Every conflicting pair among ``records`` as of ``as_of``; same answer as brute force.

    Ordered by the start of the overlap window, then by register number.
    """
    import numpy as np
    import shapely

    settings = settings or DeconflictionSettings()
    people = _participants(records, as_of)
    if len(people) < 2:
        return []

    # Flatten locations: one row per location, ordered by activity then location order.
    loc_act_list: list[int] = []
    locs: list[Location] = []
    for idx, prep in enumerate(people):
        for loc in prep.record.locations:
            loc_act_list.append(idx)
            locs.append(loc)
    loc_act: IntArray = np.asarray(loc_act_list, dtype=np.int64)
    lat: FloatArray = np.fromiter((loc.lat for loc in locs), dtype=np.float64, count=len(locs))
    lon: FloatArray = np.fromiter((loc.lon for loc in locs), dtype=np.float64, count=len(locs))
    rad: FloatArray = np.fromiter(
        (loc.effective_radius_m for loc in locs), dtype=np.float64, count=len(locs)
    )
    starts: IntArray = np.fromiter((p.start_us for p in people), np.int64, len(people))
    ends: IntArray = np.fromiter((p.end_us for p in people), np.int64, len(people))
    kinds: IntArray = np.fromiter(
        (0 if p.record.kind is RecordKind.SAF else 1 for p in people), np.int64, len(people)
    )
    margin_us = settings.margin // _MICROSECOND
    limit_m = settings.distance_km * 1000.0

    # Projection and the largest scale factor present (spherical transverse Mercator formula,
    # with a 1 % allowance for the ellipsoid and for geodesics bulging past their endpoints).
    dlon = np.radians(lon - _UTM34_CENTRAL_MERIDIAN)
    usable = bool(
        np.all(np.abs(lon - _UTM34_CENTRAL_MERIDIAN) <= 15.0) and np.all(np.abs(lat) <= 80.0)
    )
    x: FloatArray
    y: FloatArray
    if usable:
        x_raw, y_raw = _to_utm34().transform(lon, lat)
        x = np.asarray(x_raw, dtype=np.float64)
        y = np.asarray(y_raw, dtype=np.float64)
        usable = bool(np.all(np.isfinite(x)) and np.all(np.isfinite(y)))
    if usable:
        bb = np.cos(np.radians(lat)) * np.sin(dlon)
        scale = float(np.max(_UTM_K0 / np.sqrt(1.0 - bb * bb))) * 1.01
        slack_m = 100.0
        half = (rad + limit_m / 2.0) * scale + slack_m / 2.0
    else:  # no spatial cut: time alone picks candidates, geodesics decide
        x = np.zeros(len(locs))
        y = np.zeros(len(locs))
        scale = math.inf
        slack_m = 0.0
        half = np.ones(len(locs))

    # STRtree over (time, easting) boxes finds candidate location pairs. Locations are numbered
    # in register order, so a pair (la < lb) of different activities has a before b.
    t0 = int(starts.min())
    half_margin_s = margin_us / 2e6 + 1.0  # +1 s: float rounding never loses a pair
    t_lo = (starts[loc_act] - t0) / 1e6 - half_margin_s
    t_hi = (ends[loc_act] - t0) / 1e6 + half_margin_s
    boxes = shapely.box(t_lo, x - half, t_hi, x + half)
    la_idx: IntArray
    lb_idx: IntArray
    if settings.same_register:
        tree: Any = shapely.STRtree(boxes)
        cand = np.asarray(tree.query(boxes), dtype=np.int64)
        la_idx, lb_idx = cand[0], cand[1]
        keep = (la_idx < lb_idx) & (loc_act[la_idx] != loc_act[lb_idx])
        la_idx, lb_idx = la_idx[keep], lb_idx[keep]
    else:  # SAF locations (numbered first) against a tree of KSF locations
        is_saf_loc = kinds[loc_act] == 0
        saf_locs = np.flatnonzero(is_saf_loc)
        ksf_locs = np.flatnonzero(~is_saf_loc)
        if len(saf_locs) == 0 or len(ksf_locs) == 0:
            return []
        tree = shapely.STRtree(boxes[ksf_locs])
        cand = np.asarray(tree.query(boxes[saf_locs]), dtype=np.int64)
        la_idx, lb_idx = saf_locs[cand[0]], ksf_locs[cand[1]]
    a_idx, b_idx = loc_act[la_idx], loc_act[lb_idx]

    # Exact cut in time, then in projected distance with the slack of the scale factor.
    keep = (starts[a_idx] <= ends[b_idx] + margin_us) & (starts[b_idx] <= ends[a_idx] + margin_us)
    if usable:
        reach = (limit_m + rad[la_idx] + rad[lb_idx]) * scale + slack_m
        dx = x[la_idx] - x[lb_idx]
        dy = y[la_idx] - y[lb_idx]
        keep &= dx * dx + dy * dy <= reach * reach
    la_idx, lb_idx, a_idx, b_idx = la_idx[keep], lb_idx[keep], a_idx[keep], b_idx[keep]
    if len(la_idx) == 0:
        return []

    # Exact geodesic distance for the survivors, edge to edge.
    _, _, dist_raw = _geod().inv(lon[la_idx], lat[la_idx], lon[lb_idx], lat[lb_idx])
    dist = np.asarray(dist_raw, dtype=np.float64)
    edge = np.maximum(dist - rad[la_idx] - rad[lb_idx], 0.0)
    keep = edge <= limit_m
    la_idx, lb_idx, a_idx, b_idx, edge = (
        la_idx[keep], lb_idx[keep], a_idx[keep], b_idx[keep], edge[keep]
    )

    # Per activity pair, the closest location pair (ties: first locations in order).
    order = np.lexsort((lb_idx, la_idx, edge, b_idx, a_idx))
    a_s, b_s = a_idx[order], b_idx[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = (a_s[1:] != a_s[:-1]) | (b_s[1:] != b_s[:-1])
    pick = order[first]
    a_idx, b_idx, la_idx, lb_idx, edge = (
        a_idx[pick], b_idx[pick], la_idx[pick], lb_idx[pick], edge[pick]
    )
    # Output order as ``_sorted_conflicts``: start of the window, then register order.
    latest_start = np.maximum(starts[a_idx], starts[b_idx])
    earliest_end = np.minimum(ends[a_idx], ends[b_idx])
    window_start = np.minimum(latest_start, earliest_end)
    out_order = np.lexsort((b_idx, a_idx, window_start))
    return [
        _make_conflict(people[ia], people[ib], e, locs[la], locs[lb])
        for ia, ib, e, la, lb in zip(
            a_idx[out_order].tolist(), b_idx[out_order].tolist(), edge[out_order].tolist(),
            la_idx[out_order].tolist(), lb_idx[out_order].tolist(), strict=True,
        )
    ]


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


