"""The map's base pieces in scene units: projection, place markers, halo labels and the
background paths (land, zones, bands, the ABL); the records' symbols are :mod:`.records`'.

Scene units are UTM 34N metres (``x`` = easting, ``y`` = −northing, so north is up). Nothing here
is a widget: :mod:`.map_view` puts these items in its scene, :mod:`.overlay` draws over it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
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
    QPixmap,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSimpleTextItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from kfor_desk.domain.enums import Band, Side
from kfor_desk.ui import palette
from kfor_desk.ui.palette import qcolor

from .ink import InkRef, MapInk
from .plan import MapItem

if TYPE_CHECKING:  # the geometry stack (numpy, shapely, pyproj) loads with the first map
    from kfor_desk.domain.geo.mapdata import MapLayers, PolygonRings

__all__ = ["MapItem"]


def project(lat: float, lon: float) -> tuple[float, float]:
    from kfor_desk.domain.geo.mapdata import project as _project

    return _project(lat, lon)


def unproject(x: float, y: float) -> tuple[float, float]:
    from kfor_desk.domain.geo.mapdata import unproject as _unproject

    return _unproject(x, y)


# --- colours: kfor_desk.style, through .ink (the theme a view paints with) -------------------
C_KSF = qcolor(palette.THEME.ksf)  # the KSF colour of the theme active at import (for tests)

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


class HaloText(QGraphicsSimpleTextItem):
    """A label with a halo (the theme's), constant size on screen, offset from its anchor."""

    def __init__(self, text: str, font: QFont, color: QColor,
                 halo: QColor | None = None) -> None:
        super().__init__(text)
        self.setFont(font)
        self.setPen(Qt.PenStyle.NoPen)
        self.recolour(color, halo if halo is not None else QColor(255, 255, 255, 230))
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)

    def recolour(self, color: QColor, halo: QColor) -> None:
        self.setBrush(color)
        self._halo = halo
        self._pixmap: QPixmap | None = None
        self.update()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        # drawn once into a pixmap of its own and copied: the labels shown change at every
        # zoom step, and an item's own cache is dropped whenever it is hidden
        device = painter.device()
        dpr = device.devicePixelRatioF() if device is not None else 1.0
        pixmap = self._pixmap
        if pixmap is None or pixmap.devicePixelRatio() != dpr:
            box = self.boundingRect().adjusted(-3, -3, 3, 3)
            pixmap = QPixmap(math.ceil(box.width() * dpr), math.ceil(box.height() * dpr))
            pixmap.setDevicePixelRatio(dpr)
            pixmap.fill(Qt.GlobalColor.transparent)
            p = QPainter(pixmap)
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            p.translate(-box.left(), -box.top())
            path = QPainterPath()
            fm = QFontMetricsF(self.font())
            path.addText(QPointF(0, fm.ascent()), self.font(), self.text())
            stroker = QPainterPathStroker()
            stroker.setWidth(3.0)
            stroker.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            p.fillPath(stroker.createStroke(path), self._halo)
            p.fillPath(path, self.brush())
            p.end()
            self._pixmap = pixmap
            self._offset = box.topLeft()
        painter.drawPixmap(self._offset, pixmap)

    def boundingRect(self) -> QRectF:
        # asked for on every repaint; the text's layout is measured once (it never changes)
        bounds = getattr(self, "_bounds", None)
        if bounds is None:
            bounds = self._bounds = super().boundingRect().adjusted(-3, -3, 3, 3)
        return bounds


BasePath = tuple[QPainterPath, QPen | None, QColor | None]
# simplification levels of the base layers (metres); the data itself is simplified to 25 m
# (close steps: a stroke costs by its points, and each zoom step redraws the background)
LOD_TOLERANCES_M = (40.0, 60.0, 100.0, 150.0, 250.0, 400.0, 650.0, 1000.0)


def base_paths(layers: MapLayers, ink: MapInk) -> list[BasePath]:
    """The background's paths, bottom to top: land, zone fills, band lines, the ABL."""
    base: list[BasePath] = []
    for area in layers.land:
        base.append((polygon_path(area.polygons), cosmetic(ink.border, 0.8), ink.land[area.side]))
    zone_fill = {Band.NOTIFY: ink.notify_zone, Band.GROUND: ink.ground_zone}
    for band in layers.bands:
        if band.side is Side.SERBIA and band.band in zone_fill:
            base.append((polygon_path(band.zone), None, zone_fill[band.band]))
    for band in layers.bands:
        if band.side is Side.SERBIA:
            pen = {
                Band.NOTIFY: cosmetic(ink.notify, 1.3),
                Band.GROUND: cosmetic(ink.ground, 1.3, Qt.PenStyle.DashLine),
                Band.AIR: cosmetic(ink.air, 1.1, Qt.PenStyle.DashDotLine),
            }[band.band]
        else:
            pen = cosmetic(ink.kosovo_band, 0.9, Qt.PenStyle.DashLine
                            if band.band is Band.GROUND else Qt.PenStyle.DotLine)
        base.append((line_path(band.lines), pen, None))
    abl = line_path([layers.abl])
    base.append((abl, cosmetic(ink.abl_casing, 5.0), None))
    base.append((abl, cosmetic(ink.abl, 2.4), None))
    return base


class PlaceMarker(QGraphicsItem):
    """Municipality seat: dark square; crossing point: small bar across; town: dot."""

    def __init__(self, kind: str, ink: InkRef) -> None:
        super().__init__()
        self.kind = kind
        self.ink = ink
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:
        return QRectF(-6, -6, 12, 12)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        ink = self.ink.ink
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(ink.place_outline, 1.2))
        painter.setBrush(QBrush(ink.place))
        if self.kind == "municipality seat":
            painter.drawRect(QRectF(-3.5, -3.5, 7, 7))
        elif self.kind == "crossing point":
            painter.setBrush(QBrush(ink.abl))
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
