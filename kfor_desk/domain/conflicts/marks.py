"""Deconflicted marks: the operator's note on a pair, and the pair's status once marks are
applied (open, deconflicted, reopened when either record changed)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from ..errors import ShouldStop, check_stop
from ..timefmt import ensure_utc
from .pairs import Conflict, register_sort_key


# ================================================================ deconflicted marks
class ConflictStatus(StrEnum):
    OPEN = "open"
    DECONFLICTED = "deconflicted"


@dataclass(frozen=True, slots=True)
class ConflictMark:
    """What the duty officer recorded about a pair: deconflicted (with what was done) or
    reopened. ``fingerprint`` is the conflict's fingerprint when the mark was made."""

    a: str
    b: str
    status: ConflictStatus
    note: str
    marked_by: str
    marked_at: datetime
    fingerprint: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.a, self.b)


@dataclass(frozen=True, slots=True)
class TrackedConflict:
    """A current conflict with its status after applying the stored marks.

    ``mark`` is the latest mark of the pair (also when it no longer holds); ``reopened`` says
    that the pair was deconflicted but one of the records changed in time or place since.
    """

    conflict: Conflict
    status: ConflictStatus
    mark: ConflictMark | None = field(default=None)

    @property
    def reopened(self) -> bool:
        return (
            self.mark is not None
            and self.mark.status is ConflictStatus.DECONFLICTED
            and self.status is ConflictStatus.OPEN
        )


def latest_marks(marks: Iterable[ConflictMark]) -> dict[tuple[str, str], ConflictMark]:
    """The latest mark per pair (a later one in the input wins a tie on ``marked_at``)."""
    latest: dict[tuple[str, str], ConflictMark] = {}
    for mark in marks:
        key = mark.key if register_sort_key(mark.a) <= register_sort_key(mark.b) else (
            mark.b, mark.a
        )
        held = latest.get(key)
        if held is None or ensure_utc(mark.marked_at) >= ensure_utc(held.marked_at):
            latest[key] = mark
    return latest


def apply_marks(
    conflicts: Sequence[Conflict], marks: Iterable[ConflictMark],
    should_stop: ShouldStop | None = None,
) -> list[TrackedConflict]:
    """Each conflict with its status: deconflicted only while the latest mark of its pair says
    so and its fingerprint still matches; otherwise open (a changed pair reopens).
    ``should_stop`` is asked every 20,000 conflicts (:class:`~kfor_desk.domain.errors.Stopped`)."""
    latest = latest_marks(marks)
    out: list[TrackedConflict] = []
    for n, c in enumerate(conflicts):
        if n % 20_000 == 0:
            check_stop(should_stop)
        mark = latest.get(c.key)
        status = ConflictStatus.OPEN
        if (
            mark is not None
            and mark.status is ConflictStatus.DECONFLICTED
            and mark.fingerprint == c.fingerprint
        ):
            status = ConflictStatus.DECONFLICTED
        out.append(TrackedConflict(c, status, mark))
    return out


def mark_conflict(
    conflict: Conflict,
    status: ConflictStatus,
    note: str,
    marked_by: str,
    marked_at: datetime,
) -> ConflictMark:
    """A new mark for ``conflict`` as it stands now; a deconflicted mark needs a note."""
    note = note.strip()
    if status is ConflictStatus.DECONFLICTED and not note:
        raise ValueError("Say what was done to deconflict (the note is required).")
    if not marked_by.strip():
        raise ValueError("The operator marking the conflict is required.")
    return ConflictMark(
        a=conflict.a,
        b=conflict.b,
        status=status,
        note=note,
        marked_by=marked_by.strip(),
        marked_at=ensure_utc(marked_at, "marked at"),
        fingerprint=conflict.fingerprint,
    )
