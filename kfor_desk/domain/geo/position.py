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

This module decides the form and re-exports the public names; the work is split by seam:
:mod:`.position_value` (the value, its precision and warning sentences, the area),
:mod:`.position_mgrs` (MGRS in and out) and :mod:`.position_degrees` (decimal and DMS). It does
not convert anything itself.
"""

from __future__ import annotations

import re

from .position_degrees import _parse_degrees
from .position_mgrs import _LOOKS_MGRS_RE, _MGRS_RE, _parse_mgrs, format_mgrs, to_mgrs
from .position_value import (
    _EXPECTED,
    AREA_BOX,
    COARSE_M,
    ParsedPosition,
    PositionError,
    out_of_area,
    precision_text,
    precision_warning,
)

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
