"""Exit benchmark: from the window's close while the conflicts are still being computed to the
end of the process.

The app is started on a *copy* of a cached desk (``bench_start.py``'s, never the cached file in
place) with ``KFOR_DESK_EXIT_AFTER_PAINT=ready`` (``kfor_desk/ui/paint_probe.py``): it prints
``KFOR_DESK_READY`` once the registers are filled and quits at once, which is the operator
closing the window while the second step of the refresh (the conflict report, its rows and the
timeline's conflicts) still runs on the loader thread. The figure is the time from reading that
line to the process's exit (the normal shutdown: the exit backup and the lock included), median
over the rounds; the time to READY is shown beside it.

Before/after in one run: ``--tree before=/tmp/old --tree after=/tmp/new`` starts the app from
each source tree (``PYTHONPATH``; e.g. ``git archive COMMIT | tar -x -C DIR``), interleaved in
the same rounds. Each start gets a fresh copy of the desk and a fresh home folder.

Run: ``.venv/bin/python bench/bench_exit.py [--records 10000 100000] [--rounds N]
[--cache DIR] [--tree NAME=DIR ...]``. It does not generate desks: run ``bench_start.py`` once.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_start import DEFAULT_CACHE, READY, SOURCE_APP, child_env


def run_once(db: Path, env_extra: dict[str, str], timeout: float = 1800.0) -> tuple[float,
                                                                                   float]:
    """(seconds to READY, seconds from READY to the process's exit) on a copy of ``db``."""
    with tempfile.TemporaryDirectory(prefix="kfor-bench-exit-") as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        copy = Path(tmp) / db.name
        shutil.copyfile(db, copy)
        env = {**child_env(home, "ready"), **env_extra}
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", SOURCE_APP, "--db", str(copy)], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                cwd=home)
        assert proc.stdout is not None
        ready = None
        for line in proc.stdout:
            if line.split(" ", 1)[0] == READY:
                ready = time.perf_counter()
                break
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
        end = time.perf_counter()
        if ready is None:
            raise SystemExit(f"no {READY} (exit {proc.returncode})\n{err}")
        return ready - start, end - ready


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    ap.add_argument("--tree", action="append", default=[], metavar="NAME=DIR")
    args = ap.parse_args(argv)
    trees = dict(t.split("=", 1) for t in args.tree) or {"installed": ""}
    for folder in trees.values():
        if folder:
            subprocess.run([sys.executable, "-m", "compileall", "-q",
                            str(Path(folder) / "kfor_desk")], check=True,
                           stdout=subprocess.DEVNULL)
    for n in args.records:
        db = args.cache / f"desk-{n}.db"
        if not db.exists():
            raise SystemExit(f"{db} missing: run bench/bench_start.py --records {n} first")
        seen: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
        for _ in range(args.rounds):
            for name, folder in trees.items():
                seen[name].append(run_once(db, {"PYTHONPATH": folder} if folder else {}))
        for name, runs in seen.items():
            to_ready = statistics.median(r for r, _ in runs)
            to_exit = statistics.median(e for _, e in runs)
            print(f"{n:>7,} records  {name:<10} ready {to_ready:6.2f} s   close → exit "
                  f"{to_exit:6.2f} s (median of {len(runs)}: "
                  f"{', '.join(f'{e:.2f}' for _, e in runs)})", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
