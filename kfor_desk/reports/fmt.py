"""Cell texts shared by the briefs: locations with MGRS and ABL relation, periods, statuses.

Functions returning ``str`` give Paragraph markup with the user's parts escaped; ``Plain``
and ``Lines`` cells are plain text (nothing escaped or interpreted) and far cheaper to lay out in
a long table (see :mod:`.lines`).
"""

from __future__ import annotations

from datetime import datetime

from kfor_desk.domain.enums import Band, Side
from kfor_desk.domain.geo import format_mgrs, to_mgrs
from kfor_desk.domain.placefmt import latlon_text
from kfor_desk.domain.records import (
    ConsentRequest,
    ExerciseNotification,
    Location,
    Record,
    time_phase,
)

from .lines import Line, Lines
from .tables import Plain
from .template import ALERT, ALERT_HEX, AMBER, AMBER_HEX, GREY, GREY_HEX, dtg, esc


def mgrs(loc: Location) -> str:
    """``34T DN 89058 48763`` at 1 m, or decimal degrees if MGRS cannot be computed."""
    try:
        return format_mgrs(to_mgrs(loc.lat, loc.lon, 5))
    except ValueError:
        return latlon_text(loc.lat, loc.lon)


BAND_EDGES = (1.0, 5.0, 25.0)


def km(distance: float) -> str:
    """A distance in km to one decimal, or more where one decimal would read as a band edge it
    is not on (1.04 km is ``1.04``, never ``1.0`` beside "≤ 5 km")."""
    for digits in (1, 2, 3):
        text = f"{distance:.{digits}f}"
        if not any(float(text) == edge and distance > edge for edge in BAND_EDGES):
            return text
    return f"{distance:.3f}"


def abl_text(loc: Location) -> str:
    """``3.2 km · ≤ 5 km · Serbia`` (markup; the notify band in bold red)."""
    a = loc.abl
    if a is None:
        return "—"
    band = esc(a.band.label)
    if a.band is Band.NOTIFY:
        band = f'<font color="{ALERT_HEX}"><b>{band}</b></font>'
    elif a.band is Band.GROUND:
        band = f'<font color="{AMBER_HEX}"><b>{band}</b></font>'
    side = a.side.label if a.side is not Side.OTHER else "other"
    return f"{km(a.distance_km)}\u00a0km · {esc(side)}<br/>{band}"


def locations_cell(locs: tuple[Location, ...], limit: int = 3) -> Lines:
    """Each place (with its radius) and its MGRS below it, in small print."""
    out: list[Line] = []
    for loc in locs[:limit]:
        radius = f" r {loc.radius_m:,} m" if loc.radius_m else ""
        out += [Line(f"{loc.name}{radius}"), Line(mgrs(loc), size=6.5)]
    if len(locs) > limit:
        out.append(Line(f"+{len(locs) - limit} more", colour=GREY))
    return Lines(out or [Line("—")])


def abl_line(loc: Location) -> Line:
    """``3.2 km · Serbia · ≤ 5 km`` as one line, bold red in the 1 km band, amber in 5 km."""
    a = loc.abl
    if a is None:
        return Line("—")
    side = a.side.label if a.side is not Side.OTHER else "other"
    colour = ALERT if a.band is Band.NOTIFY else AMBER if a.band is Band.GROUND else None
    band = a.band.label.replace(" ", "\u00a0")  # "≤ 1 km" never breaks
    return Line(f"{km(a.distance_km)}\u00a0km · {side} · {band}", bold=colour is not None,
                colour=colour)


def abl_cell(locs: tuple[Location, ...], limit: int = 3) -> str:
    """ABL relation of each location (same order as :func:`locations_cell`)."""
    return "<br/>".join(abl_text(loc) for loc in locs[:limit]) or "—"


def plain_abl(locs: tuple[Location, ...], limit: int = 3) -> Lines:
    """:func:`abl_cell` as plain lines (same order as :func:`locations_cell`), wrapped to the
    column: each place's distance and side, then its band; bold red in the 1 km band, amber in
    the 5 km band."""
    out: list[Line] = []
    for loc in locs[:limit]:
        a = loc.abl
        if a is None:
            out.append(Line("—"))
            continue
        side = a.side.label if a.side is not Side.OTHER else "other"
        colour = ALERT if a.band is Band.NOTIFY else AMBER if a.band is Band.GROUND else None
        out += [Line(f"{km(a.distance_km)}\u00a0km · {side}", bold=colour is not None,
                     colour=colour),
                Line(a.band.label.replace(" ", "\u00a0"), bold=colour is not None,
                     colour=colour)]
    return Lines(out or [Line("—")])


