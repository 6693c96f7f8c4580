"""What a register model's rows hold: one line per row, the whole records once read, and the
search text of each row.

:class:`RowContent` is a mixin of the register models (:mod:`.registers`). The window shows the
lines of a first read at once (:meth:`RowContent.set_lines`: what each row shows, no whole
records; a row whose record is unchanged keeps the whole record it had) and hands the whole
records of a later moment with their lines after (:meth:`RowContent.set_whole`): when a save
landed in between, the rows are brought to that moment rather than left stale.
:meth:`RowContent.set_records` shows whole records at once (their lines made here). The search
text comes with the lines when the store read it; otherwise it is folded from the records in
small chunks while the event loop is idle, and finished at once if a search comes first.
It reads no database and decides nothing shown: ordering and filtering are the model's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Generic

from PySide6.QtCore import QTimer

from kfor_desk.domain import search
from kfor_desk.domain.gcpause import gc_paused
from kfor_desk.domain.lines import Line, line_of

from .rows import RowAttention, T

__all__ = ["HAYSTACK_CHUNK", "RowContent"]

HAYSTACK_CHUNK = 4000  # rows folded per idle step


class RowContent(Generic[T]):
    """Lines, whole records and search text of a register model (see the module docstring)."""

    _lines: list[Any]  # one Line per row
    _records: list[T | None]  # the whole record of each line, once read
    _rows: list[int]  # the visible rows (the model's order and filter)
    _hay: list[str]
    _hay_timer: QTimer
    _attention: Mapping[str, RowAttention]
    _attention_pending: bool

    def _set_rows(self, lines: list[Any], records: list[T | None], now: datetime | None,
                  attention: Mapping[str, RowAttention]) -> None:
        raise NotImplementedError

    def _announce(self) -> None:
        raise NotImplementedError

    def set_now(self, now: datetime) -> None:
        raise NotImplementedError

    def set_records(self, records: Iterable[T], now: datetime | None = None,
                    attention: Mapping[str, RowAttention] | None = None, *,
                    attention_pending: bool = False) -> None:
        """Show ``records`` (whole, plain values) as of ``now``, keeping the sort and the
        filter. ``attention_pending``: the attention column says it is being computed until
        :meth:`set_attention` hands it in."""
        with gc_paused():
            whole = list(records)
            lines = [line_of(r) for r in whole]
        self._show(lines, list[T | None](whole), now, dict(attention or {}), attention_pending)

    def set_lines(self, lines: Iterable[Line], now: datetime | None = None, *,
                  attention_pending: bool = False) -> None:
        """Show the rows of ``lines`` (a first read, without whole records) as of ``now``,
        keeping the sort, the filter and the attention shown; a row whose record (number and
        version) is unchanged keeps the whole record it had."""
        with gc_paused():
            lines = list(lines)
            had = {r.register_no: r for r in self._records if r is not None}
            recs: list[T | None] = []
            if had:
                for line in lines:
                    r = had.get(line.register_no)
                    recs.append(r if r is not None and r.version == line.version
                                and r.id == line.id else None)
            else:
                recs = [None] * len(lines)
        self._show(lines, recs, now, self._attention, attention_pending)

    def set_whole(self, lines: Iterable[Line], records: Iterable[T],
                  now: datetime | None = None) -> None:
        """The whole records and their lines (one per record, same order, one moment): when
        the rows show these lines already, the records are only taken in; otherwise (a save
        landed after the lines shown were read) the rows are brought to this moment."""
        lines, recs = list(lines), list[T | None](records)
        if lines == self._lines:
            self._records = recs
            if now is not None:
                self.set_now(now)
            return
        self._show(lines, recs, now, self._attention, self._attention_pending)

    def _show(self, lines: list[Any], records: list[T | None], now: datetime | None,
              attention: Mapping[str, RowAttention], attention_pending: bool) -> None:
        self._attention_pending = attention_pending
        with gc_paused():
            self._set_rows(lines, records, now, attention)
        if not self.haystack_ready():
            self._hay_timer.start()
        self._announce()


    def record_at(self, row: int) -> T | None:
        """The whole record of a visible row (``None`` until it has been read)."""
        return self._records[self._rows[row]] if 0 <= row < len(self._rows) else None

    def line_at(self, row: int) -> Any:
        """The line of a visible row (what it shows), or ``None``."""
        return self._lines[self._rows[row]] if 0 <= row < len(self._rows) else None

    def row_of(self, register_no: str) -> int | None:
        """Visible row of a record, or ``None`` when it is filtered out or unknown."""
        lines = self._lines
        for pos, i in enumerate(self._rows):
            if lines[i].register_no == register_no:
                return pos
        return None

    def records(self) -> list[T]:
        """The whole records read (every row's, once the whole read is in)."""
        return [r for r in self._records if r is not None]

    def whole(self) -> bool:
        """True when every row's whole record has been read."""
        return all(r is not None for r in self._records)

    def total_count(self) -> int:
        return len(self._lines)

    def visible_records(self) -> list[T]:
        return [r for r in (self._records[i] for i in self._rows) if r is not None]


    def haystack_ready(self) -> bool:
        return len(self._hay) == len(self._lines)

    def ensure_haystack(self) -> None:
        """Finish folding the search text now (a search needs it)."""
        self._hay_timer.stop()
        start = len(self._hay)
        if start < len(self._lines):
            self._hay.extend(self._fold_rows(start, len(self._lines)))


    def _fold_rows(self, a: int, b: int) -> list[str]:
        out = []
        for line, r in zip(self._lines[a:b], self._records[a:b], strict=True):
            if line.search_text is not None:
                out.append(line.search_text)
            else:  # set_records gives every record whole
                out.append(search.haystack(r) if r is not None else "")
        return out

    def _hay_step(self) -> None:
        start = len(self._hay)
        end = min(start + HAYSTACK_CHUNK, len(self._lines))
        self._hay.extend(self._fold_rows(start, end))
        if end >= len(self._lines):
            self._hay_timer.stop()
