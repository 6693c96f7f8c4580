"""Records from the ``kfor-desk/1`` exchange form: plain dicts of JSON values read into records.

Parsing collects every problem with its place (``consent_requests[3].locations[0].position``)
instead of stopping at the first, and validates each record it builds. It does not read files,
parse position text itself (the caller passes the parser), compute ABL relations (the caller
passes them) or touch a database; the other direction (records to dicts, canonical text, state
hashes, diffs) is :mod:`.exchange`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from enum import StrEnum
from functools import cache
from typing import Any, TypeVar

from .enums import (
    Channel,
    ExerciseType,
    Municipality,
    NotificationStatus,
    Patrols,
    Purpose,
    RequestStatus,
)
from .quick_init import quick_init
from .records import (
    AblRelation,
    ConsentRequest,
    Decision,
    ExerciseNotification,
    Location,
    parse_municipality,
    parse_register_no,
)
from .timefmt import TimeError, parse_iso
from .validation import Problem, validate

PositionParser = Callable[[str], tuple[float, float, float]]
"""Turns position text into (lat, lon, uncertainty_m); raises ValueError with a message."""

Relate = Callable[[float, float], AblRelation | None]
"""The ABL relation of a position (lat, lon), when the caller has them at hand (an import
computes them for the whole file at once, so each record is built once, complete)."""

E = TypeVar("E", bound=StrEnum)

# the records and their parts, built as their __init__ builds them, in half the time
_new_notification = quick_init(ExerciseNotification)
_new_request = quick_init(ConsentRequest)
_new_decision = quick_init(Decision)
_new_location = quick_init(Location)


class _Reader:
    """Reads one record's dict, collecting problems with their place."""

    def __init__(self, data: Mapping[str, Any], place: str, problems: list[Problem]) -> None:
        self.data = data
        self.place = place
        self.problems = problems

    def err(self, field: str, message: str) -> None:
        self.problems.append(Problem(f"{self.place}.{field}", message))

    def text(self, field: str, default: str = "") -> str:
        v = self.data.get(field)
        if v is None:
            return default
        if not isinstance(v, str):
            self.err(field, "must be text")
            return default
        return v

    def opt_text(self, field: str) -> str | None:
        v = self.data.get(field)
        if v is None or v is False:
            return None
        if v is True:
            return "yes"
        if not isinstance(v, str):
            self.err(field, "must be text, true/false or null")
            return None
        return v if v.strip() else None

    def boolean(self, field: str) -> bool:
        v = self.data.get(field)
        if v is None:
            return False
        if not isinstance(v, bool):
            self.err(field, "must be true or false")
            return False
        return v

    def count(self, field: str) -> int | None:
        v = self.data.get(field)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, int):
            self.err(field, "must be a whole number or null")
            return None
        return int(v)

    def time(self, field: str, required: bool = False) -> datetime | None:
        v = self.data.get(field)
        if v is None:
            if required:
                self.err(field, "is required (ISO time in UTC, e.g. 2026-11-26T17:00:00Z)")
            return None
        if not isinstance(v, str):
            self.err(field, "must be an ISO time string")
            return None
        if len(v) == 20 and v[19] == "Z" and v[10] == "T":  # 2026-11-26T17:00:00Z
            quick = _utc_seconds(v)
            if quick is not None:
                return quick
        try:
            return parse_iso(v)
        except TimeError as exc:
            self.err(field, str(exc))
            return None

    def enum(self, field: str, cls: type[E], default: E) -> E:
        v = self.data.get(field)
        if v is None:
            return default
        if type(v) is str:  # the member by a dict look-up (calling the class is slow)
            member: E | None = _members(cls).get(v)
            if member is not None:
                return member
        try:
            return cls(v)
        except ValueError:
            allowed = ", ".join(m.value for m in cls)
            self.err(field, f"'{v}' is not one of: {allowed}")
            return default


