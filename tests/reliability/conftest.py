"""The fault suite of ``shared/design/reliability.md``: counts its outcomes and prints one line,
``faults survived N/N, bad inputs handled M/M`` (R1–R10 faults, R11–R13 bad inputs)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kfor_desk.services.desk import Operator
from kfor_desk.services.session import create_desk
from tests.factories import NOW, make_notification, make_request

_CASE = re.compile(r"tests/reliability/test_r(\d\d)_")
_outcomes: dict[str, tuple[int, bool]] = {}  # nodeid -> (case number, passed)


def _case(nodeid: str) -> int | None:
    m = _CASE.search(nodeid.replace("\\", "/"))
    return int(m[1]) if m else None


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    case = _case(report.nodeid)
    if case is None or report.skipped:
        return
    if report.when == "call" or report.failed:
        ok = report.passed and _outcomes.get(report.nodeid, (case, True))[1]
        _outcomes[report.nodeid] = (case, ok)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _outcomes:
        return
    faults = [ok for case, ok in _outcomes.values() if 1 <= case <= 10]
    inputs = [ok for case, ok in _outcomes.values() if 11 <= case <= 13]
    terminalreporter.write_line(
        f"faults survived {sum(faults)}/{len(faults)}, "
        f"bad inputs handled {sum(inputs)}/{len(inputs)}")


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed database with a few records of both kinds, to copy (creating one costs the
    migrations each time)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    desk = create_desk(str(path), Operator("Template", "Capt", "Duty Officer"))
    desk.clock = lambda: NOW
    for i in range(3):
        desk.register(make_notification(name=f"Vežba {i}"))
        desk.register(make_request(description=f"Zadatak {i} — Zupče"))
    desk.db.close()
    return path


@pytest.fixture
def fresh_db(template_db: Path, tmp_path: Path) -> Iterator[Path]:
    from tests.reliability.helpers import copy_db

    yield copy_db(template_db, tmp_path / "desk.db")
