"""R8: two writers at once, a concurrent edit of one record, and a second instance.

Passes when 2 × 100 inserts all land with distinct register numbers and no "database is
locked", the second edit is refused with both versions named and the first kept, both edits end
in the history once the second is re-applied, and a second KFOR Desk on the same database gets
a clear message."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path

import pytest

from kfor_desk.services.opening import open_checked
from kfor_desk.services.session import open_desk
from kfor_desk.store.errors import ConcurrentEdit, DatabaseInUse
from tests.factories import NOW, make_notification, make_request
from tests.reliability.helpers import assert_sound, audit_rows, run_forked, snapshot


def _insert_100(db: str, who: str, start_at: float) -> list[str]:
    desk = open_desk(db, who)
    desk.clock = lambda: NOW
    while time.time() < start_at:  # both writers start together
        time.sleep(0.001)
    out = []
    try:
        for i in range(100):
            rec = make_request(notes=f"{who} {i}") if i % 2 else make_notification(notes=who)
            out.append(desk.register(rec).record.register_no or "")
    finally:
        desk.db.close()
    return out


def _in_child(db: str, who: str, start_at: float) -> list[str]:
    return run_forked(_insert_100, db, who, start_at)


@pytest.mark.slow
def test_two_writers_times_100_inserts(fresh_db: Path) -> None:
    before = len(snapshot(fresh_db))
    start_at = time.time() + 0.5
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the second writer
        os.close(r)
        try:
            nos = _insert_100(str(fresh_db), "Lt Second", start_at)
            os.write(w, ("\n".join(nos)).encode())
        finally:
            os._exit(0)
    os.close(w)
    mine = _in_child(str(fresh_db), "Capt First", start_at)
    with os.fdopen(r, "rb") as fh:
        theirs = fh.read().decode().split("\n")
    os.waitpid(pid, 0)
    assert len(mine) == 100 and len(theirs) == 100
    assert not set(mine) & set(theirs)
    assert_sound(fresh_db)
    now = snapshot(fresh_db)
    assert len(now) == before + 200 and set(mine) | set(theirs) <= set(now)
    operators = [row[2] for row in audit_rows(fresh_db)]
    assert operators.count("Capt First") == 100 and operators.count("Lt Second") == 100


def test_concurrent_edit_keeps_the_first_and_both_reach_the_history(fresh_db: Path) -> None:
    a = open_desk(str(fresh_db), "Capt A")
    b = open_desk(str(fresh_db), "Lt B")
    try:
        mine, theirs = a.repo.get("KSF-2026-0001"), b.repo.get("KSF-2026-0001")
        a.amend(mine, replace(mine, personnel=11))
        with pytest.raises(ConcurrentEdit) as exc:
            b.amend(theirs, replace(theirs, personnel=22))
        assert "version 2" in str(exc.value) and "version 1" in str(exc.value)
        assert b.repo.get("KSF-2026-0001").personnel == 11  # the first edit kept
        fresh = b.repo.get("KSF-2026-0001")
        b.amend(fresh, replace(fresh, personnel=22))  # re-applied on the current version
        history = b.repo.history("KSF-2026-0001")
        assert [(h.operator, h.action) for h in history[-2:]] == [("Capt A", "amend"),
                                                                  ("Lt B", "amend")]
    finally:
        a.db.close()
        b.db.close()
    assert_sound(fresh_db)


def _try_open(db: str) -> str:
    try:
        res = open_checked(db, "Lt Second", start_backup=False)
    except DatabaseInUse as exc:
        return str(exc)
    res.close(backup=False)
    return "opened"


def test_second_instance_gets_a_clear_message(fresh_db: Path) -> None:
    first = open_checked(fresh_db, "Capt First", start_backup=False)
    try:
        message = run_forked(_try_open, str(fresh_db))
        assert "already open in another KFOR Desk" in message and f"process {os.getpid()}" \
            in message
        with pytest.raises(DatabaseInUse):
            open_checked(fresh_db, "Lt Same Process", start_backup=False)
    finally:
        first.close(backup=False)
    assert run_forked(_try_open, str(fresh_db)) == "opened"
    assert not Path(str(fresh_db) + ".lock").exists()


def test_lock_dies_with_a_killed_instance(fresh_db: Path) -> None:
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover
        os.close(r)
        open_checked(fresh_db, "Capt Crash", start_backup=False)
        os.write(w, b"open")
        time.sleep(60)
        os._exit(0)
    os.close(w)
    assert os.read(r, 4) == b"open"
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    os.close(r)
    res = open_checked(fresh_db, "Capt After", start_backup=False)
    res.close(backup=False)
