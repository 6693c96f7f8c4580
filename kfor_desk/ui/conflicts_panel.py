"""The conflicts panel: every current SAF/KSF conflict with its status, and the attention flags.

``ConflictsPanel`` shows a :class:`~kfor_desk.services.conflicts.ConflictReport` handed to it
with :meth:`ConflictsPanel.set_report`. Its table model holds plain :class:`ConflictRow` values;
the widget holds no SQL and no rules — marking a pair deconflicted goes through
:func:`kfor_desk.services.conflicts.mark_deconflicted`, and whatever that refuses is shown in a
banner above the table.

``conflict_badges(report)`` gives the short badge text per register number for the registers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kfor_desk.domain.conflicts import ConflictStatus, Flag, TrackedConflict, flag_sort_key
from kfor_desk.domain.timefmt import format_dtg, format_dtg_local
from kfor_desk.domain.validation import RuleError
from kfor_desk.services.conflicts import ConflictReport, conflict_report, mark_deconflicted
from kfor_desk.services.desk import Desk
from kfor_desk.ui.widgets.sort_menu import install_sort_menu

__all__ = [
    "ConflictRow",
    "ConflictTableModel",
    "ConflictsPanel",
    "NotePrompt",
    "conflict_badges",
    "record_titles",
    "severity_colour",
]

# --- palette (matches the map: SAF red, KSF blue; status colours kept muted) -----------------
C_OPEN = QColor("#b3261e")
C_REOPENED = QColor("#b35c00")
C_DECONFLICTED = QColor("#2e7d32")
C_OPEN_BG = QColor("#fbeae8")
C_REOPENED_BG = QColor("#fdf0e0")
C_DECONFLICTED_BG = QColor("#eaf4ea")
C_MUTED = QColor("#5f6368")
C_SEVERE = QColor("#b3261e")
C_WARN = QColor("#b35c00")

PairRole = Qt.ItemDataRole.UserRole + 1  # (a, b) register numbers of a row
SortRole = Qt.ItemDataRole.UserRole + 2  # a plain sortable value per cell

NotePrompt = Callable[[QWidget, "ConflictRow"], str | None]


# ================================================================ badges
def conflict_badges(report: ConflictReport) -> dict[str, str]:
    """Register number → short badge for the registers.

    ``"⚠2"``: the record is in two open (or reopened) conflicts. ``"✓1"``: all its conflicts
    (here one) are marked deconflicted. Records in no current conflict have no entry.
    """
    open_count: dict[str, int] = {}
    done_count: dict[str, int] = {}
    for tracked in report.conflicts:
        target = open_count if tracked.status is ConflictStatus.OPEN else done_count
        for regno in tracked.conflict.key:
            target[regno] = target.get(regno, 0) + 1
    badges = {regno: f"✓{n}" for regno, n in done_count.items()}
    badges.update({regno: f"⚠{n}" for regno, n in open_count.items()})
    return badges


def record_titles(desk: Desk) -> dict[str, str]:
    """Register number → title of every saved record (one read through the desk)."""
    notes, reqs = desk.repo.all_records()
    titles = {n.register_no: n.title for n in notes if n.register_no}
    titles.update({r.register_no: r.title for r in reqs if r.register_no})
    return titles


def severity_colour(severity: int) -> QColor:
    """Flag colour by severity rank (0 is the most severe)."""
    if severity <= 2:
        return C_SEVERE
    if severity <= 5:
        return C_WARN
    return C_MUTED


# ================================================================ rows and model
@dataclass(frozen=True, slots=True)
class ConflictRow:
    """One conflict as the table shows it: plain values only."""

    a: str
    a_title: str
    b: str
    b_title: str
    distance_km: float
    window_start: datetime
    window_end: datetime
    overlapping: bool  # false: a near miss caught by the margin (the window is the gap)
    status: str  # "open" / "deconflicted" / "reopened"
    mark_note: str = ""
    marked_by: str = ""
    marked_at: datetime | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.a, self.b)

    @property
    def is_open(self) -> bool:
        return self.status != "deconflicted"

    @property
    def window_text(self) -> str:
        span = f"{format_dtg(self.window_start)} – {format_dtg(self.window_end)}"
        return span if self.overlapping else f"gap {span}"

    @property
    def status_text(self) -> str:
        return self.status.capitalize()

    @classmethod
    def from_tracked(cls, tracked: TrackedConflict,
                     titles: Mapping[str, str]) -> ConflictRow:
        c = tracked.conflict
        if tracked.reopened:
            status = "reopened"
        elif tracked.status is ConflictStatus.DECONFLICTED:
            status = "deconflicted"
        else:
            status = "open"
        mark = tracked.mark
        return cls(
            a=c.a, a_title=titles.get(c.a, ""), b=c.b, b_title=titles.get(c.b, ""),
            distance_km=c.distance_km, window_start=c.overlap_start, window_end=c.overlap_end,
            overlapping=c.overlapping, status=status,
            mark_note=mark.note if mark else "", marked_by=mark.marked_by if mark else "",
            marked_at=mark.marked_at if mark else None,
        )


_STATUS_RANK = {"open": 0, "reopened": 0, "deconflicted": 1}
_STATUS_FG = {"open": C_OPEN, "reopened": C_REOPENED, "deconflicted": C_DECONFLICTED}
_STATUS_BG = {"open": C_OPEN_BG, "reopened": C_REOPENED_BG,
              "deconflicted": C_DECONFLICTED_BG}

_ROOT = QModelIndex()
COL_A, COL_B, COL_DISTANCE, COL_WINDOW, COL_STATUS = range(5)
_HEADERS = ("SAF record", "KSF record", "Distance", "Overlap window (UTC)", "Status")


def conflict_rows(report: ConflictReport, titles: Mapping[str, str]) -> list[ConflictRow]:
    """The table's rows for ``report``, open and reopened first (plain values: the window
    builds them on its loader thread, so tens of thousands of pairs cost the GUI nothing)."""
    rows = [ConflictRow.from_tracked(t, titles) for t in report.conflicts]
    rows.sort(key=_row_order)
    return rows


def _row_order(r: ConflictRow) -> tuple[int, datetime]:
    return (_STATUS_RANK[r.status], r.window_start)


def _record_text(regno: str, title: str) -> str:
    return f"{regno}  {title}" if title else regno


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
        self._rows = list(rows) if ordered else sorted(rows, key=_row_order)
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
            self._rows.sort(key=lambda r: (self._sort_value(r, column), _row_order(r)),
                            reverse=order is Qt.SortOrder.DescendingOrder)
        else:
            self._rows.sort(key=_row_order)
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
                return QBrush(_STATUS_FG[r.status])
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(_STATUS_BG[r.status])
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
            return _record_text(r.a, r.a_title)
        if col == COL_B:
            return _record_text(r.b, r.b_title)
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
                _STATUS_RANK[r.status])[col] if 0 <= col < 5 else None

    @staticmethod
    def _tooltip(r: ConflictRow, col: int) -> str | None:
        if col == COL_A:
            return _record_text(r.a, r.a_title)
        if col == COL_B:
            return _record_text(r.b, r.b_title)
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


# ================================================================ the note prompt
class DeconflictNoteDialog(QDialog):
    """Asks what was done to deconflict a pair; OK only once something is written."""

    def __init__(self, row: ConflictRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Mark deconflicted")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        pair = QLabel(
            f"<b>{_html(_record_text(row.a, row.a_title))}</b><br>"
            f"<b>{_html(_record_text(row.b, row.b_title))}</b><br>"
            f"{row.distance_km:.1f} km apart · {_html(row.window_text)}")
        pair.setTextFormat(Qt.TextFormat.RichText)
        pair.setWordWrap(True)
        layout.addWidget(pair)
        layout.addWidget(QLabel("What was done to deconflict them (kept in the audit trail):"))
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(
            "e.g. KSF activity moved to 29 NOV after liaison with SAF LO; COMKFOR informed.")
        self.note.setTabChangesFocus(True)
        layout.addWidget(self.note)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Mark deconflicted")
        ok.setEnabled(False)
        self.note.textChanged.connect(
            lambda: ok.setEnabled(bool(self.note.toPlainText().strip())))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        hint = QLabel("Ctrl+Enter marks · Esc cancels")
        hint.setObjectName("hint")
        layout.addWidget(hint)
        for seq in ("Ctrl+Return", "Ctrl+Enter"):  # like every other dialog
            sc = QShortcut(QKeySequence(seq), self)
            sc.activated.connect(self._accept_if_written)
        self._ok = ok

    def text(self) -> str:
        return self.note.toPlainText().strip()

    def _accept_if_written(self) -> None:
        if self._ok.isEnabled():
            self.accept()


def ask_note(parent: QWidget, row: ConflictRow) -> str | None:
    """The default note prompt: a modal dialog; ``None`` when cancelled."""
    dialog = DeconflictNoteDialog(row, parent)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.text()
        return None
    finally:
        dialog.deleteLater()


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ================================================================ the panel
class ConflictsPanel(QWidget):
    """Conflicts (with actions) above, attention flags below."""

    recordSelected = Signal(str)
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
        self._titles: dict[str, str] = {}

        self.summary = QLabel("No conflicts loaded.")
        self.summary.setObjectName("conflictsSummary")
        self.banner = QLabel()
        self.banner.setObjectName("conflictsBanner")
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.hide()

        self.model = ConflictTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_A, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_B, QHeaderView.ResizeMode.Stretch)
        for col in (COL_DISTANCE, COL_WINDOW, COL_STATUS):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)

        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # open ones first until asked
        self.table.setSortingEnabled(True)
        install_sort_menu(self.table)

        self.record_button = QPushButton("Show record")
        self.record_button.setToolTip("Go to the record of the selected cell in its register "
                                      "(Enter)")
        self.map_button = QPushButton("Show on map")
        self.timeline_button = QPushButton("Show on timeline")
        self.mark_button = QPushButton("Mark deconflicted…")
        self.mark_button.setToolTip("Record what was done to deconflict the selected pair")
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
        self.flags = QTreeWidget()
        self.flags.setColumnCount(3)
        self.flags.setHeaderLabels(["Flag", "Record", "Detail"])
        self.flags.setRootIsDecorated(False)
        self.flags.setUniformRowHeights(True)
        self.flags.setAlternatingRowColors(True)
        self.flags.setWordWrap(False)
        fh = self.flags.header()
        fh.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        fh.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        fh.setStretchLastSection(True)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.flags_title)
        bottom_layout.addWidget(self.flags)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)

        self.map_button.clicked.connect(lambda: self._emit_pair(self.showOnMap))
        self.timeline_button.clicked.connect(lambda: self._emit_pair(self.showOnTimeline))
        self.mark_button.clicked.connect(self.mark_selected)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        # a click selects (the tab stays); Enter, a double click or "Show record" go to it
        self.record_button.clicked.connect(self.show_record)
        self.table.activated.connect(lambda _i: self.show_record())
        for key in ("Return", "Enter"):
            sc = QShortcut(QKeySequence(key), self.table)
            sc.setContext(Qt.ShortcutContext.WidgetShortcut)
            sc.activated.connect(self.show_record)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.flags.itemActivated.connect(self._flag_clicked)  # Enter / double click
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

    def report(self) -> ConflictReport | None:
        return self._report

    def selected_row(self) -> ConflictRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def selected_pair(self) -> tuple[str, str] | None:
        row = self.selected_row()
        return row.key if row else None

    def select_pair(self, a: str, b: str) -> bool:
        row = self.model.row_of(a, b)
        if row < 0:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def refresh(self) -> None:
        """Re-read the conflicts through the desk (as of its clock)."""
        self.set_report(conflict_report(self._desk))

    def mark_selected(self) -> bool:
        """Ask for the note and mark the selected pair deconflicted; ``True`` if marked."""
        row = self.selected_row()
        if row is None:
            return False
        note = self.note_prompt(self, row)
        if note is None:
            return False
        try:
            mark_deconflicted(self._desk, row.a, row.b, note)
        except RuleError as exc:
            self._show_refusal("Not marked: " + "; ".join(p.message for p in exc.problems))
            return False
        self._hide_refusal()
        self.refresh()
        self.select_pair(row.a, row.b)
        self.changed.emit()
        return True

    def refusal_text(self) -> str:
        return self.banner.text() if self.banner.isVisibleTo(self) else ""

    # ------------------------------------------------------------ internals
    def _fill_flags(self, flags: Iterable[Flag]) -> None:
        self.flags.clear()
        ordered = sorted(flags, key=flag_sort_key)
        items = []
        for flag in ordered:
            title = self._titles.get(flag.register_no, "")
            item = QTreeWidgetItem([flag.flag.label, flag.register_no, flag.detail])
            colour = severity_colour(flag.severity)
            item.setForeground(0, QBrush(colour))
            if flag.severity <= 2:
                font = item.font(0)
                font.setBold(True)
                item.setFont(0, font)
            item.setToolTip(1, _record_text(flag.register_no, title))
            item.setToolTip(2, flag.detail)
            item.setData(0, Qt.ItemDataRole.UserRole, flag.register_no)
            items.append(item)
        self.flags.addTopLevelItems(items)
        self.flags_title.setText(f"Attention flags ({len(items)}), most severe first"
                                 if items else "Attention flags: none")

    def _emit_pair(self, signal: Any) -> None:
        pair = self.selected_pair()
        if pair is not None:
            signal.emit(*pair)

    def _selection_changed(self, _sel: QItemSelection, _desel: QItemSelection) -> None:
        self._update_buttons()

    def show_record(self) -> bool:
        """Go to the record of the current cell (the second record's column: that one)."""
        index = self.table.currentIndex()
        row = self.selected_row()
        if row is None:
            return False
        self.recordSelected.emit(row.b if index.isValid() and index.column() == COL_B
                                 else row.a)
        return True

    def _flag_clicked(self, item: QTreeWidgetItem, _col: int) -> None:
        regno = item.data(0, Qt.ItemDataRole.UserRole)
        if regno:
            self.recordSelected.emit(str(regno))

    def _update_buttons(self) -> None:
        row = self.selected_row()
        for b in (self.record_button, self.map_button, self.timeline_button):
            b.setEnabled(row is not None)
        self.mark_button.setEnabled(row is not None and row.is_open)

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
        self.banner.setStyleSheet(
            "QLabel#conflictsBanner { background: #fbeae8; color: #8c1d18;"
            " border: 1px solid #e0a9a4; border-radius: 3px; padding: 6px; }")
        self.banner.show()

    def _hide_refusal(self) -> None:
        self.banner.clear()
        self.banner.hide()


def _hours(seconds: float) -> str:
    return f"{seconds / 3600:g} h"
