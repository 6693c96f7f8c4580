"""The daily deconfliction brief."""

from __future__ import annotations

from datetime import datetime, timedelta

from reportlab.lib import colors
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Paragraph, Table

from kfor_desk.domain.records import ConsentRequest, ExerciseNotification, time_phase
from kfor_desk.domain.timefmt import format_dtg_local
from kfor_desk.style import PAPER

from . import fmt
from .map import map_section
from .model import ConflictItem, DailyBriefData, FlagItem
from .template import (
    ALERT,
    ALERT_HEX,
    AMBER_HEX,
    GREY_HEX,
    LIGHT,
    NAVY,
    build_pdf,
    bullets,
    data_table,
    dtg,
    esc,
    gap,
    heading,
    nothing_to_report,
    para,
    styles,
    table_style,
    unavailable,
)
from .timeline import timeline_section

PALE_RED = colors.HexColor(PAPER.alert_row)
PALE_AMBER = colors.HexColor(PAPER.caution_row)

FLAG_LABELS = {
    "notify_line": "SAF within 1 km of the ABL",
    "ground_band": "SAF within 5 km (ground band)",
    "air_band": "SAF air activity within 25 km",
    "live_fire_ground_band": "SAF live firing within 5 km",
    "wrong_side": "SAF position on the Kosovo side (check entry)",
    "ksf_near_abl": "KSF activity within 5 km of the ABL",
    "ksf_air": "KSF air activity in the north",
    "due_soon": "Consent request due within 24 h",
    "overdue": "Consent request overdue",
    "unacknowledged": "Notification not acknowledged within 24 h",
}
_HIGH = frozenset({"notify_line", "wrong_side", "overdue", "live_fire_ground_band"})


def render_daily_brief(data: DailyBriefData) -> bytes:
    """The PDF bytes of the daily deconfliction brief."""
    return build_pdf(data.meta, daily_story(data))


def daily_story(data: DailyBriefData) -> list[Flowable]:
    st = styles()
    now = data.meta.as_of
    saf = sorted(data.saf_activities, key=lambda r: (r.start, r.register_no or ""))
    ksf = sorted(data.ksf_requests,
                 key=lambda r: (not r.is_overdue(now), r.decision_due, r.register_no or ""))
    decisions = sorted(data.decisions, key=lambda r: (
        r.decision.decided_at if r.decision else now, r.register_no or ""))
    story: list[Flowable] = [
        Paragraph(esc(data.meta.title), st.h1),
        para(f"As of <b>{esc(format_dtg_local(now))}</b>"
             + (f" · decisions since the previous brief of {esc(dtg(data.previous_brief_at))}"
                if data.previous_brief_at else ""), st.small),
        gap(2),
    ]
    story.append(_summary(data, saf, ksf, decisions))
    story += [heading("Key points")]
    story += bullets(esc(k) for k in data.key_points) if data.key_points else [nothing_to_report()]

    story += [CondPageBreak(120),
              heading(f"SAF activities active or starting in the next {data.horizon_hours} h",
                      len(saf))]
    story.append(_saf_table(saf, now) if saf else nothing_to_report())

    story += [CondPageBreak(120), heading("Open KSF consent requests by decision due", len(ksf))]
    story.append(_ksf_table(ksf, now) if ksf else nothing_to_report())

    since = f" since {dtg(data.previous_brief_at)}" if data.previous_brief_at else ""
    story += [CondPageBreak(100), heading(f"Decisions{since}", len(decisions))]
    story.append(_decisions_table(decisions) if decisions else nothing_to_report())

    story += [CondPageBreak(100), heading("Conflicts and attention flags")]
    story += conflicts_block(data.conflicts, data.flags, data.conflicts_unavailable)

    story += [PageBreak(), heading("Map of the ABL area")]
    story += map_section(data.map_records, now, frozenset(_conflict_regnos(data.conflicts)))

    story += [CondPageBreak(260), heading("Seven-day timeline")]
    story += timeline_section(data.timeline, now)
    return story


def _conflict_regnos(conflicts: tuple[ConflictItem, ...] | None) -> list[str]:
    out: list[str] = []
    for c in conflicts or ():
        if c.status == "open":
            out += [c.a, c.b]
    return out


