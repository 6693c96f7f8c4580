"""The offline map: land, the ABL and its bands, known places, and the records on top.

``MapView`` draws the Qt-free layers of :mod:`kfor_desk.domain.geo.mapdata` in a
``QGraphicsScene`` whose units are UTM 34N metres (scene ``x`` = easting, scene ``y`` =
−northing, so north is up). Records come in as plain :class:`MapItem` values; the widget holds
no database, no SQL and no business rules — it shows what it is given and reports clicks.

Mouse and keys: wheel zooms about the cursor, drag pans, click selects a record, ``+``/``-``
zoom, arrows pan, ``Home`` fits the ABL area, ``Esc`` leaves pick mode.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
    QResizeEvent,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QStyleOptionGraphicsItem,
    QWidget,
)

from kfor_desk.domain.enums import Side
from kfor_desk.domain.geo.position import format_mgrs, to_mgrs
from kfor_desk.ui import palette
from kfor_desk.ui.palette import qcolor

if TYPE_CHECKING:  # the geometry stack (numpy, shapely, pyproj) loads with the first map
    from kfor_desk.domain.geo.mapdata import MapLayers, PolygonRings


def project(lat: float, lon: float) -> tuple[float, float]:
    from kfor_desk.domain.geo.mapdata import project as _project

    return _project(lat, lon)


def unproject(x: float, y: float) -> tuple[float, float]:
    from kfor_desk.domain.geo.mapdata import unproject as _unproject

    return _unproject(x, y)


__all__ = ["MapItem", "MapView"]


@dataclass(frozen=True, slots=True)
class MapItem:
    """One record location to draw. ``kind`` is ``"SAF"`` or ``"KSF"``."""

    register_no: str
    kind: str
    title: str
    lat: float
    lon: float
    radius_m: float = 0.0
    highlighted: bool = False


# --- colours: kfor_desk.style (the active theme's map) ---------------------------------------
_MAP = palette.THEME.map
C_WATER = qcolor(_MAP.outside)  # outside the land data
C_LAND = {
    Side.KOSOVO: qcolor(_MAP.kosovo),
    Side.SERBIA: qcolor(_MAP.serbia),
    Side.OTHER: qcolor(_MAP.other_land),
}
C_BORDER = qcolor(_MAP.border)
C_ABL = qcolor(_MAP.abl)
C_NOTIFY = qcolor(_MAP.notify_band)
C_GROUND = qcolor(_MAP.ground_band)
C_AIR = qcolor(_MAP.air_band)
C_KOSOVO_BAND = qcolor(_MAP.kosovo_band)
C_SAF = qcolor(palette.THEME.saf)
C_KSF = qcolor(palette.THEME.ksf)
C_TEXT = qcolor(_MAP.text)
C_COUNTRY_TEXT = qcolor(_MAP.country_text)
C_HIGHLIGHT = qcolor(palette.THEME.highlight)
C_PLACE = qcolor(_MAP.place)
C_PLACE_OUTLINE = qcolor(_MAP.place_outline)
C_CAPTION = qcolor(_MAP.caption)
C_CAPTION_BG = qcolor(_MAP.caption_background)

Z_LAND, Z_ZONE, Z_BAND, Z_ABL, Z_PLACE, Z_RADIUS, Z_RECORD = 0, 1, 2, 3, 4, 5, 6
REGISTER_ROLE = 0  # QGraphicsItem.data key holding the register number
SCENE_MARGIN_M = 150_000.0


def _cosmetic(color: QColor, width: float, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    pen = QPen(color, width, style)
    pen.setCosmetic(True)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def _to_scene(x: float, y: float) -> QPointF:
    return QPointF(x, -y)


def _polygon_path(polygons: Iterable[PolygonRings]) -> QPainterPath:
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)
    for rings in polygons:
        for ring in rings:
            path.addPolygon(QPolygonF([_to_scene(x, y) for x, y in ring]))
            path.closeSubpath()
    return path


def _line_path(lines: Iterable[Iterable[tuple[float, float]]]) -> QPainterPath:
    path = QPainterPath()
    for line in lines:
        pts = [_to_scene(x, y) for x, y in line]
        if len(pts) < 2:
            continue
        path.moveTo(pts[0])
        for p in pts[1:]:
            path.lineTo(p)
    return path


class _RecordSymbol(QGraphicsItem):
    """A record's symbol, constant size on screen: SAF a red diamond, KSF a blue circle."""

    SIZE = 7.0

    def __init__(self, item: MapItem) -> None:
        super().__init__()
        self.item = item
        self.selected_mark = False
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        # constant size on screen, so a cached pixmap stays valid at every zoom
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setAcceptHoverEvents(False)
        self.setZValue(Z_RECORD + (0.5 if item.highlighted else 0.0))
        self.setData(REGISTER_ROLE, item.register_no)
        kind = "SAF exercise" if item.kind == "SAF" else "KSF request"
        tip = f"<b>{item.register_no}</b> — {_escape(item.title)}<br>{kind}"
        if item.radius_m:
            tip += f", radius {_fmt_distance(item.radius_m)}"
        self.setToolTip(tip)

    def boundingRect(self) -> QRectF:
        s = self.SIZE + 6
        return QRectF(-s, -s, 2 * s, 2 * s)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        s = self.SIZE + 3
        path.addEllipse(QPointF(0, 0), s, s)
        return path

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        s = self.SIZE
        if self.item.highlighted or self.selected_mark:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(C_HIGHLIGHT if self.item.highlighted else QColor(255, 255, 255, 220))
            painter.drawEllipse(QPointF(0, 0), s + 5, s + 5)
            if self.selected_mark:
                painter.setPen(QPen(C_TEXT, 1.5))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawEllipse(QPointF(0, 0), s + 5, s + 5)
        painter.setPen(QPen(QColor("white"), 1.6))
        if self.item.kind == "SAF":
            painter.setBrush(C_SAF)
            painter.drawPolygon(QPolygonF([QPointF(0, -s - 1.5), QPointF(s + 1.5, 0),
                                           QPointF(0, s + 1.5), QPointF(-s - 1.5, 0)]))
        else:
            painter.setBrush(C_KSF)
            painter.drawEllipse(QPointF(0, 0), s, s)


