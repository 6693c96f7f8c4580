"""Parsing positions as a duty officer reads them off a letter: MGRS, decimal degrees, DMS.

Every form keeps its stated precision as an uncertainty in metres. MGRS conversions go through
the ``mgrs`` package (GEOTRANS); nothing here projects by hand.

Accepted forms (case and spacing are free):

- MGRS, 1 m to 10 km precision: ``34TDN8927048850``, ``34T DN 89270 48850``, ``34TDN8948``.
  A reference names a square; the position returned is the square's centre and the uncertainty
  its half-diagonal (an MGRS reference to 1 km is uncertain by about 700 m).
- decimal degrees: ``42.8922, 20.8686``, ``42.8922 20.8686``, ``42.8922N 20.8686E``,
  ``N42.8922 E20.8686``. A decimal comma (``42,8922``) is refused with a clear message, never
  truncated.
- degrees, minutes (and seconds): ``42°53′32″N 20°52′07″E``, ``42°53'32"N 20°52'07"E``,
  ``42 53 32 N 20 52 07 E``, ``42°53.5'N 20°52.1'E``, compact ``425332N 0205207E``.
"""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass
from typing import Literal

import mgrs

from kfor_desk.domain.errors import UserError

__all__ = [
    "AREA_BOX",
    "COARSE_M",
    "ParsedPosition",
    "PositionError",
    "format_mgrs",
    "out_of_area",
    "parse_position",
    "precision_text",
    "precision_warning",
    "to_mgrs",
]

PositionForm = Literal["mgrs", "decimal", "dms"]

# The area the desk works in: Kosovo, southern Serbia and the neighbouring strip (south, north,
# west, east), the extent of the shipped land data.
AREA_BOX = (41.6, 43.9, 19.6, 22.4)

_METRES_PER_DEGREE_LAT = 111_320.0

_EXPECTED = (
    "expected MGRS (e.g. 34T DN 89270 48850, 1 m to 10 km precision), decimal degrees "
    "(e.g. 42.8922, 20.8686 or 42.8922N 20.8686E) or degrees-minutes-seconds "
    "(e.g. 42°53′32″N 20°52′07″E or 425332N 0205207E)"
)


class PositionError(UserError, ValueError):
    """A position that cannot be read; the message says what was expected."""


@dataclass(frozen=True, slots=True)
class ParsedPosition:
    """A position read from text. ``mgrs`` is the 1 m reference without spaces.

    ``precision_m`` is what the text states: the side of the MGRS square (1, 10, 100, 1000 or
    10000 m), or for degrees the last stated digit (a second, a minute's or degree's last
    decimal) in metres of latitude (``42.8922`` → about 11 m)."""

    lat: float
    lon: float
    uncertainty_m: float
    form: PositionForm
    mgrs: str
    precision_m: float = 0.0


#: A position coarser than this (metres) gets a warning: likely a dropped digit.
COARSE_M = 100.0


def _metres(m: float) -> str:
    if m >= 1000:
        return f"{round(m / 1000, 1):g} km"
    return f"{m:g} m"


def precision_text(p: ParsedPosition) -> str:
    """``±1 km square`` (MGRS) or ``±11 m`` (degrees, by their last digit)."""
    if p.form == "mgrs":
        return f"±{_metres(p.precision_m)} square"
    return f"±{_metres(p.precision_m)}"


def precision_warning(p: ParsedPosition) -> str | None:
    """The sentence when the text is coarser than :data:`COARSE_M` (else ``None``)."""
    if p.precision_m <= COARSE_M:
        return None
    off = _metres(round(p.uncertainty_m, -1 if p.uncertainty_m < 1000 else -2))
    if p.form == "mgrs":
        return (f"Only a {_metres(p.precision_m)} square: the point may be {off} from its "
                "centre. Check for a dropped digit; a full reference has 10 digits "
                "(34T DN 89270 48850).")
    return (f"Only to {_metres(p.precision_m)}: the point may be {off} off. Give more digits "
            "(42.8922, 20.8686 or seconds in DMS).")


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


def parse_position(text: str, *, with_mgrs: bool = True) -> ParsedPosition:
    """Read a position in any accepted form; ``PositionError`` says what was expected.

    ``with_mgrs=False``: leave ``mgrs`` empty instead of converting the position back to a 1 m
    reference (a third of the time; an import needs only lat, lon and uncertainty)."""
    raw = text.strip()
    if not raw:
        raise PositionError(f"no position given; {_EXPECTED}")
    if len(raw) > 100:
        raise PositionError(f"position text is too long ({len(raw)} characters); {_EXPECTED}")
    compact = re.sub(r"\s+", "", raw).upper()
    if _MGRS_RE.fullmatch(compact) or _LOOKS_MGRS_RE.match(compact):
        return _parse_mgrs(raw, compact, with_mgrs)
    return _parse_degrees(raw, with_mgrs)


