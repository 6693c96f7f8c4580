"""R8: every command that writes takes the instance lock (issue 13). A restore that starts
while an import is running is refused, naming the import's process, and changes nothing; the
import then lands whole in the live file (before: the restore replaced the file under the
import, which then reported records that the live database never had)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kfor_desk.cli import main
from kfor_desk.domain.exchange import request_to_dict
from kfor_desk.services.backups import make_backup
from kfor_desk.services.instance import InstanceLock, read_holder
from tests.factories import make_request
from tests.reliability.helpers import assert_sound, snapshot

ROOT = Path(__file__).resolve().parents[2]


def test_restore_racing_a_running_import_is_refused(fresh_db: Path, tmp_path: Path) -> None:
    backup = make_backup(fresh_db, "manual").path
    records = []
    for i in range(50):
        d = request_to_dict(make_request(description=f"imported {i}"))
        d.pop("register_no")
        records.append(d)
    doc = json.dumps({"format": "kfor-desk/1", "consent_requests": records})
    fifo = tmp_path / "import.json"
    os.mkfifo(fifo)  # the import blocks reading it: it is running, holding what it holds
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    importing = subprocess.Popen([sys.executable, "-m", "kfor_desk", "--db", str(fresh_db),
                                  "import", str(fifo)], cwd=ROOT, env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lock_file = Path(str(fresh_db) + ".lock")
        while (holder := read_holder(lock_file.read_text() if lock_file.exists() else "")
               ) is None or holder.pid != importing.pid:
            assert importing.poll() is None, importing.communicate()
        before = hashlib.sha256(fresh_db.read_bytes()).hexdigest()
        restoring = subprocess.run([sys.executable, "-m", "kfor_desk", "--db", str(fresh_db),
                                    "restore", str(backup)], cwd=ROOT, env=env,
                                   capture_output=True, text=True, timeout=120)
        assert restoring.returncode == 1
        assert f"kfor-desk import (process {importing.pid}" in restoring.stderr
        assert "nothing was changed" in restoring.stderr
        assert hashlib.sha256(fresh_db.read_bytes()).hexdigest() == before
        assert importing.poll() is None  # the import was running all along
        with open(fifo, "w", encoding="utf-8") as fh:
            fh.write(doc)
        out, err = importing.communicate(timeout=120)
    finally:
        if importing.poll() is None:
            importing.kill()
            importing.communicate()
    assert importing.returncode == 0, err
    assert "imported 50 record(s)" in out
    assert len(snapshot(fresh_db)) == 6 + 50  # the live file has them
    assert_sound(fresh_db)


@pytest.mark.parametrize("command", [["import", "x.json"], ["demo", "--records", "3"],
                                     ["init"], ["restore", "b.db"]])
def test_a_writer_finding_the_lock_taken_says_who_and_changes_nothing(
        tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "desk.db"
    (tmp_path / "x.json").write_text('{"format": "kfor-desk/1"}', encoding="utf-8")
    if command[0] in ("import", "restore"):
        assert main(["--db", str(db), "init"]) == 0
        make_backup(db, "manual").path.rename(tmp_path / "b.db")
        command = [c if not c.endswith((".json", ".db")) else str(tmp_path / c)
                   for c in command]
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    with InstanceLock.acquire(db):
        assert main(["--db", str(db), *command]) == 1
        err = capsys.readouterr().err
        assert f"process {os.getpid()}" in err and "nothing was changed" in err
        after = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()
                 and not p.name.endswith(".lock")}
    assert after == {k: v for k, v in before.items() if not k.endswith(".lock")}
