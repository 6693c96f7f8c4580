"""The register tables of the window and the status choices of their filter bar.

A :class:`RegisterTable` shows one register model: whole rows selected, sortable, a fixed row
height (fast at 100k rows), pills and word-elided columns, "Loading…" over it until the records
are in. It reads nothing and decides nothing about what is selected elsewhere.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStyle,
    QTableView,
    QWidget,
)

from kfor_desk.domain.enums import NotificationStatus, RequestStatus
from kfor_desk.domain.records import RecordKind
from kfor_desk.ui import palette
from kfor_desk.ui.models import RegisterModel
from kfor_desk.ui.panels.pill import PillDelegate
from kfor_desk.ui.panels.word_elide import WordElideDelegate
from kfor_desk.ui.widgets.sort_menu import install_sort_menu

ROW_HEIGHT = 28

# default widths per column key (pixels); the operator's own are remembered
_WIDTHS = {"title": 136, "location": 156, "band": 78,
           "period": 190, "status": 120, "due": 176, "attention": 100}
# the register number and the received DTG are never cut: their columns start as wide as the
# widest such text in the face it is drawn in (a number of five digits: 99,999 records of a
# kind in a year, bold; a DTG of any month), whatever the font size
_WIDEST_REGNOS = ("SAF-0000-00000", "KSF-0000-00000")
_DTGS = tuple(f"000000Z{m}00" for m in ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL",
                                        "AUG", "SEP", "OCT", "NOV", "DEC"))
# what the officer must always see comes first on screen (the model keeps its own order)
_LEADING = ("regno", "received", "status", "due")
_WORD_ELIDED = frozenset({"title", "location", "period"})
# how far the first start shrinks columns on a small screen, in this order (see
# RegisterTable.fit_columns); Attention (a mark) keeps at least its heading
_MIN_WIDTHS = {"location": 92, "title": 92, "attention": 0, "due": 136, "period": 164}
# how far a wide screen (1920) widens them, keeping room for the attention texts
_MAX_WIDTHS = {"title": 260, "location": 220, "due": 200}
_ATTENTION_ROOM = 240
COLUMNS_KEY = "columns2"  # saved header states of the earlier column order are not reused


def status_choices(kind: RecordKind) -> list[tuple[str, frozenset[str]]]:
    """The filter bar's status choices for a register: any, open, then each status."""
    if kind is RecordKind.SAF:
        statuses = list(NotificationStatus)
        open_values = frozenset(s.value for s in statuses
                                if s is not NotificationStatus.CANCELLED)
    else:
        rstatuses = list(RequestStatus)
        open_values = frozenset(s.value for s in rstatuses if not s.is_closed)
        statuses = rstatuses  # type: ignore[assignment]
    out = [("Any status", frozenset()), ("Open", open_values)]
    out += [(s.label, frozenset({s.value})) for s in statuses]
    return out


