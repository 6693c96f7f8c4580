"""R6, the desk identity: the witnesses are kept under the desk id stored in the file, so an
attacker who can write the file changes that id (or deletes it) before cutting the tail or
copying an older backup over it — and no witness of the old id would be found.

Passes when such a file is named ("this file was desk X, now ...") and opened read-only with
the newest good backup offered; while a new identity put at a path through KFOR Desk (a new
desk after the old file was removed, a restore, a copy) is not flagged."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import uuid
from pathlib import Path

import pytest

from kfor_desk.services.opening import finish_checks, open_checked
from kfor_desk.store.errors import ReadOnlyDatabase
from tests.factories import make_request
from tests.reliability.test_r06_tampering import _verify, _witnessed_desk, cut_tail


def _desk_id(db: Path) -> str | None:
    con = sqlite3.connect(db)
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'desk_id'").fetchone()
        return str(row[0]) if row else None
    finally:
        con.close()


def swap_identity(db: Path, new: str | None) -> None:
    """What the attacker does first: give the file another desk id (None: none at all)."""
    con = sqlite3.connect(db)
    if new is None:
        con.execute("DELETE FROM meta WHERE key = 'desk_id'")
    else:
        con.execute("UPDATE meta SET value = ? WHERE key = 'desk_id'", (new,))
    con.commit()
    con.close()


def _assert_read_only_with_offer(db: Path, good: Path, *words: str, deferred: bool = False
                                 ) -> str:
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    res = open_checked(db, "Capt Test", checks=not deferred)
    if deferred:
        res = finish_checks(res)
    try:
        reason = res.readonly_reason
        assert reason is not None, "opened writable a file that disagrees with a witness"
        for w in words:
            assert w in reason, reason
        assert res.newest_backup == good
        with pytest.raises(ReadOnlyDatabase):
            res.desk.register(make_request())
    finally:
        res.close()
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    return reason


@pytest.mark.parametrize("new_id", ["fresh", "none"])
@pytest.mark.parametrize("deferred", [False, True], ids=["checked", "deferred"])
def test_a_swapped_desk_id_then_a_cut_tail_is_caught(tmp_path: Path, new_id: str,
                                                    deferred: bool) -> None:
    from kfor_desk.services.backups import make_backup

    db = _witnessed_desk(tmp_path / "desk.db")
    old = _desk_id(db)
    assert old
    good = make_backup(db, "manual").path
    cut_tail(db)
    swap_identity(db, uuid.uuid4().hex if new_id == "fresh" else None)
    reason = _assert_read_only_with_offer(db, good, f"this file was desk {old[:8]}",
                                          "shorter than the head log", deferred=deferred)
    assert ("now claims to be desk" if new_id == "fresh" else "now has no desk id") in reason
    code, _, err = _verify(db)
    assert code == 1 and f"this file was desk {old[:8]}" in err, err


def test_a_swapped_desk_id_alone_is_caught(tmp_path: Path) -> None:
    """Nothing cut yet: the file still disagrees with what KFOR Desk recorded at its path."""
    from kfor_desk.services.backups import make_backup

    db = _witnessed_desk(tmp_path / "desk.db")
    good = make_backup(db, "manual").path
    swap_identity(db, uuid.uuid4().hex)
    _assert_read_only_with_offer(db, good, "now claims to be desk")


def test_an_older_backup_copied_over_with_a_new_id_is_caught(tmp_path: Path) -> None:
    from kfor_desk.services.backups import make_backup
    from kfor_desk.services.session import open_desk

    db = _witnessed_desk(tmp_path / "desk.db")
    older = make_backup(db, "manual").path
    desk = open_desk(str(db), "Capt Test")
    desk.register(make_request(description="after the backup"))
    desk.close()
    newer = make_backup(db, "manual").path
    shutil.copyfile(older, db)  # the rollback …
    swap_identity(db, uuid.uuid4().hex)  # … hidden under a new identity
    _assert_read_only_with_offer(db, newer, "this file was desk", "shorter than the head log",
                                 f"shorter than the backup {newer.name}")


def test_a_command_line_write_does_not_make_a_swapped_id_good(tmp_path: Path) -> None:
    """The command line opens without checks; its commits must not make KFOR Desk take the
    new identity for the file's own."""
    from kfor_desk.services.backups import make_backup
    from kfor_desk.services.session import open_desk

    db = _witnessed_desk(tmp_path / "desk.db")
    good = make_backup(db, "manual").path
    cut_tail(db)
    swap_identity(db, uuid.uuid4().hex)
    desk = open_desk(str(db), "Capt Test")
    desk.register(make_request(description="imported after the attack"))
    desk.close()
    _assert_read_only_with_offer(db, good, "this file was desk")


