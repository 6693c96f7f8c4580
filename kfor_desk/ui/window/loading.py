"""What one refresh of the window shows, built off the GUI thread.

:func:`load_snapshot` runs on the window's loader thread: it takes the services' one read of the
desk (:func:`kfor_desk.services.snapshot.read_snapshot`) and derives from it the plain values
each screen needs (the attention column, map items, timeline lanes, the conflicts panel's rows),
so applying them on the GUI thread only hands lists to models. Nothing here touches a widget or
writes anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kfor_desk.domain.records import ConsentRequest, ExerciseNotification, Record
from kfor_desk.services.attention import AttentionItem
from kfor_desk.services.conflicts import ConflictReport
from kfor_desk.services.settings import DeskSettings
from kfor_desk.services.snapshot import read_snapshot
from kfor_desk.ui.conflicts.rows import ConflictRow, conflict_badges, conflict_rows
from kfor_desk.ui.models import RowAttention
from kfor_desk.ui.panels.detail import map_items
from kfor_desk.ui.timeline import TimelineConflict, TimelineItem, items_from_records

if TYPE_CHECKING:
    from kfor_desk.services.desk import Desk

__all__ = ["Snapshot", "load_map_layers", "load_snapshot", "row_attention"]


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything a refresh shows, read once off the GUI thread (plain values only)."""

    now: datetime
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


def load_snapshot(desk: Desk) -> Snapshot:
    """Read the registers once and derive the rest from them (runs on a worker thread)."""
    snap = read_snapshot(desk)
    records = snap.records
    report = snap.report
    return Snapshot(snap.now, snap.notifications, snap.requests, snap.settings, snap.training,
                    report, snap.attention, row_attention(report), map_items(records),
                    items_from_records(records), conflict_rows(report, snap.titles()),
                    [TimelineConflict.of(c) for c in report.conflicts])


def load_map_layers() -> Any:
    """The map's base layers and their simplified copies for the zoomed-out levels (computed
    once, cached by the domain; runs on a worker, so no zoom step waits for them)."""
    from kfor_desk.domain.geo.mapdata import map_layers, simplified
    from kfor_desk.ui.map.map_view import LOD_TOLERANCES_M

    layers = map_layers()
    for tolerance in LOD_TOLERANCES_M:
        simplified(layers, tolerance)
    return layers
