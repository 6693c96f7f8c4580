"""Position text and ABL relations for records (the domain's geodesy, applied to records)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from kfor_desk.domain.records import ConsentRequest, ExerciseNotification, Location, Record

# numpy, pyproj and shapely load on first use, not when the window or a command starts.


@lru_cache(maxsize=65_536)
def position_tuple(text: str) -> tuple[float, float, float]:
    """(lat, lon, uncertainty_m) of position text; ``ValueError`` says what was expected.

    Remembered per text (an import repeats the same places many times); a refusal is not
    remembered, each one is raised again."""
    from kfor_desk.domain.geo.position import parse_position

    p = parse_position(text, with_mgrs=False)
    return p.lat, p.lon, p.uncertainty_m


def with_abl(record: Record) -> Record:
    """The record with every location's ABL relation computed."""
    from kfor_desk.domain.geo.abl import abl_index

    locs = tuple(replace(loc, abl=abl_index().relation(loc.lat, loc.lon))
                 for loc in record.locations)
    return replace(record, locations=locs)


def with_abl_many(records: Sequence[Record]) -> list[Record]:
    """Vectorised :func:`with_abl` for imports and demo data."""
    from kfor_desk.domain.geo.abl import abl_index

    flat: list[Location] = [loc for r in records for loc in r.locations]
    if not flat:
        return list(records)
    rels = abl_index().relations([loc.lat for loc in flat], [loc.lon for loc in flat])
    out: list[Record] = []
    i = 0
    for r in records:
        n = len(r.locations)
        locs = tuple(replace(loc, abl=rel) for loc, rel in zip(r.locations, rels[i:i + n],
                                                                 strict=True))
        i += n
        out.append(replace(r, locations=locs))
    return out


__all__ = ["ConsentRequest", "ExerciseNotification", "position_tuple", "with_abl",
           "with_abl_many"]
