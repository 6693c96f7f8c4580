"""The desk settings dialog: markings and originator of the briefs, deconfliction
parameters, reminder thresholds.

Values are kept in the database (shared by every workstation) and saved through
``desk.save_settings``; what the service refuses is shown in the dialog, nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kfor_desk.domain.validation import RuleError
from kfor_desk.services.settings import DeskSettings
from kfor_desk.ui import palette
from kfor_desk.ui.errors import show_error

if TYPE_CHECKING:
    from kfor_desk.services.desk import Desk

NOT_ACCREDITED = ("KFOR Desk is not an accredited system. The classification marking is a "
                  "label the operator chooses for printed briefs, not a guarantee of "
                  "handling; do not enter information above the level this workstation is "
                  "approved for.")


def _spin(value: float, lo: float, hi: float, suffix: str, decimals: int = 1) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(lo, hi)
    box.setDecimals(decimals)
    box.setSuffix(suffix)
    box.setValue(value)
    return box


class SettingsDialog(QDialog):
    """Edits a :class:`DeskSettings`; ``save`` is called with the new value on OK (the desk's
    ``save_settings``); emits ``saved(DeskSettings)`` when it succeeded. Given the ``desk``,
    the save is an operation off the GUI thread (:mod:`kfor_desk.ui.operations`) that
    announces the changed settings; the dialog waits for it (:meth:`is_busy`)."""

    saved = Signal(object)

    def __init__(self, settings: DeskSettings, save: Callable[[DeskSettings], None],
                 parent: QWidget | None = None, *, readonly: bool = False,
                 desk: Desk | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Desk settings")
        self._save = save
        self._desk = desk
        self._busy = False
        self.classification = QLineEdit(settings.classification)
        self.releasability = QLineEdit(settings.releasability)
        self.releasability.setPlaceholderText("e.g. RELEASABLE TO KFOR (optional)")
        self.originator = QLineEdit(settings.originator)
        self.originator.setPlaceholderText("e.g. HQ KFOR JOC")
        self.distance = _spin(settings.conflict_distance_km, 0.1, 200, " km")
        self.margin = _spin(settings.conflict_margin_h, 0, 168, " h")
        self.due_soon = _spin(settings.due_soon_h, 1, 336, " h", 0)
        self.unack = _spin(settings.unacknowledged_h, 1, 336, " h", 0)
        self.starting = _spin(settings.starting_soon_h, 1, 336, " h", 0)

        marks = QGroupBox("Markings on every brief")
        f1 = QFormLayout(marks)
        f1.addRow("&Classification", self.classification)
        f1.addRow("&Releasability", self.releasability)
        f1.addRow("&Originator", self.originator)
        note = QLabel(NOT_ACCREDITED)
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {palette.NOTE};")
        f1.addRow(note)
        conf = QGroupBox("Deconfliction")
        f2 = QFormLayout(conf)
        f2.addRow("Conflict &distance", self.distance)
        f2.addRow("Time &margin", self.margin)
        rem = QGroupBox("Reminders")
        f3 = QFormLayout(rem)
        f3.addRow("Decision due &soon within", self.due_soon)
        f3.addRow("Not &acknowledged after", self.unack)
        f3.addRow("Exercise &starting within", self.starting)
        self.problem = QLabel()
        self.problem.setObjectName("settingsProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {palette.ERROR};")
        self.problem.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.readonly = readonly
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        if readonly:  # shown, not saved: the database is open read-only
            self.save_button.setEnabled(False)
            self.problem.setText("The database is open read-only: these settings cannot be "
                                 "saved.")
            self.problem.show()
        lay = QVBoxLayout(self)
        for w in (marks, conf, rem, self.problem, buttons):
            lay.addWidget(w)
        self.setMinimumWidth(480)

    def value(self) -> DeskSettings:
        return DeskSettings(
            classification=self.classification.text().strip(),
            releasability=self.releasability.text().strip(),
            originator=self.originator.text().strip(),
            conflict_distance_km=self.distance.value(),
            conflict_margin_h=self.margin.value(),
            due_soon_h=self.due_soon.value(),
            unacknowledged_h=self.unack.value(),
            starting_soon_h=self.starting.value(),
        )

    def is_busy(self) -> bool:
        """True while the settings are being saved off the GUI thread."""
        return self._busy

    def accept(self) -> None:
        if self.readonly or self._busy:
            return
        value = self.value()
        if self._desk is None:
            try:
                self._save(value)
            except RuleError as exc:
                self._refused(exc)
                return
            self._saved(value)
            return
        from kfor_desk.ui.operations import Changes, Done, run_op

        save = self._save

        def op(_desk: Desk) -> Done[DeskSettings]:
            save(value)
            return Done(value, Changes(settings=True))

        def failed(exc: BaseException) -> None:
            self._busy = False
            self.save_button.setEnabled(True)
            if isinstance(exc, RuleError):
                self._refused(exc)
            else:
                show_error(self, exc, "Desk settings")

        def done(saved: DeskSettings) -> None:
            self._busy = False
            self.save_button.setEnabled(True)
            self._saved(saved)

        self._busy = True
        self.save_button.setEnabled(False)
        run_op(self, self._desk, "Desk settings", op, done, failed)

    def reject(self) -> None:
        if not self._busy:  # the save reports back to this dialog
            super().reject()

    def _refused(self, exc: RuleError) -> None:
        self.problem.setText("\n".join(p.message for p in exc.problems))
        self.problem.show()

    def _saved(self, value: DeskSettings) -> None:
        super().accept()
        self.saved.emit(value)
