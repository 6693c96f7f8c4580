"""R6: a record or an audit row edited behind the app's back (raw SQL, triggers dropped).

Passes when the checks on open name the entry and the app refuses to write."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from kfor_desk.services.opening import open_checked
from kfor_desk.store.errors import ReadOnlyDatabase
from tests.factories import make_request


def _sql(db: Path, *statements: str) -> None:
    con = sqlite3.connect(db)
    for s in statements:
        con.execute(s)
    con.commit()
    con.close()


CASES = {
    "record edited": (("UPDATE requests SET personnel = 999 WHERE register_no='KSF-2026-0002'",),
                      "KSF-2026-0002"),
    "record added": (("INSERT INTO meta(key, value) VALUES ('x', 'y')",
                      "UPDATE notifications SET register_no='SAF-2026-0099' WHERE id=3"),
                     "SAF-2026-0099"),
    "audit row edited": (("DROP TRIGGER audit_no_update",
                          "UPDATE audit SET operator='Maj Nobody' WHERE seq=4"), "entry 4"),
    "audit row deleted": (("DROP TRIGGER audit_no_delete", "DELETE FROM audit WHERE seq=2"),
                          "entry 2"),
}


@pytest.mark.parametrize("case", CASES)
def test_tampering_is_named_and_writing_refused(fresh_db: Path, case: str) -> None:
    statements, named = CASES[case]
    _sql(fresh_db, *statements)
    before = hashlib.sha256(fresh_db.read_bytes()).hexdigest()
    res = open_checked(fresh_db, "Capt Test")
    try:
        assert res.readonly_reason is not None and named in res.readonly_reason
        with pytest.raises(ReadOnlyDatabase):
            res.desk.register(make_request())
    finally:
        res.close()
    assert hashlib.sha256(fresh_db.read_bytes()).hexdigest() == before


# ---------------------------------------------------------------- witnesses (issue 13)
# Each attack is made the way someone with write access to the file would: sqlite3, the
# append-only triggers dropped and put back afterwards.

def _witnessed_desk(path: Path, records: int = 4) -> Path:
    """A desk whose every change went through the app (so the head log saw each one)."""
    from kfor_desk.services.desk import Operator
    from kfor_desk.services.session import create_desk
    from tests.factories import make_notification

    desk = create_desk(str(path), Operator("Test", "Capt", "Duty Officer"))
    for i in range(records):
        desk.register(make_request(description=f"Zadatak {i}") if i % 2
                      else make_notification(name=f"Vežba {i}"))
    desk.close()
    return path


def _with_triggers_dropped(db: Path, *statements: str, params: tuple[object, ...] = ()) -> None:
    con = sqlite3.connect(db)
    triggers = [r[0] for r in con.execute("SELECT sql FROM sqlite_master WHERE type='trigger'")]
    names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='trigger'")]
    for name in names:
        con.execute(f"DROP TRIGGER {name}")
    for s in statements:
        con.execute(s, params) if "?" in s else con.execute(s)
    for sql in triggers:
        con.execute(sql)
    con.commit()
    con.close()


def cut_tail(db: Path) -> str:
    """Remove the newest register's audit entries, its record and its locations."""
    con = sqlite3.connect(db)
    regno, first = con.execute(
        "SELECT register_no, min(seq) FROM audit WHERE register_no = (SELECT register_no FROM "
        "audit WHERE register_no IS NOT NULL ORDER BY seq DESC LIMIT 1)").fetchone()
    con.close()
    table, owner = (("notifications", "notification_id") if regno.startswith("SAF")
                    else ("requests", "request_id"))
    _with_triggers_dropped(
        db, f"DELETE FROM audit WHERE seq >= {first}",
        f"DELETE FROM locations WHERE {owner} = (SELECT id FROM {table} WHERE "
        f"register_no = '{regno}')",
        f"DELETE FROM {table} WHERE register_no = '{regno}'")
    return str(regno)