def _utc_seconds(text: str) -> datetime | None:
    """:func:`~.timefmt.parse_iso` of ``YYYY-MM-DDTHH:MM:SSZ`` (what every export writes) in one
    call (``replace(tzinfo=UTC)``, its way, costs twenty times as much); None for any other
    text, which takes parse_iso's way."""
    if text[4] != "-" or text[7] != "-" or text[13] != ":" or text[16] != ":":
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None  # parse_iso says why
    return value if value.tzinfo is UTC else None


@cache
def _members(cls: type[E]) -> dict[str, E]:
    """Value → member of an enumeration (what ``cls(value)`` finds, without ``_missing_``)."""
    return {m.value: m for m in cls}


def _locations(rd: _Reader, parse_position: PositionParser,
               relate: Relate | None = None) -> tuple[Location, ...]:
    raw = rd.data.get("locations")
    if not isinstance(raw, list) or not raw:
        rd.err("locations", "at least one location is required")
        return ()
    out: list[Location] = []
    for i, item in enumerate(raw):
        here = f"locations[{i}]"
        if type(item) is not dict and not isinstance(item, Mapping):  # ABC check: slow
            rd.err(here, "must be an object with name and position")
            continue
        sub = _Reader(item, f"{rd.place}.{here}", rd.problems)
        name = sub.text("name")
        pos = item.get("position")
        radius = sub.count("radius_m")
        text: str | None = None
        if isinstance(pos, str):
            text = pos
            try:
                lat, lon, unc = parse_position(pos)
            except ValueError as exc:
                sub.err("position", str(exc))
                continue
        elif isinstance(pos, Mapping):
            lat_v, lon_v = pos.get("lat"), pos.get("lon")
            if not all(isinstance(x, int | float) and not isinstance(x, bool)
                       and math.isfinite(x) for x in (lat_v, lon_v)):
                sub.err("position", "lat and lon must be numbers")
                continue
            assert isinstance(lat_v, int | float) and isinstance(lon_v, int | float)
            lat, lon, unc = float(lat_v), float(lon_v), 0.0
        else:
            sub.err("position", "is required: MGRS or lat/lon text, or {\"lat\": …, \"lon\": …}")
            continue
        out.append(_new_location(name=name, lat=lat, lon=lon, position=text, radius_m=radius,
                                 uncertainty_m=unc, abl=relate(lat, lon) if relate else None))
    return tuple(out)


def _register_no(rd: _Reader, kind: str) -> str | None:
    v = rd.data.get("register_no")
    if v is None:
        return None
    if not isinstance(v, str):
        rd.err("register_no", "must be text like SAF-2026-0042")
        return None
    try:
        k, _, _ = parse_register_no(v)
    except ValueError as exc:
        rd.err("register_no", str(exc))
        return None
    if k.value != kind:
        rd.err("register_no", f"'{v}' is not a {kind} register number")
        return None
    return v.strip().upper()


def notification_from_dict(data: Mapping[str, Any], place: str, parse_position: PositionParser,
                           problems: list[Problem],
                           relate: Relate | None = None) -> ExerciseNotification | None:
    start_len = len(problems)
    rd = _Reader(data, place, problems)
    received_at = rd.time("received_at", required=True)
    start = rd.time("start", required=True)
    end = rd.time("end", required=True)
    fields = {
        "register_no": _register_no(rd, "SAF"),
        "sender_ref": rd.text("sender_ref"),
        "channel": rd.enum("channel", Channel, Channel.OTHER),
        "received_by": rd.text("received_by"),
        "name": rd.text("name"),
        "exercise_type": rd.enum("exercise_type", ExerciseType, ExerciseType.OTHER),
        "units": rd.text("units"),
        "personnel": rd.count("personnel"),
        "vehicles": rd.count("vehicles"),
        "weapon_systems": rd.text("weapon_systems"),
        "live_fire": rd.boolean("live_fire"),
        "air_assets": rd.opt_text("air_assets"),
        "locations": _locations(rd, parse_position, relate),
        "status": rd.enum("status", NotificationStatus, NotificationStatus.RECEIVED),
        "acknowledged_at": rd.time("acknowledged_at"),
        "disseminated_at": rd.time("disseminated_at"),
        "disseminated_to": rd.text("disseminated_to"),
        "cancelled_at": rd.time("cancelled_at"),
        "cancel_reason": rd.text("cancel_reason"),
        "patrols": rd.enum("patrols", Patrols, Patrols.NONE),
        "liaison_contact": rd.text("liaison_contact"),
        "notes": rd.text("notes"),
    }
    if received_at is None or start is None or end is None or len(problems) > start_len:
        return None
    n = _new_notification(received_at=received_at, start=start, end=end, **fields)
    problems.extend(Problem(f"{place}.{p.field}", p.message) for p in validate(n))
    return n if len(problems) == start_len else None


