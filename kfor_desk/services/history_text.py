"""Readable history: field names of the audit trail as words, values as text with DTGs.

Qt-free, so the window's history view, the record sheet and the handover can all use it. The
audit trail keeps the exchange form's field paths (``locations[0].position``,
``decision.authority``); this module turns them into ``Location 1 position`` and
``Decision authority``, and ISO times into DTGs. It does not read the audit trail itself.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from kfor_desk.domain.timefmt import TimeError, format_dtg, parse_iso

FIELD_LABELS = {
    "register_no": "Register number", "sender_ref": "Sender's reference", "channel": "Channel",
    "received_at": "Received at", "received_by": "Received by", "name": "Exercise name",
    "exercise_type": "Type", "units": "Units", "personnel": "Personnel",
    "vehicles": "Vehicles", "weapon_systems": "Weapon systems", "live_fire": "Live fire",
    "air_assets": "Air assets", "start": "Start", "end": "End", "locations": "Locations",
    "status": "Status", "acknowledged_at": "Acknowledged at",
    "disseminated_at": "Disseminated at", "disseminated_to": "Disseminated to",
    "cancelled_at": "Cancelled at", "cancel_reason": "Cancellation reason",
    "patrols": "Patrols", "liaison_contact": "Liaison contact", "notes": "Notes",
    "ksf_ref": "KSF reference", "requesting_unit": "Requesting unit",
    "point_of_contact": "Point of contact", "purpose": "Purpose",
    "description": "Description", "municipalities": "Municipalities", "route": "Route",
    "weapons_carried": "Weapons carried", "decision_due": "Decision due",
    "review_started_at": "Review started at", "recommendation": "Recommendation",
    "recommended_at": "Recommended at", "decision": "Decision",
    "withdrawn_at": "Withdrawn at", "withdraw_reason": "Withdrawal reason",
    "conflict_with": "Conflict with", "fingerprint": "Time/place fingerprint",
    # sub-fields
    "authority": "authority", "decided_at": "decided at", "conditions": "conditions",
    "rationale": "rationale", "communicated_at": "communicated at",
    "communicated_via": "communicated via", "position": "position", "radius_m": "radius (m)",
    "lat": "latitude", "lon": "longitude",
}
ACTION_LABELS = {
    "create": "Registered", "import": "Imported", "demo": "Created (demo)", "amend": "Amended",
    "correct": "Corrected", "acknowledge": "Acknowledged", "disseminate": "Disseminated",
    "cancel": "Cancelled", "start_review": "Review started", "recommend": "Recommended",
    "decide": "Decided", "withdraw": "Withdrawn", "communicate": "Decision communicated",
    "deconflict": "Marked deconflicted", "reopen": "Conflict reopened",
}
_PART = re.compile(r"([a-z_]+)(?:\[(\d+)\])?")


def field_label(path: str) -> str:
    """``locations[0].position`` → ``Location 1 position``; unknown names keep their words."""
    words: list[str] = []
    for part in path.split("."):
        m = _PART.fullmatch(part)
        if m is None:
            words.append(part)
            continue
        name, index = m.group(1), m.group(2)
        label = FIELD_LABELS.get(name, name.replace("_", " "))
        if index is not None:
            label = f"{label.rstrip('s') if label.endswith('s') else label} {int(index) + 1}"
        words.append(label if not words else label[:1].lower() + label[1:])
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action.replace("_", " ").capitalize())


def value_text(value: Any) -> str:
    """An audit before/after value as text: ISO times as DTGs, flags as yes/no."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return format_dtg(value)
    if isinstance(value, str):
        if len(value) >= 20 and value[4:5] == "-" and value[10:11] == "T":
            try:
                return format_dtg(parse_iso(value))
            except TimeError:
                return value
        return value
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
