"""The base table model of the registers: it sorts and filters itself.

A ``QSortFilterProxyModel`` over a Python model calls back into Python for every comparison
(~22 s to sort 100k rows here), so these models keep the order themselves: per-column sort keys
are computed once (lazily, on the first sort by that column) and sorting is one ``sorted`` over
row numbers; filtering is list comprehensions over precomputed per-row values and the rows'
search text (every text field, Cyrillic folded to Latin, case and diacritics folded).

What the rows hold (one line per row, the whole records once read, the search text) is
:mod:`.content`; the cells that derive from per-row values are :mod:`.cells`; the plain values
and the ordering of rows are :mod:`.rows`. Display text is computed on demand for the rows on
screen. Nothing here reads the database or decides a rule: the time phase, the ABL band and
the attention shown are the records' own values and what the caller hands in.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from operator import attrgetter
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from kfor_desk.domain import search
from kfor_desk.domain.enums import Band, TimePhase
from kfor_desk.domain.gcpause import gc_paused

from .cells import RowCells
from .content import RowContent
from .rows import (
    _BAND_RANK,
    _INF,
    Column,
    RegisterFilter,
    RowAttention,
    T,
    _narrows,
    positions,
    sort_order,
)

__all__ = [
    "PILL_ROLE",
    "RECORD_ROLE",
    "SORT_ROLE",
    "RegisterFilter",
    "RegisterModel",
    "RowAttention",
]

_ROOT = QModelIndex()
RECORD_ROLE = Qt.ItemDataRole.UserRole + 1  # the record of the row
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # the cell's sort key
PILL_ROLE = Qt.ItemDataRole.UserRole + 3  # (background, text) colours for a pill cell



# ---------------------------------------------------------------- the base model
class RegisterModel(QAbstractTableModel, RowContent[T], RowCells[T]):
    """One register: rows in the current sort order, filtered; see the module docstring."""

    COLUMNS: ClassVar[tuple[Column, ...]] = ()
    #: emitted after every change of the visible rows (sort, filter, new records)
    rowsShown = Signal(int, int)  # visible, total

    def __init__(self, parent: Any = None, *, now: datetime | None = None) -> None:
        super().__init__(parent)
        self._lines: list[Any] = []  # one Line per row
        self._records: list[T | None] = []  # the whole record of each line, once read
        self._now = now or datetime.now(UTC)
        self._now_ts = self._now.timestamp()
        self._attention: Mapping[str, RowAttention] = {}
        self._attention_pending = False
        # per row, eager (cheap)
        self._start: list[float] = []
        self._end: list[float] = []
        self._status: list[str] = []
        self._band: list[Band | None] = []
        # per column, lazy
        self._keys: dict[int, list[Any]] = {}
        # search haystack, built while idle
        self._hay: list[str] = []
        self._hay_timer = QTimer(self)
        self._hay_timer.setInterval(0)
        self._hay_timer.timeout.connect(self._hay_step)
        # order and filter
        self._sort_col = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._order: list[int] = []
        self._order_valid = False  # _order follows the sort column and order asked for
        self._rows: list[int] = []
        self._filter = RegisterFilter()
        self._bold = QFont()
        self._bold.setBold(True)
        self.due_soon_s = 24 * 3600.0  # from the desk settings (set_due_soon_hours)

    # ------------------------------------------------------------ public API
    def _set_rows(self, lines: list[Any], records: list[T | None], now: datetime | None,
                  attention: Mapping[str, RowAttention]) -> None:
        self.beginResetModel()
        self._lines, self._records = lines, records
        if now is not None:
            self._now, self._now_ts = now, now.timestamp()
        self._attention = dict(attention)
        stamp = datetime.timestamp
        self._start = list(map(stamp, map(attrgetter("start"), lines)))
        self._end = list(map(stamp, map(attrgetter("end"), lines)))
        self._status = list(map(str, map(attrgetter("status"), lines)))
        self._band = list(map(attrgetter("band"), lines))
        self._keys = {}
        # the search text read with the lines; else folded from the records while idle
        hay = list(map(attrgetter("search_text"), lines))
        self._hay = [] if None in hay else hay
        self._order = self._sorted_order()
        self._order_valid = True
        self._rows = self._filtered(self._order, self._filter)
        self.endResetModel()

    def set_attention(self, attention: Mapping[str, RowAttention]) -> None:
        """The attention column of every record (the conflicts and flags are known now)."""
        self._attention = dict(attention)
        self._attention_pending = False
        col = self.column_index("attention")
        self._keys.pop(col, None)
        if col >= 0 and col == self._sort_col:
            self._resort(col, self._sort_order)
        self._changed_column("attention")

    def attention_pending(self) -> bool:
        """True while the attention column waits for the conflicts to be computed."""
        return self._attention_pending

    def set_now(self, now: datetime) -> None:
        """Move the clock: countdowns and time phases follow (the filter is re-applied)."""
        self._now, self._now_ts = now, now.timestamp()
        if self._filter.phase is not None:
            self._refilter(self._filter, force=True)
        else:
            self._changed_column("due")
            self._changed_column("period")

    def set_due_soon_hours(self, hours: float) -> None:
        """The desk's "due soon" threshold, for the colour of the countdown."""
        self.due_soon_s = hours * 3600.0
        self._changed_column("due")

    def now(self) -> datetime:
        return self._now

    def set_filter(self, flt: RegisterFilter) -> None:
        self._refilter(flt)

    def filter(self) -> RegisterFilter:
        return self._filter

    def column_index(self, key: str) -> int:
        for i, c in enumerate(self.COLUMNS):
            if c.key == key:
                return i
        return -1

    # ------------------------------------------------------------ subclass hooks
    def _display(self, r: Any, key: str, i: int) -> str:
        raise NotImplementedError

    def _tooltip(self, r: Any, key: str, i: int) -> str | None:
        return None

    def _foreground(self, r: Any, key: str) -> QColor | None:
        return None

    # ------------------------------------------------------------ internals
    def _announce(self) -> None:
        self.rowsShown.emit(len(self._rows), len(self._lines))

    def _changed_column(self, key: str) -> None:
        col = self.column_index(key)
        if col >= 0 and self._rows:
            self.dataChanged.emit(self.index(0, col), self.index(len(self._rows) - 1, col))

    def _column_keys(self, col: int) -> list[Any]:
        keys = self._keys.get(col)
        if keys is None:
            fn = self.COLUMNS[col].sort_key
            key = self.COLUMNS[col].key
            if key == "location":
                keys = [r.abl_km if r.abl_km is not None else _INF for r in self._lines]
            elif key == "band":
                keys = [_BAND_RANK[b] if b is not None else 9 for b in self._band]
            elif key == "attention":
                att = self._attention
                none = RowAttention()
                keys = [att.get(r.register_no or "", none).severity for r in self._lines]
            else:
                keys = [fn(r) for r in self._lines]
            self._keys[col] = keys
        return keys

    def _sorted_order(self) -> list[int]:
        n = len(self._lines)
        if self._sort_col < 0 or n == 0:
            return list(range(n))
        return sort_order(self._column_keys(self._sort_col),
                          self._sort_order is Qt.SortOrder.DescendingOrder)

    def _filtered(self, base: list[int], flt: RegisterFilter) -> list[int]:
        rows = base
        if flt.statuses:
            st, wanted = self._status, flt.statuses
            rows = [i for i in rows if st[i] in wanted]
        if flt.phase is not None:
            now, s, e = self._now_ts, self._start, self._end
            if flt.phase is TimePhase.UPCOMING:
                rows = [i for i in rows if s[i] > now]
            elif flt.phase is TimePhase.ACTIVE:
                rows = [i for i in rows if s[i] <= now <= e[i]]
            else:
                rows = [i for i in rows if e[i] < now]
        if flt.bands:
            b, bands = self._band, flt.bands
            rows = [i for i in rows if b[i] in bands]
        terms = flt.terms()
        if terms:
            self.ensure_haystack()
            hay = self._hay
            rows = [i for i in rows if search.matches(hay[i], terms)]
        return rows if rows is not base else list(base)

    def _refilter(self, flt: RegisterFilter, force: bool = False) -> None:
        old = self._filter
        if flt == old and not force:
            return
        narrowing = (not force and flt.statuses == old.statuses and flt.phase == old.phase
                     and flt.bands == old.bands and _narrows(old.terms(), flt.terms()))
        base = self._rows if narrowing else self._order
        self.beginResetModel()
        self._filter = flt
        self._rows = self._filtered(base, flt)
        self.endResetModel()
        self._announce()

    # ------------------------------------------------------------ Qt model API
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation is not Qt.Orientation.Horizontal or not 0 <= section < len(self.COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section].header
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | \
            Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if not (0 <= row < len(self._rows) and 0 <= col < len(self.COLUMNS)):
            return None
        i = self._rows[row]
        r = self._lines[i]
        column = self.COLUMNS[col]
        key = column.key
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, key, i)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(r, key, i)
        if role == Qt.ItemDataRole.ForegroundRole:
            fg = self._foreground(r, key)
            return QBrush(fg) if fg is not None else None
        if role == Qt.ItemDataRole.FontRole and key == "regno":
            return self._bold
        if role == PILL_ROLE and column.pill:
            return self._pill(key, i)
        if role == RECORD_ROLE:
            return self._records[i]
        if role == SORT_ROLE:
            return self._column_keys(col)[i]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.COLUMNS):
            column = -1
        if self._order_valid and (column, order) == (self._sort_col, self._sort_order):
            return  # a header click asks twice (the indicator, then the view): once is enough
        self._resort(column, order)

    def _resort(self, column: int, order: Qt.SortOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        old_rows = self._rows
        persistent = self.persistentIndexList()
        # map persistent rows to record numbers before reordering
        before = [(p, old_rows[p.row()], p.column()) for p in persistent
                  if 0 <= p.row() < len(old_rows)]
        self._sort_col, self._sort_order = column, order
        with gc_paused():
            self._order = self._sorted_order()
        self._rows = self._filtered(self._order, self._filter)
        if before:
            pos = positions(self._rows, {rec for _, rec, _ in before})
            self.changePersistentIndexList(
                [p for p, _, _ in before],
                [self.index(pos[rec], c) if rec in pos else QModelIndex()
                 for _, rec, c in before])
        self.layoutChanged.emit()
        self._announce()
