"""Plain values a brief is rendered from.

The services fill these from the repositories, the audit trail and the conflicts engine; the
renderers in this package only read them. Nothing here knows about the database or Qt, so a test
can build a brief straight from domain records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from kfor_desk.domain.records import ConsentRequest, ExerciseNotification, Record, RecordKind

DEFAULT_CLASSIFICATION = "NATO UNCLASSIFIED"


@dataclass(frozen=True, slots=True)
class BriefMeta:
    """What every page carries: marking, title, as-of time, who produced it and the chain head.

    ``produced_at`` is printed in the footer and stamped as the PDF creation date; the services
    pass the as-of time here so that the same records and the same as-of give the same bytes.
    """

    title: str
    as_of: datetime
    produced_at: datetime
    operator: str
    classification: str = DEFAULT_CLASSIFICATION
    releasability: str = ""
    training: bool = False
    chain_head: str = ""
    originator: str = ""

    @property
    def short_chain_head(self) -> str:
        """The first 12 hex digits of the audit chain head, or ``"n/a"``."""
        return self.chain_head[:12] if self.chain_head else "n/a"


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of a record before and after a change, as text."""

    field: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One audited change of a record (an entry of the audit trail, as plain text values)."""

    at: datetime
    operator: str
    workstation: str
    action: str
    changes: tuple[FieldChange, ...] = ()
    reason: str = ""
    register_no: str = ""


@dataclass(frozen=True, slots=True)
class ConflictItem:
    """A pairwise conflict between two activities (fields as in ``conflicts --json``)."""

    a: str
    b: str
    distance_km: float
    overlap_start: datetime
    overlap_end: datetime
    status: str = "open"  # "open" | "deconflicted"
    note: str = ""
    reopened: str = ""  # why an earlier deconfliction no longer holds ("" if it never was)


@dataclass(frozen=True, slots=True)
class FlagItem:
    """A single-activity attention flag (``flag`` is the lowercase name of ``conflicts --json``)."""

    register_no: str
    flag: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class TimelineItem:
    """One bar of the seven-day timeline."""

    register_no: str
    kind: RecordKind
    label: str
    start: datetime
    end: datetime
    conflict: bool = False


@dataclass(frozen=True, slots=True)
class DailyBriefData:
    """The daily deconfliction brief as of ``meta.as_of``.

    ``conflicts``/``flags`` are ``None`` when the conflicts engine is not available; the brief then
    says so in a plain sentence (``conflicts_unavailable`` gives the reason). ``flagged_records``
    are the flagged records the brief does not otherwise list (Annex A gives their place).
    """

    meta: BriefMeta
    key_points: tuple[str, ...] = ()
    saf_activities: tuple[ExerciseNotification, ...] = ()
    ksf_requests: tuple[ConsentRequest, ...] = ()
    decisions: tuple[ConsentRequest, ...] = ()
    previous_brief_at: datetime | None = None
    conflicts: tuple[ConflictItem, ...] | None = None
    flags: tuple[FlagItem, ...] | None = None
    conflicts_unavailable: str = "the deconfliction engine is not installed"
    map_records: tuple[Record, ...] = ()
    timeline: tuple[TimelineItem, ...] = ()
    horizon_hours: int = 72
    flagged_records: tuple[Record, ...] = ()


@dataclass(frozen=True, slots=True)
class RecordSheetData:
    """One notification or request with its full history."""

    meta: BriefMeta
    record: Record
    history: tuple[HistoryEntry, ...] = ()
    conflicts: tuple[ConflictItem, ...] | None = None
    flags: tuple[FlagItem, ...] | None = None


@dataclass(frozen=True, slots=True)
class HandoverData:
    """Shift handover: what changed since ``since`` and what is pending."""

    meta: BriefMeta
    since: datetime
    changes: tuple[HistoryEntry, ...] = ()
    pending: tuple[Record, ...] = field(default_factory=tuple)
    conflicts: tuple[ConflictItem, ...] | None = None
    flags: tuple[FlagItem, ...] | None = None
    conflicts_unavailable: str = "the deconfliction engine is not installed"
