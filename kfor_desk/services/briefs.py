"""Brief use cases: assemble the plain brief values from the registers, the audit trail and the
deconfliction engine, render them (``kfor_desk.reports``) and write the PDF atomically.

Reproducible by design: the production time printed on a brief is its as-of time, so the same
records and the same as-of give byte-identical files. The window runs these off the GUI thread;
they hold no database transaction while rendering.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from kfor_desk.domain.enums import Band, NotificationStatus
from kfor_desk.domain.records import (
    ConsentRequest,
    ExerciseNotification,
    Record,
    parse_register_no,
    time_phase,
)
from kfor_desk.domain.timefmt import ensure_utc, format_dtg
from kfor_desk.reports import (
    BriefMeta,
    ConflictItem,
    DailyBriefData,
    FieldChange,
    FlagItem,
    HandoverData,
    HistoryEntry,
    RecordSheetData,
    TimelineItem,
    render_daily_brief,
    render_handover,
    render_record_sheet,
)
from kfor_desk.reports.signing import Signing
from kfor_desk.reports.timeline import timeline_window
from kfor_desk.store.audit import AuditEntry

from .conflicts import conflict_report
from .desk import Desk
from .files import write_atomic
from .history import BRIEF, action_label, field_label, readable_entry
from .marking import marking_of

HORIZON = timedelta(hours=72)
PREVIOUS_BRIEF = timedelta(hours=24)  # decisions "since the previous brief": the last day
DEFAULT_SHIFT = timedelta(hours=12)  # handover default: changes of the last 12 hours

Conflicts = tuple[tuple[ConflictItem, ...] | None, tuple[FlagItem, ...] | None, str]


def _meta(desk: Desk, title: str, as_of: datetime, classification: str | None = None
          ) -> BriefMeta:
    settings = desk.settings()
    marking = marking_of(settings, desk.is_training(), classification)
    if desk.local_copy_of():
        from .copying import LOCAL_COPY_MARK

        title = f"{title} — {LOCAL_COPY_MARK}"
    return BriefMeta(
        title=title, as_of=as_of, produced_at=as_of, operator=duty_officer(desk),
        classification=marking.classification, releasability=marking.releasability,
        training=marking.training, chain_head=desk.chain_head(),
        originator=settings.originator.strip(),
    )


def duty_officer(desk: Desk) -> str:
    """The named duty officer of the desk; an operator that is only the OS login (no
    ``--operator``, no ``KFOR_DESK_OPERATOR``, no sign-in) is printed as not named."""
    op = desk.operator
    if not op.rank and not op.appointment and not os.environ.get(
            "KFOR_DESK_OPERATOR", "").strip() and op.name == _login():
        return f"not named (OS login {op.name}; sign in, or use --operator)"
    return op.display


def _login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers)
        return "unknown operator"


def _when(desk: Desk, as_of: datetime | None) -> datetime:
    return ensure_utc(as_of, "as-of time") if as_of is not None else desk.clock()


def _conflicts(desk: Desk, as_of: datetime, records: list[Record] | None = None
               ) -> Conflicts:
    """Conflicts and flags as of ``as_of`` (the reason is empty: the engine is always there)."""
    report = conflict_report(desk, as_of, records=records)  # records: saves a second read
    items = tuple(
        ConflictItem(a=t.conflict.a, b=t.conflict.b, distance_km=t.conflict.distance_km,
                     overlap_start=t.conflict.overlap_start, overlap_end=t.conflict.overlap_end,
                     status=str(t.status.value), note=t.mark.note if t.mark else "",
                     reopened=_why_reopened(desk, t.conflict.a, t.conflict.b, t.mark)
                     if t.reopened and t.mark else "")
        for t in report.conflicts)
    flags = tuple(FlagItem(f.register_no, str(f.flag.value), f.detail) for f in report.flags)
    return items, flags, ""


TIME_PLACE = ("start", "end", "locations")


def _why_reopened(desk: Desk, a: str, b: str, mark: Any) -> str:
    """Which record changed in time or place after the pair was deconflicted, when and by whom."""
    changed: list[str] = []
    for regno, other in ((a, b), (b, a)):
        history = desk.history(regno)
        marks = [k for k, e in enumerate(history) if e.entity == "conflict"
                 and any(c[0] == "conflict_with" and c[2] == other for c in e.changes)]
        for e in history[marks[-1] + 1 if marks else 0:]:
            if e.at < mark.marked_at or e.entity == "conflict":
                continue
            fields = sorted({str(c[0]).split("[")[0].split(".")[0] for c in e.changes
                             if str(c[0]).startswith(TIME_PLACE)})
            if fields:
                changed.append(f"{regno} {action_label(e.action)} {format_dtg(e.at)} by "
                               f"{e.operator} "
                               f"({', '.join(field_label(f) for f in fields)})")
    what = "; ".join(changed) or f"{a} or {b} changed in time or place"
    return (f"deconflicted {format_dtg(mark.marked_at)} by {mark.marked_by}, then reopened: "
            f"{what}")


def history_entries(entries: Iterable[AuditEntry]) -> tuple[HistoryEntry, ...]:
    """Audit-trail entries as the brief's history values, in the window's words
    (:mod:`.history`, brief style: DTGs without local time); a change that reads the same
    before and after is left out."""
    out = []
    for e in entries:
        r = readable_entry(e, style=BRIEF)
        out.append(HistoryEntry(
            at=r.at, operator=r.operator, workstation=r.workstation, action=r.action,
            changes=tuple(FieldChange(c.label, c.before, c.after) for c in r.changes
                          if c.before != c.after),
            reason=r.reason, register_no=e.register_no or e.entity))
    return tuple(out)


def _regno(r: Record) -> str:
    return r.register_no or ""


# ------------------------------------------------------------------------------ daily brief

def daily_brief_data(desk: Desk, as_of: datetime | None = None, *,
                     since: datetime | None = None,
                     classification: str | None = None) -> DailyBriefData:
    """Everything the daily deconfliction brief shows as of ``as_of`` (default: now).

    ``since`` (default: 24 h before) bounds "decisions since the previous brief".
    """
    now = _when(desk, as_of)
    since = ensure_utc(since, "since") if since is not None else now - PREVIOUS_BRIEF
    notes, reqs = desk.repo.all_records()
    saf = tuple(sorted(
        (n for n in notes if n.is_open and n.end >= now and n.start <= now + HORIZON
         and n.received_at <= now),
        key=lambda n: (n.start, _regno(n))))
    ksf = tuple(sorted(
        (r for r in reqs if r.is_open and r.received_at <= now),
        key=lambda r: (r.decision_due, _regno(r))))
    decisions = tuple(sorted(
        (r for r in reqs if r.decision is not None and since < r.decision.decided_at <= now),
        key=lambda r: (r.decision.decided_at if r.decision else now, _regno(r))))
    conflicts, flags, reason = _conflicts(desk, now, [*notes, *reqs])
    open_pairs = {x for c in conflicts or () if c.status == "open" for x in (c.a, c.b)}
    start, end = timeline_window(now)
    everything: list[Record] = [*notes, *reqs]
    timeline = tuple(
        TimelineItem(_regno(r), r.kind, r.title, r.start, r.end, _regno(r) in open_pairs)
        for r in sorted(everything, key=lambda r: (r.start, _regno(r)))
        if r.end >= start and r.start <= end and r.received_at <= now and _active_kind(r))
    listed = {_regno(r) for r in saf} | {_regno(r) for r in ksf}
    flagged = {f.register_no for f in flags or ()} - listed
    return DailyBriefData(
        meta=_meta(desk, "Daily deconfliction brief", now, classification),
        key_points=_key_points(now, saf, ksf, decisions, conflicts, flags, since),
        saf_activities=saf, ksf_requests=ksf, decisions=decisions, previous_brief_at=since,
        conflicts=conflicts, flags=flags,
        conflicts_unavailable=reason or "the deconfliction engine is not installed",
        map_records=(*saf, *ksf), timeline=timeline, horizon_hours=int(HORIZON.total_seconds()
                                                                       // 3600),
        flagged_records=tuple(r for r in everything if _regno(r) in flagged),
    )


def _active_kind(r: Record) -> bool:
    """Records that still describe a planned activity (not cancelled, withdrawn or denied)."""
    if isinstance(r, ExerciseNotification):
        return r.is_open
    return r.status.value not in ("withdrawn", "denied")


def _key_points(now: datetime, saf: tuple[ExerciseNotification, ...],
                ksf: tuple[ConsentRequest, ...], decisions: tuple[ConsentRequest, ...],
                conflicts: tuple[ConflictItem, ...] | None,
                flags: tuple[FlagItem, ...] | None, since: datetime) -> tuple[str, ...]:
    points: list[str] = []
    active = [n for n in saf if time_phase(n.start, n.end, now).value == "active"]
    near = [n for n in saf
            if any(loc.abl and loc.abl.band is Band.NOTIFY for loc in n.locations)]
    fire = [n for n in saf if n.live_fire]
    line = f"{len(saf)} SAF activit{'y' if len(saf) == 1 else 'ies'} active or starting in the " \
           f"next 72 h ({len(active)} active now)"
    if near:
        line += f"; within 1 km of the ABL: {', '.join(_regno(n) for n in near[:8])}"
        line += " …" if len(near) > 8 else ""
    if fire:
        line += f"; {len(fire)} with live firing"
    points.append(line + ".")
    overdue = [r for r in ksf if r.is_overdue(now)]
    soon = [r for r in ksf if not r.is_overdue(now) and r.decision_due - now <= timedelta(hours=24)]
    line = f"{len(ksf)} KSF consent request{'' if len(ksf) == 1 else 's'} open"
    if overdue:
        line += f"; OVERDUE: {', '.join(_regno(r) for r in overdue[:8])}"
        line += " …" if len(overdue) > 8 else ""
    if soon:
        line += f"; due within 24 h: {', '.join(_regno(r) for r in soon[:8])}"
        line += " …" if len(soon) > 8 else ""
    points.append(line + ".")
    waiting = [r for r in decisions if r.awaiting_communication]
    line = f"{len(decisions)} decision{'' if len(decisions) == 1 else 's'} since " \
           f"{format_dtg(since)}"
    if waiting:
        line += f"; not yet communicated to the KSF: {', '.join(_regno(r) for r in waiting[:8])}"
    points.append(line + ".")
    if conflicts is None:
        points.append("Conflict check unavailable.")
    else:
        open_c = [c for c in conflicts if c.status == "open"]
        line = f"{len(open_c)} open conflict{'' if len(open_c) == 1 else 's'}"
        if open_c:
            line += ": " + ", ".join(f"{c.a} / {c.b}" for c in open_c[:5])
            line += " …" if len(open_c) > 5 else ""
        line += f"; {len(flags or ())} attention flag{'' if len(flags or ()) == 1 else 's'}."
        points.append(line)
    return tuple(points)


# ------------------------------------------------------------------------------ record sheet

def record_sheet_data(desk: Desk, register_no: str, as_of: datetime | None = None, *,
                      classification: str | None = None) -> RecordSheetData:
    """One record with its full history (``ValueError`` for a malformed register number,
    ``NotFound`` for an unknown one)."""
    parse_register_no(register_no)
    now = _when(desk, as_of)
    record = desk.repo.get(register_no.strip().upper())
    regno = _regno(record)
    conflicts, flags, _ = _conflicts(desk, now)
    return RecordSheetData(
        meta=_meta(desk, f"Record sheet {regno}", now, classification),
        record=record,
        history=history_entries(desk.repo.history(regno)),
        conflicts=None if conflicts is None
        else tuple(c for c in conflicts if regno in (c.a, c.b)),
        flags=None if flags is None else tuple(f for f in flags if f.register_no == regno),
    )


# ------------------------------------------------------------------------------ handover

def pending_records(notes: Iterable[ExerciseNotification], reqs: Iterable[ConsentRequest],
                    now: datetime) -> tuple[Record, ...]:
    """What the next shift must act on: notifications not yet disseminated (and not over),
    requests without a decision, and decisions not yet communicated."""
    out: list[Record] = []
    for n in notes:
        if n.status in (NotificationStatus.RECEIVED, NotificationStatus.ACKNOWLEDGED) \
                and n.end >= now and n.received_at <= now:
            out.append(n)
    for r in reqs:
        if r.received_at <= now and (r.is_open or r.awaiting_communication):
            out.append(r)
    return tuple(out)


def handover_data(desk: Desk, since: datetime | None = None, as_of: datetime | None = None, *,
                  classification: str | None = None) -> HandoverData:
    """Changes from the audit trail since ``since`` (default: 12 h before) and what is pending."""
    now = _when(desk, as_of)
    since = ensure_utc(since, "since") if since is not None else now - DEFAULT_SHIFT
    changes = [e for e in desk.repo.audit_since(since) if e.at <= now]
    notes, reqs = desk.repo.all_records()
    conflicts, flags, reason = _conflicts(desk, now, [*notes, *reqs])
    return HandoverData(
        meta=_meta(desk, "Shift handover", now, classification), since=since,
        changes=history_entries(changes), pending=pending_records(notes, reqs, now),
        conflicts=conflicts, flags=flags,
        conflicts_unavailable=reason or "the deconfliction engine is not installed",
    )


# ------------------------------------------------------------------------------ files

def _signed(pdf: bytes, signing: Signing | None) -> bytes:
    """The brief, with a PAdES signature when a certificate is given (``reports.signing``:
    ``SigningError`` when it cannot be used, before anything is written)."""
    if signing is None:
        return pdf
    from kfor_desk.reports.signing import sign_pdf

    return sign_pdf(pdf, signing)


def write_daily_brief(desk: Desk, out: str | os.PathLike[str], as_of: datetime | None = None,
                      *, since: datetime | None = None, classification: str | None = None,
                      signing: Signing | None = None) -> Path:
    data = daily_brief_data(desk, as_of, since=since, classification=classification)
    return write_atomic(out, _signed(render_daily_brief(data), signing))


def write_record_sheet(desk: Desk, register_no: str, out: str | os.PathLike[str],
                       as_of: datetime | None = None, *, classification: str | None = None,
                       signing: Signing | None = None) -> Path:
    return write_atomic(out, _signed(render_record_sheet(record_sheet_data(
        desk, register_no, as_of, classification=classification)), signing))


def write_handover(desk: Desk, out: str | os.PathLike[str], since: datetime | None = None,
                   as_of: datetime | None = None, *, classification: str | None = None,
                   signing: Signing | None = None) -> Path:
    return write_atomic(out, _signed(render_handover(handover_data(
        desk, since, as_of, classification=classification)), signing))
