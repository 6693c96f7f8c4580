"""The duty officer's main window: the two registers, filters, detail pane, attention, status.

Wiring and presentation only: records, history, conflicts and reminders come from the services
as plain values; every change goes through the forms and workflow dialogs (which call the desk)
and ends in :meth:`MainWindow.refresh`. Errors are shown by :mod:`kfor_desk.ui.errors`.

Data safety: the window gets the :class:`~kfor_desk.services.opening.OpenResult` of the checks on
open (``safety``). A database that failed them is shown READ-ONLY under a red banner with
"Restore newest good backup…", and every action that writes is disabled; warnings from opening
are shown once in an amber banner. File ▸ Back up now / Restore…, a daily backup when due (an
hourly timer), and the exit backup when the window closes.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QByteArray,
    QModelIndex,
    QSettings,
    QStandardPaths,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDesktopServices,
    QGuiApplication,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QSystemTrayIcon,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kfor_desk.domain.enums import NotificationStatus, RequestStatus
from kfor_desk.domain.records import Record, RecordKind
from kfor_desk.domain.timefmt import LOCAL_ZONE, format_dtg, utc_now
from kfor_desk.domain.workflow import Action, available_actions
from kfor_desk.services import conflicts as conflict_service
from kfor_desk.services.attention import AttentionItem, attention_items, new_items
from kfor_desk.services.settings import DeskSettings
from kfor_desk.ui import palette
from kfor_desk.ui.errors import show_error
from kfor_desk.ui.models import NotificationModel, RegisterFilter, RegisterModel, RequestModel
from kfor_desk.ui.models import RowAttention as RowAtt
from kfor_desk.ui.panels.about import about_box
from kfor_desk.ui.panels.attention import AttentionPanel
from kfor_desk.ui.panels.backups import choose_backup_dialog, describe_reason
from kfor_desk.ui.panels.banner import Banner
from kfor_desk.ui.panels.detail import DetailPane, map_items
from kfor_desk.ui.panels.filter_bar import FilterBar
from kfor_desk.ui.panels.operator import OperatorDialog
from kfor_desk.ui.panels.pill import PillDelegate
from kfor_desk.ui.panels.settings_dialog import SettingsDialog
from kfor_desk.ui.panels.word_elide import WordElideDelegate
from kfor_desk.ui.timeline import (
    TimelineConflict,
    TimelineItem,
    TimelineView,
    items_from_records,
)

log = logging.getLogger("kfor_desk.ui")

# Dialogs written alongside (UI-B); the window still runs without them.
try:
    from kfor_desk.ui.forms import RecordDialog
except ImportError:  # pragma: no cover
    RecordDialog = None  # type: ignore[assignment,misc]
try:
    from kfor_desk.ui.actions import ActionDialog
except ImportError:  # pragma: no cover
    ActionDialog = None  # type: ignore[assignment,misc]
try:
    from kfor_desk.ui.conflicts_panel import ConflictsPanel, conflict_badges, conflict_rows
except ImportError:  # pragma: no cover
    ConflictsPanel = None  # type: ignore[assignment,misc]
    conflict_badges = None  # type: ignore[assignment]
    conflict_rows = None  # type: ignore[assignment]
try:
    from kfor_desk.ui.tasks import WorkerThreads, run_task
except ImportError:  # pragma: no cover
    run_task = None  # type: ignore[assignment]
    WorkerThreads = None  # type: ignore[assignment,misc]

if TYPE_CHECKING:  # the store (SQLAlchemy) loads after the window has painted
    from kfor_desk.services.backups import BackupInfo
    from kfor_desk.services.desk import Desk, Operator
    from kfor_desk.services.opening import OpenResult

ATTENTION_REFRESH_MS = 60_000
BACKUP_TICK_MS = 3_600_000  # the daily backup is made by the first tick after it is due
CHECKING_TITLE = "Checking the database (integrity and audit trail)…"
ROW_HEIGHT = 28

# default widths per column key (pixels); the operator's own are remembered
_WIDTHS = {"regno": 120, "received": 120, "title": 136, "location": 156, "band": 78,
           "period": 190, "status": 120, "due": 176, "attention": 120}
# what the officer must always see comes first on screen (the model keeps its own order)
_LEADING = ("regno", "received", "status", "due")
_WORD_ELIDED = frozenset({"title", "location", "period"})
# how far the first start shrinks columns on a small screen (see RegisterTable.fit_columns)
_MIN_WIDTHS = {"location": 96, "title": 92, "due": 140, "period": 168}
COLUMNS_KEY = "columns2"  # saved header states of the earlier column order are not reused


def _status_choices(kind: RecordKind) -> list[tuple[str, frozenset[str]]]:
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


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything a refresh shows, read once off the GUI thread (plain values only)."""

    now: datetime
    notes: list[Any]
    reqs: list[Any]
    settings: DeskSettings
    training: bool
    report: Any
    attention: list[AttentionItem]
    row_attention: dict[str, RowAtt]
    map_items: list[Any]
    timeline: list[TimelineItem]
    conflict_rows: list[Any]  # the conflicts panel's rows, in its order
    timeline_conflicts: list[TimelineConflict]

    @property
    def records(self) -> list[Record]:
        return [*self.notes, *self.reqs]

    def titles(self) -> dict[str, str]:
        return {r.register_no: r.title for r in self.records if r.register_no}


def row_attention(report: Any) -> dict[str, RowAtt]:
    """The attention column of each record: its conflict badge and flags, most severe first."""
    badges = conflict_badges(report) if conflict_badges is not None else {}
    flags: dict[str, list[tuple[int, str, str]]] = {}
    for f in report.flags:
        flags.setdefault(f.register_no, []).append((f.severity, f.flag.label, f.detail))
    out: dict[str, RowAtt] = {}
    for regno in set(badges) | set(flags):
        out[regno] = RowAtt(badges.get(regno, ""), tuple(sorted(flags.get(regno, []))))
    return out


def load_snapshot(desk: Desk) -> Snapshot:
    """Read the registers once and derive the rest from them (runs on a worker thread)."""
    now = desk.clock()
    notes, reqs = desk.repo.all_records()
    settings = desk.settings()
    training = desk.is_training()
    records: list[Record] = [*notes, *reqs]
    report = conflict_service.conflict_report(desk, now, records=records,
                                              desk_settings=settings)
    titles = {r.register_no: r.title for r in records if r.register_no}
    return Snapshot(now, notes, reqs, settings, training, report,
                    attention_items(records, now, settings), row_attention(report),
                    map_items(records), items_from_records(records),
                    conflict_rows(report, titles) if conflict_rows is not None else [],
                    [TimelineConflict.of(c) for c in report.conflicts])


