"""The shift handover: what changed since a time (from the audit trail), what is pending."""

from __future__ import annotations

from datetime import datetime

from reportlab.lib import colors
from reportlab.platypus import CondPageBreak, Flowable, Paragraph

from kfor_desk.domain.records import ConsentRequest, ExerciseNotification, Record
from kfor_desk.domain.timefmt import format_dtg_local

from . import fmt
from .flags import PALE_RED, conflicts_block
from .model import HandoverData, HistoryEntry
from .record_sheet import history_table, sign_off_block
from .tables import data_table
from .template import GREY_HEX, build_pdf, dtg, esc, gap, heading, nothing_to_report, para, styles


def render_handover(data: HandoverData) -> bytes:
    """The PDF bytes of the shift handover."""
    return build_pdf(data.meta, handover_story(data))


def handover_story(data: HandoverData) -> list[Flowable]:
    st = styles()
    now = data.meta.as_of
    people = sorted({e.operator for e in data.changes if e.operator})
    records = sorted({e.register_no for e in data.changes if e.register_no})
    story: list[Flowable] = [
        Paragraph(esc(data.meta.title), st.h1),
        para(f"Changes from <b>{esc(format_dtg_local(data.since))}</b> to "
             f"<b>{esc(format_dtg_local(now))}</b>", st.small),
        gap(2),
        heading("Summary"),
        para(f"{len(data.changes):,} audited change(s) to {len(records):,} record(s)"
             + (f" by {esc(', '.join(people))}" if people else "")
             + f"; {len(data.pending)} item(s) pending."),
    ]
    pending = sorted(data.pending, key=lambda r: _urgency(r, now))
    story += [CondPageBreak(100), heading("Pending", len(pending))]
    if pending:
        header = ["Register no.", "Record", "Status", "Period", "Needed next"]
        rows = [[
            f"<b>{esc(r.register_no or '—')}</b>",
            _what(r),
            fmt.status_cell(r, now),
            fmt.period(r.start, r.end),
            fmt.pending_action(r, now),
        ] for r in pending]

        def colour(i: int) -> colors.Color | None:
            r = pending[i]
            return PALE_RED if isinstance(r, ConsentRequest) and r.is_overdue(now) else None

        story.append(data_table(header, rows, [70, 150, 70, 68, 152],
                                highlight=colour))
    else:
        story.append(nothing_to_report())
    if data.conflicts is not None or data.flags is not None:
        story += [CondPageBreak(100), heading("Conflicts and attention flags")]
        story += conflicts_block(
            tuple(c for c in data.conflicts or () if c.status == "open")
            if data.conflicts is not None else None,
            data.flags, data.conflicts_unavailable, annex=True,
            where_listed="in the daily brief's Annex A")
    else:
        story += [heading("Conflicts and attention flags")]
        story += conflicts_block(None, None, data.conflicts_unavailable)
    bulk, single = split_bulk(data.changes)
    story += [CondPageBreak(100), heading(f"Changes since {dtg(data.since)}", len(data.changes))]
    if bulk:
        story.append(data_table(
            ["When (UTC)", "Bulk change", "Operator · workstation"],
            [[dtg(b[0].at), f"<b>{esc(b[0].action)}</b> {len(b):,} records"
              + (f" — {esc(b[0].reason)}" if b[0].reason else "")
              + f"<br/><font color='{GREY_HEX}'>{esc(_span(b))}</font>",
              f"{esc(b[0].operator)}<br/><font color='{GREY_HEX}'>{esc(b[0].workstation)}</font>"]
             for b in bulk], [70, 320, 120]))
    if single:
        story.append(history_table(tuple(single), with_record=True, brief_creates=True))
    elif not bulk:
        story.append(nothing_to_report())
    story += [CondPageBreak(190), gap(4), sign_off_block(data.meta.operator)]
    return story


BULK = 10  # entries of one action, operator and time that read as one bulk change


def split_bulk(changes: tuple[HistoryEntry, ...]
               ) -> tuple[list[list[HistoryEntry]], list[HistoryEntry]]:
    """Bulk changes (an import, a demo: many records at the same time by the same operator)
    apart from the individual ones."""
    groups: dict[tuple[object, ...], list[HistoryEntry]] = {}
    for e in changes:
        groups.setdefault((e.at, e.operator, e.workstation, e.action, e.reason), []).append(e)
    bulk = [g for g in groups.values() if len(g) >= BULK]
    ids = {id(e) for g in bulk for e in g}
    return (sorted(bulk, key=lambda g: g[0].at),
            [e for e in changes if id(e) not in ids])


def _span(group: list[HistoryEntry]) -> str:
    regnos = sorted(e.register_no for e in group if e.register_no)
    if not regnos:
        return ""
    saf = [r for r in regnos if r.startswith("SAF")]
    ksf = [r for r in regnos if r.startswith("KSF")]
    parts = []
    if saf:
        parts.append(f"{len(saf):,} SAF notifications ({saf[0]} to {saf[-1]})")
    if ksf:
        parts.append(f"{len(ksf):,} KSF requests ({ksf[0]} to {ksf[-1]})")
    return "; ".join(parts) + "; each record's sheet lists its fields"


def _what(r: Record) -> str:
    if isinstance(r, ExerciseNotification):
        return f"<b>SAF</b> {esc(r.name)}<br/><font color='{GREY_HEX}'>{esc(r.units)}</font>"
    return (f"<b>KSF</b> {esc(r.requesting_unit)}<br/><font color='{GREY_HEX}'>"
            f"{esc(r.purpose.label)}</font>")


def _urgency(r: Record, now: datetime) -> tuple[int, datetime, str]:
    if isinstance(r, ConsentRequest):
        rank = 0 if r.is_overdue(now) else 1
        return rank, r.decision_due, r.register_no or ""
    return 2, r.received_at, r.register_no or ""
