"""The start backup of a deferred open is made after the desk became writable, from the file
as the checks saw it (issue 17): a save made while it is copied is not in it, not even in
part; it still verifies; a failure leaves the desk writable with a sentence; closing stops it.
Real SQLite files throughout (the start backup is a SQLite file's)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kfor_desk.services import backup as backup_mod
from kfor_desk.services.backup import check_copy
from kfor_desk.services.backups import list_backups
from kfor_desk.services.demo import create_demo
from kfor_desk.services.open_result import OpenResult
from kfor_desk.services.opening import finish_checks, open_checked
from kfor_desk.services.verify import check_desk
from tests.factories import NOW, make_notification


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Big enough for a copy of many small steps (a few hundred pages)."""
    path = tmp_path_factory.mktemp("demo") / "desk.db"
    create_demo(str(path), 300, now=NOW).db.close()
    return path


@pytest.fixture
def demo_db(demo_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "desk.db"
    con = sqlite3.connect(demo_file)
    out = sqlite3.connect(path)
    con.backup(out)
    out.close()
    con.close()
    return path


def _facts(path: Path) -> tuple[tuple[int, str], int, int, int]:
    """(head, notifications, locations, audit entries) of a database file."""
    con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        seq, head = con.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"
                                ).fetchone()
        n = con.execute("SELECT count(*) FROM notifications").fetchone()[0]
        loc = con.execute("SELECT count(*) FROM locations").fetchone()[0]
        a = con.execute("SELECT count(*) FROM audit").fetchone()[0]
    finally:
        con.close()
    return (int(seq), str(head)), int(n), int(loc), int(a)


def _holds(path: Path, name: str) -> bool:
    con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return con.execute("SELECT count(*) FROM notifications WHERE name = ?", (name,)
                           ).fetchone()[0] > 0
    finally:
        con.close()


def _starts(path: Path, result: OpenResult) -> list[Path]:
    return [b.path for b in list_backups(path, result.backup_folder) if b.reason == "start"]


