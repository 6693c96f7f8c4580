"""What the timeline shows, as plain values (items, conflicts, lanes), its colours and its
geometry (lane heights, label width, zoom limits). No widget here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from PySide6.QtGui import QColor

from kfor_desk import style
from kfor_desk.domain.conflicts import Conflict, ConflictStatus, TrackedConflict
from kfor_desk.domain.records import Record
from kfor_desk.domain.timefmt import MONTHS, ensure_utc
from kfor_desk.ui import palette
from kfor_desk.ui.palette import qcolor


# ================================================================ values
@dataclass(frozen=True, slots=True)
class TimelineItem:
    """One activity to draw. ``kind`` is ``"SAF"`` or ``"KSF"``; ``status`` the record's status
    value (e.g. ``"received"``); ``highlighted`` draws it emphasised (e.g. matching a filter)."""

    register_no: str
    kind: str
    title: str
    start: datetime
    end: datetime
    status: str = ""
    highlighted: bool = False


@dataclass(frozen=True, slots=True)
class TimelineConflict:
    """A conflicting pair to mark: the overlap window and whether it is still open."""

    a: str
    b: str
    start: datetime
    end: datetime
    open: bool = True

    @classmethod
    def of(cls, value: TimelineConflict | TrackedConflict | Conflict) -> TimelineConflict:
        if isinstance(value, TimelineConflict):
            return value
        if isinstance(value, TrackedConflict):
            c = value.conflict
            return cls(c.a, c.b, c.overlap_start, c.overlap_end,
                       value.status is ConflictStatus.OPEN)
        return cls(value.a, value.b, value.overlap_start, value.overlap_end, True)


def items_from_records(records: Iterable[Record],
                       highlighted: Iterable[str] = ()) -> list[TimelineItem]:
    """Timeline items of saved records (those without a register number are skipped)."""
    marked = set(highlighted)
    return [
        TimelineItem(r.register_no, r.kind.value, r.title, r.start, r.end, r.status.value,
                     r.register_no in marked)
        for r in records if r.register_no
    ]


def timeline_period(now: datetime, days: int = 7) -> tuple[datetime, datetime]:
    """The default period: ``days`` days from 00:00Z of the day before ``now`` (as the brief)."""
    day = ensure_utc(now).replace(hour=0, minute=0, second=0, microsecond=0)
    start = day - timedelta(days=1)
    return start, start + timedelta(days=days)


# ================================================================ palette and geometry
@dataclass(frozen=True)
class TimelineColours:
    """The timeline's pens and fills of one screen theme (colours: :mod:`kfor_desk.style`)."""

    bg: QColor
    label_bg: QColor
    axis_bg: QColor
    grid_day: QColor
    grid_minor: QColor
    weekend: QColor
    text: QColor
    muted: QColor
    group: QColor
    saf: QColor
    ksf: QColor
    now: QColor
    now_text: QColor
    conflict: QColor
    deconflicted: QColor
    select_row: QColor
    select: QColor
    highlight: QColor

    @classmethod
    def of(cls, theme: style.ScreenTheme) -> TimelineColours:
        tl = theme.timeline
        return cls(
            bg=qcolor(tl.background), label_bg=qcolor(tl.label_background),
            axis_bg=qcolor(tl.axis_background), grid_day=qcolor(tl.grid_day),
            grid_minor=qcolor(tl.grid_minor), weekend=qcolor(tl.weekend),
            text=qcolor(tl.text), muted=qcolor(tl.muted), group=qcolor(tl.group),
            saf=qcolor(theme.saf), ksf=qcolor(theme.ksf), now=qcolor(tl.now),
            now_text=qcolor(tl.now_text), conflict=qcolor(theme.conflict),
            deconflicted=qcolor(theme.conflict_rows["deconflicted"].text),
            select_row=qcolor(tl.selected_row), select=qcolor(tl.selected),
            highlight=qcolor(theme.highlight))


# the theme's colours when the module loaded (a running view follows apply_theme instead)
_AT_LOAD = TimelineColours.of(palette.THEME)
C_NOW = _AT_LOAD.now
C_CONFLICT = _AT_LOAD.conflict
C_DECONFLICTED = _AT_LOAD.deconflicted

INACTIVE_STATUSES = frozenset({"cancelled", "denied", "withdrawn"})  # drawn hollow

LABEL_W = 250
AXIS_H = 42
GROUP_H = 24
LANE_H = 24
BAR_H = 14
MIN_SECONDS_PER_PX = 15.0  # one hour ≈ 240 px
MAX_SECONDS_PER_PX = 60 * 86400 / 400  # sixty days in 400 px
CLICK_SLOP = 4
STEPS_H = (1, 3, 6, 12, 24, 48, 168)  # candidate tick steps, hours (6 h by default)


@dataclass(frozen=True, slots=True)
class Lane:
    y: int  # content y of the lane's top
    item: TimelineItem | None  # None: a group header
    header: str = ""



def weekday(when: datetime) -> str:
    return ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[when.weekday()] + \
        f" {when.day:02d} {MONTHS[when.month - 1].title()}"


def esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


ConflictIndex = tuple[dict[str, list[int]], dict[str, bool]]


def conflict_index(conflicts: list[TimelineConflict]) -> ConflictIndex:
    """Register number → the indices of its conflicts in ``conflicts``, and register number →
    ``True`` if one of them is open (``False``: all deconflicted)."""
    at: dict[str, list[int]] = {}
    state: dict[str, bool] = {}
    for n, c in enumerate(conflicts):
        for regno in (c.a, c.b):
            at.setdefault(regno, []).append(n)
            state[regno] = state.get(regno, False) or c.open
    return at, state
