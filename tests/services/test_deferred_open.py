"""A deferred open lets the window paint first; nothing is written until the checks pass."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from kfor_desk.services.backups import list_backups
from kfor_desk.services.demo import create_demo
from kfor_desk.services.opening import finish_checks, open_checked
from kfor_desk.store import db as dbmod
from kfor_desk.store import schema
from kfor_desk.store.errors import ReadOnlyDatabase
from tests.factories import NOW

DATA = Path(__file__).resolve().parents[1] / "data"

PROBE_REVISION = '''"""Test-only revision after the head."""
from alembic import op

revision = "probe"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("INSERT INTO meta(key, value) VALUES ('deferred_probe', 'migrated')")
'''


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    path = tmp_path / "desk.db"
    create_demo(str(path), 12, now=NOW).db.close()
    return path


def _state(path: Path) -> tuple[bytes, int]:
    """The file's bytes and mtime; a -wal beside it must be empty (nothing waiting to land)."""
    wal = Path(str(path) + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    return path.read_bytes(), path.stat().st_mtime_ns


def _tamper(path: Path) -> None:
    raw = sqlite3.connect(path)
    raw.execute("UPDATE notifications SET name = 'forged' WHERE id = 1")
    raw.commit()
    raw.close()


def test_good_database_becomes_writable_after_the_checks(demo_db: Path) -> None:
    pending = open_checked(demo_db, "Capt Test", checks=False)
    try:
        assert pending.pending_checks and pending.readonly
        assert pending.lock is not None  # one instance, from the start
        assert list_backups(demo_db, pending.backup_folder) == []  # nothing written yet
        with pytest.raises(ReadOnlyDatabase, match="checks on open"), pending.desk.db.write():
            pass
        done = finish_checks(pending)
        assert not done.pending_checks and not done.readonly
        assert done.desk is pending.desk and done.lock is pending.lock
        assert done.newest_backup is not None and done.newest_backup.exists()
        starts = [b for b in list_backups(demo_db, done.backup_folder) if b.reason == "start"]
        assert [b.path for b in starts] == [done.newest_backup]
        with done.desk.db.write():  # writing is allowed now
            pass
    finally:
        pending.close(backup=False)


def test_damaged_database_ends_read_only_and_untouched(demo_db: Path) -> None:
    _tamper(demo_db)
    before = _state(demo_db)
    pending = open_checked(demo_db, "Capt Test", checks=False)
    assert pending.pending_checks
    done = finish_checks(pending)
    try:
        assert done.readonly and not done.pending_checks
        assert done.readonly_reason and "SAF-2026-0001" in done.readonly_reason
        assert "opened it READ-ONLY" in done.readonly_reason
        assert done.desk.db.readonly and done.lock is pending.lock
        assert list_backups(demo_db, done.backup_folder) == []
    finally:
        done.close(backup=False)
    assert _state(demo_db) == before


def test_damaged_database_gets_the_same_result_as_the_checked_open(demo_db: Path) -> None:
    _tamper(demo_db)
    checked = open_checked(demo_db, "Capt Test", start_backup=False)
    checked.close(backup=False)
    done = finish_checks(open_checked(demo_db, "Capt Test", checks=False))
    done.close(backup=False)
    assert done.readonly_reason == checked.readonly_reason
    assert done.newest_backup == checked.newest_backup


def test_not_a_database_is_refused_as_without_deferral(tmp_path: Path) -> None:
    from kfor_desk.services.opening import OpenRefused

    bad = tmp_path / "desk.db"
    bad.write_bytes(b"garbage" * 1000)
    with pytest.raises(OpenRefused):
        open_checked(bad, "Capt Test", checks=False)
    assert bad.read_bytes() == b"garbage" * 1000


def test_a_file_not_in_wal_mode_is_checked_first(tmp_path: Path) -> None:
    saved = tmp_path / "desk.db"
    shutil.copyfile(DATA / "schema-0001.db", saved)
    assert saved.read_bytes()[18] == 1  # a rollback-journal file: opening to write changes it
    res = open_checked(saved, "Capt Test", checks=False)
    try:
        assert not res.pending_checks and not res.readonly
        assert res.newest_backup is not None  # the full path: checked, then backed up
    finally:
        res.close(backup=False)


@pytest.fixture
def pending_migration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A version of the app one schema revision ahead of the databases made so far."""
    def clear() -> None:
        for fn in (dbmod.head_revisions, dbmod.known_revisions):
            getattr(fn, "cache_clear", lambda: None)()

    clear()
    migrations = tmp_path / "migrations"
    shutil.copytree(dbmod.MIGRATIONS_DIR, migrations,
                    ignore=shutil.ignore_patterns("__pycache__"))
    head = dbmod.head_revisions()[0]
    (migrations / "versions" / "9999_deferred_probe.py").write_text(
        PROBE_REVISION.replace("{head}", head), encoding="utf-8")
    yield str(migrations)
    monkeypatch.undo()
    clear()


def _upgrade_to(migrations: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema, "MIGRATIONS_DIR", Path(migrations))
    for fn in (dbmod.head_revisions, dbmod.known_revisions):
        getattr(fn, "cache_clear", lambda: None)()


def test_pending_migration_falls_back_to_the_checked_open(
        demo_db: Path, pending_migration: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _upgrade_to(pending_migration, monkeypatch)
    res = open_checked(demo_db, "Capt Test", checks=False)
    try:
        assert not res.pending_checks and not res.readonly
        assert dbmod.schema_state(res.desk.db)[0] == "probe"
        reasons = {b.reason for b in list_backups(demo_db, res.backup_folder)}
        assert "start" in reasons and any("upgrade" in r for r in reasons)
    finally:
        res.close(backup=False)


def test_pending_migration_on_a_damaged_database_migrates_nothing(
        demo_db: Path, pending_migration: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _tamper(demo_db)
    before = _state(demo_db)
    _upgrade_to(pending_migration, monkeypatch)
    res = open_checked(demo_db, "Capt Test", checks=False)
    try:
        assert not res.pending_checks and res.readonly_reason
        assert "SAF-2026-0001" in res.readonly_reason
        assert dbmod.schema_state(res.desk.db)[0] != "probe"
        assert list_backups(demo_db, res.backup_folder) == []
    finally:
        res.close(backup=False)
    assert _state(demo_db) == before


@pytest.fixture(scope="module")
def big_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Over 1,000 audit entries and records, so the checks ask to stop inside their loops."""
    path = tmp_path_factory.mktemp("big") / "desk.db"
    create_demo(str(path), 1100, now=NOW).db.close()
    return path


@pytest.mark.parametrize("stop_after", [0, 1, 2, 3])
def test_checks_stopped_midway_conclude_nothing_and_write_nothing(
        big_demo: Path, tmp_path: Path, stop_after: int) -> None:
    """Closing the window during the checks: whichever step they are in (before the chain,
    inside it at entry 1,000, before the records, inside them), they end at once with the
    result unchanged: still pending, writes held, no start backup, the file untouched."""
    path = tmp_path / "desk.db"
    shutil.copy(big_demo, path)
    before = _state(path)
    asked: list[int] = []

    def should_stop() -> bool:
        asked.append(1)
        return len(asked) > stop_after

    pending = open_checked(path, "Capt Test", checks=False)
    try:
        done = finish_checks(pending, should_stop)
        assert done is pending and done.pending_checks and done.readonly
        assert len(asked) == stop_after + 1  # it stopped at the first "yes"
        with pytest.raises(ReadOnlyDatabase), pending.desk.db.write():
            pass
        assert list_backups(path, pending.backup_folder) == []
    finally:
        pending.close(backup=False)
    assert _state(path) == before


def test_checks_never_asked_to_stop_run_to_the_end(big_demo: Path, tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    shutil.copy(big_demo, path)
    asked: list[int] = []
    pending = open_checked(path, "Capt Test", checks=False)
    try:
        done = finish_checks(pending, lambda: bool(asked.append(1)))
        assert not done.pending_checks and not done.readonly
        assert len(asked) >= 5  # between the steps and inside both loops, every 1,000
    finally:
        done.close(backup=False)
