"""The shift handover: what changed since a time (from the audit trail), what is pending."""

from __future__ import annotations

from datetime import datetime

from reportlab.lib import colors
from reportlab.platypus import CondPageBreak, Flowable, Paragraph

from kfor_desk.domain.records import ConsentRequest, ExerciseNotification, Record
from kfor_desk.domain.timefmt import format_dtg_local

from . import fmt
from .flags import PALE_RED, conflicts_block
from .model import HandoverData
from .record_sheet import history_table
from .template import build_pdf, data_table, dtg, esc, gap, heading, nothing_to_report, para, styles


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
        para(f"{len(data.changes)} audited change(s) to {len(records)} record(s)"
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
            data.flags, data.conflicts_unavailable)
    else:
        story += [heading("Conflicts and attention flags")]
        story += conflicts_block(None, None, data.conflicts_unavailable)
    story += [CondPageBreak(100), heading(f"Changes since {dtg(data.since)}", len(data.changes))]
    story.append(history_table(data.changes, with_record=True, brief_creates=True) if data.changes
                 else nothing_to_report())
    return story


def _what(r: Record) -> str:
    if isinstance(r, ExerciseNotification):
        return f"<b>SAF</b> {esc(r.name)}<br/><font color='#5b6470'>{esc(r.units)}</font>"
    return (f"<b>KSF</b> {esc(r.requesting_unit)}<br/><font color='#5b6470'>"
            f"{esc(r.purpose.label)}</font>")


def _urgency(r: Record, now: datetime) -> tuple[int, datetime, str]:
    if isinstance(r, ConsentRequest):
        rank = 0 if r.is_overdue(now) else 1
        return rank, r.decision_due, r.register_no or ""
    return 2, r.received_at, r.register_no or ""