class _RadiusCircle(QGraphicsEllipseItem):
    """A record's radius, in metres on the ground. While it is no larger on screen than the
    record's symbol it would lie wholly under it, so it is not drawn (a view of the whole
    region has hundreds of them: drawing them cost more than the rest of the map)."""

    HIDDEN_UNDER_PX = _RecordSymbol.SIZE

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        world = painter.worldTransform()
        scale = option.levelOfDetailFromTransform(world)
        radius_px = self.rect().width() * 0.5 * scale
        if radius_px <= self.HIDDEN_UNDER_PX:
            return
        # In device pixels; the faint fill without antialiasing (its edge lies under the
        # antialiased outline, so it looks the same) — an antialiased fill of hundreds of
        # circles cost the software rasteriser six times as much.
        centre = world.map(self.rect().center())
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.brush())
        painter.drawEllipse(centre, radius_px, radius_px)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(self.pen())
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(centre, radius_px, radius_px)
        painter.restore()


class _HaloText(QGraphicsSimpleTextItem):
    """A label with a light halo, constant size on screen, offset from its anchor."""

    def __init__(self, text: str, font: QFont, color: QColor,
                 halo: QColor | None = None) -> None:
        super().__init__(text)
        self.setFont(font)
        self.setBrush(color)
        self.setPen(Qt.PenStyle.NoPen)
        self._halo = halo if halo is not None else QColor(255, 255, 255, 230)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        path = QPainterPath()
        fm = QFontMetricsF(self.font())
        path.addText(QPointF(0, fm.ascent()), self.font(), self.text())
        stroker = QPainterPathStroker()
        stroker.setWidth(3.0)
        stroker.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.fillPath(stroker.createStroke(path), self._halo)
        painter.fillPath(path, self.brush())


