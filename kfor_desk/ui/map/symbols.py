"""The records' marks on the map, constant size on screen: a record's symbol, its radius on
the ground, and the count disc standing for several records.

Symbols and discs are drawn from pixmaps shared by all marks that look alike
(:func:`draw_stamp`). These are plain ``QGraphicsItem`` classes: which of them exist and which
are shown is :mod:`.records`' business; what a click on them does is :mod:`.map_view`'s.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from .ink import InkRef, MapInk
from .items import REGISTER_ROLE, Z_RADIUS, _escape, fmt_distance
from .plan import MapItem, disc_radius_px

Z_IN_LAYER_RADIUS, Z_IN_LAYER_SYMBOL, Z_IN_LAYER_DISC = 0.0, 1.0, 2.0
_STAMPS: dict[tuple[object, ...], QPixmap] = {}


def draw_stamp(painter: QPainter, key: tuple[object, ...], half: float,
               draw: Callable[[QPainter], None]) -> None:
    """Draw a symbol centred on the item from a pixmap made once per look (``key``) and
    pixel ratio: thousands of symbols and discs share a few pixmaps, and none is redrawn
    when a zoom step shows or hides it (an item's own cache is dropped when it is hidden)."""
    dpr = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
    full = (*key, dpr)
    pixmap = _STAMPS.get(full)
    if pixmap is None:
        side = math.ceil(2 * half * dpr)
        pixmap = QPixmap(side, side)
        pixmap.setDevicePixelRatio(dpr)
        pixmap.fill(Qt.GlobalColor.transparent)
        p = QPainter(pixmap)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        p.translate(half, half)
        draw(p)
        p.end()
        _STAMPS[full] = pixmap
    painter.drawPixmap(QPointF(-half, -half), pixmap)
BAND_WORDS = {3: "within 1 km of the ABL", 2: "within 5 km of the ABL",
              1: "within 25 km of the ABL", 0: "beyond 25 km of the ABL"}


class RecordSymbol(QGraphicsItem):
    """A record's symbol, constant size on screen: SAF a diamond, KSF a circle."""

    SIZE = 7.0

    def __init__(self, item: MapItem, ink: InkRef, index: int = 0) -> None:
        super().__init__()
        self.item = item
        self.index = index
        self.ink = ink
        self.selected_mark = False
        # constant size on screen: drawn from a pixmap shared by all symbols alike
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.setZValue(Z_IN_LAYER_SYMBOL + (0.5 if item.highlighted else 0.0))
        self.setData(REGISTER_ROLE, item.register_no)
        kind = "SAF exercise" if item.kind == "SAF" else "KSF request"
        tip = f"<b>{item.register_no}</b> — {_escape(item.title)}<br>{kind}"
        if item.radius_m:
            tip += f", radius {fmt_distance(item.radius_m)}"
        self.setToolTip(tip)

    BOUNDS = QRectF(-SIZE - 6, -SIZE - 6, 2 * SIZE + 12, 2 * SIZE + 12)

    def boundingRect(self) -> QRectF:
        return self.BOUNDS

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        s = self.SIZE + 3
        path.addEllipse(QPointF(0, 0), s, s)
        return path

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        ink = self.ink.ink
        key = ("symbol", ink.theme, self.item.kind == "SAF", self.item.highlighted,
               self.selected_mark)
        half = self.SIZE + 6
        draw_stamp(painter, key, half, lambda p: self._draw(p, ink))

    def _draw(self, painter: QPainter, ink: MapInk) -> None:
        s = self.SIZE
        if self.item.highlighted or self.selected_mark:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(ink.highlight if self.item.highlighted else ink.selected_halo)
            painter.drawEllipse(QPointF(0, 0), s + 5, s + 5)
            if self.selected_mark:
                painter.setPen(QPen(ink.text, 1.5))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawEllipse(QPointF(0, 0), s + 5, s + 5)
        painter.setPen(QPen(ink.symbol_outline, 1.6))
        if self.item.kind == "SAF":
            painter.setBrush(ink.saf)
            painter.drawPolygon(QPolygonF([QPointF(0, -s - 1.5), QPointF(s + 1.5, 0),
                                           QPointF(0, s + 1.5), QPointF(-s - 1.5, 0)]))
        else:
            painter.setBrush(ink.ksf)
            painter.drawEllipse(QPointF(0, 0), s, s)


class RadiusCircle(QGraphicsItem):
    """A record's radius, in metres on the ground. While it is no larger on screen than the
    record's symbol it would lie wholly under it, so it is not drawn (a view of the whole
    region has hundreds of them: drawing them cost more than the rest of the map)."""

    HIDDEN_UNDER_PX = RecordSymbol.SIZE

    def __init__(self, centre: QPointF, radius_m: float, saf: bool, highlighted: bool,
                 ink: InkRef) -> None:
        super().__init__()
        self._rect = QRectF(centre.x() - radius_m, centre.y() - radius_m,
                            2 * radius_m, 2 * radius_m)
        self.saf = saf
        self.highlighted = highlighted
        self.ink = ink
        self.setZValue(Z_IN_LAYER_RADIUS + (0.1 if highlighted else 0.0))
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def rect(self) -> QRectF:
        return QRectF(self._rect)

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        world = painter.worldTransform()
        scale = option.levelOfDetailFromTransform(world)
        radius_px = self._rect.width() * 0.5 * scale
        if radius_px <= self.HIDDEN_UNDER_PX:
            return
        colour = self.ink.ink.saf if self.saf else self.ink.ink.ksf
        fill = QColor(colour)
        fill.setAlpha(40 if self.highlighted else 26)
        pen = QPen(colour, 1.4 if self.highlighted else 1.0)
        pen.setCosmetic(True)
        # In device pixels; the faint fill without antialiasing (its edge lies under the
        # antialiased outline, so it looks the same) — an antialiased fill of hundreds of
        # circles cost the software rasteriser six times as much.
        centre = world.map(self._rect.center())
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawEllipse(centre, radius_px, radius_px)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(centre, radius_px, radius_px)
        painter.restore()


class ClusterDisc(QGraphicsItem):
    """Several records drawn as one disc with their count, in the colour of the worst band
    among them; ringed when one of them needs attention. A click zooms in (the view's)."""

    def __init__(self, level: int, group: int, count: int, worst: int, saf: int,
                 highlighted: int, ink: InkRef) -> None:
        super().__init__()
        self.level, self.group_index, self.count = level, group, count
        self.worst, self.highlighted = worst, highlighted
        self.ink = ink
        self.selected_mark = False
        self.radius = disc_radius_px(count)
        b = self.radius + 7
        self._bounds = QRectF(-b, -b, 2 * b, 2 * b)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.setZValue(Z_IN_LAYER_DISC + (0.5 if highlighted else 0.0))
        words = BAND_WORDS.get(worst, "band not known")
        tip = (f"<b>{count} records here</b>: {saf} SAF exercise{'s' if saf != 1 else ''}, "
               f"{count - saf} KSF request{'s' if count - saf != 1 else ''}"
               f"<br>nearest the ABL: {words}")
        if highlighted:
            tip += f"<br>{highlighted} need{'s' if highlighted == 1 else ''} attention"
        self.setToolTip(tip + "<br><i>Click to zoom in</i>")

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addEllipse(QPointF(0, 0), self.radius + 2, self.radius + 2)
        return path

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        ink = self.ink.ink
        key = ("disc", ink.theme, self.count, self.worst, bool(self.highlighted),
               self.selected_mark)
        draw_stamp(painter, key, self.radius + 7, lambda p: self._draw(p, ink))

    def _draw(self, painter: QPainter, ink: MapInk) -> None:
        r = self.radius
        if self.selected_mark:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(ink.selected_halo)
            painter.drawEllipse(QPointF(0, 0), r + 6, r + 6)
            painter.setPen(QPen(ink.text, 1.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(0, 0), r + 6, r + 6)
        if self.highlighted:
            painter.setPen(QPen(ink.highlight, 3.0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(0, 0), r + 2.5, r + 2.5)
        painter.setPen(QPen(ink.symbol_outline, 1.5))
        painter.setBrush(ink.band(self.worst))
        painter.drawEllipse(QPointF(0, 0), r, r)
        font = QFont()
        font.setBold(True)
        font.setPixelSize(11 if self.count < 1000 else 10)
        painter.setFont(font)
        painter.setPen(ink.cluster_text)
        painter.drawText(QRectF(-r, -r, 2 * r, 2 * r), Qt.AlignmentFlag.AlignCenter,
                         str(self.count))


class _Root(QGraphicsItem):
    """The parent of every record item (one call removes them all)."""

    def __init__(self) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, True)
        self.setZValue(Z_RADIUS)

    def boundingRect(self) -> QRectF:
        return QRectF()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        return None
