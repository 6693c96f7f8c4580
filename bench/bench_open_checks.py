"""The checks on open, at 10,000 and 100,000 records (issue 13): start to editable.

The window opens a desk with its checks deferred (it paints first) and becomes editable when
:func:`~kfor_desk.services.opening.finish_checks` has run: the checks on open, then the start
backup. Measured here, in one run, on the same file:

- **before**: the checks as every start ran them until now — the whole audit chain hashed
  and every record compared (``verify`` from the first entry; this is also what the new code
  does when no witness remembers a good head: first open, after a crash, a restore, an
  upgrade or a write from outside the app);
- **after**: the same desk reopened after the window closed it: the head log says the file
  is exactly as the app left it, so only what came after is hashed (nothing, here).

Each figure is the median of ``--rounds`` (the database opened fresh each time, in this
process); the ratio before/after is printed per size, and the start backup's share apart.
Building the 100k database takes minutes (``create_demo``, one transaction): ``--keep DIR``
keeps the built files for the next run.

Run: ``.venv/bin/python bench/bench_open_checks.py [--records 10000 100000] [--rounds 3]
[--keep DIR]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def _median(xs: list[float]) -> float:
    return statistics.median(xs)


def bench(n: int, folder: Path, rounds: int) -> dict[str, float]:
    from kfor_desk.services.demo import create_demo
    from kfor_desk.services.opening import finish_checks, open_checked, run_checks
    from kfor_desk.services.witness import witness_dir
    from kfor_desk.store.db import open_database

    db = folder / f"bench-{n}.db"
    if not db.exists():
        t = time.perf_counter()
        create_demo(str(db), n).close()
        print(f"  built {n:,} records in {time.perf_counter() - t:.1f} s", flush=True)

    def start_to_editable() -> tuple[float, float]:
        """(seconds for finish_checks, of which the checks alone)."""
        res = open_checked(db, "Bench", checks=False)
        t0 = time.perf_counter()
        ro = open_database(db, readonly=True, migrate=False)
        try:
            problems = run_checks(ro)
        finally:
            ro.close()
        checks = time.perf_counter() - t0
        assert not problems, problems
        res2 = finish_checks(res)
        total = time.perf_counter() - t0
        assert not res2.readonly, res2.readonly_reason
        res2.close(backup=False)
        return total - checks, checks

    out: dict[str, list[float]] = {"before": [], "after": [], "backup": []}
    for _ in range(rounds):
        for log in witness_dir().glob("*.heads"):  # no witness: the whole trail, as before
            log.unlink()
        _, checks = start_to_editable()
        out["before"].append(checks)
        # now the window has checked and closed it: reopen as the next shift would
        backup_and_checks, checks = start_to_editable()
        out["after"].append(checks)
        out["backup"].append(backup_and_checks - checks)
        for b in (folder / "backups").glob("*.db"):  # keep the disk use flat
            b.unlink()
    return {k: _median(v) for k, v in out.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--keep", type=Path, default=None,
                    help="folder for the built databases (kept between runs)")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="kfor-bench-open-"))
    folder = args.keep or work
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["XDG_DATA_HOME"] = str(work / "share")
    os.environ.setdefault("KFOR_DESK_OPERATOR", "Bench")
    rows = []
    for n in args.records:
        print(f"{n:,} records …", flush=True)
        r = bench(n, folder, args.rounds)
        rows.append((n, r))
        print(f"  checks before {r['before']:.3f} s   after {r['after']:.3f} s   "
              f"ratio {r['before'] / max(r['after'], 1e-9):.0f}x   "
              f"(start backup, unchanged, {r['backup']:.3f} s)", flush=True)
    print("\nrecords   checks before   checks after   ratio   start backup")
    for n, r in rows:
        print(f"{n:>7,}   {r['before']:>11.3f} s   {r['after']:>10.3f} s   "
              f"{r['before'] / max(r['after'], 1e-9):>4.0f}x   {r['backup']:>10.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
