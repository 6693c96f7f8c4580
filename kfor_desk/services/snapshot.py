"""One read of a desk for the window: the registers, the settings and what follows from them.

:func:`read_snapshot` reads the records once and derives the conflict report and the reminders
from that one read, so every screen of a refresh shows the same moment. It runs on a worker
thread and returns a frozen value of plain data. It does not know how the values are shown
(the window derives its rows, map items and timeline lanes from the snapshot) and it writes
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from kfor_desk.domain.records import ConsentRequest, ExerciseNotification, Record

from .attention import AttentionItem, attention_items
from .conflicts import ConflictReport, conflict_report
from .settings import DeskSettings

if TYPE_CHECKING:
    from .desk import Desk

__all__ = ["DeskSnapshot", "read_snapshot"]


@dataclass(frozen=True, slots=True)
class DeskSnapshot:
    """The desk as of ``now``: every record, the settings, conflicts and reminders."""

    now: datetime
    notifications: tuple[ExerciseNotification, ...]
    requests: tuple[ConsentRequest, ...]
    settings: DeskSettings
    training: bool
    report: ConflictReport
    attention: tuple[AttentionItem, ...]

    @property
    def records(self) -> list[Record]:
        return [*self.notifications, *self.requests]

    def titles(self) -> dict[str, str]:
        """Register number → title of every saved record."""
        return {r.register_no: r.title for r in self.records if r.register_no}


def read_snapshot(desk: Desk) -> DeskSnapshot:
    """Read the registers once and derive the rest from them (call it off the GUI thread)."""
    now = desk.clock()
    notes, reqs = desk.records()
    settings = desk.settings()
    records: list[Record] = [*notes, *reqs]
    report = conflict_report(desk, now, records=records, desk_settings=settings)
    return DeskSnapshot(now, tuple(notes), tuple(reqs), settings, desk.is_training(), report,
                        tuple(attention_items(records, now, settings)))
