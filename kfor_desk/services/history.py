"""The audit trail of a record in words: field labels, readable values and DTGs.

An audit entry stores what the machine compared: ``locations[0].position``, ``under_review``,
``2026-11-28T20:42:53Z``, a conflict's ``fingerprint``. :func:`readable_history` turns entries
into plain frozen values an officer reads — "Location 1 · position", "Under review",
``282042ZNOV26 (28 Nov 21:42 CET)``, "Registered" — for the detail pane's history and the
record sheet. Nothing here reads the database, draws anything or changes an entry: the trail
itself stays as stored (``field`` keeps the stored key beside its label).

This is the one history reader of the application: the window's detail pane and the briefs
(record sheet, handover) use the same labels and values. Where they differ, it is through a
named :class:`HistoryStyle`: :data:`WINDOW` shows times as DTG with local time beside and
nothing as ``—``; :data:`BRIEF` shows DTGs only (its column reads "When (UTC)") and nothing as
``∅``, so that a dash typed in a field cannot be mistaken for an empty one in print.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from kfor_desk.domain.enums import (
    Channel,
    ExerciseType,
    NotificationStatus,
    Patrols,
    Purpose,
    RequestStatus,
)
from kfor_desk.domain.timefmt import TimeError, format_dtg, format_dtg_local, parse_iso

__all__ = ["BRIEF", "WINDOW", "HistoryStyle", "ReadableChange", "ReadableEntry",
           "action_label", "field_label", "readable_entry", "readable_history", "readable_value"]


@dataclass(frozen=True, slots=True)
class HistoryStyle:
    """How a history is printed: the only ways the window and the briefs may differ."""

    local_time: bool  # a time as ``282042ZNOV26 (28 Nov 21:42 CET)``, else the DTG alone
    empty: str  # what "nothing" reads as


WINDOW = HistoryStyle(local_time=True, empty="—")
BRIEF = HistoryStyle(local_time=False, empty="∅")


class _Entry(Protocol):  # what an audit entry offers (store.audit.AuditEntry, frozen)
    @property
    def seq(self) -> int: ...
    @property
    def at(self) -> datetime: ...
    @property
    def operator(self) -> str: ...
    @property
    def workstation(self) -> str: ...
    @property
    def entity(self) -> str: ...
    @property
    def register_no(self) -> str | None: ...
    @property
    def action(self) -> str: ...
    @property
    def changes(self) -> tuple[tuple[str, Any, Any], ...]: ...
    @property
    def reason(self) -> str: ...


@dataclass(frozen=True, slots=True)
class ReadableChange:
    field: str  # the stored key, e.g. "locations[0].position"
    label: str  # "Location 1 · position"
    before: str  # "—" when there was nothing
    after: str


@dataclass(frozen=True, slots=True)
class ReadableEntry:
    seq: int
    at: datetime
    when: str  # DTG, e.g. "282042ZNOV26"
    when_local: str  # DTG with local time beside it
    action: str  # "Registered", "Acknowledged", "Marked deconflicted", …
    operator: str
    workstation: str
    reason: str
    register_no: str
    changes: tuple[ReadableChange, ...]


FIELD_LABELS: dict[str, str] = {
    "register_no": "Register number", "sender_ref": "SAF reference", "channel": "Channel",
    "received_at": "Received", "received_by": "Received by", "name": "Exercise name",
    "exercise_type": "Type", "units": "Units", "personnel": "Personnel",
    "vehicles": "Vehicles", "weapon_systems": "Weapon systems", "live_fire": "Live fire",
    "air_assets": "Air assets", "start": "Start", "end": "End", "status": "Status",
    "acknowledged_at": "Acknowledged", "disseminated_at": "Disseminated",
    "disseminated_to": "Disseminated to", "cancelled_at": "Cancelled",
    "cancel_reason": "Reason for cancelling", "patrols": "KFOR patrols",
    "liaison_contact": "Liaison contact", "notes": "Notes", "ksf_ref": "KSF reference",
    "requesting_unit": "Requesting unit", "point_of_contact": "Point of contact",
    "purpose": "Purpose", "description": "Description", "route": "Route",
    "weapons_carried": "Weapons carried", "decision_due": "Decision due",
    "review_started_at": "Review started", "recommendation": "Recommendation",
    "recommended_at": "Recommended", "withdrawn_at": "Withdrawn",
    "withdraw_reason": "Reason for withdrawal", "decision": "Decision",
    "decision.authority": "Decision by", "decision.decided_at": "Decided",
    "decision.conditions": "Conditions", "decision.rationale": "Rationale",
    "decision.communicated_at": "Communicated", "decision.communicated_via": "Communicated via",
    "locations": "Locations", "municipalities": "Municipalities",
    # a conflict mark's entries
    "conflict_with": "Conflict with", "fingerprint": "Checked record versions",
}
_LOCATION_PARTS = {"name": "name", "position": "position", "radius_m": "radius",
                   "position.lat": "latitude", "position.lon": "longitude"}
_TIME_FIELDS = {"received_at", "start", "end", "acknowledged_at", "disseminated_at",
                "cancelled_at", "decision_due", "review_started_at", "recommended_at",
                "withdrawn_at", "decision.decided_at", "decision.communicated_at"}
_ENUMS: dict[str, tuple[type[StrEnum], ...]] = {
    "channel": (Channel,), "exercise_type": (ExerciseType,), "patrols": (Patrols,),
    "purpose": (Purpose,), "status": (NotificationStatus, RequestStatus),
}
_ACTIONS = {
    "create": "Registered", "import": "Imported", "demo": "Created (demo)", "amend": "Amended",
    "correct": "Corrected",
    "acknowledge": "Acknowledged", "disseminate": "Disseminated", "cancel": "Cancelled",
    "start_review": "Review started", "recommend": "Recommendation recorded",
    "decide": "Decision recorded", "withdraw": "Withdrawn",
    "communicate": "Marked communicated", "deconflict": "Marked deconflicted",
    "reopen": "Conflict reopened", "settings": "Settings changed",
}
_INDEXED = re.compile(r"^(locations|municipalities)\[(\d+)\](?:\.(.+))?$")


def action_label(action: str) -> str:
    """``start_review`` → ``Review started`` (unknown actions: words, capitalised)."""
    return _ACTIONS.get(action, action.replace("_", " ").capitalize())


def field_label(field: str, entity: str = "") -> str:
    """``locations[0].position`` → ``Location 1 · position``; ``status`` of a conflict mark →
    ``Conflict status``."""
    if entity == "conflict" and field == "status":
        return "Conflict status"
    m = _INDEXED.match(field)
    if m:
        n = int(m[2]) + 1
        if m[1] == "municipalities":
            return f"Municipality {n}"
        part = _LOCATION_PARTS.get(m[3] or "", (m[3] or "").replace("_", " "))
        return f"Location {n} · {part}" if part else f"Location {n}"
    return FIELD_LABELS.get(field, field.replace("_", " ").replace(".", " · ").capitalize())


def _when(at: datetime, style: HistoryStyle) -> str:
    return format_dtg_local(at) if style.local_time else format_dtg(at)


def _time(value: str, style: HistoryStyle) -> str:
    try:
        return _when(parse_iso(value), style)
    except (TimeError, ValueError):
        return value


def _position(value: str) -> str:
    """``34TDN9113753405`` → ``34T DN 91137 53405``; other position text as written."""
    from kfor_desk.domain.geo.position import format_mgrs

    compact = value.replace(" ", "").upper()
    if re.fullmatch(r"\d{1,2}[C-X][A-Z]{2}(\d\d){1,5}", compact):
        try:
            return format_mgrs(compact)
        except ValueError:
            return value
    return value


def readable_value(field: str, value: Any, entity: str = "", *,
                   style: HistoryStyle = WINDOW) -> str:
    """A stored value as an officer reads it: ``—`` for nothing (``style.empty``), yes/no, DTG
    with local time (``style.local_time``), labels for coded values, ``500 m`` for a radius."""
    if value is None or value == "" or value == [] or value == {}:
        return style.empty
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return _when(value, style)
    base = _INDEXED.sub(lambda m: f"{m[1]}.{m[3]}" if m[3] else m[1], field)
    if isinstance(value, str):
        if field in _TIME_FIELDS:
            return _time(value, style)
        if base == "locations.position":
            return _position(value)
        if entity == "conflict" and field == "status":
            return value.replace("_", " ").capitalize()
        if field == "fingerprint":
            return f"#{value[:8]}"
        for enum in _ENUMS.get(field, ()):
            try:
                return str(getattr(enum(value), "label"))  # noqa: B009 - every enum here has one
            except ValueError:
                continue
        return value
    if base == "locations.radius_m" and isinstance(value, int | float):
        return f"{value:g} m"
    if isinstance(value, float):
        return f"{value:.5f}".rstrip("0").rstrip(".")
    if isinstance(value, list | tuple):
        return ", ".join(readable_value(field, v, entity, style=style)
                         for v in value) or style.empty
    if isinstance(value, dict):
        return "; ".join(f"{field_label(k)}: {readable_value(k, v, entity, style=style)}"
                         for k, v in value.items()) or style.empty
    return str(value)


def readable_entry(entry: _Entry, *, style: HistoryStyle = WINDOW) -> ReadableEntry:
    ent = entry.entity
    return ReadableEntry(
        seq=entry.seq, at=entry.at, when=format_dtg(entry.at),
        when_local=format_dtg_local(entry.at), action=action_label(entry.action),
        operator=entry.operator, workstation=entry.workstation, reason=entry.reason or "",
        register_no=entry.register_no or "",
        changes=tuple(
            ReadableChange(str(f), field_label(str(f), ent),
                           readable_value(str(f), b, ent, style=style),
                           readable_value(str(f), a, ent, style=style))
            for f, b, a in entry.changes),
    )


def readable_history(entries: Iterable[_Entry], *, newest_first: bool = True,
                     style: HistoryStyle = WINDOW) -> list[ReadableEntry]:
    """Entries in words, newest first (as the detail pane lists them) unless told otherwise."""
    out = [readable_entry(e, style=style) for e in entries]
    out.sort(key=lambda e: e.seq, reverse=newest_first)
    return out
