"""Records written in bulk (an import) are stored as one-by-one creation stores them: the same
row values as the ORM path, each record read back unchanged, its audit entry the changes and
state hash of the record as stored, its search text that of the record with its number; on
SQLite a large import into a small database builds its indexes at the end. On SQLite and a real
PostgreSQL server."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy import text as sql

from kfor_desk.domain.enums import Band, Municipality, Purpose, RequestStatus, Side
from kfor_desk.domain.exchange import diff, state_hash
from kfor_desk.domain.exchange_record_texts import record_texts
from kfor_desk.domain.records import AblRelation, Decision, Location, Record
from kfor_desk.domain.search import haystack
from kfor_desk.services.desk import Desk
from kfor_desk.services.verify import verify
from kfor_desk.store import audit, bulk_records, repository
from kfor_desk.store.bulk_records import (
    L_COLUMNS,
    N_COLUMNS,
    R_COLUMNS,
    location_rows,
    notification_row,
    request_row,
)
from kfor_desk.store.types import to_db_text
from tests.factories import NOW, make_notification, make_request

_ABL = AblRelation(3.25, Side.KOSOVO, Band.GROUND)


def _records() -> list[Record]:
    full = make_notification(
        name="Вежба Копаоник", register_no="SAF-2026-0900", air_assets="2x Mi-17",
        acknowledged_at=NOW - timedelta(hours=2), disseminated_at=NOW - timedelta(hours=1),
        disseminated_to="JOC, MNBG-E", notes="line one\nline two",
        locations=(Location(name="A", lat=42.9, lon=20.8, position="34TDN4000050000",
                            uncertainty_m=1.0, abl=_ABL),
                   Location(name="B", lat=42.95, lon=20.85, radius_m=500)))
    decided = make_request(
        municipalities=(Municipality.ZVECAN, Municipality.LEPOSAVIC), route="via Jarinje",
        purpose=Purpose.TRAINING, status=RequestStatus.GRANTED_WITH_CONDITIONS,
        review_started_at=NOW - timedelta(hours=4), recommendation="approve",
        recommended_at=NOW - timedelta(hours=3),
        decision=Decision("COM KFOR", NOW - timedelta(hours=2), "no weapons", "routine",
                          NOW - timedelta(hours=1), "JIC"))
    return [make_notification(), full, make_request(), decided,
            make_notification(name="Given", register_no="SAF-2026-0950")]


def _db(values: dict[str, Any]) -> dict[str, Any]:
    return {k: to_db_text(v) if isinstance(v, datetime) else v for k, v in values.items()}


def test_row_tuples_are_the_orm_values() -> None:
    odd_times = [  # microseconds, another offset: formatted the long way
        make_notification(received_at=NOW.replace(microsecond=250),
                          start=(NOW + timedelta(days=1)).astimezone(timezone(timedelta(hours=2)))),
        make_request(decision=Decision("COM", NOW.replace(microsecond=1), "", "", NOW, ""))]
    for rec in _records() + odd_times:
        numbered = replace(rec, register_no=rec.register_no or "X-1")
        expected = _db(repository._values(numbered) | {"id": 7, "version": 1})
        text = repository.search_text(numbered)
        times: dict[str, str] = {}  # as the import passes them: formatted for the audit texts
        record_texts(rec, numbered.register_no, times)
        assert times  # the whole-second UTC ones
        for given in (None, times):
            if rec.kind.value == "SAF":
                got = dict(zip(N_COLUMNS, notification_row(
                    rec, 7, numbered.register_no or "", text, given), strict=True))
                owner = "n"
            else:
                got = dict(zip(R_COLUMNS, request_row(
                    rec, 7, numbered.register_no or "", text, given), strict=True))
                owner = "r"
            assert got == expected
        assert [dict(zip(L_COLUMNS, row, strict=True)) for row in
                location_rows(rec.locations, owner, 7)] == [
            repository._loc_values(loc, i, owner, 7) for i, loc in enumerate(rec.locations)]


def test_stored_as_created(desk: Desk) -> None:
    records = _records()
    regnos, head = desk.repo.bulk_create(records, desk.actor, "import", at=NOW)
    assert head == desk.repo.chain_head()
    assert "SAF-2026-0900" in regnos and "SAF-2026-0950" in regnos
    for rec, regno in zip([r for r in records if r.kind.value == "SAF"]
                          + [r for r in records if r.kind.value == "KSF"], regnos,
                          strict=True):
        stored = desk.repo.get(regno)
        assert stored == replace(rec, id=stored.id, register_no=regno, version=1)
        (entry,) = desk.repo.history(regno)
        assert entry.action == "import" and entry.state_hash == state_hash(stored)
        assert list(entry.changes) == diff(None, stored)
        table = repository.N_TABLE if regno.startswith("SAF") else repository.R_TABLE
        with desk.db.read() as conn:
            text = conn.execute(select(table.c.search_text).where(
                table.c.register_no == regno)).scalar_one()
        assert text == haystack(stored) and regno.lower() in text


def _indexes(desk: Desk) -> list[tuple[Any, ...]]:
    with desk.db.read() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type = 'index' "
            "ORDER BY name")]


def _many(n: int) -> list[Record]:
    return [make_notification(name=f"N {i}", personnel=i) if i % 3 else
            make_request(requesting_unit=f"U {i}") for i in range(n)]


def test_large_import_into_a_small_database_keeps_its_indexes(
        desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite: the plain indexes are made once at the end of a large import (same schema after
    it, every index whole); a failed one leaves them, and nothing else, as they were."""
    if not desk.db.target.is_sqlite:
        pytest.skip("a server keeps its indexes during an import")
    monkeypatch.setattr(bulk_records, "DEFER_INDEXES_FROM", 10)
    monkeypatch.setattr(bulk_records, "BULK_CHUNK", 7)
    before = _indexes(desk)
    assert any(name == "ix_notifications_start" for _, name, _, _ in before)
    dropped: list[list[str]] = []
    real_drop = bulk_records._drop_indexes
    monkeypatch.setattr(bulk_records, "_drop_indexes",
                        lambda conn, n: dropped.append(real_drop(conn, n)) or dropped[-1])

    regnos, _ = desk.repo.bulk_create(_many(30), desk.actor, "import", at=NOW)
    assert len(regnos) == 30
    assert len(dropped[0]) == 13  # the plain indexes of the four tables were made at the end
    assert _indexes(desk) == before
    with desk.db.read() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT id FROM notifications WHERE start > '2026'"))
        assert "ix_notifications_start" in plan
    assert verify(desk.repo).ok

    # a second import as large as the first: the indexes stay, rows go in one by one
    desk.repo.bulk_create(_many(20), desk.actor, "import", at=NOW)
    assert dropped[1] == [] and _indexes(desk) == before

    # a failed large import (the last part's audit entries refused): nothing changed
    real_append = audit.append
    calls = {"n": 0}

    def failing(conn: Any, actor: Any, entries: Any, *, announce: bool = True) -> str:
        calls["n"] += 1
        if announce:
            raise RuntimeError("disk gone")
        return real_append(conn, actor, entries, announce=announce)

    monkeypatch.setattr(audit, "append", failing)
    head = desk.repo.chain_head()
    with pytest.raises(RuntimeError):
        desk.repo.bulk_create(_many(200), desk.actor, "import", at=NOW)
    assert calls["n"] > 1 and len(dropped[2]) == 13
    assert _indexes(desk) == before and desk.repo.chain_head() == head
    assert desk.repo.count_records() == 50

    # a file with planner statistics keeps its indexes (a dropped one would lose its rows)
    monkeypatch.setattr(audit, "append", real_append)
    with desk.db.write() as conn:
        conn.exec_driver_sql("ANALYZE")
    desk.repo.bulk_create(_many(300), desk.actor, "import", at=NOW)
    assert dropped[3] == [] and _indexes(desk) == before


def test_verify_names_an_imported_record_changed_behind_the_app(desk: Desk) -> None:
    """Each imported record keeps its own audit entry: a record of a large import edited with
    plain SQL afterwards is named by verify, the others are not."""
    regnos, _ = desk.repo.bulk_create(_many(40), desk.actor, "import", at=NOW)
    assert verify(desk.repo).ok
    victim = next(r for r in regnos if r.startswith("KSF"))
    with desk.db.write() as conn:
        conn.execute(sql("UPDATE requests SET point_of_contact = 'Someone else' "
                          "WHERE register_no = :r"), {"r": victim})
    report = verify(desk.repo)
    said = " ".join(report.problems)
    assert not report.ok and victim in said
    assert not any(r in said for r in regnos if r != victim)
