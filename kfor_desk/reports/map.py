"""The map page and the map insets: which records go on which map, and the section around them.

The drawing itself (land, the ABL, the 1/5/25 km band lines, places, record symbols, labels,
legend, scale bar, attribution) is :mod:`.map_drawing`'s, from the same Qt-free geometry as the
screen map (``kfor_desk.domain.geo.mapdata``, UTM 34N metres). When that geometry cannot be
loaded the section says so plainly.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from reportlab.platypus import Flowable, PageBreak, Paragraph

from kfor_desk.domain.records import ExerciseNotification, Record

from .map_drawing import NORTH_BOX, MapFlowable, Symbol
from .template import (
    frame_width,
    heading,
    styles,
    unavailable,
)


def _symbols(records: Iterable[Record], conflicts: frozenset[str], project: Any
             ) -> list[Symbol]:
    symbols: list[Symbol] = []
    for rec in sorted(records, key=lambda r: r.register_no or ""):
        saf = isinstance(rec, ExerciseNotification)
        for loc in rec.locations:
            x, y = project(loc.lat, loc.lon)
            if not (math.isfinite(x) and math.isfinite(y)):
                continue
            short = (rec.register_no or "").rsplit("-", 1)[-1]
            symbols.append(Symbol(x, y, saf, (rec.register_no or "") in conflicts,
                                   loc.effective_radius_m, short))
    return symbols


def map_inset(records: Iterable[Record], conflicts: frozenset[str], width: float,
              height: float, *, around: bool = False) -> Flowable | None:
    """A small map with ``records`` numbered: of the north (page 1), or ``around`` their
    locations (a record sheet: 12 km round them at least, places named); ``None`` without
    the map geometry."""
    try:
        from kfor_desk.domain.geo.mapdata import map_layers, project

        layers = map_layers()
    except (ImportError, OSError, ValueError):
        return None
    symbols = _symbols(records, conflicts, project)
    if around and symbols:
        pad = 12_000.0
        x0, x1 = min(s.x for s in symbols) - pad, max(s.x for s in symbols) + pad
        y0, y1 = min(s.y for s in symbols) - pad, max(s.y for s in symbols) + pad
        # the frame's proportions, so nothing is cut
        cx, cy, half_w, half_h = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2, (y1 - y0) / 2
        if half_w / half_h < width / height:
            half_w = half_h * width / height
        else:
            half_h = half_w * height / width
        bounds = (cx - half_w, cy - half_h, cx + half_w, cy + half_h)
    else:
        x0, y0 = project(NORTH_BOX[0], NORTH_BOX[1])
        x1, y1 = project(NORTH_BOX[2], NORTH_BOX[3])
        bounds = (x0, y0, x1, y1)
    return MapFlowable(layers, symbols, width, height, bounds=bounds, labels=True,
                       legend=False, places=around)


def map_section(records: Iterable[Record], now: datetime,
                conflicts: frozenset[str] = frozenset()) -> list[Flowable]:
    """The map flowable and its caption, or a plain sentence if the geometry is missing."""
    try:
        from kfor_desk.domain.geo.mapdata import map_layers, project

        layers = map_layers()
    except (ImportError, OSError, ValueError) as exc:
        return [unavailable("Map", f"the map geometry could not be loaded ({exc})")]
    symbols = _symbols(records, conflicts, project)
    st = styles()
    width = frame_width()
    x0, y0 = project(NORTH_BOX[0], NORTH_BOX[1])
    x1, y1 = project(NORTH_BOX[2], NORTH_BOX[3])
    north = [s for s in symbols if x0 <= s.x <= x1 and y0 <= s.y <= y1]
    # the overview labels only what the detail map of the north does not show
    overview = [s if not (north and x0 <= s.x <= x1 and y0 <= s.y <= y1)
                else dataclasses.replace(s, label="") for s in symbols]
    flow = MapFlowable(layers, overview, width, width * 1.0)
    outside = flow.outside
    caption = (f"{sum(1 for s in symbols if s.saf)} SAF and "
               f"{sum(1 for s in symbols if not s.saf)} KSF locations plotted"
               + (f"; {outside} lie outside the map extent" if outside else "")
               + (f"; {flow.grouped} that would overlap are drawn as discs with their "
                  "count (blue SAF, green KSF, grey both)" if flow.grouped else "")
               + ". Numbers are the last part of the register number"
               + ("; those in the north are numbered on the detail map" if north else "")
               + ". The ABL and the bands are indicative; distances in the tables are geodesic.")
    out: list[Flowable] = [flow, Paragraph(caption, st.small)]
    if north:
        detail = MapFlowable(layers, north, width, width * 1.05, bounds=(x0, y0, x1, y1),
                             labels=True)
        out += [PageBreak(), heading("Map: the north in detail"), detail,
                Paragraph(f"{sum(1 for s in north if s.saf)} SAF and "
                          f"{sum(1 for s in north if not s.saf)} KSF locations in the four "
                          "northern municipalities and across the ABL from them"
                          + (f"; {detail.unlabelled} crowded symbols are not numbered (the "
                             "tables list every record)" if detail.unlabelled else "")
                          + ".", st.small)]
    return out
