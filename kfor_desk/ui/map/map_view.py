"""The offline map: land, the ABL and its bands, known places, and the records on top.

``MapView`` draws the Qt-free layers of :mod:`kfor_desk.domain.geo.mapdata` in a
``QGraphicsScene`` whose units are UTM 34N metres (scene ``x`` = easting, scene ``y`` =
−northing, so north is up). Records come in as plain :class:`MapItem` values; the widget holds
no database, no SQL and no business rules — it shows what it is given and reports clicks.

Mouse and keys: wheel zooms about the cursor, drag pans, click selects a record, ``+``/``-``
zoom, arrows pan, ``Home`` fits the ABL area, ``Esc`` leaves pick mode.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPen,
    QResizeEvent,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsView,
    QWidget,
)

from kfor_desk.domain.geo.position import format_mgrs, to_mgrs

if TYPE_CHECKING:  # the geometry stack (numpy, shapely, pyproj) loads with the first map
    from kfor_desk.domain.geo.mapdata import MapLayers


from .items import (
    C_COUNTRY_TEXT,
    C_KSF,
    C_SAF,
    C_TEXT,
    C_WATER,
    LOD_TOLERANCES_M,
    REGISTER_ROLE,
    SCENE_MARGIN_M,
    Z_LAND,
    Z_PLACE,
    Z_RADIUS,
    BasePath,
    HaloText,
    MapItem,
    PlaceMarker,
    RadiusCircle,
    RecordSymbol,
    base_paths,
    cosmetic,
    project,
    to_scene,
    unproject,
)
from .overlay import paint_overlay

__all__ = ["C_KSF", "LOD_TOLERANCES_M", "MapItem", "MapView"]


class MapView(QGraphicsView):
    """The map widget. Public API: :meth:`set_records`, :meth:`centre_on`, :meth:`fit`,
    :meth:`start_pick` / :meth:`cancel_pick`, :meth:`zoom_by`; signals below."""

    recordSelected = Signal(str)  # register number of the clicked record
    positionPicked = Signal(float, float)  # lat, lon clicked in pick mode
    pickCancelled = Signal()
    cursorMoved = Signal(str)  # "34T DN 89271 48852 · 42.89220°N 20.86860°E"

    MIN_SCALE = 1 / 2000.0  # pixels per metre: about 2 km a pixel, the whole region
    MAX_SCALE = 2.0  # half a metre a pixel

    def __init__(self, parent: QWidget | None = None, layers: MapLayers | None = None) -> None:
        super().__init__(parent)
        if layers is None:
            from kfor_desk.domain.geo.mapdata import map_layers

            layers = map_layers()
        self._layers = layers
        self.legend_wanted: bool | None = None  # None: shown when it covers little (L toggles)
        self._legend_area = 0.0  # pixels, known once the overlay has been painted
        self._scene = QGraphicsScene(self)
        self._scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self.setScene(self._scene)
        self.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setDragMode(QGraphicsView.DragMode.NoDrag)
        self.setBackgroundBrush(C_WATER)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(200, 150)
        self.setAccessibleName("Map of the ABL area")

        self._symbols: dict[str, RecordSymbol] = {}
        self._radii: list[QGraphicsItem] = []
        self._selected: str | None = None
        self._picking = False
        self._press_pos: QPoint | None = None
        self._last_drag: QPoint | None = None
        self._dragging = False
        self._cursor_text = ""
        self._fitted_once = False

        x0, y0, x1, y1 = self._layers.bounds
        rect = QRectF(QPointF(x0, -y1), QPointF(x1, -y0))
        self._scene.setSceneRect(rect.adjusted(-SCENE_MARGIN_M, -SCENE_MARGIN_M,
                                               SCENE_MARGIN_M, SCENE_MARGIN_M))
        self._build_base()

    # --- public API ---------------------------------------------------------------------

    def set_records(self, items: Iterable[MapItem]) -> None:
        """Replace the drawn records (plain values; the widget keeps nothing else)."""
        for sym in self._symbols.values():
            self._scene.removeItem(sym)
        for r in self._radii:
            self._scene.removeItem(r)
        self._symbols.clear()
        self._radii.clear()
        radius_fill: dict[tuple[bool, bool], QColor] = {}
        radius_pen: dict[tuple[bool, bool], QPen] = {}
        for is_saf in (True, False):
            for highlighted in (True, False):
                colour = C_SAF if is_saf else C_KSF
                fill = QColor(colour)
                fill.setAlpha(40 if highlighted else 26)
                radius_fill[(is_saf, highlighted)] = fill
                radius_pen[(is_saf, highlighted)] = cosmetic(colour, 1.4 if highlighted else 1.0)
        for item in items:
            x, y = project(item.lat, item.lon)
            pos = to_scene(x, y)
            if item.radius_m and item.radius_m > 0:
                rad = float(item.radius_m)
                circle = RadiusCircle(QRectF(pos.x() - rad, pos.y() - rad, 2 * rad, 2 * rad))
                circle.setBrush(radius_fill[(item.kind == "SAF", item.highlighted)])
                circle.setPen(radius_pen[(item.kind == "SAF", item.highlighted)])
                circle.setZValue(Z_RADIUS + (0.1 if item.highlighted else 0.0))
                circle.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
                self._scene.addItem(circle)
                self._radii.append(circle)
            sym = RecordSymbol(item)
            sym.setPos(pos)
            # several locations of one record share the register number: the first is the
            # record's anchor (selection, centring); the others are drawn alike
            if item.register_no in self._symbols:
                self._radii.append(sym)  # removed with the radii next time
            else:
                self._symbols[item.register_no] = sym
            self._scene.addItem(sym)
        if self._selected in self._symbols:
            self._symbols[self._selected].selected_mark = True
        else:
            self._selected = None
        self.viewport().update()

    def record_items(self) -> dict[str, QGraphicsItem]:
        """The symbol item of each drawn record, by register number (for tests and tools)."""
        return dict(self._symbols)

    def select(self, register_no: str | None) -> None:
        """Mark a record as selected (no signal)."""
        if self._selected in self._symbols:
            self._symbols[self._selected].selected_mark = False
            self._symbols[self._selected].update()
        self._selected = register_no if register_no in self._symbols else None
        if self._selected is not None:
            self._symbols[self._selected].selected_mark = True
            self._symbols[self._selected].update()

    def centre_on(self, register_no: str) -> bool:
        """Centre the map on a record (zooming in to about 40 km across if further out)."""
        sym = self._symbols.get(register_no)
        if sym is None:
            return False
        width_m = self.viewport().width() / max(self.transform().m11(), 1e-12)
        if width_m > 60_000:
            self._set_scale(self.viewport().width() / 40_000.0)
        self.centerOn(sym.pos())
        self.select(register_no)
        return True

    def centre_on_position(self, lat: float, lon: float) -> None:
        x, y = project(lat, lon)
        self.centerOn(to_scene(x, y))

    def fit(self) -> None:
        """Show the ABL and its 25 km band."""
        x0, y0, x1, y1 = self._layers.view_bounds
        self.fitInView(QRectF(QPointF(x0, -y1), QPointF(x1, -y0)),
                       Qt.AspectRatioMode.KeepAspectRatio)
        self._fitted_once = True
        self._declutter()

    def zoom_by(self, factor: float, anchor: QPoint | None = None) -> None:
        """Zoom by ``factor`` keeping the scene point under ``anchor`` (viewport pixels; default
        the centre) where it is."""
        if anchor is None:
            anchor = self.viewport().rect().center()
        before = self.mapToScene(anchor)
        current = self.transform().m11()
        target = min(max(current * factor, self.MIN_SCALE), self.MAX_SCALE)
        self._set_scale(target)
        after = self.mapToScene(anchor)
        delta = after - before
        # move the view so that ``before`` is under ``anchor`` again
        centre = self.mapToScene(self.viewport().rect().center())
        self.centerOn(centre - delta)

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

    # --- base layers --------------------------------------------------------------------

    def _build_base(self) -> None:
        layers = self._layers
        add = self._scene.addItem
        # Land, zones, bands and the ABL never change: they are painted in drawBackground,
        # which the view caches as a pixmap (redrawn on zoom, shifted on pan), from the
        # coarsest simplified copy that stays under half a pixel at the current scale.
        self._base = base_paths(layers)
        self._base_levels: dict[float, list[BasePath]] = {0.0: self._base}

        country_font = QFont()
        country_font.setPointSizeF(11)
        country_font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 3.0)
        country_font.setBold(True)
        for area in layers.land:
            label = HaloText(area.name.upper(), country_font, C_COUNTRY_TEXT,
                              halo=QColor(255, 255, 255, 0))
            w = label.boundingRect().width()
            label.setPos(to_scene(*area.label_point))
            label.setTransform(label.transform().translate(-w / 2, 0))
            label.setZValue(Z_LAND + 0.5)
            add(label)

        place_font = QFont()
        place_font.setPointSizeF(8.5)
        rank = {"municipality seat": 0, "crossing point": 1}
        self._place_labels: list[tuple[HaloText, HaloText]] = []
        for place in sorted(layers.places, key=lambda p: rank.get(p.kind, 2)):
            marker = PlaceMarker(place.kind)
            marker.setPos(to_scene(place.x, place.y))
            marker.setZValue(Z_PLACE)
            marker.setToolTip(f"{place.label} — {place.kind}")
            add(marker)
            text = HaloText(place.label, place_font, C_TEXT)
            text.setPos(to_scene(place.x, place.y))
            text.setTransform(text.transform().translate(6, -7))
            text.setZValue(Z_PLACE + 0.1)
            text.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            add(text)
            short = HaloText(place.name, place_font, C_TEXT)
            short.setPos(text.pos())
            short.setTransform(text.transform())
            short.setZValue(Z_PLACE + 0.1)
            short.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            add(short)
            self._place_labels.append((text, short))

    def _declutter(self) -> None:
        """Show each place's two-language label where it fits, else its name, else nothing
        (municipality seats first, then crossing points, then towns)."""
        taken: list[QRectF] = []
        for full, short in self._place_labels:
            shown: HaloText | None = None
            for label in (full, short):
                device = label.deviceTransform(self.viewportTransform())
                r = device.mapRect(label.boundingRect()).adjusted(-2, -1, 2, 1)
                if not any(r.intersects(t) for t in taken):
                    shown = label
                    taken.append(r)
                    break
            # only what changes: hiding a label drops its cached pixmap (a redraw of its halo)
            for label in (full, short):
                if label.isVisible() != (label is shown):
                    label.setVisible(label is shown)

    def _set_scale(self, pixels_per_metre: float) -> None:
        s = min(max(pixels_per_metre, self.MIN_SCALE), self.MAX_SCALE)
        centre = self.mapToScene(self.viewport().rect().center())
        self.setTransform(self.transform().fromScale(s, s))
        self.centerOn(centre)
        self._declutter()

    # --- events -------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._fitted_once:
            self.fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._fitted_once and self.isVisible():
            self.fit()

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
        for item in self.items(pos):
            register_no = item.data(REGISTER_ROLE)
            if isinstance(item, RecordSymbol) and register_no:
                self.select(str(register_no))
                self.recordSelected.emit(str(register_no))
                return

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

    # --- overlays (viewport pixels) -----------------------------------------------------

    def base_level(self) -> float:
        """The simplification (metres) the background is drawn with at the current scale:
        the coarsest level under half a pixel (0: the data as it is)."""
        half_pixel_m = 0.5 / max(self.transform().m11(), 1e-12)
        return max((t for t in LOD_TOLERANCES_M if t <= half_pixel_m), default=0.0)

    def _base_at(self, tolerance: float) -> list[BasePath]:
        level = self._base_levels.get(tolerance)
        if level is None:
            from kfor_desk.domain.geo.mapdata import simplified

            level = base_paths(simplified(self._layers, tolerance))
            self._base_levels[tolerance] = level
        return level

    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        painter.fillRect(rect, C_WATER)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for path, pen, brush in self._base_at(self.base_level()):
            if not path.controlPointRect().intersects(QRectF(rect)):
                continue
            painter.setPen(pen if pen is not None else Qt.PenStyle.NoPen)
            painter.setBrush(brush if brush is not None else Qt.BrushStyle.NoBrush)
            painter.drawPath(path)

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        paint_overlay(painter, self.font(), self.viewport().width(), self.viewport().height(),
                      m_per_px=self.scale_m_per_px(), attribution=self._layers.attribution,
                      cursor_text=self._cursor_text, picking=self._picking,
                      legend=self._legend_decision)

    def legend_shown(self) -> bool:
        """The legend is drawn when asked (L) or, by default, when it covers at most a tenth
        of the map (on a small map it would hide a third of it)."""
        if self.legend_wanted is not None:
            return self.legend_wanted
        area = self.viewport().width() * self.viewport().height()
        return self._legend_area <= 0.10 * area

    def _legend_decision(self, legend_area: float) -> bool:
        self._legend_area = legend_area
        return self.legend_shown()
