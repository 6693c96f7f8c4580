"""The timeline widget: what it shows, lane layout, selection, focus on a pair, zoom and pan,
mouse and keys (see the package notes)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from PySide6.QtCore import QEvent, QPoint, QPointF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QFont,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QResizeEvent,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QToolTip, QWidget

from kfor_desk.domain.conflicts import Conflict, TrackedConflict
from kfor_desk.domain.timefmt import ensure_utc, format_dtg, format_dtg_local, utc_now
from kfor_desk.style import ScreenTheme
from kfor_desk.ui import palette

from .canvas import TimelineCanvas
from .items import (
    AXIS_H,
    CLICK_SLOP,
    GROUP_H,
    LABEL_W,
    LANE_H,
    Lane,
    TimelineColours,
    TimelineConflict,
    TimelineItem,
    esc,
    timeline_period,
)


class TimelineView(TimelineCanvas):
    """Activities over a zoomable period; see the module notes."""

    recordSelected = Signal(str)

    def __init__(self, parent: QWidget | None = None, *,
                 clock: Callable[[], datetime] = utc_now) -> None:
        super().__init__(parent)
        self._clock = clock
        self._now = ensure_utc(clock())
        self._items: dict[str, TimelineItem] = {}
        self._conflicts: list[TimelineConflict] = []
        self._lanes: list[Lane] = []
        self._lane_of: dict[str, Lane] = {}
        self._selected: str | None = None
        self._focus: tuple[str, str] | None = None
        self._period = timeline_period(self._now)
        self._view_start = self._period[0]
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
                  conflicts: Iterable[TimelineConflict | TrackedConflict | Conflict] = ()
                  ) -> None:
        """Replace what is drawn. Lanes are laid out for the items that overlap the period."""
        self._items = {i.register_no: i for i in items}
        self._conflicts = [TimelineConflict.of(c) for c in conflicts]
        if self._selected not in self._items:
            self._selected = None
        self._layout_lanes()

    def apply_theme(self, theme: ScreenTheme) -> None:
        """Repaint in ``theme``'s colours (View ▸ Night theme, while the window runs)."""
        self._c = TimelineColours.of(theme)
        self.viewport().update()

    def set_period(self, start: datetime, end: datetime) -> None:
        """Lay out the records overlapping ``start``–``end`` and show that span."""
        start, end = ensure_utc(start), ensure_utc(end)
        if end <= start:
            raise ValueError("the timeline period must end after it starts")
        self._period = (start, end)
        self._layout_lanes()
        self.show_span(start, end)

    def period(self) -> tuple[datetime, datetime]:
        return self._period

    def reset_view(self) -> None:
        """Back to the default period around now (seven days from the day before)."""
        self.set_period(*timeline_period(self._now))

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
        self._now = ensure_utc(self._clock())
        self.viewport().update()

    def now(self) -> datetime:
        return self._now

    def lanes(self) -> list[str]:
        """Register numbers in lane order (top to bottom)."""
        return [lane.item.register_no for lane in self._lanes if lane.item]

    def zoom_by(self, factor: float, anchor_x: float | None = None) -> None:
        """Zoom in (``factor`` > 1) or out in time, keeping the time at ``anchor_x``."""
        if anchor_x is None:
            anchor_x = LABEL_W + self._time_width() / 2
        anchor_x = max(float(LABEL_W), anchor_x)
        when = self.time_at(anchor_x)
        self._spp = self._clamp_spp(self._spp / factor)
        self._view_start = when - timedelta(seconds=(anchor_x - LABEL_W) * self._spp)
        self.viewport().update()

    def pan_by(self, pixels: float) -> None:
        """Move the view later in time by ``pixels`` (earlier if negative)."""
        self._view_start += timedelta(seconds=pixels * self._spp)
        self.viewport().update()

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
        for c in self._conflicts:
            if {c.a, c.b} == {a, b}:
                return c
        return None

    def _lane_at(self, pos: QPoint) -> Lane | None:
        if pos.y() < AXIS_H:
            return None
        y = pos.y() - AXIS_H + self.verticalScrollBar().value()
        for lane in self._lanes:
            height = LANE_H if lane.item else GROUP_H
            if lane.y <= y < lane.y + height:
                return lane
        return None

    def _record_at(self, pos: QPoint) -> str | None:
        lane = self._lane_at(pos)
        if lane is None or lane.item is None:
            return None
        regno = lane.item.register_no
        if pos.x() < LABEL_W:
            return regno
        bar = self.bar_rect(regno)
        if bar is not None and bar.adjusted(-3, -4, 3, 4).contains(QPointF(pos)):
            return regno
        return None

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

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta()
        steps = (delta.y() or delta.x()) / 120.0
        if not steps:
            event.ignore()
            return
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            bar = self.verticalScrollBar()
            bar.setValue(bar.value() - int(steps * 3 * LANE_H))
        else:
            self.zoom_by(1.25 ** steps, event.position().x())
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        step = self._time_width() / 8
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(1.5)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom_by(1 / 1.5)
        elif key == Qt.Key.Key_Left:
            self.pan_by(-step)
        elif key == Qt.Key.Key_Right:
            self.pan_by(step)
        elif key == Qt.Key.Key_Home:
            self.clear_focus()
            self.reset_view()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            pos = event.position().toPoint()
            self._drag_from = (pos, self._view_start, self.verticalScrollBar().value())
            self._dragged = False
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        if self._drag_from is not None and event.buttons() & Qt.MouseButton.LeftButton:
            origin, start, scroll = self._drag_from
            d = pos - origin
            if self._dragged or d.manhattanLength() > CLICK_SLOP:
                self._dragged = True
                self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
                self._view_start = start - timedelta(seconds=d.x() * self._spp)
                self.verticalScrollBar().setValue(scroll - d.y())
                self.viewport().update()
            event.accept()
            return
        over = self._record_at(pos)
        self.viewport().setCursor(Qt.CursorShape.PointingHandCursor if over
                                  else Qt.CursorShape.ArrowCursor)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._drag_from is not None:
            dragged = self._dragged
            self._drag_from = None
            self._dragged = False
            self.viewport().setCursor(Qt.CursorShape.ArrowCursor)
            if not dragged:
                regno = self._record_at(event.position().toPoint())
                if regno is not None:
                    self._selected = regno
                    self.viewport().update()
                    self.recordSelected.emit(regno)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def tooltip_at(self, pos: QPoint) -> str:
        """The tooltip at a viewport position (rich text; local time beside UTC)."""
        if pos.y() < AXIS_H and pos.x() >= LABEL_W:
            when = self.time_at(pos.x()) + timedelta(seconds=30)  # to the nearest minute
            return format_dtg_local(when.replace(second=0, microsecond=0))
        regno = self._record_at(pos)
        if regno is None:
            return ""
        item = self._items[regno]
        lines = [f"<b>{esc(regno)}</b> — {esc(item.title)}"]
        if item.status:
            lines.append(f"Status: {esc(item.status.replace('_', ' '))}")
        lines.append(f"From {format_dtg_local(item.start)}")
        lines.append(f"to {format_dtg_local(item.end)}")
        for c in self._conflicts:
            if regno in (c.a, c.b):
                other = c.b if regno == c.a else c.a
                state = "conflicts" if c.open else "deconflicted"
                colour = (self._c.conflict if c.open else self._c.deconflicted).name()
                lines.append(f"<span style='color:{colour}'>{state} with {esc(other)}: "
                             f"{format_dtg(c.start)} – {format_dtg(c.end)}</span>")
        return "<br>".join(lines)

