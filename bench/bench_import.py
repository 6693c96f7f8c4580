"""Import of 100,000 generated records from a kfor-desk/1 JSON file, audit entries included.

Target: at least 10,000 records/s, printed beside two baselines measured in the same run: a
plain ``json.loads`` of the same file (the floor of any import of it) and a raw ``sqlite3``
``executemany`` of the same rows (no validation, no audit, no locations). Also printed: the CPU
time of the import (the wall time moves with the machine's other load) and the process's peak
resident memory before and after it.

The records repeat 500 generated ones, positions included; ``--distinct`` gives every location
its own MGRS reference (the worst case for position parsing and ABL relations, which are
computed once per distinct position).

    .venv/bin/python bench/bench_import.py [N] [--distinct]
"""

from __future__ import annotations

import json
import random
import resource
import sqlite3
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from kfor_desk.domain.exchange import FORMAT, notification_to_dict, request_to_dict
from kfor_desk.domain.records import ExerciseNotification
from kfor_desk.services.demo import generate
from kfor_desk.services.exchange import import_json
from kfor_desk.services.session import create_desk

TARGET_PER_S = 10_000


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    distinct = "--distinct" in sys.argv
    n = int(args[0]) if args else 100_000
    now = datetime(2026, 11, 26, 17, tzinfo=UTC)
    base = [rec for rec, _ in generate(500, now)]
    notes, reqs = [], []
    rnd = random.Random(17)
    for i in range(n):
        rec = replace(base[i % len(base)], register_no=None)
        if distinct:  # 1 m references in the 100 km square around the ABL's middle
            rec = replace(rec, locations=tuple(
                replace(loc, position=f"34TDN{rnd.randrange(40000, 99999):05d}"
                                      f"{rnd.randrange(40000, 99999):05d}")
                for loc in rec.locations))
        (notes if isinstance(rec, ExerciseNotification) else reqs).append(rec)
    doc = {"format": FORMAT, "exported_at": "2026-11-26T17:00:00Z",
           "exercise_notifications": [notification_to_dict(r) for r in notes],
           "consent_requests": [request_to_dict(r) for r in reqs]}
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.json"
        src.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        t0 = time.perf_counter()
        json.loads(src.read_bytes())
        t_json = time.perf_counter() - t0
        desk = create_desk(str(Path(tmp) / "bench.db"), "bench")
        rss0 = _peak_rss_mb()
        t0, c0 = time.perf_counter(), time.process_time()
        report = import_json(desk, src)
        t_app = time.perf_counter() - t0
        c_app = time.process_time() - c0  # this process's CPU: less swayed by a loaded machine
        assert report.ok and len(report.imported) == n, report.summary()
        rss1 = _peak_rss_mb()
        desk.db.close()

        raw = sqlite3.connect(Path(tmp) / "raw.db")
        raw.execute("PRAGMA journal_mode=WAL")
        raw.execute("PRAGMA synchronous=FULL")
        raw.execute("CREATE TABLE t (regno TEXT, name TEXT, received TEXT, start TEXT, "
                    "\"end\" TEXT, status TEXT, body TEXT)")
        rows = [(f"X-{i}", d.get("name") or d.get("requesting_unit"), d["received_at"],
                 d["start"], d["end"], d["status"], json.dumps(d, ensure_ascii=False))
                for i, d in enumerate(doc["exercise_notifications"] + doc["consent_requests"])]
        t0 = time.perf_counter()
        with raw:
            raw.executemany("INSERT INTO t VALUES (?,?,?,?,?,?,?)", rows)
        t_raw = time.perf_counter() - t0
        raw.close()
    rate = n / t_app
    print(f"import of {n:,} records{' (distinct positions)' if distinct else ''} "
          "(validation, ABL relations, locations, audit chain): "
          f"{t_app:.2f} s = {rate:,.0f} records/s (target >= {TARGET_PER_S:,}/s) "
          f"{'OK' if rate >= TARGET_PER_S else 'MISSED'}")
    print(f"CPU time of the import: {c_app:.2f} s = {n / c_app:,.0f} records per CPU second")
    print(f"json.loads of the same file: {t_json:.2f} s = {n / t_json:,.0f} records/s "
          f"(app is {t_app / t_json:.1f}x json.loads)")
    print(f"peak RSS: {rss0:,.0f} MB before the import (the file's records built for it), "
          f"{rss1:,.0f} MB after")
    print(f"raw sqlite3 executemany of the same {n:,} rows: {t_raw:.2f} s = "
          f"{n / t_raw:,.0f} rows/s (app is {t_app / t_raw:.1f}x raw)")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


if __name__ == "__main__":
    main()