def rewrite_consistently(db: Path, regno: str, personnel: int) -> None:
    """Change a record AND its last audit entry, then recompute every later hash: the
    unkeyed chain agrees with itself again."""
    from kfor_desk.domain.exchange import state_hash
    from kfor_desk.store import audit
    from kfor_desk.store.db import open_database
    from kfor_desk.store.repository import Repository

    con = sqlite3.connect(db)
    con.execute(f"UPDATE requests SET personnel = {personnel} WHERE register_no = '{regno}'")
    con.commit()
    con.close()
    ro = open_database(db, readonly=True, migrate=False)
    try:
        new_state = state_hash(Repository(ro).get(regno))
        with ro.read() as conn:
            entries = audit.entries(conn)
    finally:
        ro.close()
    last = max(e.seq for e in entries if e.register_no == regno)
    prev = audit.GENESIS
    updates = []
    for e in entries:
        if e.seq == last:
            from dataclasses import replace

            e = replace(e, state_hash=new_state)
        h = audit.chain_hash(prev, audit._payload(e.seq, e.operator, e.workstation, e))
        updates.append((e.state_hash, prev, h, e.seq))
        prev = h
    con = sqlite3.connect(db)
    names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='trigger'")]
    sqls = [r[0] for r in con.execute("SELECT sql FROM sqlite_master WHERE type='trigger'")]
    for name in names:
        con.execute(f"DROP TRIGGER {name}")
    con.executemany("UPDATE audit SET state_hash=?, prev_hash=?, hash=? WHERE seq=?", updates)
    for sql in sqls:
        con.execute(sql)
    con.commit()
    con.close()


def _verify(db: Path, *extra: str) -> tuple[int, str, str]:
    import contextlib
    import io

    from kfor_desk.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--db", str(db), "verify", *extra])
    return code, out.getvalue(), err.getvalue()


