"""ABL benchmark: distance, band and side for 10,000 positions.

Target (issue 3): at most 1 s for 10,000 positions (vectorised ``AblIndex.relations``), printed
beside the one-at-a-time path (``AblIndex.relation``, what a form calls per keystroke) and the
time to build the index and parse 10,000 MGRS references.
Positions: uniform over the ABL area (lat 42.2–43.5, lon 20.2–21.9).
Run: ``.venv/bin/python bench/bench_geo.py [--seed N]``.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from kfor_desk.domain.geo import parse_position, to_mgrs
from kfor_desk.domain.geo.abl import AblIndex

TARGET_S = 1.0
N = 10_000


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    lats = rng.uniform(42.2, 43.5, N)
    lons = rng.uniform(20.2, 21.9, N)

    t = time.perf_counter()
    index = AblIndex()
    build = time.perf_counter() - t

    index.relations(lats[:10], lons[:10])  # warm up
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        relations = index.relations(lats, lons)
        best = min(best, time.perf_counter() - t)

    t = time.perf_counter()
    single = [index.relation(float(a), float(b)) for a, b in zip(lats[:1000], lons[:1000],
                                                                  strict=True)]
    per_call = (time.perf_counter() - t) / 1000
    assert single == relations[:1000]

    refs = [to_mgrs(float(a), float(b)) for a, b in zip(lats, lons, strict=True)]
    t = time.perf_counter()
    for ref in refs:
        parse_position(ref)
    parse_s = time.perf_counter() - t

    ok = best <= TARGET_S
    print(f"index build (first use)          {build * 1000:8.1f} ms")
    print(f"distance+band+side, {N:,} positions {best * 1000:8.1f} ms   target ≤ "
          f"{TARGET_S * 1000:.0f} ms   {'OK' if ok else 'TOO SLOW'}")
    print(f"one position at a time           {per_call * 1e6:8.1f} µs per call")
    print(f"parse {N:,} MGRS references      {parse_s * 1000:8.1f} ms")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
