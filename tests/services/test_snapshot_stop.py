"""The window's second step stops between its reads and its derived work when asked
(``should_stop``): ``Stopped``, nothing returned, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from kfor_desk.services.demo import create_demo
from kfor_desk.services.errors import Stopped
from kfor_desk.services.snapshot import complete, read_snapshot, read_whole
from tests.factories import NOW


class Asked:
    def __init__(self, after: int | None = None) -> None:
        self.after = after
        self.calls = 0

    def __call__(self) -> bool:
        self.calls += 1
        return self.after is not None and self.calls >= self.after


@pytest.mark.parametrize("after", [1, 2])
def test_the_whole_read_stops_between_its_reads(tmp_path: Path, after: int) -> None:
    desk = create_demo(str(tmp_path / "d.db"), 30, now=NOW)
    desk.clock = lambda: NOW
    try:
        asked = Asked(after)
        with pytest.raises(Stopped):
            read_whole(desk, asked)
        assert asked.calls == after
        whole = read_whole(desk, Asked())  # the desk reads as before afterwards
        assert len(whole.records) == 30
    finally:
        desk.close()


def test_the_conflict_report_stops_and_otherwise_matches(tmp_path: Path) -> None:
    desk = create_demo(str(tmp_path / "d.db"), 30, now=NOW)
    desk.clock = lambda: NOW
    try:
        whole = read_whole(desk)
        with pytest.raises(Stopped):
            complete(desk, whole, Asked(1))
        asked = Asked()
        snap = complete(desk, whole, asked)
        assert asked.calls > 0
        assert snap.report == read_snapshot(desk).report
        assert snap.report.conflicts  # the demo has conflicts
    finally:
        desk.close()