def _summary(data: DailyBriefData, saf: list[ExerciseNotification], ksf: list[ConsentRequest],
             decisions: list[ConsentRequest]) -> Table:
    now = data.meta.as_of
    active = sum(1 for r in saf if time_phase(r.start, r.end, now).value == "active")
    overdue = sum(1 for r in ksf if r.is_overdue(now))
    due24 = sum(1 for r in ksf
                if not r.is_overdue(now) and r.decision_due - now <= timedelta(hours=24))
    conflicts = ("n/a" if data.conflicts is None
                 else str(sum(1 for c in data.conflicts if c.status == "open")))
    flags = "n/a" if data.flags is None else str(len(data.flags))
    tiles = [
        (str(len(saf)), f"SAF activities<br/>next {data.horizon_hours} h", False),
        (str(active), "SAF active<br/>now", False),
        (str(len(ksf)), "KSF requests<br/>open", False),
        (str(overdue), "KSF requests<br/>overdue", overdue > 0),
        (str(due24), "KSF due<br/>within 24 h", due24 > 0),
        (str(len(decisions)), "Decisions<br/>since last brief", False),
        (conflicts, "Open<br/>conflicts", conflicts not in ("0", "n/a")),
        (flags, "Attention<br/>flags", False),
    ]
    st = styles()
    nums = [Paragraph(f"<font size='15'><b>{esc(n)}</b></font>", st.centre) for n, _, _ in tiles]
    labels = [Paragraph(f"<font size='6.5' color='{GREY_HEX}'>{lbl}</font>", st.centre)
              for _, lbl, _ in tiles]
    width = 510 / len(tiles)
    cmds: list[tuple[object, ...]] = [
        ("BACKGROUND", (0, 0), (-1, -1), LIGHT),
        ("LINEAFTER", (0, 0), (-2, -1), 1.5, colors.white),
        ("LINEABOVE", (0, 0), (-1, 0), 2, NAVY),
        ("TOPPADDING", (0, 0), (-1, 0), 5),
        ("BOTTOMPADDING", (0, 0), (-1, 0), 0),
        ("BOTTOMPADDING", (0, 1), (-1, 1), 5),
    ]
    for i, (_, _, alert) in enumerate(tiles):
        if alert:
            cmds += [("BACKGROUND", (i, 0), (i, -1), PALE_RED),
                     ("LINEABOVE", (i, 0), (i, 0), 2, ALERT)]
    return Table([nums, labels], colWidths=[width] * len(tiles), style=table_style(cmds))


SAF_WIDTHS = (70, 78, 95, 82, 55, 68, 62)
KSF_WIDTHS = (70, 68, 92, 98, 66, 64, 52)


def saf_rows(rows: list[ExerciseNotification], now: datetime) -> tuple[list[str], list[list[str]]]:
    """Header and cell markup of the SAF table."""
    header = ["Register no.<br/>Received", "Unit(s)", "Activity", "Location (MGRS)",
              "ABL (indicative)", "Period", "Status"]
    data = [[
        f"<b>{esc(r.register_no or '—')}</b><br/>{dtg(r.received_at)}",
        esc(r.units) or "—",
        fmt.activity_cell(r),
        fmt.locations_cell(r.locations),
        fmt.abl_cell(r.locations),
        fmt.period(r.start, r.end),
        fmt.status_cell(r, now),
    ] for r in rows]
    return header, data


def _saf_table(rows: list[ExerciseNotification], now: datetime) -> Table:
    header, data = saf_rows(rows, now)

    def colour(i: int) -> colors.Color | None:
        km = fmt.nearest_abl_km(rows[i])
        return PALE_RED if km is not None and km <= 1.0 else None

    return data_table(header, data, SAF_WIDTHS, highlight=colour)


def ksf_rows(rows: list[ConsentRequest], now: datetime) -> tuple[list[str], list[list[str]]]:
    """Header and cell markup of the KSF table."""
    header = ["Register no.<br/>Received", "Requesting unit", "Purpose", "Location (MGRS) · ABL",
              "Period", "Decision due", "Status"]
    data = [[
        f"<b>{esc(r.register_no or '—')}</b><br/>{dtg(r.received_at)}",
        esc(r.requesting_unit) or "—",
        fmt.purpose_cell(r),
        _loc_with_abl(r),
        fmt.period(r.start, r.end),
        fmt.due_cell(r, now),
        fmt.status_cell(r, now),
    ] for r in rows]
    return header, data


