"""The dialogs the window opens: record forms, workflow steps, shift handover, settings, about.

Each dialog saves through an operation (:mod:`kfor_desk.ui.operations`) and the window refreshes
on the changes announced; here only what follows for the window: the saved record selected once
the new values are shown, the status bar, the operator on shift. No rule is decided here (the
read-only state comes from :mod:`.safety`, the steps of a record from the domain).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from kfor_desk.domain.records import Record, RecordKind
from kfor_desk.domain.workflow import Action
from kfor_desk.ui.actions import ActionDialog
from kfor_desk.ui.errors import show_error
from kfor_desk.ui.forms import RecordDialog
from kfor_desk.ui.panels.about import about_box
from kfor_desk.ui.panels.operator import OperatorDialog
from kfor_desk.ui.panels.settings_dialog import SettingsDialog

if TYPE_CHECKING:
    from kfor_desk.services.desk import Operator

    from .main import MainWindow

log = logging.getLogger("kfor_desk.ui")


class Dialogs:
    """Opening the window's dialogs (see the module docstring)."""

    def __init__(self, window: MainWindow) -> None:
        self.w = window

    def _open(self, dlg: Any) -> None:
        dlg.saved.connect(self._saved)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dlg.open()

    def new(self, kind: RecordKind) -> RecordDialog | None:
        w = self.w
        if w.is_readonly():
            return None
        dlg = RecordDialog(w.desk, kind, None, w)
        self._open(dlg)
        return dlg

    def amend_selected(self) -> RecordDialog | None:
        w = self.w
        rec = w.selected_record()
        if rec is None or w.is_readonly():
            return None
        dlg = RecordDialog(w.desk, rec.kind, rec, w)
        self._open(dlg)
        return dlg

    def run_action(self, record: Record, action: Action) -> ActionDialog | None:
        w = self.w
        if w.is_readonly():
            return None
        dlg = ActionDialog(w.desk, record, action, w)
        self._open(dlg)
        return dlg

    def _saved(self, record: Record) -> None:
        """A dialog saved: the window refreshes on the operation's changes; the saved record
        is selected once the new values are shown."""
        w = self.w
        regno = record.register_no
        w.selection.selected = regno
        if regno:
            w.loader.after_refresh(lambda: self._select(regno))
        w.statusBar().showMessage(f"Saved {regno}.", 8000)

    def _select(self, register_no: str) -> None:
        self.w.select_record(register_no)

    # ------------------------------------------------------------ shift and settings
    def hand_over(self) -> OperatorDialog:
        w = self.w
        dlg = OperatorDialog(w.desk.operator, w, handover=True)
        dlg.chosen.connect(self.set_operator)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dlg.open()
        return dlg

    def set_operator(self, operator: Operator) -> None:
        w = self.w
        old = w.desk.operator
        w.desk.set_operator(operator)
        w.shift_started = w.desk.clock()
        log.info("shift handed over: %s -> %s", old.display, operator.display)
        w.update_status()
        w.operatorChanged.emit(operator)
        w.statusBar().showMessage(f"{operator.display} is now on shift.", 8000)

    def open_settings(self) -> SettingsDialog:
        w = self.w
        try:
            current = w.desk.settings()
        except Exception as exc:
            show_error(w, exc, "Settings")
            current = w.desk_settings
        # saved off the GUI thread; the window refreshes on the announced change
        dlg = SettingsDialog(current, w.desk.save_settings, w, readonly=w.is_readonly(),
                             desk=w.desk)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dlg.open()
        return dlg

    def show_about(self) -> QMessageBox:
        w = self.w
        try:
            head = w.desk.chain_head()
        except Exception:
            head = ""
        box = about_box(w, w.location, head)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        box.open()
        return box
