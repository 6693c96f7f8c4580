"""Conflicts and attention flags in the briefs, and Annex A of the daily brief.

Every conflict is listed (open first; a reopened one says why it reopened). Flags that need
the duty officer (at the line, on the wrong side, live firing near the line, overdue) are
listed one by one; routine flags (air band, ground band, KSF near the line, due soon,
unacknowledged) are grouped with a count, and the daily brief lists their records in Annex A.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Paragraph, Table

from kfor_desk.style import PAPER

from . import fmt
from .conflict_list import conflict_list
from .lines import Lines
from .model import ConflictItem, DailyBriefData, FlagItem
from .tables import Plain, data_table, table_style
from .template import (
    FONT,
    esc,
    fit_text,
    heading,
    nothing_to_report,
    styles,
    unavailable,
)

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
GROUP_LABELS = {
    "ground_band": "SAF activities within 5 km (ground band)",
    "air_band": "SAF air activities within 25 km",
    "ksf_near_abl": "KSF activities within 5 km of the ABL",
    "ksf_air": "KSF air activities in the north",
    "due_soon": "consent requests due within 24 h",
    "unacknowledged": "notifications not acknowledged within 24 h",
}
HIGH = frozenset({"notify_line", "wrong_side", "overdue", "live_fire_ground_band"})
HIGH_ORDER = ("overdue", "notify_line", "live_fire_ground_band", "wrong_side")


def label(flag: str) -> str:
    return FLAG_LABELS.get(flag, flag.replace("_", " "))


def conflicts_block(conflicts: tuple[ConflictItem, ...] | None,
                    flags: tuple[FlagItem, ...] | None, reason: str, *,
                    annex: bool = False,
                    where_listed: str = "listed in Annex A") -> list[Flowable]:
    """The conflicts and attention flags, or a plain sentence when the engine is missing.
    ``annex``: the long briefs' form (daily brief and shift handover): open conflicts
    grouped by record, flags that need the duty officer one table per flag, routine flags
    counted here and listed in the daily brief's Annex A."""
    st = styles()
    if conflicts is None and flags is None:
        return [unavailable("Conflicts and attention flags", reason)]
    out: list[Flowable] = []
    items = sorted(conflicts or (), key=lambda c: (c.status != "open", c.overlap_start, c.a, c.b))
    out += [CondPageBreak(60), heading("Conflicts", len(items), level=1)]
    if conflicts is None:
        out.append(unavailable("Conflicts", reason))
    elif not items:
        out.append(nothing_to_report())
    else:
        out += conflict_list(items, grouped=annex)
    fl = sorted(flags or (), key=lambda f: (f.flag not in HIGH, f.register_no, f.flag))
    high = [f for f in fl if f.flag in HIGH or not annex]
    routine = [f for f in fl if f.flag not in HIGH and annex]
    out += [CondPageBreak(60), heading("Attention flags", len(fl), level=1)]
    if flags is None:
        out.append(unavailable("Attention flags", reason))
    elif not fl:
        out.append(nothing_to_report())
    else:
        if high and annex:
            out += _high_by_flag(high)
        elif high:
            data = [[Plain(f.register_no, bold=True), Plain(label(f.flag)),
                     Lines([f.detail or "—"])] for f in high]
            out.append(data_table(["Register no.", "Flag", "Detail"], data, [70, 168, 272],
                                  highlight=lambda i: PALE_RED if high[i].flag in HIGH
                                  else None))
        if routine:
            counts: dict[str, int] = {}
            for f in routine:
                counts[f.flag] = counts.get(f.flag, 0) + 1
            rows = [[f"<b>{n}</b>", esc(GROUP_LABELS.get(flag, label(flag))),
                     esc(where_listed)] for flag, n in sorted(
                         counts.items(), key=lambda kv: (-kv[1], kv[0]))]
            out += [Paragraph("Routine flags, grouped:", st.h3),
                    data_table(["Count", "Flag", "Records"], rows, [50, 300, 160])]
    return out


def _high_by_flag(high: list[FlagItem]) -> list[Flowable]:
    """The daily brief's flags that need the duty officer, one table per flag (most urgent
    first), register number and detail: the flag's name is said once above its records
    instead of on every row, and the detail gets the width of the page."""
    st = styles()
    by_flag: dict[str, list[FlagItem]] = {}
    for f in high:
        by_flag.setdefault(f.flag, []).append(f)
    out: list[Flowable] = []
    for flag in sorted(by_flag, key=lambda k: (HIGH_ORDER.index(k) if k in HIGH_ORDER
                                               else len(HIGH_ORDER), k)):
        mine = by_flag[flag]
        data = [[Plain(f.register_no, bold=True), Lines([f.detail or "—"])] for f in mine]
        out += [CondPageBreak(50),
                Paragraph(f"{esc(label(flag))} ({len(mine)})", st.h3),
                data_table(["Register no.", "Detail"], data, [70, 440],
                           highlight=lambda i: PALE_RED)]
    return out


def flag_annex(data: DailyBriefData) -> list[Flowable]:
    """Annex A: the records of each routine flag, place and ABL distance, three to a row."""
    routine: dict[str, list[FlagItem]] = {}
    for f in data.flags or ():
        if f.flag not in HIGH:
            routine.setdefault(f.flag, []).append(f)
    if not routine:
        return []
    st = styles()
    records = {r.register_no: r for r in (*data.flagged_records, *data.map_records)}
    out: list[Flowable] = [PageBreak(), heading("Annex A: routine attention flags"),
                           Paragraph("The records behind each grouped flag of the section "
                                     "Conflicts and attention flags: register number, first "
                                     "place and its distance to the ABL.", st.small)]
    for flag, items in sorted(routine.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        cells = []
        for f in sorted(items, key=lambda f: f.register_no):
            rec = records.get(f.register_no)
            where = ""
            if rec is not None and rec.locations:
                loc = rec.locations[0]
                km = f" · {fmt.km(loc.abl.distance_km)} km" if loc.abl is not None else ""
                where = fit_text(loc.name, FONT, 7, 160 - 58 - stringWidth(km, FONT, 7)) + km
            cells.append(f"{f.register_no}  {where}")
        rows = [cells[k:k + 3] + [""] * (3 - len(cells[k:k + 3]))
                for k in range(0, len(cells), 3)]
        out += [CondPageBreak(50),
                heading(f"{len(items)} {GROUP_LABELS.get(flag, label(flag))}", level=1),
                Table(rows, colWidths=[170, 170, 170], hAlign="LEFT",
                      style=table_style([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                         ("LEFTPADDING", (0, 0), (-1, -1), 2),
                                         ("TOPPADDING", (0, 0), (-1, -1), 1),
                                         ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))]
    return out
