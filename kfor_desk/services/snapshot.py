"""One read of a desk for the window: the registers, the settings and what follows from them.

:func:`read_registers` reads the records and the settings once (what the registers show);
:func:`complete` derives the conflict report and the reminders from that same read, so every
screen of a refresh shows the same moment while the registers can be shown before the
conflicts are computed. :func:`read_snapshot` does both. They run on a worker thread and return
frozen values of plain data. They do not know how the values are shown (the window derives its
rows, map items and timeline lanes from them) and they write nothing.
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

__all__ = ["DeskSnapshot", "RegistersRead", "complete", "read_registers", "read_snapshot"]


@dataclass(frozen=True, slots=True)
class RegistersRead:
    """The registers as of ``now``: every record and the settings (no conflicts yet)."""

    now: datetime
    notifications: tuple[ExerciseNotification, ...]
    requests: tuple[ConsentRequest, ...]
    settings: DeskSettings
    training: bool

    @property
    def records(self) -> list[Record]:
        return [*self.notifications, *self.requests]


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


def read_registers(desk: Desk) -> RegistersRead:
    """Read the records and the settings once (call it off the GUI thread)."""
    now = desk.clock()
    notes, reqs = desk.records()
    return RegistersRead(now, tuple(notes), tuple(reqs), desk.settings(), desk.is_training())


def complete(desk: Desk, regs: RegistersRead) -> DeskSnapshot:
    """The conflict report (with the marks of the pairs) and the reminders of ``regs``, as of
    its moment (call it off the GUI thread)."""
    records = regs.records
    report = conflict_report(desk, regs.now, records=records, desk_settings=regs.settings)
    return DeskSnapshot(regs.now, regs.notifications, regs.requests, regs.settings,
                        regs.training, report,
                        tuple(attention_items(records, regs.now, regs.settings)))


def read_snapshot(desk: Desk) -> DeskSnapshot:
    """Read the registers once and derive the rest from them (call it off the GUI thread)."""
    return complete(desk, read_registers(desk))
