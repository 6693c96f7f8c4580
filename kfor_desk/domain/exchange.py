"""Records to and from the ``kfor-desk/1`` exchange form (plain dicts of JSON values).

The same canonical form serves the JSON file, the audit trail's field-level changes and the
state hash that lets ``verify`` catch a record edited behind the application's back. Parsing
collects every problem with its place instead of stopping at the first.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Mapping
from datetime import datetime
from enum import StrEnum
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
from .records import (
    AblRelation,
    ConsentRequest,
    Decision,
    ExerciseNotification,
    Location,
    Record,
    parse_municipality,
    parse_register_no,
)
from .timefmt import TimeError, format_iso, parse_iso
from .validation import Problem, validate

FORMAT = "kfor-desk/1"

PositionParser = Callable[[str], tuple[float, float, float]]
"""Turns position text into (lat, lon, uncertainty_m); raises ValueError with a message."""

Relate = Callable[[float, float], AblRelation | None]
"""The ABL relation of a position (lat, lon), when the caller has them at hand (an import
computes them for the whole file at once, so each record is built once, complete)."""

E = TypeVar("E", bound=StrEnum)


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.microsecond:
        return value.isoformat().replace("+00:00", "Z")
    return format_iso(value)


def location_to_dict(loc: Location) -> dict[str, Any]:
    out: dict[str, Any] = {"name": loc.name}
    out["position"] = loc.position if loc.position is not None else {"lat": loc.lat,
                                                                     "lon": loc.lon}
    if loc.radius_m is not None:
        out["radius_m"] = loc.radius_m
    return out


def notification_to_dict(n: ExerciseNotification) -> dict[str, Any]:
    return {
        "register_no": n.register_no,
        "sender_ref": n.sender_ref,
        "channel": n.channel.value,
        "received_at": _iso(n.received_at),
        "received_by": n.received_by,
        "name": n.name,
        "exercise_type": n.exercise_type.value,
        "units": n.units,
        "personnel": n.personnel,
        "vehicles": n.vehicles,
        "weapon_systems": n.weapon_systems,
        "live_fire": n.live_fire,
        "air_assets": n.air_assets,
        "start": _iso(n.start),
        "end": _iso(n.end),
        "locations": [location_to_dict(x) for x in n.locations],
        "status": n.status.value,
        "acknowledged_at": _iso(n.acknowledged_at),
        "disseminated_at": _iso(n.disseminated_at),
        "disseminated_to": n.disseminated_to,
        "cancelled_at": _iso(n.cancelled_at),
        "cancel_reason": n.cancel_reason,
        "patrols": n.patrols.value,
        "liaison_contact": n.liaison_contact,
        "notes": n.notes,
    }


def request_to_dict(r: ConsentRequest) -> dict[str, Any]:
    d = r.decision
    return {
        "register_no": r.register_no,
        "ksf_ref": r.ksf_ref,
        "received_at": _iso(r.received_at),
        "received_by": r.received_by,
        "requesting_unit": r.requesting_unit,
        "point_of_contact": r.point_of_contact,
        "purpose": r.purpose.value,
        "description": r.description,
        "municipalities": [m.value for m in r.municipalities],
        "locations": [location_to_dict(x) for x in r.locations],
        "route": r.route,
        "start": _iso(r.start),
        "end": _iso(r.end),
        "personnel": r.personnel,
        "vehicles": r.vehicles,
        "weapons_carried": r.weapons_carried,
        "air_assets": r.air_assets,
        "decision_due": _iso(r.decision_due),
        "status": r.status.value,
        "review_started_at": _iso(r.review_started_at),
        "recommendation": r.recommendation,
        "recommended_at": _iso(r.recommended_at),
        "decision": None if d is None else {
            "authority": d.authority,
            "decided_at": _iso(d.decided_at),
            "conditions": d.conditions,
            "rationale": d.rationale,
            "communicated_at": _iso(d.communicated_at),
            "communicated_via": d.communicated_via,
        },
        "withdrawn_at": _iso(r.withdrawn_at),
        "withdraw_reason": r.withdraw_reason,
        "notes": r.notes,
    }


def record_to_dict(record: Record) -> dict[str, Any]:
    if isinstance(record, ExerciseNotification):
        return notification_to_dict(record)
    return request_to_dict(record)


# one encoder for every canonical text (json.dumps with options builds a new one per call)
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_json(value: Any) -> str:
    """Stable JSON text: sorted keys, no spaces, Unicode kept."""
    return _CANONICAL.encode(value)


def state_hash(record: Record) -> str:
    """SHA-256 of the record's canonical form: what the audit trail says the record is."""
    return dict_hash(record_to_dict(record))