def out_of_area(lat: float, lon: float) -> str | None:
    """A warning sentence when a position lies outside Kosovo and southern Serbia, else ``None``.

    The operator must confirm such a position before it is kept.
    """
    south, north, west, east = AREA_BOX
    if south <= lat <= north and west <= lon <= east:
        return None
    # Rough distance outside the box, to make the warning concrete.
    dlat = max(south - lat, 0.0, lat - north) * _METRES_PER_DEGREE_LAT
    clat = min(max(lat, south), north)
    dlon = (max(west - lon, 0.0, lon - east) * _METRES_PER_DEGREE_LAT
            * math.cos(math.radians(clat)))
    km = math.hypot(dlat, dlon) / 1000.0
    return (
        f"{_fmt_latlon(lat, lon)} lies about {km:,.0f} km outside Kosovo and southern Serbia "
        f"(expected {south}–{north}°N, {west}–{east}°E); check the position and confirm it."
    )


# --- MGRS ---------------------------------------------------------------------------------

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


# --- degrees ------------------------------------------------------------------------------

_QUOTES = {
    "′": "'", "’": "'", "‘": "'", "´": "'", "`": "'",
    "″": '"', "”": '"', "“": '"', "''": '"',
    "º": "°", "˚": "°",
    "−": "-", "–": "-",
}
_TOKEN_RE = re.compile(
    r"(?P<num>[+-]?\d+(?:\.\d+)?)|(?P<mark>[°'\"])|(?P<hemi>[NSEW])|(?P<sep>[,;/])|(?P<ws>\s+)"
)


@dataclass
class _Coord:
    numbers: list[str]
    marks: list[str | None]
    hemi: str | None = None


def _parse_degrees(raw: str, with_mgrs: bool = True) -> ParsedPosition:
    text = raw
    for old, new in _QUOTES.items():
        text = text.replace(old, new)
    text = text.upper()
    if re.search(r"\d,\d", text) and not re.fullmatch(
        r"\s*[NSEW]?\s*[+-]?\d+\.\d+\s*°?\s*[NSEW]?\s*,\s*[NSEW]?\s*[+-]?\d+\.\d+\s*°?\s*[NSEW]?\s*",
        text,
    ):
        raise PositionError(
            f"'{raw}' seems to use a decimal comma; write decimals with a point and separate "
            "latitude and longitude with a comma and a space, e.g. 42.8922, 20.8686"
        )
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        tm = _TOKEN_RE.match(text, pos)
        if not tm:
            raise PositionError(f"'{raw}': unexpected '{text[pos]}'; {_EXPECTED}")
        kind = tm.lastgroup or ""
        if kind != "ws":
            tokens.append((kind, tm.group()))
        pos = tm.end()
    coords = _split_coords(raw, tokens)
    lat_c, lon_c = coords
    if lat_c.hemi in ("E", "W") or lon_c.hemi in ("N", "S"):
        lat_c, lon_c = lon_c, lat_c
    if lat_c.hemi in ("E", "W") or lon_c.hemi in ("N", "S"):
        raise PositionError(
            f"'{raw}': expected one latitude (N/S) and one longitude (E/W); {_EXPECTED}"
        )
    lat, lat_unc, lat_form = _coord_value(raw, lat_c, is_lat=True)
    lon, lon_unc, lon_form = _coord_value(raw, lon_c, is_lat=False)
    if lat_form != lon_form:
        raise PositionError(
            f"'{raw}' mixes decimal degrees and degrees-minutes-seconds; write both the same way"
        )
    _check_range(lat, lon, raw)
    unc = math.hypot(
        lat_unc * _METRES_PER_DEGREE_LAT,
        lon_unc * _METRES_PER_DEGREE_LAT * math.cos(math.radians(lat)),
    )
    unit_m = 2.0 * max(lat_unc, lon_unc) * _METRES_PER_DEGREE_LAT  # the last stated digit
    precision = round(unit_m) if unit_m >= 10 else round(unit_m, 1)
    return ParsedPosition(
        lat=lat, lon=lon, uncertainty_m=unc, form=lat_form,
        mgrs=_mgrs_or_empty(lat, lon) if with_mgrs else "",
        precision_m=float(precision),
    )


def _mgrs_or_empty(lat: float, lon: float) -> str:
    if not -80.0 <= lat <= 84.0:
        return ""
    return to_mgrs(lat, lon)


