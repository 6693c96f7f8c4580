"""R2: the disk fills up during a save.

Two ways: SQLite's own size limit (``PRAGMA max_page_count``) in this process, and a child whose
files cannot grow (``RLIMIT_FSIZE``, writes fail with EFBIG as on a full disk). Passes when the
failed save raised a clear :class:`DiskFull`, the row count is unchanged, the input can be saved
unchanged once there is room, and the database is sound."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import event

from kfor_desk.services.desk import Desk
from kfor_desk.services.session import open_desk
from kfor_desk.store.errors import DiskFull
from tests.factories import NOW, make_notification, make_request
from tests.reliability.helpers import assert_sound, audit_rows, run_forked, snapshot


def _limit_pages(desk: Desk, extra: int) -> None:
    with desk.db.read() as conn:
        pages = int(conn.exec_driver_sql("PRAGMA page_count").scalar() or 0)

    @event.listens_for(desk.db.engine, "connect")
    def limit(dbapi_conn: object, _rec: object) -> None:
        dbapi_conn.execute(f"PRAGMA max_page_count={pages + extra}")  # type: ignore[attr-defined]

    desk.db.engine.dispose()


def test_page_limit_full_refuses_cleanly_and_keeps_the_input(fresh_db: Path) -> None:
    desk = open_desk(str(fresh_db), "Capt Full")
    desk.clock = lambda: NOW
    try:
        _limit_pages(desk, 2)
        saved = 0
        big = "Опис " * 1500  # ~7.5 kB of notes: a few pages per record
        with pytest.raises(DiskFull, match="full") as exc:
            for _ in range(50):
                desk.register(make_request(notes=big))
                saved += 1
        assert "nothing was saved" in str(exc.value)
        before = snapshot(fresh_db)
        pending = make_notification(notes=big)
        with pytest.raises(DiskFull):
            desk.register(pending)
        assert snapshot(fresh_db) == before  # row count and rows unchanged
        assert saved >= 0
    finally:
        desk.db.close()
    desk = open_desk(str(fresh_db), "Capt Full")  # room again: the very same input saves
    try:
        assert desk.register(pending).record.notes == big
    finally:
        desk.db.close()
    assert_sound(fresh_db)
    assert len(snapshot(fresh_db)) == len(before) + 1


def _fill_disk(db: str) -> dict[str, object]:
    desk = open_desk(db, "Capt Full")
    desk.clock = lambda: NOW
    saved = 0
    try:
        for _ in range(500):
            desk.register(make_request(notes="x" * 4000))
            saved += 1
    except Exception as exc:
        return {"saved": saved, "error": type(exc).__name__, "message": str(exc)}
    finally:
        desk.db.close()
    return {"saved": saved, "error": None, "message": ""}


@pytest.mark.slow
def test_file_size_limit_full_disk_loses_nothing(fresh_db: Path) -> None:
    start = len(snapshot(fresh_db))
    audit_before = len(audit_rows(fresh_db))
    res = run_forked(_fill_disk, str(fresh_db), rlimit_fsize=fresh_db.stat().st_size + 96_000)
    assert res["error"] == "DiskFull", res
    assert "nothing was saved" in str(res["message"])
    assert_sound(fresh_db)
    assert len(snapshot(fresh_db)) == start + res["saved"]
    assert len(audit_rows(fresh_db)) == audit_before + res["saved"]
