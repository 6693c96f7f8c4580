"""MGRS references: reading one as a position, converting a position to one, display form.

``_parse_mgrs`` reads an MGRS reference (1 m to 10 km precision) as the centre of the named
square; ``to_mgrs`` converts a WGS84 position; ``format_mgrs`` spaces a reference for display.
Conversions go through the ``mgrs`` package (GEOTRANS); nothing here projects by hand. It does
not read degrees (:mod:`.position_degrees`) nor decide which form a text is in
(:func:`.position.parse_position`).
"""

from __future__ import annotations

import math
import re
import warnings

import mgrs

from .position_value import ParsedPosition, PositionError, _check_range

__all__ = ["format_mgrs", "to_mgrs"]

_converter = mgrs.MGRS()


def to_mgrs(lat: float, lon: float, precision: int = 5) -> str:
    """MGRS reference of a WGS84 position without spaces; ``precision`` digits per axis
    (5 = 1 m, 4 = 10 m, 3 = 100 m, 2 = 1 km, 1 = 10 km)."""
    if not 0 <= precision <= 5:
        raise ValueError(f"MGRS precision must be 0..5 digits, not {precision}")
    _check_range(lat, lon, str((lat, lon)))
    if not -80.0 <= lat <= 84.0:
        raise PositionError(f"latitude {lat} lies outside the MGRS/UTM area (80°S to 84°N)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = _converter.toMGRS(lat, lon, MGRSPrecision=precision)
    return ref.decode() if isinstance(ref, bytes) else str(ref)


def format_mgrs(ref: str) -> str:
    """``34TDN8927048850`` → ``34T DN 89270 48850`` (for display)."""
    m = _MGRS_RE.fullmatch(ref.replace(" ", "").upper())
    if not m:
        return ref
    digits = m["digits"]
    half = len(digits) // 2
    return f"{m['zone']}{m['band']} {m['square']} {digits[:half]} {digits[half:]}".strip()


_MGRS_RE = re.compile(
    r"(?P<zone>\d{1,2})(?P<band>[C-HJ-NP-X])(?P<square>[A-HJ-NP-Z]{2})(?P<digits>\d{0,10})"
)
# Starts like an MGRS reference (zone digits then a letter that is not a hemisphere).
_LOOKS_MGRS_RE = re.compile(r"\d{1,2}[A-Z](?![0-9])[A-Z]")

_BANDS = "CDEFGHJKLMNPQRSTUVWX"


def _parse_mgrs(raw: str, compact: str, with_mgrs: bool = True) -> ParsedPosition:
    m = _MGRS_RE.fullmatch(compact)
    if not m:
        raise PositionError(
            f"'{raw}' is not a valid MGRS reference; expected zone, band, 100 km square and "
            "an even number of digits, e.g. 34T DN 89270 48850"
        )
    zone = int(m["zone"])
    if not 1 <= zone <= 60:
        raise PositionError(f"'{raw}': MGRS zone {zone} does not exist; expected 1 to 60")
    digits = m["digits"]
    if not digits:
        raise PositionError(
            f"'{raw}' names only a 100 km square; expected at least 2 digits (10 km), "
            "e.g. 34TDN84"
        )
    if len(digits) % 2:
        raise PositionError(
            f"'{raw}' has {len(digits)} digits; expected the same number of digits for easting "
            "and northing (2, 4, 6, 8 or 10), e.g. 34T DN 89270 48850"
        )
    n = len(digits) // 2
    size_m = 10 ** (5 - n)
    east = int(digits[:n]) * size_m
    north = int(digits[n:]) * size_m
    if size_m > 1:  # the centre of the named square
        east += size_m // 2
        north += size_m // 2
    ref = f"{zone:02d}{m['band']}{m['square']}{east:05d}{north:05d}"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            lat, lon = _converter.toLatLon(ref)
    except Exception as exc:  # mgrs raises its own error type and warnings
        raise PositionError(
            f"'{raw}' is not a valid MGRS reference ({_mgrs_reason(exc)}); expected e.g. "
            "34T DN 89270 48850"
        ) from None
    # GEOTRANS accepts a northing outside the latitude band with only a warning; refuse it.
    band_index = _BANDS.index(m["band"])
    band_south = -80.0 + 8.0 * band_index
    band_north = band_south + (12.0 if m["band"] == "X" else 8.0)
    if not band_south - 0.1 <= lat <= band_north + 0.1:
        raise PositionError(
            f"'{raw}': the 100 km square and digits do not fall in latitude band {m['band']}; "
            "check the band letter and the square"
        )
    uncertainty = size_m * math.sqrt(2.0) / 2.0
    return ParsedPosition(
        lat=float(lat), lon=float(lon), uncertainty_m=uncertainty, form="mgrs",
        mgrs=to_mgrs(lat, lon) if with_mgrs else "", precision_m=float(size_m),
    )


def _mgrs_reason(exc: Exception) -> str:
    text = str(exc)
    if "Latitude" in text or "Northing" in text:
        return "the northing does not fit the latitude band"
    if "Easting" in text:
        return "the easting does not fit the 100 km square"
    return "unknown grid square or digits"
