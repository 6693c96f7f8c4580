"""The map's path operators leave out only what cannot be seen inside the frame."""

from __future__ import annotations

from kfor_desk.reports.map_paths import path

BOX = (0.0, 0.0, 100.0, 100.0)


def _vertices(rings: list[list[tuple[float, float]]], close: bool = False
              ) -> list[tuple[float, float]]:
    code = path(rings, 0.0, 0.0, 1.0, BOX, close).getCode().split()
    out = []
    for i, op in enumerate(code):
        if op in ("m", "l"):
            out.append((float(code[i - 2]), float(code[i - 1])))
    return out


def test_a_run_beyond_one_side_becomes_its_first_and_last_vertex() -> None:
    far_left = [(-50.0, float(y)) for y in range(0, 100, 5)]
    ring = [(10.0, 10.0), *far_left, (10.0, 90.0)]
    got = _vertices([ring])
    assert got == [(10.0, 10.0), (-50.0, 0.0), (-50.0, 95.0), (10.0, 90.0)]


def test_every_vertex_inside_the_frame_is_kept() -> None:
    ring = [(float(x), 50.0 + (x % 7)) for x in range(0, 100, 3)]
    assert _vertices([ring]) == ring


def test_a_chain_that_goes_round_a_corner_outside_is_not_cut_across_the_frame() -> None:
    # left of the frame, then above it: the chord from the first to the last would cross
    # the frame's corner, so the corner vertex stays
    ring = [(-20.0, 50.0), (-20.0, 80.0), (-20.0, 130.0), (30.0, 130.0), (60.0, 130.0)]
    got = _vertices([ring])
    assert (-20.0, 130.0) in got
    assert got[0] == (-20.0, 50.0) and got[-1] == (60.0, 130.0)


def test_a_segment_across_the_frame_between_two_outside_vertices_is_kept() -> None:
    ring = [(-30.0, 50.0), (130.0, 50.0), (130.0, 60.0), (-30.0, 60.0)]
    assert _vertices([ring], close=True) == ring
