"""R10: backup → restore round trip while the app is open.

Passes when the restored database equals the backup record by record, the backup used (the last
good one) is kept, the replaced file is kept aside (never deleted), automatic backups are paused
during the restore, and the restored file is checked before use."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from kfor_desk.services.backup import BackupError, check_copy
from kfor_desk.services.backups import (
    auto_backup,
    backups_paused,
    list_backups,
    maybe_daily_backup,
)
from kfor_desk.services.opening import open_checked, restore_and_reopen
from kfor_desk.services.restoring import restore
from tests.factories import make_notification, make_request
from tests.reliability.helpers import assert_sound, snapshot


def test_round_trip_while_open(fresh_db: Path) -> None:
    res = open_checked(fresh_db, "Capt Restore")
    try:
        assert res.newest_backup is not None  # the start backup
        res.desk.register(make_request(notes="before the backup"))
        taken = res.backup_now()
        at_backup = snapshot(taken.path)
        rec = res.desk.register(make_notification(notes="after the backup")).record
        res.desk.amend(rec, replace(rec, personnel=7))
        assert snapshot(fresh_db) != at_backup

        seen: list[tuple[str, bool, object]] = []
        import kfor_desk.services.restoring as restoring

        real = restoring.copy_database

        def watching(src: Path, dst: Path) -> None:  # during the restore, a timer fires
            seen.append(("paused", backups_paused(fresh_db),
                         maybe_daily_backup(fresh_db, every=timedelta(0))))
            real(src, dst)

        mp = pytest.MonkeyPatch()
        mp.setattr(restoring, "copy_database", watching)
        try:
            res, done = restore_and_reopen(res, taken.path)
        finally:
            mp.undo()
        assert seen == [("paused", True, None)]
        assert not backups_paused(fresh_db)
        assert res.readonly_reason is None
        assert snapshot(fresh_db) == at_backup  # record by record
        assert taken.path.exists() and check_copy(taken.path) is None  # last good backup kept
        assert done.kept_aside is not None and done.kept_aside.exists()
        aside = snapshot(done.kept_aside)
        assert any("after the backup" in v for v in aside.values())  # nothing deleted
        res.desk.register(make_request(notes="work goes on"))  # writable again
    finally:
        res.close()
    assert_sound(fresh_db)


def test_restore_refuses_a_bad_backup_and_changes_nothing(fresh_db: Path) -> None:
    good = auto_backup(fresh_db, "start")
    assert good is not None
    bad = good.path.with_name("bad.db")
    bad.write_bytes(good.path.read_bytes()[:5000])
    before = fresh_db.read_bytes()
    with pytest.raises(BackupError, match="not a good backup"):
        restore(bad, fresh_db)
    assert fresh_db.read_bytes() == before
    assert [p.name for p in fresh_db.parent.iterdir() if "replaced" in p.name] == []


def test_restore_after_deleting_todays_database(fresh_db: Path) -> None:
    """The README's promise: yesterday's backup comes back after today's file is gone."""
    yesterday = auto_backup(fresh_db, "exit")
    assert yesterday is not None
    records = snapshot(yesterday.path)
    for suffix in ("", "-wal", "-shm"):
        Path(str(fresh_db) + suffix).unlink(missing_ok=True)
    done = restore(list_backups(fresh_db)[0].path, fresh_db)
    assert done.kept_aside is None
    assert snapshot(fresh_db) == records
    assert_sound(fresh_db)


def test_restore_refused_while_another_instance_has_it_open(fresh_db: Path) -> None:
    backup = auto_backup(fresh_db, "start")
    assert backup is not None
    other = open_checked(fresh_db, "Capt Other", start_backup=False)
    try:
        with pytest.raises(Exception, match="already open in another KFOR Desk"):
            restore(backup.path, fresh_db)
    finally:
        other.close(backup=False)