def _ksf_table(rows: list[ConsentRequest], now: datetime) -> Table:
    header, data = ksf_rows(rows, now)

    def colour(i: int) -> colors.Color | None:
        if rows[i].is_overdue(now):
            return PALE_RED
        return PALE_AMBER if rows[i].decision_due - now <= timedelta(hours=24) else None

    return data_table(header, data, KSF_WIDTHS, highlight=colour)


def _loc_with_abl(r: ConsentRequest) -> str:
    parts = []
    for loc in r.locations[:3]:
        abl = ""
        if loc.abl is not None:
            abl = f"<br/>{fmt.abl_text(loc).replace('<br/>', ' · ')}"
        parts.append(f"{esc(loc.name)}<br/><font size='6.5'>{esc(fmt.mgrs(loc))}</font>{abl}")
    if len(r.locations) > 3:
        parts.append(f"<i>+{len(r.locations) - 3} more</i>")
    return "<br/>".join(parts) or "—"


def _decisions_table(rows: list[ConsentRequest]) -> Table:
    header = ["Register no.", "Requesting unit · purpose", "Decision", "Authority · decided",
              "Conditions / rationale", "Communicated"]
    data = []
    for r in rows:
        d = r.decision
        status = esc(r.status.label)
        if r.status.value == "denied":
            status = f"<font color='{ALERT_HEX}'><b>{status}</b></font>"
        else:
            status = f"<b>{status}</b>"
        if d is None:
            data.append([f"<b>{esc(r.register_no or '—')}</b>", esc(r.requesting_unit), status,
                         "—", "—", "—"])
            continue
        text = d.conditions or d.rationale or "—"
        comm = (f"{dtg(d.communicated_at)}<br/>{esc(d.communicated_via)}" if d.communicated_at
                else f"<font color='{AMBER_HEX}'><b>not yet</b></font>")
        data.append([
            f"<b>{esc(r.register_no or '—')}</b>",
            f"{esc(r.requesting_unit)}<br/><font color='{GREY_HEX}'>{esc(r.purpose.label)}</font>",
            status,
            f"{esc(d.authority)}<br/>{dtg(d.decided_at)}",
            esc(text),
            comm,
        ])
    return data_table(header, data, [70, 95, 70, 75, 135, 65])


def conflicts_block(conflicts: tuple[ConflictItem, ...] | None,
                    flags: tuple[FlagItem, ...] | None, reason: str) -> list[Flowable]:
    """The conflicts and attention flags, or a plain sentence when the engine is missing."""
    st = styles()
    if conflicts is None and flags is None:
        return [unavailable("Conflicts and attention flags", reason)]
    out: list[Flowable] = []
    items = sorted(conflicts or (), key=lambda c: (c.status != "open", c.overlap_start, c.a, c.b))
    out += [CondPageBreak(60), Paragraph(f"<b>Conflicts</b> ({len(items)})", st.h3)]
    if conflicts is None:
        out.append(unavailable("Conflicts", reason))
    elif not items:
        out.append(nothing_to_report())
    else:
        header = ["Activity A", "Activity B", "Distance", "Overlap", "Status", "Note"]
        data = [[
            f"<b>{esc(c.a)}</b>", f"<b>{esc(c.b)}</b>", f"{c.distance_km:.1f} km",
            fmt.period(c.overlap_start, c.overlap_end),
            (f"<font color='{ALERT_HEX}'><b>OPEN</b></font>" if c.status == "open"
             else esc(c.status.capitalize())),
            esc(c.note) or "—",
        ] for c in items]
        out.append(data_table(header, data, [70, 70, 50, 70, 60, 190],
                              highlight=lambda i: PALE_RED if items[i].status == "open"
                              else None))
    fl = sorted(flags or (), key=lambda f: (f.flag not in _HIGH, f.register_no, f.flag))
    out += [CondPageBreak(60), Paragraph(f"<b>Attention flags</b> ({len(fl)})", st.h3)]
    if flags is None:
        out.append(unavailable("Attention flags", reason))
    elif not fl:
        out.append(nothing_to_report())
    else:
        data = [[f"<b>{esc(f.register_no)}</b>",
                 esc(FLAG_LABELS.get(f.flag, f.flag.replace("_", " "))),
                 esc(f.detail) or "—"] for f in fl]
        out.append(data_table(["Register no.", "Flag", "Detail"], data, [70, 170, 270],
                              highlight=lambda i: PALE_RED if fl[i].flag in _HIGH else None))
    return out