def plain_status(rec: Record, now: datetime) -> Plain:
    """:func:`status_cell` as a plain cell (status, then the phase or what is still owed)."""
    if isinstance(rec, ExerciseNotification):
        return Plain(f"{rec.status.label}\n{time_phase(rec.start, rec.end, now).label}")
    if rec.awaiting_communication:
        return Plain(f"{rec.status.label}\nnot yet\ncommunicated", colour=AMBER)
    return Plain(rec.status.label)


def plain_due(rec: ConsentRequest, now: datetime) -> Plain:
    """:func:`due_cell` as a plain cell: red and bold when overdue, amber within 24 h."""
    if rec.is_overdue(now):
        return Plain(f"OVERDUE\n{dtg(rec.decision_due)}", bold=True, colour=ALERT)
    if (rec.decision_due - now).total_seconds() < 24 * 3600:
        return Plain(f"{dtg(rec.decision_due)}\n(< 24 h)", bold=True, colour=AMBER)
    return Plain(dtg(rec.decision_due))


def nearest_abl_km(rec: Record) -> float | None:
    ds = [loc.abl.distance_km for loc in rec.locations if loc.abl is not None]
    return min(ds) if ds else None


def period(start: datetime, end: datetime) -> str:
    return f"{dtg(start)}<br/>–\u00a0{dtg(end)}"


def plain_period(start: datetime, end: datetime) -> Plain:
    """The period as a plain two-line cell (fast in long tables)."""
    return Plain(f"{dtg(start)}\n– {dtg(end)}")


def status_cell(rec: Record, now: datetime) -> str:
    phase = time_phase(rec.start, rec.end, now).label
    if isinstance(rec, ExerciseNotification):
        return f"{esc(rec.status.label)}<br/><font color='{GREY_HEX}'>{esc(phase)}</font>"
    extra = ""
    if rec.awaiting_communication:
        extra = f"<br/><font color='{AMBER_HEX}'>not yet communicated</font>"
    return f"{esc(rec.status.label)}{extra}"


def activity_cell(rec: ExerciseNotification) -> Lines:
    out = [Line(rec.name, bold=True), Line(rec.exercise_type.label)]
    air = ("AIR" + (f" {rec.air_assets}" if rec.air_assets else "")) if rec.has_air else ""
    if rec.live_fire:
        out.append(Line(" · ".join(x for x in ("LIVE FIRE", air) if x), bold=True, colour=ALERT))
    elif air:
        out.append(Line(air, bold=True))
    return Lines(out)


def purpose_cell(rec: ConsentRequest) -> Lines:
    munis = ", ".join(m.label for m in rec.municipalities)
    out = [Line(rec.purpose.label, bold=True), Line(rec.title)]
    if munis:
        out.append(Line(munis, colour=GREY))
    if rec.has_air:
        out.append(Line("AIR" + (f" {rec.air_assets}" if rec.air_assets else ""), bold=True))
    return Lines(out)


def due_cell(rec: ConsentRequest, now: datetime) -> str:
    if rec.is_overdue(now):
        return f"<font color='{ALERT_HEX}'><b>OVERDUE</b><br/>{dtg(rec.decision_due)}</font>"
    left = rec.decision_due - now
    hours = left.total_seconds() / 3600
    soon = f" <font color='{AMBER_HEX}'><b>(&lt; 24 h)</b></font>" if hours < 24 else ""
    return f"{dtg(rec.decision_due)}{soon}"


def yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def count(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def pending_action(rec: Record, now: datetime) -> str:
    """What a pending record needs next (markup)."""
    if isinstance(rec, ExerciseNotification):
        if rec.status.value == "received":
            late = now - rec.received_at
            mark = f" <font color='{ALERT_HEX}'><b>(&gt; 24 h)</b></font>" \
                if late.total_seconds() > 86400 else ""
            return f"Acknowledge receipt to the sender{mark}"
        if rec.status.value == "acknowledged":
            return "Disseminate to KFOR units / regional commands"
        return "Follow up"
    if rec.awaiting_communication:
        return "Communicate the decision to the KSF"
    if rec.is_overdue(now):
        return (f"<font color='{ALERT_HEX}'><b>Decision OVERDUE</b></font> "
                f"(due {dtg(rec.decision_due)})")
    nxt = {
        "received": "Staff to J3 / LEGAD / POLAD",
        "under_review": "Record the recommendation",
        "recommended": "Obtain the decision",
    }.get(rec.status.value, "Follow up")
    return f"{nxt} (due {dtg(rec.decision_due)})"
