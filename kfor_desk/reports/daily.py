"""The daily deconfliction brief."""

from __future__ import annotations

from datetime import datetime, timedelta

from reportlab.lib import colors
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Table

from kfor_desk.domain.enums import NOTIFY_LINE_KM
from kfor_desk.domain.records import ConsentRequest, ExerciseNotification
from kfor_desk.style import PAPER

from . import fmt
from .flags import FLAG_LABELS, HIGH, conflicts_block, flag_annex
from .front import briefed_activities, briefed_requests, critical_items, front_page
from .lines import Line, Lines
from .map import map_inset, map_section
from .model import ConflictItem, DailyBriefData
from .tables import Cell, Plain, data_table
from .template import (
    ALERT,
    AMBER,
    GREY,
    build_pdf,
    dtg,
    heading,
    nothing_to_report,
    para,
    styles,
)
from .timeline import timeline_section

PALE_RED = colors.HexColor(PAPER.alert_row)
PALE_AMBER = colors.HexColor(PAPER.caution_row)
__all__ = ["FLAG_LABELS", "HIGH", "conflicts_block", "daily_story", "render_daily_brief"]

def render_daily_brief(data: DailyBriefData) -> bytes:
    """The PDF bytes of the daily deconfliction brief."""
    return build_pdf(data.meta, daily_story(data))


def daily_story(data: DailyBriefData) -> list[Flowable]:
    now = data.meta.as_of
    saf = sorted(data.saf_activities, key=lambda r: (r.start, r.register_no or ""))
    ksf = sorted(data.ksf_requests,
                 key=lambda r: (not r.is_overdue(now), r.decision_due, r.register_no or ""))
    decisions = sorted(data.decisions, key=lambda r: (
        r.decision.decided_at if r.decision else now, r.register_no or ""))
    items = critical_items(data)
    critical = {x for i in items for x in i.regnos}
    inset = map_inset([r for r in data.map_records if (r.register_no or "") in critical],
                      frozenset(_conflict_regnos(data.conflicts)), 260, 190)
    story: list[Flowable] = front_page(data, inset, items)

    # a record briefed as a critical item (with everything its table row showed) is not
    # repeated in its table: the table lists the others and says so
    story += [CondPageBreak(120),
              heading(f"SAF activities active or starting in the next {data.horizon_hours} h",
                      len(saf))]
    briefed = briefed_activities(data)
    rest_saf = [r for r in saf if (r.register_no or "") not in briefed]
    if briefed:
        story.append(para(_briefed_note(
            len(briefed), len(saf), "within 1 km of the ABL, live firing within 5 km of it "
            "or placed on the wrong side", "type, units, every place with MGRS and ABL "
            "distance, period, status, received DTG and open conflicts", "by start"),
            styles().note))
    if rest_saf or not briefed:
        story.append(_saf_table(rest_saf, now) if rest_saf else nothing_to_report())

    story += [CondPageBreak(120), heading("Open KSF consent requests by decision due", len(ksf))]
    briefed = briefed_requests(data)
    rest = [r for r in ksf if (r.register_no or "") not in briefed]
    if briefed:
        story.append(para(_briefed_note(
            len(briefed), len(ksf), f"overdue or due within {data.horizon_hours} h",
            "decision due, status, received DTG, every place with MGRS and ABL distance, "
            "period and open conflicts", "by decision due"), styles().note))
    if rest or not briefed:
        story.append(_ksf_table(rest, now) if rest else nothing_to_report())

    since = f" since {dtg(data.previous_brief_at)}" if data.previous_brief_at else ""
    story += [CondPageBreak(100), heading(f"Decisions{since}", len(decisions))]
    story.append(_decisions_table(decisions) if decisions else nothing_to_report())

    story += [CondPageBreak(100), heading("Conflicts and attention flags")]
    story += conflicts_block(data.conflicts, data.flags, data.conflicts_unavailable,
                             annex=True)

    story += [PageBreak(), heading("Map of the ABL area")]
    story += map_section(data.map_records, now, frozenset(_conflict_regnos(data.conflicts)))

    story += [CondPageBreak(260), heading(f"{data.horizon_hours}-hour timeline")]
    story += timeline_section(data.timeline, now)
    story += flag_annex(data)
    return story


def _briefed_note(n: int, total: int, rule: str, fields: str, order: str) -> str:
    if n == total:
        return (f"All {n} are {rule}: each is briefed under Critical items above ({fields}); "
                "not repeated here.")
    return (f"The {n} {rule} are briefed under Critical items above ({fields}); the other "
            f"{total - n}, {order}:")


