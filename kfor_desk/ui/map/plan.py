"""Which records the map draws as themselves and which as a count, at every zoom level.

:func:`plan_records` projects the records once and groups them with the domain's
:func:`~kfor_desk.domain.geo.clusters.group_points` (the same grouping as the PDF maps) for every
zoom level at which they are grouped: cells of 2^k metres, ``k`` from :data:`FINEST_LEVEL` + 1
to :data:`COARSEST_LEVEL`. It is plain Python and numpy (no Qt): the map runs it on a worker and
then creates only the items the view needs on the GUI thread. A level's cell is at least
:data:`CELL_PX` pixels wide on screen, so no two count discs overlap much; closer in than
:data:`FINEST_LEVEL` every record is drawn as itself. Fewer records than
:data:`~kfor_desk.domain.geo.clusters.MIN_TO_GROUP` are never grouped.

Nothing here draws, reads a database or decides a band: the band comes in with each item.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy loads with the first grouping, not with the window
    import numpy as np
    import numpy.typing as npt

    from kfor_desk.domain.geo.clusters import Grouping

    IntArray = npt.NDArray[np.int64]
    FloatArray = npt.NDArray[np.float64]
    BoolArray = npt.NDArray[np.bool_]

CELL_PX = 40.0  # a cell of the grouping grid is between this and twice this wide on screen
FINEST_LEVEL = 8  # cells of 256 m or less (about 7 m a pixel): every record is drawn alone
COARSEST_LEVEL = 17  # cells of 131 km: the whole region at the widest zoom
#: how bad a band is: a count disc wears the colour of the worst record inside it
BAND_RANK = {"notify": 3, "ground": 2, "air": 1, "beyond": 0}


@dataclass(frozen=True, slots=True)
class MapItem:
    """One record location to draw. ``kind`` is ``"SAF"`` or ``"KSF"``; ``band`` the
    location's ABL band value (``"notify"``, ``"ground"``, ``"air"``, ``"beyond"``) or ``""``
    when not known; ``highlighted`` marks a record that needs attention."""

    register_no: str
    kind: str
    title: str
    lat: float
    lon: float
    radius_m: float = 0.0
    highlighted: bool = False
    band: str = ""


def level_for(m_per_px: float) -> int | None:
    """The grouping level at a scale (metres a pixel), or ``None`` where every record is
    drawn as itself."""
    k = math.ceil(math.log2(max(CELL_PX * m_per_px, 1e-9)))
    if k <= FINEST_LEVEL:
        return None
    return min(k, COARSEST_LEVEL)


def disc_radius_px(count: int) -> float:
    """The radius on screen of the disc standing for ``count`` records (grows slowly)."""
    return 9.0 + 3.2 * math.log10(max(count, 1))


def widest_m_per_px(level: int | None) -> float:
    """The coarsest scale (metres a pixel) still drawn at ``level`` (``None``: alone)."""
    k = FINEST_LEVEL if level is None else level
    return 2.0 ** k / CELL_PX


@dataclass(frozen=True, eq=False)
class LevelGroups:
    """One level's groups: the grouping, which points are drawn alone, and per group its
    worst band rank (-1 unknown), its SAF count and its highlighted count."""

    grouping: Grouping
    alone: BoolArray  # per point: drawn as its own symbol at this level
    disc_x: FloatArray  # per group: where its disc is drawn (map metres)
    disc_y: FloatArray
    worst: IntArray
    saf: IntArray
    highlighted: IntArray


@dataclass(frozen=True, eq=False)
class ClusterPlan:
    """The records and their groups at every level (a frozen value: safe across threads)."""

    items: tuple[MapItem, ...]
    x: FloatArray  # map metres (UTM 34N easting)
    y: FloatArray  # northing
    levels: Mapping[int, LevelGroups]  # empty: never grouped
    by_register: Mapping[str, tuple[int, ...]]  # the locations of each register number

    def __len__(self) -> int:
        return len(self.items)

    @property
    def grouped(self) -> bool:
        return bool(self.levels)

    def at(self, level: int | None) -> LevelGroups | None:
        """The groups at ``level``, or ``None`` where every record is drawn alone."""
        if level is None:
            return None
        return self.levels.get(level)

    def alone_from(self, index: int) -> int | None:
        """The coarsest level at which point ``index`` is drawn as itself (``None``: only
        when every record is)."""
        for k in sorted(self.levels, reverse=True):
            if self.levels[k].alone[index]:
                return k
        return None


def plan_records(items: Sequence[MapItem]) -> ClusterPlan:
    """Project ``items`` and group them at every level (5,000 records: a few tens of ms)."""
    import numpy as np

    from kfor_desk.domain.geo._data import project_arrays
    from kfor_desk.domain.geo.clusters import group_points, should_group

    items = tuple(items)
    n = len(items)
    if n:
        x, y = project_arrays([i.lat for i in items], [i.lon for i in items])
    else:
        x, y = np.zeros(0), np.zeros(0)
    by_register: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        by_register.setdefault(item.register_no, []).append(index)
    levels: dict[int, LevelGroups] = {}
    if should_group(n):
        rank = np.array([BAND_RANK.get(i.band, -1) for i in items], dtype=np.int64)
        saf = np.array([i.kind == "SAF" for i in items], dtype=np.float64)
        high = np.array([i.highlighted for i in items], dtype=np.float64)
        for k in range(FINEST_LEVEL + 1, COARSEST_LEVEL + 1):
            g = group_points(x, y, 2.0 ** k)
            ok = g.group_of >= 0
            # the worst rank per group, by counting each rank (no ufunc.at: it gives the
            # GIL back per element, and a busy GUI thread then starves this worker)
            worst = np.full(len(g), -1, dtype=np.int64)
            for r in sorted(set(BAND_RANK.values())):
                has = np.bincount(g.group_of[ok & (rank == r)], minlength=len(g)) > 0
                worst[has] = r
            alone = np.zeros(n, dtype=np.bool_)
            alone[ok] = g.count[g.group_of[ok]] == 1
            disc_x, disc_y = _disc_positions(g, x, y, 2.0 ** k)
            levels[k] = LevelGroups(g, alone, disc_x, disc_y, worst, g.total(saf).astype(np.int64),
                                    g.total(high).astype(np.int64))
    return ClusterPlan(items, x, y, levels,
                       {r: tuple(v) for r, v in by_register.items()})


def _disc_positions(g: Grouping, x: FloatArray, y: FloatArray,
                    cell: float) -> tuple[FloatArray, FloatArray]:
    """Each group's disc at the mean of its records, moved just far enough into its own cell
    that it keeps clear of the discs of the cells beside it (the mean of records near a
    cell's edge would put two discs on top of each other)."""
    import numpy as np

    if not len(g):
        return g.x, g.y
    # the disc's radius (and its attention ring) in metres at this level's widest scale
    radius_m = (9.0 + 3.2 * np.log10(np.maximum(g.count, 1)) + 3.0) * cell / CELL_PX
    margin = np.minimum(radius_m, cell / 2)
    out = []
    for mean, first in ((g.x, x[g.first]), (g.y, y[g.first])):
        lo = np.floor(first / cell) * cell
        out.append(np.clip(mean, lo + margin, lo + cell - margin))
    return out[0], out[1]