def test_a_command_line_write_after_a_cut_does_not_hide_it(tmp_path: Path) -> None:
    """Same id, tail cut, then a write without checks: the log's newest line is held again,
    but the lines before it (the cut ones) are not."""
    from kfor_desk.services.backups import make_backup
    from kfor_desk.services.session import open_desk

    db = _witnessed_desk(tmp_path / "desk.db")
    good = make_backup(db, "manual").path
    cut_tail(db)
    desk = open_desk(str(db), "Capt Test")
    desk.register(make_request(description="imported after the attack"))
    desk.register(make_request(description="and another"))
    desk.close()
    _assert_read_only_with_offer(db, good, "the head log")


# ---------------------------------------------------------------- what must not be flagged
def _opens_writable(db: Path) -> None:
    res = open_checked(db, "Capt Test")
    try:
        assert res.readonly_reason is None, res.readonly_reason
        res.desk.register(make_request(description="works"))
    finally:
        res.close()
    assert _verify(db)[0] == 0


def test_a_new_desk_where_a_removed_one_was_is_not_flagged(tmp_path: Path) -> None:
    from kfor_desk.services.backups import make_backup

    db = _witnessed_desk(tmp_path / "desk.db")
    old = _desk_id(db)
    make_backup(db, "manual")  # the old desk's backups stay in backups/
    _opens_writable(db)
    db.unlink()  # removed on purpose …
    _witnessed_desk(db, records=1)  # … and a new desk made through KFOR Desk at the same path
    assert _desk_id(db) != old
    _opens_writable(db)


def test_another_desks_file_restored_through_the_app_is_not_flagged(tmp_path: Path) -> None:
    from kfor_desk.services.restoring import restore

    db = _witnessed_desk(tmp_path / "desk.db")
    _opens_writable(db)
    other = _witnessed_desk(tmp_path / "other" / "colleague.db", records=2)
    restore(other, db)
    assert _desk_id(db) == _desk_id(other)
    _opens_writable(db)


def test_another_desks_file_copied_over_by_hand_is_flagged_then_restorable(
        tmp_path: Path) -> None:
    """cp is an identity change behind the app's back: flagged; restoring the same file
    through KFOR Desk is the way to put it there on purpose."""
    from kfor_desk.services.restoring import restore

    db = _witnessed_desk(tmp_path / "desk.db")
    _opens_writable(db)
    other = _witnessed_desk(tmp_path / "other" / "colleague.db", records=2)
    shutil.copyfile(other, db)
    res = open_checked(db, "Capt Test")
    try:
        assert res.readonly_reason is not None and "this file was desk" in res.readonly_reason
        assert "kfor-desk restore" in res.readonly_reason
    finally:
        res.close()
    restore(other, db)
    _opens_writable(db)


def test_a_copy_made_where_a_removed_desk_was_is_not_flagged(tmp_path: Path) -> None:
    from kfor_desk.services.copying import copy_desk
    from kfor_desk.store.db import open_database

    dest = _witnessed_desk(tmp_path / "dest.db", records=1)
    _opens_writable(dest)
    dest.unlink()
    src = _witnessed_desk(tmp_path / "src.db", records=2)
    ro = open_database(src, readonly=True, migrate=False)
    try:
        copy_desk(ro, str(dest))
    finally:
        ro.close()
    _opens_writable(dest)


