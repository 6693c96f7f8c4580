"""Plain values behind the register tables: what a row shows for attention, what the filter
asks for, the columns and their sort keys, and small helpers on lines and records.

Nothing here imports Qt or reads the database; the table models in :mod:`.registers` and
:mod:`.kinds` use these.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from kfor_desk.domain import search
from kfor_desk.domain.enums import Band, TimePhase
from kfor_desk.domain.records import ConsentRequest, ExerciseNotification

_BAND_RANK = {Band.NOTIFY: 0, Band.GROUND: 1, Band.AIR: 2, Band.BEYOND: 3}
_INF = float("inf")




@dataclass(frozen=True, slots=True)
class RowAttention:
    """What the attention column shows for one record, handed in by the window (from the
    deconfliction service): a conflict badge (``"⚠2"``, ``"✓1"``) and flags
    ``(severity, label, detail)``, most severe first."""

    badge: str = ""
    flags: tuple[tuple[int, str, str], ...] = ()

    @property
    def severity(self) -> int:
        worst = self.flags[0][0] if self.flags else 99
        return worst - (100 if self.badge.startswith("⚠") else 0)


@dataclass(frozen=True, slots=True)
class RegisterFilter:
    """What the filter bar asks for; empty values mean "all"."""

    statuses: frozenset[str] = frozenset()
    phase: TimePhase | None = None
    bands: frozenset[Band] = frozenset()
    text: str = ""

    def terms(self) -> tuple[str, ...]:
        return search.terms(self.text)


# ---------------------------------------------------------------- helpers on plain values
def regno_key(regno: str | None) -> int:
    """``SAF-2026-0042`` → 2026000042 (the kind is the model's own)."""
    if not regno:
        return 0
    try:
        return int(regno[4:8]) * 1_000_000 + int(regno[9:])
    except ValueError:
        return 0


def _ts(value: datetime | None) -> float:
    return value.timestamp() if value is not None else _INF


def countdown(delta_s: float) -> str:
    """``in 5 h 20 min`` / ``overdue 2 d 3 h`` for a number of seconds until a moment."""
    minutes = int(abs(delta_s) // 60)
    days, rest = divmod(minutes, 24 * 60)
    hrs, mins = divmod(rest, 60)
    if days:
        text = f"{days} d {hrs} h"
    elif hrs:
        text = f"{hrs} h {mins:02d} min"
    else:
        text = f"{mins} min"
    return f"in {text}" if delta_s > 0 else f"overdue {text}"


T = TypeVar("T", ExerciseNotification, ConsentRequest)


@dataclass(frozen=True, slots=True)
class Column:
    """A register column: its key, heading and sort key of a row's line
    (:mod:`kfor_desk.domain.lines`)."""

    key: str
    header: str
    sort_key: Callable[[Any], Any]
    pill: bool = False


_NUMBERS = frozenset({int, float})


def sort_order(keys: list[Any], descending: bool = False) -> list[int]:
    """Row numbers ordered by ``keys``; stable both ways (rows with equal keys keep their
    order, as ``sorted(..., reverse=True)`` does). Many numeric keys are sorted by numpy once
    it has been loaded (the window's loader thread loads it after the registers' first read:
    the first sort at start-up does not wait for its import), anything else by ``sorted``."""
    n = len(keys)
    if n > 1000 and "numpy" in sys.modules and set(map(type, keys)) <= _NUMBERS:
        import numpy as np

        arr = np.array(keys, dtype=np.float64)
        order: list[int] = np.argsort(-arr if descending else arr, kind="stable").tolist()
        return order
    return sorted(range(n), key=keys.__getitem__, reverse=descending)


def positions(rows: list[int], wanted: set[int]) -> dict[int, int]:
    """Where each of ``wanted`` (record numbers) is in ``rows``: a few (the selection, the
    current cell) are searched for in C; many are mapped in one pass."""
    if len(wanted) > 32:
        return {rec: n for n, rec in enumerate(rows) if rec in wanted}
    found = {}
    for rec in wanted:
        with contextlib.suppress(ValueError):
            found[rec] = rows.index(rec)
    return found


def _narrows(old: tuple[str, ...], new: tuple[str, ...]) -> bool:
    """Every row matching ``new`` also matches ``old`` (typing on extends the search)."""
    if not old:
        return False
    return all(any(o in n for n in new) for o in old)
