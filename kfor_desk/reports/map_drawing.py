"""The map drawn on a PDF canvas: land, the ABL, the band lines, places, record symbols (grouped
with their count when they would overlap) and labels that never collide or leave the frame.

It draws what it is given in UTM 34N metres; which records go on which map, and the sections
around the maps, are :mod:`.map`'s; the path operators (what lies beyond the frame left out)
are :mod:`.map_paths`'; legend, scale bar, attribution and the symbol shapes are
:mod:`.map_furniture`'s. Nothing here reads a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from kfor_desk.domain.enums import Band, Side
from kfor_desk.style import PAPER, Tint, rgb

from .map_furniture import (
    ABL_COLOUR,
    BAND_COLOUR,
    PLACE,
    draw_furniture,
    draw_legend,
    draw_symbol,
    group_radius,
)
from .map_paths import circle, path
from .template import (
    ALERT,
    FONT,
    FONT_BOLD,
    GREY,
    NAVY,
    register_fonts,
)
from .timeline import KSF_COLOUR, SAF_COLOUR


def _tint(t: Tint) -> colors.Color:
    r, g, b = rgb(t.colour)
    return colors.Color(r / 255, g / 255, b / 255, alpha=t.alpha)


LAND = {Side.KOSOVO: colors.HexColor(PAPER.kosovo), Side.SERBIA: colors.HexColor(PAPER.serbia),
        Side.OTHER: colors.HexColor(PAPER.other_land)}
BORDER = colors.HexColor(PAPER.border)
ZONE_TINT = {Band.NOTIFY: _tint(PAPER.notify_zone), Band.GROUND: _tint(PAPER.ground_zone)}
LABEL_LIMIT = 40  # records labelled with their number up to this many symbols
GROUP_CELL_PT = 16.0  # with many symbols, those within one such square are drawn as a count
NORTH_BOX = (42.78, 20.30, 43.40, 21.05)  # lat/lon corners of the detail map of the north


@dataclass(frozen=True, slots=True)
class Symbol:
    x: float
    y: float
    saf: bool
    conflict: bool
    radius_m: float
    label: str



class MapFlowable(Flowable):  # type: ignore[misc]
    """The map drawn straight on the canvas (clipped to its frame)."""

    def __init__(self, layers: Any, symbols: Sequence[Symbol], width: float,
                 map_height: float, *, bounds: tuple[float, float, float, float] | None = None,
                 labels: bool | None = None, legend: bool = True,
                 places: bool = True) -> None:
        super().__init__()
        self.layers = layers
        self.symbols = symbols
        self.width = width
        self.map_h = map_height
        self.legend = legend
        self.places = places
        self.legend_h = 34.0 if legend else 0.0
        self.height = map_height + self.legend_h
        self.labels = len(symbols) <= LABEL_LIMIT if labels is None else labels
        x0, y0, x1, y1 = bounds or layers.view_bounds
        # widen the overview to the records just outside it (never beyond the land data)
        bx0, by0, bx1, by1 = layers.bounds
        for s in symbols if bounds is None else ():
            if bx0 <= s.x <= bx1 and by0 <= s.y <= by1:
                x0, y0 = min(x0, s.x - 5000), min(y0, s.y - 5000)
                x1, y1 = max(x1, s.x + 5000), max(y1, s.y + 5000)
        scale = min(width / (x1 - x0), map_height / (y1 - y0))
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        self.scale = scale
        self.ox = width / 2 - cx * scale
        self.oy = self.legend_h + map_height / 2 - cy * scale
        self.outside = sum(1 for s in symbols if not self._inside(s.x, s.y))
        # many symbols: those that would overlap are drawn as one group with their count
        from kfor_desk.domain.geo.clusters import Grouping, group_points, should_group

        self.groups: Grouping | None = None
        if should_group(len(symbols)):
            self.groups = group_points([s.x for s in symbols], [s.y for s in symbols],
                                       GROUP_CELL_PT / scale)
        self.grouped = 0 if self.groups is None else int(
            self.groups.count[self.groups.count > 1].sum())
        register_fonts()
        self._place_labels, self._record_labels, self.unlabelled = self._layout_labels()

    def _shown(self) -> list[Symbol]:
        """The symbols drawn as themselves (all, or the single ones when grouped)."""
        if self.groups is None:
            return list(self.symbols)
        single = self.groups.first[self.groups.count == 1]
        return [self.symbols[int(i)] for i in single]

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        return self.width, self.height

    def _pt(self, x: float, y: float) -> tuple[float, float]:
        return self.ox + x * self.scale, self.oy + y * self.scale

    def _inside(self, x: float, y: float) -> bool:
        px, py = self._pt(x, y)
        return 0 <= px <= self.width and self.legend_h <= py <= self.height

    def _path(self, c: Canvas, rings: Iterable[Sequence[tuple[float, float]]],
              close: bool) -> Any:
        """The rings as one path, what lies beyond the frame left out (:mod:`.map_paths`)."""
        return path(rings, self.ox, self.oy, self.scale,
                    (0.0, self.legend_h, self.width, self.height), close)

    def draw(self) -> None:
        c: Canvas = self.canv
        c.saveState()
        top = self.height
        c.setFillColor(colors.white)
        c.rect(0, self.legend_h, self.width, self.map_h, stroke=0, fill=1)
        clip = c.beginPath()
        clip.rect(0, self.legend_h, self.width, self.map_h)
        c.clipPath(clip, stroke=0, fill=0)
        self._draw_land(c)
        self._draw_bands(c)
        self._draw_abl(c)
        if self.places:
            self._draw_places(c)
        self._draw_symbols(c)
        self._draw_furniture(c)
        c.restoreState()
        c.saveState()
        c.setStrokeColor(NAVY)
        c.setLineWidth(0.8)
        c.rect(0, self.legend_h, self.width, top - self.legend_h, stroke=1, fill=0)
        if self.legend:
            self._draw_legend(c)
        c.restoreState()

    def _layout_labels(self) -> tuple[list[tuple[float, float, str]],
                                      list[tuple[float, float, str, bool]], int]:
        """Where each label goes so that none overlaps another, a symbol or the frame edge:
        record numbers first (conflicts before the rest), then place names. A label that
        fits nowhere is left out and counted (records) — never drawn over another."""
        taken: list[tuple[float, float, float, float]] = []
        top, bottom = self.height - 2, self.legend_h + 24  # above the scale bar
        shown = self._shown()
        for s in shown:
            px, py = self._pt(s.x, s.y)
            taken.append((px - 4.5, py - 3.5, px + 4.5, py + 5))
        g = self.groups
        if g is not None:  # the count discs
            for k in (g.count > 1).nonzero()[0]:
                px, py = self._pt(float(g.x[k]), float(g.y[k]))
                r = group_radius(int(g.count[k])) + 2
                taken.append((px - r, py - r, px + r, py + r))

        def fits(box: tuple[float, float, float, float]) -> bool:
            x0, y0, x1, y1 = box
            if x0 < 2 or x1 > self.width - 2 or y0 < bottom or y1 > top:
                return False
            return not any(x0 < b[2] and b[0] < x1 and y0 < b[3] and b[1] < y1 for b in taken)

        def place(px: float, py: float, text: str, font: str, size: float,
                  dx: float) -> tuple[float, float] | None:
            w = stringWidth(text, font, size)
            for x, y in ((px + dx, py - size / 2 + 0.5), (px - dx - w, py - size / 2 + 0.5),
                         (px - w / 2, py + dx), (px - w / 2, py - dx - size),
                         (px + dx, py + 2), (px + dx, py - size - 2)):
                box = (x - 0.5, y - 1.2, x + w + 0.5, y + size - 0.8)
                if fits(box):
                    taken.append(box)
                    return x, y
            return None

        records: list[tuple[float, float, str, bool]] = []
        unlabelled = 0
        if self.labels:
            groups: dict[tuple[int, int], list[Symbol]] = {}
            for s in shown:
                px, py = self._pt(s.x, s.y)
                if self._inside(s.x, s.y):
                    groups.setdefault((round(px / 4), round(py / 4)), []).append(s)
            ordered = sorted(groups.values(), key=lambda g: (not any(s.conflict for s in g),
                                                             min(s.label for s in g)))
            for group in ordered:
                names = sorted({s.label for s in group if s.label})
                if not names:
                    continue
                px, py = self._pt(group[0].x, group[0].y)
                text = ", ".join(names)
                at = place(px, py, text, FONT_BOLD, 5.8, 5.5)
                if at is None:
                    unlabelled += len(names)
                    continue
                records.append((at[0], at[1], text, any(s.conflict for s in group)))
        places: list[tuple[float, float, str]] = []
        for p in self.layers.places if self.places else ():
            px, py = self._pt(p.x, p.y)
            at = place(px, py, p.label, FONT, 5.8, 3.0)
            if at is not None:
                places.append((at[0], at[1], p.label))
        return places, records, unlabelled

    def _draw_land(self, c: Canvas) -> None:
        c.setLineWidth(0.4)
        c.setStrokeColor(BORDER)
        for area in self.layers.land:
            c.setFillColor(LAND.get(area.side, LAND[Side.OTHER]))
            for polygon in area.polygons:
                c.drawPath(self._path(c, polygon, True), stroke=1, fill=1, fillMode=0)
        # country names at the layers' label points (inside each land), when in view
        c.setFillColor(GREY)
        c.setFont(FONT_BOLD, 9)
        for area in self.layers.land:
            point = getattr(area, "label_point", None)
            if point is None or not self._inside(*point):
                continue
            px, py = self._pt(*point)
            half = stringWidth(area.name.upper(), FONT_BOLD, 9) / 2
            if half + 4 <= px <= self.width - half - 4:
                c.drawCentredString(px, py, area.name.upper())

    def _draw_bands(self, c: Canvas) -> None:
        for band in self.layers.bands:
            tint = ZONE_TINT.get(band.band)
            if tint is not None:
                c.setFillColor(tint)
                for polygon in band.zone:
                    c.drawPath(self._path(c, polygon, True), stroke=0, fill=1, fillMode=0)
        for band in self.layers.bands:
            c.setStrokeColor(BAND_COLOUR.get(band.band, GREY))
            c.setLineWidth(0.6 if band.band is Band.AIR else 0.5)
            c.setDash([3, 2] if band.band is Band.AIR else [1.5, 1.5])
            c.drawPath(self._path(c, band.lines, False), stroke=1, fill=0)
        c.setDash([])

    def _draw_abl(self, c: Canvas) -> None:
        c.setStrokeColor(ABL_COLOUR)
        c.setLineWidth(1.6)
        c.setLineJoin(1)
        c.drawPath(self._path(c, [self.layers.abl], False), stroke=1, fill=0)

    def _draw_places(self, c: Canvas) -> None:
        for place in self.layers.places:
            px, py = self._pt(place.x, place.y)
            c.setFillColor(colors.black)
            if place.kind == "crossing point":
                c.setFillColor(ABL_COLOUR)
                c.rect(px - 1.6, py - 1.6, 3.2, 3.2, stroke=0, fill=1)
            else:
                circle(c, px, py, 1.5, stroke=0, fill=1)
        c.setFont(FONT, 5.8)
        c.setFillColor(PLACE)
        for x, y, label in self._place_labels:
            c.drawString(x, y, label)

    def _draw_symbols(self, c: Canvas) -> None:
        symbols = self._shown()  # grouped ones are drawn as counts (_draw_groups)
        # radii first, symbols on top
        c.setLineWidth(0.4)
        for s in symbols:
            if s.radius_m > 0:
                px, py = self._pt(s.x, s.y)
                c.setStrokeColor(SAF_COLOUR if s.saf else KSF_COLOUR)
                c.setDash([1, 1])
                circle(c, px, py, s.radius_m * self.scale, stroke=1, fill=0)
        c.setDash([])
        for s in symbols:
            px, py = self._pt(s.x, s.y)
            if s.conflict:
                c.setStrokeColor(ALERT)
                c.setLineWidth(1.3)
                circle(c, px, py, 6.2, stroke=1, fill=0)
            c.setStrokeColor(colors.white)
            c.setLineWidth(0.5)
            draw_symbol(c, px, py, s.saf)
        self._draw_groups(c)
        c.setFont(FONT_BOLD, 5.8)
        for x, y, text, conflict in self._record_labels:
            c.setFillColor(ALERT if conflict else NAVY)
            c.drawString(x, y, text)

    def _draw_groups(self, c: Canvas) -> None:
        g = self.groups
        if g is None:
            return
        saf = g.total([1.0 if s.saf else 0.0 for s in self.symbols])
        conflict = g.total([1.0 if s.conflict else 0.0 for s in self.symbols])
        for k in (g.count > 1).nonzero()[0]:
            n = int(g.count[k])
            px, py = self._pt(float(g.x[k]), float(g.y[k]))
            r = group_radius(n)
            if conflict[k]:
                c.setStrokeColor(ALERT)
                c.setLineWidth(1.3)
                circle(c, px, py, r + 1.6, stroke=1, fill=0)
            c.setFillColor(SAF_COLOUR if saf[k] == n else KSF_COLOUR if saf[k] == 0 else GREY)
            c.setStrokeColor(colors.white)
            c.setLineWidth(0.6)
            circle(c, px, py, r, stroke=1, fill=1)
            c.setFillColor(colors.white)
            size = 5.2 if n < 1000 else 4.4
            c.setFont(FONT_BOLD, size)
            c.drawCentredString(px, py - size * 0.35, str(n))

    def _draw_furniture(self, c: Canvas) -> None:
        draw_furniture(c, self.width, self.height, self.legend_h, self.scale,
                       self.layers.attribution)

    def _draw_legend(self, c: Canvas) -> None:
        draw_legend(c, self.legend_h)
