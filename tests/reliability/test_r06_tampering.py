"""R6: a record or an audit row edited behind the app's back (raw SQL, triggers dropped).

Passes when the checks on open name the entry and the app refuses to write."""

from __future__ import annotations

import hashlib
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
