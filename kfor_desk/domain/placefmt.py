"""Locations and their ABL relation as text: one wording and one precision everywhere.

The window (registers, detail pane, position field), the PDF briefs and the CLI all write a
distance to the ABL, a side and a band through these functions, so ``3.4 km`` on the screen is
``3.4 km`` on paper and in the terminal. Distances are shown to 0.1 km: the ABL line is
indicative, finer digits would promise a precision the data does not have.

Plain text only: no markup (the briefs add their own), no geodesy (the relation is computed by
``domain.geo`` and stored on each ``Location``). Machine output (JSON, CSV) keeps full numbers.
"""

from __future__ import annotations

from .enums import Band, Side
from .records import AblRelation, Location

__all__ = ["abl_text", "band_text", "km", "latlon_text", "position_text", "side_text"]

_SIDES = {Side.KOSOVO: "Kosovo side", Side.SERBIA: "Serbian side",
          Side.OTHER: "neighbouring country"}


def km(distance_km: float) -> str:
    """``3.4 km`` (one decimal)."""
    return f"{distance_km:.1f} km"


def side_text(side: Side) -> str:
    """``Kosovo side``, ``Serbian side`` or ``neighbouring country``."""
    return _SIDES[side]


def band_text(band: Band) -> str:
    """``band ≤ 5 km`` or ``beyond 25 km``."""
    if band is Band.BEYOND:
        return f"beyond {band.label.removeprefix('> ')}"
    return f"band {band.label}"


def abl_text(rel: AblRelation) -> str:
    """``3.4 km from the ABL, Serbian side, band ≤ 5 km``."""
    return f"{km(rel.distance_km)} from the ABL, {side_text(rel.side)}, {band_text(rel.band)}"


def latlon_text(lat: float, lon: float) -> str:
    """``42.89220, 20.86860`` (decimal degrees, 5 decimals: about 1 m)."""
    return f"{lat:.5f}, {lon:.5f}"


def position_text(loc: Location) -> str:
    """The position as the operator gave it, else decimal degrees."""
    return loc.position or latlon_text(loc.lat, loc.lon)
