"""Geodesy for the desk: reading positions, relating them to the ABL, and the map's geometry.

- :mod:`.position`: ``parse_position`` (MGRS / decimal / DMS), ``to_mgrs``, ``out_of_area``;
  the work is split into :mod:`.position_value`, :mod:`.position_mgrs`, :mod:`.position_degrees`;
- :mod:`.abl`: ``abl_index()`` → ``AblIndex.relation(lat, lon)`` / ``describe(lat, lon)``, places;
- :mod:`.mapdata`: ``map_layers()``, Qt-free geometry the screen map and the PDF briefs draw.

Everything is pure Python on pyproj, mgrs and shapely; the data ships in ``resources/data``.
"""

from __future__ import annotations

from .position import (
    AREA_BOX,
    ParsedPosition,
    PositionError,
    format_mgrs,
    out_of_area,
    parse_position,
    precision_text,
    precision_warning,
    to_mgrs,
)

__all__ = [
    "AREA_BOX",
    "ParsedPosition",
    "PositionError",
    "format_mgrs",
    "out_of_area",
    "parse_position",
    "precision_text",
    "precision_warning",
    "to_mgrs",
]