def _conflict_regnos(conflicts: tuple[ConflictItem, ...] | None) -> list[str]:
    out: list[str] = []
    for c in conflicts or ():
        if c.status == "open":
            out += [c.a, c.b]
    return out


SAF_WIDTHS = (70, 74, 86, 82, 70, 68, 60)  # a DTG, a status word, "0.8 km · Serbia" never break
KSF_WIDTHS = (70, 62, 86, 96, 68, 68, 60)


def saf_rows(rows: list[ExerciseNotification], now: datetime) -> tuple[list[str], list[list[Cell]]]:
    """Header and cell markup of the SAF table."""
    header = ["Register no.<br/>Received", "Unit(s)", "Activity", "Location (MGRS)",
              "ABL (indicative)", "Period", "Status"]
    data: list[list[Cell]] = [[
        Plain(f"{r.register_no or '—'}\n{dtg(r.received_at)}", bold=True),
        Lines([r.units or "—"]),
        fmt.activity_cell(r),
        fmt.locations_cell(r.locations),
        fmt.plain_abl(r.locations),
        fmt.plain_period(r.start, r.end),
        fmt.plain_status(r, now),
    ] for r in rows]
    return header, data


def _saf_table(rows: list[ExerciseNotification], now: datetime) -> Table:
    header, data = saf_rows(rows, now)

    def colour(i: int) -> colors.Color | None:
        km = fmt.nearest_abl_km(rows[i])
        return PALE_RED if km is not None and km <= NOTIFY_LINE_KM else None

    return data_table(header, data, SAF_WIDTHS, highlight=colour)


def ksf_rows(rows: list[ConsentRequest], now: datetime) -> tuple[list[str], list[list[Cell]]]:
    """Header and cell markup of the KSF table."""
    header = ["Register no.<br/>Received", "Requesting unit", "Purpose", "Location (MGRS) · ABL",
              "Period", "Decision due", "Status"]
    data: list[list[Cell]] = [[
        Plain(f"{r.register_no or '—'}\n{dtg(r.received_at)}", bold=True),
        Lines([r.requesting_unit or "—"]),
        fmt.purpose_cell(r),
        _loc_with_abl(r),
        fmt.plain_period(r.start, r.end),
        fmt.plain_due(r, now),
        fmt.plain_status(r, now),
    ] for r in rows]
    return header, data


def _ksf_table(rows: list[ConsentRequest], now: datetime) -> Table:
    header, data = ksf_rows(rows, now)

    def colour(i: int) -> colors.Color | None:
        if rows[i].is_overdue(now):
            return PALE_RED
        return PALE_AMBER if rows[i].decision_due - now <= timedelta(hours=24) else None

    return data_table(header, data, KSF_WIDTHS, highlight=colour)


def _loc_with_abl(r: ConsentRequest) -> Lines:
    out: list[Line] = []
    for loc in r.locations[:3]:
        out += [Line(loc.name), Line(fmt.mgrs(loc), size=6.5)]
        if loc.abl is not None:
            out.append(fmt.abl_line(loc))
    if len(r.locations) > 3:
        out.append(Line(f"+{len(r.locations) - 3} more", colour=GREY))
    return Lines(out or [Line("—")])


def _decisions_table(rows: list[ConsentRequest]) -> Table:
    header = ["Register no.", "Requesting unit · purpose", "Decision", "Authority · decided",
              "Conditions / rationale", "Communicated"]
    data: list[list[Cell]] = []
    for r in rows:
        d = r.decision
        denied = r.status.value == "denied"
        regno = Plain(r.register_no or "—", bold=True)
        status = Lines([Line(r.status.label, bold=True, colour=ALERT if denied else None)])
        if d is None:
            data.append([regno, Lines([r.requesting_unit]), status, Plain("—"), Plain("—"),
                         Plain("—")])
            continue
        comm = (Lines([dtg(d.communicated_at), d.communicated_via]) if d.communicated_at
                else Plain("not yet", bold=True, colour=AMBER))
        data.append([
            regno,
            Lines([r.requesting_unit, Line(r.purpose.label, colour=GREY)]),
            status,
            Lines([d.authority, dtg(d.decided_at)]),
            Lines([d.conditions or d.rationale or "—"]),
            comm,
        ])
    return data_table(header, data, [70, 95, 70, 75, 135, 65])
