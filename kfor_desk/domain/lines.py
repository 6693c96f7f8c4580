"""Register lines: what one row of a register shows, as plain immutable values.

A line carries the record's identity and version and the values the register tables show,
sort and filter on (dates, title, status, the location nearest the ABL and its band, the
folded search text), and nothing else: no notes, no locations list, no decision. The store
reads lines without building whole records (the registers' first read at start-up);
:func:`line_of` makes the same line from a whole record (the two are tested to agree).

Nothing here reads a database, formats text for a screen or decides a workflow rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from .enums import Band, Channel, ExerciseType, NotificationStatus, Purpose, RequestStatus
from .records import ConsentRequest, ExerciseNotification, Location, Record, request_title

__all__ = ["Line", "NotificationLine", "RequestLine", "line_of", "nearest_location"]


class NotificationLine(NamedTuple):
    """One row of the SAF register."""

    id: int | None
    register_no: str | None
    version: int
    received_at: datetime
    channel: Channel
    name: str
    exercise_type: ExerciseType
    live_fire: bool
    start: datetime
    end: datetime
    status: NotificationStatus
    place: str | None  # the location nearest the ABL (None: no location)
    abl_km: float | None  # its distance to the ABL (None: not computed)
    band: Band | None  # its band (None: not computed)
    n_locations: int
    search_text: str | None  # the folded search text (None: not read, fold the record)

    @property
    def title(self) -> str:
        return self.name


class RequestLine(NamedTuple):
    """One row of the KSF register."""

    id: int | None
    register_no: str | None
    version: int
    received_at: datetime
    purpose: Purpose
    title: str
    described: bool  # the request has a description (its first line is the title)
    start: datetime
    end: datetime
    status: RequestStatus
    decision_due: datetime
    awaiting_communication: bool
    place: str | None
    abl_km: float | None
    band: Band | None
    n_locations: int
    search_text: str | None

    def is_overdue(self, now: datetime) -> bool:
        return not self.status.is_closed and self.decision_due <= now


Line = NotificationLine | RequestLine


def nearest_location(locations: Sequence[Location]) -> Location | None:
    """The location closest to the ABL (the first one when none has a distance)."""
    best: Location | None = None
    for loc in locations:
        if loc.abl is None:
            continue
        if best is None or best.abl is None or loc.abl.distance_km < best.abl.distance_km:
            best = loc
    return best or (locations[0] if locations else None)


def _place(record: Record) -> tuple[str | None, float | None, Band | None]:
    loc = nearest_location(record.locations)
    if loc is None:
        return None, None, None
    if loc.abl is None:
        return loc.name, None, None
    return loc.name, loc.abl.distance_km, loc.abl.band


def line_of(record: Record, search_text: str | None = None) -> Line:
    """The register line of a whole record (``search_text``: its folded search text, when
    known)."""
    place, km, band = _place(record)
    if isinstance(record, ExerciseNotification):
        n = record
        return NotificationLine(
            n.id, n.register_no, n.version, n.received_at, n.channel, n.name,
            n.exercise_type, n.live_fire, n.start, n.end, n.status, place, km, band,
            len(n.locations), search_text)
    r: ConsentRequest = record
    return RequestLine(
        r.id, r.register_no, r.version, r.received_at, r.purpose,
        request_title(r.description, r.purpose), bool(r.description), r.start, r.end,
        r.status, r.decision_due, r.awaiting_communication, place, km, band,
        len(r.locations), search_text)