def _split_coords(raw: str, tokens: list[tuple[str, str]]) -> tuple[_Coord, _Coord]:
    """Group tokens into two coordinates, split by hemisphere letters or a separator."""
    hemis = [i for i, (k, _) in enumerate(tokens) if k == "hemi"]
    seps = [i for i, (k, _) in enumerate(tokens) if k == "sep"]
    if len(seps) > 1 or (hemis and len(hemis) != 2):
        raise PositionError(f"'{raw}' is not a position I can read; {_EXPECTED}")
    groups: list[list[tuple[str, str]]]
    if hemis:
        # prefix style (N42 E20) when the text starts with a letter, else suffix style
        if hemis[0] == 0:
            groups = [tokens[: hemis[1]], tokens[hemis[1]:]]
        else:
            groups = [tokens[: hemis[0] + 1], tokens[hemis[0] + 1:]]
    elif seps:
        groups = [tokens[: seps[0]], tokens[seps[0] + 1:]]
    else:
        nums = [i for i, (k, _) in enumerate(tokens) if k == "num"]
        if len(nums) != 2 or any(k == "mark" for k, _ in tokens):
            raise PositionError(
                f"'{raw}': cannot tell latitude from longitude; add N/E or separate them with "
                f"a comma; {_EXPECTED}"
            )
        groups = [tokens[: nums[1]], tokens[nums[1]:]]
    result: list[_Coord] = []
    for group in groups:
        group = [t for t in group if t[0] != "sep"]
        coord = _Coord(numbers=[], marks=[])
        for i, (kind, value) in enumerate(group):
            if kind == "num":
                coord.numbers.append(value)
                coord.marks.append(None)
            elif kind == "mark":
                if not coord.numbers or coord.marks[-1] is not None:
                    raise PositionError(f"'{raw}': misplaced '{value}'; {_EXPECTED}")
                coord.marks[-1] = value
            elif kind == "hemi":
                if coord.hemi is not None or (0 < i < len(group) - 1):
                    raise PositionError(f"'{raw}': misplaced '{value}'; {_EXPECTED}")
                coord.hemi = value
        if not coord.numbers:
            raise PositionError(f"'{raw}': a coordinate has no number; {_EXPECTED}")
        result.append(coord)
    return result[0], result[1]


def _coord_value(raw: str, c: _Coord, *, is_lat: bool) -> tuple[float, float, PositionForm]:
    """Value in degrees, half the last stated unit in degrees, and the form."""
    name = "latitude" if is_lat else "longitude"
    numbers = list(c.numbers)
    marks = list(c.marks)
    if c.hemi and any(n.startswith(("+", "-")) for n in numbers):
        raise PositionError(f"'{raw}': give the {name} a sign or a hemisphere letter, not both")
    # compact DMS: 425332N, 0205207E, 4253N, 02052E (needs the hemisphere letter)
    if len(numbers) == 1 and marks[0] is None and c.hemi:
        whole, _, frac = numbers[0].lstrip("+-").partition(".")
        if len(whole) >= 4:
            lengths = {4: 2, 6: 2} if is_lat else {4: 2, 5: 3, 6: 2, 7: 3}
            deg_len = lengths.get(len(whole))
            if deg_len is None:
                raise PositionError(
                    f"'{raw}': cannot read '{numbers[0]}' as compact degrees-minutes-seconds; "
                    "expected DDMMSS for latitude and DDDMMSS for longitude, "
                    "e.g. 425332N 0205207E"
                )
            rest = whole[deg_len:]
            parts = [whole[:deg_len], rest[:2]] + ([rest[2:]] if len(rest) > 2 else [])
            if frac:
                parts[-1] += "." + frac
            numbers = parts
            marks = [None] * len(parts)
    if len(numbers) > 3:
        raise PositionError(f"'{raw}': too many numbers in the {name}; {_EXPECTED}")
    expected_marks = ["°", "'", '"'][: len(numbers)]
    for mark, want in zip(marks, expected_marks, strict=True):
        if mark is not None and mark != want:
            raise PositionError(
                f"'{raw}': expected degrees °, minutes ′ and seconds ″ in that order"
            )
    for n in numbers[:-1]:
        if "." in n:
            raise PositionError(f"'{raw}': only the last part of the {name} may have decimals")
    values = [abs(float(n)) for n in numbers]
    negative = numbers[0].startswith("-") or c.hemi in ("S", "W")
    for v, label in zip(values[1:], ("minutes", "seconds"), strict=False):
        if v >= 60:
            raise PositionError(f"'{raw}': {label} must be below 60, not {v:g}")
    degrees = values[0] + sum(v / 60 ** (i + 1) for i, v in enumerate(values[1:]))
    last = numbers[-1]
    decimals = len(last.partition(".")[2])
    half_unit = 0.5 * 10.0 ** (-decimals) / 60 ** (len(numbers) - 1)
    form: PositionForm = "decimal" if len(numbers) == 1 else "dms"
    return (-degrees if negative else degrees), half_unit, form


def _check_range(lat: float, lon: float, raw: str) -> None:
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise PositionError(f"'{raw}': latitude and longitude must be numbers")
    if not -90.0 <= lat <= 90.0:
        raise PositionError(
            f"'{raw}': latitude {lat:g} is out of range; expected -90 to 90 (latitude first, "
            "e.g. 42.8922, 20.8686)"
        )
    if not -180.0 <= lon <= 180.0:
        raise PositionError(f"'{raw}': longitude {lon:g} is out of range; expected -180 to 180")


def _fmt_latlon(lat: float, lon: float) -> str:
    return (f"{abs(lat):.4f}°{'N' if lat >= 0 else 'S'} "
            f"{abs(lon):.4f}°{'E' if lon >= 0 else 'W'}")
