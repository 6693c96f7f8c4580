"""Deconfliction benchmark.

Target (issue 6): ``find_conflicts`` over 10,000 activities in at most 0.5 s, printed beside
brute force on 2,000 activities in the same run (and the engine on those same 2,000, with the
two answers checked equal).

Activities: half SAF notifications, half KSF requests, one to three locations each, spread over
the ABL area (about 130 km x 90 km) and over one year, lasting 2 h to 5 days, radii 0–5 km.
Run: ``.venv/bin/python bench/bench_conflicts.py [--seed N]``.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from kfor_desk.domain.conflicts import (
    Conflict,
    DeconflictionSettings,
    brute_force_conflicts,
    find_conflicts,
)
from kfor_desk.domain.records import ConsentRequest, ExerciseNotification, Location, Record

TARGET_S = 0.5
N_ENGINE = 10_000
N_BRUTE = 2_000
AS_OF = datetime(2026, 1, 1, tzinfo=UTC)


def make_records(n: int, rng: random.Random) -> list[Record]:
    out: list[Record] = []
    for i in range(n):
        start = AS_OF + timedelta(minutes=rng.randrange(365 * 24 * 60))
        end = start + timedelta(minutes=rng.randrange(120, 5 * 24 * 60))
        locs = tuple(
            Location(
                name=f"loc {k}",
                lat=rng.uniform(42.70, 43.50),
                lon=rng.uniform(20.20, 21.80),
                radius_m=rng.choice([None, 500, 1000, 2000, 5000]),
            )
            for k in range(rng.randint(1, 3))
        )
        if i % 2 == 0:
            out.append(ExerciseNotification(
                name=f"Exercise {i}", received_at=start - timedelta(days=3), start=start,
                end=end, locations=locs, register_no=f"SAF-2026-{i // 2 + 1:05d}"))
        else:
            out.append(ConsentRequest(
                requesting_unit="KSF", received_at=start - timedelta(days=5), start=start,
                end=end, decision_due=start - timedelta(days=1), locations=locs,
                register_no=f"KSF-2026-{i // 2 + 1:05d}"))
    return out


def timed(fn: Callable[[], list[Conflict]], repeat: int = 1) -> tuple[float, list[Conflict]]:
    best = float("inf")
    result: list[Conflict] = []
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return best, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    settings = DeconflictionSettings()

    big = make_records(N_ENGINE, rng)
    small = make_records(N_BRUTE, rng)
    find_conflicts(small[:50], AS_OF, settings)  # warm up (projection set-up)

    t_big, found_big = timed(lambda: find_conflicts(big, AS_OF, settings), repeat=3)
    t_small, found_small = timed(lambda: find_conflicts(small, AS_OF, settings), repeat=3)
    t_brute, brute_small = timed(lambda: brute_force_conflicts(small, AS_OF, settings))
    same = found_small == brute_small

    print(f"target: find_conflicts on {N_ENGINE:,} activities <= {TARGET_S} s "
          "(engine: best of 3 runs; brute force: one run)")
    print(f"engine      {N_ENGINE:>6,} activities  {t_big:8.3f} s  {len(found_big):6,} conflicts"
          f"  {'OK' if t_big <= TARGET_S else 'OVER TARGET'}")
    print(f"engine      {N_BRUTE:>6,} activities  {t_small:8.3f} s  {len(found_small):6,} "
          "conflicts")
    print(f"brute force {N_BRUTE:>6,} activities  {t_brute:8.3f} s  {len(brute_small):6,} "
          f"conflicts  ({'same pairs' if same else 'DIFFERENT from the engine'})")
    return 0 if same and t_big <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
