"""The conflicts panel: every current SAF/KSF conflict with its status, and the attention flags.

``ConflictsPanel`` shows a :class:`~kfor_desk.services.conflicts.ConflictReport` handed to it
with :meth:`ConflictsPanel.set_report`: the pairs in a :class:`~.pairs_table.PairsTable` whose
model holds plain :class:`~.rows.ConflictRow` values, the flags in a
:class:`~.flag_list.FlagList`, and what the operator does with a pair (show it, mark it
deconflicted). It holds no SQL and no rules — marking a pair deconflicted is an operation off
the GUI thread (:mod:`kfor_desk.ui.operations`) calling
:func:`kfor_desk.services.conflicts.mark_deconflicted`, and whatever that refuses is shown in a
banner above the table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QItemSelection, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from kfor_desk.domain.timefmt import format_dtg
from kfor_desk.domain.validation import RuleError
from kfor_desk.services.conflicts import ConflictReport, conflict_report, mark_deconflicted
from kfor_desk.services.desk import Desk
from kfor_desk.ui import palette
from kfor_desk.ui.errors import show_error
from kfor_desk.ui.operations import Changes, Done, run_op
from kfor_desk.ui.tasks import run_task

from .flag_list import FlagList
from .model import COL_B, ConflictTableModel
from .note import ask_note
from .pairs_table import PairsTable
from .rows import ConflictRow, conflict_rows, record_titles

NotePrompt = Callable[[QWidget, ConflictRow], str | None]


class ConflictsPanel(QWidget):
    """Conflicts (with actions) above, attention flags below."""

    recordSelected = Signal(str)
    #: the record of the current cell of a selected pair (the tab stays; for the detail pane)
    recordCurrent = Signal(str)
    showOnMap = Signal(str, str)
    showOnTimeline = Signal(str, str)
    changed = Signal()

    def __init__(self, desk: Desk | None, parent: QWidget | None = None, *,
                 note_prompt: NotePrompt | None = None) -> None:
        """``desk`` may come later (:meth:`set_desk`): the window paints before the database
        is open; nothing here reads or marks before a report has been set."""
        super().__init__(parent)
        self._desk: Any = desk
        self.note_prompt: NotePrompt = note_prompt or ask_note
        self._report: ConflictReport | None = None
        self._busy = False  # a mark is being saved
        #: the panel re-reads its report after a mark; a window that hands it each refresh's
        #: report turns this off (it refreshes on the mark's announced changes)
        self.reads_own_report = True
        self._titles: dict[str, str] = {}

        self.summary = QLabel("No conflicts loaded.")
        self.summary.setObjectName("conflictsSummary")
        # wraps: its long line never widens the tab (which would squeeze the detail pane)
        self.summary.setWordWrap(True)
        self.banner = QLabel()
        self.banner.setObjectName("conflictsBanner")
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.hide()

        self.model = ConflictTableModel(self)
        self.table = PairsTable(self.model)

        self.record_button = QPushButton("Show record")
        self.record_button.setToolTip("Go to the record of the selected cell in its register "
                                      "(Enter)")
        self.map_button = QPushButton("Show on ma&p")
        self.timeline_button = QPushButton("Show on &timeline")
        self.mark_button = QPushButton("&Mark deconflicted…")
        self.mark_button.setToolTip("Record what was done to deconflict the selected pair "
                                    "(Alt+M)")
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.summary, 1)
        for b in (self.record_button, self.map_button, self.timeline_button, self.mark_button):
            buttons.addWidget(b)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(buttons)
        top_layout.addWidget(self.banner)
        top_layout.addWidget(self.table)

        self.flags_title = QLabel("Attention flags")
        self.flags = FlagList()
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.flags_title)
        bottom_layout.addWidget(self.flags)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 7)  # the pairs get most of a small screen (1366×768)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)

        self.map_button.clicked.connect(lambda: self._emit_pair(self.showOnMap))
        self.timeline_button.clicked.connect(lambda: self._emit_pair(self.showOnTimeline))
        self.mark_button.clicked.connect(self.mark_selected)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.selectionModel().currentChanged.connect(lambda *_: self._current_changed())
        # a click selects (the tab stays); Enter, a double click or "Show record" go to it
        self.record_button.clicked.connect(self.show_record)
        self.table.activated.connect(lambda _i: self.show_record())
        for key in ("Return", "Enter"):
            sc = QShortcut(QKeySequence(key), self.table)
            sc.setContext(Qt.ShortcutContext.WidgetShortcut)
            sc.activated.connect(self.show_record)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.flags.recordSelected.connect(self.recordSelected)  # Enter / double click
        self._update_buttons()

    # ------------------------------------------------------------ public API
    def set_desk(self, desk: Desk) -> None:
        """Mark pairs through ``desk`` from now on (the database was opened or reopened)."""
        self._desk = desk

    def set_report(self, report: ConflictReport,
                   titles: Mapping[str, str] | None = None,
                   rows: list[ConflictRow] | None = None) -> None:
        """Show ``report``. ``titles`` (register number → title) saves a read when the caller
        already has the records; without it the panel reads them through the desk. ``rows``:
        :func:`conflict_rows` of the report, when the caller built them already."""
        keep = self.selected_pair()
        self._report = report
        self._titles = dict(titles) if titles is not None else record_titles(self._desk)
        if rows is None:
            rows = conflict_rows(report, self._titles)
        self.model.set_rows(rows, ordered=True)
        self._fill_flags(report.flags)
        n_open = sum(1 for r in rows if r.is_open)
        n_done = len(rows) - n_open
        self.summary.setText(
            f"<b>{n_open}</b> open · {n_done} deconflicted · {len(report.flags)} attention "
            f"flags — as of {format_dtg(report.as_of)} (within {report.settings.distance_km:g}"
            f" km, margin {_hours(report.settings.margin.total_seconds())})")
        if keep is not None:
            self.select_pair(*keep)
        self._update_buttons()

    def apply_theme(self, _theme: object = None) -> None:
        """Repaint in the active theme's colours (View ▸ Night theme while the window runs):
        the rows read them when drawn; the flags and a refusal shown are coloured again."""
        if self._report is not None:
            self._fill_flags(self._report.flags)
        if self.banner.isVisibleTo(self):
            self._show_refusal(self.banner.text())
        self.table.viewport().update()

    def report(self) -> ConflictReport | None:
        return self._report

    def set_filter_text(self, text: str) -> None:
        """Show only the pairs whose register numbers or titles hold every word of ``text``
        (folded like the registers' search: any script, case or accents)."""
        self.table.set_filter_text(text)

    def shown_rows(self) -> list[ConflictRow]:
        """The rows the search words leave shown, in the table's order."""
        return self.table.shown_rows()

    def selected_row(self) -> ConflictRow | None:
        return self.table.selected_row()

    def selected_pair(self) -> tuple[str, str] | None:
        row = self.selected_row()
        return row.key if row else None

    def select_pair(self, a: str, b: str) -> bool:
        return self.table.select_pair(a, b)

    def refresh(self) -> None:
        """Re-read the conflicts through the desk (as of its clock), off the GUI thread."""
        desk = self._desk

        def failed(exc: BaseException) -> None:
            show_error(self, exc, "Conflicts")

        run_task(self, "Reading the conflicts", lambda _p: conflict_report(desk),
                 self.set_report, failed, cancellable=False, show_dialog=False)

    def mark_selected(self) -> bool:
        """Ask for the note and mark the selected pair deconflicted, off the GUI thread;
        ``True`` if the mark was started (a refusal comes back in the banner)."""
        row = self.selected_row()
        if row is None or self.is_busy():
            return False
        note = self.note_prompt(self, row)
        if note is None:
            return False
        reread = self.reads_own_report

        def mark(desk: Desk) -> Done[ConflictReport | None]:
            mark_deconflicted(desk, row.a, row.b, note)
            report = conflict_report(desk) if reread else None
            return Done(report, Changes.of_marks(row.key))

        def done(report: ConflictReport | None) -> None:
            self._busy = False
            self._update_buttons()
            self._hide_refusal()
            if report is not None:
                self.set_report(report)
            self.select_pair(row.a, row.b)
            self.changed.emit()

        def failed(exc: BaseException) -> None:
            self._busy = False
            self._update_buttons()
            if isinstance(exc, RuleError):
                self._show_refusal("Not marked: " + "; ".join(p.message for p in exc.problems))
            else:
                show_error(self, exc, "Mark deconflicted")

        self._busy = True
        self._update_buttons()
        run_op(self, self._desk, "Mark deconflicted", mark, done, failed)
        return True

    def is_busy(self) -> bool:
        """True while a mark is being saved."""
        return self._busy

    def refusal_text(self) -> str:
        return self.banner.text() if self.banner.isVisibleTo(self) else ""

    # ------------------------------------------------------------ internals
    def _fill_flags(self, flags: Any) -> None:
        n = self.flags.set_flags(flags, self._titles)
        self.flags_title.setText(f"Attention flags ({n}), most severe first"
                                 if n else "Attention flags: none")

    def _emit_pair(self, signal: Any) -> None:
        pair = self.selected_pair()
        if pair is not None:
            signal.emit(*pair)

    def _selection_changed(self, _sel: QItemSelection, _desel: QItemSelection) -> None:
        self._update_buttons()
        self._current_changed()

    def _current_changed(self) -> None:
        row = self.selected_row()
        if row is not None:
            index = self.table.currentIndex()
            self.recordCurrent.emit(row.b if index.isValid() and index.column() == COL_B
                                    else row.a)

    def show_record(self) -> bool:
        """Go to the record of the current cell (the second record's column: that one)."""
        index = self.table.currentIndex()
        row = self.selected_row()
        if row is None:
            return False
        self.recordSelected.emit(row.b if index.isValid() and index.column() == COL_B
                                 else row.a)
        return True

    def _update_buttons(self) -> None:
        row = self.selected_row()
        for b in (self.record_button, self.map_button, self.timeline_button):
            b.setEnabled(row is not None)
        self.mark_button.setEnabled(row is not None and row.is_open and not self._busy)

    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        row = self.model.row_at(index.row()) if index.isValid() else None
        if row is None:
            return
        self.table.selectRow(index.row())
        menu = QMenu(self)
        menu.addAction(f"Select {row.a}", lambda: self.recordSelected.emit(row.a))
        menu.addAction(f"Select {row.b}", lambda: self.recordSelected.emit(row.b))
        menu.addSeparator()
        menu.addAction("Show on map", lambda: self.showOnMap.emit(row.a, row.b))
        menu.addAction("Show on timeline", lambda: self.showOnTimeline.emit(row.a, row.b))
        mark: QAction = menu.addAction("Mark deconflicted…", self.mark_selected)
        mark.setEnabled(row.is_open)
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def _show_refusal(self, text: str) -> None:
        self.banner.setText(text)
        c = palette.THEME.conflicts_banner
        self.banner.setStyleSheet(
            f"QLabel#conflictsBanner {{ background: {c.background}; color: {c.text};"
            f" border: 1px solid {c.border}; border-radius: 3px; padding: 6px; }}")
        self.banner.show()

    def _hide_refusal(self) -> None:
        self.banner.clear()
        self.banner.hide()


def _hours(seconds: float) -> str:
    return f"{seconds / 3600:g} h"
