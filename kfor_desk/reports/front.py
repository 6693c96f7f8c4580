"""Page 1 of the daily brief: what needs the duty officer, not counts.

A DTG-stamped title, the originator and the named duty officer, a one-paragraph picture of the
day beside a small map of the critical items, then one line per critical item — what, where
(place, MGRS, ABL distance), when (DTG window) and status — overdue decisions first, then the
next 24 h, then 24 to 72 h. Each item names every open conflict it is in (never cut); a
reopened conflict is an item of its own, with why it reopened; the Conflicts section lists
every conflict. The item rules are here; the tables of the later sections are in ``daily``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from reportlab.lib import colors
from reportlab.platypus import Flowable, Paragraph, Table

from kfor_desk.domain.records import ConsentRequest, ExerciseNotification, Record, time_phase
from kfor_desk.domain.timefmt import format_dtg, format_dtg_local
from kfor_desk.style import PAPER

from . import fmt
from .lines import Line, Lines
from .model import ConflictItem, DailyBriefData
from .tables import Cell, Plain, data_table, table_style
from .template import ALERT, ALERT_HEX, AMBER, AMBER_HEX, GREY, dtg, esc, gap, heading, para, styles

PALE_RED = colors.HexColor(PAPER.alert_row)
PALE_AMBER = colors.HexColor(PAPER.caution_row)
DAY = timedelta(hours=24)
GROUPS = ("Decisions overdue", "Next 24 h", "24 to 72 h")
HIGH_FLAGS = frozenset({"notify_line", "wrong_side", "live_fire_ground_band"})


@dataclass(frozen=True, slots=True)
class Critical:
    group: int  # index into GROUPS
    order: datetime
    what: tuple[Line, ...]
    where: tuple[Line, ...]
    when: Plain
    status: Lines
    regnos: tuple[str, ...]
    severe: bool = False


def _where(rec: Record, limit: int = 1) -> tuple[Line, ...]:
    """The first ``limit`` places (with a stated radius), each with MGRS and ABL distance,
    then "+N more"."""
    if not rec.locations:
        return (Line("—"),)
    out: list[Line] = []
    for loc in rec.locations[:limit]:
        radius = f" r {loc.radius_m:,} m" if loc.radius_m else ""
        out += [Line(f"{loc.name}{radius}"), Line(fmt.mgrs(loc), size=6.5)]
        if loc.abl is not None:
            out.append(Line(f"{fmt.km(loc.abl.distance_km)} km {loc.abl.side.label}",
                            bold=True))
    if len(rec.locations) > limit:
        out.append(Line(f"+{len(rec.locations) - limit} more", colour=GREY))
    return tuple(out)


def _request_detail(r: ConsentRequest) -> tuple[Line, ...]:
    """What the KSF table showed beside the purpose: the description's first line, the
    municipalities and the air assets."""
    out = [Line(r.title)] if r.title != r.purpose.label else []
    munis = ", ".join(m.label for m in r.municipalities)
    if munis:
        out.append(Line(munis, colour=GREY))
    if r.has_air:
        out.append(Line("AIR" + (f" {r.air_assets}" if r.air_assets else ""), bold=True))
    return tuple(out)


def _activity_detail(n: ExerciseNotification) -> tuple[Line, ...]:
    """What the SAF table showed beside the name: the type, live firing and air assets."""
    air = ("AIR" + (f" {n.air_assets}" if n.air_assets else "")) if n.has_air else ""
    extra = " · ".join(x for x in ("LIVE FIRE" if n.live_fire else "", air) if x)
    return (Line(n.exercise_type.label + (f" · {extra}" if extra else ""),
                 bold=bool(extra)),)


def briefed_activities(data: DailyBriefData) -> frozenset[str]:
    """The SAF activities that are critical items (at the line, live firing within 5 km or
    on the wrong side, starting within the horizon): briefed in full there, not repeated in
    the SAF table."""
    horizon = data.meta.as_of + timedelta(hours=data.horizon_hours)
    marked = {f.register_no for f in data.flags or () if f.flag in HIGH_FLAGS}
    return frozenset(n.register_no or "" for n in data.saf_activities
                     if (n.register_no or "") in marked and n.start <= horizon)


def briefed_requests(data: DailyBriefData) -> frozenset[str]:
    """The open KSF requests that are critical items (decision overdue or due within the
    horizon): briefed in full there, not repeated in the KSF table."""
    now = data.meta.as_of
    horizon = now + timedelta(hours=data.horizon_hours)
    return frozenset(r.register_no or "" for r in data.ksf_requests
                     if r.is_overdue(now) or r.decision_due <= horizon)


def _window(start: datetime, end: datetime) -> Plain:
    return Plain(f"{dtg(start)} –\n{dtg(end)}")


def _group(t: datetime, now: datetime) -> int:
    return 1 if t <= now + DAY else 2


def critical_items(data: DailyBriefData) -> list[Critical]:
    """Overdue decisions, decisions due and not communicated, SAF activity at the line or with
    live firing near it (each with the open conflicts it is in) and reopened conflicts, in
    the next 72 h."""
    now = data.meta.as_of
    horizon = now + timedelta(hours=data.horizon_hours)
    flags: dict[str, set[str]] = {}
    for f in data.flags or ():
        flags.setdefault(f.register_no, set()).add(f.flag)
    out: list[Critical] = []
    briefed = briefed_requests(data)
    for r in data.ksf_requests:
        regno = r.register_no or ""
        if regno not in briefed:
            continue
        overdue = r.is_overdue(now)
        what = (Line(f"{regno} KSF decision " + ("OVERDUE" if overdue else "due"), bold=True,
                     colour=ALERT if overdue else None),
                Line(f"{r.requesting_unit}: {r.purpose.label}"), *_request_detail(r))
        # the KSF table does not repeat these: every place (as there) and the received DTG
        status = Lines([r.status.label, f"due {dtg(r.decision_due)}",
                        Line(f"received {dtg(r.received_at)}", colour=GREY)])
        out.append(Critical(0 if overdue else _group(r.decision_due, now), r.decision_due,
                            what, _where(r, 3), _window(r.start, r.end), status, (regno,),
                            overdue))
    for r in data.decisions:
        if r.awaiting_communication:
            regno = r.register_no or ""
            out.append(Critical(
                1, r.decision.decided_at if r.decision else now,
                (Line(f"{regno} decision {r.status.label} not yet communicated to the KSF",
                      bold=True), Line(r.requesting_unit)), _where(r),
                _window(r.start, r.end), Lines([r.status.label]), (regno,)))
    at_line = briefed_activities(data)
    for n in data.saf_activities:
        regno = n.register_no or ""
        if regno not in at_line:
            continue
        marks = flags.get(regno, set()) & HIGH_FLAGS
        reasons = []
        if "notify_line" in marks:
            reasons.append("within 1 km of the ABL")
        if "live_fire_ground_band" in marks:
            reasons.append("live firing within 5 km")
        if "wrong_side" in marks:
            reasons.append("position on the Kosovo side (check entry)")
        phase = time_phase(n.start, n.end, now).label
        live = "live_fire_ground_band" in marks
        # the SAF table does not repeat these: what it showed is here
        out.append(Critical(
            _group(max(n.start, now), now), n.start,
            (Line(f"{regno} SAF {n.name}", bold=True),
             Line(f"— {', '.join(reasons)}", bold=live, colour=ALERT if live else None),
             *_activity_detail(n), Line(n.units, colour=GREY)), _where(n, 3),
            _window(n.start, n.end),
            Lines([n.status.label, Line(phase, colour=GREY),
                   Line(f"received {dtg(n.received_at)}", colour=GREY)]), (regno,), live))
    partners: dict[str, list[ConflictItem]] = {}
    for c in data.conflicts or ():
        if c.status != "open" or c.overlap_start > horizon:
            continue
        if c.reopened:
            what = (Line(f"Conflict {c.a} / {c.b}", bold=True, colour=ALERT),
                    Line(f"REOPENED {c.reopened}", bold=True, colour=AMBER))
            out.append(Critical(_group(max(c.overlap_start, now), now), c.overlap_start, what,
                                (Line(f"{fmt.km(c.distance_km)} km apart"),),
                                _window(c.overlap_start, c.overlap_end), Lines(["REOPENED"]),
                                (c.a, c.b), True))
        partners.setdefault(c.a, []).append(c)
        partners.setdefault(c.b, []).append(c)
    # an item's open conflicts go on its own line, in full; the Conflicts section lists all
    out = [_with_conflicts(i, partners) for i in out]
    out.sort(key=lambda i: (i.group, i.order, i.regnos))
    return out


def _with_conflicts(item: Critical, partners: dict[str, list[ConflictItem]]) -> Critical:
    if len(item.regnos) != 1 or item.regnos[0] not in partners:
        return item
    me = item.regnos[0]
    mine = sorted(partners[me], key=lambda c: (c.overlap_start, c.a, c.b))
    # "KSF-2026-0121 (0.0 km)" never breaks inside
    text = ", ".join(f"{c.b if c.a == me else c.a}\u00a0({fmt.km(c.distance_km)}\u00a0km)"
                     for c in mine)
    return Critical(item.group, item.order,
                    (*item.what, Line(f"in conflict with {text}", colour=ALERT)),
                    item.where, item.when, item.status, item.regnos, True)


def front_page(data: DailyBriefData, map_inset: Flowable | None,
               items: list[Critical] | None = None) -> list[Flowable]:
    """Page 1 (``items``: :func:`critical_items` of ``data``, if already made)."""
    st = styles()
    meta = data.meta
    now = meta.as_of
    title = f"{esc(meta.title)} {format_dtg(now)}"
    story: list[Flowable] = [
        Paragraph(title, st.h1),
        para(f"<b>{esc(meta.originator or 'Originator not set')}</b> · duty officer "
             f"<b>{esc(meta.operator)}</b> · as of {esc(format_dtg_local(now))}"
             + (f" · decisions since {dtg(data.previous_brief_at)}"
                if data.previous_brief_at else ""), st.small),
        gap(2),
    ]
    items = critical_items(data) if items is None else items
    picture = _picture(data, items)
    if map_inset is not None:
        story.append(Table([[picture, map_inset]], colWidths=[250, 260],
                           style=table_style([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                              ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                              ("RIGHTPADDING", (0, 0), (0, 0), 10)])))
    else:
        story.append(picture)
    story.append(heading("Critical items", len(items)))
    if not items:
        story.append(para("No overdue decision, no decision due, no SAF activity at the line "
                          "and no open conflict in the next 72 h.", st.note))
        return story
    rows: list[list[Cell]] = []
    groups: list[int] = []
    for g in range(len(GROUPS)):
        mine = [i for i in items if i.group == g]
        if not mine:
            continue
        rows.append([f"<b>{GROUPS[g]}</b> ({len(mine)})", "", "", ""])
        groups.append(len(rows) - 1)
        rows += [[Lines(i.what), Lines(i.where), i.when, i.status] for i in mine]
    flat = [None if k in groups else i for k, i in enumerate(_expand(items, rows, groups))]

    def colour(k: int) -> colors.Color | None:
        if k in groups:
            return colors.HexColor(PAPER.shade)
        item = flat[k]
        return PALE_RED if item is not None and item.severe else None

    table = data_table(["What", "Where (place, MGRS, ABL)", "When (DTG)", "Status"], rows,
                       [220, 128, 80, 82], highlight=colour)
    for k in groups:
        table.setStyle(table_style([("SPAN", (0, k + 1), (-1, k + 1))]))
    story.append(table)
    return story


def _expand(items: list[Critical], rows: list[list[Cell]], groups: list[int]
            ) -> list[Critical | None]:
    out: list[Critical | None] = []
    it = iter(items)
    for k in range(len(rows)):
        out.append(None if k in groups else next(it))
    return out


def _picture(data: DailyBriefData, items: list[Critical]) -> Paragraph:
    now = data.meta.as_of
    saf = data.saf_activities
    ksf = data.ksf_requests
    active = sum(1 for r in saf if time_phase(r.start, r.end, now).value == "active")
    overdue = sum(1 for r in ksf if r.is_overdue(now))
    due24 = sum(1 for r in ksf if not r.is_overdue(now) and r.decision_due - now <= DAY)
    open_c = [c for c in data.conflicts or () if c.status == "open"]
    reopened = sum(1 for c in open_c if c.reopened)
    live = sum(1 for r in saf if r.live_fire)
    parts = [
        f"<b>{len(saf)}</b> SAF activities active or starting in the next "
        f"{data.horizon_hours} h (<b>{active}</b> active now, {live} with live firing).",
        f"<b>{len(ksf)}</b> KSF consent requests open: "
        + (f"<font color='{ALERT_HEX}'><b>{overdue} overdue</b></font>, " if overdue else
           "none overdue, ") + f"{due24} due within 24 h.",
        f"<b>{len(data.decisions)}</b> decisions since the previous brief"
        + (f", {sum(1 for r in data.decisions if r.awaiting_communication)} not yet "
           "communicated." if data.decisions else "."),
    ]
    if data.conflicts is None:
        parts.append("Conflict check unavailable.")
    else:
        parts.append(f"<b>{len(open_c)}</b> open conflicts"
                     + (f" (<font color='{AMBER_HEX}'><b>{reopened} reopened</b></font>)"
                        if reopened else "")
                     + " (on the critical items they touch; every one in the Conflicts "
                       "section)"
                     + f"; {len(data.flags or ())} attention flags (routine ones grouped, "
                       "their records in Annex A).")
    parts.append(f"<b>{len(items)}</b> critical items below; the map shows where they are.")
    return Paragraph("<br/>".join(parts), styles().body)

