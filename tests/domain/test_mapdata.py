"""The Qt-free map layers that the screen map and the PDF briefs draw."""

from __future__ import annotations

import numpy as np
import pytest

from kfor_desk.domain.enums import Side
from kfor_desk.domain.geo.abl import abl_index
from kfor_desk.domain.geo.mapdata import ATTRIBUTION, map_layers, project, unproject


def test_layers_are_cached_plain_values() -> None:
    layers = map_layers()
    assert map_layers() is layers
    assert layers.crs == "EPSG:32634"
    assert layers.attribution == ATTRIBUTION
    assert "© OpenStreetMap contributors (ODbL)" in layers.attribution
    assert "ABL indicative" in layers.attribution
    assert [a.side for a in layers.land][:2] == [Side.KOSOVO, Side.SERBIA]
    assert {a.iso_a3 for a in layers.land} >= {"XKX", "SRB", "MNE", "ALB", "MKD"}
    kosovo = layers.land[0]
    ring = kosovo.polygons[0][0]
    assert isinstance(ring, tuple) and isinstance(ring[0], tuple)
    assert isinstance(ring[0][0], float)
    assert len(layers.abl) > 1000


def test_view_inside_bounds() -> None:
    layers = map_layers()
    bx0, by0, bx1, by1 = layers.bounds
    vx0, vy0, vx1, vy1 = layers.view_bounds
    assert bx0 <= vx0 < vx1 <= bx1 and by0 <= vy0 < vy1 <= by1


def test_project_round_trip() -> None:
    x, y = project(42.8922, 20.8686)
    assert 300_000 < x < 700_000 and 4_500_000 < y < 5_000_000
    lat, lon = unproject(x, y)
    assert lat == pytest.approx(42.8922, abs=1e-9) and lon == pytest.approx(20.8686, abs=1e-9)


@pytest.mark.parametrize(
    ("side", "km"),
    [(Side.SERBIA, 1.0), (Side.SERBIA, 5.0), (Side.SERBIA, 25.0), (Side.KOSOVO, 1.0),
     (Side.KOSOVO, 5.0)],
)
def test_band_lines_lie_at_their_distance_on_their_side(side: Side, km: float) -> None:
    layers = map_layers()
    band = next(b for b in layers.bands if b.side is side and b.distance_km == km)
    assert band.lines and band.zone
    assert band.label == f"{km:g} km"
    pts = np.array([p for line in band.lines for p in line])
    sample = pts[:: max(1, len(pts) // 150)]
    lats, lons = zip(*(unproject(float(x), float(y)) for x, y in sample), strict=True)
    idx = abl_index()
    dist = idx.distances_km(lats, lons)
    # simplified for drawing (25 m) and clipped at the land edge (where the neighbours begin)
    inside = np.abs(dist - km) < 0.05
    assert inside.mean() > 0.9
    sides = idx.sides(lats, lons)
    assert sum(s is side for s in sides) / len(sides) > 0.9


def test_places_have_labels_and_positions() -> None:
    places = map_layers().places
    jarinje = next(p for p in places if p.name == "Jarinje")
    assert jarinje.label == "Jarinje / Jarinjë"
    assert jarinje.kind == "crossing point"
    assert (jarinje.x, jarinje.y) == pytest.approx(project(jarinje.lat, jarinje.lon))


@pytest.mark.parametrize("tolerance", [60.0, 400.0, 1000.0])
def test_simplified_layers_have_fewer_points_and_stay_within_the_tolerance(
        tolerance: float) -> None:
    import shapely

    from kfor_desk.domain.geo.mapdata import simplified

    full = map_layers()
    simple = simplified(full, tolerance)
    assert len(simple.abl) < len(full.abl) / 2
    assert simple.abl[0] == full.abl[0] and simple.abl[-1] == full.abl[-1]  # ends kept
    # every simplified line lies within the tolerance of the original (and back)
    drift = shapely.hausdorff_distance(shapely.linestrings(full.abl),
                                       shapely.linestrings(simple.abl))
    assert drift <= tolerance * 1.001
    for a, b in zip(full.land, simple.land, strict=True):
        assert (a.name, a.side, a.label_point) == (b.name, b.side, b.label_point)
        assert 0 < sum(len(r) for p in b.polygons for r in p) < sum(
            len(r) for p in a.polygons for r in p)
        area_a = shapely.area(shapely.multipolygons([shapely.polygons(p[0], holes=list(p[1:])
                                                                      or None)
                                                     for p in a.polygons]))
        area_b = shapely.area(shapely.multipolygons([shapely.polygons(p[0], holes=list(p[1:])
                                                                      or None)
                                                     for p in b.polygons]))
        assert abs(area_b - area_a) / area_a < 0.01
    for a, b in zip(full.bands, simple.bands, strict=True):
        assert (a.distance_km, a.side, len(a.lines)) == (b.distance_km, b.side, len(b.lines))
    assert simple.places == full.places and simple.bounds == full.bounds
    assert simplified(full, 0) is full
    assert simplified(full, tolerance) is simple  # kept: made once (by the loader thread)