def dict_hash(exchange_form: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(exchange_form).encode()).hexdigest()


def creation_changes(exchange_form: Mapping[str, Any]) -> list[tuple[str, Any, Any]]:
    """The changes of a new record (``diff(None, record)``) from its exchange form."""
    return [(k, None, v) for k, v in sorted(flatten(exchange_form).items())
            if v not in (None, "", [], False)]


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """``{"decision": {"authority": "X"}}`` → ``{"decision.authority": "X"}``; lists by index."""
    out: dict[str, Any] = {}
    _flatten_into(out, value, prefix)
    return out


_SCALARS = (str, int, float, bool, type(None))


def _flatten_into(out: dict[str, Any], value: Any, prefix: str) -> None:
    # the exchange form is mostly scalars: they are told apart first, before the (slow)
    # abstract Mapping check
    if type(value) in _SCALARS:
        out[prefix] = value
    elif isinstance(value, dict | Mapping):
        if not value and prefix:
            out[prefix] = {}
        for k, v in value.items():
            _flatten_into(out, v, f"{prefix}.{k}" if prefix else str(k))
    elif isinstance(value, list):
        if not value:
            out[prefix] = []
        for i, v in enumerate(value):
            _flatten_into(out, v, f"{prefix}[{i}]")
    else:
        out[prefix] = value


def diff(before: Record | None, after: Record) -> list[tuple[str, Any, Any]]:
    """Field-level changes ``(field, before, after)`` between two versions of a record."""
    if before is None:
        return creation_changes(record_to_dict(after))
    old = flatten(record_to_dict(before))
    new = flatten(record_to_dict(after))
    changes = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if a != b:
            changes.append((key, a, b))
    return changes


# ---------------------------------------------------------------- parsing
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
        try:
            return parse_iso(v)
        except TimeError as exc:
            self.err(field, str(exc))
            return None

    def enum(self, field: str, cls: type[E], default: E) -> E:
        v = self.data.get(field)
        if v is None:
            return default
        try:
            return cls(v)
        except ValueError:
            allowed = ", ".join(m.value for m in cls)
            self.err(field, f"'{v}' is not one of: {allowed}")
            return default


def _locations(rd: _Reader, parse_position: PositionParser,
               relate: Relate | None = None) -> tuple[Location, ...]:
    raw = rd.data.get("locations")
    if not isinstance(raw, list) or not raw:
        rd.err("locations", "at least one location is required")
        return ()
    out: list[Location] = []
    for i, item in enumerate(raw):
        here = f"locations[{i}]"
        if not isinstance(item, Mapping):
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
        out.append(Location(name=name, lat=lat, lon=lon, position=text, radius_m=radius,
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
    n = ExerciseNotification(received_at=received_at, start=start, end=end, **fields)  # type: ignore[arg-type]
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
    if isinstance(raw_d, Mapping):
        dr = _Reader(raw_d, f"{place}.decision", problems)
        decided_at = dr.time("decided_at", required=True)
        if decided_at is not None:
            decision = Decision(
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
    r = ConsentRequest(received_at=received_at, start=start, end=end, decision_due=due,
                       **fields)  # type: ignore[arg-type]
    problems.extend(Problem(f"{place}.{p.field}", p.message) for p in validate(r))
    return r if len(problems) == start_len else None
