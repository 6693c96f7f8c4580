"""The position value, its precision and warning sentences, and the desk's area.

Holds :class:`ParsedPosition` (a position read from text with its stated precision and
uncertainty), :class:`PositionError`, the sentences shown to the operator about a position
(``precision_text``, ``precision_warning``, ``out_of_area``) and the range check shared by the
parsers. It does not read text (:mod:`.position_mgrs`, :mod:`.position_degrees`,
:mod:`.position` do) and does not convert to or from MGRS; it imports no ``mgrs``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from kfor_desk.domain.errors import UserError

__all__ = [
    "AREA_BOX",
    "COARSE_M",
    "ParsedPosition",
    "PositionError",
    "PositionForm",
    "out_of_area",
    "precision_text",
    "precision_warning",
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
