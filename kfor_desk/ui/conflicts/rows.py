"""The conflicts as plain rows, and the registers' conflict badges: Qt-free.

:func:`conflict_rows` turns a :class:`~kfor_desk.services.conflicts.ConflictReport` into
:class:`ConflictRow` values in the panel's order (open and reopened first); the window builds
them on its loader thread. :func:`conflict_badges` gives the short badge per register number.
Nothing here draws, reads or marks anything (except :func:`record_titles`, one read through the
desk).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from kfor_desk.domain.conflicts import ConflictStatus, TrackedConflict
from kfor_desk.domain.timefmt import format_dtg
from kfor_desk.services.conflicts import ConflictReport
from kfor_desk.services.errors import ShouldStop, check_stop

if TYPE_CHECKING:
    from kfor_desk.services.desk import Desk

__all__ = ["STATUS_RANK", "ConflictRow", "conflict_badges", "conflict_rows", "record_text",
           "record_titles", "row_order"]


def conflict_badges(report: ConflictReport) -> dict[str, str]:
    """Register number → short badge for the registers.

    ``"⚠2"``: the record is in two open (or reopened) conflicts. ``"✓1"``: all its conflicts
    (here one) are marked deconflicted. Records in no current conflict have no entry.
    """
    open_count: dict[str, int] = {}
    done_count: dict[str, int] = {}
    for tracked in report.conflicts:
        target = open_count if tracked.status is ConflictStatus.OPEN else done_count
        for regno in tracked.conflict.key:
            target[regno] = target.get(regno, 0) + 1
    badges = {regno: f"✓{n}" for regno, n in done_count.items()}
    badges.update({regno: f"⚠{n}" for regno, n in open_count.items()})
    return badges


def record_titles(desk: Desk) -> dict[str, str]:
    """Register number → title of every saved record (one read through the desk)."""
    notes, reqs = desk.records()
    titles = {n.register_no: n.title for n in notes if n.register_no}
    titles.update({r.register_no: r.title for r in reqs if r.register_no})
    return titles


@dataclass(frozen=True, slots=True)
class ConflictRow:
    """One conflict as the table shows it: plain values only."""

    a: str
    a_title: str
    b: str
    b_title: str
    distance_km: float
    window_start: datetime
    window_end: datetime
    overlapping: bool  # false: a near miss caught by the margin (the window is the gap)
    status: str  # "open" / "deconflicted" / "reopened"
    mark_note: str = ""
    marked_by: str = ""
    marked_at: datetime | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.a, self.b)

    @property
    def is_open(self) -> bool:
        return self.status != "deconflicted"

    @property
    def window_text(self) -> str:
        span = f"{format_dtg(self.window_start)} – {format_dtg(self.window_end)}"
        return span if self.overlapping else f"gap {span}"

    @property
    def status_text(self) -> str:
        return self.status.capitalize()

    @classmethod
    def from_tracked(cls, tracked: TrackedConflict,
                     titles: Mapping[str, str]) -> ConflictRow:
        c = tracked.conflict
        if tracked.reopened:
            status = "reopened"
        elif tracked.status is ConflictStatus.DECONFLICTED:
            status = "deconflicted"
        else:
            status = "open"
        mark = tracked.mark
        return cls(
            a=c.a, a_title=titles.get(c.a, ""), b=c.b, b_title=titles.get(c.b, ""),
            distance_km=c.distance_km, window_start=c.overlap_start, window_end=c.overlap_end,
            overlapping=c.overlapping, status=status,
            mark_note=mark.note if mark else "", marked_by=mark.marked_by if mark else "",
            marked_at=mark.marked_at if mark else None,
        )


STATUS_RANK = {"open": 0, "reopened": 0, "deconflicted": 1}


def conflict_rows(report: ConflictReport, titles: Mapping[str, str],
                  should_stop: ShouldStop | None = None) -> list[ConflictRow]:
    """The table's rows for ``report``, open and reopened first (plain values: the window
    builds them on its loader thread, so tens of thousands of pairs cost the GUI nothing).
    ``should_stop`` is asked every 20,000 rows (:class:`~kfor_desk.services.errors.Stopped`)."""
    rows: list[ConflictRow] = []
    for n, t in enumerate(report.conflicts):
        if n % 20_000 == 0:
            check_stop(should_stop)
        rows.append(ConflictRow.from_tracked(t, titles))
    rows.sort(key=row_order)
    return rows


def row_order(r: ConflictRow) -> tuple[int, datetime]:
    return (STATUS_RANK[r.status], r.window_start)


def record_text(regno: str, title: str) -> str:
    return f"{regno}  {title}" if title else regno
