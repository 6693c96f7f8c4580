"""The two registers as plain, immutable records.

Records are frozen dataclasses: a change is a new value (``dataclasses.replace``) that the store
compares with the old one to write the field-level audit entry. ``id`` and ``version`` are
``None``/``0`` until the store has saved a record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from .enums import (
    Band,
    Channel,
    ExerciseType,
    Municipality,
    NotificationStatus,
    Patrols,
    Purpose,
    RequestStatus,
    Side,
    TimePhase,
)
from .errors import InputError

# Lengths (characters). Enforced by validation and by CHECK constraints in the store.
SHORT_TEXT = 200
MEDIUM_TEXT = 1000
LONG_TEXT = 8000
MAX_LOCATIONS = 20
MAX_COUNT = 100_000  # personnel / vehicles
MAX_RADIUS_M = 100_000


class RecordKind(StrEnum):
    SAF = "SAF"  # exercise notification
    KSF = "KSF"  # consent request

    @property
    def label(self) -> str:
        return "SAF exercise notification" if self is RecordKind.SAF else "KSF consent request"


_REGNO_RE = re.compile(r"^(SAF|KSF)-(\d{4})-(\d{4,6})$")


def format_register_no(kind: RecordKind, year: int, number: int) -> str:
    """``SAF-2026-0042``."""
    return f"{kind.value}-{year:04d}-{number:04d}"


def parse_register_no(text: str) -> tuple[RecordKind, int, int]:
    """Split ``SAF-2026-0042`` into kind, year, number; ``ValueError`` if malformed."""
    m = _REGNO_RE.match(text.strip().upper())
    if not m:
        raise InputError(f"'{text}' is not a register number; expected e.g. SAF-2026-0042")
    return RecordKind(m[1]), int(m[2]), int(m[3])


@dataclass(frozen=True, slots=True)
class AblRelation:
    """Where a position lies relative to the ABL (indicative, see the data's precision)."""

    distance_km: float
    side: Side
    band: Band


@dataclass(frozen=True, slots=True)
class Location:
    """A named place and a position, with an optional radius.

    ``position`` is the text the operator gave (MGRS, decimal or DMS) and is kept verbatim; it is
    ``None`` when only coordinates were given. ``uncertainty_m`` comes from the stated precision
    (an MGRS reference to 1 km is uncertain by about 700 m).
    """

    name: str
    lat: float
    lon: float
    position: str | None = None
    radius_m: int | None = None
    uncertainty_m: float = 0.0
    abl: AblRelation | None = None

    @property
    def effective_radius_m(self) -> float:
        return float(self.radius_m or 0)


@dataclass(frozen=True, slots=True)
class ExerciseNotification:
    """Register 1: an SAF exercise notification."""

    name: str
    received_at: datetime
    start: datetime
    end: datetime
    locations: tuple[Location, ...]
    channel: Channel = Channel.JIC
    exercise_type: ExerciseType = ExerciseType.FIELD_TRAINING
    sender_ref: str = ""
    received_by: str = ""
    units: str = ""
    personnel: int | None = None
    vehicles: int | None = None
    weapon_systems: str = ""
    live_fire: bool = False
    air_assets: str | None = None  # None: no air assets; text: what
    status: NotificationStatus = NotificationStatus.RECEIVED
    acknowledged_at: datetime | None = None
    disseminated_at: datetime | None = None
    disseminated_to: str = ""
    cancelled_at: datetime | None = None
    cancel_reason: str = ""
    patrols: Patrols = Patrols.NONE
    liaison_contact: str = ""
    notes: str = ""
    register_no: str | None = None
    id: int | None = None
    version: int = 0

    kind = RecordKind.SAF

    @property
    def title(self) -> str:
        return self.name

    @property
    def has_air(self) -> bool:
        return bool(self.air_assets) or self.exercise_type is ExerciseType.AIR_ACTIVITY

    @property
    def is_open(self) -> bool:
        return self.status is not NotificationStatus.CANCELLED


@dataclass(frozen=True, slots=True)
class Decision:
    """COMKFOR's (or the delegated authority's) decision on a consent request."""

    authority: str
    decided_at: datetime
    conditions: str = ""
    rationale: str = ""
    communicated_at: datetime | None = None
    communicated_via: str = ""


def request_title(description: str, purpose: Purpose) -> str:
    """A consent request's title: the first line of its description (120 characters at
    most), or its purpose when it has none."""
    return description.splitlines()[0][:120] if description else purpose.label


@dataclass(frozen=True, slots=True)
class ConsentRequest:
    """Register 2: a KSF north-deployment consent request."""

    requesting_unit: str
    received_at: datetime
    start: datetime
    end: datetime
    decision_due: datetime
    locations: tuple[Location, ...]
    purpose: Purpose = Purpose.OTHER
    description: str = ""
    ksf_ref: str = ""
    received_by: str = ""
    point_of_contact: str = ""
    municipalities: tuple[Municipality, ...] = field(default_factory=tuple)
    route: str = ""
    personnel: int | None = None
    vehicles: int | None = None
    weapons_carried: bool = False
    air_assets: str | None = None
    status: RequestStatus = RequestStatus.RECEIVED
    review_started_at: datetime | None = None
    recommendation: str = ""
    recommended_at: datetime | None = None
    decision: Decision | None = None
    withdrawn_at: datetime | None = None
    withdraw_reason: str = ""
    notes: str = ""
    register_no: str | None = None
    id: int | None = None
    version: int = 0

    kind = RecordKind.KSF

    @property
    def title(self) -> str:
        return request_title(self.description, self.purpose)

    @property
    def has_air(self) -> bool:
        return bool(self.air_assets) or self.purpose is Purpose.UAV_FLIGHT

    @property
    def is_open(self) -> bool:
        return not self.status.is_closed

    @property
    def awaiting_communication(self) -> bool:
        """Decided, but the answer has not yet reached the KSF."""
        return (
            self.status.is_decided
            and self.decision is not None
            and self.decision.communicated_at is None
        )

    def is_overdue(self, now: datetime) -> bool:
        return not self.status.is_closed and self.decision_due <= now


Record = ExerciseNotification | ConsentRequest


def time_phase(start: datetime, end: datetime, now: datetime) -> TimePhase:
    if now < start:
        return TimePhase.UPCOMING
    if now <= end:
        return TimePhase.ACTIVE
    return TimePhase.COMPLETED


MUNICIPALITY_SPELLINGS: dict[str, Municipality] = {}
for _m, _alts in {
    Municipality.NORTH_MITROVICA: (
        "North Mitrovica", "Mitrovica North", "Severna Mitrovica", "Kosovska Mitrovica",
        "Mitrovicë e Veriut", "Mitrovice e Veriut", "Mitrovica e Veriut", "Северна Митровица",
    ),
    Municipality.ZVECAN: ("Zvečan", "Zvecan", "Zveçan", "Zvecan", "Звечан"),
    Municipality.ZUBIN_POTOK: ("Zubin Potok", "Zubin Potoku", "Зубин Поток"),
    Municipality.LEPOSAVIC: ("Leposavić", "Leposavic", "Leposaviq", "Лепосавић"),
}.items():
    for _a in _alts:
        MUNICIPALITY_SPELLINGS[_a.casefold()] = _m


def parse_municipality(text: str) -> Municipality:
    """Accept the Serbian, Albanian, ASCII and Cyrillic spellings; return the stored one."""
    m = MUNICIPALITY_SPELLINGS.get(" ".join(text.split()).casefold())
    if m is None:
        names = ", ".join(x.value for x in Municipality)
        raise InputError(f"'{text}' is not one of the four northern municipalities ({names})")
    return m
