"""Grouping map symbols: every point in exactly one group, groups by grid cell, stable order."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kfor_desk.domain.geo.clusters import group_points, should_group


def test_points_in_one_cell_form_one_group_at_their_mean() -> None:
    g = group_points([10.0, 20.0, 150.0, 12.0], [10.0, 30.0, 10.0, 90.0], cell=100.0)
    assert len(g) == 2
    assert list(g.count) == [3, 1]
    assert (g.x[0], g.y[0]) == pytest.approx((14.0, 130 / 3))
    assert list(g.first) == [0, 2]
    assert list(g.group_of) == [0, 0, 1, 0]
    assert list(g.members(0)) == [0, 1, 3]
    assert list(g.total([1, 0, 1, 1])) == [2.0, 1.0]


def test_points_that_are_not_finite_belong_to_no_group() -> None:
    g = group_points([1.0, math.nan, 5.0], [1.0, 2.0, math.inf], cell=10.0)
    assert list(g.count) == [1] and list(g.group_of) == [0, -1, -1]
    assert len(group_points([], [], 10.0)) == 0
    with pytest.raises(ValueError):
        group_points([1.0], [1.0], 0.0)


def test_a_tiny_cell_over_a_huge_extent_still_groups() -> None:
    g = group_points([0.0, 1e9, 1e9], [0.0, 1e9, 1e9], cell=1e-3)
    assert list(g.count) == [1, 2]


@given(st.lists(st.tuples(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6)), max_size=60),
       st.floats(0.5, 1e5))
def test_groups_are_the_grid_cells(points: list[tuple[float, float]], cell: float) -> None:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    g = group_points(xs, ys, cell)
    assert int(g.count.sum()) == len(points)
    cells = {}
    for i, (x, y) in enumerate(points):
        cells.setdefault((math.floor(x / cell), math.floor(y / cell)), []).append(i)
    assert sorted(tuple(g.members(k)) for k in range(len(g))) == sorted(
        tuple(v) for v in cells.values())
    assert list(g.first) == sorted(v[0] for v in cells.values())
    for k in range(len(g)):
        m = g.members(k)
        assert g.x[k] == pytest.approx(float(np.mean(np.asarray(xs)[m])))


def test_only_many_symbols_are_grouped() -> None:
    assert not should_group(40) and should_group(5000)
