"""Grouping map symbols that would overlap: the screen map and the PDF maps both use it.

Points are binned on a square grid of ``cell`` map units anchored at the projection's origin
(so the groups do not change when the view is only panned); every occupied cell is one group,
placed at the mean of its members. A group of one is drawn as the record's own symbol, a larger
one as a count. Vectorised (numpy): 5,000 points in a few milliseconds. Nothing here draws,
knows records or knows Qt; it works on plain coordinates.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: fewer symbols than this are never grouped (a handful of overlaps stays readable)
MIN_TO_GROUP = 300


@dataclass(frozen=True, eq=False)
class Grouping:
    """Groups of points at one cell size, as parallel arrays (one entry per group, in the order
    of each group's first point), and the group of each point."""

    x: FloatArray  # mean position of the members
    y: FloatArray
    count: IntArray
    first: IntArray  # index of the group's first point: the point itself for a group of one
    group_of: IntArray  # per point given: its group, or -1 when it is not finite

    def __len__(self) -> int:
        return len(self.count)

    def total(self, per_point: Sequence[float] | FloatArray) -> FloatArray:
        """Per group, the sum of a per-point value (e.g. 1 for a point in an open conflict)."""
        values = np.asarray(per_point, dtype=np.float64)
        ok = self.group_of >= 0
        return np.bincount(self.group_of[ok], weights=values[ok],
                           minlength=len(self)).astype(np.float64)

    def members(self, group: int) -> IntArray:
        """The indices of one group's points, in the order given."""
        return np.flatnonzero(self.group_of == group)


def group_points(xs: Sequence[float] | FloatArray, ys: Sequence[float] | FloatArray,
                 cell: float) -> Grouping:
    """Group points by the grid cell of side ``cell`` they fall in; points that are not
    finite belong to no group."""
    if cell <= 0 or not math.isfinite(cell):
        raise ValueError(f"cell size must be a positive number, not {cell}")
    x = np.asarray(xs, dtype=np.float64)
    y = np.asarray(ys, dtype=np.float64)
    if x.shape != y.shape:
        raise ValueError("as many x as y coordinates are needed")
    group_of = np.full(len(x), -1, dtype=np.int64)
    keep = np.flatnonzero(np.isfinite(x) & np.isfinite(y))
    if not len(keep):
        empty = np.zeros(0)
        return Grouping(empty, empty.copy(), np.zeros(0, dtype=np.int64),
                        np.zeros(0, dtype=np.int64), group_of)
    gx = np.floor(x[keep] / cell).astype(np.int64)
    gy = np.floor(y[keep] / cell).astype(np.int64)
    gx -= gx.min()
    gy -= gy.min()
    rows = int(gy.max()) + 1
    if (int(gx.max()) + 1) * rows < 2**62:  # one integer per cell: a fast one-dimensional sort
        keys: npt.NDArray[np.int64] = gx * rows + gy
        _, first, inverse, counts = np.unique(keys, return_index=True, return_inverse=True,
                                              return_counts=True)
    else:  # cells far too many for one integer (a tiny cell over a huge extent)
        _, first, inverse, counts = np.unique(np.stack([gx, gy], axis=1), axis=0,
                                              return_index=True, return_inverse=True,
                                              return_counts=True)
    inverse = inverse.reshape(-1)
    # renumber the groups in the order of their first point (stable for the caller)
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    group_of[keep] = rank[inverse]
    counts = counts[order].astype(np.int64)
    sx = np.bincount(group_of[keep], weights=x[keep], minlength=len(order)) / counts
    sy = np.bincount(group_of[keep], weights=y[keep], minlength=len(order)) / counts
    return Grouping(sx, sy, counts, keep[first[order]].astype(np.int64), group_of)


def should_group(n_symbols: int) -> bool:
    """Whether this many symbols are grouped at small scales at all."""
    return n_symbols >= MIN_TO_GROUP
