"""Qt-free map geometry that the screen map and the PDF briefs both draw from.

Everything is in one planar metric projection, UTM zone 34N (EPSG:32634), in metres: ``x`` is
easting (grows east), ``y`` northing (grows **north** — a screen or PDF painter whose y grows
downwards must flip it). All values are plain, immutable tuples and dataclasses; drawing code
needs no shapely or pyproj.

Typical use::

    from kfor_desk.domain.geo.mapdata import map_layers, project

    layers = map_layers()                  # cached; about a tenth of a second the first time
    for area in layers.land:               # Kosovo, Serbia, then the neighbours
        for polygon in area.polygons:      # polygon = (exterior ring, *hole rings)
            draw_polygon(polygon[0], fill=...)       # ring = ((x, y), (x, y), ...)
    draw_line(layers.abl)                  # the ABL, west to east, one polyline
    for band in layers.bands:              # 1/5/25 km on the Serbian side, 1/5 km in Kosovo
        for line in band.lines:
            draw_line(line, dashed=...)
    for place in layers.places:
        draw_label(place.x, place.y, place.label)    # "Raška / Rashkë"
    draw_text(" · ".join(layers.attribution))        # must appear on every map
    x, y = project(42.8922, 20.8686)       # a record's position in the same metres

``layers.view_bounds`` is a good default extent (the ABL and its 25 km band);
``layers.bounds`` is the full extent of the land data.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import shapely

from ..enums import AIR_BAND_KM, BAND_LIMITS_KM, GROUND_BAND_KM, NOTIFY_LINE_KM, Band, Side
from ._data import PLANAR_CRS, abl_line, countries, project_arrays, raw_places, unproject_arrays

__all__ = [
    "ABL_NOTE",
    "ATTRIBUTION",
    "OSM_ATTRIBUTION",
    "PLANAR_CRS",
    "BandLine",
    "Bounds",
    "LandArea",
    "MapLayers",
    "MapPlace",
    "Point",
    "PolygonRings",
    "Ring",
    "map_layers",
    "project",
    "simplified",
    "unproject",
]

Point = tuple[float, float]
Ring = tuple[Point, ...]
PolygonRings = tuple[Ring, ...]  # exterior ring first, then holes
Bounds = tuple[float, float, float, float]  # min x, min y, max x, max y

OSM_ATTRIBUTION = "© OpenStreetMap contributors (ODbL)"
ABL_NOTE = "ABL indicative"
ATTRIBUTION: tuple[str, ...] = (OSM_ATTRIBUTION, ABL_NOTE)

# Distances of the drawn band lines, per side, in km.
SERBIA_BANDS_KM = (NOTIFY_LINE_KM, GROUND_BAND_KM, AIR_BAND_KM)
KOSOVO_BANDS_KM = (NOTIFY_LINE_KM, GROUND_BAND_KM)

# Grid metres per true metre near the ABL (UTM 34N scale factor; 0.9996 on the central
# meridian, a little more off it): buffers are drawn at true distances within a few metres.
_GRID_SCALE = 0.9997
_DRAW_TOLERANCE_M = 25.0


@dataclass(frozen=True, slots=True)
class LandArea:
    """One country's land in the region. ``side`` is kosovo, serbia or other; ``label_point``
    lies inside the land (for the country's name)."""

    name: str
    iso_a3: str
    side: Side
    polygons: tuple[PolygonRings, ...]
    label_point: Point


@dataclass(frozen=True, slots=True)
class BandLine:
    """The line ``distance_km`` from the ABL on one side, and the zone between it and the ABL.

    ``lines`` are polylines (a line may be broken where it leaves the side's land); ``zone`` is
    the land of that side within ``distance_km`` of the ABL, for light tinting.
    """

    distance_km: float
    side: Side
    band: Band
    label: str
    lines: tuple[tuple[Point, ...], ...]
    zone: tuple[PolygonRings, ...]


@dataclass(frozen=True, slots=True)
class MapPlace:
    """A known place with its position in both systems and a two-language label."""

    name: str
    name_alt: str
    label: str
    kind: str  # "municipality seat", "crossing point", "town"
    side: Side
    lat: float
    lon: float
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class MapLayers:
    crs: str
    bounds: Bounds
    view_bounds: Bounds
    land: tuple[LandArea, ...]
    abl: tuple[Point, ...]
    bands: tuple[BandLine, ...]
    places: tuple[MapPlace, ...]
    attribution: tuple[str, ...]


def project(lat: float, lon: float) -> Point:
    """WGS84 latitude/longitude → (x, y) UTM 34N metres, the map's coordinates."""
    x, y = project_arrays(lat, lon)
    return float(x), float(y)


def unproject(x: float, y: float) -> tuple[float, float]:
    """(x, y) UTM 34N metres → (lat, lon) WGS84."""
    lat, lon = unproject_arrays(x, y)
    return float(lat), float(lon)


@cache
def map_layers() -> MapLayers:
    """All layers of the map, computed once and cached (immutable, safe to share)."""
    line = abl_line()
    lands = countries()
    land = tuple(
        LandArea(c.name, c.iso_a3, c.side, _polygons(c.geometry), _label_point(c.geometry))
        for c in lands
    )
    by_side: dict[Side, Any] = {}
    for c in lands:
        if c.side is not Side.OTHER:
            by_side[c.side] = c.geometry
    bands: list[BandLine] = []
    for side, distances in ((Side.SERBIA, SERBIA_BANDS_KM), (Side.KOSOVO, KOSOVO_BANDS_KM)):
        territory = by_side[side]
        for km in distances:
            buffer = shapely.buffer(line, km * 1000.0 * _GRID_SCALE, quad_segs=16)
            edge = shapely.intersection(shapely.boundary(buffer), territory)
            zone = shapely.intersection(buffer, territory)
            bands.append(BandLine(
                distance_km=km,
                side=side,
                band=_band_of(km),
                label=f"{km:g} km",
                lines=_lines(shapely.simplify(edge, _DRAW_TOLERANCE_M)),
                zone=_polygons(shapely.simplify(zone, _DRAW_TOLERANCE_M)),
            ))
    places = []
    for p in raw_places():
        x, y = project(p.lat, p.lon)
        label = p.name if not p.name_alt or p.name_alt == p.name else f"{p.name} / {p.name_alt}"
        places.append(MapPlace(p.name, p.name_alt, label, p.kind, p.side, p.lat, p.lon, x, y))
    all_land = shapely.union_all([c.geometry for c in lands])
    view = shapely.buffer(line, 30_000.0)
    return MapLayers(
        crs=PLANAR_CRS,
        bounds=_bounds(all_land),
        view_bounds=_bounds(view),
        land=land,
        abl=tuple(_points(shapely.get_coordinates(line))),
        bands=tuple(bands),
        places=tuple(places),
        attribution=ATTRIBUTION,
    )


_SIMPLIFIED: dict[tuple[int, float], tuple[MapLayers, MapLayers]] = {}
_SIMPLIFIED_LOCK = threading.Lock()


def simplified(layers: MapLayers, tolerance_m: float) -> MapLayers:
    """``layers`` with every line and polygon simplified to ``tolerance_m`` metres (topology
    kept: no ring collapses or crosses itself); places, bounds and attribution unchanged.
    A screen map draws the coarsest copy whose tolerance stays under half a pixel, so a view of
    the whole region strokes hundreds of points instead of thousands and looks the same.
    Results are kept (per layers object and tolerance): a loader thread can make them before
    the map first needs them."""
    if tolerance_m <= 0:
        return layers
    key = (id(layers), float(tolerance_m))
    with _SIMPLIFIED_LOCK:
        kept = _SIMPLIFIED.get(key)
    if kept is not None and kept[0] is layers:
        return kept[1]
    result = _simplify(layers, tolerance_m)
    with _SIMPLIFIED_LOCK:
        _SIMPLIFIED[key] = (layers, result)
    return result


def _simplify(layers: MapLayers, tolerance_m: float) -> MapLayers:

    def polygons(rings: tuple[PolygonRings, ...]) -> tuple[PolygonRings, ...]:
        if not rings:
            return rings
        geom = shapely.multipolygons([shapely.polygons(r[0], holes=list(r[1:]) or None)
                                      for r in rings])
        return _polygons(shapely.simplify(geom, tolerance_m, preserve_topology=True))

    def lines(parts: tuple[tuple[Point, ...], ...]) -> tuple[tuple[Point, ...], ...]:
        out: list[tuple[Point, ...]] = []
        for part in parts:
            geom = shapely.simplify(shapely.linestrings(part), tolerance_m,
                                    preserve_topology=True)
            pts = tuple(_points(shapely.get_coordinates(geom)))
            out.append(pts if len(pts) >= 2 else (part[0], part[-1]))
        return tuple(out)

    return MapLayers(
        crs=layers.crs,
        bounds=layers.bounds,
        view_bounds=layers.view_bounds,
        land=tuple(LandArea(a.name, a.iso_a3, a.side, polygons(a.polygons), a.label_point)
                   for a in layers.land),
        abl=lines((layers.abl,))[0],
        bands=tuple(BandLine(b.distance_km, b.side, b.band, b.label, lines(b.lines),
                             polygons(b.zone)) for b in layers.bands),
        places=layers.places,
        attribution=layers.attribution,
    )


def _label_point(geom: Any) -> Point:
    largest = max(shapely.get_parts(geom), key=shapely.area)
    pt = shapely.point_on_surface(largest)
    return float(shapely.get_x(pt)), float(shapely.get_y(pt))


def _band_of(km: float) -> Band:
    return next(band for band, limit in BAND_LIMITS_KM if km <= limit)


def _bounds(geom: Any) -> Bounds:
    minx, miny, maxx, maxy = (float(v) for v in shapely.bounds(geom))
    return minx, miny, maxx, maxy


def _points(coords: Any) -> list[Point]:
    return [(float(x), float(y)) for x, y in np.asarray(coords)[:, :2]]


def _polygons(geom: Any) -> tuple[PolygonRings, ...]:
    result: list[PolygonRings] = []
    for part in shapely.get_parts(geom):
        if shapely.get_type_id(part) == 3:  # Polygon
            rings = [shapely.get_exterior_ring(part)]
            rings += list(shapely.get_interior_ring(part, range(shapely.get_num_interior_rings(
                part))))
            result.append(tuple(tuple(_points(shapely.get_coordinates(r))) for r in rings))
        elif shapely.get_type_id(part) in (6, 7):  # nested multi / collection
            result.extend(_polygons(part))
    return tuple(result)


def _lines(geom: Any) -> tuple[tuple[Point, ...], ...]:
    merged = shapely.line_merge(geom) if shapely.get_type_id(geom) == 5 else geom
    result: list[tuple[Point, ...]] = []
    for part in shapely.get_parts(merged):
        type_id = shapely.get_type_id(part)
        if type_id in (1, 2):  # LineString, LinearRing
            pts = tuple(_points(shapely.get_coordinates(part)))
            if len(pts) >= 2:
                result.append(pts)
        elif type_id in (5, 7):
            result.extend(_lines(part))
    return tuple(result)