# ---------------------------------------------------------------- a server desk
@pytest.fixture(params=["postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_a_server_desk_shared_by_two_windows_stays_clean(db_location: str) -> None:
    """Several desks write one server database: each commit is witnessed in whatever order
    the two append their lines; every head recorded since the last check is still held, so
    nothing is flagged. (A server desk has no file path: its identity is the server's.)"""
    from kfor_desk.services.desk import Operator
    from kfor_desk.services.session import create_desk, open_desk
    from kfor_desk.services.verify import check_desk
    from kfor_desk.services.witness import read_log, witness_dir
    from tests.factories import make_notification

    create_desk(db_location, Operator("One", "Capt", "Duty Officer")).close()
    one = open_desk(db_location, "Capt One")
    two = open_desk(db_location, "Capt Two")
    try:
        for i in range(3):
            one.register(make_request(description=f"from one {i}"))
            two.register(make_notification(name=f"from two {i}"))
        done = check_desk(one.db)
        assert done.ok, done.problems
        assert any("head log" in c for c in done.witnesses.compared)
        lines, bad = read_log(witness_dir(), done.witnesses.desk_id or "")
        assert not bad and [ln.seq for ln in lines if ln.kind == "commit"] == list(range(1, 7))
        two.register(make_request(description="after the check"))
        assert check_desk(one.db).ok
    finally:
        one.close()
        two.close()
    paths = witness_dir() / "paths"
    assert not paths.exists() or "postgresql" not in paths.read_text()


# ---------------------------------------------------------------- added after a clean close
def append_behind_the_apps_back(db: Path, description: str) -> None:
    """A record and its audit entry, chained correctly (the chain is an open algorithm):
    the app's own store code on the file, with no witness attached."""
    from kfor_desk.store.audit import Actor
    from kfor_desk.store.db import open_database
    from kfor_desk.store.repository import Repository
    from tests.factories import NOW

    raw = open_database(db, migrate=False)
    try:
        Repository(raw).create(make_request(description=description, received_by="Maj Fake"),
                               Actor("Maj Fake", "elsewhere"), at=NOW)
    finally:
        raw.close()


@pytest.mark.parametrize("after", ["close", "verify", "restore"])
def test_entries_added_after_a_clean_close_are_not_accepted(tmp_path: Path, after: str) -> None:
    from kfor_desk.services.backups import make_backup
    from kfor_desk.services.restoring import restore

    db = _witnessed_desk(tmp_path / "desk.db")
    good = make_backup(db, "manual").path
    if after == "verify":
        assert _verify(db)[0] == 0  # a check after the close: still nobody writing
    if after == "restore":
        restore(good, db)
    append_behind_the_apps_back(db, "approved, says nobody")
    reason = _assert_read_only_with_offer(db, good, "entries 5–5", "by Maj Fake",
                                          "no KFOR Desk on this computer has written it since")
    assert ("closed this desk" if after != "restore" else "restored this desk") in reason
    code, _, err = _verify(db)
    assert code == 1 and "were added after KFOR Desk" in err


def test_a_save_cut_short_by_a_crash_after_opening_is_not_flagged(tmp_path: Path) -> None:
    """The crash window: a writer was open (its 'opened' line), committed, and died before
    the head log got the line: the database is one save ahead, which is accepted."""
    from kfor_desk.services.witness import read_log, witness_dir
    from tests.reliability.test_r06_tampering import _check, _crash

    db = _witnessed_desk(tmp_path / "desk.db", records=2)
    _crash(db, "after-commit")
    ident = _desk_id(db)
    assert ident
    kinds = [ln.kind for ln in read_log(witness_dir(), ident)[0]]
    assert kinds[-2:] == ["closed", "opened"]
    assert _check(db) == []


# ---------------------------------------------------------------- the check on open, incremental
def _checked_after(db: Path) -> tuple[int, list[str]]:
    from kfor_desk.services.verify import check_desk
    from kfor_desk.store.db import open_database

    ro = open_database(db, readonly=True, migrate=False)
    try:
        done = check_desk(ro, mark=False)
        return done.report.checked_after, done.problems
    finally:
        ro.close()


def test_the_deferred_open_still_hashes_only_what_is_new(tmp_path: Path) -> None:
    """The window paints first: its writable desk (writes held, an 'opened' line) is there
    before the checks run; they still start after the head the last check reached."""
    db = _witnessed_desk(tmp_path / "desk.db")
    res = open_checked(db, "Capt Test")
    res.close()
    res = open_checked(db, "Capt Test", checks=False)
    try:
        assert res.pending_checks
        assert _checked_after(db) == (4, [])
        res = finish_checks(res)
        assert res.readonly_reason is None
    finally:
        res.close()


def test_an_outside_write_left_in_the_write_ahead_log_forces_a_full_check(
        tmp_path: Path) -> None:
    """Written with sqlite3 and never checkpointed: the file's own size and time are as the
    app left them, but the write-ahead log holds the change: everything is hashed."""
    import os
    import subprocess
    import sys

    db = _witnessed_desk(tmp_path / "desk.db")
    res = open_checked(db, "Capt Test")
    res.close()
    assert _checked_after(db) == (4, [])
    stamp = db.stat()
    subprocess.run([sys.executable, "-c",
                    "import os, sqlite3, sys\n"
                    "con = sqlite3.connect(sys.argv[1])\n"
                    "con.execute('PRAGMA wal_autocheckpoint=0')\n"
                    "con.execute(\"UPDATE requests SET personnel = 7 WHERE register_no = "
                    "'KSF-2026-0001'\")\n"
                    "con.commit()\n"
                    "os._exit(0)\n", str(db)], check=True)
    assert (db.stat().st_size, db.stat().st_mtime_ns) == (stamp.st_size, stamp.st_mtime_ns)
    assert os.path.getsize(str(db) + "-wal") > 0
    after, problems = _checked_after(db)
    assert after == 0 and any("KSF-2026-0001 differs" in p for p in problems), problems


def test_an_edit_in_place_with_its_time_set_back_forces_a_full_check(tmp_path: Path) -> None:
    """The file's owner edits an old record and sets the modification time back: size and
    inode are unchanged too, but the inode change time is not (nobody can set it)."""
    import os

    db = _witnessed_desk(tmp_path / "desk.db")
    res = open_checked(db, "Capt Test")
    res.close()
    assert _checked_after(db) == (4, [])
    st = db.stat()
    con = sqlite3.connect(db)
    con.execute("UPDATE requests SET personnel = 777 WHERE register_no = 'KSF-2026-0001'")
    con.commit()
    con.close()
    os.utime(db, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (db.stat().st_size, db.stat().st_mtime_ns, db.stat().st_ino) == \
        (st.st_size, st.st_mtime_ns, st.st_ino)
    after, problems = _checked_after(db)
    assert after == 0 and any("KSF-2026-0001 differs" in p for p in problems), problems
