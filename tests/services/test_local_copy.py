"""Offline continuity: a server desk leaves a verified local copy when its window closes;
when the server cannot be reached, the start offers that copy, which is marked
"LOCAL COPY — not shared" (the desk says so, and every brief's title carries it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from kfor_desk.cli import main
from kfor_desk.services import copying
from kfor_desk.services.desk import Operator
from kfor_desk.services.open_result import OpenResult
from kfor_desk.services.session import create_desk, open_desk
from kfor_desk.services.startup import Choice, StartupIO, describe, open_at_start
from kfor_desk.services.verify import verify
from kfor_desk.store.errors import ServerUnreachable
from tests import pgserver
from tests.factories import make_request


@pytest.fixture
def server_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setattr(copying, "local_copy_dir", lambda: tmp_path / "server-copies")
    url = pgserver.fresh_database()
    yield url
    pgserver.drop_database(url)


def test_closing_a_server_desk_leaves_a_marked_local_copy(server_db: str,
                                                          tmp_path: Path) -> None:
    with create_desk(server_db, "Capt Test") as desk:
        desk.register(make_request())
    result = OpenResult(open_desk(server_db, "Capt Test"), None)
    assert result.close() == []
    copy = copying.newest_local_copy(server_db)
    assert copy is not None and copy.parent == tmp_path / "server-copies"
    with open_desk(str(copy)) as local:
        assert verify(local.repo).ok
        assert (local.local_copy_of() or "").startswith("postgresql://")
    with open_desk(server_db) as server:
        assert server.local_copy_of() is None


def test_server_unreachable_offers_the_local_copy_marked_on_briefs(server_db: str,
                                                                   tmp_path: Path) -> None:
    with create_desk(server_db, "Capt Test") as desk:
        desk.register(make_request())
        copying.backup_server_desk(desk.db)
    copy = copying.newest_local_copy(server_db)
    assert copy is not None
    down = ServerUnreachable(f"cannot reach the database server {server_db}")
    problem = describe(down, server_db)
    assert Choice.LOCAL_COPY in problem.choices and problem.backup == str(copy)
    assert "LOCAL COPY — not shared" in problem.advice

    def opener(location: str, operator: Operator, **_kw: object) -> object:
        if location == server_db:
            raise down
        return OpenResult(open_desk(location, operator), None)

    asked: list[str] = []

    def ask(p: object) -> Choice:
        asked.append(getattr(p, "kind", ""))
        return Choice.LOCAL_COPY

    io = StartupIO(ask, lambda _s: None, lambda _s: None, lambda _p, _o: None)
    opened = open_at_start(server_db, Operator("Test"), io, opener=opener)
    assert opened is not None and asked == ["server_unreachable"]
    try:
        assert opened.location == str(copy) and opened.desk.local_copy_of()
        assert any("LOCAL COPY" in w for w in opened.result.warnings)
    finally:
        opened.result.close(backup=False)
    pdf = tmp_path / "daily.pdf"
    assert main(["--db", str(copy), "brief", "daily", str(pdf)]) == 0
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "LOCAL COPY — not shared" in text


def test_without_a_local_copy_only_retry_is_offered(server_db: str) -> None:
    problem = describe(ServerUnreachable("cannot reach the database server"), server_db)
    assert Choice.LOCAL_COPY not in problem.choices and problem.default is Choice.RETRY
