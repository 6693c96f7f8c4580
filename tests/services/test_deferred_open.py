"""A deferred open lets the window paint first; nothing is written until the checks pass."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kfor_desk.services.backups import list_backups
from kfor_desk.services.demo import create_demo
from kfor_desk.services.opening import finish_checks, open_checked
from tests.factories import NOW


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    path = tmp_path / "desk.db"
    create_demo(str(path), 12, now=NOW).db.close()
    return path


def test_good_database_becomes_writable_after_the_checks(demo_db: Path) -> None:
    pending = open_checked(demo_db, "Capt Test", checks=False)
    try:
        assert pending.pending_checks and pending.readonly
        assert list_backups(demo_db, pending.backup_folder) == []  # nothing written yet
        done = finish_checks(pending)
        assert not done.pending_checks and not done.readonly
        assert done.desk is pending.desk
        assert done.newest_backup is not None and done.newest_backup.exists()
    finally:
        pending.close(backup=False)


def test_damaged_database_ends_read_only_and_untouched(demo_db: Path) -> None:
    raw = sqlite3.connect(demo_db)
    raw.execute("UPDATE notifications SET name = 'forged' WHERE id = 1")
    raw.commit()
    raw.close()
    before = demo_db.read_bytes()
    pending = open_checked(demo_db, "Capt Test", checks=False)
    done = finish_checks(pending)
    try:
        assert done.readonly and done.readonly_reason and "SAF-2026-0001" in done.readonly_reason
        assert done.desk.db.readonly
        assert list_backups(demo_db, done.backup_folder) == []
    finally:
        done.close(backup=False)
    assert demo_db.read_bytes() == before


def test_not_a_database_is_refused_as_without_deferral(tmp_path: Path) -> None:
    from kfor_desk.services.opening import OpenRefused

    bad = tmp_path / "desk.db"
    bad.write_bytes(b"garbage" * 1000)
    with pytest.raises(OpenRefused):
        open_checked(bad, "Capt Test", checks=False)
    assert bad.read_bytes() == b"garbage" * 1000
