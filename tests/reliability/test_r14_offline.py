"""R14: the CLI with no network at all (``unshare -n``, or ``-rn`` for a user: a new network
namespace without even a loopback), with an audit hook that fails on any Python socket. Skipped,
with the reason (the command that failed and what it said), where no namespace can be made."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.offline import no_network

ROOT = Path(__file__).resolve().parents[2]
NO_SOCKETS = """
import sys
def hook(event, args):
    if event.startswith("socket.") and event != "socket.gethostname":
        raise SystemExit(f"socket opened: {event} {args!r}")
sys.addaudithook(hook)
from kfor_desk.cli import main
sys.exit(main(sys.argv[1:]))
"""


OFFLINE, REASON = no_network()


@pytest.mark.slow
@pytest.mark.skipif(not OFFLINE, reason=f"no network namespace here: {REASON}")
def test_cli_works_offline_without_sockets(tmp_path: Path) -> None:
    db = tmp_path / "offline.db"

    def run(*args: str) -> str:
        res = subprocess.run([*OFFLINE, sys.executable, "-c", NO_SOCKETS, "--db",
                              str(db), *args], capture_output=True, text=True, cwd=ROOT,
                             env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
        assert res.returncode == 0, (args, res.stdout, res.stderr)
        return res.stdout

    run("demo", "--records", "12")
    assert "ok: 12 records" in run("verify")
    run("export", str(tmp_path / "all.json"))
    run("export", str(tmp_path / "all.xlsx"))
    run("backup", str(tmp_path / "copy.db"))
    run("restore", str(tmp_path / "copy.db"))
    run("verify")


@pytest.mark.slow
@pytest.mark.gui
@pytest.mark.skipif(not OFFLINE, reason=f"no network namespace here: {REASON}")
def test_window_starts_offline_without_sockets(tmp_path: Path) -> None:
    """The window paints, opens a training database and shows its records with no network
    and no socket."""
    db = tmp_path / "offline.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen",
           "KFOR_DESK_OPERATOR": "Capt Offline", "KFOR_DESK_EXIT_AFTER_PAINT": "ready",
           "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data")}
    base = [*OFFLINE, sys.executable, "-c", NO_SOCKETS, "--db", str(db)]
    made = subprocess.run([*base, "demo", "--records", "20"], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120)
    assert made.returncode == 0, made.stderr
    res = subprocess.run(base, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert res.returncode == 0, (res.stdout, res.stderr)
    assert "KFOR_DESK_READY" in res.stdout, (res.stdout, res.stderr)  # the records were shown
    assert "socket opened" not in res.stderr and "Traceback" not in res.stderr
