"""Revision 0003 recomputes the stored search text (Cyrillic folded to Latin) of existing rows,
to exactly what the store writes for a record saved today."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from kfor_desk.services.demo import create_demo
from kfor_desk.store import db as dbmod
from kfor_desk.store.repository import Repository, search_text
from tests.factories import NOW

DATA = Path(__file__).resolve().parents[1] / "data"


def _old_fold(text: str) -> str:
    """The 0001 fold: case and diacritics only, Cyrillic stayed Cyrillic."""
    import re
    import unicodedata
    comb = re.compile("[\u0300-\u036f\u0483-\u0489]")
    t = text.translate(str.maketrans({"đ": "d", "Đ": "d"}))
    return unicodedata.normalize("NFC", comb.sub("", unicodedata.normalize("NFKD", t))).casefold()


def _stored(path: Path) -> dict[str, str]:
    con = sqlite3.connect(path)
    try:
        return dict(con.execute("SELECT register_no, search_text FROM notifications "
                                "UNION ALL SELECT register_no, search_text FROM requests"))
    finally:
        con.close()


def _expected(path: Path) -> dict[str, str]:
    db = dbmod.open_database(path, readonly=True, migrate=False)
    try:
        notes, reqs = Repository(db).all_records()
    finally:
        db.close()
    return {r.register_no or "": search_text(r) for r in [*notes, *reqs]}


def test_rows_of_0001_get_the_search_text_of_today(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    create_demo(str(path), 40, now=NOW).db.close()
    # make it look like a database before 0003: old-style search text
    con = sqlite3.connect(path)
    for table in ("notifications", "requests"):
        rows = con.execute(f"SELECT id, name_or_unit FROM (SELECT id, "
                           f"{'name' if table == 'notifications' else 'requesting_unit'} "
                           f"AS name_or_unit FROM {table})").fetchall()
        con.executemany(f"UPDATE {table} SET search_text = ? WHERE id = ?",
                        [(_old_fold(n), i) for i, n in rows])
    con.execute("UPDATE alembic_version SET version_num = '0002'")  # before 0003
    con.commit()
    con.close()
    stale = _stored(path)
    assert any("вежба" in t for t in stale.values())

    dbmod.open_database(path).close()  # migrates

    stored = _stored(path)
    assert stored == _expected(path)
    assert not any("вежба" in t for t in stored.values())
    assert sum("vezba" in t for t in stored.values()) > sum("vezba" in t for t in stale.values())
    assert any("granted" in t for t in stored.values())  # labels included


def test_the_saved_first_release_database_migrates_to_the_same_text(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    shutil.copy(DATA / "schema-0001.db", path)
    dbmod.open_database(path).close()
    db = dbmod.open_database(path, readonly=True)
    try:
        assert dbmod.schema_state(db)[0] == "0003"
    finally:
        db.close()
    assert _stored(path) == _expected(path)
