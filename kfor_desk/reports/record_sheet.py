"""The record sheet: one notification or request, every field, its full history and, for a
request, a decision block for signature."""

from __future__ import annotations

from datetime import datetime

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Table

from kfor_desk.domain.records import (
    ConsentRequest,
    ExerciseNotification,
    Location,
    Record,
    time_phase,
)
from kfor_desk.domain.timefmt import format_dtg_local

from . import fmt
from .flags import conflicts_block
from .map import map_inset
from .model import HistoryEntry, RecordSheetData
from .tables import data_table, field_table, table_style
from .template import (
    ALERT_HEX,
    AMBER_HEX,
    GREY_HEX,
    NAVY,
    RULE,
    build_pdf,
    dtg,
    esc,
    gap,
    heading,
    nothing_to_report,
    para,
    styles,
)

Group = tuple[str, list[tuple[str, str, str]]]  # title, [(field name, label, markup)]
LABEL_W = 130.0


def render_record_sheet(data: RecordSheetData) -> bytes:
    """The PDF bytes of the record sheet."""
    return build_pdf(data.meta, record_sheet_story(data))


def when(value: datetime | None) -> str:
    return esc(format_dtg_local(value)) if value is not None else "—"


def txt(value: str | None) -> str:
    return esc(value) if value else "—"


def record_groups(rec: Record, now: datetime) -> list[Group]:
    """The fields of ``rec`` in groups, each as (field name, label, markup)."""
    if isinstance(rec, ExerciseNotification):
        return _saf_groups(rec, now)
    return _ksf_groups(rec, now)


def _saf_groups(r: ExerciseNotification, now: datetime) -> list[Group]:
    phase = time_phase(r.start, r.end, now).label
    return [
        ("Identification", [
            ("register_no", "Register number", f"<b>{txt(r.register_no)}</b>"),
            ("sender_ref", "Sender's reference", txt(r.sender_ref)),
            ("channel", "Channel", esc(r.channel.label)),
            ("received_at", "Received at", when(r.received_at)),
            ("received_by", "Received by", txt(r.received_by)),
        ]),
        ("Exercise", [
            ("name", "Exercise name", f"<b>{txt(r.name)}</b>"),
            ("exercise_type", "Type", esc(r.exercise_type.label)),
            ("units", "Units taking part", txt(r.units)),
            ("personnel", "Personnel", fmt.count(r.personnel)),
            ("vehicles", "Vehicles", fmt.count(r.vehicles)),
            ("weapon_systems", "Weapon systems", txt(r.weapon_systems)),
            ("live_fire", "Live fire",
             f"<font color='{ALERT_HEX}'><b>Yes</b></font>" if r.live_fire else "No"),
            ("air_assets", "Air assets", txt(r.air_assets) if r.air_assets else "None"),
        ]),
        ("Period", [
            ("start", "Start", when(r.start)),
            ("end", "End", when(r.end)),
            ("", "Phase (as of)", esc(phase)),
        ]),
        ("Status", [
            ("status", "Status", f"<b>{esc(r.status.label)}</b>"),
            ("acknowledged_at", "Acknowledged at", when(r.acknowledged_at)),
            ("disseminated_at", "Disseminated at", when(r.disseminated_at)),
            ("disseminated_to", "Disseminated to", txt(r.disseminated_to)),
            ("cancelled_at", "Cancelled at", when(r.cancelled_at)),
            ("cancel_reason", "Cancellation reason", txt(r.cancel_reason)),
        ]),
        ("KFOR follow-up", [
            ("patrols", "Patrols", esc(r.patrols.label)),
            ("liaison_contact", "Liaison contact", txt(r.liaison_contact)),
            ("notes", "Notes", txt(r.notes)),
        ]),
    ]


