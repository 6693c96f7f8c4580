"""Validation that returns every problem, each with its field and a sentence a duty officer
understands. Nothing here raises for bad input; callers decide what to do with the list."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from .enums import NotificationStatus, RequestStatus
from .errors import UserError
from .records import (
    LONG_TEXT,
    MAX_COUNT,
    MAX_LOCATIONS,
    MAX_RADIUS_M,
    MEDIUM_TEXT,
    SHORT_TEXT,
    ConsentRequest,
    Decision,
    ExerciseNotification,
    Location,
    Record,
)
from .text import first_invisible, has_control_chars

#: the years a time may fall in: anything else is a typing or file error (year 1, 9999)
FIRST_YEAR, LAST_YEAR = 2000, 2100
#: a position further than this outside Kosovo and southern Serbia is off the map: refused
#: (closer ones outside the area are accepted after the operator confirms them)
FAR_OFF_KM = 300.0


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input: ``field`` uses the exchange-format names
    (``end``, ``locations[1].position``, ``decision.conditions``)."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class RuleError(UserError, ValueError):
    """Input or an action refused by the rules; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


# ---------------------------------------------------------------- helpers
def _text(out: list[Problem], field: str, value: str, limit: int, *, required: bool = False,
          label: str = "", multiline: bool = False) -> None:
    if required and not value.strip():
        out.append(Problem(field, f"{_what(field, label)} is required."))
        return
    if len(value) > limit:
        out.append(Problem(field, f"{_what(field, label)} is too long ({len(value)} characters; "
                                  f"at most {limit})."))
    if value.isprintable():  # most text: neither check below can find anything (asked in C)
        return
    if has_control_chars(value, allow_newlines=multiline):
        out.append(Problem(field, f"{_what(field, label)} contains control characters; "
                                  "remove them (paste as plain text)."))
    hidden = first_invisible(value)
    if hidden is not None:
        out.append(Problem(field, f"{_what(field, label)} contains an invisible formatting "
                                  f"character ({hidden[1]} at position {hidden[0]}: a "
                                  "right-to-left override or a zero-width character can make "
                                  "text read other than it is); remove it."))


def _what(field: str, label: str) -> str:
    """The field's name in a sentence (only worded when there is something to say)."""
    return (label or field.replace("_", " ")).capitalize()


def _count(out: list[Problem], field: str, value: int | None, label: str) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        out.append(Problem(field, f"{label} must be a whole number."))
    elif value < 0:
        out.append(Problem(field, f"{label} cannot be negative."))
    elif value > MAX_COUNT:
        out.append(Problem(field, f"{label} of {value} is not believable (at most {MAX_COUNT})."))


def _aware(out: list[Problem], field: str, value: datetime | None, label: str) -> bool:
    if value is None:
        return False
    if value.tzinfo is None or value.utcoffset() is None:
        out.append(Problem(field, f"{label} has no time zone; times must be UTC."))
        return False
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        out.append(Problem(field, f"{label} is in the year {value.year}; times must lie "
                                  f"between {FIRST_YEAR} and {LAST_YEAR} — check the year."))
        return False
    return True


def _period(out: list[Problem], start: datetime, end: datetime, received: datetime) -> None:
    ok_s = _aware(out, "start", start, "Start")
    ok_e = _aware(out, "end", end, "End")
    _aware(out, "received_at", received, "Received")
    if ok_s and ok_e and end <= start:
        out.append(Problem("end", "End must be after the start of the period."))


