"""The timeline widget: what it shows, the period (following the clock), lane layout,
selection and focus on a pair (see the package notes). Painting is :mod:`.canvas`; zoom, pan,
mouse, keys and tooltips are :mod:`.interaction`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from PySide6.QtCore import QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QFont,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

from kfor_desk.domain.conflicts import Conflict, TrackedConflict
from kfor_desk.domain.timefmt import ensure_utc, utc_now
from kfor_desk.style import ScreenTheme
from kfor_desk.ui import palette

from .interaction import TimelineInput
from .items import (
    AXIS_H,
    GROUP_H,
    LABEL_W,
    LANE_H,
    ConflictIndex,
    Lane,
    TimelineColours,
    TimelineConflict,
    TimelineItem,
    conflict_index,
    timeline_period,
)


class TimelineView(TimelineInput):
    """Activities over a zoomable period; see the module notes."""

    recordSelected = Signal(str)

    def __init__(self, parent: QWidget | None = None, *,
                 clock: Callable[[], datetime] = utc_now) -> None:
        super().__init__(parent)
        self._clock = clock
        self._now = ensure_utc(clock())
        self._items: dict[str, TimelineItem] = {}
        self._conflicts: list[TimelineConflict] = []
        self._conflicts_at: dict[str, list[int]] = {}
        self._conflict_open: dict[str, bool] = {}
        self._lanes: list[Lane] = []
        self._lane_of: dict[str, Lane] = {}
        self._selected: str | None = None
        self._focus: tuple[str, str] | None = None
        self._period = timeline_period(self._now)
        self._view_start = self._period[0]
        #: the default period and view move with the clock (a desk runs for days) until the
        #: operator zooms, pans or focuses a pair; Home (reset_view) follows again
        self._following = True
        self._spp = 0.0  # seconds per pixel; set when the viewport has a width
        self._c = TimelineColours.of(palette.THEME)
        self._drag_from: tuple[QPoint, datetime, int] | None = None
        self._dragged = False

        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.verticalScrollBar().setSingleStep(LANE_H)
        self.verticalScrollBar().valueChanged.connect(lambda _v: self.viewport().update())
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().setMouseTracking(True)
        self.setFrameShape(QAbstractScrollArea.Shape.NoFrame)

        self._font = QFont(self.font())
        self._bold = QFont(self._font)
        self._bold.setBold(True)
        self._small = QFont(self._font)
        self._small.setPointSizeF(max(self._font.pointSizeF() - 1.0, 7.0))

        self._tick = QTimer(self)
        self._tick.setInterval(60_000)
        self._tick.timeout.connect(self.refresh_now)
        self._tick.start()

    def set_items(self, items: Iterable[TimelineItem],
                  conflicts: Iterable[TimelineConflict | TrackedConflict | Conflict] = (),
                  index: ConflictIndex | None = None) -> None:
        """Replace what is drawn. Lanes are laid out for the items that overlap the period.
        ``index``: :func:`~.items.conflict_index` of ``conflicts``, when the caller built it
        off the GUI thread (seconds for the millions of conflicts of a large desk)."""
        self._items = {i.register_no: i for i in items}
        self._conflicts = [TimelineConflict.of(c) for c in conflicts]
        # who is in which conflict, once here rather than at every paint
        self._conflicts_at, self._conflict_open = (
            index if index is not None else conflict_index(self._conflicts))
        if self._selected not in self._items:
            self._selected = None
        self._now = ensure_utc(self._clock())  # the desk's clock, once a desk is open
        if not self._follow_now():
            self._layout_lanes()

    def apply_theme(self, theme: ScreenTheme) -> None:
        """Repaint in ``theme``'s colours (View ▸ Night theme, while the window runs)."""
        self._c = TimelineColours.of(theme)
        self.viewport().update()

    def set_period(self, start: datetime, end: datetime) -> None:
        """Lay out the records overlapping ``start``–``end`` and show that span (it stays
        there when the clock moves on)."""
        start, end = ensure_utc(start), ensure_utc(end)
        if end <= start:
            raise ValueError("the timeline period must end after it starts")
        self._following = False
        self._period = (start, end)
        self._layout_lanes()
        self.show_span(start, end)

    def period(self) -> tuple[datetime, datetime]:
        return self._period

    def reset_view(self) -> None:
        """Back to the default period around now (seven days from the day before), which
        then moves with the clock again."""
        self.set_period(*timeline_period(self._now))
        self._following = True

    def _follow_now(self) -> bool:
        """While following: the default period of the current day, and the view on it if the
        day moved on; whether anything moved."""
        if not self._following:
            return False
        period = timeline_period(self._now)
        if period == self._period:
            return False
        self._period = period
        self._layout_lanes()
        if self._spp > 0:
            self.show_span(*period)
        return True

    def show_span(self, start: datetime, end: datetime) -> None:
        """Zoom and pan so ``start``–``end`` fills the time area."""
        start, end = ensure_utc(start), ensure_utc(end)
        seconds = max((end - start).total_seconds(), 3600.0)
        self._spp = self._clamp_spp(seconds / max(self._time_width(), 50))
        centre = start + (end - start) / 2
        self._view_start = centre - timedelta(seconds=self._spp * self._time_width() / 2)
        self.viewport().update()

    def select(self, register_no: str | None) -> None:
        """Highlight a record (no signal); scrolls its lane into view."""
        self._selected = register_no if register_no in self._items else None
        if self._selected is not None and self._selected not in self._lane_of:
            self._layout_lanes()  # outside the period: widen it to take the record in
        if self._selected is not None:
            self._ensure_lane_visible(self._selected)
        self.viewport().update()

    def selected(self) -> str | None:
        return self._selected

    def focus_pair(self, a: str, b: str) -> None:
        """Show a conflicting pair: both lanes in view, the overlap window centred."""
        self._focus = (a, b)
        self._following = False
        self._layout_lanes()
        found = self._conflict_of(a, b)
        if found is not None:
            start, end = found.start, found.end
        else:
            spans = [(i.start, i.end) for i in (self._items.get(a), self._items.get(b)) if i]
            if not spans:
                return
            start, end = min(s for s, _ in spans), max(e for _, e in spans)
        pad = max((end - start) * 0.6, timedelta(hours=12))
        self._widen_period(start - pad, end + pad)
        self.select(a)
        self.show_span(start - pad, end + pad)
        self.verticalScrollBar().setValue(0)  # the pair is pinned on top

    def focused_pair(self) -> tuple[str, str] | None:
        return self._focus

    def clear_focus(self) -> None:
        """Put a focused pair back in its registers' groups."""
        if self._focus is not None:
            self._focus = None
            self._layout_lanes()

    def refresh_now(self) -> None:
        """The minute tick: the now line moves (and the default period with a new day)."""
        self._now = ensure_utc(self._clock())
        self._follow_now()
        self.viewport().update()

    def now(self) -> datetime:
        return self._now

    def lanes(self) -> list[str]:
        """Register numbers in lane order (top to bottom)."""
        return [lane.item.register_no for lane in self._lanes if lane.item]

    def sizeHint(self) -> QSize:
        return QSize(900, 420)

    def _widen_period(self, start: datetime, end: datetime) -> None:
        p0, p1 = self._period
        if start < p0 or end > p1:
            self._period = (min(p0, start), max(p1, end))
            self._layout_lanes()

    def _layout_lanes(self) -> None:
        p0, p1 = self._period
        extra = set(filter(None, (self._selected, *(self._focus or ()))))
        shown = [i for i in self._items.values()
                 if (i.end >= p0 and i.start <= p1) or i.register_no in extra]
        lanes: list[Lane] = []
        y = 0
        pinned = [self._items[r] for r in (self._focus or ()) if r in self._items]
        if pinned:  # the focused pair side by side on top, whatever their registers
            lanes.append(Lane(y, None, "Conflict shown: " + " / ".join(
                i.register_no for i in pinned)))
            y += GROUP_H
            for item in pinned:
                lanes.append(Lane(y, item))
                y += LANE_H
        for kind, title in (("SAF", "SAF exercise notifications"),
                            ("KSF", "KSF consent requests")):
            group = sorted((i for i in shown if i.kind == kind and i not in pinned),
                           key=lambda i: (i.start, i.end, i.register_no))
            lanes.append(Lane(y, None, f"{title} ({len(group)})"))
            y += GROUP_H
            for item in group:
                lanes.append(Lane(y, item))
                y += LANE_H
        self._lanes = lanes
        self._lane_of = {lane.item.register_no: lane for lane in lanes if lane.item}
        self._content_h = y
        self._update_scrollbar()
        self.viewport().update()

    def _update_scrollbar(self) -> None:
        page = max(self.viewport().height() - AXIS_H, 1)
        bar = self.verticalScrollBar()
        bar.setPageStep(page)
        bar.setRange(0, max(getattr(self, "_content_h", 0) - page + 8, 0))

    def _ensure_lane_visible(self, register_no: str) -> None:
        lane = self._lane_of.get(register_no)
        if lane is None:
            return
        bar = self.verticalScrollBar()
        page = max(self.viewport().height() - AXIS_H, LANE_H)
        if lane.y < bar.value():
            bar.setValue(max(lane.y - GROUP_H, 0))
        elif lane.y + LANE_H > bar.value() + page:
            bar.setValue(lane.y + LANE_H - page + 4)

    def _conflict_of(self, a: str, b: str) -> TimelineConflict | None:
        return next((c for c in self.conflicts_of(a) if {c.a, c.b} == {a, b}), None)

    def resizeEvent(self, event: QResizeEvent) -> None:
        first = self._spp <= 0
        super().resizeEvent(event)
        self._update_scrollbar()
        if first and self.viewport().width() > LABEL_W:
            self.show_span(*self._period)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._spp <= 0:
            self.show_span(*self._period)
