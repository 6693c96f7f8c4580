"""The conflict sweep stops when its caller asks (the window closed, a newer refresh): it asks
``should_stop`` between chunks of its work, never per pair, and ends with ``Stopped``."""

from __future__ import annotations

import pytest

from kfor_desk.domain.conflicts import apply_marks, attention_flags, find_conflicts, sweep
from kfor_desk.domain.errors import Stopped, is_user_error
from kfor_desk.domain.records import Record
from tests.domain.test_conflicts import AS_OF, at, ksf, saf


def crowd(n: int) -> list[Record]:
    """``n`` SAF and ``n`` KSF activities at one time and place: n² conflicting pairs."""
    return [*(saf(i, at(0.01 * i)) for i in range(1, n + 1)),
            *(ksf(i, at(0.01 * i)) for i in range(1, n + 1))]


class Asked:
    """A ``should_stop`` that says yes from its ``after``-th question on."""

    def __init__(self, after: int | None = None) -> None:
        self.after = after
        self.calls = 0

    def __call__(self) -> bool:
        self.calls += 1
        return self.after is not None and self.calls >= self.after


def test_the_sweep_gives_the_same_answer_when_never_stopped(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sweep, "STOP_CHUNK", 50)
    records = crowd(30)
    asked = Asked()
    found = find_conflicts(records, AS_OF, None, asked)
    assert found == find_conflicts(records, AS_OF)
    assert len(found) == 900
    # asked between chunks of pairs, not once per pair
    assert 900 // 50 <= asked.calls < 900 // 10


@pytest.mark.parametrize("after", [1, 2, 3, 5, 10])
def test_the_sweep_stops_when_asked(monkeypatch: pytest.MonkeyPatch, after: int) -> None:
    monkeypatch.setattr(sweep, "STOP_CHUNK", 50)
    asked = Asked(after)
    with pytest.raises(Stopped):
        find_conflicts(crowd(30), AS_OF, None, asked)
    assert asked.calls == after  # it stopped at the first yes, asking no more


def test_stopped_is_neither_the_operators_problem_nor_a_crash_report() -> None:
    assert not is_user_error(Stopped("x"))
    assert not issubclass(Stopped, ValueError)


def test_marks_and_flags_stop_when_asked() -> None:
    records = crowd(5)
    found = find_conflicts(records, AS_OF)
    with pytest.raises(Stopped):
        apply_marks(found, [], Asked(1))
    with pytest.raises(Stopped):
        attention_flags(records, AS_OF, None, Asked(1))
    assert len(apply_marks(found, [], Asked())) == len(found)
    assert attention_flags(records, AS_OF, None, Asked()) == attention_flags(records, AS_OF)
