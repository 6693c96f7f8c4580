"""The officer offered at a start with fresh settings: who made the desk's newest audit entry,
read without creating, upgrading or writing anything."""

from __future__ import annotations

import getpass
from pathlib import Path

import pytest

from kfor_desk.services.demo import create_demo
from kfor_desk.services.desk import Operator
from kfor_desk.services.session import create_desk, last_officer
from tests.factories import NOW, make_notification


def test_the_officer_of_the_newest_entry(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    desk = create_demo(str(path), 3, now=NOW, operator=Operator("Demo", "Capt", "Duty Officer"))
    desk.set_operator(Operator("A. Jones", "Maj", "JOC Duty Officer"))
    desk.register(make_notification())
    desk.close()
    before = path.read_bytes()
    officer = last_officer(str(path))
    assert officer == Operator("Maj A. Jones", "", "JOC Duty Officer")
    assert officer.display == "Maj A. Jones (JOC Duty Officer)"  # as the trail has it
    assert path.read_bytes() == before


@pytest.mark.parametrize("text", ["Capt J. Smith (Duty Officer)", "J. Smith",
                                  "Maj A (liaison) (JOC DO)", "Lt  Day"])
def test_an_entrys_officer_reads_back_to_the_same_text(text: str) -> None:
    assert Operator.from_display(text).display == " ".join(text.split())


def test_nothing_to_offer(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    assert last_officer(str(missing)) is None
    assert not missing.exists()  # never created
    foreign = tmp_path / "notes.db"
    foreign.write_bytes(b"not a database at all" * 100)
    assert last_officer(str(foreign)) is None
    assert foreign.read_bytes() == b"not a database at all" * 100
    assert last_officer("postgresql://desk@127.0.0.1:1/kfor") is None  # a server: not reached
    bare = tmp_path / "bare.db"
    desk = create_desk(str(bare), Operator(getpass.getuser()))
    assert last_officer(str(bare)) is None  # an empty trail
    desk.register(make_notification())  # nobody named: the OS login wrote it
    desk.close()
    assert last_officer(str(bare)) is None
