"""R9: migration from every released schema, with a failure injected mid-migration and a re-run.

``tests/data/schema-<rev>.db`` are saved databases of each released schema (0001: the first
release, 12 demo records). A test-only revision ``r9probe`` after today's head (a table, an
index and a data change) is added to a copy of the migrations to prove the upgrade path: backup
made and verified; a failed run leaves the file as it was; the re-run completes; another run is
a no-op."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from kfor_desk.services.backup import check_copy, pre_migration_backup
from kfor_desk.services.backups import list_backups
from kfor_desk.services.opening import open_checked
from kfor_desk.store import db as dbmod
from kfor_desk.store import schema
from tests.reliability.helpers import assert_sound, copy_db, snapshot

DATA = Path(__file__).resolve().parents[1] / "data"
SAVED = sorted(DATA.glob("schema-*.db"))

PROBE_REVISION = '''"""Test-only revision: a table, an index and a data change."""
from alembic import op
import sqlalchemy as sa

revision = "r9probe"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("r9_probe", sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("note", sa.Text(), nullable=False))
    op.create_index("ix_r9_probe_note", "r9_probe", ["note"])
    op.execute("INSERT INTO meta(key, value) VALUES ('r9_probe', 'migrated')")
'''


def _dump(path: Path) -> list[str]:
    con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def test_there_is_a_saved_database_of_the_first_release() -> None:
    assert DATA / "schema-0001.db" in SAVED


@pytest.mark.parametrize("saved", SAVED, ids=lambda p: p.stem)
def test_saved_schema_opens_verified_and_unchanged(saved: Path, tmp_path: Path) -> None:
    db = copy_db(saved, tmp_path / "desk.db")
    records = snapshot(db)
    assert records
    res = open_checked(db, "Capt Upgrade")
    try:
        assert res.readonly_reason is None, res.readonly_reason
        assert dbmod.schema_state(res.desk.db)[0] in dbmod.head_revisions()
    finally:
        res.close(backup=False)
    assert snapshot(db) == records
    assert_sound(db)


def _clear_revision_caches() -> None:
    for fn in (dbmod.head_revisions, dbmod.known_revisions):
        clear = getattr(fn, "cache_clear", None)
        if clear:
            clear()


@pytest.fixture
def probe_revision(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    _clear_revision_caches()
    yield
    monkeypatch.undo()
    _clear_revision_caches()


@pytest.mark.parametrize("saved", SAVED, ids=lambda p: p.stem)
def test_failed_migration_leaves_the_file_and_the_rerun_completes(
        saved: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        probe_revision: None) -> None:
    migrations = tmp_path / "migrations"
    shutil.copytree(dbmod.MIGRATIONS_DIR, migrations,
                    ignore=shutil.ignore_patterns("__pycache__"))
    head = dbmod.head_revisions()[0]
    (migrations / "versions" / "9999_r9_probe.py").write_text(
        PROBE_REVISION.replace("{head}", head), encoding="utf-8")
    monkeypatch.setattr(schema, "MIGRATIONS_DIR", migrations)
    _clear_revision_caches()
    db = copy_db(saved, tmp_path / "desk.db")
    records, before = snapshot(db), _dump(db)

    opened = dbmod.open_database(db, migrate=False)
    try:
        with pytest.raises(Exception, match="injected failure after r9probe"):
            dbmod.upgrade(opened, backup=lambda: pre_migration_backup(opened, head),
                          fail_after="r9probe")
    finally:
        opened.close()
    assert _dump(db) == before  # the failed run left the file as it was
    backups = list_backups(db)
    assert len(backups) == 1 and "before-upgrade" in backups[0].reason
    assert check_copy(backups[0].path) is None and snapshot(backups[0].path) == records

    opened = dbmod.open_database(db, backup=pre_migration_backup)  # the re-run
    try:
        assert dbmod.schema_state(opened)[0] == "r9probe"
    finally:
        opened.close()
    after = _dump(db)
    assert any("r9_probe" in line for line in after)
    assert snapshot(db) == records
    assert_sound(db)

    opened = dbmod.open_database(db, backup=pre_migration_backup)  # and again: a no-op
    opened.close()
    assert _dump(db) == after
    assert len(list_backups(db)) == 2
