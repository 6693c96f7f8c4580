"""Loading the shipped geographic data and the one planar projection (UTM 34N), cached.

Shared by :mod:`.abl` and :mod:`.mapdata`; nothing here is public API.
"""

from __future__ import annotations

import csv
import json
import threading
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from pyproj import Proj, Transformer
from shapely.geometry import shape

from kfor_desk.resources import resource

from ..enums import Side

PLANAR_CRS = "EPSG:32634"  # WGS 84 / UTM zone 34N: Kosovo and the ABL lie in zone 34
WGS84_CRS = "EPSG:4326"

FloatArray = npt.NDArray[np.float64]

_SIDE_BY_ISO = {"XKX": Side.KOSOVO, "SRB": Side.SERBIA}
_local = threading.local()


def _transformers() -> tuple[Transformer, Transformer]:
    """One forward/inverse transformer pair per thread (pyproj's advice for threads)."""
    pair: tuple[Transformer, Transformer] | None = getattr(_local, "pair", None)
    if pair is None:
        pair = (
            Transformer.from_crs(WGS84_CRS, PLANAR_CRS, always_xy=True),
            Transformer.from_crs(PLANAR_CRS, WGS84_CRS, always_xy=True),
        )
        _local.pair = pair
    return pair


def project_arrays(lats: Any, lons: Any) -> tuple[FloatArray, FloatArray]:
    """WGS84 lat/lon (arrays or scalars) → UTM 34N easting, northing in metres."""
    x, y = _transformers()[0].transform(
        np.asarray(lons, dtype=np.float64), np.asarray(lats, dtype=np.float64)
    )
    return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)


def unproject_arrays(xs: Any, ys: Any) -> tuple[FloatArray, FloatArray]:
    """UTM 34N easting, northing → WGS84 lat, lon (note the order: lat first)."""
    lon, lat = _transformers()[1].transform(
        np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)
    )
    return np.asarray(lat, dtype=np.float64), np.asarray(lon, dtype=np.float64)


@cache
def _planar_proj() -> Proj:
    return Proj(PLANAR_CRS)


def point_scale(lats: Any, lons: Any) -> FloatArray:
    """Scale factor of UTM 34N at positions (grid distance / true distance, about 0.9996)."""
    factors = _planar_proj().get_factors(
        np.asarray(lons, dtype=np.float64), np.asarray(lats, dtype=np.float64)
    )
    return np.asarray(factors.meridional_scale, dtype=np.float64)


def project_geometry(geom: Any) -> Any:
    """A shapely geometry in lon/lat → the same in UTM 34N metres."""
    fwd = _transformers()[0]
    return shapely.transform(geom, lambda c: np.column_stack(fwd.transform(c[:, 0], c[:, 1])))


@dataclass(frozen=True, slots=True)
class Country:
    iso_a3: str
    name: str
    side: Side
    geometry: Any  # shapely (Multi)Polygon in UTM 34N metres


@dataclass(frozen=True, slots=True)
class RawPlace:
    name: str
    name_alt: str
    kind: str
    lat: float
    lon: float
    side: Side
    precision: str


@cache
def abl_line() -> Any:
    """The ABL as a shapely LineString in UTM 34N metres."""
    with resource("data", "abl.geojson").open(encoding="utf-8") as fh:
        data = json.load(fh)
    geom = shape(data["features"][0]["geometry"])
    line = project_geometry(geom)
    shapely.prepare(line)
    return line


@cache
def countries() -> tuple[Country, ...]:
    """Land polygons of the region in UTM 34N, Kosovo first."""
    with resource("data", "region_land.geojson").open(encoding="utf-8") as fh:
        data = json.load(fh)
    result: list[Country] = []
    for feature in data["features"]:
        props = feature["properties"]
        geom = shapely.make_valid(project_geometry(shape(feature["geometry"])))
        shapely.prepare(geom)
        iso = str(props["iso_a3"])
        result.append(Country(iso, str(props["name"]), _SIDE_BY_ISO.get(iso, Side.OTHER), geom))
    result.sort(key=lambda c: (c.side is not Side.KOSOVO, c.side is not Side.SERBIA, c.name))
    return tuple(result)


@cache
def raw_places() -> tuple[RawPlace, ...]:
    with resource("data", "places.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return tuple(
        RawPlace(
            name=row["name"].strip(),
            name_alt=row["name_alt"].strip(),
            kind=row["kind"].strip(),
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            side=Side(row["side"].strip()),
            precision=row["precision"].strip(),
        )
        for row in rows
    )
