"""Start-up benchmark: cold start to a painted window with 10,000 records, offscreen.

Target (issue 8): the app's start to the first paint of its main window, on a database of
10,000 records, takes at most 3× the start of a bare ``QMainWindow`` measured in the same run
(same interpreter, same PySide6), for the source install and for the PyInstaller bundle. Each
start is a new process; rounds interleave the three kinds so that drift hits them alike. The
figure is the median over the rounds (the first round, with the coldest caches, is shown too).

"Painted" is signalled by ``KFOR_DESK_EXIT_AFTER_PAINT`` (``kfor_desk/ui/paint_probe.py``): the
child prints ``KFOR_DESK_PAINTED`` after the first paint of a ``QMainWindow``; the time is taken
in this process from spawning the child to reading that line, so it includes the interpreter
start and every import. The app runs with ``ready``: after the paint it goes on to open the
database and show its records, then prints ``KFOR_DESK_READY`` and quits; that second figure
(time until the registers are filled) is reported beside, without a target. The source app is
started through a two-line wrapper (install the probe, then ``kfor_desk.cli.main``); the
bundle's entry point honours the variable itself. The bundle size is reported.

The package's bytecode is compiled first (``compileall``), as installing a wheel does: an
editable install under ``PYTHONDONTWRITEBYTECODE=1`` would otherwise compile every module from
source on every start, which no installed copy does.

Run: ``.venv/bin/python bench/bench_start.py [--records N] [--rounds N] [--bundle PATH]
[--no-bundle]`` (build the bundle first with ``bash packaging/build.sh``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BUNDLE = ROOT / "packaging" / "dist" / "kfor-desk" / "kfor-desk"
TARGET_RATIO = 3.0
PAINTED = "KFOR_DESK_PAINTED"
READY = "KFOR_DESK_READY"

BARE = """\
from kfor_desk.ui.paint_probe import install_from_env
install_from_env()
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication.instance()
win = QMainWindow()
win.setWindowTitle("bare")
win.resize(1200, 760)
win.show()
app.exec()
"""

SOURCE_APP = """\
import sys
from kfor_desk.ui.paint_probe import install_from_env
install_from_env()
from kfor_desk.cli import main
sys.exit(main(sys.argv[1:]))
"""


def child_env(home: Path, mode: str = "1") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KFOR_DESK_")}
    env.update(QT_QPA_PLATFORM="offscreen", KFOR_DESK_EXIT_AFTER_PAINT=mode,
               KFOR_DESK_OPERATOR="Bench", HOME=str(home),
               XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "share"),
               XDG_CACHE_HOME=str(home / "cache"))
    return env


def time_to_paint(cmd: list[str], env: dict[str, str],
                  timeout: float = 120.0) -> tuple[float, float | None]:
    """Seconds from spawning ``cmd`` to its ``KFOR_DESK_PAINTED`` line, and to its
    ``KFOR_DESK_READY`` line (None when the child runs without ``ready``)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=env["HOME"])
    assert proc.stdout is not None
    painted: float | None = None
    ready: float | None = None
    wait_ready = env.get("KFOR_DESK_EXIT_AFTER_PAINT") == "ready"
    for line in proc.stdout:
        if line.startswith(PAINTED):
            painted = time.perf_counter() - start
            if not wait_ready:
                break
        elif line.startswith(READY):
            ready = time.perf_counter() - start
            break
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
        raise SystemExit(f"{cmd[0]}: did not exit after painting\n{err}") from None
    if painted is None:
        raise SystemExit(f"{' '.join(cmd)}: exited {proc.returncode} without painting\n{err}")
    if wait_ready and ready is None:
        raise SystemExit(f"{' '.join(cmd)}: never showed its records\n{err}")
    return painted, ready


def bundle_size(exe: Path) -> int:
    return sum(p.stat().st_size for p in exe.parent.rglob("*") if p.is_file()
               and not p.is_symlink())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--bundle", type=Path, default=DEFAULT_BUNDLE,
                    help="the bundle's kfor-desk program (default: %(default)s)")
    ap.add_argument("--no-bundle", action="store_true", help="measure the source install only")
    args = ap.parse_args(argv)

    use_bundle = not args.no_bundle
    if use_bundle and not args.bundle.is_file():
        print(f"no bundle at {args.bundle}: build it with 'bash packaging/build.sh' "
              "(or pass --no-bundle)", file=sys.stderr)
        return 2

    import kfor_desk  # the package the children will import

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(kfor_desk.__file__).parent)],
                   check=True, stdout=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory(prefix="kfor-bench-start-") as tmp:
        home = Path(tmp)
        db = home / "desk.db"
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "kfor_desk", "--db", str(db), "demo",
                        "--records", str(args.records)], check=True, env=child_env(home),
                       stdout=subprocess.DEVNULL)
        print(f"database: {args.records:,} records, {db.stat().st_size / 1e6:.1f} MB "
              f"(made in {time.perf_counter() - t:.1f} s)")
        envs = {"bare QMainWindow": child_env(home, "1"), "source app": child_env(home, "ready"),
                "bundle app": child_env(home, "ready")}
        kinds: dict[str, list[str]] = {
            "bare QMainWindow": [sys.executable, "-c", BARE],
            "source app": [sys.executable, "-c", SOURCE_APP, "--db", str(db)],
        }
        if use_bundle:
            kinds["bundle app"] = [str(args.bundle), "--db", str(db)]
        times: dict[str, list[float]] = {k: [] for k in kinds}
        readies: dict[str, list[float]] = {k: [] for k in kinds}
        for _ in range(args.rounds):
            for kind, cmd in kinds.items():
                painted, ready = time_to_paint(cmd, envs[kind])
                times[kind].append(painted)
                if ready is not None:
                    readies[kind].append(ready)

    bare = statistics.median(times["bare QMainWindow"])
    ok = True
    print(f"{'start to first paint':<20} {'median':>9} {'first':>9} {'ratio':>7}")
    for kind, ts in times.items():
        med = statistics.median(ts)
        ratio = med / bare
        verdict = ""
        if kind != "bare QMainWindow":
            passed = ratio <= TARGET_RATIO
            ok &= passed
            verdict = "  ok" if passed else f"  OVER {TARGET_RATIO:.0f}x"
        print(f"{kind:<20} {med * 1000:7.0f}ms {ts[0] * 1000:7.0f}ms {ratio:6.2f}x{verdict}")
    print(f"{'start to records shown':<20} {'median':>7} {'first':>9}   (reported, no target)")
    for kind, ts in readies.items():
        if ts:
            print(f"{kind:<20} {statistics.median(ts) * 1000:7.0f}ms {ts[0] * 1000:7.0f}ms")
    if use_bundle:
        print(f"bundle size: {bundle_size(args.bundle) / 1e6:.0f} MB ({args.bundle.parent})")
    print(f"target: app <= {TARGET_RATIO:.0f}x bare, {args.rounds} rounds: "
          + ("met" if ok else "NOT met"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