def decision_state(r: ConsentRequest, now: datetime) -> str:
    """Where the decision stands (markup): an undecided request whose period has passed is not
    "Completed" — it had no decision."""
    if r.status.is_decided:
        extra = (f" · <font color='{AMBER_HEX}'><b>not yet communicated to the KSF</b></font>"
                 if r.awaiting_communication else "")
        return f"<b>Decided: {esc(r.status.label)}</b>{extra}"
    if r.status.value == "withdrawn":
        return "<b>Withdrawn</b> by the KSF (no decision needed)"
    state = f"<b>Undecided</b> ({esc(r.status.label)})"
    if r.is_overdue(now):
        state = (f"<font color='{ALERT_HEX}'><b>UNDECIDED — decision OVERDUE</b></font> since "
                 f"{dtg(r.decision_due)} ({esc(r.status.label)})")
    if r.end < now:
        state += " · the requested period has passed without a decision"
    elif r.start <= now:
        state += " · the requested period has begun without a decision"
    return state


def _ksf_groups(r: ConsentRequest, now: datetime) -> list[Group]:
    phase = time_phase(r.start, r.end, now).label
    if not r.status.is_decided and r.status.value != "withdrawn":
        phase = f"{phase} (period)" if r.end >= now else "Period passed, never decided"
    due = when(r.decision_due)
    if r.is_overdue(now):
        due = f"<font color='{ALERT_HEX}'><b>OVERDUE</b></font> · {due}"
    d = r.decision
    return [
        ("Identification", [
            ("register_no", "Register number", f"<b>{txt(r.register_no)}</b>"),
            ("ksf_ref", "KSF reference", txt(r.ksf_ref)),
            ("received_at", "Received at", when(r.received_at)),
            ("received_by", "Received by", txt(r.received_by)),
            ("requesting_unit", "Requesting unit", f"<b>{txt(r.requesting_unit)}</b>"),
            ("point_of_contact", "Point of contact", txt(r.point_of_contact)),
        ]),
        ("Request", [
            ("purpose", "Purpose", esc(r.purpose.label)),
            ("description", "Description", txt(r.description)),
            ("municipalities", "Municipalities",
             esc(", ".join(m.label for m in r.municipalities)) or "—"),
            ("route", "Route", txt(r.route)),
            ("personnel", "Personnel", fmt.count(r.personnel)),
            ("vehicles", "Vehicles", fmt.count(r.vehicles)),
            ("weapons_carried", "Weapons carried", fmt.yes_no(r.weapons_carried)),
            ("air_assets", "Air assets", txt(r.air_assets) if r.air_assets else "None"),
        ]),
        ("Period and deadline", [
            ("start", "Start", when(r.start)),
            ("end", "End", when(r.end)),
            ("", "Phase (as of)", esc(phase)),
            ("decision_due", "Decision due", due),
            ("", "Decision state", decision_state(r, now)),
        ]),
        ("Status and decision", [
            ("status", "Status", f"<b>{esc(r.status.label)}</b>"
             + (f" · <font color='{AMBER_HEX}'>decided, not yet communicated</font>"
                if r.awaiting_communication else "")),
            ("review_started_at", "Review started at", when(r.review_started_at)),
            ("recommendation", "Recommendation", txt(r.recommendation)),
            ("recommended_at", "Recommended at", when(r.recommended_at)),
            ("decision", "Decision authority", txt(d.authority) if d else "—"),
            ("", "Decided at", when(d.decided_at) if d else "—"),
            ("", "Conditions", txt(d.conditions) if d else "—"),
            ("", "Rationale", txt(d.rationale) if d else "—"),
            ("", "Communicated at", when(d.communicated_at) if d else "—"),
            ("", "Communicated via", txt(d.communicated_via) if d else "—"),
            ("withdrawn_at", "Withdrawn at", when(r.withdrawn_at)),
            ("withdraw_reason", "Withdrawal reason", txt(r.withdraw_reason)),
        ]),
        ("Notes", [("notes", "Notes", txt(r.notes))]),
    ]


