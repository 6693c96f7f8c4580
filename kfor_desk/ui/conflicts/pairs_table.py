"""The conflicts tab's table of pairs: compact rows, sortable, narrowed by the search words.

It shows the :class:`~.rows.ConflictRow` values of its :class:`~.model.ConflictTableModel` and
answers which pair is selected; what the operator does with a pair (show, mark) is the panel's
(:mod:`.panel`). It reads and decides nothing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from kfor_desk.domain import search
from kfor_desk.domain.text import fold
from kfor_desk.ui.widgets.sort_menu import install_sort_menu

from .model import COL_A, COL_B, COL_DISTANCE, COL_STATUS, COL_WINDOW, ConflictTableModel
from .rows import ConflictRow


class PairsTable(QTableView):
    """One row per pair, one selected at a time; open ones first until sorted otherwise."""

    def __init__(self, model: ConflictTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._words: tuple[str, ...] = ()  # the search box's words (set_filter_text)
        self._any_hidden = False  # rows may be hidden (a filter with words was applied)
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        # compact rows: more pairs on a 1366×768 screen
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = self.horizontalHeader()
        header.setSectionResizeMode(COL_A, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_B, QHeaderView.ResizeMode.Stretch)
        for col in (COL_DISTANCE, COL_WINDOW, COL_STATUS):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # open ones first until asked
        self.setSortingEnabled(True)
        install_sort_menu(self)
        model.layoutChanged.connect(self.apply_filter)  # sorted: the rows moved
        model.modelReset.connect(self.apply_filter)

    def set_filter_text(self, text: str) -> None:
        """Show only the pairs whose register numbers or titles hold every word of ``text``
        (folded like the registers' search: any script, case or accents). The same words
        again change nothing: the window hands them over at every choice of the filter bar,
        and going through every pair (millions on a large desk) took seconds each time."""
        words = search.terms(text)
        if words == self._words:
            return
        self._words = words
        self.apply_filter()

    def apply_filter(self) -> None:
        """Hide the pairs without every search word; with none, show the rows hidden before
        (and touch no row when none is)."""
        words = self._words
        if not words:
            if self._any_hidden:
                for i in range(self._model.rowCount()):
                    self.setRowHidden(i, False)
                self._any_hidden = False
            return
        self._any_hidden = True
        for i, r in enumerate(self._model.rows()):
            hay = fold(f"{r.a} {r.a_title}\n{r.b} {r.b_title}")
            self.setRowHidden(i, not search.matches(hay, words))

    def shown_rows(self) -> list[ConflictRow]:
        """The rows the search words leave shown, in the table's order."""
        return [r for i, r in enumerate(self._model.rows()) if not self.isRowHidden(i)]

    def selected_row(self) -> ConflictRow | None:
        rows = self.selectionModel().selectedRows()
        return self._model.row_at(rows[0].row()) if rows else None

    def select_pair(self, a: str, b: str) -> bool:
        row = self._model.row_of(a, b)
        if row < 0:
            return False
        self.selectRow(row)
        self.scrollTo(self._model.index(row, 0))
        return True
