"""The records on the map: their symbols, radii and count discs, created only when needed.

:class:`RecordLayer` holds a :class:`~.plan.ClusterPlan` (computed off the GUI thread) and puts
in the scene, on the GUI thread, only what the view needs: at a zoom level, the count discs and
the symbols of the records drawn alone *near the visible area*. Items once made are kept and
shown or hidden when the level changes, so a zoom step never rebuilds them. It does not decide
the zoom, handle clicks or read anything: :mod:`.map_view` does.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsScene,
    QStyleOptionGraphicsItem,
    QWidget,
)

from .ink import InkRef, MapInk
from .items import REGISTER_ROLE, Z_RADIUS, _escape, fmt_distance, to_scene
from .plan import ClusterPlan, MapItem, disc_radius_px, plan_records

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
        s = self.radius + 7
        return QRectF(-s, -s, 2 * s, 2 * s)

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


_UNSET = object()


class RecordLayer:
    """The record items of one view: made lazily per level and area, kept, shown or hidden."""

    MARGIN = 0.5  # items are made up to half a view beyond each edge of what is seen

    def __init__(self, scene: QGraphicsScene, ink: InkRef) -> None:
        self._scene = scene
        self._ink = ink
        self._root = _Root()
        scene.addItem(self._root)
        self.plan: ClusterPlan = plan_records(())
        self.level: object = _UNSET
        self.selected: str | None = None
        self._reset()

    def _reset(self) -> None:
        n = len(self.plan)
        self.symbols: dict[int, RecordSymbol] = {}
        self.radii: dict[int, RadiusCircle] = {}
        self.discs: dict[int, dict[int, ClusterDisc]] = {}
        self._shown = np.zeros(n, dtype=np.bool_)  # per point: its symbol is visible
        self._covered: dict[object, QRectF] = {}
        self._marked: list[RecordSymbol | ClusterDisc] = []
        self.level = _UNSET

    # --- records in, items out ----------------------------------------------------------

    def set_plan(self, plan: ClusterPlan) -> None:
        """Drop every record item and take ``plan`` (items come with :meth:`sync`)."""
        self._scene.removeItem(self._root)
        self._root = _Root()
        self._scene.addItem(self._root)
        self.plan = plan
        self._reset()

    def sync(self, level: int | None, seen: QRectF) -> None:
        """Show ``level`` (``None``: every record alone) and make what lies near ``seen``
        (scene rect); an ungrouped plan is made whole at once."""
        if not self.plan.grouped:
            level = None
        if self.level is _UNSET or level != self.level:
            self._switch(level)
        covered = self._covered.get(level)
        if covered is not None and covered.contains(seen):
            return
        if not self.plan.grouped:
            want = QRectF(-1e9, -1e9, 2e9, 2e9)
        else:
            dx, dy = seen.width() * self.MARGIN, seen.height() * self.MARGIN
            want = seen.adjusted(-dx, -dy, dx, dy)
            if covered is not None:
                want = want.united(covered)
        self._make(level, want)
        self._covered[level] = want
        self._mark()

    def _switch(self, level: int | None) -> None:
        old = self.level
        if isinstance(old, int):
            for disc in self.discs.get(old, {}).values():
                disc.setVisible(False)
        if level is not None:
            for disc in self.discs.get(level, {}).values():
                disc.setVisible(True)
        self.level = level
        if self.symbols:
            idx = np.fromiter(self.symbols, dtype=np.int64, count=len(self.symbols))
            groups = self.plan.at(level)
            want = np.ones(len(idx), dtype=np.bool_) if groups is None else groups.alone[idx]
            for i, show in zip(idx[want != self._shown[idx]].tolist(),
                               want[want != self._shown[idx]].tolist(), strict=True):
                self._show_symbol(i, show)
        self._mark()

    def _show_symbol(self, i: int, show: bool) -> None:
        self.symbols[i].setVisible(show)
        radius = self.radii.get(i)
        if radius is not None:
            radius.setVisible(show)
        self._shown[i] = show

    def _make(self, level: int | None, rect: QRectF) -> None:
        plan = self.plan
        x0, x1 = rect.left(), rect.right()
        y0, y1 = -rect.bottom(), -rect.top()  # scene y is −northing
        inside = (plan.x >= x0) & (plan.x <= x1) & (plan.y >= y0) & (plan.y <= y1)
        groups = plan.at(level)
        alone = inside if groups is None else inside & groups.alone
        ink, root = self._ink, self._root
        for i in np.flatnonzero(alone & ~self._shown).tolist():
            if i in self.symbols:
                self._show_symbol(i, True)
                continue
            item = plan.items[i]
            pos = to_scene(float(plan.x[i]), float(plan.y[i]))
            if item.radius_m and item.radius_m > 0:
                circle = RadiusCircle(pos, float(item.radius_m), item.kind == "SAF",
                                      item.highlighted, ink)
                circle.setParentItem(root)
                self.radii[i] = circle
            sym = RecordSymbol(item, ink, i)
            sym.setPos(pos)
            sym.setParentItem(root)
            self.symbols[i] = sym
            self._shown[i] = True
        if groups is None or level is None:
            return
        g = groups.grouping
        made = self.discs.setdefault(level, {})
        dx, dy = groups.disc_x, groups.disc_y
        many = (g.count > 1) & (dx >= x0) & (dx <= x1) & (dy >= y0) & (dy <= y1)
        for k in np.flatnonzero(many).tolist():
            if k in made:
                continue
            disc = ClusterDisc(level, k, int(g.count[k]), int(groups.worst[k]),
                               int(groups.saf[k]), int(groups.highlighted[k]), ink)
            disc.setPos(to_scene(float(dx[k]), float(dy[k])))
            disc.setParentItem(root)
            made[k] = disc

    # --- selection ----------------------------------------------------------------------

    def select(self, register_no: str | None) -> None:
        self.selected = register_no
        self._mark()

    def _mark(self) -> None:
        """Mark the selected record's symbol, or the disc it is counted in."""
        want: list[RecordSymbol | ClusterDisc] = []
        indices = self.plan.by_register.get(self.selected or "", ())
        groups = self.plan.at(self.level if isinstance(self.level, int) else None)
        for i in indices:
            if self._shown[i]:
                want.append(self.symbols[i])
            elif groups is not None and isinstance(self.level, int):
                disc = self.discs.get(self.level, {}).get(int(groups.grouping.group_of[i]))
                if disc is not None:
                    want.append(disc)
        if want == self._marked:
            return
        for item in self._marked:
            item.selected_mark = False
            item.update()
        for item in want:
            item.selected_mark = True
            item.update()
        self._marked = want

    # --- what is drawn ------------------------------------------------------------------

    def shown_symbols(self) -> dict[str, RecordSymbol]:
        """The visible symbol of each record drawn alone (its first such location)."""
        out: dict[str, RecordSymbol] = {}
        for i in np.flatnonzero(self._shown).tolist():
            sym = self.symbols[i]
            out.setdefault(sym.item.register_no, sym)
        return out

    def shown_discs(self) -> list[ClusterDisc]:
        if not isinstance(self.level, int):
            return []
        return [d for d in self.discs.get(self.level, {}).values() if d.isVisible()]

    def all_items(self) -> list[QGraphicsItem]:
        return self._root.childItems()
