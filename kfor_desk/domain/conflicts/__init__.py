"""Deconfliction: pairwise conflicts, single-activity attention flags, deconflicted marks.

Pure functions over the records of both registers; nothing here reads or writes storage.

Which records take part
    Notifications that are not cancelled, requests that are neither denied nor withdrawn, and in
    both registers nothing that ended before the as-of time (an activity ending exactly at the
    as-of time still takes part). Flags follow the same rule: a cancelled, refused, withdrawn or
    finished activity needs no attention.

Which pairs conflict
    Two taking-part activities conflict when their periods overlap — touching periods count, the
    periods are closed — or come within ``margin`` of each other, *and* any location of one lies
    within ``distance_km`` of any location of the other, edge to edge: geodesic distance on WGS84
    between the centres minus both radii, floored at 0 (``≤``, so exactly the distance
    conflicts).

    By default only **SAF–KSF** pairs are reported. That is the deconfliction a KFOR duty
    officer owes: keeping Serbian forces beyond the ABL and the KSF inside it from meeting.
    Two SAF exercises side by side are one army's own planning and are routinely notified as
    several records for one exercise; two KSF activities are both authorised by COMKFOR, who
    sees them together in the consent register. Listing those pairs would bury the few real
    conflicts under noise. ``DeconflictionSettings.same_register=True`` adds SAF–SAF and KSF–KSF
    pairs for a desk that wants them.

How it scales
    Each location becomes a box in (time, easting): its period widened by half the margin, and
    its UTM 34N easting widened by its radius plus half the distance, scaled by the largest
    projection scale factor present. One shapely ``STRtree`` query over those boxes sweeps time
    and space at once and returns every candidate pair of locations. Candidates are then cut
    exactly in time (integer microseconds) and in projected distance with a safe slack, and only
    the survivors get the exact geodesic distance (``pyproj.Geod.inv``). Projection slack is
    chosen so the cut never drops a pair that brute force would keep; positions the projection
    cannot serve (far outside zone 34) switch the spatial cut off and the answer stays exact.
    ``brute_force_conflicts`` is the reference for tests and the benchmark.

Attention flags (``domain.md``: Deconfliction)
    Distances to the ABL are the values already stored on each ``Location.abl``; a location
    without one raises no ABL flag. The radius counts: an exercise area centred 2 km out with a
    1.5 km radius reaches within 0.5 km of the line. For an SAF activity only the nearest band
    of ``notify_line`` / ``ground_band`` is raised (the first implies the second);
    ``air_band``, ``live_fire_ground_band`` and ``wrong_side`` stand on their own.
"""

from __future__ import annotations

from .flags import (
    PAPERWORK_FLAGS,
    Flag,
    FlagName,
    attention_flags,
    flag_sort_key,
    flags_for,
)
from .marks import (
    ConflictMark,
    ConflictStatus,
    TrackedConflict,
    apply_marks,
    latest_marks,
    mark_conflict,
)
from .pairs import (
    UNNUMBERED,
    Conflict,
    DeconflictionSettings,
    brute_force_conflicts,
    conflicts_with,
    fingerprint,
    participates,
    register_label,
    register_sort_key,
)
from .sweep import find_conflicts

__all__ = [
    "PAPERWORK_FLAGS",
    "UNNUMBERED",
    "Conflict",
    "ConflictMark",
    "ConflictStatus",
    "DeconflictionSettings",
    "Flag",
    "FlagName",
    "TrackedConflict",
    "apply_marks",
    "attention_flags",
    "brute_force_conflicts",
    "conflicts_with",
    "find_conflicts",
    "fingerprint",
    "flag_sort_key",
    "flags_for",
    "latest_marks",
    "mark_conflict",
    "participates",
    "register_label",
    "register_sort_key",
]