def validate_location(loc: Location, field: str) -> list[Problem]:
    out: list[Problem] = []
    _text(out, f"{field}.name", loc.name, SHORT_TEXT, label="place name")
    if loc.position is not None:
        _text(out, f"{field}.position", loc.position, SHORT_TEXT, label="position")
    if not (math.isfinite(loc.lat) and -90 <= loc.lat <= 90):
        out.append(Problem(f"{field}.position", "Latitude must lie between -90 and 90 degrees."))
    if not (math.isfinite(loc.lon) and -180 <= loc.lon <= 180):
        out.append(Problem(f"{field}.position",
                           "Longitude must lie between -180 and 180 degrees."))
    elif math.isfinite(loc.lat) and math.isfinite(loc.lon):
        off = km_off_area(loc.lat, loc.lon)
        if off > FAR_OFF_KM:
            out.append(Problem(f"{field}.position",
                               f"{loc.lat:.4f}, {loc.lon:.4f} lies about {off:,.0f} km outside "
                               "Kosovo and southern Serbia, off the map; check the position "
                               f"(at most {FAR_OFF_KM:,.0f} km outside is accepted)."))
    if loc.radius_m is not None and not (0 <= loc.radius_m <= MAX_RADIUS_M):
        out.append(Problem(f"{field}.radius_m",
                           f"Radius must be between 0 and {MAX_RADIUS_M:,} m."))
    return out


def km_off_area(lat: float, lon: float) -> float:
    """Roughly how far (km) a position lies outside the area box (0 inside it)."""
    south, north, west, east = _area_box()
    if south <= lat <= north and west <= lon <= east:
        return 0.0
    dlat = max(south - lat, 0.0, lat - north) * 111.32
    clat = min(max(lat, south), north)
    dlon = max(west - lon, 0.0, lon - east) * 111.32 * math.cos(math.radians(clat))
    return math.hypot(dlat, dlon)


@cache
def _area_box() -> tuple[float, float, float, float]:
    from .geo.position import AREA_BOX  # loads mgrs: on first use, not at import

    return AREA_BOX


def _locations(out: list[Problem], locations: tuple[Location, ...]) -> None:
    if not locations:
        out.append(Problem("locations", "At least one location is required."))
    if len(locations) > MAX_LOCATIONS:
        out.append(Problem("locations", f"At most {MAX_LOCATIONS} locations per record."))
    for i, loc in enumerate(locations):
        out.extend(validate_location(loc, f"locations[{i}]"))


def _optional_air(out: list[Problem], value: str | None) -> None:
    if value is not None:
        _text(out, "air_assets", value, MEDIUM_TEXT, label="air assets", required=True)


# ---------------------------------------------------------------- records
def validate_notification(n: ExerciseNotification) -> list[Problem]:
    out: list[Problem] = []
    fine = _notification_texts_fine(n)  # else each text is checked below
    if not fine:
        _text(out, "name", n.name, SHORT_TEXT, required=True, label="exercise name")
        _text(out, "sender_ref", n.sender_ref, SHORT_TEXT, label="sender's reference")
        _text(out, "received_by", n.received_by, SHORT_TEXT, label="received by")
        _text(out, "units", n.units, MEDIUM_TEXT, multiline=True)
        _text(out, "weapon_systems", n.weapon_systems, MEDIUM_TEXT, multiline=True,
              label="weapon systems")
        _optional_air(out, n.air_assets)
    _count(out, "personnel", n.personnel, "Personnel")
    _count(out, "vehicles", n.vehicles, "Vehicles")
    _period(out, n.start, n.end, n.received_at)
    _locations(out, n.locations)
    if not fine:
        _text(out, "disseminated_to", n.disseminated_to, MEDIUM_TEXT, label="disseminated to")
        _text(out, "cancel_reason", n.cancel_reason, MEDIUM_TEXT, multiline=True,
              label="cancel reason")
        _text(out, "liaison_contact", n.liaison_contact, MEDIUM_TEXT, label="liaison contact")
        _text(out, "notes", n.notes, LONG_TEXT, multiline=True)
    _notification_status_fields(out, n)
    return out


def _notification_texts_fine(n: ExerciseNotification) -> bool:
    """True only when :func:`_text` finds nothing in any text of ``n`` it checks (required
    ones given, none too long, nothing but printable characters and, where allowed, new
    lines), found with a few calls instead of one per text; False: check them one by one."""
    air = n.air_assets
    try:
        return _notification_texts_checked(n, air)
    except (TypeError, AttributeError):  # a text that is not one: _text says what it says
        return False


