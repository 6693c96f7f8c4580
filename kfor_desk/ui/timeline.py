"""The timeline: activities of both registers as bars over time, with the conflicts marked.

``TimelineView`` paints plain :class:`TimelineItem` values — one lane per record, SAF
notifications above KSF requests — against a UTC time axis labelled with DTGs (day ticks and
six-hour ticks). A red line marks now. A conflicting pair has both bars outlined and its overlap
window marked on each bar, joined by a dashed connector (muted green once deconflicted).

Mouse and keys: the wheel zooms in time about the cursor (``Shift``+wheel scrolls the lanes),
drag pans, a click on a bar or its label selects the record (``recordSelected``); ``+``/``-``
zoom, ``←``/``→`` pan, ``Home`` returns to the default seven days, ``↑``/``↓``/``PgUp``/``PgDn``
scroll. Tooltips give local time as well as UTC. The widget holds no database and no rules.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QToolTip, QWidget

from kfor_desk.domain.conflicts import Conflict, ConflictStatus, TrackedConflict
from kfor_desk.domain.records import Record
from kfor_desk.domain.timefmt import MONTHS, ensure_utc, format_dtg, format_dtg_local, utc_now
from kfor_desk.ui import palette
from kfor_desk.ui.palette import qcolor

__all__ = ["TimelineConflict", "TimelineItem", "TimelineView", "items_from_records",
           "timeline_period"]


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
_TL = palette.THEME.timeline  # colours: kfor_desk.style
C_BG = qcolor(_TL.background)
C_LABEL_BG = qcolor(_TL.label_background)
C_AXIS_BG = qcolor(_TL.axis_background)
C_GRID_DAY = qcolor(_TL.grid_day)
C_GRID_MINOR = qcolor(_TL.grid_minor)
C_WEEKEND = qcolor(_TL.weekend)
C_TEXT = qcolor(_TL.text)
C_MUTED = qcolor(_TL.muted)
C_GROUP = qcolor(_TL.group)
C_SAF = qcolor(palette.THEME.saf)
C_KSF = qcolor(palette.THEME.ksf)
C_NOW = qcolor(_TL.now)
C_NOW_TEXT = qcolor(_TL.now_text)
C_CONFLICT = qcolor(palette.THEME.conflict)
C_DECONFLICTED = qcolor(palette.THEME.conflict_rows["deconflicted"].text)
C_SELECT_ROW = qcolor(_TL.selected_row)
C_SELECT = qcolor(_TL.selected)
C_HIGHLIGHT = qcolor(palette.THEME.highlight)

INACTIVE_STATUSES = frozenset({"cancelled", "denied", "withdrawn"})  # drawn hollow

LABEL_W = 250
AXIS_H = 42
GROUP_H = 24
LANE_H = 24
BAR_H = 14
MIN_SECONDS_PER_PX = 15.0  # one hour ≈ 240 px
MAX_SECONDS_PER_PX = 60 * 86400 / 400  # sixty days in 400 px
CLICK_SLOP = 4
_STEPS_H = (1, 3, 6, 12, 24, 48, 168)  # candidate tick steps, hours (6 h by default)


@dataclass(frozen=True, slots=True)
class _Lane:
    y: int  # content y of the lane's top
    item: TimelineItem | None  # None: a group header
    header: str = ""


# ================================================================ the view
class TimelineView(QAbstractScrollArea):
    """Activities over a zoomable period; see the module notes."""

    recordSelected = Signal(str)

    def __init__(self, parent: QWidget | None = None, *,
                 clock: Callable[[], datetime] = utc_now) -> None:
        super().__init__(parent)
        self._clock = clock
        self._now = ensure_utc(clock())
        self._items: dict[str, TimelineItem] = {}
        self._conflicts: list[TimelineConflict] = []
        self._lanes: list[_Lane] = []
        self._lane_of: dict[str, _Lane] = {}
        self._selected: str | None = None
        self._focus: tuple[str, str] | None = None
        self._period = timeline_period(self._now)
        self._view_start = self._period[0]
        self._spp = 0.0  # seconds per pixel; set when the viewport has a width
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

    # ------------------------------------------------------------ public API
    def set_items(self, items: Iterable[TimelineItem],
                  conflicts: Iterable[TimelineConflict | TrackedConflict | Conflict] = ()
                  ) -> None:
        """Replace what is drawn. Lanes are laid out for the items that overlap the period."""
        self._items = {i.register_no: i for i in items}
        self._conflicts = [TimelineConflict.of(c) for c in conflicts]
        if self._selected not in self._items:
            self._selected = None
        self._layout_lanes()

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

    def visible_span(self) -> tuple[datetime, datetime]:
        return self._view_start, self.time_at(self.viewport().width())

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

    def conflicted(self) -> dict[str, bool]:
        """Register number → ``True`` if in an open conflict, ``False`` if only deconflicted."""
        out: dict[str, bool] = {}
        for c in self._conflicts:
            for regno in (c.a, c.b):
                out[regno] = out.get(regno, False) or c.open
        return out

    # geometry, in viewport pixels (public for the window and the tests)
    def time_at(self, x: float) -> datetime:
        return self._view_start + timedelta(seconds=(x - LABEL_W) * self._spp)

    def x_of(self, when: datetime) -> float:
        if self._spp <= 0:
            return float(LABEL_W)
        return LABEL_W + (ensure_utc(when) - self._view_start).total_seconds() / self._spp

    def bar_rect(self, register_no: str) -> QRectF | None:
        """The bar of a record in viewport pixels (``None`` if it has no lane)."""
        lane = self._lane_of.get(register_no)
        if lane is None or lane.item is None:
            return None
        x0, x1 = self.x_of(lane.item.start), self.x_of(lane.item.end)
        y = lane.y - self.verticalScrollBar().value() + AXIS_H + (LANE_H - BAR_H) / 2
        return QRectF(x0, y, max(x1 - x0, 3.0), BAR_H)

    def label_rect(self, register_no: str) -> QRect | None:
        lane = self._lane_of.get(register_no)
        if lane is None:
            return None
        return QRect(0, lane.y - self.verticalScrollBar().value() + AXIS_H, LABEL_W, LANE_H)

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

    # ------------------------------------------------------------ layout
    def _time_width(self) -> int:
        return max(self.viewport().width() - LABEL_W, 1)

    @staticmethod
    def _clamp_spp(spp: float) -> float:
        return min(max(spp, MIN_SECONDS_PER_PX), MAX_SECONDS_PER_PX)

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
        lanes: list[_Lane] = []
        y = 0
        pinned = [self._items[r] for r in (self._focus or ()) if r in self._items]
        if pinned:  # the focused pair side by side on top, whatever their registers
            lanes.append(_Lane(y, None, "Conflict shown: " + " / ".join(
                i.register_no for i in pinned)))
            y += GROUP_H
            for item in pinned:
                lanes.append(_Lane(y, item))
                y += LANE_H
        for kind, title in (("SAF", "SAF exercise notifications"),
                            ("KSF", "KSF consent requests")):
            group = sorted((i for i in shown if i.kind == kind and i not in pinned),
                           key=lambda i: (i.start, i.end, i.register_no))
            lanes.append(_Lane(y, None, f"{title} ({len(group)})"))
            y += GROUP_H
            for item in group:
                lanes.append(_Lane(y, item))
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

    def _lane_at(self, pos: QPoint) -> _Lane | None:
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

    # ------------------------------------------------------------ events
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
        lines = [f"<b>{_esc(regno)}</b> — {_esc(item.title)}"]
        if item.status:
            lines.append(f"Status: {_esc(item.status.replace('_', ' '))}")
        lines.append(f"From {format_dtg_local(item.start)}")
        lines.append(f"to {format_dtg_local(item.end)}")
        for c in self._conflicts:
            if regno in (c.a, c.b):
                other = c.b if regno == c.a else c.a
                state = "conflicts" if c.open else "deconflicted"
                colour = (C_CONFLICT if c.open else C_DECONFLICTED).name()
                lines.append(f"<span style='color:{colour}'>{state} with {_esc(other)}: "
                             f"{format_dtg(c.start)} – {format_dtg(c.end)}</span>")
        return "<br>".join(lines)

    # ------------------------------------------------------------ painting
    def paintEvent(self, event: QPaintEvent) -> None:
        if self._spp <= 0:
            self._spp = self._clamp_spp(
                (self._period[1] - self._period[0]).total_seconds() / self._time_width())
        p = QPainter(self.viewport())
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        w, h = self.viewport().width(), self.viewport().height()
        p.fillRect(0, 0, w, h, C_BG)
        scroll = self.verticalScrollBar().value()
        ticks = self.ticks()

        # grid under the lanes
        p.save()
        p.setClipRect(LABEL_W, AXIS_H, w - LABEL_W, h - AXIS_H)
        for when, major in ticks:
            x = round(self.x_of(when)) + 0.5
            if major and when.weekday() >= 5:
                p.fillRect(QRectF(x, AXIS_H, 86400 / self._spp, h - AXIS_H), C_WEEKEND)
            p.setPen(QPen(C_GRID_DAY if major else C_GRID_MINOR, 1))
            p.drawLine(QPointF(x, AXIS_H), QPointF(x, h))
        p.restore()

        # lanes: label column and bars
        fm = QFontMetrics(self._font)
        p.save()
        p.setClipRect(0, AXIS_H, w, h - AXIS_H)
        p.fillRect(0, AXIS_H, LABEL_W, h - AXIS_H, C_LABEL_BG)
        conflicted = self.conflicted()
        for lane in self._lanes:
            top = lane.y - scroll + AXIS_H
            if top > h or top + LANE_H < AXIS_H:
                continue
            if lane.item is None:
                self._paint_group(p, top, w, lane.header)
                continue
            self._paint_lane(p, fm, lane.item, top, w, conflicted.get(lane.item.register_no))
        self._paint_conflicts(p, scroll)
        p.restore()

        p.setPen(QPen(C_GRID_DAY, 1))
        p.drawLine(QPointF(LABEL_W + 0.5, AXIS_H), QPointF(LABEL_W + 0.5, h))
        self._paint_axis(p, ticks, w)
        self._paint_now(p, h)
        p.end()

    def _paint_group(self, p: QPainter, top: int, w: int, text: str) -> None:
        p.fillRect(QRect(0, top, w, GROUP_H), C_GROUP)
        p.setPen(C_TEXT)
        p.setFont(self._bold)
        p.drawText(QRect(8, top, LABEL_W + 400, GROUP_H),
                   int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), text)

    def _paint_lane(self, p: QPainter, fm: QFontMetrics, item: TimelineItem, top: int, w: int,
                    conflict_open: bool | None) -> None:
        regno = item.register_no
        selected = regno == self._selected
        if selected:
            p.fillRect(QRect(0, top, w, LANE_H), C_SELECT_ROW)
        # label: register number, then the title elided
        p.setFont(self._bold if selected else self._font)
        p.setPen(C_TEXT)
        reg_w = QFontMetrics(self._bold).horizontalAdvance("SAF-2026-0000") + 10
        p.drawText(QRect(8, top, reg_w, LANE_H),
                   int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), regno)
        p.setFont(self._font)
        p.setPen(C_MUTED)
        title = fm.elidedText(item.title, Qt.TextElideMode.ElideRight, LABEL_W - reg_w - 16)
        p.drawText(QRect(8 + reg_w, top, LABEL_W - reg_w - 12, LANE_H),
                   int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), title)
        if conflict_open is not None:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(C_CONFLICT if conflict_open else C_DECONFLICTED)
            p.drawEllipse(QPointF(LABEL_W - 9, top + LANE_H / 2), 3.5, 3.5)

        bar = self.bar_rect(regno)
        if bar is None or bar.right() < LABEL_W or bar.left() > w:
            return
        p.save()
        p.setClipRect(LABEL_W, 0, w - LABEL_W, 1 << 20, Qt.ClipOperation.IntersectClip)
        colour = C_SAF if item.kind == "SAF" else C_KSF
        fill = QColor(colour)
        inactive = item.status in INACTIVE_STATUSES
        fill.setAlpha(18 if inactive else 46)
        pen = QPen(colour, 1.2, Qt.PenStyle.DashLine if inactive else Qt.PenStyle.SolidLine)
        if item.highlighted:
            pen = QPen(C_HIGHLIGHT.darker(115), 2.5)
        if conflict_open is not None:
            pen = QPen(C_CONFLICT if conflict_open else C_DECONFLICTED, 2.5)
        if selected:
            pen = QPen(C_SELECT, 2.5)
        p.setPen(pen)
        p.setBrush(fill)
        p.drawRoundedRect(bar, 3, 3)
        # the title inside the bar when it fits
        inner = bar.adjusted(6, 0, -6, 0).intersected(
            QRectF(LABEL_W + 4, bar.top(), w - LABEL_W - 8, bar.height()))
        if inner.width() > 60:
            p.setFont(self._small)
            p.setPen(C_MUTED if inactive else colour.darker(150))
            sfm = QFontMetrics(self._small)
            text = sfm.elidedText(item.title, Qt.TextElideMode.ElideRight, int(inner.width()))
            p.drawText(inner, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                       text)
        p.restore()

    def _paint_conflicts(self, p: QPainter, scroll: int) -> None:
        p.save()
        p.setClipRect(LABEL_W, AXIS_H, self.viewport().width() - LABEL_W,
                      self.viewport().height() - AXIS_H)
        for c in self._conflicts:
            ra, rb = self.bar_rect(c.a), self.bar_rect(c.b)
            if ra is None or rb is None:
                continue
            colour = QColor(C_CONFLICT if c.open else C_DECONFLICTED)
            x0, x1 = self.x_of(c.start), self.x_of(c.end)
            if x1 - x0 < 4:
                x0, x1 = (x0 + x1) / 2 - 2, (x0 + x1) / 2 + 2
            focus = self._focus is not None and {c.a, c.b} == set(self._focus)
            band = QColor(colour)
            band.setAlpha(200 if c.open else 120)
            brush = QBrush(band, Qt.BrushStyle.BDiagPattern if c.open
                           else Qt.BrushStyle.FDiagPattern)
            for r in (ra, rb):
                seg = QRectF(x0, r.top() - 2, x1 - x0, r.height() + 4)
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(brush)
                p.drawRect(seg)
                p.setPen(QPen(colour, 1.5))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRect(seg)
            # connector between the two overlap segments
            xm = (x0 + x1) / 2
            top, bottom = sorted((ra.center().y(), rb.center().y()))
            pen = QPen(colour, 2.0 if focus else 1.2, Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.drawLine(QPointF(xm, top + BAR_H / 2 + 2), QPointF(xm, bottom - BAR_H / 2 - 2))
            p.setBrush(colour)
            p.setPen(Qt.PenStyle.NoPen)
            for y in (top + BAR_H / 2 + 2, bottom - BAR_H / 2 - 2):
                p.drawEllipse(QPointF(xm, y), 2.5, 2.5)
        p.restore()

    def ticks(self) -> list[tuple[datetime, bool]]:
        """(time, is a day tick) across the visible span, on round UTC hours: 6-hour ticks
        at the default zoom, 1 or 3 hours zoomed in, days only zoomed far out."""
        start, end = self.visible_span()
        px_per_hour = 3600 / self._spp
        step_h = next((s for s in _STEPS_H if s * px_per_hour >= 18), 168)
        first = start.replace(minute=0, second=0, microsecond=0)
        if step_h < 24:
            first -= timedelta(hours=first.hour % step_h)
        else:
            first -= timedelta(hours=first.hour)
        out: list[tuple[datetime, bool]] = []
        t = first
        while t <= end and len(out) < 2000:
            out.append((t, t.hour == 0))
            t += timedelta(hours=step_h)
        return out

    def _hour_label_step(self, label_px: float) -> int:
        """Hours between labelled minor ticks: regular, and only as dense as the labels fit."""
        px_per_hour = 3600 / self._spp
        return next((s for s in (1, 2, 3, 6, 12) if s * px_per_hour >= label_px), 24)

    def _paint_axis(self, p: QPainter, ticks: list[tuple[datetime, bool]], w: int) -> None:
        p.fillRect(0, 0, w, AXIS_H, C_AXIS_BG)
        p.setPen(QPen(C_GRID_DAY, 1))
        p.drawLine(QPointF(0, AXIS_H - 0.5), QPointF(w, AXIS_H - 0.5))
        p.setPen(C_MUTED)
        p.setFont(self._small)
        p.drawText(QRect(8, 0, LABEL_W - 16, AXIS_H),
                   int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                   "Times UTC (Z)\nhover for local time")
        fm = QFontMetrics(self._bold)
        sfm = QFontMetrics(self._small)
        px_day = 86400 / self._spp
        day_label_every = max(1, math.ceil((fm.horizontalAdvance("000000ZNOV00") + 16) / px_day))
        p.save()
        p.setClipRect(LABEL_W, 0, w - LABEL_W, AXIS_H)
        label_step = self._hour_label_step(sfm.horizontalAdvance("0000Z") + 10)
        day_w = fm.horizontalAdvance("000000ZNOV00") + 16
        left_day = self.time_at(LABEL_W).replace(hour=0, minute=0, second=0, microsecond=0)
        if not any(major and LABEL_W - 2 <= self.x_of(t) < LABEL_W + day_w
                   for t, major in ticks):
            p.setFont(self._bold)
            p.setPen(C_TEXT)
            p.drawText(QPointF(LABEL_W + 6, 16), format_dtg(left_day))
        for when, major in ticks:
            x = self.x_of(when)
            if major:
                day_no = (when - datetime(2000, 1, 1, tzinfo=when.tzinfo)).days
                labelled = day_no % day_label_every == 0
                p.setPen(QPen(C_TEXT, 1))
                p.drawLine(QPointF(round(x) + 0.5, 4 if labelled else AXIS_H - 10),
                           QPointF(round(x) + 0.5, AXIS_H))
                if labelled:
                    p.setFont(self._bold)
                    text = f"{format_dtg(when)}"
                    p.drawText(QPointF(x + 4, 16), text)
                    if px_day >= fm.horizontalAdvance(text) + 70:
                        p.setFont(self._small)
                        p.setPen(C_MUTED)
                        p.drawText(QPointF(x + 4 + fm.horizontalAdvance(text) + 8, 16),
                                   _weekday(when))
            else:
                p.setPen(QPen(C_MUTED, 1))
                p.drawLine(QPointF(round(x) + 0.5, AXIS_H - 8), QPointF(round(x) + 0.5, AXIS_H))
                text = f"{when.hour:02d}{when.minute:02d}Z"
                if when.hour % label_step == 0 and when.minute == 0:
                    tw = sfm.horizontalAdvance(text)
                    p.setFont(self._small)
                    p.drawText(QPointF(x - tw / 2, AXIS_H - 11), text)
        p.restore()

    def _paint_now(self, p: QPainter, h: int) -> None:
        x = self.x_of(self._now)
        if x < LABEL_W or x > self.viewport().width():
            return
        p.setPen(QPen(C_NOW, 2))
        p.drawLine(QPointF(x, AXIS_H - 4), QPointF(x, h))
        p.setFont(self._small)
        fm = QFontMetrics(self._small)
        text = f"NOW {format_dtg(self._now)}"
        tw = fm.horizontalAdvance(text) + 8
        left = min(max(x - tw / 2, LABEL_W + 1.0), self.viewport().width() - tw - 1)
        box = QRectF(left, AXIS_H - fm.height() - 5, tw, fm.height() + 2)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(C_NOW)
        p.drawRoundedRect(box, 3, 3)
        p.setPen(C_NOW_TEXT)
        p.drawText(box, int(Qt.AlignmentFlag.AlignCenter), text)


def _weekday(when: datetime) -> str:
    return ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[when.weekday()] + \
        f" {when.day:02d} {MONTHS[when.month - 1].title()}"


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
