"""Is the process that left a marker still running? Asked without harming it, on every OS."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kfor_desk.services import instance
from kfor_desk.services.backups import backups_paused
from kfor_desk.services.instance import _hostname, process_alive


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_this_process_runs_and_a_finished_one_does_not() -> None:
    assert process_alive(os.getpid())
    assert not process_alive(_dead_pid())
    assert not process_alive(0) and not process_alive(-5)


def test_a_restore_marker_left_by_a_dead_process_does_not_pause_backups(tmp_path: Path) -> None:
    db = tmp_path / "desk.db"
    marker = Path(str(db) + ".restoring")
    marker.write_text(f"{_dead_pid()} {_hostname()}\n", encoding="utf-8")
    assert not backups_paused(db)
    parent = os.getppid()  # running, and not this process
    marker.write_text(f"{parent} {_hostname()}\n", encoding="utf-8")
    assert backups_paused(db)


class _FakeKernel32:
    """Just enough of kernel32 for process_alive (records what was asked)."""

    def __init__(self, exit_code: int | None) -> None:
        self.exit_code = exit_code
        self.closed = 0

    def OpenProcess(self, access: int, inherit: bool, pid: int) -> int:
        return 0 if self.exit_code is None else 42

    def GetExitCodeProcess(self, handle: int, out: Any) -> int:
        out._obj.value = self.exit_code
        return 1

    def CloseHandle(self, handle: int) -> int:
        self.closed += 1
        return 1


@pytest.mark.parametrize(("exit_code", "last_error", "alive"), [
    (259, 0, True),     # STILL_ACTIVE
    (0, 0, False),      # it has ended
    (None, 87, False),  # no such process (ERROR_INVALID_PARAMETER)
    (None, 5, True),    # access denied: it exists
])
def test_on_windows_it_asks_the_kernel_and_never_calls_os_kill(
        monkeypatch: pytest.MonkeyPatch, exit_code: int | None, last_error: int,
        alive: bool) -> None:
    kernel = _FakeKernel32(exit_code)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(ctypes, "WinDLL", lambda *_a, **_k: kernel, raising=False)
    monkeypatch.setattr(ctypes, "get_last_error", lambda: last_error, raising=False)

    def no_kill(*_a: object) -> None:  # os.kill(pid, 0) terminates a process on Windows
        raise AssertionError("os.kill called on Windows")

    monkeypatch.setattr(instance.os, "kill", no_kill)
    assert process_alive(1234) is alive
    assert kernel.closed == (0 if exit_code is None else 1)
