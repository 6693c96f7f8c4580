"""Reading the record form into a record: Qt-free.

The form hands over what the operator entered as a plain :class:`FormInput` (texts, choices,
ticks, times as read by their fields, locations as read by their rows);
:func:`record_from_input` turns it into the record and the *reading* problems (times, counts,
positions that cannot be read). Where input cannot be read a placeholder stands in, so the
domain's own problems with the rest of the form can be shown at the same time. No rule of the
domain is checked here (that is :func:`kfor_desk.domain.validation.validate` and the workflow).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from kfor_desk.domain.enums import Channel, ExerciseType, Municipality, Patrols, Purpose
from kfor_desk.domain.records import (
    ConsentRequest,
    Decision,
    ExerciseNotification,
    Location,
    Record,
    RecordKind,
)
from kfor_desk.domain.validation import Problem

__all__ = ["FormInput", "TimeInput", "record_from_input"]


@dataclass(frozen=True, slots=True)
class TimeInput:
    """A time field as read: its value, or why it cannot be read."""

    value: datetime | None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class FormInput:
    """Everything entered in the record form, as plain values.

    ``texts`` hold the raw text of each text field by record field name (``decision.*`` for
    the decision's), ``times`` the time fields, ``choices`` the enum values, ``ticks`` the
    check boxes. ``air_assets`` is ``None`` when "Air assets" is not ticked.
    """

    kind: RecordKind
    texts: Mapping[str, str]
    times: Mapping[str, TimeInput]
    choices: Mapping[str, Any] = field(default_factory=dict)
    ticks: Mapping[str, bool] = field(default_factory=dict)
    municipalities: tuple[Municipality, ...] = ()
    locations: tuple[Location, ...] = ()
    location_problems: tuple[Problem, ...] = ()
    air_assets: str | None = None


def _count(text: str, label: str, name: str, problems: list[Problem]) -> int | None:
    t = text.strip().replace(" ", "").replace(",", "")
    if not t:
        return None
    try:
        return int(t)
    except ValueError:
        problems.append(Problem(name, f"{label} must be a whole number."))
        return None


def _when(inp: FormInput, name: str, problems: list[Problem], fallback: datetime) -> datetime:
    got = inp.times.get(name, TimeInput(None))
    if got.error is not None or got.value is None:
        problems.append(Problem(name, got.error or "A time is required."))
        return fallback
    return got.value


def record_from_input(inp: FormInput, original: Record | None,
                      now: datetime) -> tuple[Record, list[Problem]]:
    """The record as entered (amending ``original`` when given) and the reading problems."""
    problems: list[Problem] = list(inp.location_problems)
    text = {k: v.strip() for k, v in inp.texts.items()}
    received_at = _when(inp, "received_at", problems, now)
    start = _when(inp, "start", problems, now)
    end = _when(inp, "end", problems, start)
    common: dict[str, Any] = {
        "received_at": received_at, "start": start, "end": end,
        "locations": inp.locations, "received_by": text.get("received_by", ""),
        "personnel": _count(inp.texts.get("personnel", ""), "Personnel", "personnel",
                            problems),
        "vehicles": _count(inp.texts.get("vehicles", ""), "Vehicles", "vehicles", problems),
        "air_assets": inp.air_assets.strip() if inp.air_assets is not None else None,
        "notes": text.get("notes", ""),
    }
    record: Record
    if inp.kind is RecordKind.SAF:
        record = _notification(inp, text, common, original)
    else:
        record = _request(inp, text, common, original, problems, now)
    # the reading problems in the order of the form (times first, then counts, locations)
    order = ["received_at", "start", "end", "personnel", "vehicles"]
    problems.sort(key=lambda p: order.index(p.field) if p.field in order else len(order))
    return record, problems


def _notification(inp: FormInput, text: Mapping[str, str], common: dict[str, Any],
                  original: Record | None) -> ExerciseNotification:
    values = {
        **common,
        "name": text.get("name", ""),
        "exercise_type": ExerciseType(inp.choices["exercise_type"]),
        "units": text.get("units", ""),
        "weapon_systems": text.get("weapon_systems", ""),
        "live_fire": inp.ticks.get("live_fire", False),
        "sender_ref": text.get("sender_ref", ""),
        "channel": Channel(inp.choices["channel"]),
        "patrols": Patrols(inp.choices["patrols"]),
        "liaison_contact": text.get("liaison_contact", ""),
    }
    if original is None:
        return ExerciseNotification(**values)
    assert isinstance(original, ExerciseNotification)
    return replace(original, **values)


def _request(inp: FormInput, text: Mapping[str, str], common: dict[str, Any],
             original: Record | None, problems: list[Problem],
             now: datetime) -> ConsentRequest:
    values = {
        **common,
        "decision_due": _when(inp, "decision_due", problems, now),
        "requesting_unit": text.get("requesting_unit", ""),
        "purpose": Purpose(inp.choices["purpose"]),
        "description": text.get("description", ""),
        "municipalities": inp.municipalities,
        "route": text.get("route", ""),
        "weapons_carried": inp.ticks.get("weapons_carried", False),
        "ksf_ref": text.get("ksf_ref", ""),
        "point_of_contact": text.get("point_of_contact", ""),
    }
    if original is None:
        return ConsentRequest(**values)
    assert isinstance(original, ConsentRequest)
    if "recommendation" in text:
        values["recommendation"] = text["recommendation"]
    old = original.decision
    if old is not None and "decision.authority" in text:
        decided_at = _when(inp, "decision.decided_at", problems, old.decided_at)
        comm = inp.times.get("decision.communicated_at", TimeInput(None))
        if comm.error:
            problems.append(Problem("decision.communicated_at", comm.error))
        values["decision"] = Decision(
            authority=text["decision.authority"], decided_at=decided_at,
            conditions=text.get("decision.conditions", ""),
            rationale=text.get("decision.rationale", ""),
            communicated_at=comm.value if not comm.error else old.communicated_at,
            communicated_via=text.get("decision.communicated_via", ""))
    return replace(original, **values)
