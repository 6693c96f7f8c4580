"""The window's action table: every QAction, the menus and toolbar they sit in, and the rules
that say when each is on.

One place decides enablement: :meth:`Commands.apply` is called whenever what it depends on
changes (a database opened, the read-only state, the selection, a refresh). The rules: nothing
that needs the database before one is open; nothing that writes while the window is read-only
(checks failed or pending, read-only access, a restore running); amend and the record sheet only
with a record selected. Workflow steps also have keys (:data:`WORKFLOW_KEYS`, shown in the
menus) acting on the selected record through the same dialogs. What an action does lives in the
other parts; this module only wires them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from kfor_desk.domain.records import Record
from kfor_desk.domain.workflow import Action, available_actions
from kfor_desk.ui import palette

if TYPE_CHECKING:
    from .main import MainWindow

PENDING_TIP = "The database is being checked: saving is possible as soon as the checks pass."
READONLY_TIP = "The database is open read-only: nothing can be saved."

# workflow steps by keyboard: one key per step; a letter shared by an SAF and a KSF step acts
# on the selected record's own (Ctrl+Alt is avoided: it is AltGr on many keyboards)
WORKFLOW_KEYS: dict[Action, str] = {
    Action.ACKNOWLEDGE: "Ctrl+Shift+A", Action.DISSEMINATE: "Ctrl+Shift+D",
    Action.CANCEL: "Ctrl+Shift+C", Action.START_REVIEW: "Ctrl+Shift+R",
    Action.RECOMMEND: "Ctrl+Shift+M", Action.DECIDE: "Ctrl+Shift+D",
    Action.WITHDRAW: "Ctrl+Shift+W", Action.COMMUNICATE: "Ctrl+Shift+C",
}


class WindowActions:
    """The actions and menus a window carries (declared here, made by :class:`Commands`)."""

    act_new_saf: QAction
    act_new_ksf: QAction
    act_amend: QAction
    act_search: QAction
    act_refresh: QAction
    act_quit: QAction
    act_handover: QAction
    act_settings: QAction
    act_about: QAction
    act_import: QAction
    act_export_json: QAction
    act_export_table: QAction
    act_clear_filters: QAction
    act_daily_brief: QAction
    act_record_sheet: QAction
    act_handover_brief: QAction
    act_backup: QAction
    act_restore: QAction
    act_night: QAction
    act_details: QAction
    act_history: QAction
    m_record: QMenu
    m_workflow: QMenu


class Commands:
    """The action table of one window (see the module docstring)."""

    def __init__(self, window: MainWindow) -> None:
        self.w = window
        self._build()

    def _action(self, text: str, slot: Callable[[], Any], shortcut: Any = None,
                tip: str = "") -> QAction:
        act = QAction(text, self.w)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        if tip:
            act.setStatusTip(tip)
            act.setToolTip(tip)
        act.triggered.connect(lambda _=False: slot())
        return act

    def _build(self) -> None:
        w = self.w
        keys = QKeySequence.StandardKey
        act = self._action
        w.act_new_saf = act("New SAF &notification…", w.new_notification, "Ctrl+N",
                            "Log a new SAF exercise notification")
        w.act_new_ksf = act("New KSF &request…", w.new_request, "Ctrl+Shift+N",
                            "Log a new KSF consent request")
        w.act_amend = act("&Amend selected…", w.amend_selected, "Ctrl+E",
                          "Amend or correct the selected record")
        w.act_search = act("&Search", w.focus_search, keys.Find,
                           "Search every field of the register")
        w.act_refresh = act("&Refresh", w.refresh, keys.Refresh,
                            "Re-read the registers from the database")
        w.act_quit = act("&Quit", w.close, keys.Quit)
        w.act_handover = act("&Hand over shift…", w.hand_over, "Ctrl+Shift+H",
                             "Change the operator on shift")
        w.act_settings = act("Desk &settings…", w.open_settings, None,
                             "Markings, conflict distance and margin, reminders")
        w.act_about = act("&About KFOR Desk", w.show_about)
        w.act_import = act("&Import records (JSON)…", w.import_json)
        w.act_export_json = act("&Export records (JSON)…", w.export_json)
        w.act_export_table = act("Export &table (CSV, XLSX, ICS)…", w.export_table)
        w.act_clear_filters = act("&Clear filters", w.filter_bar.clear, "Ctrl+Shift+F")
        w.act_daily_brief = act("&Daily brief…", w.daily_brief, "Ctrl+P",
                                "The daily deconfliction brief as a PDF")
        w.act_record_sheet = act("Record &sheet…", w.record_sheet, None,
                                 "The selected record with its history, as a PDF")
        w.act_handover_brief = act("Shift hando&ver…", w.handover_brief, None,
                                   "What changed this shift and what is pending")
        w.act_backup = act("&Back up now", w.backup_now, None,
                           "Make a verified backup of the database now")
        w.act_restore = act("Rest&ore from a backup…", w.restore_from_backup, None,
                            "Put one of the database's backups in its place")
        w.act_quit.setMenuRole(QAction.MenuRole.QuitRole)
        w.act_about.setMenuRole(QAction.MenuRole.AboutRole)

        mb = w.menuBar()
        m_file = mb.addMenu("&File")
        for group in ((w.act_import, w.act_export_json, w.act_export_table),
                      (w.act_daily_brief, w.act_record_sheet, w.act_handover_brief),
                      (w.act_backup, w.act_restore), (w.act_settings,), (w.act_quit,)):
            if group[0] is not w.act_import:
                m_file.addSeparator()
            for a in group:
                m_file.addAction(a)
        w.m_record = mb.addMenu("&Record")
        w.m_record.addAction(w.act_new_saf)
        w.m_record.addAction(w.act_new_ksf)
        w.m_record.addSeparator()
        w.m_record.addAction(w.act_amend)
        w.m_workflow = w.m_record.addMenu("&Workflow")
        w.m_workflow.aboutToShow.connect(
            lambda: self.fill_workflow_menu(w.m_workflow, w.selected_record()))
        m_view = mb.addMenu("&View")
        for n, label in enumerate(("&SAF notifications", "&KSF requests", "&Conflicts",
                                   "&Timeline")):
            m_view.addAction(act(label, self._tab_switcher(n), f"Ctrl+{n + 1}"))
        w.act_details = act("Record &details", lambda: w.detail.show_page("details"),
                            "Ctrl+I", "Every field of the selected record, in the right pane")
        w.act_history = act("Record &history", lambda: w.detail.show_page("history"),
                            "Ctrl+H", "Who changed what in the selected record, and when")
        m_view.addSeparator()
        m_view.addAction(w.act_details)
        m_view.addAction(w.act_history)
        m_view.addSeparator()
        for a in (w.act_search, w.act_clear_filters, w.act_refresh):
            m_view.addAction(a)
        m_view.addSeparator()
        for key in sorted(set(WORKFLOW_KEYS.values())):  # window-wide, on the selection
            step = QAction(w)
            step.setShortcut(QKeySequence(key))
            step.triggered.connect(lambda _=False, k=key: self.run_workflow_key(k))
            w.addAction(step)
        w.act_night = act("&Night theme", lambda: None, None,
                          "Dark colours for a dim room (remembered)")
        w.act_night.setCheckable(True)
        w.act_night.setChecked(palette.THEME.name == "night")
        w.act_night.toggled.connect(w.set_night_theme)
        m_view.addAction(w.act_night)
        mb.addMenu("&Shift").addAction(w.act_handover)
        mb.addMenu("&Help").addAction(w.act_about)

        tb = w.addToolBar("Main")
        tb.setObjectName("mainToolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for a in (w.act_new_saf, w.act_new_ksf, w.act_amend):
            tb.addAction(a)
        tb.addSeparator()
        tb.addAction(w.act_refresh)
        tb.addAction(w.act_handover)

    def _tab_switcher(self, n: int) -> Callable[[], None]:
        def switch() -> None:
            self.w.tabs.setCurrentIndex(n)

        return switch

    def desk_actions(self) -> tuple[QAction, ...]:
        """Every action that needs an open database."""
        w = self.w
        return (w.act_new_saf, w.act_new_ksf, w.act_amend, w.act_import,
                w.act_export_json, w.act_export_table, w.act_daily_brief,
                w.act_record_sheet, w.act_handover_brief, w.act_backup,
                w.act_restore, w.act_settings, w.act_refresh, w.act_handover)

    # ------------------------------------------------------------ the rules
    def show_opening(self) -> None:
        """No database yet: every action that needs one is off."""
        for act in self.desk_actions():
            act.setEnabled(False)
        self.w.m_workflow.setEnabled(False)

    def attach(self) -> None:
        """A database is open: the actions that only read are on; the rest follow the rules."""
        w = self.w
        for act in (w.act_export_json, w.act_export_table, w.act_daily_brief,
                    w.act_handover_brief, w.act_settings, w.act_refresh, w.act_handover):
            act.setEnabled(True)

    def apply_readonly(self) -> None:
        """Every action that writes, by the read-only state (and the status bar with it)."""
        w = self.w
        ro = w.is_readonly()
        pending = w.guard.pending_checks()
        why = PENDING_TIP if pending else READONLY_TIP if ro else ""
        for act in (w.act_new_saf, w.act_new_ksf, w.act_import):
            act.setEnabled(not ro)
        for act in (w.act_new_saf, w.act_new_ksf, w.act_import, w.act_amend):
            act.setToolTip(why or act.statusTip())
        w.act_amend.setEnabled(not ro and w.selected_record() is not None)
        w.m_workflow.setEnabled(not ro)
        has_file = w.safety is not None and w.safety.path is not None
        w.act_backup.setEnabled(has_file and not ro)
        # a restore waits for the checks on open and the start backup (it replaces the file
        # they are reading)
        w.act_restore.setEnabled(has_file and not w.guard.restoring and not pending
                                 and not w.guard.start_backup_running)
        if w.conflicts is not None and ro:
            w.conflicts.mark_button.setEnabled(False)
            w.conflicts.mark_button.setToolTip(why)
        w.update_status()

    def update_for_selection(self) -> None:
        """Amend and the record sheet follow the selected record."""
        w = self.w
        rec = w.selected_record()
        w.act_amend.setEnabled(rec is not None and not w.is_readonly())
        w.act_record_sheet.setEnabled(rec is not None)

    # ------------------------------------------------------------ menus of a record
    def _add_steps(self, menu: QMenu, record: Record) -> list[QAction]:
        w = self.w
        added = []
        for action in available_actions(record):
            a = menu.addAction(f"{action.label}…\t{WORKFLOW_KEYS.get(action, '')}")
            a.setEnabled(not w.is_readonly())
            a.triggered.connect(lambda _=False, r=record, act=action: w.run_action(r, act))
            added.append(a)
        return added

    def run_workflow_key(self, key: str) -> Any:
        """A workflow shortcut: the selected record's step bound to ``key``, if it has one
        (its dialog opens; the step itself is saved by the dialog's operation)."""
        w = self.w
        record = w.selected_record()
        if record is None:
            w.statusBar().showMessage(
                "Select a record in a register first: the workflow keys act on it.", 6000)
            return None
        if w.is_readonly():
            w.statusBar().showMessage(READONLY_TIP if not w.guard.pending_checks()
                                      else PENDING_TIP, 6000)
            return None
        for action in available_actions(record):
            if WORKFLOW_KEYS.get(action) == key:
                return w.run_action(record, action)
        w.statusBar().showMessage(
            f"{record.register_no} is {record.status.label.lower()}: no step on {key} now "
            "(Record ▸ Workflow lists its steps).", 6000)
        return None

    def fill_workflow_menu(self, menu: QMenu, record: Record | None) -> None:
        """Record ▸ Workflow: the steps the domain allows for the selected record."""
        menu.clear()
        if record is None:
            menu.addAction("(select a record)").setEnabled(False)
            return
        if not self._add_steps(menu, record):
            menu.addAction("(no further steps)").setEnabled(False)

    def context_menu(self, pos: Any) -> None:
        """A register row's menu: amend, record sheet, then its workflow steps."""
        w = self.w
        table = w.current_table()
        if table is None:
            return
        idx = table.indexAt(pos)
        if not idx.isValid():
            return
        table.setCurrentIndex(idx)
        rec = w.selected_record()
        menu = QMenu(w)
        menu.addAction(w.act_amend)
        menu.addAction(w.act_record_sheet)
        menu.addSeparator()
        if rec is not None:
            self._add_steps(menu, rec)
        menu.popup(table.viewport().mapToGlobal(pos))