def _head(db: Path) -> str:
    con = sqlite3.connect(db)
    try:
        return str(con.execute("SELECT hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()[0])
    finally:
        con.close()


def test_a_cut_tail_is_caught_by_the_head_log(tmp_path: Path) -> None:
    db = _witnessed_desk(tmp_path / "desk.db")
    assert _verify(db)[0] == 0
    regno = cut_tail(db)
    from kfor_desk.services.verify import verify
    from kfor_desk.store.db import open_database
    from kfor_desk.store.repository import Repository

    ro = open_database(db, readonly=True, migrate=False)
    try:
        assert verify(Repository(ro)).ok, "the attack must leave a self-consistent file"
    finally:
        ro.close()
    code, _, err = _verify(db)  # … the witness outside it does not
    assert code == 1 and "shorter than the head log" in err and "missing" in err, err
    assert regno not in err  # nothing is called "added behind the app's back"


def test_a_rollback_to_an_older_backup_is_caught(tmp_path: Path) -> None:
    from kfor_desk.services.backups import make_backup
    from kfor_desk.services.session import open_desk

    db = _witnessed_desk(tmp_path / "desk.db")
    older = make_backup(db, "manual").path
    desk = open_desk(str(db), "Capt Test")
    desk.register(make_request(description="after the first backup"))
    desk.close()
    newer = make_backup(db, "manual").path
    desk = open_desk(str(db), "Capt Test")
    desk.register(make_request(description="after both backups"))
    desk.close()
    shutil.copyfile(older, db)  # the attacker's "restore"
    code, _, err = _verify(db)
    assert code == 1 and "shorter than the head log" in err, err
    assert newer.name in err and "since" in err
    # with the head log gone too, the newer backup still witnesses the rollback
    _remove_head_logs()
    code, _, err = _verify(db)
    assert code == 1 and f"shorter than the backup {newer.name}" in err, err
    # the backup is opened again only now, for the time its first missing entry was made
    assert "are missing (since 20" in err, err


def _remove_head_logs() -> None:
    from kfor_desk.services.witness import witness_dir

    for log in witness_dir().glob("*.heads"):
        log.unlink()


def test_a_consistent_rewrite_is_caught_by_every_witness(tmp_path: Path) -> None:
    from kfor_desk.services.backups import make_backup

    db = _witnessed_desk(tmp_path / "desk.db")
    printed = _head(db)  # the head a brief printed
    make_backup(db, "manual")
    rewrite_consistently(db, "KSF-2026-0001", 4242)
    from kfor_desk.services.verify import verify
    from kfor_desk.store.db import open_database
    from kfor_desk.store.repository import Repository

    ro = open_database(db, readonly=True, migrate=False)
    try:
        assert verify(Repository(ro)).ok, "the rewrite must agree with itself"
    finally:
        ro.close()
    code, _, err = _verify(db)
    assert code == 1 and "disagrees with the head log" in err and "disagrees with the backup" \
        in err, err
    _remove_head_logs()
    for b in (tmp_path / "backups").glob("*.db"):
        b.unlink()
    assert _verify(db)[0] == 0  # no witness left but the paper one …
    code, _, err = _verify(db, "--head", printed[:16])
    assert code == 1 and "does not hold the head" in err, err  # … and it is enough


def test_verify_head_holds_for_todays_head_and_not_after_a_cut(tmp_path: Path) -> None:
    db = _witnessed_desk(tmp_path / "desk.db")
    head = _head(db)
    code, out, _ = _verify(db, "--head", head[:16])
    assert code == 0 and "held, unchanged" in out
    code, out, _ = _verify(db, "--head", head.upper())
    assert code == 0
    assert _verify(db, "--head", head[:15])[0] == 2  # too short to mean anything
    assert _verify(db, "--head", "xyz" * 6)[0] == 2
    cut_tail(db)
    _remove_head_logs()
    code, _, err = _verify(db, "--head", head[:16])
    assert code == 1 and "does not hold the head" in err


def test_a_deleted_middle_entry_names_the_first_bad_one_honestly(tmp_path: Path) -> None:
    db = _witnessed_desk(tmp_path / "desk.db", records=6)
    _with_triggers_dropped(db, "DELETE FROM audit WHERE seq = 3")
    code, _, err = _verify(db, "--full")
    assert code == 1
    assert "broken at entry 3" in err and "entry 3 is missing" in err
    assert "added behind the app's back" not in err
    assert "SAF-2026-0001" not in err and "no audit entry left" in err  # record 3's own entry
    assert "entries 4–6 come after the break" in err, err


# ---------------------------------------------------------------- the write order, killed
# The database commits first, then the head log gets the new head (fsynced). A kill between
# the two leaves the log behind, never ahead; the check accepts exactly that.
CRASH_CHILD = r'''
import os, signal, sys
from kfor_desk.services import witness
from kfor_desk.services.session import open_desk
from tests.factories import make_request

db, mode = sys.argv[1], sys.argv[2]
real_append = witness.append

def append(folder, desk_id, kind, seq, head, note="", when=None):
    if kind == "commit" and mode == "after-commit":
        os.kill(os.getpid(), signal.SIGKILL)  # committed, not yet witnessed
    if kind == "commit" and mode == "mid-append":  # the line's first bytes, then death
        fd = os.open(witness.log_path(folder, desk_id), os.O_WRONLY | os.O_APPEND)
        os.write(fd, f"commit {seq} {head[:20]}".encode())
        os.fsync(fd)
        os.kill(os.getpid(), signal.SIGKILL)
    real_append(folder, desk_id, kind, seq, head, note, when)

witness.append = append
desk = open_desk(db, "Capt Crash")
n = 0
while True:
    desk.register(make_request(description=f"record {n}"))
    n += 1
    print(f"saved {n}", flush=True)
    if mode != "loop":
        break
'''


def _crash(db: Path, mode: str, after_lines: int = 0) -> int:
    import os
    import signal
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen([sys.executable, "-c", CRASH_CHILD, str(db), mode], cwd=root,
                            env={**os.environ, "PYTHONPATH": str(root)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    if mode == "loop":  # killed wherever it is, after some saves
        for _ in range(after_lines):
            assert proc.stdout.readline().startswith("saved"), proc.stderr.read()  # type: ignore[union-attr]
        proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=120)
    return proc.returncode


def _check(db: Path) -> list[str]:
    from kfor_desk.services.verify import check_desk
    from kfor_desk.store.db import open_database

    ro = open_database(db, readonly=True, migrate=False)
    try:
        return check_desk(ro, full=True).problems
    finally:
        ro.close()


@pytest.mark.parametrize("mode", ["after-commit", "mid-append"])
def test_kill_9_between_commit_and_head_log_is_not_tampering(tmp_path: Path, mode: str) -> None:
    import signal

    from kfor_desk.services.witness import read_log, witness_dir

    db = _witnessed_desk(tmp_path / "desk.db", records=2)
    assert _crash(db, mode) == -signal.SIGKILL
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM audit").fetchone()[0] == 3  # the save committed
    con.close()
    ident = next(witness_dir().glob("*.heads")).stem
    lines, bad = read_log(witness_dir(), ident)
    assert lines[-1].seq == 2 and not bad  # the log is one behind; a torn line is not a line
    assert _check(db) == []  # exactly the crash window: accepted
    from kfor_desk.services.session import open_desk

    desk = open_desk(str(db), "Capt Test")  # and the next save is witnessed as usual
    desk.register(make_request(description="after the crash"))
    desk.close()
    assert read_log(witness_dir(), ident)[0][-1].seq == 4
    assert _check(db) == []


def test_killed_anywhere_in_a_stream_of_saves_never_reads_as_tampering(tmp_path: Path) -> None:
    import random

    db = _witnessed_desk(tmp_path / "desk.db", records=1)
    rng = random.Random(13)
    for _ in range(4):
        _crash(db, "loop", after_lines=rng.randint(1, 4))
        assert _check(db) == []


def test_a_head_log_ahead_of_the_database_is_not_excused(tmp_path: Path) -> None:
    """Had the log been written before the commit, a crash could leave it ahead; the check
    must not accept that (only a log that lags is the crash window)."""
    from kfor_desk.services.witness import append, witness_dir

    db = _witnessed_desk(tmp_path / "desk.db", records=2)
    ident = next(witness_dir().glob("*.heads")).stem
    append(witness_dir(), ident, "commit", 3, "ab" * 32)
    problems = _check(db)
    assert problems and "shorter than the head log" in problems[0]


@pytest.mark.parametrize("deferred", [False, True], ids=["checked", "deferred"])
def test_the_window_opens_a_cut_or_rolled_back_file_read_only(tmp_path: Path,
                                                               deferred: bool) -> None:
    from kfor_desk.services.backups import make_backup
    from kfor_desk.services.opening import finish_checks

    db = _witnessed_desk(tmp_path / "desk.db")
    good = make_backup(db, "manual").path
    cut_tail(db)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    res = open_checked(db, "Capt Test", checks=not deferred)
    if deferred:
        res = finish_checks(res)
    try:
        assert res.readonly_reason is not None
        assert "shorter than the head log" in res.readonly_reason
        assert res.newest_backup == good  # what "Restore newest good backup…" offers
        with pytest.raises(ReadOnlyDatabase):
            res.desk.register(make_request())
    finally:
        res.close()
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_open_after_a_legitimate_restore_is_clean_and_newer_backups_stop_counting(
        tmp_path: Path) -> None:
    from kfor_desk.services.backups import make_backup
    from kfor_desk.services.restoring import restore
    from kfor_desk.services.session import open_desk

    db = _witnessed_desk(tmp_path / "desk.db")
    older = make_backup(db, "manual").path
    desk = open_desk(str(db), "Capt Test")
    desk.register(make_request(description="dropped by the restore, on purpose"))
    desk.close()
    make_backup(db, "manual")  # a newer backup: ahead of what will be restored
    restore(older, db)
    res = open_checked(db, "Capt Test")
    try:
        assert res.readonly_reason is None, res.readonly_reason
        res.desk.register(make_request(description="after the restore"))
    finally:
        res.close()
    assert _verify(db, "--full")[0] == 0


def test_the_check_on_open_hashes_only_what_is_new_unless_the_file_was_touched(
        tmp_path: Path) -> None:
    from kfor_desk.services.verify import check_desk
    from kfor_desk.store.db import open_database

    def checked_after(db: Path) -> tuple[int, list[str]]:
        ro = open_database(db, readonly=True, migrate=False)
        try:
            done = check_desk(ro, mark=False)
            return done.report.checked_after, done.problems
        finally:
            ro.close()

    db = _witnessed_desk(tmp_path / "desk.db")
    assert checked_after(db)[0] == 0  # never checked: everything
    res = open_checked(db, "Capt Test")  # the window: checks, then saves, then closes
    res.desk.register(make_request(description="a session's work"))
    res.close()
    assert checked_after(db) == (5, [])  # the file is as the app left it: nothing to hash
    _sql(db, "UPDATE requests SET personnel = 7 WHERE register_no = 'KSF-2026-0001'")
    after, problems = checked_after(db)  # written outside the app: everything again
    assert after == 0 and any("KSF-2026-0001 differs" in p for p in problems)
