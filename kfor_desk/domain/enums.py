"""Enumerations of the two registers. Values are the lowercase words of ``kfor-desk/1``."""

from __future__ import annotations

from enum import StrEnum


class _Labelled(StrEnum):
    @property
    def label(self) -> str:
        """Human wording for screens and briefs."""
        value: str = self._value_  # not ``.value``: a descriptor, slow in a search text's loop
        label = _LABELS.get(value)
        return label if label is not None else value.replace("_", " ").capitalize()


class Channel(_Labelled):
    JIC = "jic"
    LETTER = "letter"
    EMAIL = "email"
    PHONE = "phone"
    LIAISON_MEETING = "liaison_meeting"
    OTHER = "other"


class ExerciseType(_Labelled):
    FIELD_TRAINING = "field_training"
    LIVE_FIRING = "live_firing"
    COMMAND_POST = "command_post"
    AIR_ACTIVITY = "air_activity"
    ENGINEERING = "engineering"
    OTHER = "other"


class NotificationStatus(_Labelled):
    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    DISSEMINATED = "disseminated"
    CANCELLED = "cancelled"


class Purpose(_Labelled):
    HUMANITARIAN = "humanitarian"
    CIVIL_PROTECTION = "civil_protection"
    EOD = "eod"
    FIREFIGHTING = "firefighting"
    TRAINING = "training"
    UAV_FLIGHT = "uav_flight"
    LOGISTICS = "logistics"
    CEREMONIAL = "ceremonial"
    OTHER = "other"


class RequestStatus(_Labelled):
    RECEIVED = "received"
    UNDER_REVIEW = "under_review"
    RECOMMENDED = "recommended"
    GRANTED = "granted"
    GRANTED_WITH_CONDITIONS = "granted_with_conditions"
    DENIED = "denied"
    WITHDRAWN = "withdrawn"

    @property
    def is_decided(self) -> bool:
        return self in DECIDED

    @property
    def is_closed(self) -> bool:
        return self in DECIDED or self is RequestStatus.WITHDRAWN


DECIDED = frozenset(
    {RequestStatus.GRANTED, RequestStatus.GRANTED_WITH_CONDITIONS, RequestStatus.DENIED}
)


class Patrols(_Labelled):
    """KFOR follow-up of an SAF exercise."""

    NONE = "none"
    SYNCHRONISED = "synchronised"
    PARALLEL = "parallel"


class Band(_Labelled):
    """Distance band relative to the ABL."""

    NOTIFY = "notify"  # <= 1 km: the notification line
    GROUND = "ground"  # <= 5 km: Ground Safety Zone
    AIR = "air"  # <= 25 km: Air Safety Zone
    BEYOND = "beyond"


# The band limits of domain.md, in km (inclusive): the one place these numbers are written.
# ``domain.geo.band_for`` sorts a distance into its band with them.
NOTIFY_LINE_KM = 1.0
GROUND_BAND_KM = 5.0
AIR_BAND_KM = 25.0
BAND_LIMITS_KM: tuple[tuple[Band, float], ...] = (
    (Band.NOTIFY, NOTIFY_LINE_KM),
    (Band.GROUND, GROUND_BAND_KM),
    (Band.AIR, AIR_BAND_KM),
)


class Side(_Labelled):
    KOSOVO = "kosovo"
    SERBIA = "serbia"
    OTHER = "other"


class TimePhase(_Labelled):
    """Independent of status: where an activity stands in time."""

    UPCOMING = "upcoming"
    ACTIVE = "active"
    COMPLETED = "completed"


class Municipality(StrEnum):
    NORTH_MITROVICA = "North Mitrovica"
    ZVECAN = "Zvečan"
    ZUBIN_POTOK = "Zubin Potok"
    LEPOSAVIC = "Leposavić"

    @property
    def label(self) -> str:
        return self.value


_LABELS: dict[str, str] = {
    "jic": "JIC",
    "email": "E-mail",
    "liaison_meeting": "Liaison meeting",
    "eod": "EOD / demining",
    "civil_protection": "Civil protection / disaster response",
    "humanitarian": "Humanitarian assistance",
    "uav_flight": "UAV flight",
    "under_review": "Under review",
    "granted_with_conditions": "Granted with conditions",
    "command_post": "Command-post",
    "notify": f"≤ {NOTIFY_LINE_KM:g} km",
    "ground": f"≤ {GROUND_BAND_KM:g} km",
    "air": f"≤ {AIR_BAND_KM:g} km",
    "beyond": f"> {AIR_BAND_KM:g} km",
}
