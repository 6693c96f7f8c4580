"""How the map answers the mouse and the keys: wheel and ``+``/``-`` zoom, drag and arrows
pan, ``Home`` fits, ``L`` toggles the legend, pick mode (``Esc`` leaves it) and the cursor's
position read out in MGRS and latitude/longitude.

:class:`MapInteraction` is the base of :class:`~.map_view.MapView`: it turns input into calls of
the view's ``zoom_by``, ``fit`` and ``_click_at`` (what a click on the map means is the view's)
and keeps only the state of a press, a drag and pick mode. It draws nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRectF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QGraphicsView, QWidget

from kfor_desk.domain.geo.position import format_mgrs, to_mgrs

from .items import unproject


class MapInteraction(QGraphicsView):
    """Mouse, keys, pick mode and the cursor read-out of the map."""

    positionPicked = Signal(float, float)  # lat, lon clicked in pick mode
    pickCancelled = Signal()
    cursorMoved = Signal(str)  # "34T DN 89271 48852 · 42.89220°N 20.86860°E"

    legend_wanted: bool | None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._picking = False
        self._press_pos: QPoint | None = None
        self._last_drag: QPoint | None = None
        self._dragging = False
        self._cursor_text = ""

    # --- what the view answers (MapView) ------------------------------------------------

    def zoom_by(self, factor: float, anchor: QPoint | None = None) -> None:
        raise NotImplementedError

    def fit(self) -> None:
        raise NotImplementedError

    def legend_shown(self) -> bool:
        raise NotImplementedError

    def _click_at(self, pos: QPoint) -> None:
        """A click (not a drag) outside pick mode, at viewport pixel ``pos``."""
        raise NotImplementedError

    # --- pick mode and the cursor -------------------------------------------------------

    def start_pick(self) -> None:
        """The next click on the map emits :attr:`positionPicked` (lat, lon); Esc cancels."""
        self._picking = True
        self.viewport().setCursor(Qt.CursorShape.CrossCursor)
        self.viewport().update()

    def cancel_pick(self) -> None:
        if self._picking:
            self._picking = False
            self.viewport().unsetCursor()
            self.viewport().update()
            self.pickCancelled.emit()

    @property
    def picking(self) -> bool:
        return self._picking

    def scale_m_per_px(self) -> float:
        return 1.0 / max(self.transform().m11(), 1e-12)

    def cursor_text(self) -> str:
        return self._cursor_text


    # --- events -------------------------------------------------------------------------

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120.0
        if not steps:
            return
        self.zoom_by(1.25 ** steps, event.position().toPoint())
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        step = 80
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(1.5)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom_by(1 / 1.5)
        elif key == Qt.Key.Key_Home:
            self.fit()
        elif key == Qt.Key.Key_L:  # the legend on / off
            self.legend_wanted = not self.legend_shown()
            self.viewport().update()
        elif key == Qt.Key.Key_Escape and self._picking:
            self.cancel_pick()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down):
            dx = {Qt.Key.Key_Left: -step, Qt.Key.Key_Right: step}.get(Qt.Key(key), 0)
            dy = {Qt.Key.Key_Up: -step, Qt.Key.Key_Down: step}.get(Qt.Key(key), 0)
            self._pan_pixels(dx, dy)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press_pos = event.position().toPoint()
            self._last_drag = self._press_pos
            self._dragging = False
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        self._update_cursor(pos)
        if self._press_pos is not None and event.buttons() & Qt.MouseButton.LeftButton:
            if not self._dragging and (pos - self._press_pos).manhattanLength() > 4:
                self._dragging = True
                self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            if self._dragging and self._last_drag is not None:
                d = pos - self._last_drag
                self._pan_pixels(-d.x(), -d.y())
            self._last_drag = pos
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._press_pos is None:
            super().mouseReleaseEvent(event)
            return
        pos = event.position().toPoint()
        was_drag = self._dragging
        self._press_pos = None
        self._last_drag = None
        self._dragging = False
        if was_drag:
            if self._picking:
                self.viewport().setCursor(Qt.CursorShape.CrossCursor)
            else:
                self.viewport().unsetCursor()
            event.accept()
            return
        self._click(pos)
        event.accept()

    def leaveEvent(self, event: QEvent) -> None:
        self._cursor_text = ""
        self.viewport().update()
        super().leaveEvent(event)

    def _click(self, pos: QPoint) -> None:
        if self._picking:
            scene = self.mapToScene(pos)
            lat, lon = unproject(scene.x(), -scene.y())
            self._picking = False
            self.viewport().unsetCursor()
            self.viewport().update()
            self.positionPicked.emit(lat, lon)
            return
        self._click_at(pos)

    def _pan_pixels(self, dx: int, dy: int) -> None:
        # scroll bars move by whole pixels exactly (centerOn rounds, and drifts on long drags)
        h, v = self.horizontalScrollBar(), self.verticalScrollBar()
        h.setValue(h.value() + dx)
        v.setValue(v.value() + dy)

    def _update_cursor(self, pos: QPoint) -> None:
        scene = self.mapToScene(pos)
        lat, lon = unproject(scene.x(), -scene.y())
        if not (-80 <= lat <= 84 and -180 <= lon <= 180):
            return
        text = (f"{format_mgrs(to_mgrs(lat, lon, 5))} · "
                f"{abs(lat):.5f}°{'N' if lat >= 0 else 'S'} "
                f"{abs(lon):.5f}°{'E' if lon >= 0 else 'W'}")
        if text != self._cursor_text:
            self._cursor_text = text
            self.cursorMoved.emit(text)
            self.viewport().update(QRectF(0, 0, 420, 40).toRect())

