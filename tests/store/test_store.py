"""The store on real temporary SQLite files."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import text

from kfor_desk.domain.workflow import Action
from kfor_desk.services.desk import Desk
from kfor_desk.services.session import open_desk
from kfor_desk.services.verify import verify
from kfor_desk.store import db as dbmod
from kfor_desk.store.errors import (
    ConcurrentEdit,
    DatabaseExists,
    DatabaseMissing,
    NewerSchema,
    NotADatabase,
)
from tests.factories import make_notification, make_request


def test_mistyped_path_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "typo" / "desk.db"
    with pytest.raises(DatabaseMissing, match="nothing was created"):
        open_desk(str(missing))
    assert not missing.exists() and not missing.parent.exists()
    with pytest.raises(DatabaseMissing):
        open_desk(str(tmp_path / "desk.bd"))
    assert list(tmp_path.iterdir()) == []


def test_create_refuses_to_overwrite(desk: Desk, db_path: Path) -> None:
    before = db_path.read_bytes()
    with pytest.raises(DatabaseExists):
        dbmod.create_database(str(db_path))
    assert db_path.read_bytes() == before


def test_connection_rules(desk: Desk, db_path: Path) -> None:
    with desk.db.read() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert (db_path.stat().st_mode & 0o777) == 0o600


def test_create_and_reload_is_byte_exact(desk: Desk) -> None:
    n = make_notification(name="Вежба „Јастребац“ — Zvečan ë ç <b>&amp;", notes="a\nb")
    saved = desk.register(n).record
    assert saved.register_no == "SAF-2026-0001" and saved.version == 1
    again = desk.repo.get("SAF-2026-0001")
    assert again == saved
    assert again.locations[0].abl is not None
    r = desk.register(make_request()).record
    assert r.register_no == "KSF-2026-0001"
    assert desk.register(make_notification()).record.register_no == "SAF-2026-0002"


def test_every_change_is_audited_with_field_level_changes(desk: Desk) -> None:
    n = desk.register(make_notification()).record
    n2 = desk.amend(n, replace(n, personnel=150, units="4. brigada")).record
    desk.act(n2, Action.ACKNOWLEDGE)
    history = desk.repo.history(n.register_no or "")
    assert [h.action for h in history] == ["create", "amend", "acknowledge"]
    amend = history[1]
    assert ("personnel", 120, 150) in amend.changes
    assert amend.operator == "Capt Test (Duty Officer)" and amend.workstation
    assert amend.at.tzinfo is not None


def test_concurrent_edit_is_refused_not_overwritten(desk: Desk, db_location: str) -> None:
    n = desk.register(make_notification()).record
    other = open_desk(db_location, "Lt Other")
    try:
        mine = desk.repo.get(n.register_no or "")
        theirs = other.repo.get(n.register_no or "")
        other.amend(theirs, replace(theirs, personnel=300))
        with pytest.raises(ConcurrentEdit, match="changed by someone else"):
            desk.amend(mine, replace(mine, personnel=999))
    finally:
        other.db.close()
    current = desk.repo.get(n.register_no or "")
    assert current.personnel == 300 and current.version == 2


def test_chain_catches_a_record_edited_with_raw_sql(desk: Desk) -> None:
    desk.register(make_notification())
    desk.register(make_request())
    assert verify(desk.repo).ok
    with desk.db.write() as raw:  # SQL behind the application's back, on either back-end
        raw.execute(text("UPDATE requests SET requesting_unit = 'forged' WHERE id = 1"))
    report = verify(desk.repo)
    assert not report.ok
    assert any("KSF-2026-0001" in p for p in report.problems)


def test_audit_rows_are_append_only_and_chain_names_the_bad_entry(desk: Desk,
                                                                  db_path: Path) -> None:
    for _ in range(3):
        desk.register(make_notification())
    raw = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        raw.execute("UPDATE audit SET operator = 'x' WHERE seq = 2")
    raw.execute("DROP TRIGGER audit_no_update")
    raw.execute("UPDATE audit SET operator = 'x' WHERE seq = 2")
    raw.commit()
    raw.close()
    report = verify(desk.repo)
    assert not report.ok
    assert "entry 2" in report.problems[0]


def test_length_check_holds_even_for_raw_sql(desk: Desk, db_path: Path) -> None:
    desk.register(make_notification())
    raw = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.IntegrityError):
        raw.execute("UPDATE notifications SET name = ? WHERE id = 1", ("x" * 201,))
    raw.close()


def test_not_a_database_is_left_untouched(tmp_path: Path) -> None:
    bad = tmp_path / "desk.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    before = bad.read_bytes()
    with pytest.raises(NotADatabase):
        open_desk(str(bad))
    assert bad.read_bytes() == before


def test_newer_schema_is_refused(desk: Desk, db_location: str) -> None:
    with desk.db.write() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    desk.db.close()
    with pytest.raises(NewerSchema, match="newer version"):
        open_desk(db_location)


def test_failed_migration_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "fresh.db"
    fd = path.open("x")
    fd.close()
    db = dbmod.Database(dbmod._make_engine(dbmod.resolve_target(str(path)), "rw"),
                        dbmod.resolve_target(str(path)))
    with pytest.raises(Exception, match="injected"):
        dbmod.upgrade(db, backup=None, fail_after="0001")
    with db.read() as conn:
        tables = conn.exec_driver_sql("SELECT name FROM sqlite_master").all()
    assert tables == []
    dbmod.upgrade(db, backup=None)  # a re-run completes
    assert dbmod.schema_state(db)[0] in dbmod.head_revisions()  # every revision, now 0002 too
    dbmod.upgrade(db, backup=None)  # and another is a no-op
    db.close()



def test_shipped_revisions_read_without_alembic_match_alembic() -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(dbmod._alembic_config())
    assert dbmod.known_revisions() == {r.revision for r in script.walk_revisions()}
    assert set(dbmod.head_revisions()) == set(script.get_heads())
