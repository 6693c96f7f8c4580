"""Many writers, one trail: four desks (processes) write at once on one database — on a
SQLite file and on a PostgreSQL server — and nothing is lost, doubled or forked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from kfor_desk.domain.exchange import FORMAT, notification_to_dict
from kfor_desk.services.desk import Desk
from kfor_desk.services.session import open_desk
from kfor_desk.services.verify import verify
from kfor_desk.store.errors import ConcurrentEdit
from tests.factories import make_notification

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 6


def _import_file(path: Path) -> list[str]:
    nos = [f"SAF-2025-{i:04d}" for i in range(101, 111)]
    doc = {"format": FORMAT, "exported_at": "2026-11-26T17:00:00Z",
           "exercise_notifications": [notification_to_dict(make_notification(register_no=n))
                                      for n in nos],
           "consent_requests": []}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return nos


def test_four_desks_at_once_lose_nothing_and_leave_one_chain(desk: Desk, db_location: str,
                                                              tmp_path: Path) -> None:
    desk.register(make_notification())  # something to edit from the first round on
    file = tmp_path / "same.json"
    nos = _import_file(file)
    start_at = time.time() + 3.0  # all four begin together, after their imports are loaded
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen(
        [sys.executable, "-m", "tests.store.many_writers_worker", db_location, f"D{i}",
         str(start_at), str(ROUNDS), str(file) if i < 2 else ""],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for i in range(4)]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=180)
        assert p.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))

    created = [n for r in results for n in r["created"]]
    assert len(created) == 4 * ROUNDS and len(set(created)) == len(created)  # no number twice
    # two imports of the same file at once: one imported everything, the other skipped it
    imported = sorted(n for r in results[:2] for n in r["imported"])
    skipped = sorted(n for r in results[:2] for n in r["skipped"])
    assert imported == nos and skipped == nos
    edits = sum(r["edits"] for r in results)
    assert edits == 4 * ROUNDS

    report = verify(desk.repo)
    assert report.ok, report.problems
    assert report.records == 1 + len(created) + len(nos)
    assert report.audit_entries == 1 + len(created) + len(nos) + edits
    notes = desk.records()[0]
    personnel_added = sum((n.personnel or 0) - 120 for n in notes)
    assert personnel_added == edits  # every saved edit is there, none overwritten


def test_two_desks_registering_at_once_get_different_numbers(desk: Desk,
                                                             db_location: str) -> None:
    other = open_desk(db_location, "Lt Other")
    try:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(2) as pool:
            futures = [pool.submit(d.register, make_notification()) for d in (desk, other)
                       for _ in range(10)]
            numbers = [f.result().record.register_no for f in futures]
    finally:
        other.close()
    assert len(set(numbers)) == 20
    assert verify(desk.repo).ok


def test_stale_edit_is_refused_with_the_sqlite_sentence(desk: Desk, db_location: str) -> None:
    n = desk.register(make_notification()).record
    with open_desk(db_location, "Lt Other") as other:
        other.amend(n, replace(n, personnel=7), reason="theirs")
    with pytest.raises(ConcurrentEdit, match=r"changed by someone else \(version 2, you "
                                             r"edited version 1\); your changes were not saved"):
        desk.amend(n, replace(n, personnel=9), reason="mine")
    assert desk.record(n.register_no or "").personnel == 7
