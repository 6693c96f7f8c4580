"""The duty officer's main window: layout and wiring of its parts.

The window lays out the registers, filter bar, conflicts, timeline, attention list, detail pane,
banners and status bar, and hands each job to one part: :mod:`.commands` (the action table and
its enable rules), :mod:`.refresh` (reading the desk off the GUI thread), :mod:`.selection`
(one selected record everywhere), :mod:`.dialogs` (forms and dialogs), :mod:`.exchange`
(import, export, briefs) and :mod:`.safety` (banners, read-only, backups, restore, checks). Its
public methods are the parts' entry points. It reads and writes nothing itself: data changes
through operations (:mod:`kfor_desk.ui.operations`), whose announced changes it answers with a
refresh.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSplitter,
    QSystemTrayIcon,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kfor_desk.domain.timefmt import utc_now
from kfor_desk.services.settings import DeskSettings
from kfor_desk.ui.conflicts import ConflictsPanel
from kfor_desk.ui.models import NotificationModel, RequestModel
from kfor_desk.ui.operations import Changes, op_bus
from kfor_desk.ui.panels.attention import AttentionPanel
from kfor_desk.ui.panels.backups import choose_backup_dialog
from kfor_desk.ui.panels.banner import Banner
from kfor_desk.ui.panels.detail import DetailPane
from kfor_desk.ui.panels.filter_bar import FilterBar
from kfor_desk.ui.timeline import TimelineView

from .commands import Commands, WindowActions
from .delegates import DialogsAndExchange
from .dialogs import Dialogs
from .exchange import Exchange
from .refresh import Refresher
from .safety import DataSafety
from .selection import Selection
from .state import restore_state, save_state, set_night_theme
from .status import StatusLine
from .tables import RegisterTable

if TYPE_CHECKING:  # the store (SQLAlchemy) loads after the window has painted
    from kfor_desk.services.backups import BackupInfo
    from kfor_desk.services.desk import Desk
    from kfor_desk.services.opening import OpenResult

log = logging.getLogger("kfor_desk.ui")


class MainWindow(WindowActions, DialogsAndExchange, QMainWindow):
    """See the module docstring. ``settings`` is the window's QSettings (injected).

    Window first: with ``desk=None`` the window is built and can paint before the database is
    open (nothing of the store or SQLAlchemy is imported for it): the registers say
    "Loading…", the status bar "Opening …", and every action that needs the database is off
    until :meth:`open_with` hands it the opened desk. ``firstPainted`` is emitted (once, queued)
    after the window's first paint. ``registersShown`` is emitted when a refresh has filled the
    registers (the conflicts may still be computing), ``refreshed`` when everything it read is
    shown, ``editable`` whenever the window becomes writable (the checks on open passed: a new
    record can be saved)."""

    operatorChanged = Signal(object)
    registersShown = Signal()
    refreshed = Signal()
    firstPainted = Signal()
    editable = Signal()

    desk: Desk  # set by open_with (at once when a desk is given to the constructor)
    # the status line's labels and clock (made by StatusLine)
    exercise_label: QLabel
    operator_label: QLabel
    db_label: QLabel
    clock_label: QLabel
    clock_timer: QTimer

    def __init__(self, desk: Desk | None, location: str, settings: QSettings, *,
                 tray: bool = True, safety: OpenResult | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._attached = False
        self._painted = False
        self.closed = False
        self.location = location
        self.qsettings = settings
        # the checks on open, the lock and the backups (None: a desk opened without them)
        self.safety = safety
        #: following the other desks' changes (:mod:`kfor_desk.ui.live`), once a desk is open
        self.live: Any = None
        #: the server desk this one is a local copy of ("LOCAL COPY — not shared"), or None
        self.local_copy_of: str | None = None
        self.shift_started: datetime | None = None  # known once a shift is handed over here
        self.setObjectName("mainWindow")
        self.setMinimumSize(900, 600)

        # --- registers, conflicts, timeline, attention, detail
        now = desk.clock() if desk is not None else utc_now()
        self.notifications = NotificationModel(self, now=now)
        self.requests = RequestModel(self, now=now)
        self.saf_table = RegisterTable(self.notifications)
        self.saf_table.setObjectName("safTable")
        self.ksf_table = RegisterTable(self.requests)
        self.ksf_table.setObjectName("ksfTable")
        self.filter_bar = FilterBar()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("registerTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.saf_table, "SAF exercise notifications")
        self.tabs.addTab(self.ksf_table, "KSF consent requests")
        self.conflicts: ConflictsPanel | None = ConflictsPanel(desk)
        self.conflicts.reads_own_report = False  # the window hands it each refresh's report
        self.tabs.addTab(self.conflicts, "Conflicts")
        self.timeline = TimelineView(clock=self.clock)
        self.timeline.setObjectName("timeline")
        self.timeline.setToolTip("")
        self.tabs.addTab(self.timeline, "Timeline")
        self.attention = AttentionPanel()
        self.detail = DetailPane(defer_map=True)

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
        # a wider window widens the register first (the detail pane never squeezes it)
        self.main_split.setStretchFactor(0, 4)
        self.main_split.setStretchFactor(1, 1)
        self.main_split.setChildrenCollapsible(False)
        self.readonly_banner = Banner("error")
        self.warning_banner = Banner("warning")
        central = QWidget()
        central_lay = QVBoxLayout(central)
        central_lay.setContentsMargins(0, 0, 0, 0)
        central_lay.setSpacing(0)
        central_lay.addWidget(self.readonly_banner)
        central_lay.addWidget(self.warning_banner)
        central_lay.addWidget(self.main_split, 1)
        self.setCentralWidget(central)

        self.status = StatusLine(self)

        # --- the parts
        self.selection = Selection(self)
        self.loader = Refresher(self)
        self.load_pool = self.loader.pool
        self.guard = DataSafety(self)
        self.exchange = Exchange(self)
        self.dialogs = Dialogs(self)
        self.commands = Commands(self)  # last: its actions call the parts above
        # injectable for tests: the save-file chooser and what opens a finished brief
        self.choose_save_path: Callable[[str, str, str], str] = self.exchange.choose_save_path
        self.open_url: Callable[[QUrl], Any] = QDesktopServices.openUrl
        # injectable for tests: choosing a backup, confirming, and the warning at exit
        self.choose_backup: Callable[[list[BackupInfo]], Path | None] = (
            lambda backups: choose_backup_dialog(self, backups, self.location))
        self.confirm: Callable[[str, str], bool] = self.guard.confirm
        self.warn_at_exit: Callable[[str], None] = self.guard.warn_at_exit

        # --- wiring
        self.selection.wire()
        self.readonly_banner.actionClicked.connect(self.restore_newest)
        for table in (self.saf_table, self.ksf_table):
            table.customContextMenuRequested.connect(self.commands.context_menu)
            table.doubleClicked.connect(lambda _i: self.amend_selected())
        # after the panel's own update: no marking in read-only mode
        self.conflicts.table.selectionModel().selectionChanged.connect(
            lambda *_: self.commands.apply_readonly())
        op_bus().changed.connect(self._op_changed)

        # --- the tray
        self.tray: QSystemTrayIcon | None = None
        if tray and QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(self.windowIcon(), self)
            self.tray.setToolTip("KFOR Desk")
            self.tray.activated.connect(self._raise)
            self.tray.show()
        self.notify: Callable[[str, str], None] = self._tray_message

        self.selection.tab_changed(0)
        self.status.tick()
        restore_state(self)
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

    def _show_opening(self) -> None:
        self.commands.show_opening()
        for table in (self.saf_table, self.ksf_table):
            table.set_loading(True)
        self.operator_label.setText("")
        self.db_label.setText(f"Opening {Path(self.location).name or self.location}…")
        self.db_label.setToolTip(self.location)
        self.setWindowTitle(f"KFOR Desk — opening {Path(self.location).name}…")

    def open_with(self, desk: Desk, safety: OpenResult | None = None, *,
                  location: str | None = None) -> None:
        """Work on ``desk`` (opened with ``safety``, the checks on open): the banners and
        actions follow from it; the records, the conflicts and the map's layers are read off
        the GUI thread and filled in when done; deferred checks start at once beside the
        registers' read."""
        if self._attached:
            raise RuntimeError("the window already works on a database")
        self.desk = desk
        self.safety = safety
        if location is not None:
            self.location = location
        self._attached = True
        if self.conflicts is not None:
            self.conflicts.set_desk(desk)
        # on the one loader thread, in this order: the registers (their read starts first,
        # while the rest of the window is set up), the conflicts of the registers' read, then
        # the map's layers; beside them, on a worker of their own, the checks on open (saving
        # waits for them only) and then the start backup
        self.refresh()
        self.local_copy_of = desk.local_copy_of()
        self.commands.attach()
        self.status.tick()
        self.guard.show(first=True)
        self.loader.attention_timer.start()
        self.guard.backup_timer.start()
        self.guard.start_checks()
        self._follow()

    def _follow(self) -> None:
        """Follow the other desks (and the command line): every change they commit refreshes
        this window and is said on the status line (:func:`kfor_desk.ui.live.follow`). A form
        being edited keeps its values; saving it over a newer version is refused."""
        from kfor_desk.ui.live import follow

        if self.live is not None:
            self.live.stop()
        self.live = follow(self.desk.target, self.refresh, self.statusBar(), self,
                           own_workstation=self.desk.workstation)

    def paintEvent(self, event: Any) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            # queued: the listeners run after this paint has reached the screen
            QTimer.singleShot(0, self.firstPainted.emit)

    def changed(self, changes: Changes) -> None:
        """Data changed (an operation, an import, the settings): re-read what shows it."""
        if changes and self._attached and not self.closed:
            self.refresh()

    def _op_changed(self, changes: Changes, desk: Any, _initiator: Any) -> None:
        if self._attached and desk is self.desk:
            self.changed(changes)

    # ================================================================ the parts' entry points
    def refresh(self, then: Callable[[], None] | None = None) -> None:
        self.loader.refresh(then)

    def is_loading(self) -> bool:
        return self.loader.is_loading()

    def is_ready(self) -> bool:
        return self.loader.is_ready()

    def registers_ready(self) -> bool:
        """True once the registers have been filled (the conflicts may still be computing)."""
        return self.loader.registers_shown

    def refresh_attention(self) -> None:
        self.loader.refresh_attention()

    @property
    def desk_settings(self) -> DeskSettings:
        return self.loader.desk_settings

    def current_table(self) -> RegisterTable | None:
        return self.selection.current_table()

    def selected_record(self) -> Any:
        return self.selection.selected_record()

    def select_record(self, register_no: str, switch_tab: bool = True) -> bool:
        return self.selection.select_record(register_no, switch_tab)

    def focus_search(self) -> None:
        self.selection.focus_search()

    def is_readonly(self) -> bool:
        return self.guard.is_readonly()

    def backup_now(self) -> Any:
        return self.guard.backup_now()

    def backup_tick(self) -> Any:
        return self.guard.backup_tick()

    def restore_from_backup(self) -> Any:
        return self.guard.restore_from_backup()

    def restore_newest(self) -> Any:
        return self.guard.restore_newest()

    def restore(self, backup: Path, *, ask: bool = True) -> Any:
        return self.guard.restore(backup, ask=ask)

    def set_safety(self, result: OpenResult, *, reload: bool = True) -> None:
        self.guard.set_safety(result, reload=reload)
        if self._attached and not self.closed:
            self._follow()  # a restored file is another file: follow that one

    def close_database(self) -> None:
        self.guard.close_database()

    # ================================================================ status bar and tray
    def update_status(self) -> None:
        self.status.update()

    def _raise(self, *_args: Any) -> None:
        self.showNormal()
        self.activateWindow()

    def _tray_message(self, title: str, text: str) -> None:
        if self.tray is not None:
            self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Warning, 15_000)

    def save_state(self) -> None:
        save_state(self)

    def set_night_theme(self, on: bool) -> None:
        set_night_theme(self, on)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closed = True  # a load still running is dropped when it ends
        self.guard.checks_stop.set()  # checks still running stop (nothing concluded, no backup)
        save_state(self)
        self.status.clock_timer.stop()
        self.loader.attention_timer.stop()
        self.guard.backup_timer.stop()
        if self.tray is not None:
            self.tray.hide()
        if self.live is not None:
            self.live.stop()
            self.live = None
        self.close_database()
        super().closeEvent(event)
