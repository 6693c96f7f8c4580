"""Records to the ``kfor-desk/1`` exchange form (plain dicts of JSON values), its canonical text
and what is derived from it.

The same canonical form serves the JSON file, the audit trail's field-level changes and the
state hash that lets ``verify`` catch a record edited behind the application's back. Reading
the form back into records (with every problem at its place) is :mod:`.exchange_read`; nothing
here validates, reads files or touches a database.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from .records import (
    ConsentRequest,
    ExerciseNotification,
    Location,
    Record,
)
from .timefmt import format_iso

FORMAT = "kfor-desk/1"


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
        "channel": n.channel._value_,
        "received_at": _iso(n.received_at),
        "received_by": n.received_by,
        "name": n.name,
        "exercise_type": n.exercise_type._value_,
        "units": n.units,
        "personnel": n.personnel,
        "vehicles": n.vehicles,
        "weapon_systems": n.weapon_systems,
        "live_fire": n.live_fire,
        "air_assets": n.air_assets,
        "start": _iso(n.start),
        "end": _iso(n.end),
        "locations": [location_to_dict(x) for x in n.locations],
        "status": n.status._value_,
        "acknowledged_at": _iso(n.acknowledged_at),
        "disseminated_at": _iso(n.disseminated_at),
        "disseminated_to": n.disseminated_to,
        "cancelled_at": _iso(n.cancelled_at),
        "cancel_reason": n.cancel_reason,
        "patrols": n.patrols._value_,
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
        "purpose": r.purpose._value_,
        "description": r.description,
        "municipalities": [m._value_ for m in r.municipalities],
        "locations": [location_to_dict(x) for x in r.locations],
        "route": r.route,
        "start": _iso(r.start),
        "end": _iso(r.end),
        "personnel": r.personnel,
        "vehicles": r.vehicles,
        "weapons_carried": r.weapons_carried,
        "air_assets": r.air_assets,
        "decision_due": _iso(r.decision_due),
        "status": r.status._value_,
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
    flat = flatten(exchange_form)
    # ``v or``: a true value is never one of them, and most values are true (cheap to ask)
    return [(k, None, v) for k in sorted(flat) if (v := flat[k]) or v not in _EMPTY]


#: the values a new record's changes leave out (compared with ``==``: ``0`` and ``0.0`` too)
_EMPTY: tuple[Any, ...] = (None, "", [], False)


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """``{"decision": {"authority": "X"}}`` → ``{"decision.authority": "X"}``; lists by index."""
    out: dict[str, Any] = {}
    _flatten_into(out, value, prefix)
    return out


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _flatten_into(out: dict[str, Any], value: Any, prefix: str) -> None:
    # the exchange form is mostly scalars: they are told apart first, then plain dicts and
    # lists by their type, before the (slow) abstract Mapping check; a container's scalar
    # members are written here, without a call each (an import flattens every record it creates)
    t = type(value)
    if t in _SCALARS:
        out[prefix] = value
    elif t is not list and (t is dict or isinstance(value, Mapping)):
        if not value and prefix:
            out[prefix] = {}
        for k, v in value.items():
            key = f"{prefix}.{k}" if prefix else str(k)
            if type(v) in _SCALARS:
                out[key] = v
            else:
                _flatten_into(out, v, key)
    elif isinstance(value, list):
        if not value:
            out[prefix] = []
        for i, v in enumerate(value):
            key = f"{prefix}[{i}]"
            if type(v) in _SCALARS:
                out[key] = v
            else:
                _flatten_into(out, v, key)
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
