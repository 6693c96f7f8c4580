"""Distance, side and band relative to the ABL; descriptions relative to known places."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from kfor_desk.domain.enums import Band, Side
from kfor_desk.domain.geo.abl import (
    abl_index,
    band_for,
    compass_point,
    geodesic_destination,
    geodesic_inverse,
)

# (name, lat, lon, side, figure from data/README.md (km), figure this data gives (km))
KNOWN = [
    ("Jarinje", 43.2075, 20.7167, Side.KOSOVO, 2.2, 2.217),
    ("Raška", 43.2858, 20.6136, Side.SERBIA, 8.3, 8.357),
    ("Zubin Potok", 42.9170, 20.6830, Side.KOSOVO, 10.4, 10.446),
]


@pytest.mark.parametrize(("name", "lat", "lon", "side", "about_km", "exact_km"), KNOWN)
def test_known_places(name: str, lat: float, lon: float, side: Side, about_km: float,
                      exact_km: float) -> None:
    rel = abl_index().relation(lat, lon)
    assert rel.side is side, name
    assert rel.distance_km == pytest.approx(exact_km, abs=0.05)
    # the README rounds to a tenth of a km (down): "about 8.3 km" for 8.357
    assert rel.distance_km == pytest.approx(about_km, abs=0.1)


def test_projected_and_geodesic_agree_within_metres() -> None:
    idx = abl_index()
    rng = np.random.default_rng(7)
    # points near the ABL, both sides, along its whole length
    lats = rng.uniform(42.2, 43.4, 2000)
    lons = rng.uniform(20.3, 21.9, 2000)
    geodesic = idx.distances_km(lats, lons)
    projected = idx.projected_distances_km(lats, lons)
    assert np.max(np.abs(geodesic - projected)) * 1000 < 5
    for _, lat, lon, *_ in KNOWN:
        a = idx.distances_km([lat], [lon])[0]
        b = idx.projected_distances_km([lat], [lon])[0]
        assert abs(a - b) * 1000 < 3


def test_nearest_abl_point_is_on_the_line_and_at_the_distance() -> None:
    idx = abl_index()
    lat, lon = 43.2858, 20.6136
    nlat, nlon = idx.nearest_abl_point(lat, lon)
    dist_m, _ = geodesic_inverse(lat, lon, nlat, nlon)
    assert dist_m / 1000 == pytest.approx(idx.relation(lat, lon).distance_km, abs=1e-6)
    assert idx.relation(nlat, nlon).distance_km < 0.001


# Anchors well beyond 25 km from the ABL on each side.
ANCHORS = [
    ("kosovo", 42.45, 20.90, Side.KOSOVO),
    ("kosovo-west", 42.55, 20.60, Side.KOSOVO),
    ("serbia-north", 43.60, 20.70, Side.SERBIA),
    ("serbia-east", 43.45, 21.50, Side.SERBIA),
]
EPS_KM = 0.03


@pytest.mark.parametrize(("label", "alat", "alon", "side"), ANCHORS)
def test_bands_and_side_either_side_of_each_threshold(label: str, alat: float, alon: float,
                                                      side: Side) -> None:
    """Walk a geodesic from the anchor's nearest ABL point towards the anchor: every point on
    that walk has the same nearest ABL point, so its distance is the distance walked."""
    idx = abl_index()
    assert idx.relation(alat, alon).distance_km > 25 + 1
    nlat, nlon = idx.nearest_abl_point(alat, alon)
    _, bearing = geodesic_inverse(nlat, nlon, alat, alon)
    expected = [
        (1.0 - EPS_KM, Band.NOTIFY), (1.0 + EPS_KM, Band.GROUND),
        (5.0 - EPS_KM, Band.GROUND), (5.0 + EPS_KM, Band.AIR),
        (25.0 - EPS_KM, Band.AIR), (25.0 + EPS_KM, Band.BEYOND),
        (0.2, Band.NOTIFY), (12.0, Band.AIR),
    ]
    for km, band in expected:
        lat, lon = geodesic_destination(nlat, nlon, bearing, km * 1000)
        rel = idx.relation(lat, lon)
        assert rel.distance_km == pytest.approx(km, abs=0.005), (label, km)
        assert rel.band is band, (label, km)
        assert rel.side is side, (label, km)


def test_band_limits_are_inclusive() -> None:
    assert band_for(0.0) is Band.NOTIFY
    assert band_for(1.0) is Band.NOTIFY
    assert band_for(1.000001) is Band.GROUND
    assert band_for(5.0) is Band.GROUND
    assert band_for(5.000001) is Band.AIR
    assert band_for(25.0) is Band.AIR
    assert band_for(25.000001) is Band.BEYOND


def test_other_side_for_neighbouring_countries() -> None:
    idx = abl_index()
    assert idx.relation(42.0, 21.9).side is Side.OTHER  # North Macedonia
    assert idx.relation(42.44, 19.26 + 0.45).side is Side.OTHER  # Montenegro (Plav area)


def test_vectorised_matches_single() -> None:
    idx = abl_index()
    rng = np.random.default_rng(3)
    lats = rng.uniform(41.7, 43.8, 200)
    lons = rng.uniform(19.7, 22.3, 200)
    many = idx.relations(lats, lons)
    for i in range(0, 200, 17):
        assert idx.relation(float(lats[i]), float(lons[i])) == many[i]


def test_describe_relative_to_nearest_place() -> None:
    idx = abl_index()
    lat, lon = geodesic_destination(43.2858, 20.6136, 225.0, 3400.0)
    assert idx.describe(lat, lon) == "3.4 km SW of Raška"
    assert idx.describe(43.2858, 20.6136) == "at Raška"
    lat, lon = geodesic_destination(42.9170, 20.6830, 90.0, 2000.0)
    assert idx.describe(lat, lon) == "2.0 km E of Zubin Potok"


def test_compass_points() -> None:
    assert [compass_point(b) for b in (0, 44, 46, 90, 180, 225, 270, 337.6, 359)] == [
        "N", "NE", "NE", "E", "S", "SW", "W", "N", "N"]


def test_places_have_both_names() -> None:
    places = abl_index().places
    assert len(places) >= 20
    raska = next(p for p in places if p.name == "Raška")
    assert raska.name_alt == "Rashkë" and raska.label == "Raška / Rashkë"
    assert raska.side is Side.SERBIA
    tutin = next(p for p in places if p.name == "Tutin")
    assert tutin.label == "Tutin"


def test_domain_geo_imports_no_upper_layer_or_qt() -> None:
    code = (
        "import sys; import kfor_desk.domain.geo.abl, kfor_desk.domain.geo.mapdata;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'sqlalchemy', "
        "'reportlab') or m.startswith(('kfor_desk.store', 'kfor_desk.services', "
        "'kfor_desk.ui', 'kfor_desk.cli', 'kfor_desk.reports'))]; print(bad); "
        "sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr
