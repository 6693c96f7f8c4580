"""The server lost in the middle of a save: the transaction is gone whole (nothing
half-written), the operator gets one sentence, and the desk works again when it is back."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import psycopg
import pytest

from kfor_desk.services.session import create_desk
from kfor_desk.services.verify import verify
from kfor_desk.store.db import WRITE_LOCK
from kfor_desk.store.errors import ServerUnreachable
from tests import pgserver
from tests.factories import make_notification


@pytest.fixture
def server_db() -> Iterator[str]:
    url = pgserver.fresh_database()
    yield url
    pgserver.drop_database(url)


def test_connection_cut_during_a_save(server_db: str) -> None:
    raw = server_db.replace("+psycopg", "")
    with create_desk(server_db, "Capt Test") as desk:
        desk.register(make_notification())
        outcome: list[BaseException | None] = []
        with psycopg.connect(raw) as holder:
            holder.execute(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")  # the save waits
            saving = threading.Thread(target=lambda: outcome.append(_save(desk)))
            saving.start()
            victim = None
            for _ in range(600):  # the save is inside its transaction, waiting for the lock
                row = holder.execute(
                    "SELECT a.pid FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid "
                    "WHERE l.locktype = 'advisory' AND NOT l.granted AND a.datname = "
                    "current_database()").fetchone()
                if row:
                    victim = row[0]
                    break
                time.sleep(0.05)
            assert victim is not None
            with psycopg.connect(raw, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (victim,))
            saving.join(60)
        assert isinstance(outcome[0], ServerUnreachable)
        assert "cannot reach the database server" in str(outcome[0])
        assert "\n" not in str(outcome[0])
        report = verify(desk.repo)  # the pool hands out a fresh connection: back at work
        assert report.ok and report.records == 1 and report.audit_entries == 1
        assert desk.register(make_notification()).record.register_no == "SAF-2026-0002"


def _save(desk: object) -> BaseException | None:
    try:
        desk.register(make_notification())  # type: ignore[attr-defined]
    except BaseException as exc:
        return exc
    return None