def record_sheet_story(data: RecordSheetData) -> list[Flowable]:
    st = styles()
    rec = data.record
    now = data.meta.as_of
    title = rec.name if isinstance(rec, ExerciseNotification) else rec.title
    story: list[Flowable] = [
        Paragraph(f"{esc(rec.register_no or 'Unregistered')} — {esc(title)}", st.h1),
        para(f"{esc(rec.kind.label)} · record sheet as of <b>{esc(format_dtg_local(now))}</b>"
             + (f" · {esc(data.meta.originator)}" if data.meta.originator else ""), st.small),
        gap(2),
    ]
    if isinstance(rec, ConsentRequest):
        story.append(para(decision_state(rec, now)))
    inset = map_inset([rec], frozenset(), 510, 170, around=True)
    if inset is not None:
        story += [inset, para("Where: every location of this record (symbol and number); "
                              "ABL and bands indicative.", st.small)]
    width = 510.0
    for group_title, rows in record_groups(rec, now):
        story += [CondPageBreak(90), heading(group_title)]
        story.append(field_table([(label, value) for _, label, value in rows],
                                 [LABEL_W, width - LABEL_W]))
        if group_title in ("Period", "Period and deadline"):
            story += [CondPageBreak(90), heading("Locations", len(rec.locations)),
                      _locations_table(rec.locations)]
    if data.conflicts is not None or data.flags is not None:
        story += [CondPageBreak(100), heading("Conflicts and attention flags")]
        story += conflicts_block(data.conflicts, data.flags, "")
    story += [CondPageBreak(100), heading("History", len(data.history))]
    story.append(history_table(data.history) if data.history else nothing_to_report())
    if isinstance(rec, ConsentRequest):
        story += [gap(4), decision_block(rec)]
    return story


def _locations_table(locs: tuple[Location, ...]) -> Flowable:
    if not locs:
        return nothing_to_report()
    header = ["Name", "Position as given", "MGRS (1 m)", "Lat, lon", "Radius", "ABL (indicative)"]
    rows = [[
        f"<b>{esc(loc.name)}</b>",
        txt(loc.position),
        esc(fmt.mgrs(loc)),
        f"{loc.lat:.5f}, {loc.lon:.5f}",
        f"{loc.radius_m:,} m" if loc.radius_m else "—",
        fmt.abl_text(loc),
    ] for loc in locs]
    return data_table(header, rows, [105, 95, 85, 75, 50, 100])


ACTION_WIDTH = 76  # the history's Action column: "Recommendation" (bold, 7 pt) never breaks
CREATE_ACTIONS = frozenset({"create", "import", "demo", "Registered", "Imported", "Created (demo)"})


def history_table(entries: tuple[HistoryEntry, ...], *, with_record: bool = False,
                  brief_creates: bool = False) -> Table:
    """Audit entries oldest first: when, who (and where), what, field before → after, reason.

    ``brief_creates`` summarises the field list of a record's creation (the handover does; the
    record sheet shows it in full)."""
    header = (["Record"] if with_record else []) + [
        "When (UTC)", "Operator · workstation", "Action", "Changes (before → after)", "Reason"]
    rows = []
    for e in sorted(entries, key=lambda e: (e.at, e.register_no)):
        if brief_creates and e.action in CREATE_ACTIONS and e.changes:
            changes = (f"new record ({len(e.changes)} fields; see its record sheet)")
        else:
            changes = "<br/>".join(
                f"<b>{esc(c.field)}</b>: <font color='{GREY_HEX}'>{esc(c.before) or '∅'}</font>"
                f" → {esc(c.after) or '∅'}" for c in e.changes) or "—"
        row = [dtg(e.at), f"{esc(e.operator)}<br/><font color='{GREY_HEX}'>"
               f"{esc(e.workstation)}</font>", f"<b>{esc(e.action)}</b>", changes,
               esc(e.reason) or "—"]
        if with_record:
            row.insert(0, f"<b>{esc(e.register_no or '—')}</b>")
        rows.append(row)
    widths = ([66, 84, ACTION_WIDTH, 194, 90] if not with_record
              else [70, 66, 78, ACTION_WIDTH, 140, 80])
    return data_table(header, rows, widths)


