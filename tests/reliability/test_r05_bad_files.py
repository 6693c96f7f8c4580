"""R5: a non-database, truncated or corrupted file at the database path.

Passes when opening gives a clear error (or a read-only desk with the reason), the newest good
backup is offered, the bad file is unchanged and no new database appears."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from kfor_desk.services.backups import make_backup
from kfor_desk.services.opening import OpenRefused, open_checked
from kfor_desk.store.errors import ReadOnlyDatabase
from tests.factories import make_request
from tests.reliability.helpers import new_files


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _corrupt_a_table_page(db: Path) -> None:
    con = sqlite3.connect(db)
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name='requests'").fetchone()[0]
    con.close()
    data = bytearray(db.read_bytes())
    start = (root - 1) * page_size
    data[start:start + 64] = b"\xa5" * 64  # the b-tree page header and cell pointers
    db.write_bytes(bytes(data))


KINDS = ("text", "empty", "truncated", "corrupted")


def _damage(kind: str, db: Path) -> None:
    if kind == "text":
        db.write_text("Dear duty officer,\nthis is a letter, not a database.\n" * 50)
    elif kind == "empty":
        db.write_bytes(b"")
    elif kind == "truncated":
        db.write_bytes(db.read_bytes()[: db.stat().st_size // 3])
    else:
        _corrupt_a_table_page(db)


@pytest.mark.parametrize("kind", KINDS)
def test_bad_file_is_left_alone_and_a_backup_offered(fresh_db: Path, kind: str) -> None:
    good = make_backup(fresh_db, "start").path
    _damage(kind, fresh_db)
    before = _digest(fresh_db)
    listing = {p.name for p in fresh_db.parent.iterdir()}
    try:
        res = open_checked(fresh_db, "Capt Test")
    except OpenRefused as exc:
        assert exc.newest_backup == good
        assert "left untouched" in str(exc) and "restore" in str(exc)
    else:  # readable enough to show: read-only with the reason and the backup
        try:
            assert res.readonly_reason and "READ-ONLY" in res.readonly_reason
            assert res.newest_backup == good
            with pytest.raises(ReadOnlyDatabase):
                res.desk.register(make_request())
        finally:
            res.close()
    assert _digest(fresh_db) == before
    assert new_files(fresh_db.parent, listing) == set()  # no new database, no lock


def test_damaged_backups_are_not_offered(fresh_db: Path) -> None:
    older = make_backup(fresh_db, "start").path
    newer = make_backup(fresh_db, "exit").path
    newer.write_bytes(newer.read_bytes()[:4096])
    fresh_db.write_bytes(b"\0" * 8192)
    with pytest.raises(OpenRefused) as exc:
        open_checked(fresh_db, "Capt Test")
    assert exc.value.newest_backup == older
