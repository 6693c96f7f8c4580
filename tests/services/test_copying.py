"""``copy DEST`` and the local copy of a server desk: SQLite → PostgreSQL → SQLite gives the
same export, the same settings and marks, and a trail that verifies with the same head."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from kfor_desk.cli import main
from kfor_desk.domain.records import Location
from kfor_desk.services.conflicts import mark_deconflicted
from kfor_desk.services.copying import backup_server_desk, copy_desk, newest_local_copy
from kfor_desk.services.demo import create_demo
from kfor_desk.services.desk import Desk
from kfor_desk.services.exchange import export_document
from kfor_desk.services.session import open_desk
from kfor_desk.services.verify import verify
from kfor_desk.store.conflict_marks import ConflictMarks
from kfor_desk.store.errors import DatabaseExists
from tests import pgserver
from tests.factories import NOW, make_notification, make_request


@pytest.fixture
def server_db() -> Iterator[str]:
    url = pgserver.fresh_database()
    yield url
    pgserver.drop_database(url)


def _state(desk: Desk) -> tuple[object, ...]:
    doc = export_document(desk)
    doc.pop("exported_at")
    return (doc, desk.settings(), ConflictMarks(desk.db).all(), desk.chain_head(),
            desk.repo.meta())


def _source(path: Path) -> Desk:
    desk = create_demo(str(path), 40)
    desk.clock = lambda: NOW
    n = desk.register(make_notification(locations=(Location(name="a", lat=43.0, lon=20.8),)))
    r = desk.register(make_request(start=n.record.start + timedelta(hours=1),
                                   end=n.record.start + timedelta(hours=5),
                                   locations=(Location(name="b", lat=43.01, lon=20.81),)))
    mark_deconflicted(desk, n.record.register_no or "", r.record.register_no or "",
                      "moved by two hours")
    desk.save_settings(replace(desk.settings(), classification="NATO RESTRICTED",
                               conflict_distance_km=7.5))
    return desk


def test_sqlite_to_server_and_back_is_the_same_desk(tmp_path: Path, server_db: str) -> None:
    with _source(tmp_path / "a.db") as a:
        before = _state(a)
        report = copy_desk(a.db, server_db)
        assert report.records == 42 and report.chain_head == before[3]
    with open_desk(server_db) as s:
        assert _state(s) == before and verify(s.repo).ok
        s.register(make_notification())  # the server desk goes on numbering after the copy
        after_server = _state(s)
        copy_desk(s.db, str(tmp_path / "b.db"))
    with open_desk(str(tmp_path / "b.db")) as b:
        assert _state(b) == after_server and verify(b.repo).ok


def test_destination_with_records_is_refused_untouched(tmp_path: Path, server_db: str,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    with _source(tmp_path / "a.db") as a:
        copy_desk(a.db, server_db)
        with open_desk(server_db) as s:
            head = s.chain_head()
        with pytest.raises(DatabaseExists, match="already holds records"):
            copy_desk(a.db, server_db)
        other = tmp_path / "other.db"
        assert main(["--db", str(other), "demo", "--records", "3"]) == 0
        before = other.read_bytes()
        assert main(["--db", str(tmp_path / "a.db"), "copy", str(other)]) == 1
        assert "already holds records" in capsys.readouterr().err
        assert other.read_bytes() == before
    with open_desk(server_db) as s:
        assert s.chain_head() == head


def test_backup_of_a_server_desk_is_a_verified_local_desk(tmp_path: Path, server_db: str,
                                                           capsys: pytest.CaptureFixture[str]
                                                           ) -> None:
    with _source(tmp_path / "a.db") as a:
        copy_desk(a.db, server_db)
        want = _state(a)
    folder = tmp_path / "copies"
    folder.mkdir()
    assert main(["--db", server_db, "backup", str(folder)]) == 0
    assert "verified" in capsys.readouterr().out
    out = newest_local_copy(server_db, folder)
    assert out is not None and out.stat().st_mode & 0o077 == 0
    with open_desk(str(out)) as local:
        got = _state(local)
        meta = got[4]
        assert str(meta.pop("local_copy_of")).startswith("postgresql://")  # type: ignore[attr-defined]
        assert meta.pop("desk_id") != want[4].pop("desk_id")  # type: ignore[attr-defined]
        assert got == want and verify(local.repo).ok
    with open_desk(server_db) as s, pytest.raises(DatabaseExists):
        backup_server_desk(s.db, out)