def request_from_dict(data: Mapping[str, Any], place: str, parse_position: PositionParser,
                      problems: list[Problem],
                      relate: Relate | None = None) -> ConsentRequest | None:
    start_len = len(problems)
    rd = _Reader(data, place, problems)
    received_at = rd.time("received_at", required=True)
    start = rd.time("start", required=True)
    end = rd.time("end", required=True)
    due = rd.time("decision_due", required=True)
    munis: list[Municipality] = []
    raw_m = data.get("municipalities") or []
    if not isinstance(raw_m, list):
        rd.err("municipalities", "must be a list of municipality names")
        raw_m = []
    for i, m in enumerate(raw_m):
        try:
            munis.append(parse_municipality(str(m)))
        except ValueError as exc:
            rd.err(f"municipalities[{i}]", str(exc))
    decision: Decision | None = None
    raw_d = data.get("decision")
    if type(raw_d) is dict or isinstance(raw_d, Mapping):
        dr = _Reader(raw_d, f"{place}.decision", problems)
        decided_at = dr.time("decided_at", required=True)
        if decided_at is not None:
            decision = _new_decision(
                authority=dr.text("authority"), decided_at=decided_at,
                conditions=dr.text("conditions"), rationale=dr.text("rationale"),
                communicated_at=dr.time("communicated_at"),
                communicated_via=dr.text("communicated_via"),
            )
    elif raw_d is not None:
        rd.err("decision", "must be an object or null")
    fields = {
        "register_no": _register_no(rd, "KSF"),
        "ksf_ref": rd.text("ksf_ref"),
        "received_by": rd.text("received_by"),
        "requesting_unit": rd.text("requesting_unit"),
        "point_of_contact": rd.text("point_of_contact"),
        "purpose": rd.enum("purpose", Purpose, Purpose.OTHER),
        "description": rd.text("description"),
        "municipalities": tuple(munis),
        "locations": _locations(rd, parse_position, relate),
        "route": rd.text("route"),
        "personnel": rd.count("personnel"),
        "vehicles": rd.count("vehicles"),
        "weapons_carried": rd.boolean("weapons_carried"),
        "air_assets": rd.opt_text("air_assets"),
        "status": rd.enum("status", RequestStatus, RequestStatus.RECEIVED),
        "review_started_at": rd.time("review_started_at"),
        "recommendation": rd.text("recommendation"),
        "recommended_at": rd.time("recommended_at"),
        "decision": decision,
        "withdrawn_at": rd.time("withdrawn_at"),
        "withdraw_reason": rd.text("withdraw_reason"),
        "notes": rd.text("notes"),
    }
    if None in (received_at, start, end, due) or len(problems) > start_len:
        return None
    assert received_at and start and end and due
    r = _new_request(received_at=received_at, start=start, end=end, decision_due=due,
                     **fields)
    problems.extend(Problem(f"{place}.{p.field}", p.message) for p in validate(r))
    return r if len(problems) == start_len else None