def _notification_texts_checked(n: ExerciseNotification, air: str | None) -> bool:
    return (len(n.name) <= SHORT_TEXT and len(n.sender_ref) <= SHORT_TEXT
            and len(n.received_by) <= SHORT_TEXT and len(n.units) <= MEDIUM_TEXT
            and len(n.weapon_systems) <= MEDIUM_TEXT and len(n.disseminated_to) <= MEDIUM_TEXT
            and len(n.cancel_reason) <= MEDIUM_TEXT and len(n.liaison_contact) <= MEDIUM_TEXT
            and len(n.notes) <= LONG_TEXT and bool(n.name.strip())
            and (air is None or (len(air) <= MEDIUM_TEXT and bool(air.strip())))
            and "".join((n.name, n.sender_ref, n.received_by, air or "", n.disseminated_to,
                         n.liaison_contact)).isprintable()
            and "".join((n.units, n.weapon_systems, n.cancel_reason, n.notes))
            .replace("\n", "").isprintable())


def _notification_status_fields(out: list[Problem], n: ExerciseNotification) -> None:
    for name in ("acknowledged_at", "disseminated_at", "cancelled_at"):
        _aware(out, name, getattr(n, name), name.replace("_", " ").capitalize())
    acked = (NotificationStatus.ACKNOWLEDGED, NotificationStatus.DISSEMINATED)
    if n.status in acked and n.acknowledged_at is None:
        out.append(Problem("acknowledged_at", "An acknowledged notification needs the time "
                                              "its receipt was confirmed."))
    if n.status is NotificationStatus.DISSEMINATED:
        if n.disseminated_at is None:
            out.append(Problem("disseminated_at", "A disseminated notification needs the time "
                                                  "it was passed on."))
        if not n.disseminated_to.strip():
            out.append(Problem("disseminated_to", "Say to whom it was disseminated."))
    if n.status is NotificationStatus.CANCELLED:
        if n.cancelled_at is None:
            out.append(Problem("cancelled_at", "A cancelled notification needs the time it "
                                               "was cancelled."))
        if not n.cancel_reason.strip():
            out.append(Problem("cancel_reason", "Give the reason for the cancellation."))


def validate_request(r: ConsentRequest) -> list[Problem]:
    out: list[Problem] = []
    fine = _request_texts_fine(r)  # else each text is checked below
    if not fine:
        _text(out, "requesting_unit", r.requesting_unit, SHORT_TEXT, required=True,
              label="requesting unit")
        _text(out, "ksf_ref", r.ksf_ref, SHORT_TEXT, label="KSF reference")
        _text(out, "received_by", r.received_by, SHORT_TEXT, label="received by")
        _text(out, "point_of_contact", r.point_of_contact, SHORT_TEXT,
              label="point of contact")
        _text(out, "description", r.description, LONG_TEXT, multiline=True)
        _text(out, "route", r.route, MEDIUM_TEXT, multiline=True)
        _optional_air(out, r.air_assets)
    _count(out, "personnel", r.personnel, "Personnel")
    _count(out, "vehicles", r.vehicles, "Vehicles")
    _period(out, r.start, r.end, r.received_at)
    if (_aware(out, "decision_due", r.decision_due, "Decision due")
            and r.received_at.tzinfo is not None and r.decision_due < r.received_at):
        out.append(Problem("decision_due", "The decision cannot be due before the request "
                                           "was received."))
    _locations(out, r.locations)
    if len(set(r.municipalities)) != len(r.municipalities):
        out.append(Problem("municipalities", "A municipality is listed twice."))
    if not fine:
        _text(out, "recommendation", r.recommendation, LONG_TEXT, multiline=True)
        _text(out, "withdraw_reason", r.withdraw_reason, MEDIUM_TEXT, multiline=True,
              label="withdrawal reason")
        _text(out, "notes", r.notes, LONG_TEXT, multiline=True)
    for name in ("review_started_at", "recommended_at", "withdrawn_at"):
        _aware(out, name, getattr(r, name), name.replace("_", " ").capitalize())
    if r.status is RequestStatus.RECOMMENDED and not r.recommendation.strip():
        out.append(Problem("recommendation", "Record the recommendation."))
    if r.status is RequestStatus.WITHDRAWN:
        if r.withdrawn_at is None:
            out.append(Problem("withdrawn_at", "A withdrawn request needs the time it was "
                                               "withdrawn."))
        if not r.withdraw_reason.strip():
            out.append(Problem("withdraw_reason", "Give the reason for the withdrawal."))
    if r.status.is_decided:
        if r.decision is None:
            out.append(Problem("decision", "A decided request needs its decision (authority "
                                           "and time)."))
        else:
            out.extend(validate_decision(r.status, r.decision))
    elif r.decision is not None:
        out.append(Problem("decision", f"A request that is {r.status.label.lower()} cannot "
                                       "carry a decision."))
    return out


