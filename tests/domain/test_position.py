"""Reading positions: every accepted form, every refusal, MGRS round trips over the region."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod

from kfor_desk.domain.geo import (
    AREA_BOX,
    PositionError,
    format_mgrs,
    out_of_area,
    parse_position,
    to_mgrs,
)

GEOD = Geod(ellps="WGS84")
# North Mitrovica town centre: 42°53′32″N 20°52′07″E ≈ 42.8922, 20.8686
LAT, LON = 42.8922, 20.8686


def metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return float(GEOD.inv(lon1, lat1, lon2, lat2)[2])


@pytest.mark.parametrize(
    ("text", "form", "tolerance_m"),
    [
        ("34TDN8927148852", "mgrs", 2),
        ("34T DN 89271 48852", "mgrs", 2),
        ("34t dn 8927148852", "mgrs", 2),
        ("  34TDN 89271 48852 ", "mgrs", 2),
        ("42.8922, 20.8686", "decimal", 1),
        ("42.8922,20.8686", "decimal", 1),
        ("42.8922 20.8686", "decimal", 1),
        ("42.8922; 20.8686", "decimal", 1),
        ("42.8922N 20.8686E", "decimal", 1),
        ("42.8922 N, 20.8686 E", "decimal", 1),
        ("N42.8922 E20.8686", "decimal", 1),
        ("20.8686E 42.8922N", "decimal", 1),
        ("42.8922°N 20.8686°E", "decimal", 1),
        ("42°53′32″N 20°52′07″E", "dms", 30),
        ("42°53'32\"N 20°52'07\"E", "dms", 30),
        ("42°53'32''N 20°52'07''E", "dms", 30),
        ("42º53’32”N 20º52’07”E", "dms", 30),
        ("N 42°53′32″ E 20°52′07″", "dms", 30),
        ("42 53 32 N 20 52 07 E", "dms", 30),
        ("42°53′32″N, 20°52′07″E", "dms", 30),
        ("425332N 0205207E", "dms", 30),
        ("425332N 205207E", "dms", 30),
        ("425332.0N 0205207.0E", "dms", 30),
        ("42°53.53′N 20°52.12′E", "dms", 30),
        ("4253N 02052E", "dms", 1500),
    ],
)
def test_accepted_forms(text: str, form: str, tolerance_m: float) -> None:
    p = parse_position(text)
    assert p.form == form
    assert metres(p.lat, p.lon, LAT, LON) <= tolerance_m
    assert p.mgrs.startswith("34TDN") and len(p.mgrs) == 15 and " " not in p.mgrs


def test_dms_values_exact() -> None:
    p = parse_position("42°53′32″N 20°52′07″E")
    assert p.lat == pytest.approx(42 + 53 / 60 + 32 / 3600)
    assert p.lon == pytest.approx(20 + 52 / 60 + 7 / 3600)
    # half a second of arc in both axes: about 15 m by 11 m
    assert 15 < p.uncertainty_m < 25


def test_southern_and_western_hemispheres() -> None:
    p = parse_position("33°52′S 151°12′E")
    assert p.lat == pytest.approx(-(33 + 52 / 60))
    q = parse_position("-12.5, -38.25")
    assert (q.lat, q.lon) == (-12.5, -38.25)
    assert parse_position("12.5S 38.25W").lat == -12.5


@pytest.mark.parametrize(
    ("digits", "size_m"),
    [(1, 10_000), (2, 1_000), (3, 100), (4, 10), (5, 1)],
)
def test_mgrs_every_precision(digits: int, size_m: int) -> None:
    east, north = "89271", "48852"
    ref = f"34TDN{east[:digits]}{north[:digits]}"
    p = parse_position(ref)
    assert p.form == "mgrs"
    assert p.uncertainty_m == pytest.approx(size_m * math.sqrt(2) / 2)
    # the centre of the named square: within half a diagonal of the precise point
    assert metres(p.lat, p.lon, LAT, LON) <= size_m * math.sqrt(2) / 2 + 2
    spaced = f"34T DN {east[:digits]} {north[:digits]}"
    assert parse_position(spaced) == p


def test_mgrs_one_km_is_about_700_m_uncertain() -> None:
    assert parse_position("34TDN8948").uncertainty_m == pytest.approx(707, abs=1)


def test_decimal_uncertainty_follows_stated_decimals() -> None:
    assert parse_position("42.9, 20.9").uncertainty_m > parse_position(
        "42.8922, 20.8686").uncertainty_m


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "no position"),
        ("   ", "no position"),
        ("42,8922, 20,8686", "decimal comma"),
        ("42,8922 20,8686", "decimal comma"),
        ("42,8922N 20,8686E", "decimal comma"),
        ("42,89", "decimal comma"),
        ("42.8922", "cannot tell latitude from longitude"),
        ("hello", "expected MGRS"),
        ("34TDN892", "same number of digits"),
        ("34TDN", "100 km square"),
        ("34TDN12345678901", "not a valid MGRS"),
        ("34TZZ1234", "not a valid MGRS"),
        ("34CDN1234", "latitude band"),
        ("61TDN1234", "zone 61"),
        ("91, 20", "latitude 91"),
        ("42, 200", "longitude 200"),
        ("42°65′N 20°E", "minutes must be below 60"),
        ("42°53′75″N 20°52′07″E", "seconds must be below 60"),
        ("42.5°53′N 20°52′E", "only the last part"),
        ("42.8922N 20.8686N", "one latitude"),
        ("-42.8922S 20.8686E", "sign or a hemisphere"),
        ("42″53°N 20°52′E", "in that order"),
        ("4253321N 0205207E", "compact"),
        ("42.8922, 20.8686, 5", "not a position"),
        ("42°53′32″N 20.8686E", "mixes"),
    ],
)
def test_refusals_say_what_was_expected(text: str, words: str) -> None:
    with pytest.raises(PositionError) as info:
        parse_position(text)
    assert words.lower() in str(info.value).lower()
    assert isinstance(info.value, ValueError)


def test_decimal_comma_is_never_truncated() -> None:
    for text in ("42,8922, 20,8686", "42,8922 20,8686"):
        with pytest.raises(PositionError, match="point"):
            parse_position(text)


def test_long_text_refused() -> None:
    with pytest.raises(PositionError, match="too long"):
        parse_position("4" * 200)


def test_out_of_area() -> None:
    assert out_of_area(LAT, LON) is None
    assert out_of_area(43.32, 21.90) is None  # Niš, southern Serbia
    warning = out_of_area(44.8176, 20.4633)  # Belgrade
    assert warning is not None and "confirm" in warning and "outside" in warning
    assert "km" in warning
    assert out_of_area(-33.86, 151.2) is not None
    assert out_of_area(42.9, 25.0) is not None


def test_to_mgrs_and_format() -> None:
    assert to_mgrs(LAT, LON) == "34TDN8927148852"
    assert to_mgrs(LAT, LON, 2) == "34TDN8948"
    assert format_mgrs("34TDN8927148852") == "34T DN 89271 48852"
    assert format_mgrs("34TDN8948") == "34T DN 89 48"
    with pytest.raises(ValueError, match="precision"):
        to_mgrs(LAT, LON, 6)


south, north, west, east = AREA_BOX
region = st.tuples(
    st.floats(min_value=south, max_value=north, allow_nan=False),
    st.floats(min_value=west, max_value=east, allow_nan=False),
)


@settings(max_examples=300, deadline=None)
@given(region)
def test_mgrs_round_trip_1m(pos: tuple[float, float]) -> None:
    lat, lon = pos
    ref = to_mgrs(lat, lon)
    p = parse_position(ref)
    assert metres(p.lat, p.lon, lat, lon) < 1.5
    assert p.mgrs == ref


@settings(max_examples=200, deadline=None)
@given(region, st.integers(min_value=1, max_value=5))
def test_mgrs_round_trip_any_precision(pos: tuple[float, float], digits: int) -> None:
    lat, lon = pos
    p = parse_position(to_mgrs(lat, lon, digits))
    size = 10 ** (5 - digits)
    assert metres(p.lat, p.lon, lat, lon) <= size * math.sqrt(2) / 2 * 1.01 + 1.5


@settings(max_examples=200, deadline=None)
@given(region)
def test_decimal_and_dms_round_trip(pos: tuple[float, float]) -> None:
    lat, lon = pos
    p = parse_position(f"{lat:.6f}, {lon:.6f}")
    assert p.lat == pytest.approx(lat, abs=1e-6) and p.lon == pytest.approx(lon, abs=1e-6)

    def dms(v: float) -> tuple[int, int, float]:
        d = int(v)
        m = int((v - d) * 60)
        s = round(((v - d) * 60 - m) * 60, 2)
        return d, m, min(s, 59.99)

    (ld, lm, ls), (od, om, os_) = dms(lat), dms(lon)
    q = parse_position(f"{ld}°{lm}′{ls:.2f}″N {od}°{om}′{os_:.2f}″E")
    assert metres(q.lat, q.lon, lat, lon) < 2


@pytest.mark.parametrize(("text", "precision"), [
    ("34TDN8927048850", 1), ("34TDN89274885", 10), ("34TDN892488", 100), ("34TDN8948", 1000),
    ("34T DN 7500", 1000), ("34TDN84", 10000),
    ("42.89221, 20.86862", 1.1), ("42.8922, 20.8686", 11), ("42.892, 20.869", 111),
    ("42.89, 20.87", 1113), ("42.9, 20.9", 11132), ("425332N 0205207E", 31),
    ("4253N 02052E", 1855),
])
def test_precision_is_what_the_text_states(text: str, precision: float) -> None:
    from kfor_desk.domain.geo.position import COARSE_M, precision_warning

    p = parse_position(text)
    assert p.precision_m == precision
    warning = precision_warning(p)
    assert (warning is not None) is (precision > COARSE_M)
    if p.form == "mgrs" and warning:
        assert "dropped digit" in warning
