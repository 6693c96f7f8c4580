"""Many desks, one dataset: four desks (processes) save records and workflow steps as fast as
they can for 30 s — against one PostgreSQL server, then against one SQLite file, in the same
run.

Reported per back-end: changes saved per second (all desks together), p50/p95 save latency
(one register or workflow step, the transaction with its audit entry), the time until another
desk's watcher reports a change (goal ≤ 2 s; measured from the change's audit time, taken just
before its transaction, to the moment another desk's :class:`ChangeWatcher` hands it over — so
it includes the save itself), and whether the audit chain verifies afterwards.

The server: ``--server URL`` (a maintenance database URL), else ``$KFOR_DESK_TEST_PG``, else a
throwaway cluster started with ``scripts/pg_cluster.sh`` and stopped at the end.
Run: ``.venv/bin/python bench/bench_desks.py [--seconds 30] [--desks 4]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def worker(location: str, name: str, start_at: float, seconds: float) -> None:
    from kfor_desk.domain.workflow import Action
    from kfor_desk.services.session import open_desk
    from kfor_desk.services.watch import Change, ChangeWatcher
    from kfor_desk.store.errors import ConcurrentEdit, DatabaseLocked
    from tests.factories import make_notification, make_request

    desk = open_desk(location, f"Capt {name}")
    desk.workstation = name
    seen: list[float] = []

    def on_changes(changes: list[Change]) -> None:
        now = datetime.now(UTC)
        seen.extend((now - c.at).total_seconds() for c in changes if c.workstation != name)

    watcher = ChangeWatcher(location, on_changes, poll_s=0.1)
    watcher.start()
    watcher.ready.wait(30)
    latencies: list[float] = []
    refused = 0
    time.sleep(max(0.0, start_at - time.time()))
    end = start_at + seconds
    i = 0
    while time.time() < end:
        i += 1
        try:
            t0 = time.perf_counter()
            if i % 2:
                rec = desk.register(make_notification(notes=f"{name} {i}")).record
                latencies.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                desk.act(rec, Action.ACKNOWLEDGE)
            else:
                rec = desk.register(make_request(notes=f"{name} {i}")).record
                latencies.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                desk.act(rec, Action.START_REVIEW)
            latencies.append(time.perf_counter() - t0)
        except (ConcurrentEdit, DatabaseLocked):
            refused += 1
    time.sleep(2.5)  # let the last changes of the others arrive
    watcher.stop()
    desk.close()
    print(json.dumps({"latencies": latencies, "seen": seen, "refused": refused}))


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, round(p / 100 * (len(s) - 1)))]


def run(location: str, desks: int, seconds: float) -> dict[str, object]:
    from kfor_desk.services.session import open_desk
    from kfor_desk.services.verify import verify

    start_at = time.time() + 8.0  # every desk opened and watching before the clock starts
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, __file__, "--worker", location, f"JOC-{i + 1}",
                               str(start_at), str(seconds)], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for i in range(desks)]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=seconds + 120)
        if p.returncode != 0:
            raise SystemExit(f"a desk failed:\n{err}")
        results.append(json.loads(out.strip().splitlines()[-1]))
    lat = [x for r in results for x in r["latencies"]]
    seen = [x for r in results for x in r["seen"]]
    with open_desk(location, readonly=True) as desk:
        report = verify(desk.repo)
    return {"changes_per_s": len(lat) / seconds, "saves": len(lat),
            "p50_ms": pct(lat, 50) * 1000, "p95_ms": pct(lat, 95) * 1000,
            "seen_p50_s": pct(seen, 50), "seen_p95_s": pct(seen, 95),
            "seen_max_s": max(seen) if seen else float("nan"),
            "refused": sum(r["refused"] for r in results),
            "chain": "verified" if report.ok else "BROKEN: " + "; ".join(report.problems[:2]),
            "audit_entries": report.audit_entries}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--desks", type=int, default=4)
    ap.add_argument("--server", default=os.environ.get("KFOR_DESK_TEST_PG"))
    ap.add_argument("--worker", nargs=4, metavar=("LOC", "NAME", "START", "SECONDS"))
    args = ap.parse_args()
    if args.worker:
        loc, name, start, secs = args.worker
        worker(loc, name, float(start), float(secs))
        return

    os.environ.setdefault("KFOR_DESK_TEST_PG", args.server or "")
    from kfor_desk.services.session import create_desk

    rows: list[tuple[str, dict[str, object]]] = []
    with tempfile.TemporaryDirectory(prefix="kfor-bench-desks-") as tmp:
        cluster = None
        server = args.server
        if not server:
            cluster = Path(tempfile.mkdtemp(prefix="kfor-bench-pg-", dir="/tmp"))
            server = subprocess.run(["bash", str(ROOT / "scripts/pg_cluster.sh"), "start",
                                     str(cluster)], capture_output=True, text=True,
                                    check=True).stdout.strip()
        try:
            os.environ["KFOR_DESK_TEST_PG"] = server
            from tests import pgserver

            url = pgserver.fresh_database()
            try:
                create_desk(url, "Bench").close()
                rows.append(("PostgreSQL server", run(url, args.desks, args.seconds)))
            finally:
                pgserver.drop_database(url)
        finally:
            if cluster is not None:
                subprocess.run(["bash", str(ROOT / "scripts/pg_cluster.sh"), "stop",
                                str(cluster)], check=False)
                subprocess.run(["rm", "-rf", str(cluster)], check=False)
        path = str(Path(tmp) / "bench.db")
        create_desk(path, "Bench").close()
        rows.append(("SQLite file", run(path, args.desks, args.seconds)))

    print(f"{args.desks} desks for {args.seconds:.0f} s, each saving a record then a workflow "
          "step, as fast as they can")
    print(f"{'':<18} {'changes/s':>9} {'saves':>6} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'seen p50 s':>10} {'seen p95 s':>10} {'seen max s':>10}  chain")
    for name, r in rows:
        print(f"{name:<18} {r['changes_per_s']:>9.1f} {r['saves']:>6} {r['p50_ms']:>7.1f} "
              f"{r['p95_ms']:>7.1f} {r['seen_p50_s']:>10.2f} {r['seen_p95_s']:>10.2f} "
              f"{r['seen_max_s']:>10.2f}  {r['chain']} ({r['audit_entries']} entries, "
              f"{r['refused']} refused)")


if __name__ == "__main__":
    main()
