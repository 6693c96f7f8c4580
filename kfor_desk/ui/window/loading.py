"""What one refresh of the window shows, built off the GUI thread, in two steps.

First :func:`load_registers` (the registers' lines and the settings,
:func:`kfor_desk.services.snapshot.read_registers`: no whole records): the registers are shown
from it at once. Then :func:`load_rest` reads the whole records with their lines, of one
moment (:func:`kfor_desk.services.snapshot.read_whole`), and derives from them the conflict
report, the reminders and the plain values each other screen needs (the attention column, map
items, timeline lanes, the conflicts panel's rows), so applying them on the GUI thread only
hands lists to models; the registers are brought to that moment too (a save that landed
between the two reads shows). :func:`load_snapshot` is the second step alone. These run on the
window's loader thread; nothing here touches a widget or writes anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kfor_desk.domain.conflicts import Flag, TrackedConflict
from kfor_desk.domain.lines import NotificationLine, RequestLine
from kfor_desk.domain.records import ConsentRequest, ExerciseNotification, Record
from kfor_desk.services.attention import AttentionItem
from kfor_desk.services.conflicts import ConflictReport
from kfor_desk.services.errors import ShouldStop, check_stop
from kfor_desk.services.settings import DeskSettings
from kfor_desk.services.snapshot import RegistersRead, complete, read_registers, read_whole
from kfor_desk.ui.conflicts.rows import ConflictRow, conflict_badges, conflict_rows
from kfor_desk.ui.models import RowAttention
from kfor_desk.ui.panels.detail import map_items
from kfor_desk.ui.timeline import TimelineConflict, TimelineItem, items_from_records
from kfor_desk.ui.timeline.items import ConflictIndex, conflict_index

if TYPE_CHECKING:
    from kfor_desk.services.desk import Desk

__all__ = ["RegistersRead", "Snapshot", "load_map_layers", "load_registers", "load_rest",
           "load_snapshot", "row_attention"]


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything a refresh shows, read once off the GUI thread (plain values only)."""

    now: datetime
    note_lines: tuple[NotificationLine, ...]  # the registers' lines of the same moment
    req_lines: tuple[RequestLine, ...]
    notes: tuple[ExerciseNotification, ...]
    reqs: tuple[ConsentRequest, ...]
    settings: DeskSettings
    training: bool
    report: ConflictReport
    attention: tuple[AttentionItem, ...]
    row_attention: dict[str, RowAttention]
    map_items: list[Any]
    timeline: list[TimelineItem]
    conflict_rows: list[ConflictRow]  # the conflicts panel's rows, in its order
    timeline_conflicts: list[TimelineConflict]
    #: register number → its conflicts and its flags, in the report's order (the detail pane
    #: asks at every row chosen; going through the report took 0.4 s at 100,000 records)
    involving: dict[str, tuple[TrackedConflict, ...]]
    flags_of: dict[str, tuple[Flag, ...]]
    timeline_index: ConflictIndex  # conflict_index(timeline_conflicts): seconds at 100k

    @property
    def records(self) -> list[Record]:
        return [*self.notes, *self.reqs]

    def titles(self) -> dict[str, str]:
        return {r.register_no: r.title for r in self.records if r.register_no}


def row_attention(report: ConflictReport) -> dict[str, RowAttention]:
    """The attention column of each record: its conflict badge and flags, most severe first."""
    badges = conflict_badges(report)
    flags: dict[str, list[tuple[int, str, str]]] = {}
    for f in report.flags:
        flags.setdefault(f.register_no, []).append((f.severity, f.flag.label, f.detail))
    out: dict[str, RowAttention] = {}
    for regno in set(badges) | set(flags):
        out[regno] = RowAttention(badges.get(regno, ""), tuple(sorted(flags.get(regno, []))))
    return out


def by_record(report: ConflictReport, should_stop: ShouldStop | None = None
              ) -> tuple[dict[str, tuple[TrackedConflict, ...]], dict[str, tuple[Flag, ...]]]:
    """Each record's conflicts and flags, as :meth:`ConflictReport.involving` and
    :meth:`ConflictReport.flags_of` give them, for all records at once."""
    involving: dict[str, list[TrackedConflict]] = {}
    for n, tracked in enumerate(report.conflicts):
        if n % 50_000 == 0:
            check_stop(should_stop)
        for regno in dict.fromkeys(tracked.conflict.key):
            involving.setdefault(regno, []).append(tracked)
    flags: dict[str, list[Flag]] = {}
    for f in report.flags:
        flags.setdefault(f.register_no, []).append(f)
    return ({k: tuple(v) for k, v in involving.items()},
            {k: tuple(v) for k, v in flags.items()})


def load_registers(desk: Desk) -> RegistersRead:
    """The first step: what the registers show (runs on a worker thread)."""
    return read_registers(desk)


def load_snapshot(desk: Desk) -> Snapshot:
    """The whole desk and what each screen shows of it (runs on a worker thread)."""
    return load_rest(desk, None)


def load_rest(desk: Desk, regs: RegistersRead | None,
              should_stop: ShouldStop | None = None) -> Snapshot:
    """The second step after ``regs`` (the registers' read shown already): the whole records,
    read again as of now, their conflicts, reminders, map and timeline (runs on a worker
    thread). ``should_stop`` is asked between chunks of the work: when it says yes (the window
    closed, a newer refresh) this ends with :class:`~kfor_desk.services.errors.Stopped`."""
    import numpy  # noqa: F401  (the registers sort many rows with it: loaded here, off the GUI)

    whole = read_whole(desk, should_stop)
    check_stop(should_stop)
    snap = complete(desk, whole, should_stop)
    records = snap.records
    report = snap.report
    attention = row_attention(report)
    check_stop(should_stop)
    items = map_items(records)
    lanes = items_from_records(records)
    rows = conflict_rows(report, snap.titles(), should_stop)
    marks: list[TimelineConflict] = []
    for n, c in enumerate(report.conflicts):
        if n % 20_000 == 0:
            check_stop(should_stop)
        marks.append(TimelineConflict.of(c))
    involving, flags = by_record(report, should_stop)
    check_stop(should_stop)
    timeline_index = conflict_index(marks)
    return Snapshot(snap.now, snap.notification_lines, snap.request_lines, snap.notifications,
                    snap.requests, snap.settings, snap.training,
                    report, snap.attention, attention, items, lanes, rows, marks,
                    involving, flags, timeline_index)


def load_map_layers() -> Any:
    """The map's base layers and their simplified copies for the zoomed-out levels (computed
    once, cached by the domain; runs on a worker, so no zoom step waits for them)."""
    from kfor_desk.domain.geo.mapdata import map_layers, simplified
    from kfor_desk.ui.map.map_view import LOD_TOLERANCES_M

    layers = map_layers()
    for tolerance in LOD_TOLERANCES_M:
        simplified(layers, tolerance)
    return layers