def load_map_layers() -> Any:
    """The map's base layers and their simplified copies for the zoomed-out levels (computed
    once, cached by the domain; runs on a worker, so no zoom step waits for them)."""
    from kfor_desk.domain.geo.mapdata import map_layers, simplified
    from kfor_desk.ui.map.map_view import LOD_TOLERANCES_M

    layers = map_layers()
    for tolerance in LOD_TOLERANCES_M:
        simplified(layers, tolerance)
    return layers


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
        for n, col in enumerate(model.COLUMNS):
            self.setColumnWidth(n, _WIDTHS.get(col.key, 120))
            if col.pill:
                self.setItemDelegateForColumn(n, delegate)
            elif col.key in _WORD_ELIDED:
                self.setItemDelegateForColumn(n, words)
        keys = [c.key for c in model.COLUMNS]
        for to, key in enumerate(k for k in _LEADING if k in keys):
            hh.moveSection(hh.visualIndex(keys.index(key)), to)
        self.setSortingEnabled(True)
        self.sortByColumn(model.column_index("received"), Qt.SortOrder.DescendingOrder)

        self.fit_pending = False  # set when no column widths were saved (first start)
        self._loading = QLabel("Loading…", self.viewport())
        self._loading.setObjectName("loadingLabel")
        self._loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._loading.setStyleSheet(f"color: {palette.MUTED}; font-size: 12pt;")
        self._loading.hide()

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
        if self.fit_pending and self.viewport().width() > 300:
            self.fit_pending = False
            self.fit_columns()

    def fit_columns(self) -> None:
        """Shrink the name, place, period and due columns (to their minimum) so that every
        column, the last one (Attention) included, fits the visible width if it can: the
        first start on a 1366×768 screen. A width the officer set is never touched (this runs
        only when no column widths were saved)."""
        hh = self.horizontalHeader()
        keys = [c.key for c in self.register_model().COLUMNS]
        last = hh.logicalIndex(hh.count() - 1)
        want = sum(hh.sectionSize(i) for i in range(hh.count()) if i != last) \
            + _WIDTHS.get(keys[last], 110)
        excess = want - self.viewport().width()
        for key in ("location", "title", "due", "period"):
            if excess <= 0:
                break
            if key not in keys:
                continue
            col = keys.index(key)
            give = min(excess, hh.sectionSize(col) - _MIN_WIDTHS[key])
            if give > 0:
                self.setColumnWidth(col, hh.sectionSize(col) - give)
                excess -= give