class RegisterTable(QTableView):
    """A register table: rows selected whole, sortable, fixed row height (fast at 100k)."""

    def __init__(self, model: RegisterModel[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setShowGrid(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        vh = self.verticalHeader()
        vh.hide()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(ROW_HEIGHT)
        hh = self.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hh.setStretchLastSection(True)
        hh.setHighlightSections(False)
        hh.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        hh.setSortIndicatorShown(True)
        delegate = PillDelegate(self)
        words = WordElideDelegate(self)
        self._widths = dict(_WIDTHS, regno=self._text_width(_WIDEST_REGNOS, bold=True),
                            received=self._text_width(_DTGS, bold=False))
        for n, col in enumerate(model.COLUMNS):
            self.setColumnWidth(n, self._widths.get(col.key, 120))
            if col.pill:
                self.setItemDelegateForColumn(n, delegate)
            elif col.key in _WORD_ELIDED:
                self.setItemDelegateForColumn(n, words)
        keys = [c.key for c in model.COLUMNS]
        for to, key in enumerate(k for k in _LEADING if k in keys):
            hh.moveSection(hh.visualIndex(keys.index(key)), to)
        self.setSortingEnabled(True)
        self.sortByColumn(model.column_index("received"), Qt.SortOrder.DescendingOrder)
        install_sort_menu(self)  # the header's context menu and Ctrl+Shift+S

        self.fit_pending = False  # set when no column widths were saved (first start)
        # after a first fit, the window settling (maximized, splitters laid out) fits again,
        # until the officer resizes a column
        self._auto_fit = False
        self._fitting = False
        hh.sectionResized.connect(self._section_resized)
        self._loading = QLabel("Loading…", self.viewport())
        self._loading.setObjectName("loadingLabel")
        self._loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._loading.setStyleSheet(f"color: {palette.MUTED}; font-size: 12pt;")
        self._loading.hide()

    def keep_whole(self) -> None:
        """Widen the register-number and Received columns of restored widths that would cut
        their texts (widths saved before they were sized to them, or in a smaller font)."""
        keys = [c.key for c in self.register_model().COLUMNS]
        for key in ("regno", "received"):
            if key in keys and self.columnWidth(keys.index(key)) < self._widths[key]:
                self.setColumnWidth(keys.index(key), self._widths[key])

    def _text_width(self, texts: tuple[str, ...], *, bold: bool) -> int:
        """The column width the widest of ``texts`` needs whole: its advance in the table's
        font (bold or not) and the margins the style draws a cell's text within."""
        font = self.font()
        font.setBold(bold)
        metrics = QFontMetrics(font)
        margin = self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self)
        return max(metrics.horizontalAdvance(t) for t in texts) + 2 * (margin + 1) + 2

    def apply_theme(self) -> None:
        """Repaint in the active theme (the pills and texts read it when drawn)."""
        self._loading.setStyleSheet(f"color: {palette.MUTED}; font-size: 12pt;")
        self.viewport().update()

    def register_model(self) -> RegisterModel[Any]:
        return self.model()  # type: ignore[return-value]

    def set_loading(self, loading: bool) -> None:
        """Show "Loading…" over the (empty) table until the records are in."""
        self._loading.setVisible(loading)
        if loading:
            self._loading.setGeometry(self.viewport().rect())
            self._loading.raise_()

    def is_loading(self) -> bool:
        return not self._loading.isHidden()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._loading.setGeometry(self.viewport().rect())
        if (self.fit_pending or self._auto_fit) and self.viewport().width() > 300:
            self.fit_pending = False
            self._auto_fit = True  # until the officer sizes a column himself
            self.fit_columns()

    def fit_columns(self) -> None:
        """Shrink the name, place, due and period columns (to their minimum) so
        that every column, the last one (Attention) included, fits the visible width if it
        can: the first start on a 1366×768 screen; on a wide one (1920) widen the name, place
        and due columns with what the attention texts can spare. A width the officer set is
        never touched (this runs only when no column widths were saved)."""
        hh = self.horizontalHeader()
        model = self.register_model()
        keys = [c.key for c in model.COLUMNS]
        last = hh.logicalIndex(hh.count() - 1)
        self._fitting = True
        for col, key in enumerate(keys):  # from the defaults each time: shrinks are undone
            if col != last and hh.sectionSize(col) != self._widths.get(key, 120):
                self.setColumnWidth(col, self._widths.get(key, 120))
        self._fitting = False
        # the last column stretches: it needs its heading whole (Attention: a mark below it)
        want = sum(hh.sectionSize(i) for i in range(hh.count()) if i != last) \
            + self._heading_width(last)
        excess = want - self.viewport().width()
        self._fitting = True
        try:
            # the stretched last column never gets narrower than its own width: its heading
            self.setColumnWidth(last, self._heading_width(last))
            for key, least in _MIN_WIDTHS.items():
                if excess <= 0:
                    break
                if key not in keys or keys.index(key) == last:  # the last one stretches
                    continue
                col = keys.index(key)
                least = least or self._heading_width(col)
                give = min(excess, hh.sectionSize(col) - least)
                if give > 0:
                    self.setColumnWidth(col, hh.sectionSize(col) - give)
                    excess -= give
            # a wide screen: the name and place columns take what Attention can spare
            for key, most in _MAX_WIDTHS.items():
                spare = -excess - _ATTENTION_ROOM
                if spare <= 0:
                    break
                if key not in keys or keys.index(key) == last:
                    continue
                col = keys.index(key)
                take = min(spare, most - hh.sectionSize(col))
                if take > 0:
                    self.setColumnWidth(col, hh.sectionSize(col) + take)
                    excess += take
        finally:
            self._fitting = False

    def _section_resized(self, col: int, _old: int, _new: int) -> None:
        hh = self.horizontalHeader()
        if not self._fitting and col != hh.logicalIndex(hh.count() - 1):
            self._auto_fit = False  # the officer's width: never touched again

    def _heading_width(self, col: int) -> int:
        """What column ``col``'s heading needs whole (its text, margins, sort arrow)."""
        text = str(self.model().headerData(col, Qt.Orientation.Horizontal) or "")
        return self.horizontalHeader().fontMetrics().horizontalAdvance(text) + 28
