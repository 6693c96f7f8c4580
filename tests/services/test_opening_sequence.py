"""One way to open a desk: the location is resolved once into one value, and one sequence
(place, lock, checks, upgrade, desk) opens it for the window and the command line alike."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kfor_desk.services import open_checks, opening
from kfor_desk.services.backup import BackupError
from kfor_desk.services.demo import create_demo
from kfor_desk.services.location import DeskLocation, resolve_location
from kfor_desk.services.opening import (
    COMMAND,
    WINDOW,
    WINDOW_DEFERRED,
    finish_checks,
    open_location,
    restore_or_reopen,
)
from kfor_desk.services.session import open_desk, start_place
from kfor_desk.store import db as dbmod
from tests.factories import NOW


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    path = tmp_path / "desk.db"
    create_demo(str(path), 8, now=NOW).db.close()
    return path


@pytest.fixture
def opens(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Every entry into the store's ``open_database`` from the opening sequence, with what it
    was given (a resolved Target: nothing resolves the path again)."""
    seen: list[object] = []
    real = dbmod.open_database

    def counting(where: object, **kw: object) -> dbmod.Database:
        seen.append(where)
        return real(where, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(opening, "open_database", counting)
    monkeypatch.setattr(open_checks, "open_database", counting)  # step 3's read-only open
    yield seen


def test_the_location_knows_what_it_is(tmp_path: Path) -> None:
    loc = resolve_location(str(tmp_path / "a" / ".." / "desk.db"))
    assert loc.path == tmp_path / "desk.db" and loc.is_sqlite and not loc.readonly
    assert loc.backup_folder == tmp_path / "backups"
    assert loc.lock_file == tmp_path / "desk.db.lock"
    assert resolve_location(loc) is loc  # resolved once: handed on as it is
    assert resolve_location(loc, readonly=True).readonly
    with pytest.raises(AttributeError):
        loc.readonly = True  # type: ignore[misc]  # frozen
    server = resolve_location("postgresql+psycopg://desk@db.example/kfor")
    assert server.path is None and server.backup_folder is None and server.lock_file is None
    assert "desk@db.example" in str(server)


def test_a_window_open_enters_the_store_twice_with_the_resolved_target(
        demo_db: Path, opens: list[object]) -> None:
    loc = resolve_location(demo_db)
    res = open_location(loc, "Capt Test", WINDOW)
    try:
        assert res.location is loc and not res.readonly and res.lock is not None
        assert res.newest_backup is not None  # the start backup, in the location's folder
        assert res.newest_backup.parent == loc.backup_folder
    finally:
        res.close(backup=False)
    assert opens == [loc.target, loc.target]  # the read-only checks, then the writable desk


def test_a_deferred_open_and_its_checks_enter_the_store_twice(
        demo_db: Path, opens: list[object]) -> None:
    loc = resolve_location(demo_db)
    pending = open_location(loc, "Capt Test", WINDOW_DEFERRED)
    done = finish_checks(pending)
    try:
        assert pending.pending_checks and not done.readonly and done.desk is pending.desk
    finally:
        done.close(backup=False)
    assert opens == [loc.target, loc.target]


def test_the_command_line_opens_through_the_same_sequence(
        demo_db: Path, opens: list[object]) -> None:
    with open_desk(str(demo_db), "Capt Cli", readonly=True) as desk:
        assert desk.readonly and desk.records()[1]
    assert len(opens) == 1 and isinstance(opens[0], dbmod.Target)
    assert not Path(str(demo_db) + ".lock").exists()  # no lock, no backups: a short command
    assert not (demo_db.parent / "backups").exists()
    res = open_location(resolve_location(demo_db), "Capt Cli", COMMAND)
    res.close(backup=False)
    assert res.readonly_reason is None


def test_a_failed_restore_reopens_the_file_that_is_there(demo_db: Path, tmp_path: Path) -> None:
    res = open_location(resolve_location(demo_db), "Capt Test", WINDOW)
    lock = res.lock
    bad = tmp_path / "not-a-backup.db"
    bad.write_bytes(b"junk" * 100)
    outcome = restore_or_reopen(res, bad)
    assert isinstance(outcome.error, BackupError) and outcome.done is None
    again = outcome.result
    assert again is not None and not again.readonly and again.lock is lock
    assert again.desk is not res.desk and again.desk.records()[1]
    again.close(backup=False)
    assert not Path(str(demo_db) + ".lock").exists()


def test_a_good_restore_reopens_the_restored_file(demo_db: Path) -> None:
    res = open_location(resolve_location(demo_db), "Capt Test", WINDOW)
    assert res.newest_backup is not None
    outcome = restore_or_reopen(res, res.newest_backup)
    assert outcome.error is None and outcome.done is not None and outcome.result is not None
    assert outcome.done.kept_aside is not None and outcome.done.kept_aside.exists()
    outcome.result.close(backup=False)


def test_one_default_database_for_the_window_and_the_command_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kfor_desk.services.session import ENV_DB, resolve_db

    monkeypatch.delenv(ENV_DB, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    first = start_place(None, None)
    assert first.first_start and first.location == resolve_db(None)
    assert first.training_location == resolve_db(None)  # bootstrap/first start: that file
    assert start_place(None, "/x/last.db").location == "/x/last.db"
    assert start_place("/x/given.db", "/x/last.db").location == "/x/given.db"
    monkeypatch.setenv(ENV_DB, "/x/env.db")
    placed = start_place(None, "/x/last.db")
    assert placed.location == "/x/env.db" == resolve_db(None) and not placed.first_start


def test_a_desk_location_is_a_frozen_value() -> None:
    assert DeskLocation.__dataclass_params__.frozen  # type: ignore[attr-defined]
