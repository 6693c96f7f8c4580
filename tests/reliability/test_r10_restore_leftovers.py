"""R10: what a restore killed half-way leaves (its unfinished copy, its pause marker, an empty
lock file) is cleaned up at the next start, and only that (issue 13)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

from kfor_desk.services.backups import backups_paused, make_backup
from kfor_desk.services.instance import _hostname
from kfor_desk.services.opening import open_checked


def _dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(done.stdout)


def test_leftovers_of_a_killed_restore_are_cleaned_at_the_next_start(fresh_db: Path) -> None:
    make_backup(fresh_db, "manual")
    part = fresh_db.with_name(f".{fresh_db.name}.restore.part")
    part.write_bytes(b"SQLite format 3\x00 half a copy")
    marker = Path(str(fresh_db) + ".restoring")
    marker.write_text(f"{_dead_pid()} {_hostname()}\n", encoding="utf-8")
    lock = Path(str(fresh_db) + ".lock")
    lock.write_bytes(b"")
    assert not backups_paused(fresh_db)  # a dead restore pauses nothing
    before = hashlib.sha256(fresh_db.read_bytes()).hexdigest()
    res = open_checked(fresh_db, "Capt Test")
    try:
        assert res.readonly_reason is None
        assert not part.exists() and not marker.exists()
    finally:
        res.close(backup=False)
    assert not lock.exists()
    assert hashlib.sha256(fresh_db.read_bytes()).hexdigest() == before


def test_a_running_restores_files_are_left_alone(fresh_db: Path) -> None:
    from kfor_desk.services.backups import clean_leftovers

    part = fresh_db.with_name(f".{fresh_db.name}.restore.part")
    part.write_bytes(b"being written")
    marker = Path(str(fresh_db) + ".restoring")
    marker.write_text(f"{__import__('os').getpid()} {_hostname()}\n", encoding="utf-8")
    assert clean_leftovers(fresh_db) == []
    assert part.exists() and marker.exists()
