"""The map's lines and areas as PDF path operators, without the parts nobody can see.

A brief's three maps drew about 57,000 vertices of land, band and ABL geometry, half of them
outside the map's frame (the inset shows the north; Serbia's outline goes on for hundreds of
kilometres). Outside the frame a run of vertices that all lie beyond one side of it (all left
of it, say) is replaced by its first and last vertex: the chord between them lies beyond that
side too, so what is filled or stroked inside the frame is exactly the same (the frame is
widened by a few points so that no stroke width reaches in). Inside, a vertex closer than
``MIN_STEP_PT`` to the last one drawn is skipped as before, and coordinates are written with one
decimal (1/720 inch). The operators are formatted here in one pass instead of one
``lineTo`` call per vertex; circles likewise. This module does not choose colours, clip or
place symbols and labels (:mod:`.map_drawing`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from reportlab.pdfgen.pathobject import PDFPathObject

MIN_STEP_PT = 0.4  # path vertices closer than this (0.14 mm) to the last one drawn are skipped
BLEED_PT = 4.0  # the frame is widened by this much before anything is left out
_ARRAYS: dict[int, tuple[object, np.ndarray]] = {}  # id(ring) -> (ring, its vertices)


def _array(ring: Sequence[tuple[float, float]]) -> np.ndarray:
    """The ring as an (n, 2) array, made once per ring object (the map layers are immutable
    and kept for the process; the ring is held so that its id cannot be reused)."""
    kept = _ARRAYS.get(id(ring))
    if kept is not None and kept[0] is ring:
        return kept[1]
    arr = np.asarray(ring, dtype=float).reshape(-1, 2)
    _ARRAYS[id(ring)] = (ring, arr)
    return arr


def _visible(px: np.ndarray, py: np.ndarray, box: tuple[float, float, float, float]
             ) -> np.ndarray:
    """Which vertices to keep: inside runs beyond one side of ``box`` only the first and last.
    One pass per side, each on what the previous passes kept, so every chord replaces a chain
    that lies entirely beyond one side."""
    x0, y0, x1, y1 = box
    keep = np.ones(len(px), dtype=bool)
    for beyond in (px < x0, px > x1, py < y0, py > y1):
        idx = np.flatnonzero(keep)
        if len(idx) < 3:
            break
        b = beyond[idx]
        interior = np.zeros(len(idx), dtype=bool)
        interior[1:-1] = b[:-2] & b[1:-1] & b[2:]
        keep[idx[interior]] = False
    return keep


def path(rings: Iterable[Sequence[tuple[float, float]]], ox: float, oy: float, k: float,
         box: tuple[float, float, float, float], close: bool) -> PDFPathObject:
    """The rings (map metres; drawn at ``ox + x * k``, ``oy + y * k``) as one path; parts
    beyond ``box`` (points, widened by ``BLEED_PT``) are left out as described above."""
    x0, y0, x1, y1 = box
    wide = (x0 - BLEED_PT, y0 - BLEED_PT, x1 + BLEED_PT, y1 + BLEED_PT)
    code: list[str] = []
    for ring in rings:
        if not ring:
            continue
        arr = _array(ring)
        px = arr[:, 0] * k + ox
        py = arr[:, 1] * k + oy
        keep = _visible(px, py, wide)
        xs = px[keep].tolist()
        ys = py[keep].tolist()
        last = len(xs) - 1
        lx, ly = xs[0], ys[0]
        code.append(f"{lx:.1f} {ly:.1f} m")
        append = code.append
        for i in range(1, last + 1):
            x, y = xs[i], ys[i]
            if i == last or abs(x - lx) + abs(y - ly) >= MIN_STEP_PT:
                append(f"{x:.1f} {y:.1f} l")
                lx, ly = x, y
        if close:
            append("h")
    return PDFPathObject(code=code)


KAPPA = 0.5522847498  # a quarter circle as one cubic Bézier


def circle(c: Any, x: float, y: float, r: float, stroke: int = 1, fill: int = 0) -> None:
    """A circle as four Bézier quarters written in one go (``Canvas.circle`` works the arc out
    anew for every symbol, ring and group disc of a map)."""
    k = KAPPA * r
    code = [f"{x + r:.2f} {y:.2f} m",
            f"{x + r:.2f} {y + k:.2f} {x + k:.2f} {y + r:.2f} {x:.2f} {y + r:.2f} c",
            f"{x - k:.2f} {y + r:.2f} {x - r:.2f} {y + k:.2f} {x - r:.2f} {y:.2f} c",
            f"{x - r:.2f} {y - k:.2f} {x - k:.2f} {y - r:.2f} {x:.2f} {y - r:.2f} c",
            f"{x + k:.2f} {y - r:.2f} {x + r:.2f} {y - k:.2f} {x + r:.2f} {y:.2f} c", "h"]
    c.drawPath(PDFPathObject(code=code), stroke=stroke, fill=fill)
