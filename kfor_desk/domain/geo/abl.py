"""Where a position lies relative to the Administrative Boundary Line (indicative).

``abl_index()`` builds one :class:`AblIndex` lazily and caches it. For each position it finds the
nearest point of the ABL in UTM 34N (shapely, vectorised) and measures the geodesic distance on
WGS84 between the two (pyproj ``Geod``); the side comes from the land polygons.

>>> idx = abl_index()
>>> idx.relation(43.2075, 20.7167)           # Jarinje  # doctest: +SKIP
AblRelation(distance_km=2.2..., side=<Side.KOSOVO: 'kosovo'>, band=<Band.NOTIFY...>)
>>> idx.describe(43.26, 20.58)                                   # doctest: +SKIP
'3.4 km SW of Raška'
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import Geod

from ..enums import BAND_LIMITS_KM, Band, Side
from ..records import AblRelation
from ._data import (
    FloatArray,
    abl_line,
    countries,
    point_scale,
    project_arrays,
    raw_places,
    unproject_arrays,
)

__all__ = [
    "BAND_LIMITS_KM",
    "AblIndex",
    "Place",
    "abl_index",
    "band_for",
    "compass_point",
    "geodesic_destination",
    "geodesic_inverse",
]


_GEOD = Geod(ellps="WGS84")
_COMPASS = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")


def band_for(distance_km: float) -> Band:
    """``notify`` ≤ 1 km, ``ground`` ≤ 5 km, ``air`` ≤ 25 km, else ``beyond``."""
    for band, limit in BAND_LIMITS_KM:
        if distance_km <= limit:
            return band
    return Band.BEYOND


def compass_point(bearing_deg: float) -> str:
    """Eight-point compass direction of a bearing (0 = north, clockwise)."""
    return _COMPASS[round((bearing_deg % 360.0) / 45.0) % 8]


@dataclass(frozen=True, slots=True)
class Place:
    """A known place: municipality seat, crossing point or town.

    ``name`` is the name as listed (Serbian or the usual English form), ``name_alt`` the other
    language's form (Albanian for most); ``label`` joins them for maps.
    """

    name: str
    name_alt: str
    kind: str
    lat: float
    lon: float
    side: Side
    precision: str = ""

    @property
    def label(self) -> str:
        if not self.name_alt or self.name_alt == self.name:
            return self.name
        return f"{self.name} / {self.name_alt}"


class AblIndex:
    """Distances, sides and bands relative to the ABL, and descriptions relative to places."""

    def __init__(self) -> None:
        self._line = abl_line()
        # One segment per pair of vertices in an STRtree: nearest-segment queries in log time.
        coords = shapely.get_coordinates(self._line)
        self._segments = shapely.linestrings(np.stack([coords[:-1], coords[1:]], axis=1))
        self._tree = shapely.STRtree(self._segments)
        self._countries = countries()
        self.places: tuple[Place, ...] = tuple(
            Place(p.name, p.name_alt, p.kind, p.lat, p.lon, p.side, p.precision)
            for p in raw_places()
        )
        self._place_lats = np.array([p.lat for p in self.places], dtype=np.float64)
        self._place_lons = np.array([p.lon for p in self.places], dtype=np.float64)

    # --- one position -------------------------------------------------------------------

    def relation(self, lat: float, lon: float) -> AblRelation:
        """Geodesic distance to the ABL in km, side and band of one WGS84 position."""
        return self.relations([lat], [lon])[0]

    def nearest_abl_point(self, lat: float, lon: float) -> tuple[float, float]:
        """The point of the ABL nearest to a position, as (lat, lon)."""
        nlat, nlon = self._nearest(np.array([lat]), np.array([lon]))
        return float(nlat[0]), float(nlon[0])

    def nearest_place(self, lat: float, lon: float) -> tuple[Place, float, float]:
        """Nearest known place, geodesic distance in km and bearing from the place (degrees)."""
        n = len(self.places)
        az, _, dist = _GEOD.inv(
            self._place_lons, self._place_lats, np.full(n, lon), np.full(n, lat)
        )
        i = int(np.argmin(dist))
        return self.places[i], float(dist[i]) / 1000.0, float(az[i]) % 360.0

    def describe(self, lat: float, lon: float) -> str:
        """Plain wording relative to the nearest known place: ``3.4 km SW of Raška``."""
        place, km, bearing = self.nearest_place(lat, lon)
        if km < 0.1:
            return f"at {place.name}"
        dist = f"{km:.1f} km" if km < 10 else f"{km:.0f} km"
        return f"{dist} {compass_point(bearing)} of {place.name}"

    # --- many positions (vectorised) ----------------------------------------------------

    def relations(self, lats: Sequence[float] | FloatArray,
                  lons: Sequence[float] | FloatArray) -> list[AblRelation]:
        """:meth:`relation` for many positions at once (fast: 10,000 in well under 1 s)."""
        dist_km, sides = self.distances_and_sides(lats, lons)
        return [
            AblRelation(distance_km=float(d), side=s, band=band_for(float(d)))
            for d, s in zip(dist_km, sides, strict=True)
        ]

    def distances_km(self, lats: Sequence[float] | FloatArray,
                     lons: Sequence[float] | FloatArray) -> FloatArray:
        """Geodesic distances to the ABL in km (WGS84)."""
        la = np.asarray(lats, dtype=np.float64)
        lo = np.asarray(lons, dtype=np.float64)
        nlat, nlon = self._nearest(la, lo)
        _, _, metres = _GEOD.inv(lo, la, nlon, nlat)
        return np.asarray(metres, dtype=np.float64) / 1000.0

    def sides(self, lats: Sequence[float] | FloatArray,
              lons: Sequence[float] | FloatArray) -> list[Side]:
        """Which side of the ABL each position lies on, from the land polygons."""
        x, y = project_arrays(lats, lons)
        return self._sides_xy(x, y)

    def distances_and_sides(self, lats: Sequence[float] | FloatArray,
                            lons: Sequence[float] | FloatArray) -> tuple[FloatArray, list[Side]]:
        la = np.asarray(lats, dtype=np.float64)
        lo = np.asarray(lons, dtype=np.float64)
        x, y = project_arrays(la, lo)
        nx, ny = self._nearest_xy(x, y)
        nlat, nlon = unproject_arrays(nx, ny)
        _, _, metres = _GEOD.inv(lo, la, nlon, nlat)
        return np.asarray(metres, dtype=np.float64) / 1000.0, self._sides_xy(x, y)

    def projected_distances_km(self, lats: Sequence[float] | FloatArray,
                               lons: Sequence[float] | FloatArray) -> FloatArray:
        """Planar distances in UTM 34N corrected by the projection's local scale factor.

        An independent way to the same figure, for cross-checks: it agrees with
        :meth:`distances_km` within a few metres.
        """
        la = np.asarray(lats, dtype=np.float64)
        lo = np.asarray(lons, dtype=np.float64)
        x, y = project_arrays(la, lo)
        grid = np.asarray(shapely.distance(self._line, shapely.points(x, y)), dtype=np.float64)
        nx, ny = self._nearest_xy(x, y)
        nlat, nlon = unproject_arrays(nx, ny)
        scale = (point_scale(la, lo) + point_scale(nlat, nlon)) / 2.0
        return grid / scale / 1000.0

    # --- internals ----------------------------------------------------------------------

    def _nearest_xy(self, x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
        pts = shapely.points(x, y)
        pairs = self._tree.query_nearest(pts, all_matches=False)
        nx = np.empty(len(x), dtype=np.float64)
        ny = np.empty(len(y), dtype=np.float64)
        links = shapely.shortest_line(pts[pairs[0]], self._segments[pairs[1]])
        ends = shapely.get_coordinates(shapely.get_point(links, 1))
        nx[pairs[0]] = ends[:, 0]
        ny[pairs[0]] = ends[:, 1]
        return nx, ny

    def _nearest(self, lats: FloatArray, lons: FloatArray) -> tuple[FloatArray, FloatArray]:
        x, y = project_arrays(lats, lons)
        nx, ny = self._nearest_xy(x, y)
        return unproject_arrays(nx, ny)

    def _sides_xy(self, x: FloatArray, y: FloatArray) -> list[Side]:
        n = len(x)
        result: list[Side | None] = [None] * n
        todo = np.ones(n, dtype=bool)
        for country in self._countries:
            if not todo.any():
                break
            idx = np.nonzero(todo)[0]
            inside = shapely.contains_xy(country.geometry, x[idx], y[idx])
            for i in idx[inside]:
                result[i] = country.side
            todo[idx[inside]] = False
        if todo.any():  # in a sliver between simplified polygons or off the data: nearest land
            idx = np.nonzero(todo)[0]
            pts = shapely.points(x[idx], y[idx])
            dists = np.vstack([shapely.distance(c.geometry, pts) for c in self._countries])
            nearest = np.argmin(dists, axis=0)
            for i, c in zip(idx, nearest, strict=True):
                result[i] = self._countries[int(c)].side
        return [s if s is not None else Side.OTHER for s in result]


_lock = threading.Lock()
_index: AblIndex | None = None


def abl_index() -> AblIndex:
    """The shared index, built on first use (about a tenth of a second) and then reused."""
    global _index
    if _index is None:
        with _lock:
            if _index is None:
                _index = AblIndex()
    return _index


def geodesic_destination(lat: float, lon: float, bearing_deg: float,
                         distance_m: float) -> tuple[float, float]:
    """The point reached from (lat, lon) after ``distance_m`` along a geodesic (WGS84)."""
    dlon, dlat, _ = _GEOD.fwd(lon, lat, bearing_deg, distance_m)
    return float(dlat), float(dlon)


def geodesic_inverse(lat1: float, lon1: float, lat2: float,
                     lon2: float) -> tuple[float, float]:
    """Distance in metres and forward bearing (degrees) from point 1 to point 2 (WGS84)."""
    az, _, dist = _GEOD.inv(lon1, lat1, lon2, lat2)
    return float(dist), float(az) % 360.0