def _request_texts_fine(r: ConsentRequest) -> bool:
    """As :func:`_notification_texts_fine`, for the texts of a request that
    :func:`validate_request` checks itself (not its decision's)."""
    air = r.air_assets
    try:
        return _request_texts_checked(r, air)
    except (TypeError, AttributeError):
        return False


def _request_texts_checked(r: ConsentRequest, air: str | None) -> bool:
    return (len(r.requesting_unit) <= SHORT_TEXT and len(r.ksf_ref) <= SHORT_TEXT
            and len(r.received_by) <= SHORT_TEXT and len(r.point_of_contact) <= SHORT_TEXT
            and len(r.description) <= LONG_TEXT and len(r.route) <= MEDIUM_TEXT
            and len(r.recommendation) <= LONG_TEXT and len(r.withdraw_reason) <= MEDIUM_TEXT
            and len(r.notes) <= LONG_TEXT and bool(r.requesting_unit.strip())
            and (air is None or (len(air) <= MEDIUM_TEXT and bool(air.strip())))
            and "".join((r.requesting_unit, r.ksf_ref, r.received_by, r.point_of_contact,
                         air or "")).isprintable()
            and "".join((r.description, r.route, r.recommendation, r.withdraw_reason, r.notes))
            .replace("\n", "").isprintable())


def validate_decision(status: RequestStatus, d: Decision) -> list[Problem]:
    out: list[Problem] = []
    _text(out, "decision.authority", d.authority, SHORT_TEXT, required=True,
          label="decision authority")
    _text(out, "decision.conditions", d.conditions, LONG_TEXT, multiline=True,
          label="conditions")
    _text(out, "decision.rationale", d.rationale, LONG_TEXT, multiline=True, label="rationale")
    _text(out, "decision.communicated_via", d.communicated_via, SHORT_TEXT,
          label="communicated via")
    _aware(out, "decision.decided_at", d.decided_at, "Decision time")
    if status is RequestStatus.GRANTED_WITH_CONDITIONS and not d.conditions.strip():
        out.append(Problem("decision.conditions", "Granted with conditions: state the "
                                                  "conditions."))
    if status is RequestStatus.DENIED and not d.rationale.strip():
        out.append(Problem("decision.rationale", "Denied: state the rationale."))
    if _aware(out, "decision.communicated_at", d.communicated_at, "Communicated at"):
        assert d.communicated_at is not None
        if d.decided_at.tzinfo is not None and d.communicated_at < d.decided_at:
            out.append(Problem("decision.communicated_at", "The answer cannot reach the KSF "
                                                           "before the decision was taken."))
        if not d.communicated_via.strip():
            out.append(Problem("decision.communicated_via", "Say how the answer was "
                                                            "communicated."))
    return out


def validate(record: Record) -> list[Problem]:
    if isinstance(record, ExerciseNotification):
        return validate_notification(record)
    return validate_request(record)


def check(record: Record) -> None:
    """Raise :class:`RuleError` with every problem, if any."""
    problems = validate(record)
    if problems:
        raise RuleError(problems)
