"""The map's pieces in scene units: projection, colours, record symbols, radius circles, place
markers, halo labels and the background paths (land, zones, bands, the ABL).

Scene units are UTM 34N metres (``x`` = easting, ``y`` = −northing, so north is up). Nothing here
is a widget: :mod:`.map_view` puts these items in its scene, :mod:`.overlay` draws over it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsSimpleTextItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from kfor_desk.domain.enums import Band, Side
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


def cosmetic(color: QColor, width: float, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    pen = QPen(color, width, style)
    pen.setCosmetic(True)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def to_scene(x: float, y: float) -> QPointF:
    return QPointF(x, -y)


def polygon_path(polygons: Iterable[PolygonRings]) -> QPainterPath:
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)
    for rings in polygons:
        for ring in rings:
            path.addPolygon(QPolygonF([to_scene(x, y) for x, y in ring]))
            path.closeSubpath()
    return path


def line_path(lines: Iterable[Iterable[tuple[float, float]]]) -> QPainterPath:
    path = QPainterPath()
    for line in lines:
        pts = [to_scene(x, y) for x, y in line]
        if len(pts) < 2:
            continue
        path.moveTo(pts[0])
        for p in pts[1:]:
            path.lineTo(p)
    return path


class RecordSymbol(QGraphicsItem):
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
            tip += f", radius {fmt_distance(item.radius_m)}"
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


class RadiusCircle(QGraphicsEllipseItem):
    """A record's radius, in metres on the ground. While it is no larger on screen than the
    record's symbol it would lie wholly under it, so it is not drawn (a view of the whole
    region has hundreds of them: drawing them cost more than the rest of the map)."""

    HIDDEN_UNDER_PX = RecordSymbol.SIZE

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


class HaloText(QGraphicsSimpleTextItem):
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


def base_paths(layers: MapLayers) -> list[BasePath]:
    """The background's paths, bottom to top: land, zone fills, band lines, the ABL."""
    base: list[BasePath] = []
    for area in layers.land:
        base.append((polygon_path(area.polygons), cosmetic(C_BORDER, 0.8), C_LAND[area.side]))
    zone_fill = {Band.NOTIFY: qcolor(_MAP.notify_zone), Band.GROUND: qcolor(_MAP.ground_zone)}
    for band in layers.bands:
        if band.side is Side.SERBIA and band.band in zone_fill:
            base.append((polygon_path(band.zone), None, zone_fill[band.band]))
    for band in layers.bands:
        if band.side is Side.SERBIA:
            pen = {
                Band.NOTIFY: cosmetic(C_NOTIFY, 1.3),
                Band.GROUND: cosmetic(C_GROUND, 1.3, Qt.PenStyle.DashLine),
                Band.AIR: cosmetic(C_AIR, 1.1, Qt.PenStyle.DashDotLine),
            }[band.band]
        else:
            pen = cosmetic(C_KOSOVO_BAND, 0.9, Qt.PenStyle.DashLine
                            if band.band is Band.GROUND else Qt.PenStyle.DotLine)
        base.append((line_path(band.lines), pen, None))
    abl = line_path([layers.abl])
    base.append((abl, cosmetic(QColor(255, 255, 255, 200), 5.0), None))
    base.append((abl, cosmetic(C_ABL, 2.4), None))
    return base


class PlaceMarker(QGraphicsItem):
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


def fmt_distance(metres: float) -> str:
    if metres >= 1000:
        km = metres / 1000
        return f"{km:g} km" if km >= 1 and km == int(km) else f"{km:.1f} km"
    return f"{metres:g} m"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
