"""The timeline's zoom and pan, mouse, keys and tooltips (see the package notes).

It moves the view and says which record was clicked (``recordSelected``); what is shown and
the lanes' layout are :class:`~.view.TimelineView`'s, the painting
:class:`~.canvas.TimelineCanvas`'s. It reads nothing and decides nothing about the records.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QHelpEvent, QKeyEvent, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QToolTip

from kfor_desk.domain.timefmt import format_dtg, format_dtg_local

from .canvas import TimelineCanvas
from .items import AXIS_H, CLICK_SLOP, GROUP_H, LABEL_W, LANE_H, Lane, esc


class TimelineInput(TimelineCanvas):
    """The input half of the timeline; :class:`~.view.TimelineView` adds the rest."""

    # set by TimelineView
    recordSelected: Any  # Signal(str)
    _following: bool  # the view follows the clock until the operator moves it
    _drag_from: tuple[QPoint, datetime, int] | None
    _dragged: bool

    def clear_focus(self) -> None:  # pragma: no cover - TimelineView's
        raise NotImplementedError

    def reset_view(self) -> None:  # pragma: no cover - TimelineView's
        raise NotImplementedError

    def zoom_by(self, factor: float, anchor_x: float | None = None) -> None:
        """Zoom in (``factor`` > 1) or out in time, keeping the time at ``anchor_x``."""
        if anchor_x is None:
            anchor_x = LABEL_W + self._time_width() / 2
        anchor_x = max(float(LABEL_W), anchor_x)
        when = self.time_at(anchor_x)
        self._following = False
        self._spp = self._clamp_spp(self._spp / factor)
        self._view_start = when - timedelta(seconds=(anchor_x - LABEL_W) * self._spp)
        self.viewport().update()

    def pan_by(self, pixels: float) -> None:
        """Move the view later in time by ``pixels`` (earlier if negative)."""
        self._following = False
        self._view_start += timedelta(seconds=pixels * self._spp)
        self.viewport().update()

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
                self._following = False
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
        for c in self.conflicts_of(regno):  # each has regno as a or b
            other = c.b if regno == c.a else c.a
            state = "conflicts" if c.open else "deconflicted"
            colour = (self._c.conflict if c.open else self._c.deconflicted).name()
            lines.append(f"<span style='color:{colour}'>{state} with {esc(other)}: "
                         f"{format_dtg(c.start)} – {format_dtg(c.end)}</span>")
        return "<br>".join(lines)