class MainWindow(QMainWindow):
    """See the module docstring. ``settings`` is the window's QSettings (injected).

    Window first: with ``desk=None`` the window is built and can paint before the database is
    open (nothing of the store or SQLAlchemy is imported for it): the registers say
    "Loading…", the status bar "Opening …", and every action that needs the database is off
    until :meth:`open_with` hands it the opened desk. ``firstPainted`` is emitted (once, queued)
    after the window's first paint."""

    operatorChanged = Signal(object)
    refreshed = Signal()
    firstPainted = Signal()

    desk: Desk  # set by open_with (at once when a desk is given to the constructor)

    def __init__(self, desk: Desk | None, location: str, settings: QSettings, *,
                 tray: bool = True, safety: OpenResult | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._attached = False
        self._painted = False
        self.location = location
        self.qsettings = settings
        # the checks on open, the lock and the backups (None: a desk opened without them)
        self.safety = safety
        self._restoring = False
        self._safety_closed = False
        self._checks_stop = threading.Event()  # set when the window closes
        self.desk_settings: DeskSettings = DeskSettings()
        self._training = False
        self._seen_reminders: set[tuple[str, str]] | None = None
        self._selected: str | None = None
        self._report: Any = None
        self._load_task: Any = None  # the refresh being read off the GUI thread
        self._reload = False  # another refresh asked for while one was running
        self._after_load: list[Callable[[], None]] = []
        self._loaded_once = False
        self._closed = False
        self._shift_started: datetime | None = None  # known once a shift is handed over here
        # injectable for tests: the save-file chooser and what opens a finished brief
        self.choose_save_path: Callable[[str, str, str], str] = self._choose_save_path
        self.open_url: Callable[[QUrl], Any] = QDesktopServices.openUrl
        # injectable for tests: choosing a backup, confirming, and the warning at exit
        self.choose_backup: Callable[[list[BackupInfo]], Path | None] = (
            lambda backups: choose_backup_dialog(self, backups, self.location))
        self.confirm: Callable[[str, str], bool] = self._confirm
        self.warn_at_exit: Callable[[str], None] = self._warn_at_exit
        # one reader at a time: loads queue behind each other (and PROJ objects are never
        # created by two of our threads at once)
        self.load_pool = WorkerThreads(1, "kfor-load") if WorkerThreads is not None else None
        self.setObjectName("mainWindow")
        self.setMinimumSize(900, 600)

        # --- registers
        now = desk.clock() if desk is not None else utc_now()
        self.notifications = NotificationModel(self, now=now)
        self.requests = RequestModel(self, now=now)
        self.saf_table = RegisterTable(self.notifications)
        self.saf_table.setObjectName("safTable")
        self.ksf_table = RegisterTable(self.requests)
        self.ksf_table.setObjectName("ksfTable")
        self.filter_bar = FilterBar()
        self._filters: dict[int, RegisterFilter] = {0: RegisterFilter(), 1: RegisterFilter()}
        self.tabs = QTabWidget()
        self.tabs.setObjectName("registerTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.saf_table, "SAF exercise notifications")
        self.tabs.addTab(self.ksf_table, "KSF consent requests")
        self.conflicts: Any = None
        if ConflictsPanel is not None:
            self.conflicts = ConflictsPanel(desk)
            self.tabs.addTab(self.conflicts, "Conflicts")
        self.timeline = TimelineView(clock=self.clock)
        self.timeline.setObjectName("timeline")
        self.timeline.setToolTip("")
        self.tabs.addTab(self.timeline, "Timeline")
        self.attention = AttentionPanel()
        self.detail = DetailPane(defer_map=run_task is not None)

        left = QWidget()
        left_lay = QVBoxLayout(left)
        left_lay.setContentsMargins(0, 0, 0, 0)
        left_lay.setSpacing(0)
        left_lay.addWidget(self.filter_bar)
        left_lay.addWidget(self.tabs)
        self.left_split = QSplitter(Qt.Orientation.Vertical)
        self.left_split.setObjectName("leftSplitter")
        self.left_split.addWidget(left)
        self.left_split.addWidget(self.attention)
        self.left_split.setStretchFactor(0, 4)
        self.left_split.setStretchFactor(1, 1)
        self.left_split.setChildrenCollapsible(False)
        self.main_split = QSplitter(Qt.Orientation.Horizontal)
        self.main_split.setObjectName("mainSplitter")
        self.main_split.addWidget(self.left_split)
        self.main_split.addWidget(self.detail)
        self.main_split.setStretchFactor(0, 3)
        self.main_split.setStretchFactor(1, 2)
        self.main_split.setChildrenCollapsible(False)
        self.readonly_banner = Banner("error")
        self.readonly_banner.actionClicked.connect(self.restore_newest)
        self.warning_banner = Banner("warning")
        central = QWidget()
        central_lay = QVBoxLayout(central)
        central_lay.setContentsMargins(0, 0, 0, 0)
        central_lay.setSpacing(0)
        central_lay.addWidget(self.readonly_banner)
        central_lay.addWidget(self.warning_banner)
        central_lay.addWidget(self.main_split, 1)
        self.setCentralWidget(central)

        # --- status bar
        self.exercise_label = QLabel("  EXERCISE  EXERCISE  EXERCISE  ")
        self.exercise_label.setObjectName("exerciseLabel")
        self.exercise_label.setStyleSheet(
            f"background: {palette.EXERCISE_BG}; color: white; font-weight: bold; "
            "padding: 2px 8px; border-radius: 3px;")
        self.exercise_label.hide()
        self.operator_label = QLabel()
        self.operator_label.setObjectName("operatorLabel")
        self.db_label = QLabel()
        self.db_label.setObjectName("databaseLabel")
        self.clock_label = QLabel()
        self.clock_label.setObjectName("clockLabel")
        self.clock_label.setStyleSheet("font-family: 'DejaVu Sans Mono', monospace;")
        # the markings are permanent widgets: messages and menu hints (showMessage) use the
        # space on their left and never cover EXERCISE, the officer on shift or the database
        sb = self.statusBar()
        sb.addPermanentWidget(self.exercise_label)
        sb.addPermanentWidget(self.operator_label)
        sb.addPermanentWidget(self.db_label)
        sb.addPermanentWidget(self.clock_label)

        # --- actions, menus, toolbar
        self._build_actions()

        # --- signals
        self.filter_bar.changed.connect(self._filter_changed)
        self.tabs.currentChanged.connect(self._tab_changed)
        for table in (self.saf_table, self.ksf_table):
            table.selectionModel().currentRowChanged.connect(self._row_changed)
            table.customContextMenuRequested.connect(self._context_menu)
            table.doubleClicked.connect(lambda _i: self.amend_selected())
            table.register_model().rowsShown.connect(self._rows_shown)
        self.attention.recordSelected.connect(self.select_record)
        self.detail.recordSelected.connect(self._select_from_view)
        if self.conflicts is not None:
            self.conflicts.recordSelected.connect(self.select_record)
            self.conflicts.showOnMap.connect(self.show_pair_on_map)
            self.conflicts.showOnTimeline.connect(self.show_pair_on_timeline)
            self.conflicts.changed.connect(self.refresh)
            # after the panel's own update: no marking in read-only mode
            self.conflicts.table.selectionModel().selectionChanged.connect(
                lambda *_: self._apply_readonly())
        self.timeline.recordSelected.connect(self._select_from_view)

        # --- timers and tray
        self.clock_timer = QTimer(self)
        self.clock_timer.setInterval(1000)
        self.clock_timer.timeout.connect(self._tick_clock)
        self.clock_timer.start()
        self.attention_timer = QTimer(self)
        self.attention_timer.setInterval(ATTENTION_REFRESH_MS)
        self.attention_timer.timeout.connect(self.refresh_attention)
        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(BACKUP_TICK_MS)
        self.backup_timer.timeout.connect(self.backup_tick)
        self.tray: QSystemTrayIcon | None = None
        if tray and QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(self.windowIcon(), self)
            self.tray.setToolTip("KFOR Desk")
            self.tray.activated.connect(self._raise)
            self.tray.show()
        self.notify: Callable[[str, str], None] = self._tray_message

        self._tab_changed(0)
        self._tick_clock()
        self._restore_state()
        if desk is None:
            self._show_opening()
        else:
            self.open_with(desk, safety)

    # ================================================================ opening
    @property
    def attached(self) -> bool:
        """True once the window works on an open database."""
        return self._attached

    def clock(self) -> datetime:
        """The desk's clock (the system's UTC clock until a database is open)."""
        return self.desk.clock() if self._attached else utc_now()

    def _desk_actions(self) -> tuple[QAction, ...]:
        return (self.act_new_saf, self.act_new_ksf, self.act_amend, self.act_import,
                self.act_export_json, self.act_export_table, self.act_daily_brief,
                self.act_record_sheet, self.act_handover_brief, self.act_backup,
                self.act_restore, self.act_settings, self.act_refresh, self.act_handover)

    def _show_opening(self) -> None:
        for act in self._desk_actions():
            act.setEnabled(False)
        self.m_workflow.setEnabled(False)
        for table in (self.saf_table, self.ksf_table):
            table.set_loading(True)
        self.operator_label.setText("")
        self.db_label.setText(f"Opening {Path(self.location).name or self.location}…")
        self.db_label.setToolTip(self.location)
        self.setWindowTitle(f"KFOR Desk — opening {Path(self.location).name}…")

    def open_with(self, desk: Desk, safety: OpenResult | None = None, *,
                  location: str | None = None) -> None:
        """Work on ``desk`` (opened with ``safety``, the checks on open): the banners and
        actions follow from it; the records, conflicts and the map's layers are read off the
        GUI thread and filled in when done; deferred checks start behind the first load."""
        if self._attached:
            raise RuntimeError("the window already works on a database")
        self.desk = desk
        self.safety = safety
        if location is not None:
            self.location = location
        self._attached = True
        if self.conflicts is not None:
            self.conflicts.set_desk(desk)
        available = run_task is not None
        for act in (self.act_export_json, self.act_export_table, self.act_daily_brief,
                    self.act_handover_brief):
            act.setEnabled(available)
        for act in (self.act_settings, self.act_refresh, self.act_handover):
            act.setEnabled(True)
        self._tick_clock()
        self._show_safety(first=True)
        self.attention_timer.start()
        self.backup_timer.start()
        self.refresh()
        self._load_map()
        self._start_checks()

    def paintEvent(self, event: Any) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            # queued: the listeners run after this paint has reached the screen
            QTimer.singleShot(0, self.firstPainted.emit)

    # ================================================================ actions
    def _action(self, text: str, slot: Callable[[], Any], shortcut: Any = None,
                tip: str = "") -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        if tip:
            act.setStatusTip(tip)
            act.setToolTip(tip)
        act.triggered.connect(lambda _=False: slot())
        return act

    def _build_actions(self) -> None:
        keys = QKeySequence.StandardKey
        self.act_new_saf = self._action("New SAF &notification…", self.new_notification,
                                        "Ctrl+N", "Log a new SAF exercise notification")
        self.act_new_ksf = self._action("New KSF &request…", self.new_request,
                                        "Ctrl+Shift+N", "Log a new KSF consent request")
        self.act_amend = self._action("&Amend selected…", self.amend_selected, "Ctrl+E",
                                      "Amend or correct the selected record")
        self.act_search = self._action("&Search", self.focus_search, keys.Find,
                                       "Search every field of the register")
        self.act_refresh = self._action("&Refresh", self.refresh, keys.Refresh,
                                        "Re-read the registers from the database")
        self.act_quit = self._action("&Quit", self.close, keys.Quit)
        self.act_handover = self._action("&Hand over shift…", self.hand_over, "Ctrl+Shift+H",
                                         "Change the operator on shift")
        self.act_settings = self._action("Desk &settings…", self.open_settings, None,
                                         "Markings, conflict distance and margin, reminders")
        self.act_about = self._action("&About KFOR Desk", self.show_about)
        self.act_import = self._action("&Import records (JSON)…", self.import_json)
        self.act_export_json = self._action("&Export records (JSON)…", self.export_json)
        self.act_export_table = self._action("Export &table (CSV, XLSX, ICS)…",
                                             self.export_table)
        self.act_clear_filters = self._action("&Clear filters", self.filter_bar.clear,
                                              "Ctrl+Shift+F")
        self.act_daily_brief = self._action("&Daily brief…", self.daily_brief, "Ctrl+P",
                                            "The daily deconfliction brief as a PDF")
        self.act_record_sheet = self._action("Record &sheet…", self.record_sheet, None,
                                             "The selected record with its history, as a PDF")
        self.act_handover_brief = self._action("Shift hando&ver…", self.handover_brief, None,
                                               "What changed this shift and what is pending")
        self.act_backup = self._action("&Back up now", self.backup_now, None,
                                       "Make a verified backup of the database now")
        self.act_restore = self._action("Rest&ore from a backup…", self.restore_from_backup,
                                        None, "Put one of the database's backups in its place")
        self.act_quit.setMenuRole(QAction.MenuRole.QuitRole)
        self.act_about.setMenuRole(QAction.MenuRole.AboutRole)

        mb = self.menuBar()
        m_file = mb.addMenu("&File")
        for a in (self.act_import, self.act_export_json, self.act_export_table):
            m_file.addAction(a)
        m_file.addSeparator()
        for a in (self.act_daily_brief, self.act_record_sheet, self.act_handover_brief):
            m_file.addAction(a)
        m_file.addSeparator()
        m_file.addAction(self.act_backup)
        m_file.addAction(self.act_restore)
        m_file.addSeparator()
        m_file.addAction(self.act_settings)
        m_file.addSeparator()
        m_file.addAction(self.act_quit)
        self.m_record = mb.addMenu("&Record")
        self.m_record.addAction(self.act_new_saf)
        self.m_record.addAction(self.act_new_ksf)
        self.m_record.addSeparator()
        self.m_record.addAction(self.act_amend)
        self.m_workflow = self.m_record.addMenu("&Workflow")
        self.m_workflow.aboutToShow.connect(
            lambda: self._fill_workflow_menu(self.m_workflow, self.selected_record()))
        m_view = mb.addMenu("&View")
        for n, label in enumerate(("&SAF notifications", "&KSF requests", "&Conflicts",
                                   "&Timeline")):
            tab = self._action(label, self._tab_switcher(n), f"Ctrl+{n + 1}")
            m_view.addAction(tab)
        m_view.addSeparator()
        for a in (self.act_search, self.act_clear_filters, self.act_refresh):
            m_view.addAction(a)
        m_view.addSeparator()
        self.act_night = self._action("&Night theme", lambda: None, None,
                                      "Dark colours for a dim room (remembered)")
        self.act_night.setCheckable(True)
        self.act_night.setChecked(palette.THEME.name == "night")
        self.act_night.toggled.connect(self.set_night_theme)
        m_view.addAction(self.act_night)
        m_shift = mb.addMenu("&Shift")
        m_shift.addAction(self.act_handover)
        m_help = mb.addMenu("&Help")
        m_help.addAction(self.act_about)

        tb = self.addToolBar("Main")
        tb.setObjectName("mainToolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for a in (self.act_new_saf, self.act_new_ksf, self.act_amend):
            tb.addAction(a)
        tb.addSeparator()
        tb.addAction(self.act_refresh)
        tb.addAction(self.act_handover)
        if RecordDialog is None:
            for a in (self.act_new_saf, self.act_new_ksf, self.act_amend):
                a.setEnabled(False)
                a.setToolTip("The record forms are not installed")
        if run_task is None:
            for a in (self.act_import, self.act_export_json, self.act_export_table):
                a.setEnabled(False)

    def _tab_switcher(self, n: int) -> Callable[[], None]:
        def switch() -> None:
            self.tabs.setCurrentIndex(n)

        return switch

    # ================================================================ data
    def current_table(self) -> RegisterTable | None:
        w = self.tabs.currentWidget()
        return w if isinstance(w, RegisterTable) else None

    def current_model(self) -> RegisterModel[Any] | None:
        t = self.current_table()
        return t.register_model() if t is not None else None

    def refresh(self, then: Callable[[], None] | None = None) -> None:
        """Re-read the registers, conflicts and reminders (F5, after every change) off the
        GUI thread; the window keeps showing what it has until the new values are in.
        ``then`` runs (on the GUI thread) once they are shown. A refresh asked for while
        one is running starts again when it ends, so the last change is always shown."""
        if then is not None:
            self._after_load.append(then)
        if not self._attached:  # open_with starts the first load
            return
        if self._load_task is not None:
            self._reload = True
            return
        if not self._loaded_once:
            for table in (self.saf_table, self.ksf_table):
                table.set_loading(True)
            self.statusBar().showMessage("Loading the registers…")
        desk = self.desk
        if run_task is None:  # pragma: no cover - tasks module missing
            try:
                self._loaded(load_snapshot(desk))
            except Exception as exc:
                self._load_failed(exc)
            return
        self._load_task = run_task(self, "Loading the registers", lambda _p: load_snapshot(desk),
                                   self._loaded, self._load_failed, cancellable=False,
                                   show_dialog=False, pool=self.load_pool)

    def is_loading(self) -> bool:
        """True while a refresh is being read."""
        return self._load_task is not None

    def is_ready(self) -> bool:
        """True once the registers have been shown and no refresh is being read."""
        return self._loaded_once and self._load_task is None

    def _load_failed(self, exc: BaseException) -> None:
        self._load_task = None
        if self._closed:
            return
        for table in (self.saf_table, self.ksf_table):
            table.set_loading(False)
        self.statusBar().clearMessage()
        self._after_load.clear()
        show_error(self, exc, "Refresh")
        if self._reload:
            self._reload = False
            self.refresh()

    def _loaded(self, snap: Snapshot) -> None:
        self._load_task = None
        if self._closed:
            return
        if self._reload:  # something changed while reading: read again, show this meanwhile
            self._reload = False
            self.refresh()
        self._apply(snap)

    def _apply(self, snap: Snapshot) -> None:
        first = not self._loaded_once
        self._loaded_once = True
        self.desk_settings = snap.settings
        self._training = snap.training
        self._report = snap.report
        for model in (self.notifications, self.requests):
            model.set_due_soon_hours(snap.settings.due_soon_h)
        self.notifications.set_records(snap.notes, snap.now, snap.row_attention)
        self.requests.set_records(snap.reqs, snap.now, snap.row_attention)
        for table in (self.saf_table, self.ksf_table):
            table.set_loading(False)
        if self.conflicts is not None:
            self.conflicts.set_report(snap.report, snap.titles(), snap.conflict_rows)
            n_open = len(snap.report.open_conflicts)
            self.tabs.setTabText(self.tabs.indexOf(self.conflicts),
                                 f"Conflicts ({n_open} open)" if n_open else "Conflicts")
        self.detail.set_map_items(snap.map_items)
        self.timeline.set_items(snap.timeline, snap.timeline_conflicts)
        self._show_attention(snap.attention)
        self._apply_readonly()
        if first:
            self.statusBar().clearMessage()
        if self._selected:
            self.select_record(self._selected, switch_tab=False)
        pending, self._after_load = self._after_load, []
        if self._load_task is None:
            for fn in pending:
                fn()
        else:  # they wait for the newer values
            self._after_load = pending
        self.refreshed.emit()

    def _load_map(self) -> None:
        if self.detail.map is not None or run_task is None:
            return

        def failed(exc: BaseException) -> None:
            log.warning("map layers not loaded: %s", exc)
            if not self._closed and self.detail.map_placeholder is not None:
                self.detail.map_placeholder.setText("The map could not be drawn.")

        def done(layers: Any) -> None:
            if not self._closed:
                self.detail.install_map(layers)

        run_task(self, "Loading the map", lambda _p: load_map_layers(), done, failed,
                 cancellable=False, show_dialog=False, pool=self.load_pool)

    def refresh_attention(self) -> None:
        """The timer: move the clock of the registers and recompute the reminders."""
        if not self.attention.is_loaded():  # the first read has not come in yet
            return
        try:
            now = self.desk.clock()
            notes, reqs = self.notifications.records(), self.requests.records()
            self.notifications.set_now(now)
            self.requests.set_now(now)
            self._show_attention(attention_items([*notes, *reqs], now, self.desk_settings))
        except Exception as exc:
            show_error(self, exc, "Reminders")

    def _show_attention(self, items: list[AttentionItem]) -> None:
        self.attention.set_items(items)
        keys = {i.key for i in items}
        if self._seen_reminders is not None:
            fresh = new_items(items, self._seen_reminders)
            if fresh:
                first = fresh[0]
                more = f" (+{len(fresh) - 1} more)" if len(fresh) > 1 else ""
                self.notify(f"{first.reminder.label}: {first.register_no}{more}", first.detail)
        self._seen_reminders = keys

    def _raise(self, *_args: Any) -> None:
        self.showNormal()
        self.activateWindow()

    def _tray_message(self, title: str, text: str) -> None:
        if self.tray is not None:
            self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Warning, 15_000)

    # ================================================================ selection
    def selected_record(self) -> Record | None:
        table = self.current_table()
        if table is None:
            return None
        idx = table.currentIndex()
        return table.register_model().record_at(idx.row()) if idx.isValid() else None

    def select_record(self, register_no: str, switch_tab: bool = True) -> bool:
        """Select a record in its register (clearing the filter if it hides the record) and
        show it in the detail pane."""
        table = self.saf_table if register_no.startswith("SAF") else self.ksf_table
        model = table.register_model()
        row = model.row_of(register_no)
        if row is None and switch_tab:
            if self.tabs.currentWidget() is not table:
                self.tabs.setCurrentWidget(table)
            self.filter_bar.clear()
            row = model.row_of(register_no)
        if row is None:
            if not switch_tab:
                self._selected = register_no
                self._show_detail(register_no)
            return False
        if switch_tab and self.tabs.currentWidget() is not table:
            self.tabs.setCurrentWidget(table)
        self._selected = register_no
        index = model.index(row, 0)
        table.setCurrentIndex(index)
        table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        self._show_detail(register_no)
        return True

    def _select_from_view(self, register_no: str) -> None:
        """A record clicked on the timeline or the map: select it everywhere, staying where
        the operator is (the register row is selected in its table behind)."""
        self.select_record(register_no, switch_tab=self.current_table() is not None)

    def show_pair_on_timeline(self, a: str, b: str) -> None:
        """A conflicting pair on the timeline: both lanes on top, the overlap centred."""
        self.tabs.setCurrentWidget(self.timeline)
        self.timeline.focus_pair(a, b)
        self.select_record(a, switch_tab=False)

    def show_pair_on_map(self, a: str, b: str) -> None:
        """A conflicting pair on the map: the first record selected and centred."""
        self.select_record(a, switch_tab=False)
        self.statusBar().showMessage(f"Map: {a} (in conflict with {b}).", 8000)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        table = self.current_table()
        if table is None or not current.isValid():
            return
        rec = table.register_model().record_at(current.row())
        if rec is not None and rec.register_no and rec.register_no != self._shown_regno():
            self._selected = rec.register_no
            self._show_detail(rec.register_no, rec)

    def _shown_regno(self) -> str | None:
        rec = self.detail.record()
        return rec.register_no if rec is not None else None

    def _show_detail(self, register_no: str, record: Record | None = None) -> None:
        try:
            rec = self.desk.repo.get(register_no) if record is None else record
            history = self.desk.repo.history(register_no)
        except Exception as exc:
            show_error(self, exc, "Record")
            return
        lines: list[str] = []
        if self._report is not None:
            for tracked in self._report.involving(register_no):
                other = [r for r in tracked.conflict.key if r != register_no]
                state = "open" if tracked.status.value == "open" else "deconflicted"
                lines.append(f"Conflict with {other[0] if other else '?'} ({state})")
            lines += [f"{f.flag.label}: {f.detail}" for f in self._report.flags_of(register_no)]
        self.detail.show_record(rec, history, lines)
        if self.timeline.selected() != register_no:
            self.timeline.select(register_no)
        self._update_actions()

    def _update_actions(self) -> None:
        rec = self.selected_record()
        self.act_amend.setEnabled(rec is not None and RecordDialog is not None
                                  and not self.is_readonly())
        self.act_record_sheet.setEnabled(rec is not None and run_task is not None)

    # ================================================================ filters
    def _tab_changed(self, index: int) -> None:
        model = self.current_model()
        self.filter_bar.setEnabled(model is not None)
        if model is None:
            self.filter_bar.count.clear()
            return
        kind = RecordKind.SAF if model is self.notifications else RecordKind.KSF
        flt = model.filter()
        self.filter_bar.set_status_choices(_status_choices(kind), flt)
        self.filter_bar.show_filter(flt)
        self.filter_bar.set_count(model.rowCount(), model.total_count())
        table = self.current_table()
        if table is not None:
            cur = table.currentIndex()
            rec = model.record_at(cur.row()) if cur.isValid() else None
            if rec is not None and rec.register_no:
                self._selected = rec.register_no
                self._show_detail(rec.register_no, rec)
        self._update_actions()

    def _filter_changed(self, flt: RegisterFilter) -> None:
        model = self.current_model()
        if model is None:
            return
        model.set_filter(flt)
        # search, time and distance apply to both registers (statuses differ per register)
        other = self.requests if model is self.notifications else self.notifications
        other.set_filter(replace(other.filter(), text=flt.text, phase=flt.phase,
                                 bands=flt.bands))
        table = self.current_table()
        if table is not None and self._selected:
            row = model.row_of(self._selected)
            if row is not None:
                table.setCurrentIndex(model.index(row, 0))

    def _rows_shown(self, shown: int, total: int) -> None:
        model = self.sender()
        if model is self.current_model():
            self.filter_bar.set_count(shown, total)
        count = f"{shown} of {total}" if shown != total else f"{total}"
        if model is self.notifications:
            self.tabs.setTabText(0, f"SAF exercise notifications ({count})")
        elif model is self.requests:
            self.tabs.setTabText(1, f"KSF consent requests ({count})")

    def focus_search(self) -> None:
        if self.current_table() is None:
            self.tabs.setCurrentIndex(0)
        self.filter_bar.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_bar.search.selectAll()

    # ================================================================ records
    def _open_dialog(self, dlg: Any) -> None:
        dlg.saved.connect(self._saved)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dlg.open()

    def new_notification(self) -> Any:
        return self._new(RecordKind.SAF)

    def new_request(self) -> Any:
        return self._new(RecordKind.KSF)

    def _new(self, kind: RecordKind) -> Any:
        if RecordDialog is None or self.is_readonly():
            return None
        dlg = RecordDialog(self.desk, kind, None, self)
        self._open_dialog(dlg)
        return dlg

    def amend_selected(self) -> Any:
        rec = self.selected_record()
        if rec is None or RecordDialog is None or self.is_readonly():
            return None
        dlg = RecordDialog(self.desk, rec.kind, rec, self)
        self._open_dialog(dlg)
        return dlg

    def run_action(self, record: Record, action: Action) -> Any:
        if ActionDialog is None or self.is_readonly():
            return None
        dlg = ActionDialog(self.desk, record, action, self)
        self._open_dialog(dlg)
        return dlg

    def _saved(self, record: Record) -> None:
        self._selected = record.register_no
        regno = record.register_no
        if regno:
            self.refresh(then=lambda: self._select_saved(regno))
        else:
            self.refresh()
        self.statusBar().showMessage(f"Saved {record.register_no}.", 8000)

    def _select_saved(self, register_no: str) -> None:
        self.select_record(register_no)

    def _fill_workflow_menu(self, menu: QMenu, record: Record | None) -> None:
        menu.clear()
        if record is None:
            menu.addAction("(select a record)").setEnabled(False)
            return
        actions = available_actions(record)
        if not actions:
            menu.addAction("(no further steps)").setEnabled(False)
        for action in actions:
            a = menu.addAction(f"{action.label}…")
            a.setEnabled(ActionDialog is not None and not self.is_readonly())
            a.triggered.connect(lambda _=False, r=record, act=action: self.run_action(r, act))

    def _context_menu(self, pos: Any) -> None:
        table = self.current_table()
        if table is None:
            return
        idx = table.indexAt(pos)
        if not idx.isValid():
            return
        table.setCurrentIndex(idx)
        rec = table.register_model().record_at(idx.row())
        menu = QMenu(self)
        menu.addAction(self.act_amend)
        menu.addAction(self.act_record_sheet)
        menu.addSeparator()
        for action in available_actions(rec) if rec is not None else []:
            a = menu.addAction(f"{action.label}…")
            a.setEnabled(ActionDialog is not None and not self.is_readonly())
            a.triggered.connect(lambda _=False, r=rec, act=action: self.run_action(r, act))
        menu.popup(table.viewport().mapToGlobal(pos))

    # ================================================================ shift and settings
    def hand_over(self) -> OperatorDialog:
        dlg = OperatorDialog(self.desk.operator, self, handover=True)
        dlg.chosen.connect(self.set_operator)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dlg.open()
        return dlg

    def set_operator(self, operator: Operator) -> None:
        old = self.desk.operator
        self.desk.set_operator(operator)
        self._shift_started = self.desk.clock()
        log.info("shift handed over: %s -> %s", old.display, operator.display)
        self._update_status()
        self.operatorChanged.emit(operator)
        self.statusBar().showMessage(f"{operator.display} is now on shift.", 8000)

    def set_night_theme(self, on: bool) -> None:
        """View ▸ Night theme: remembered; the window's palette changes at once, the map,
        timeline and detail texts at the next start (they take their colours when loaded)."""
        name = "night" if on else "day"
        self.qsettings.setValue("view/theme", name)
        self.qsettings.sync()
        palette.use_theme(name)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            palette.apply_palette(app)
        for table in (self.saf_table, self.ksf_table):
            table.viewport().update()
        self.statusBar().showMessage(
            f"{'Night' if on else 'Day'} theme on (remembered); the map and the timeline "
            "change at the next start.", 10_000)

    def open_settings(self) -> SettingsDialog:
        try:
            current = self.desk.settings()
        except Exception as exc:
            show_error(self, exc, "Settings")
            current = self.desk_settings
        dlg = SettingsDialog(current, self.desk.save_settings, self,
                             readonly=self.is_readonly())
        dlg.saved.connect(lambda _s: self.refresh())
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dlg.open()
        return dlg

    def show_about(self) -> QMessageBox:
        try:
            head = self.desk.repo.chain_head()
        except Exception:
            head = ""
        box = about_box(self, self.location, head)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        box.open()
        return box

    # ================================================================ import / export
    def _last_dir(self) -> str:
        return str(self.qsettings.value("paths/last_dir", str(Path.home())))

    def _remember_dir(self, path: str) -> None:
        self.qsettings.setValue("paths/last_dir", str(Path(path).parent))

    def _task_error(self, title: str) -> Callable[[BaseException], None]:
        def show(exc: BaseException) -> None:
            show_error(self, exc, title)

        return show

    def import_json(self, path: str | None = None) -> Any:
        from kfor_desk.services.exchange import import_json

        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "Import records", self._last_dir(),
                                                  "KFOR Desk exchange (*.json)")
        if not path or run_task is None:
            return None
        self._remember_dir(path)
        desk = self.desk

        def done(report: Any) -> None:
            self.refresh()
            box = QMessageBox(QMessageBox.Icon.Information, "Import", report.summary(),
                              parent=self)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
            box.open()

        return run_task(self, "Importing records", lambda _p: import_json(desk, path), done,
                        self._task_error("Import"), cancellable=False)

    def export_json(self, path: str | None = None) -> Any:
        from kfor_desk.services.exchange import export_json

        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, "Export records", os.path.join(self._last_dir(), "kfor-desk-export.json"),
                "KFOR Desk exchange (*.json)")
        if not path or run_task is None:
            return None
        self._remember_dir(path)
        desk = self.desk
        return run_task(self, "Exporting records", lambda _p: export_json(desk, path),
                        lambda n: self.statusBar().showMessage(
                            f"Exported {n} records to {path}.", 10_000),
                        self._task_error("Export"), cancellable=False)

    def export_table(self, path: str | None = None) -> Any:
        from kfor_desk.services.tables import export

        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, "Export table", os.path.join(self._last_dir(), "kfor-desk.xlsx"),
                "Excel (*.xlsx);;CSV (*.csv);;Calendar (*.ics)")
        if not path or run_task is None:
            return None
        self._remember_dir(path)
        desk = self.desk
        return run_task(self, "Exporting table", lambda _p: export(desk, path),
                        lambda n: self.statusBar().showMessage(
                            f"Exported {n} records to {path}.", 10_000),
                        self._task_error("Export"), cancellable=False)

    # ================================================================ briefs
    def _brief_dir(self) -> str:
        docs = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        return str(self.qsettings.value("paths/brief_dir", docs))

    def _choose_save_path(self, title: str, default: str, filters: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self, title, default, filters)
        return path

    def _brief(self, title: str, name: str, write: Callable[[Desk, str], Any]) -> Any:
        """Ask where, build the PDF off the GUI thread with progress, offer to open it."""
        if run_task is None:
            return None
        default = os.path.join(self._brief_dir(), name)
        path = self.choose_save_path(title, default, "PDF (*.pdf)")
        if not path:
            return None
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        self.qsettings.setValue("paths/brief_dir", str(Path(path).parent))
        desk = self.desk

        def failed(exc: BaseException) -> None:
            from kfor_desk.services.files import OutputError

            if isinstance(exc, (OSError, OutputError)):
                why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
                exc = OutputError(f"{title} could not be written: {why}. Choose another "
                                  "folder; any earlier file there is unchanged.")
            show_error(self, exc, title)

        def done(_result: Any) -> None:
            if not self._closed:
                self.offer_open(title, path)

        return run_task(self, f"Building the {title.lower()}", lambda _p: write(desk, path),
                        done, failed, cancellable=False)

    def offer_open(self, title: str, path: str) -> QMessageBox:
        """Say where the brief is and offer to open it."""
        self.statusBar().showMessage(f"{title} written to {path}.", 10_000)
        box = QMessageBox(QMessageBox.Icon.Information, title,
                          f"{title} written to\n{path}", parent=self)
        open_button = box.addButton("Open", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)

        def clicked(button: Any) -> None:
            if button is open_button:
                self.open_url(QUrl.fromLocalFile(path))

        box.buttonClicked.connect(clicked)
        box.open()
        return box

    def daily_brief(self) -> Any:
        from kfor_desk.services.briefs import write_daily_brief

        name = f"daily-brief-{format_dtg(self.desk.clock())}.pdf"
        return self._brief("Daily brief", name, lambda d, p: write_daily_brief(d, p))

    def record_sheet(self, register_no: str | None = None) -> Any:
        from kfor_desk.services.briefs import write_record_sheet

        if register_no is None:
            rec = self.selected_record()
            register_no = rec.register_no if rec is not None else None
        if not register_no:
            return None
        regno = register_no
        name = f"record-sheet-{regno}-{format_dtg(self.desk.clock())}.pdf"
        return self._brief("Record sheet", name,
                           lambda d, p: write_record_sheet(d, regno, p))

    def handover_brief(self) -> Any:
        from kfor_desk.services.briefs import write_handover

        now = self.desk.clock()
        since = self._shift_started or now - timedelta(hours=12)
        name = f"shift-handover-{format_dtg(now)}.pdf"
        return self._brief("Shift handover", name,
                           lambda d, p: write_handover(d, p, since=since))

    # ================================================================ status bar
    def _update_status(self) -> None:
        if not self._attached:
            return
        op = self.desk.operator
        self.operator_label.setText(f"On shift: <b>{op.display}</b>")
        ro = " (read-only)" if getattr(self.desk.db, "readonly", False) else ""
        name = Path(self.location).name if "://" not in self.location else self.location
        self.db_label.setText(f"Database: {name}{ro}")
        self.db_label.setToolTip(self.location)
        self.exercise_label.setVisible(self._training)
        prefix = "EXERCISE — " if self._training else ""
        self.setWindowTitle(f"{prefix}KFOR Desk — {op.display} — {Path(self.location).name}")

    def _tick_clock(self) -> None:
        now: datetime = self.clock()
        local = now.astimezone(LOCAL_ZONE)
        self.clock_label.setText(f"{format_dtg(now)}   {now:%H:%M:%S}Z   "
                                 f"{local:%H:%M} {local.tzname()}")

    # ================================================================ window state
    def _restore_state(self) -> None:
        s = self.qsettings
        geo = s.value("window/geometry")
        if isinstance(geo, QByteArray) and not geo.isEmpty():
            self.restoreGeometry(geo)
        else:  # first start: the whole screen (1366×768 laptop or 1920×1080 desk)
            screen = self.screen() or QGuiApplication.primaryScreen()
            if screen is not None:
                avail = screen.availableGeometry()
                self.resize(min(1400, avail.width()), min(880, avail.height()))
            else:
                self.resize(1400, 880)
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
        state = s.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        for key, split in (("window/main_split", self.main_split),
                           ("window/left_split", self.left_split),
                           ("window/detail_split", self.detail.splitter)):
            val = s.value(key)
            if isinstance(val, QByteArray):
                split.restoreState(val)
            elif split is self.main_split:
                split.setSizes([990, 410])
            elif split is self.left_split:
                split.setSizes([620, 180])
        for key, table in ((f"{COLUMNS_KEY}/saf", self.saf_table),
                           (f"{COLUMNS_KEY}/ksf", self.ksf_table)):
            val = s.value(key)
            if isinstance(val, QByteArray):
                table.horizontalHeader().restoreState(val)
            else:
                table.fit_pending = True

    def save_state(self) -> None:
        s = self.qsettings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/main_split", self.main_split.saveState())
        s.setValue("window/left_split", self.left_split.saveState())
        s.setValue("window/detail_split", self.detail.splitter.saveState())
        s.setValue(f"{COLUMNS_KEY}/saf", self.saf_table.horizontalHeader().saveState())
        s.setValue(f"{COLUMNS_KEY}/ksf", self.ksf_table.horizontalHeader().saveState())
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closed = True  # a load still running is dropped when it ends
        self._checks_stop.set()  # checks still running stop (nothing concluded, no backup)
        self.save_state()
        self.clock_timer.stop()
        self.attention_timer.stop()
        self.backup_timer.stop()
        if self.tray is not None:
            self.tray.hide()
        self.close_database()
        super().closeEvent(event)

    def close_database(self) -> None:
        """The end: let running work finish, then the exit backup and the lock (once)."""
        if self.safety is None or self._safety_closed:
            return
        self._safety_closed = True
        if self.load_pool is not None:
            self.load_pool.waitForDone(15_000)
        if run_task is not None:
            from kfor_desk.ui.tasks import wait_for_tasks

            wait_for_tasks(15_000)
        try:
            problems = self.safety.close()
        except Exception as exc:  # never lose the message at exit
            log.exception("closing the database failed")
            problems = [f"closing the database failed: {exc}"]
        for problem in problems:
            log.warning("at exit: %s", problem)
        if problems:
            self.warn_at_exit("; ".join(problems))

    def _warn_at_exit(self, text: str) -> None:
        QMessageBox.warning(self, "KFOR Desk — backup on exit",
                            f"{text[0].upper()}{text[1:]}.\n\nYour records are saved; make a "
                            "backup by hand (kfor-desk backup) before you rely on one.")

    # ================================================================ data safety
    def is_readonly(self) -> bool:
        """True when nothing can be saved (the checks on open failed, or read-only access)."""
        if not self._attached or (self.safety is not None and self.safety.readonly):
            return True
        return bool(getattr(self.desk.db, "readonly", False)) or self._restoring

    def _show_safety(self, first: bool = False) -> None:
        """The banners and the state of every action that writes."""
        safety = self.safety
        if safety is not None and safety.readonly_reason:
            lines = [safety.readonly_reason]
            action = "Restore newest good backup…" if safety.newest_backup else ""
            self.readonly_banner.show_message("READ-ONLY — nothing can be saved", lines, action)
        elif getattr(self.desk.db, "readonly", False):
            self.readonly_banner.show_message(
                "READ-ONLY — nothing can be saved",
                ["The database was opened read-only; you can read and print."])
        else:
            self.readonly_banner.hide()
        if first and safety is not None and safety.warnings:
            warnings = [w[0].upper() + w[1:] for w in safety.warnings if w]
            self.warning_banner.show_message("Please read", warnings)
        self._apply_readonly()

    def _apply_readonly(self) -> None:
        ro = self.is_readonly()
        pending = self.safety is not None and self.safety.pending_checks
        why = ("The database is being checked: saving is possible as soon as the checks pass."
               if pending else
               "The database is open read-only: nothing can be saved." if ro else "")
        for act in (self.act_new_saf, self.act_new_ksf, self.act_import):
            act.setEnabled(not ro and (RecordDialog is not None or act is self.act_import))
        for act in (self.act_new_saf, self.act_new_ksf, self.act_import, self.act_amend):
            act.setToolTip(why or act.statusTip())
        self.act_amend.setEnabled(not ro and self.selected_record() is not None
                                  and RecordDialog is not None)
        self.m_workflow.setEnabled(not ro)
        has_file = self.safety is not None and self.safety.path is not None
        self.act_backup.setEnabled(has_file and not ro and run_task is not None)
        # a restore waits for the checks on open (it replaces the file they are reading)
        self.act_restore.setEnabled(has_file and not self._restoring and not pending
                                    and run_task is not None)
        if self.conflicts is not None and ro:
            self.conflicts.mark_button.setEnabled(False)
            self.conflicts.mark_button.setToolTip(why)
        self._update_status()

    def backup_now(self) -> Any:
        """"Back up now": a verified backup off the GUI thread; the status bar says where."""
        safety = self.safety
        if safety is None or run_task is None or self.is_readonly():
            return None

        def done(info: BackupInfo) -> None:
            self.statusBar().showMessage(f"Backed up to {info.path}.", 20_000)

        return run_task(self, "Backing up the database", lambda _p: safety.backup_now(), done,
                        self._task_error("Back up now"), cancellable=False)

    def backup_tick(self) -> Any:
        """The hourly timer: a daily backup when one is due (never while restoring)."""
        safety = self.safety
        if safety is None or run_task is None or self._restoring or self._closed \
                or self.is_readonly():
            return None

        def done(info: BackupInfo | None) -> None:
            if info is not None and not self._closed:
                self.statusBar().showMessage(f"Daily backup made: {info.path}.", 10_000)

        def failed(exc: BaseException) -> None:
            log.warning("daily backup failed: %s", exc)
            if not self._closed:
                self.warning_banner.show_message("The daily backup failed",
                                                 [str(exc), "Use File ▸ Back up now."])

        return run_task(self, "Daily backup", lambda _p: safety.daily_tick(), done, failed,
                        cancellable=False, show_dialog=False)

    def _confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    def restore_from_backup(self) -> Any:
        """"Restore…": choose a backup (newest first), confirm, restore off the GUI thread."""
        safety = self.safety
        if safety is None or safety.path is None or self._restoring or safety.pending_checks:
            return None
        from kfor_desk.services.backups import list_backups

        backups = list_backups(safety.path, safety.backup_folder)
        if not backups:
            show_error(self, ValueError(
                f"there are no backups of {safety.path.name} in {safety.backup_folder}"),
                "Restore")
            return None
        chosen = self.choose_backup(backups)
        if chosen is None:
            return None
        return self.restore(chosen)

    def restore_newest(self) -> Any:
        """The read-only banner's "Restore newest good backup…"."""
        safety = self.safety
        if safety is None or safety.newest_backup is None:
            return self.restore_from_backup()
        return self.restore(safety.newest_backup)

    def restore(self, backup: Path, *, ask: bool = True) -> Any:
        """Put ``backup`` in place of the database and reload the window on it."""
        safety = self.safety
        if safety is None or safety.path is None or run_task is None or self._restoring \
                or safety.pending_checks:
            return None
        from kfor_desk.services.backups import list_backups
        from kfor_desk.services.opening import open_checked, restore_and_reopen

        info = next((b for b in list_backups(safety.path, safety.backup_folder)
                     if b.path == backup), None)
        when = (f"{info.taken_at:%Y-%m-%d %H:%M}Z ({describe_reason(info.reason)})"
                if info else backup.name)
        if ask and not self.confirm(
                "Restore from a backup",
                f"Put the backup of {when} in place of {safety.path.name}?\n\n"
                "Records saved after that backup will not be in the restored database. The "
                "current file is kept aside beside it (renamed, never deleted)."):
            return None
        self._restoring = True
        self.backup_timer.stop()
        self._apply_readonly()
        self.main_split.setEnabled(False)
        self.statusBar().showMessage("Restoring…")
        old = safety
        path = safety.path
        operator = self.desk.operator

        def work(progress: Any) -> tuple[OpenResult | None, Any, BaseException | None]:
            progress(0, 0, "Verifying the backup and putting it in place…")
            try:
                reopened, done = restore_and_reopen(old, backup)
                return reopened, done, None
            except Exception as exc:  # the old desk is closed: open the file that is there
                log.warning("restore of %s failed: %s", backup, exc)
                try:
                    again = open_checked(path, operator, backup_folder=old.backup_folder,
                                         lock=old.lock, start_backup=False)
                except Exception as exc2:
                    log.error("reopening %s after a failed restore failed: %s", path, exc2)
                    return None, None, exc
                return again, None, exc

        # on the loader's thread: queued behind any read, and no read runs during the restore
        return run_task(self, "Restoring from a backup", work, self._restored,
                        self._restore_crashed, cancellable=False, pool=self.load_pool)

    def _restore_crashed(self, exc: BaseException) -> None:
        self._restored((None, None, exc))

    def _restored(self, outcome: tuple[OpenResult | None, Any, BaseException | None]) -> None:
        result, done, error = outcome
        self._restoring = False
        self.main_split.setEnabled(True)
        self.statusBar().clearMessage()
        if result is None:  # nothing open any more: say so, writing stays off
            self._safety_closed = True
            self._restoring = True
            self._apply_readonly()
            self.readonly_banner.show_message(
                "The database could not be reopened", [
                    f"The restore stopped: {error}.",
                    "Close KFOR Desk and start it again; nothing was deleted."])
            return
        self.set_safety(result)
        if error is not None:
            show_error(self, error, "Restore")
            return
        kept = (f"The database that was replaced is kept at {done.kept_aside}."
                if done is not None and done.kept_aside else "")
        self.statusBar().showMessage(f"Restored {done.from_backup.name}. {kept}", 30_000)
        box = QMessageBox(QMessageBox.Icon.Information, "Restore",
                          f"The database was restored from {done.from_backup.name}.\n\n{kept}",
                          parent=self)
        box.setObjectName("restoredBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        box.open()

    def _start_checks(self) -> Any:
        """A deferred open: the integrity and audit-chain checks run after the first paint,
        behind the first load; until they pass the window is read-only."""
        safety = self.safety
        if safety is None or not safety.pending_checks or run_task is None:
            return None
        self.warning_banner.show_message(
            CHECKING_TITLE,
            ["You can read now; saving is possible as soon as the checks pass."])

        def done(result: OpenResult) -> None:
            if self._closed:
                if result.desk is not self.desk:
                    result.desk.db.close()
                return
            self.warning_banner.hide()
            self.set_safety(result, reload=result.desk is not self.desk)
            if result.warnings:
                self.warning_banner.show_message(
                    "Please read", [w[0].upper() + w[1:] for w in result.warnings if w])

        def failed(exc: BaseException) -> None:  # the checks did not run: writing stays off
            self.warning_banner.hide()
            if self._closed:
                return
            self.readonly_banner.show_message(
                "READ-ONLY — nothing can be saved",
                [f"The checks on open could not run ({exc}). Close KFOR Desk and start it "
                 "again; nothing was changed."])
            show_error(self, exc, "Checking the database")

        from kfor_desk.services.opening import finish_checks

        stop = self._checks_stop.is_set
        return run_task(self, "Checking the database", lambda _p: finish_checks(safety, stop),
                        done, failed, cancellable=False, show_dialog=False, pool=self.load_pool)

    def set_safety(self, result: OpenResult, *, reload: bool = True) -> None:
        """Work on a newly opened database (after a restore or the deferred checks): reload
        everything from it when it is another database."""
        clock = self.desk.clock
        self.safety = result
        self.desk = result.desk
        self.desk.clock = clock
        if self.conflicts is not None:
            self.conflicts.set_desk(result.desk)  # the panel marks pairs through this desk
        self._show_safety()
        if not self._closed:
            self.backup_timer.start()
        if reload:
            self.refresh()
