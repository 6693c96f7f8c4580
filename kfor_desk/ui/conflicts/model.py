"""The conflicts table model and the colours of conflict statuses and flag severities.

:class:`ConflictTableModel` is a read-only Qt model of :class:`~.rows.ConflictRow` values; it
holds no SQL and no rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QWidget

from kfor_desk.domain.timefmt import format_dtg_local
from kfor_desk.ui import palette

from .rows import STATUS_RANK, ConflictRow, record_text, row_order

# --- colours: the active theme's (kfor_desk.style) conflict rows and flag severities, read
# when drawn so that a theme switched while the window runs shows at once
_ROWS = palette.THEME.conflict_rows
C_OPEN = QColor(_ROWS["open"].text)  # the colours when the module loaded (kept for callers)
C_REOPENED = QColor(_ROWS["reopened"].text)
C_DECONFLICTED = QColor(_ROWS["deconflicted"].text)
C_OPEN_BG = QColor(_ROWS["open"].background)
C_REOPENED_BG = QColor(_ROWS["reopened"].background)
C_DECONFLICTED_BG = QColor(_ROWS["deconflicted"].background)

PairRole = Qt.ItemDataRole.UserRole + 1  # (a, b) register numbers of a row
SortRole = Qt.ItemDataRole.UserRole + 2  # a plain sortable value per cell

_ROOT = QModelIndex()
COL_A, COL_B, COL_DISTANCE, COL_WINDOW, COL_STATUS = range(5)
_HEADERS = ("SAF record", "KSF record", "Distance", "Overlap window (UTC)", "Status")


def severity_colour(severity: int) -> QColor:
    """Flag colour by severity rank (0 is the most severe), in the active theme."""
    if severity <= 2:
        return QColor(palette.ERROR)
    if severity <= 5:
        return QColor(palette.THEME.caution)
    return QColor(palette.MUTED)


class ConflictTableModel(QAbstractTableModel):
    """Read-only table of :class:`ConflictRow`; open and reopened rows first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ConflictRow] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_rows(self, rows: Iterable[ConflictRow], *, ordered: bool = False) -> None:
        """Show ``rows`` (``ordered``: already in :func:`conflict_rows` order)."""
        self.beginResetModel()
        self._rows = list(rows) if ordered else sorted(rows, key=row_order)
        self.endResetModel()

    def rows(self) -> list[ConflictRow]:
        return list(self._rows)

    def row_at(self, row: int) -> ConflictRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, a: str, b: str) -> int:
        for i, r in enumerate(self._rows):
            if {r.a, r.b} == {a, b}:
                return i
        return -1

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """By a column (the header or the keyboard's "Sort by" menu); -1: open ones first."""
        self.layoutAboutToBeChanged.emit()
        if 0 <= column < len(_HEADERS):
            self._rows.sort(key=lambda r: (self._sort_value(r, column), row_order(r)),
                            reverse=order is Qt.SortOrder.DescendingOrder)
        else:
            self._rows.sort(key=row_order)
        self.layoutChanged.emit()

    # --- Qt model API
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(_HEADERS)):
            return _HEADERS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self.row_at(index.row())
        if r is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(r, col)
        if role == SortRole:
            return self._sort_value(r, col)
        if role == PairRole:
            return f"{r.a}|{r.b}"
        if col == COL_STATUS:
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor(palette.THEME.conflict_rows[r.status].text))
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(palette.THEME.conflict_rows[r.status].background))
            if role == Qt.ItemDataRole.FontRole and r.is_open:
                return self._bold
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_DISTANCE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    @staticmethod
    def _display(r: ConflictRow, col: int) -> str | None:
        if col == COL_A:
            return record_text(r.a, r.a_title)
        if col == COL_B:
            return record_text(r.b, r.b_title)
        if col == COL_DISTANCE:
            return f"{r.distance_km:.1f} km"
        if col == COL_WINDOW:
            return r.window_text
        if col == COL_STATUS:
            return r.status_text
        return None

    @staticmethod
    def _sort_value(r: ConflictRow, col: int) -> Any:
        return (r.a, r.b, r.distance_km, r.window_start.isoformat(),
                STATUS_RANK[r.status])[col] if 0 <= col < 5 else None

    @staticmethod
    def _tooltip(r: ConflictRow, col: int) -> str | None:
        if col == COL_A:
            return record_text(r.a, r.a_title)
        if col == COL_B:
            return record_text(r.b, r.b_title)
        if col == COL_DISTANCE:
            return f"{r.distance_km:.2f} km edge to edge (radii counted)"
        if col == COL_WINDOW:
            what = "Both active" if r.overlapping else "Within the margin; gap"
            return (f"{what} from {format_dtg_local(r.window_start)}\n"
                    f"to {format_dtg_local(r.window_end)}")
        if col == COL_STATUS:
            if r.marked_at is None:
                return "Open: not yet deconflicted."
            when = format_dtg_local(r.marked_at)
            if r.status == "reopened":
                return (f"Reopened: a record changed in time or place after it was marked "
                        f"deconflicted by {r.marked_by} at {when}:\n{r.mark_note}")
            if r.status == "deconflicted":
                return f"Deconflicted by {r.marked_by} at {when}:\n{r.mark_note}"
            return f"Reopened by {r.marked_by} at {when}." + (
                f"\n{r.mark_note}" if r.mark_note else "")
        return None
