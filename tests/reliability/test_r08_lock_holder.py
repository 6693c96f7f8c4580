"""R8, who holds the lock: the refusal names the holder as it is — a window, or a command of
the command line with its process and start time — and says what to do next."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kfor_desk.cli import main
from kfor_desk.services.errors import DatabaseInUse
from kfor_desk.services.instance import InstanceLock
from kfor_desk.services.opening import open_checked
from kfor_desk.services.startup import describe


def _init(db: Path) -> None:
    assert main(["--db", str(db), "init"]) == 0


def test_a_command_holding_the_lock_is_named_with_what_to_do(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "desk.db"
    _init(db)
    capsys.readouterr()
    with InstanceLock.acquire(db, "kfor-desk import"):
        assert main(["--db", str(db), "demo", "--records", "2"]) == 1
        err = capsys.readouterr().err
        assert f"kfor-desk import (process {os.getpid()} on " in err, err
        assert "started " in err and "Z" in err  # its start as a DTG, local time beside
        assert "is writing to it; wait until it has finished" in err
        assert "another KFOR Desk window" not in err and "nothing was changed" in err
        with pytest.raises(DatabaseInUse) as caught:  # the window, at start
            open_checked(db, "Capt Test", start_backup=False)
        problem = describe(caught.value, str(db))
        assert "kfor-desk import" in problem.message
        assert problem.advice.startswith("Wait until kfor-desk import has finished")
        assert "window" not in problem.advice


def test_a_window_holding_the_lock_is_named_as_a_window(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "desk.db"
    _init(db)
    capsys.readouterr()
    first = open_checked(db, "Capt First", start_backup=False)
    try:
        assert main(["--db", str(db), "demo", "--records", "2"]) == 1
        err = capsys.readouterr().err
        assert f"already open in another KFOR Desk window (process {os.getpid()}" in err, err
        assert "switch to that window, or close it" in err
        with pytest.raises(DatabaseInUse) as caught:
            open_checked(db, "Capt Second", start_backup=False)
        assert "close that one" in describe(caught.value, str(db)).advice
    finally:
        first.close(backup=False)


def test_a_running_import_is_named_by_a_restore_in_another_process(tmp_path: Path) -> None:
    """Two real processes: the lock file says which command the other one runs."""
    db = tmp_path / "desk.db"
    _init(db)
    root = Path(__file__).resolve().parents[2]
    child = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\n"
         "from pathlib import Path\n"
         "from kfor_desk.services.instance import InstanceLock\n"
         "lock = InstanceLock.acquire(Path(sys.argv[1]), 'kfor-desk import')\n"
         "print('held', flush=True)\n"
         "sys.stdin.readline()\n", str(db)],
        cwd=root, env={**os.environ, "PYTHONPATH": str(root)}, stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "held"
        with pytest.raises(DatabaseInUse) as caught:
            InstanceLock.acquire(db, "kfor-desk restore")
        assert f"kfor-desk import (process {child.pid} on " in str(caught.value)
        assert caught.value.command == "kfor-desk import"
    finally:
        child.communicate("\n", timeout=60)
    InstanceLock.acquire(db).release()  # gone with its process