def test_a_save_during_the_start_backup_is_not_in_it(
        demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The officer saves (a record, its location and its audit entry: one transaction)
    between two steps of the copy: the backup is the file as checked, whole, and verifies;
    the live file holds the save, and its check passes too."""
    monkeypatch.setattr(backup_mod, "COPY_STEP_PAGES", 8)  # many steps, so one is mid-way
    at_open = _facts(demo_db)
    pending = open_checked(demo_db, "Capt Test", checks=False)
    desk = pending.desk
    steps: list[bool] = []  # one per question asked once writing was let go
    saved: list[str] = []  # what was saved during the copy

    def should_stop() -> bool:
        if desk.db.writes_held is None:  # the copy is running: a save from another connection
            steps.append(True)
            if len(steps) == 5:
                desk.register(make_notification(name="Saved mid-copy"))
                saved.append("Saved mid-copy")
        return False

    writable: list[OpenResult] = []
    try:
        done = finish_checks(pending, should_stop, on_writable=writable.append)
        assert writable and not writable[0].readonly and writable[0].newest_backup is None
        assert saved, "the save ran during the copy"
        assert len(steps) > 6, "the copy went on after the save"
        starts = _starts(demo_db, done)
        assert [done.newest_backup] == starts
        backup = starts[0]
        assert _facts(backup) == at_open  # head, records, locations, entries: as checked
        assert not _holds(backup, "Saved mid-copy")
        assert check_copy(backup) is None  # the whole chain and every record: sound
        assert _holds(demo_db, "Saved mid-copy")
        assert _facts(demo_db)[0][0] == at_open[0][0] + 1
        assert check_desk(desk.db, full=True, mark=False).ok
    finally:
        pending.close(backup=False)


def test_writable_is_handed_over_before_the_backup_is_made(demo_db: Path) -> None:
    """``on_writable`` comes before any start backup exists, and a save made in it already
    goes through; the backup made after it still holds the file as checked."""
    at_open = _facts(demo_db)
    pending = open_checked(demo_db, "Capt Test", checks=False)
    seen: list[list[Path]] = []

    def on_writable(result: OpenResult) -> None:
        seen.append(_starts(demo_db, result))
        result.desk.register(make_notification(name="Saved at once"))

    try:
        done = finish_checks(pending, on_writable=on_writable)
        assert seen == [[]]  # writable while no start backup existed yet
        assert done.newest_backup is not None and _facts(done.newest_backup) == at_open
        assert _holds(demo_db, "Saved at once") and not _holds(done.newest_backup,
                                                                "Saved at once")
    finally:
        pending.close(backup=False)


def test_the_copy_waits_for_before_copy_with_the_state_held(demo_db: Path) -> None:
    """``before_copy`` (the window: the registers first) comes after writing was let go and
    before the copy; what is saved while it waits is not in the backup either."""
    at_open = _facts(demo_db)
    pending = open_checked(demo_db, "Capt Test", checks=False)
    order: list[str] = []

    def before_copy() -> None:
        order.append("before_copy")
        assert _starts(demo_db, pending) == []
        pending.desk.register(make_notification(name="Saved while the copy waited"))

    try:
        done = finish_checks(pending, on_writable=lambda _r: order.append("writable"),
                             before_copy=before_copy)
        assert order == ["writable", "before_copy"]
        assert done.newest_backup is not None and _facts(done.newest_backup) == at_open
        assert _holds(demo_db, "Saved while the copy waited")
    finally:
        pending.close(backup=False)


def test_a_failed_start_backup_leaves_the_desk_writable_with_a_sentence(
        demo_db: Path) -> None:
    folder = demo_db.parent / "backups"
    folder.write_text("not a folder")  # the backup folder cannot be made
    pending = open_checked(demo_db, "Capt Test", checks=False)
    try:
        done = finish_checks(pending)
        assert not done.readonly and done.newest_backup is None
        assert any("the backup on start failed" in w and "Back up now" in w
                   for w in done.warnings), done.warnings
        done.desk.register(make_notification(name="Saved after a failed backup"))
        assert _holds(demo_db, "Saved after a failed backup")
    finally:
        pending.close(backup=False)
    assert folder.read_text() == "not a folder"


def test_closing_during_the_start_backup_stops_it_and_keeps_nothing(
        demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backup_mod, "COPY_STEP_PAGES", 8)
    pending = open_checked(demo_db, "Capt Test", checks=False)
    asked: list[bool] = []

    def should_stop() -> bool:  # the window closes during the copy's third step
        if pending.desk.db.writes_held is None:
            asked.append(True)
        return len(asked) >= 3

    try:
        done = finish_checks(pending, should_stop)
        assert not done.readonly and done.newest_backup is None and not done.warnings
        assert len(asked) == 3
        assert _starts(demo_db, done) == []
        folder = done.backup_folder
        assert folder is not None and not list(folder.glob("*.part"))
    finally:
        pending.close(backup=False)


def test_a_damaged_file_is_never_held_nor_made_writable(demo_db: Path) -> None:
    raw = sqlite3.connect(demo_db)
    raw.execute("UPDATE notifications SET name = 'forged' WHERE id = 1")
    raw.commit()
    raw.close()
    pending = open_checked(demo_db, "Capt Test", checks=False)
    writable: list[OpenResult] = []
    done = finish_checks(pending, on_writable=writable.append)
    try:
        assert writable == [] and done.readonly and done.readonly_reason
        assert list_backups(demo_db, done.backup_folder) == []
    finally:
        done.close(backup=False)


def test_a_file_that_cannot_be_held_still_becomes_writable_and_says_so(
        demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kfor_desk.services import open_checks

    def unreadable(_path: Path) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(open_checks, "Snapshot", unreadable)
    pending = open_checked(demo_db, "Capt Test", checks=False)
    writable: list[OpenResult] = []
    try:
        done = finish_checks(pending, on_writable=writable.append)
        assert writable[0].warnings == []  # the start backup's outcome comes with the end
        assert not done.readonly and done.newest_backup is None
        assert any("the backup on start failed" in w and "disk I/O error" in w
                   for w in done.warnings), done.warnings
        assert _starts(demo_db, done) == []
    finally:
        pending.close(backup=False)
