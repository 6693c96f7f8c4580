"""What lies under the records: land, zones, bands and the ABL (painted as the view's cached
background), and the country names and places (scene items whose labels give way to each other).

:class:`BaseLayer` builds them once from the map layers and keeps a simplified copy of the
background per zoom level; :meth:`BaseLayer.recolour` repaints all of it in another theme. It
knows nothing of records, clicks or the widget's zoom: :mod:`.map_view` asks it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QTransform
from PySide6.QtWidgets import QGraphicsScene

from .ink import InkRef
from .items import (
    LOD_TOLERANCES_M,
    Z_LAND,
    Z_PLACE,
    BasePath,
    HaloText,
    PlaceMarker,
    base_paths,
    to_scene,
)

if TYPE_CHECKING:
    from kfor_desk.domain.geo.mapdata import MapLayers


class BaseLayer:
    """The background paths (per simplification level) and the place and country labels."""

    def __init__(self, scene: QGraphicsScene, layers: MapLayers, ink: InkRef) -> None:
        self._layers = layers
        self._ink = ink
        self._levels: dict[float, list[BasePath]] = {0.0: base_paths(layers, ink.ink)}
        add = scene.addItem
        country_font = QFont()
        country_font.setPointSizeF(11)
        country_font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 3.0)
        country_font.setBold(True)
        self._countries: list[HaloText] = []
        for area in layers.land:
            label = HaloText(area.name.upper(), country_font, ink.ink.country_text,
                             halo=QColor(0, 0, 0, 0))
            w = label.boundingRect().width()
            label.setPos(to_scene(*area.label_point))
            label.setTransform(label.transform().translate(-w / 2, 0))
            label.setZValue(Z_LAND + 0.5)
            add(label)
            self._countries.append(label)

        place_font = QFont()
        place_font.setPointSizeF(8.5)
        rank = {"municipality seat": 0, "crossing point": 1}
        self._markers: list[PlaceMarker] = []
        self.place_labels: list[tuple[HaloText, HaloText]] = []
        for place in sorted(layers.places, key=lambda p: rank.get(p.kind, 2)):
            marker = PlaceMarker(place.kind, ink)
            marker.setPos(to_scene(place.x, place.y))
            marker.setZValue(Z_PLACE)
            marker.setToolTip(f"{place.label} — {place.kind}")
            add(marker)
            self._markers.append(marker)
            text = HaloText(place.label, place_font, ink.ink.text, ink.ink.label_halo)
            text.setPos(to_scene(place.x, place.y))
            text.setTransform(text.transform().translate(6, -7))
            text.setZValue(Z_PLACE + 0.1)
            text.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            add(text)
            short = HaloText(place.name, place_font, ink.ink.text, ink.ink.label_halo)
            short.setPos(text.pos())
            short.setTransform(text.transform())
            short.setZValue(Z_PLACE + 0.1)
            short.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            add(short)
            self.place_labels.append((text, short))

    def recolour(self) -> None:
        """Repaint everything in the ink now in the view's :class:`InkRef`."""
        ink = self._ink.ink
        self._levels = {0.0: base_paths(self._layers, ink)}
        for label in self._countries:
            label.recolour(ink.country_text, QColor(0, 0, 0, 0))
        for full, short in self.place_labels:
            full.recolour(ink.text, ink.label_halo)
            short.recolour(ink.text, ink.label_halo)
        for marker in self._markers:
            marker.update()

    def declutter(self, viewport_transform: QTransform) -> None:
        """Show each place's two-language label where it fits, else its name, else nothing
        (municipality seats first, then crossing points, then towns)."""
        taken: list[QRectF] = []
        for full, short in self.place_labels:
            shown: HaloText | None = None
            for label in (full, short):
                device = label.deviceTransform(viewport_transform)
                # the text itself (its bounding rect holds the halo too)
                r = device.mapRect(label.boundingRect()).adjusted(1, 2, -1, -2)
                if not any(r.intersects(t) for t in taken):
                    shown = label
                    taken.append(r)
                    break
            # only what changes: hiding a label drops its cached pixmap (a redraw of its halo)
            for label in (full, short):
                if label.isVisible() != (label is shown):
                    label.setVisible(label is shown)

    @staticmethod
    def level_at(pixels_per_metre: float) -> float:
        """The simplification (metres) to draw with at a scale: the coarsest level under half
        a pixel (0: the data as it is)."""
        half_pixel_m = 0.5 / max(pixels_per_metre, 1e-12)
        return max((t for t in LOD_TOLERANCES_M if t <= half_pixel_m), default=0.0)

    def paths_at(self, tolerance: float) -> list[BasePath]:
        level = self._levels.get(tolerance)
        if level is None:
            from kfor_desk.domain.geo.mapdata import simplified

            level = base_paths(simplified(self._layers, tolerance), self._ink.ink)
            self._levels[tolerance] = level
        return level

    def paint(self, painter: QPainter, rect: QRectF, tolerance: float) -> None:
        """Fills without antialiasing (their edges lie under antialiased lines: the land's
        borders, the ABL and the band lines), lines with it — an antialiased fill of the
        land and zones was most of a zoom step's time."""
        painter.fillRect(rect, self._ink.ink.outside)
        for path, pen, brush in self.paths_at(tolerance):
            if not path.controlPointRect().intersects(rect):
                continue
            if brush is not None:
                painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(brush)
                painter.drawPath(path)
            if pen is not None:
                painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawPath(path)
