"""The offline map: land, the ABL and its bands, known places, and the records on top (alone
when zoomed in, as count discs where they would crowd).

``MapView`` draws the Qt-free layers of :mod:`kfor_desk.domain.geo.mapdata` in a
``QGraphicsScene`` whose units are UTM 34N metres (scene ``x`` = easting, scene ``y`` =
−northing, so north is up). Records come in as plain :class:`MapItem` values; the widget holds
no database, no SQL and no business rules — it shows what it is given and reports clicks.

Mouse and keys are :mod:`.interaction`'s (a click selects a record, or zooms in on a disc);
the background and places :mod:`.base`'s, the records :mod:`.records`' (grouped by
:mod:`.plan` on a worker), what is drawn over the map :mod:`.overlay`'s.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QPainter,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QGraphicsView, QWidget

from kfor_desk.ui import palette

from .backdrop import Backdrop
from .base import BaseLayer
from .ink import InkRef, ink_for
from .interaction import MapInteraction
from .items import (
    C_KSF,
    LOD_TOLERANCES_M,
    REGISTER_ROLE,
    SCENE_MARGIN_M,
    MapItem,
    project,
    to_scene,
)
from .overlay import paint_overlay
from .plan import ClusterPlan, level_for, plan_records, widest_m_per_px

if TYPE_CHECKING:  # the geometry stack (numpy, shapely, pyproj) loads with the first map
    from kfor_desk.domain.geo.mapdata import MapLayers
    from kfor_desk.style import ScreenTheme

    from .records import ClusterDisc

__all__ = ["C_KSF", "LOD_TOLERANCES_M", "MapItem", "MapView"]

log = logging.getLogger(__name__)


class MapView(MapInteraction):
    """The map widget. Public API: :meth:`set_records`, :meth:`select`, :meth:`centre_on`,
    :meth:`fit`, :meth:`start_pick` / :meth:`cancel_pick`, :meth:`zoom_by`,
    :meth:`apply_theme`; signals below."""

    recordSelected = Signal(str)  # register number of the clicked record
    recordsShown = Signal(int)  # the records last given are on the map (number of locations)

    MIN_SCALE = 1 / 2000.0  # pixels per metre: about 2 km a pixel, the whole region
    MAX_SCALE = 2.0  # half a metre a pixel
    CENTRE_WIDTH_M = (10_000.0, 40_000.0)  # a record centred on is shown this wide, at most

    def __init__(self, parent: QWidget | None = None, layers: MapLayers | None = None,
                 theme: ScreenTheme | None = None) -> None:
        super().__init__(parent)
        if layers is None:
            from kfor_desk.domain.geo.mapdata import map_layers

            layers = map_layers()
        self._layers = layers
        self._ink = InkRef(ink_for(theme if theme is not None else palette.THEME))
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
        self.setBackgroundBrush(self._ink.ink.outside)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(200, 150)
        self.setAccessibleName("Map of the ABL area")

        self._selected: str | None = None
        self._centre_when_shown: str | None = None
        self._given = 0  # generations of records handed in, and the one drawn
        self._drawn = 0
        self._fitted_once = False

        from .records import RecordLayer  # numpy: with the first map, after the first paint

        self._base = BaseLayer(self._scene, layers, self._ink)
        self._backdrop = Backdrop(self, self._base)
        self._records = RecordLayer(self._scene, self._ink)
        x0, y0, x1, y1 = self._layers.bounds
        rect = QRectF(QPointF(x0, -y1), QPointF(x1, -y0))
        self._scene.setSceneRect(rect.adjusted(-SCENE_MARGIN_M, -SCENE_MARGIN_M,
                                               SCENE_MARGIN_M, SCENE_MARGIN_M))

    # --- public API ---------------------------------------------------------------------

    def set_records(self, items: Iterable[MapItem]) -> None:
        """Replace the drawn records (plain values; the widget keeps nothing else).

        Few records are drawn at once; from :data:`~kfor_desk.domain.geo.clusters.MIN_TO_GROUP`
        on, their groups are computed on a worker and the records shown so far stay until they
        are ready (:attr:`recordsShown` then; :meth:`records_pending` meanwhile)."""
        from kfor_desk.domain.geo.clusters import should_group

        items = tuple(items)
        self._given += 1
        generation = self._given
        if not should_group(len(items)):
            self._take(plan_records(items), generation)
            return
        from kfor_desk.ui.tasks import run_task

        def done(plan: ClusterPlan) -> None:
            if shiboken6.isValid(self):
                self._take(plan, generation)

        def failed(exc: BaseException) -> None:
            log.warning("map records not grouped (%s); drawn one by one", exc)
            if shiboken6.isValid(self):
                self._take(plan_records(()), generation)

        run_task(None, "Grouping the map's records", lambda _p: plan_records(items), done,
                 failed, cancellable=False, show_dialog=False)

    def records_pending(self) -> bool:
        """Whether records handed in are still being grouped (the older ones are shown)."""
        return self._drawn != self._given

    def _take(self, plan: ClusterPlan, generation: int) -> None:
        if generation < self._drawn or generation != self._given:
            return  # newer records were handed in meanwhile
        self._drawn = generation
        self._records.set_plan(plan)
        self._records.select(self._selected)
        self._sync()
        centre, self._centre_when_shown = self._centre_when_shown, None
        if centre is not None and centre == self._selected:
            self.centre_on(centre)
        self.viewport().update()
        self.recordsShown.emit(len(plan))

    def record_items(self) -> dict[str, QGraphicsItem]:
        """The symbol of each record drawn as itself now, by register number (a record
        counted in a disc has none; for tests and tools)."""
        return dict(self._records.shown_symbols())

    def cluster_items(self) -> list[ClusterDisc]:
        """The count discs drawn now near the visible area."""
        return self._records.shown_discs()

    def grouping_level(self) -> int | None:
        """Cells of 2^level metres are drawn as one disc now (``None``: every record alone)."""
        return level_for(self.scale_m_per_px()) if self._records.plan.grouped else None

    def select(self, register_no: str | None) -> None:
        """Mark a record as selected (no signal): its symbol, or the disc it is counted in."""
        self._selected = register_no
        self._records.select(register_no)

    def centre_on(self, register_no: str) -> bool:
        """Centre the map on a record, zoomed in until it stands alone (between 40 and 10 km
        across; a record still in a disc there marks the disc) and select it."""
        plan = self._records.plan
        indices = plan.by_register.get(register_no)
        if not indices:
            if self.records_pending():
                self._centre_when_shown = register_no
            return False
        i = indices[0]
        vw = max(self.viewport().width(), 1)
        narrow, wide = self.CENTRE_WIDTH_M
        m_per_px = min(self.scale_m_per_px(), wide / vw)
        if plan.grouped:
            m_per_px = min(m_per_px, max(0.999 * widest_m_per_px(plan.alone_from(i)), narrow / vw))
        if m_per_px < self.scale_m_per_px() * 0.999:
            self._set_scale(1.0 / m_per_px)
        self.centerOn(to_scene(float(plan.x[i]), float(plan.y[i])))
        self.select(register_no)
        return True

    def centre_on_position(self, lat: float, lon: float) -> None:
        x, y = project(lat, lon)
        self.centerOn(to_scene(x, y))

    def zoom_to_cluster(self, disc: ClusterDisc) -> None:
        """Zoom in on a disc's records: they fill the view, or at least its cells split."""
        groups = self._records.plan.at(disc.level)
        if groups is None:
            return
        members = groups.grouping.members(disc.group_index)
        plan = self._records.plan
        xs, ys = plan.x[members], plan.y[members]
        x0, x1, y0, y1 = float(xs.min()), float(xs.max()), float(ys.min()), float(ys.max())
        vp = self.viewport().rect()
        fit = max((x1 - x0) * 1.4 / max(vp.width(), 1), (y1 - y0) * 1.4 / max(vp.height(), 1))
        m_per_px = min(max(fit, 1.0 / self.MAX_SCALE), 0.999 * widest_m_per_px(disc.level - 1))
        self._set_scale(1.0 / m_per_px)
        self.centerOn(to_scene((x0 + x1) / 2, (y0 + y1) / 2))

    def fit(self) -> None:
        """Show the ABL and its 25 km band."""
        x0, y0, x1, y1 = self._layers.view_bounds
        self.fitInView(QRectF(QPointF(x0, -y1), QPointF(x1, -y0)),
                       Qt.AspectRatioMode.KeepAspectRatio)
        self._fitted_once = True
        self._declutter()
        self._sync()

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

    def apply_theme(self, theme: ScreenTheme) -> None:
        """Repaint the map in ``theme`` (the :class:`~kfor_desk.style.ScreenTheme` in use):
        land, bands, places, records, discs and what is drawn over the map, at once."""
        ink = ink_for(theme)
        if ink is self._ink.ink:
            return
        self._ink.ink = ink
        self._base.recolour()
        self._backdrop.invalidate()
        for item in self._records.all_items():
            item.update()  # drops its cached pixmap
        self.setBackgroundBrush(ink.outside)
        self.resetCachedContent()
        self.viewport().update()

    def theme_name(self) -> str:
        return self._ink.ink.theme

    # --- zoom and what it shows ----------------------------------------------------------

    def _declutter(self) -> None:
        self._base.declutter(self.viewportTransform())

    def _sync(self) -> None:
        """Show the grouping level of the current scale and make the items near the view."""
        seen = self.mapToScene(self.viewport().rect()).boundingRect()
        self._records.sync(level_for(self.scale_m_per_px()), seen)

    def _set_scale(self, pixels_per_metre: float) -> None:
        s = min(max(pixels_per_metre, self.MIN_SCALE), self.MAX_SCALE)
        centre = self.mapToScene(self.viewport().rect().center())
        self.setTransform(self.transform().fromScale(s, s))
        self.centerOn(centre)
        self._declutter()
        self._sync()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        self._sync()

    # --- events -------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._fitted_once:
            self.fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._fitted_once and self.isVisible():
            self.fit()
        else:
            self._sync()

    def _click_at(self, pos: QPoint) -> None:
        """A disc zooms in on its records; a symbol selects its record."""
        from .records import ClusterDisc, RecordSymbol

        for item in self.items(pos):
            if isinstance(item, ClusterDisc):
                self.zoom_to_cluster(item)
                return
            register_no = item.data(REGISTER_ROLE)
            if isinstance(item, RecordSymbol) and register_no:
                self.select(str(register_no))
                self.recordSelected.emit(str(register_no))
                return

    # --- overlays (viewport pixels) -----------------------------------------------------

    def base_level(self) -> float:
        """The simplification (metres) the background is drawn with at the current scale:
        the coarsest level under half a pixel (0: the data as it is)."""
        return BaseLayer.level_at(self.transform().m11())

    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        self._backdrop.paint(painter, QRectF(rect), self.transform().m11(), self.base_level())

    def background_pending(self) -> bool:
        """Whether the background at the current scale is still being drawn on a worker
        (meanwhile the last one is shown, scaled)."""
        return self._backdrop.pending() or not self._backdrop.sharp()

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        paint_overlay(painter, self.font(), self.viewport().width(), self.viewport().height(),
                      ink=self._ink.ink, m_per_px=self.scale_m_per_px(),
                      attribution=self._layers.attribution, cursor_text=self._cursor_text,
                      picking=self._picking, legend=self._legend_decision)

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
