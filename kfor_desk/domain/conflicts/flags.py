"""Attention flags: an SAF activity near the ABL or on the wrong side, a KSF request near it
or in the air, paperwork due, overdue or unacknowledged. See the package notes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from ..enums import (
    AIR_BAND_KM,
    GROUND_BAND_KM,
    NOTIFY_LINE_KM,
    ExerciseType,
    NotificationStatus,
    RequestStatus,
    Side,
)
from ..errors import ShouldStop, check_stop
from ..placefmt import km
from ..records import (
    ConsentRequest,
    ExerciseNotification,
    Location,
    Record,
)
from ..timefmt import ensure_utc, format_dtg, format_span
from .pairs import DeconflictionSettings, participates, register_label, register_sort_key


# ================================================================ attention flags
class FlagName(StrEnum):
    """Attention flags, most severe first (the order is the display order)."""

    NOTIFY_LINE = "notify_line"
    WRONG_SIDE = "wrong_side"
    OVERDUE = "overdue"
    LIVE_FIRE_GROUND_BAND = "live_fire_ground_band"
    GROUND_BAND = "ground_band"
    KSF_NEAR_ABL = "ksf_near_abl"
    KSF_AIR = "ksf_air"
    AIR_BAND = "air_band"
    DUE_SOON = "due_soon"
    UNACKNOWLEDGED = "unacknowledged"

    @property
    def severity(self) -> int:
        """0 is the most severe."""
        return _SEVERITY[self]

    @property
    def label(self) -> str:
        return _FLAG_LABELS[self]


PAPERWORK_FLAGS = frozenset({FlagName.OVERDUE, FlagName.DUE_SOON, FlagName.UNACKNOWLEDGED})
"""Flags about the register item itself, raised even after the activity has ended."""

_SEVERITY: dict[FlagName, int] = {name: rank for rank, name in enumerate(FlagName)}
_FLAG_LABELS: dict[FlagName, str] = {
    FlagName.NOTIFY_LINE: "SAF within 1 km of the ABL",
    FlagName.WRONG_SIDE: "SAF position on the Kosovo side",
    FlagName.OVERDUE: "Decision overdue",
    FlagName.LIVE_FIRE_GROUND_BAND: "SAF live firing within 5 km",
    FlagName.GROUND_BAND: "SAF within 5 km of the ABL",
    FlagName.KSF_NEAR_ABL: "KSF within 5 km of the ABL",
    FlagName.KSF_AIR: "KSF air activity",
    FlagName.AIR_BAND: "SAF air activity within 25 km",
    FlagName.DUE_SOON: "Decision due soon",
    FlagName.UNACKNOWLEDGED: "Not acknowledged",
}


@dataclass(frozen=True, slots=True)
class Flag:
    """One attention flag on one record; ``detail`` is a short sentence for the duty officer."""

    register_no: str
    flag: FlagName
    detail: str

    @property
    def severity(self) -> int:
        return self.flag.severity


def flag_sort_key(flag: Flag) -> tuple[int, tuple[int, int, int, str]]:
    return (flag.severity, register_sort_key(flag.register_no))


@dataclass(frozen=True, slots=True)
class _Nearest:
    edge_km: float
    location: Location


def _nearest_to_abl(record: Record) -> _Nearest | None:
    best: _Nearest | None = None
    for loc in record.locations:
        if loc.abl is None:
            continue
        edge = max(loc.abl.distance_km - loc.effective_radius_m / 1000.0, 0.0)
        if best is None or edge < best.edge_km:
            best = _Nearest(edge, loc)
    return best


def _where(n: _Nearest) -> str:
    radius_km = n.location.effective_radius_m / 1000.0
    name = f"'{n.location.name}'"
    if not radius_km:
        return f"{name} is {km(n.edge_km)} from the ABL"
    if n.edge_km == 0.0 and n.location.abl is not None:
        centre = km(n.location.abl.distance_km)
        return f"{name} (radius {km(radius_km)}, centre {centre} away) reaches the ABL"
    return f"{name} (radius {km(radius_km)}) comes within {km(n.edge_km)} of the ABL"


def _notification_flags(
    rec: ExerciseNotification, as_of: datetime, settings: DeconflictionSettings
) -> list[Flag]:
    out: list[Flag] = []
    reg = register_label(rec)
    near = _nearest_to_abl(rec)
    if near is not None:
        if near.edge_km <= NOTIFY_LINE_KM:
            out.append(Flag(reg, FlagName.NOTIFY_LINE,
                            f"SAF activity within the 1 km notification line: {_where(near)}."))
        elif near.edge_km <= GROUND_BAND_KM:
            out.append(Flag(reg, FlagName.GROUND_BAND,
                            f"SAF activity in the 5 km ground band: {_where(near)}."))
        if rec.has_air and near.edge_km <= AIR_BAND_KM:
            what = rec.air_assets or "air activity"
            out.append(Flag(reg, FlagName.AIR_BAND,
                            f"SAF air assets ({what}) in the 25 km air band: {_where(near)}."))
        live = rec.live_fire or rec.exercise_type is ExerciseType.LIVE_FIRING
        if live and near.edge_km <= GROUND_BAND_KM:
            out.append(Flag(reg, FlagName.LIVE_FIRE_GROUND_BAND,
                            f"SAF live firing within 5 km of the ABL: {_where(near)}."))
    wrong = [loc.name for loc in rec.locations if loc.abl is not None
             and loc.abl.side is Side.KOSOVO]
    if wrong:
        names = ", ".join(f"'{n}'" for n in wrong)
        out.append(Flag(reg, FlagName.WRONG_SIDE,
                        f"SAF position {names} lies on the Kosovo side of the ABL; "
                        "likely an entry error — confirm the position."))
    if rec.status is NotificationStatus.RECEIVED:
        waited = ensure_utc(as_of) - ensure_utc(rec.received_at)
        if waited >= settings.unacknowledged_after:
            out.append(Flag(reg, FlagName.UNACKNOWLEDGED,
                            f"Received {format_dtg(rec.received_at)}, not acknowledged "
                            f"after {format_span(waited)}."))
    return out


def _request_flags(
    rec: ConsentRequest, as_of: datetime, settings: DeconflictionSettings
) -> list[Flag]:
    out: list[Flag] = []
    reg = register_label(rec)
    near = _nearest_to_abl(rec)
    if near is not None and near.edge_km <= GROUND_BAND_KM:
        out.append(Flag(reg, FlagName.KSF_NEAR_ABL,
                        f"KSF activity within 5 km of the ABL: {_where(near)}."))
    if rec.has_air:
        what = rec.air_assets or "UAV flight"
        out.append(Flag(reg, FlagName.KSF_AIR, f"KSF air activity in the north ({what})."))
    if not rec.status.is_closed:
        now = ensure_utc(as_of)
        due = ensure_utc(rec.decision_due)
        if due <= now:
            out.append(Flag(reg, FlagName.OVERDUE,
                            f"Decision was due {format_dtg(due)}; overdue by "
                            f"{format_span(now - due)}."))
        elif due - now <= settings.due_soon:
            out.append(Flag(reg, FlagName.DUE_SOON,
                            f"Decision due {format_dtg(due)}, in {format_span(due - now)}."))
    return out


def flags_for(
    record: Record, as_of: datetime, settings: DeconflictionSettings | None = None
) -> list[Flag]:
    """Attention flags of one record, most severe first.

    A cancelled, denied or withdrawn record has none. A record whose activity has ended keeps
    only the flags of its paperwork (decision overdue or due, not acknowledged): the register
    item is still open and the duty officer must close it; where it was is history."""
    settings = settings or DeconflictionSettings()
    if isinstance(record, ExerciseNotification):
        if record.status is NotificationStatus.CANCELLED:
            return []
        flags = _notification_flags(record, as_of, settings)
    else:
        if record.status in (RequestStatus.DENIED, RequestStatus.WITHDRAWN):
            return []
        flags = _request_flags(record, as_of, settings)
    if not participates(record, as_of):
        flags = [f for f in flags if f.flag in PAPERWORK_FLAGS]
    flags.sort(key=lambda f: f.severity)
    return flags


def attention_flags(
    records: Iterable[Record],
    as_of: datetime,
    settings: DeconflictionSettings | None = None,
    should_stop: ShouldStop | None = None,
) -> list[Flag]:
    """Every attention flag as of ``as_of``, most severe first, then by register number.
    ``should_stop`` is asked every 5,000 records (:class:`~kfor_desk.domain.errors.Stopped`)."""
    settings = settings or DeconflictionSettings()
    out: list[Flag] = []
    for n, rec in enumerate(records):
        if n % 5_000 == 0:
            check_stop(should_stop)
        out.extend(flags_for(rec, as_of, settings))
    out.sort(key=flag_sort_key)
    return out


