"""The sweep: every conflicting pair of a whole register at once (``find_conflicts``).

Each location becomes a (time, easting) box; one shapely ``STRtree`` query finds the candidate
pairs, which are cut exactly in time and projected distance before the survivors get their
geodesic distance (see the package notes, "How it scales"). It gives the same answer as
:func:`.pairs.brute_force_conflicts`; when two records conflict, and what a conflict holds, is
:mod:`.pairs`. numpy, shapely and pyproj load when it first runs, not at start-up.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray
    from pyproj import Transformer

    FloatArray = NDArray[np.float64]
    IntArray = NDArray[np.int64]

from ..errors import ShouldStop, check_stop
from ..records import Location, Record, RecordKind
from .pairs import (
    _MICROSECOND,
    Conflict,
    DeconflictionSettings,
    _geod,
    _make_conflict,
    _participants,
)

_UTM34_CENTRAL_MERIDIAN = 21.0
_UTM_K0 = 0.9996

_thread_local = threading.local()

# ``should_stop`` is asked between chunks of this many pairs (never per pair)
STOP_CHUNK = 20_000


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
    should_stop: ShouldStop | None = None,
) -> list[Conflict]:
    """Every conflicting pair among ``records`` as of ``as_of``; same answer as brute force.

    Ordered by the start of the overlap window, then by register number. ``should_stop`` is
    asked between the steps and every :data:`STOP_CHUNK` pairs; when it says yes the sweep
    ends with :class:`~kfor_desk.domain.errors.Stopped` (nothing is returned).
    """
    import numpy as np
    import shapely

    settings = settings or DeconflictionSettings()
    people = _participants(records, as_of)
    if len(people) < 2:
        return []
    check_stop(should_stop)

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
    check_stop(should_stop)

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

    # Exact geodesic distance for the survivors, edge to edge (in chunks, asking to stop).
    geod = _geod()
    dist = np.empty(len(la_idx), dtype=np.float64)
    for lo in range(0, len(la_idx), STOP_CHUNK * 10):
        check_stop(should_stop)
        la_c, lb_c = la_idx[lo:lo + STOP_CHUNK * 10], lb_idx[lo:lo + STOP_CHUNK * 10]
        _, _, dist_raw = geod.inv(lon[la_c], lat[la_c], lon[lb_c], lat[lb_c])
        dist[lo:lo + len(la_c)] = np.asarray(dist_raw, dtype=np.float64)
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
    check_stop(should_stop)
    out: list[Conflict] = []
    for lo in range(0, len(out_order), STOP_CHUNK):
        chunk = out_order[lo:lo + STOP_CHUNK]
        out.extend(
            _make_conflict(people[ia], people[ib], e, locs[la], locs[lb])
            for ia, ib, e, la, lb in zip(
                a_idx[chunk].tolist(), b_idx[chunk].tolist(), edge[chunk].tolist(),
                la_idx[chunk].tolist(), lb_idx[chunk].tolist(), strict=True,
            )
        )
        check_stop(should_stop)
    return out
