"""The change watcher: another process's commit is reported (what, by whom, where), on a
SQLite file (``PRAGMA data_version``) and on a PostgreSQL server (``LISTEN/NOTIFY``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from kfor_desk.domain.exchange import FORMAT, request_to_dict
from kfor_desk.domain.workflow import Action
from kfor_desk.services.desk import Desk
from kfor_desk.services.watch import Change, ChangeWatcher, summarize
from tests.factories import make_request


class Collector:
    def __init__(self) -> None:
        self.changes: list[Change] = []
        self.states: list[str | None] = []
        self.event = threading.Event()

    def on_changes(self, changes: list[Change]) -> None:
        self.changes.extend(changes)
        self.event.set()

    def wait_for(self, n: int) -> list[Change]:
        while len(self.changes) < n:
            self.event.clear()
            assert self.event.wait(30), f"only {len(self.changes)} of {n} changes reported"
        return self.changes


def test_another_process_and_this_desk_are_reported(desk: Desk, db_location: str,
                                                    tmp_path: Path) -> None:
    desk.register(make_request())  # before the watcher starts: not reported
    seen = Collector()
    watcher = ChangeWatcher(db_location, seen.on_changes, on_state=seen.states.append)
    watcher.start()
    try:
        assert watcher.ready.wait(30) and seen.states == [None]
        file = tmp_path / "one.json"
        file.write_text(json.dumps({
            "format": FORMAT, "exported_at": "2026-11-26T17:00:00Z",
            "exercise_notifications": [],
            "consent_requests": [request_to_dict(make_request(register_no="KSF-2026-0031"))]}),
            encoding="utf-8")
        env = {**os.environ, "KFOR_DESK_WORKSTATION": "JOC-2", "KFOR_DESK_OPERATOR": "Capt X"}
        res = subprocess.run([sys.executable, "-m", "kfor_desk", "--db", db_location, "import",
                              str(file)], env=env, capture_output=True, text=True, timeout=120)
        assert res.returncode == 0, res.stderr
        first = seen.wait_for(1)[0]
        assert first.sentence == "KSF-2026-0031 imported at desk JOC-2 by Capt X"
        desk.act(desk.record("KSF-2026-0031"), Action.START_REVIEW)
        second = seen.wait_for(2)[1]
        assert second.register_no == "KSF-2026-0031" and second.action == "start_review"
        assert second.workstation == "test-ws" and second.seq == first.seq + 1
    finally:
        watcher.stop()
    assert not watcher.running
    assert len(seen.changes) == 2  # the record saved before the start was not reported


def test_summary_of_an_import_batch() -> None:
    from datetime import UTC, datetime

    at = datetime(2026, 11, 26, tzinfo=UTC)
    batch = [Change(i, at, "request", f"KSF-2026-{i:04d}", "import", "Capt X", "JOC-2")
             for i in range(1, 4)]
    assert summarize(batch[:1]) == "KSF-2026-0001 imported at desk JOC-2 by Capt X"
    assert summarize(batch).startswith("3 records changed (3 entries), last KSF-2026-0003")


def test_watching_a_sqlite_file_never_loads_the_server_driver(desk: Desk, db_path: Path) -> None:
    """The watcher starts beside the registers' first read: importing psycopg (~0.1 s of CPU)
    for a SQLite desk took that time from it. In a fresh interpreter, so nothing else has
    imported the driver already."""
    path = db_path
    code = (
        "import sys\n"
        "from kfor_desk.services.watch import ChangeWatcher\n"
        f"w = ChangeWatcher({str(path)!r}, lambda _c: None)\n"
        "w.start()\n"
        "assert w.ready.wait(20), 'the watcher did not start'\n"
        "w.stop()\n"
        "print('psycopg' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=True)
    assert out.stdout.strip() == "False", out.stderr