def decision_block(r: ConsentRequest) -> KeepTogether:
    """A boxed decision form with signature lines, pre-filled with a recorded decision."""
    st = styles()
    d = r.decision

    def box(checked: bool) -> str:
        return "☒" if checked else "☐"

    status = r.status.value
    choices = "&nbsp;&nbsp;&nbsp;&nbsp;".join([
        f"{box(status == 'granted')} Granted",
        f"{box(status == 'granted_with_conditions')} Granted with conditions",
        f"{box(status == 'denied')} Denied",
    ])
    cond = esc(d.conditions or d.rationale) if d and (d.conditions or d.rationale) else ""
    rows: list[list[Flowable | str]] = [
        [Paragraph(f"<b>DECISION</b> — {esc(r.register_no or '')} · COMKFOR consent",
                   _white())],
        [Paragraph(f"Recommendation: {txt(r.recommendation)}", st.body)],
        [Paragraph(choices, st.body)],
        [Paragraph(f"Conditions / rationale: {cond}", st.body)],
        [Paragraph(" ", st.body)],
        [_signature_lines()],
    ]
    t = Table(rows, colWidths=[510], style=table_style([
        ("BOX", (0, 0), (-1, -1), 1, NAVY),
        ("BACKGROUND", (0, 0), (-1, 0), NAVY),
        ("LINEBELOW", (0, 3), (-1, 4), 0.4, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    return KeepTogether([t])


def _white() -> ParagraphStyle:
    return ParagraphStyle("decision-head", parent=styles().body, textColor=colors.white,
                          fontSize=10)


def _signature_lines(left: str = "Recommended by (duty officer)",
                     right: str = "Decision authority") -> Table:
    """Two columns (e.g. duty officer, decision authority): name, signature and DTG lines."""
    st = styles()
    data: list[list[Flowable | str]] = [[
        Paragraph(f"<b>{esc(left)}</b>", st.body),
        Paragraph(f"<b>{esc(right)}</b>", st.body),
    ]]
    for label in ("Name, rank, appointment", "Signature", "DTG"):
        data.append(["", ""])
        data.append([Paragraph(label, st.small), Paragraph(label, st.small)])
    heights: list[float | None] = [None]
    for _ in range(3):
        heights += [22, None]
    cmds: list[tuple[object, ...]] = [
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (0, -1), 18),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]
    for row in (1, 3, 5):
        cmds += [("LINEBELOW", (0, row), (0, row), 0.6, colors.black),
                 ("LINEBELOW", (1, row), (1, row), 0.6, colors.black)]
    return Table(data, colWidths=[249, 249], rowHeights=heights, style=table_style(cmds))


def sign_off_block(outgoing: str) -> KeepTogether:
    """The handover sign-off: outgoing and incoming duty officer, name, signature, DTG."""
    st = styles()
    t = Table([[Paragraph("<b>HANDOVER SIGN-OFF</b> — the incoming duty officer has read this "
                          "handover and taken over the desk", _white())],
               [Paragraph(f"Outgoing duty officer on this desk: {esc(outgoing)}", st.body)],
               [_signature_lines("Outgoing duty officer", "Incoming duty officer")]],
              colWidths=[510], style=table_style([
                  ("BOX", (0, 0), (-1, -1), 1, NAVY),
                  ("BACKGROUND", (0, 0), (-1, 0), NAVY),
                  ("LEFTPADDING", (0, 0), (-1, -1), 6),
                  ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                  ("TOPPADDING", (0, 0), (-1, -1), 4),
                  ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    return KeepTogether([t])


__all__ = ["record_groups", "record_sheet_story", "render_record_sheet", "sign_off_block"]
