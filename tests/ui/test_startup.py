"""Start-up with each kind of bad database, and the first start: the operator always gets a
dialog with what to do (driven here by injected answers and by qtbot), never a traceback and
never a silently created file."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kfor_desk.services.demo import create_demo
from kfor_desk.services.desk import Operator
from kfor_desk.services.session import create_desk
from kfor_desk.ui.startup import (
    Choice,
    Opened,
    StartupDialog,
    StartupIO,
    StartupProblem,
    describe,
    first_start,
    open_at_start,
)

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]

OP = Operator("Test", "Capt", "Duty Officer")


def scripted(*answers: Choice, pick: str | None = None, new: str | None = None) -> StartupIO:
    queue = list(answers)

    def ask(_problem: StartupProblem) -> Choice:
        return queue.pop(0) if queue else Choice.QUIT

    def make_training(path: str, operator: Operator) -> None:
        create_demo(path, 12, operator=operator).db.close()

    return StartupIO(ask, lambda _start: pick, lambda _suggested: new, make_training)


def close(opened: Opened | None) -> None:
    if opened is not None:
        opened.result.close(backup=False)


@pytest.fixture
def good_db(tmp_path: Path) -> Path:
    path = tmp_path / "good.db"
    create_desk(str(path), OP).db.close()
    return path


@pytest.fixture
def newer_db(tmp_path: Path) -> Path:
    path = tmp_path / "newer.db"
    create_desk(str(path), OP).db.close()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = 'f00dfacef00d'")
    con.commit()
    con.close()
    return path


@pytest.fixture
def garbage_db(tmp_path: Path) -> Path:
    path = tmp_path / "garbage.db"
    path.write_bytes(b"this is a shopping list, not a database\n" * 200)
    return path


@pytest.fixture
def locked_db(good_db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    import kfor_desk.store.engine as store_engine

    monkeypatch.setattr(store_engine, "BUSY_TIMEOUT_MS", 50)
    con = sqlite3.connect(good_db, isolation_level=None)
    con.execute("PRAGMA locking_mode=EXCLUSIVE")
    con.execute("BEGIN EXCLUSIVE")
    yield good_db
    con.execute("ROLLBACK")
    con.close()


def _bytes(path: Path) -> bytes:
    return path.read_bytes()


@pytest.mark.parametrize(("fixture", "kind"), [
    ("missing", "missing"),
    ("garbage_db", "not_a_database"),
    ("newer_db", "newer"),
    ("locked_db", "locked"),
])
def test_bad_database_gets_a_dialog_and_quit_changes_nothing(
        request: pytest.FixtureRequest, tmp_path: Path, fixture: str, kind: str) -> None:
    path = tmp_path / "nowhere" / "missing.db" if fixture == "missing" \
        else request.getfixturevalue(fixture)
    before = _bytes(path) if path.exists() else None
    io = scripted(Choice.QUIT)
    opened = open_at_start(str(path), OP, io)
    assert opened is None
    assert [p.kind for p in io.shown] == [kind]
    problem = io.shown[0]
    assert problem.message and problem.advice and Choice.QUIT in problem.choices
    assert "Traceback" not in problem.message
    if before is None:
        assert not path.exists() and not path.parent.exists()  # nothing created
    else:
        assert _bytes(path) == before  # left untouched


def test_bad_database_then_open_another(garbage_db: Path, good_db: Path) -> None:
    io = scripted(Choice.OPEN, pick=str(good_db))
    opened = open_at_start(str(garbage_db), OP, io)
    assert opened is not None and opened.location == str(good_db) and not opened.created
    close(opened)


def test_locked_then_retry_after_release(good_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kfor_desk.store.engine as store_engine

    monkeypatch.setattr(store_engine, "BUSY_TIMEOUT_MS", 50)
    con = sqlite3.connect(good_db, isolation_level=None)
    con.execute("PRAGMA locking_mode=EXCLUSIVE")
    con.execute("BEGIN EXCLUSIVE")

    def ask(problem: StartupProblem) -> Choice:
        assert problem.kind == "locked"
        con.execute("ROLLBACK")
        con.close()  # the other program lets go
        return Choice.RETRY

    io = StartupIO(ask, lambda _s: None, lambda _s: None, lambda _p, _o: None)
    opened = open_at_start(str(good_db), OP, io)
    assert opened is not None
    close(opened)


def test_first_start_offers_new_open_training(tmp_path: Path) -> None:
    default = tmp_path / "data" / "kfor-desk.db"
    seen: list[StartupProblem] = []

    def ask(problem: StartupProblem) -> Choice:
        seen.append(problem)
        return Choice.NEW

    io = StartupIO(ask, lambda _s: None, lambda suggested: suggested, lambda _p, _o: None)
    opened = open_at_start(str(default), OP, io, first_start_if_missing=True)
    assert seen[0].kind == "first_start"
    assert set(seen[0].choices) >= {Choice.NEW, Choice.OPEN, Choice.TRAINING}
    assert opened is not None and opened.created and default.exists()
    assert not opened.desk.is_training()
    close(opened)


def test_first_start_training_database(tmp_path: Path) -> None:
    target = tmp_path / "training.db"
    io = scripted(Choice.TRAINING, new=str(target))
    opened = open_at_start(str(tmp_path / "kfor-desk.db"), OP, io, first_start_if_missing=True)
    assert opened is not None and opened.location == str(target)
    assert opened.desk.is_training()
    notes, reqs = opened.desk.repo.all_records()
    assert len(notes) + len(reqs) == 12
    close(opened)
    assert not (tmp_path / "kfor-desk.db").exists()


def test_new_database_never_overwrites(good_db: Path, tmp_path: Path) -> None:
    before = _bytes(good_db)
    io = scripted(Choice.NEW, Choice.QUIT, new=str(good_db))
    opened = open_at_start(str(tmp_path / "kfor-desk.db"), OP, io, first_start_if_missing=True)
    assert opened is None
    assert [p.kind for p in io.shown] == ["first_start", "store"]
    assert "never overwrites" in io.shown[1].message
    assert _bytes(good_db) == before


def test_an_unexpected_error_is_a_dialog_too(tmp_path: Path) -> None:
    def broken(_location: str, _op: Operator, **_kw: object) -> object:
        raise RuntimeError("boom")

    io = scripted(Choice.QUIT)
    assert open_at_start(str(tmp_path / "x.db"), OP, io, opener=broken) is None  # type: ignore[arg-type]
    assert io.shown[0].kind == "unexpected"


def test_the_dialog_shows_the_problem_and_emits_the_choice(qtbot: QtBot,
                                                           garbage_db: Path) -> None:
    from kfor_desk.store.errors import NotADatabase

    problem = describe(NotADatabase(f"{garbage_db} is not a KFOR Desk database"),
                       str(garbage_db))
    dlg = StartupDialog(problem)
    qtbot.addWidget(dlg)
    dlg.open()
    qtbot.waitExposed(dlg)
    from PySide6.QtWidgets import QLabel

    message = dlg.findChild(QLabel, "startupMessage")
    assert message is not None and str(garbage_db) in message.text()
    assert "backup" in dlg.findChild(QLabel, "startupAdvice").text()  # type: ignore[union-attr]
    with qtbot.waitSignal(dlg.chosen) as blocker:
        qtbot.mouseClick(dlg.buttons[Choice.OPEN], Qt.MouseButton.LeftButton)
    assert blocker.args == [Choice.OPEN]
    assert not dlg.isVisible()


def test_escape_in_the_dialog_means_quit(qtbot: QtBot, tmp_path: Path) -> None:
    dlg = StartupDialog(first_start(str(tmp_path / "k.db")))
    qtbot.addWidget(dlg)
    dlg.open()
    qtbot.waitExposed(dlg)
    assert dlg.buttons[Choice.NEW].isDefault()
    with qtbot.waitSignal(dlg.chosen) as blocker:
        qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert blocker.args == [Choice.QUIT]
