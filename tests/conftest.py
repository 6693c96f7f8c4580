"""Shared fixtures: real temporary database files, a fixed clock, record factories."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("KFOR_DESK_OPERATOR", "Capt Test")
os.environ.setdefault("KFOR_DESK_WORKSTATION", "test-ws")

from kfor_desk.services.desk import Desk, Operator
from kfor_desk.services.session import create_desk
from tests.factories import NOW


@pytest.fixture(autouse=True)
def _own_data_folder(tmp_path_factory: pytest.TempPathFactory,
                     monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own user data folder: the witnesses (head logs, key) of one test's
    databases never meet another's, and nothing lands in the real home."""
    folder = tmp_path_factory.mktemp("xdg-data")
    monkeypatch.setenv("XDG_DATA_HOME", str(folder))
    return folder


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "desk.db"


@pytest.fixture
def backend() -> str:
    """Which database the ``desk`` / ``db_location`` fixtures use. Here SQLite; the store,
    services and CLI suites override it with both ``sqlite`` and ``postgresql``."""
    return "sqlite"


@pytest.fixture
def db_location(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """Where a test's database lives: the SQLite file ``db_path``, or a fresh database on the
    test PostgreSQL server (``tests/pgserver.py``), dropped after the test."""
    if backend == "sqlite":
        yield str(tmp_path / "desk.db")
        return
    if "db_path" in request.fixturenames:
        pytest.skip("works on the SQLite file itself (db_path); SQLite only")
    from tests import pgserver

    url = pgserver.fresh_database()
    try:
        yield url
    finally:
        pgserver.drop_database(url)


@pytest.fixture
def desk(db_location: str) -> Iterator[Desk]:
    d = create_desk(db_location, Operator("Test", "Capt", "Duty Officer"))
    d.clock = lambda: NOW
    yield d
    d.db.close()
