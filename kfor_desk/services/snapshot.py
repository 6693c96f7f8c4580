"""Reads of a desk for the window, in two steps: the registers' lines, then the whole moment.

:func:`read_registers` reads only what the registers show (one plain line per record,
:mod:`kfor_desk.domain.lines`) and the settings: the first screen, at once.
:func:`read_whole` then reads the lines and the whole records of one moment (one snapshot) and
:func:`complete` derives the conflict report and the reminders from them, so every screen of a
refresh shows that same moment: when a save landed between the two reads, the second read's
lines are the ones the registers end up showing. :func:`read_snapshot` does the second step
alone. They run on a worker thread and return frozen values of plain data. They do not know
how the values are shown (the window derives its rows, map items and timeline lanes from them)
and they write nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from kfor_desk.domain.lines import NotificationLine, RequestLine
from kfor_desk.domain.records import ConsentRequest, ExerciseNotification, Record

from .attention import AttentionItem, attention_items
from .conflicts import ConflictReport, conflict_report
from .errors import ShouldStop, check_stop
from .settings import DeskSettings

if TYPE_CHECKING:
    from .desk import Desk

__all__ = ["DeskSnapshot", "RegistersRead", "WholeRead", "complete", "read_registers",
           "read_snapshot", "read_whole"]


@dataclass(frozen=True, slots=True)
class RegistersRead:
    """The registers as of ``now``: every record's line and the settings (no whole records,
    no conflicts yet)."""

    now: datetime
    notifications: tuple[NotificationLine, ...]
    requests: tuple[RequestLine, ...]
    settings: DeskSettings
    training: bool


@dataclass(frozen=True, slots=True)
class WholeRead:
    """The desk as of ``now``: every record, whole and as its line (the same moment, in the
    same order), and the settings."""

    now: datetime
    notification_lines: tuple[NotificationLine, ...]
    request_lines: tuple[RequestLine, ...]
    notifications: tuple[ExerciseNotification, ...]
    requests: tuple[ConsentRequest, ...]
    settings: DeskSettings
    training: bool

    @property
    def records(self) -> list[Record]:
        return [*self.notifications, *self.requests]


@dataclass(frozen=True, slots=True)
class DeskSnapshot:
    """The desk as of ``now``: every record (whole and as its line), the settings, conflicts
    and reminders."""

    now: datetime
    notification_lines: tuple[NotificationLine, ...]
    request_lines: tuple[RequestLine, ...]
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
    """Read every record's register line and the settings (call it off the GUI thread)."""
    from kfor_desk.store.lines import register_lines

    now = desk.clock()
    notes, reqs = register_lines(desk.db)
    return RegistersRead(now, tuple(notes), tuple(reqs), desk.settings(), desk.is_training())


def read_whole(desk: Desk, should_stop: ShouldStop | None = None) -> WholeRead:
    """Read every record, whole and as its line, of one moment, and the settings (call it off
    the GUI thread). ``should_stop`` is asked between its reads
    (:class:`~kfor_desk.services.errors.Stopped` when it says yes)."""
    from kfor_desk.store.lines import read_lines_and_records

    now = desk.clock()
    n_lines, r_lines, notes, reqs = read_lines_and_records(desk.db, should_stop)
    return WholeRead(now, tuple(n_lines), tuple(r_lines), tuple(notes), tuple(reqs),
                     desk.settings(), desk.is_training())


def complete(desk: Desk, whole: WholeRead,
             should_stop: ShouldStop | None = None) -> DeskSnapshot:
    """The conflict report (with the marks of the pairs) and the reminders of ``whole``, as
    of its moment (call it off the GUI thread). ``should_stop`` is asked between chunks of
    the work (:class:`~kfor_desk.services.errors.Stopped` when it says yes)."""
    records = whole.records
    report = conflict_report(desk, whole.now, records=records, desk_settings=whole.settings,
                             should_stop=should_stop)
    check_stop(should_stop)
    return DeskSnapshot(whole.now, whole.notification_lines, whole.request_lines,
                        whole.notifications, whole.requests, whole.settings, whole.training,
                        report, tuple(attention_items(records, whole.now, whole.settings)))


def read_snapshot(desk: Desk) -> DeskSnapshot:
    """Read the whole desk once and derive the rest from it (call it off the GUI thread)."""
    return complete(desk, read_whole(desk))
