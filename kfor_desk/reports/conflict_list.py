"""The conflict list of the briefs: the full table, and the grouped form of the long briefs.

The table gives every conflict a row of its own (activity A and B, distance, overlap, status,
note). The grouped form is the daily brief's and the shift handover's: with hundreds of open
conflicts a row each is ten pages of one record repeated down a column, so the open conflicts
without a note are listed under the record that is in most of them (a KSF request and the
SAF activities it conflicts with), two to a line, each with the other record, the distance
and the overlap window. Reopened, annotated and deconflicted conflicts keep their full rows,
since their notes say why. Nothing is left out or cut. This module does not decide what a
conflict is (the deconfliction engine) or which records a brief lists (``services.briefs``).
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.platypus import Flowable, Paragraph, Table

from kfor_desk.style import PAPER

from . import fmt
from .lines import Line, Lines
from .model import ConflictItem
from .tables import Cell, Plain, data_table, table_style
from .template import ALERT, ALERT_HEX, AMBER, GREY, dtg, styles

PALE_RED = colors.HexColor(PAPER.alert_row)
PALE_AMBER = colors.HexColor(PAPER.caution_row)
CONFLICT_WIDTHS = [70, 70, 44, 130, 52, 144]  # a register number never breaks
GROUP_WIDTHS = [68, 221, 221]  # "SAF-2026-0141  12.3 km  270200ZNOV26 – 271000ZNOV26" fits


def conflict_table(items: Sequence[ConflictItem]) -> Table:
    """One row per conflict, in the given order."""
    header = ["Activity A", "Activity B", "Distance", "Overlap", "Status", "Note"]
    data: list[list[Cell]] = []
    for c in items:
        note: Cell
        if c.reopened:
            status = Plain("REOPENED", bold=True, colour=ALERT)
            note = Lines([Line(f"{c.reopened}.", bold=True, colour=AMBER),
                          Line(f"Earlier note: {c.note or '—'}", colour=GREY)])
        elif c.status == "open":
            status = Plain("OPEN", bold=True, colour=ALERT)
            note = Lines([c.note]) if c.note else Plain("—")
        else:
            status = Plain(c.status.capitalize())
            note = Lines([c.note]) if c.note else Plain("—")
        data.append([Plain(c.a, bold=True), Plain(c.b, bold=True),
                     Plain(f"{fmt.km(c.distance_km)} km"),
                     Plain(f"{dtg(c.overlap_start)} – {dtg(c.overlap_end)}"),
                     status, note])
    return data_table(header, data, CONFLICT_WIDTHS,
                      highlight=lambda i: (PALE_AMBER if items[i].reopened else PALE_RED)
                      if items[i].status == "open" else None)


def _plain_open(c: ConflictItem) -> bool:
    return c.status == "open" and not c.reopened and not c.note


def groups(items: Sequence[ConflictItem]) -> list[tuple[str, list[ConflictItem]]]:
    """Open conflicts without a note under the record that is in most of them (a tie: the
    first of the pair), each group by overlap start; groups by their first overlap."""
    counts: dict[str, int] = {}
    for c in items:
        counts[c.a] = counts.get(c.a, 0) + 1
        counts[c.b] = counts.get(c.b, 0) + 1
    out: dict[str, list[ConflictItem]] = {}
    for c in items:
        key = c.b if counts[c.b] > counts[c.a] else c.a
        out.setdefault(key, []).append(c)
    for key, mine in out.items():
        mine.sort(key=lambda c: (c.overlap_start, c.b if c.a == key else c.a))
    return sorted(out.items(), key=lambda kv: (kv[1][0].overlap_start, kv[0]))


def grouped_table(items: Sequence[ConflictItem]) -> Table:
    """The grouped form of open conflicts without a note (see the module docstring)."""
    rows: list[list[Cell]] = []
    for key, mine in groups(items):
        # en spaces hold an entry together; it may wrap only around its " – "
        entries = [f"{c.b if c.a == key else c.a}\u2002{fmt.km(c.distance_km)}\u00a0km\u2002"
                   f"{dtg(c.overlap_start)} – {dtg(c.overlap_end)}" for c in mine]
        n = len(mine)
        rows.append([Lines([Line(key, bold=True),
                            Line(f"{n} conflict{'' if n == 1 else 's'}", colour=GREY)]),
                     Lines(entries[0::2]), Lines(entries[1::2]) if n > 1 else Plain("")])
    table = data_table(["Record", "In conflict with: record, distance, overlap (DTG – DTG)",
                        ""], rows, GROUP_WIDTHS)
    table.setStyle(table_style([("SPAN", (1, 0), (2, 0))]))
    return table


def conflict_list(items: Sequence[ConflictItem], *, grouped: bool) -> list[Flowable]:
    """Every conflict, ``items`` sorted open first. ``grouped``: the daily brief's form."""
    plain = [c for c in items if _plain_open(c)] if grouped else []
    if len(plain) < 2:
        return [conflict_table(items)]
    st = styles()
    noted = [c for c in items if not _plain_open(c) and c.status == "open"]
    settled = [c for c in items if c.status != "open"]
    out: list[Flowable] = []
    if noted:
        out += [Paragraph(f"<b>Reopened or with a note ({len(noted)})</b>", st.small),
                conflict_table(noted)]
    out += [Paragraph(f"<font color='{ALERT_HEX}'><b>OPEN ({len(plain)})</b></font>, under "
                      "the record in most of them, two to a line, by overlap start:", st.small),
            grouped_table(plain)]
    if settled:
        out += [Paragraph(f"<b>Deconflicted ({len(settled)})</b>", st.small),
                conflict_table(settled)]
    return out