BasePath = tuple[QPainterPath, QPen | None, QColor | None]
# simplification levels of the base layers (metres); the data itself is simplified to 25 m
LOD_TOLERANCES_M = (60.0, 150.0, 400.0, 1000.0)


def _base_paths(layers: MapLayers) -> list[BasePath]:
    """The background's paths, bottom to top: land, zone fills, band lines, the ABL."""
    base: list[BasePath] = []
    for area in layers.land:
        base.append((_polygon_path(area.polygons), _cosmetic(C_BORDER, 0.8), C_LAND[area.side]))
    zone_fill = {1.0: qcolor(_MAP.notify_zone), 5.0: qcolor(_MAP.ground_zone)}
    for band in layers.bands:
        if band.side is Side.SERBIA and band.distance_km in zone_fill:
            base.append((_polygon_path(band.zone), None, zone_fill[band.distance_km]))
    for band in layers.bands:
        if band.side is Side.SERBIA:
            pen = {
                1.0: _cosmetic(C_NOTIFY, 1.3),
                5.0: _cosmetic(C_GROUND, 1.3, Qt.PenStyle.DashLine),
                25.0: _cosmetic(C_AIR, 1.1, Qt.PenStyle.DashDotLine),
            }[band.distance_km]
        else:
            pen = _cosmetic(C_KOSOVO_BAND, 0.9, Qt.PenStyle.DashLine
                            if band.distance_km == 5.0 else Qt.PenStyle.DotLine)
        base.append((_line_path(band.lines), pen, None))
    abl = _line_path([layers.abl])
    base.append((abl, _cosmetic(QColor(255, 255, 255, 200), 5.0), None))
    base.append((abl, _cosmetic(C_ABL, 2.4), None))
    return base


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

        self._symbols: dict[str, _RecordSymbol] = {}
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
                radius_pen[(is_saf, highlighted)] = _cosmetic(colour, 1.4 if highlighted else 1.0)
        for item in items:
            x, y = project(item.lat, item.lon)
            pos = _to_scene(x, y)
            if item.radius_m and item.radius_m > 0:
                rad = float(item.radius_m)
                circle = _RadiusCircle(QRectF(pos.x() - rad, pos.y() - rad, 2 * rad, 2 * rad))
                circle.setBrush(radius_fill[(item.kind == "SAF", item.highlighted)])
                circle.setPen(radius_pen[(item.kind == "SAF", item.highlighted)])
                circle.setZValue(Z_RADIUS + (0.1 if item.highlighted else 0.0))
                circle.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
                self._scene.addItem(circle)
                self._radii.append(circle)
            sym = _RecordSymbol(item)
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
        self.centerOn(_to_scene(x, y))

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
        self._base = _base_paths(layers)
        self._base_levels: dict[float, list[BasePath]] = {0.0: self._base}

        country_font = QFont()
        country_font.setPointSizeF(11)
        country_font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 3.0)
        country_font.setBold(True)
        for area in layers.land:
            label = _HaloText(area.name.upper(), country_font, C_COUNTRY_TEXT,
                              halo=QColor(255, 255, 255, 0))
            w = label.boundingRect().width()
            label.setPos(_to_scene(*area.label_point))
            label.setTransform(label.transform().translate(-w / 2, 0))
            label.setZValue(Z_LAND + 0.5)
            add(label)

        place_font = QFont()
        place_font.setPointSizeF(8.5)
        rank = {"municipality seat": 0, "crossing point": 1}
        self._place_labels: list[tuple[_HaloText, _HaloText]] = []
        for place in sorted(layers.places, key=lambda p: rank.get(p.kind, 2)):
            marker = _PlaceMarker(place.kind)
            marker.setPos(_to_scene(place.x, place.y))
            marker.setZValue(Z_PLACE)
            marker.setToolTip(f"{place.label} — {place.kind}")
            add(marker)
            text = _HaloText(place.label, place_font, C_TEXT)
            text.setPos(_to_scene(place.x, place.y))
            text.setTransform(text.transform().translate(6, -7))
            text.setZValue(Z_PLACE + 0.1)
            text.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            add(text)
            short = _HaloText(place.name, place_font, C_TEXT)
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
            shown: _HaloText | None = None
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
            if isinstance(item, _RecordSymbol) and register_no:
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

            level = _base_paths(simplified(self._layers, tolerance))
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
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        vw = self.viewport().width()
        vh = self.viewport().height()
        font = QFont(self.font())
        font.setPointSizeF(8.5)
        painter.setFont(font)
        fm = QFontMetricsF(font)
        self._draw_attribution(painter, fm, vw, vh)
        self._draw_scale_bar(painter, fm, vh)
        small = QFont(font)
        small.setPointSizeF(7.5)
        painter.setFont(small)
        self._draw_legend(painter, QFontMetricsF(small), vh)
        painter.setFont(font)
        top = 8.0
        if self._cursor_text:
            self._draw_box(painter, fm, QPointF(8, top), self._cursor_text)
            top += fm.height() + 12
        if self._picking:
            bold = QFont(font)
            bold.setBold(True)
            painter.setFont(bold)
            self._draw_box(painter, QFontMetricsF(bold), QPointF(8, top),
                           "Click the map to pick a position — Esc to cancel",
                           bg=QColor(255, 244, 200, 240))
            painter.setFont(font)
        painter.restore()

    def _draw_box(self, painter: QPainter, fm: QFontMetricsF, at: QPointF, text: str,
                  bg: QColor | None = None) -> QRectF:
        w = fm.horizontalAdvance(text) + 12
        h = fm.height() + 6
        box = QRectF(at.x(), at.y(), w, h)
        painter.setPen(QPen(QColor(0, 0, 0, 60), 1))
        painter.setBrush(bg if bg is not None else C_CAPTION_BG)
        painter.drawRoundedRect(box, 3, 3)
        painter.setPen(C_TEXT)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        return box

    def _draw_attribution(self, painter: QPainter, fm: QFontMetricsF, vw: int, vh: int) -> None:
        text = "  ·  ".join(self._layers.attribution)
        w = fm.horizontalAdvance(text) + 12
        h = fm.height() + 4
        box = QRectF(vw - w - 4, vh - h - 4, w, h)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(C_CAPTION_BG)
        painter.drawRoundedRect(box, 2, 2)
        painter.setPen(C_CAPTION)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def _draw_scale_bar(self, painter: QPainter, fm: QFontMetricsF, vh: int) -> None:
        m_per_px = self.scale_m_per_px() * 0.9997  # grid metres → ground metres, near enough
        target_px = 110.0
        raw = m_per_px * target_px
        exp = 10 ** math.floor(math.log10(raw))
        length_m = max(
            (n * exp for n in (1, 2, 5, 10) if n * exp <= raw), default=exp
        )
        px = length_m / m_per_px
        label = _fmt_distance(length_m)
        x0, y0 = 12.0, vh - 22.0
        box = QRectF(x0 - 6, y0 - fm.height() - 6, px + 12 + fm.horizontalAdvance(label) / 2,
                     fm.height() + 20)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(C_CAPTION_BG)
        painter.drawRoundedRect(box, 2, 2)
        half = px / 2
        painter.setPen(QPen(C_TEXT, 1))
        painter.setBrush(C_TEXT)
        painter.drawRect(QRectF(x0, y0, half, 5))
        painter.setBrush(QColor("white"))
        painter.drawRect(QRectF(x0 + half, y0, half, 5))
        painter.setPen(C_TEXT)
        painter.drawText(QPointF(x0 - 2, y0 - 4), "0")
        painter.drawText(QPointF(x0 + px - fm.horizontalAdvance(label) / 2, y0 - 4), label)

    def legend_shown(self) -> bool:
        """The legend is drawn when asked (L) or, by default, when it covers at most a tenth
        of the map (on a small map it would hide a third of it)."""
        if self.legend_wanted is not None:
            return self.legend_wanted
        area = self.viewport().width() * self.viewport().height()
        return getattr(self, "_legend_area", 0) <= 0.10 * area

    def _draw_legend(self, painter: QPainter, fm: QFontMetricsF, vh: int) -> None:
        """Small, bottom left above the scale bar: clear of the ABL (north and east) at the
        default view."""
        rows: list[tuple[str, str, QPen | QColor]] = [
            ("line", "ABL (indicative)", _cosmetic(C_ABL, 2.4)),
            ("line", "1 km notification line", _cosmetic(C_NOTIFY, 1.3)),
            ("line", "5 km ground band", _cosmetic(C_GROUND, 1.3, Qt.PenStyle.DashLine)),
            ("line", "25 km air band", _cosmetic(C_AIR, 1.1, Qt.PenStyle.DashDotLine)),
            ("line", "1 / 5 km, Kosovo side", _cosmetic(C_KOSOVO_BAND, 0.9,
                                                         Qt.PenStyle.DashLine)),
            ("saf", "SAF exercise", C_SAF),
            ("ksf", "KSF request", C_KSF),
        ]
        line_h = fm.height() + 1
        w = max(fm.horizontalAdvance(r[1]) for r in rows) + 36
        h = line_h * len(rows) + 8
        scale_top = vh - 22.0 - fm.height() - 14  # the scale bar's box, below
        self._legend_area = w * h
        if not self.legend_shown():  # a small map (1366×768): a key to ask for it
            self._draw_box(painter, fm, QPointF(6, scale_top - line_h - 12), "L: legend")
            return
        box = QRectF(6, scale_top - h - 6, w, h)
        painter.setPen(QPen(QColor(0, 0, 0, 50), 1))
        painter.setBrush(C_CAPTION_BG)
        painter.drawRoundedRect(box, 3, 3)
        y = box.top() + 4
        for kind, text, style in rows:
            cy = y + line_h / 2
            sx = box.left() + 6
            if kind == "line" and isinstance(style, QPen):
                painter.setPen(style)
                painter.drawLine(QPointF(sx, cy), QPointF(sx + 18, cy))
            elif isinstance(style, QColor):
                painter.setPen(QPen(QColor("white"), 1.0))
                painter.setBrush(style)
                c = QPointF(sx + 9, cy)
                if kind == "saf":
                    painter.drawPolygon(QPolygonF([c + QPointF(0, -4.5), c + QPointF(4.5, 0),
                                                   c + QPointF(0, 4.5), c + QPointF(-4.5, 0)]))
                else:
                    painter.drawEllipse(c, 4, 4)
            painter.setPen(C_TEXT)
            painter.drawText(QRectF(sx + 24, y, w - 30, line_h),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
            y += line_h


class _PlaceMarker(QGraphicsItem):
    """Municipality seat: dark square; crossing point: small bar across; town: dot."""

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:
        return QRectF(-6, -6, 12, 12)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(C_PLACE_OUTLINE, 1.2))
        painter.setBrush(QBrush(C_PLACE))
        if self.kind == "municipality seat":
            painter.drawRect(QRectF(-3.5, -3.5, 7, 7))
        elif self.kind == "crossing point":
            painter.setBrush(QBrush(C_ABL))
            painter.drawRect(QRectF(-4.5, -2, 9, 4))
        else:
            painter.drawEllipse(QPointF(0, 0), 3.2, 3.2)


def _fmt_distance(metres: float) -> str:
    if metres >= 1000:
        km = metres / 1000
        return f"{km:g} km" if km >= 1 and km == int(km) else f"{km:.1f} km"
    return f"{metres:g} m"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
