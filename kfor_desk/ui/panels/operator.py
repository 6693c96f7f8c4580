"""Who is on shift: the operator dialog at start and at "Hand over shift"."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kfor_desk.services.desk import Operator
from kfor_desk.ui import palette


class OperatorDialog(QDialog):
    """Name (required), rank, appointment. Emits ``chosen(Operator)`` on OK."""

    chosen = Signal(object)

    def __init__(self, current: Operator | None = None, parent: QWidget | None = None, *,
                 handover: bool = False, intro: str | None = None) -> None:
        """``current`` is offered (all fields filled, the name selected: one Enter confirms,
        typing replaces it); with ``handover`` the name and rank start empty."""
        super().__init__(parent)
        self.setWindowTitle("Hand over shift" if handover else "Who is on shift?")
        if intro is None:
            intro = (
                "The incoming duty officer: every change from now on is recorded under this "
                "name." if handover else
                "Who is on shift? Every change is recorded with the operator and the time (UTC)."
                + (" Enter confirms the officer below; type your name if you are taking over."
                   if current else ""))
        self._handover = handover
        intro_label = QLabel(intro)
        intro_label.setWordWrap(True)
        self.intro = intro_label
        self.name = QLineEdit(current.name if current else "")
        self.name.setPlaceholderText("e.g. J. Smith")
        self.rank = QLineEdit(current.rank if current else "")
        self.rank.setPlaceholderText("e.g. Capt")
        self.appointment = QLineEdit(current.appointment if current else "Duty Officer")
        self.appointment.setPlaceholderText("e.g. JOC Duty Officer")
        if handover:
            self.name.clear()
            self.rank.clear()
        self.problem = QLabel()
        self.problem.setObjectName("operatorProblem")
        self.problem.setStyleSheet(f"color: {palette.ERROR};")
        self.problem.hide()
        form = QFormLayout()
        form.addRow("&Name", self.name)
        form.addRow("&Rank", self.rank)
        form.addRow("&Appointment", self.appointment)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Take over the shift" if handover else "Start")
        ok.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(intro_label)
        lay.addLayout(form)
        lay.addWidget(self.problem)
        lay.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self.name.setFocus()
        self.name.selectAll()

    def offer(self, officer: Operator) -> bool:
        """Offer ``officer`` (read after the dialog opened: the last to write to the desk) as
        if handed in at the start, unless the operator has typed in the fields meanwhile;
        whether it was offered. The operator still confirms (Enter) or types another name."""
        fields = (self.name, self.rank, self.appointment)
        if self._handover or not self.isVisible() or any(f.isModified() for f in fields):
            return False
        self.name.setText(officer.name)
        self.rank.setText(officer.rank)
        self.appointment.setText(officer.appointment)
        self.intro.setText(
            "Who is on shift? Every change is recorded with the operator and the time (UTC). "
            f"{officer.display} made the last entry on this desk: Enter confirms; type your "
            "name if you are taking over.")
        self.adjustSize()  # the longer sentence gets its lines (the fields keep theirs)
        if self.name.hasFocus() or self.focusWidget() in (None, self.name):
            self.name.setFocus()
            self.name.selectAll()
        return True

    def operator(self) -> Operator:
        return Operator(" ".join(self.name.text().split()), " ".join(self.rank.text().split()),
                        " ".join(self.appointment.text().split()))

    def accept(self) -> None:
        op = self.operator()
        if not op.name:
            self.problem.setText("Enter the name of the duty officer on shift.")
            self.problem.show()
            self.name.setFocus()
            return
        if len(op.display) > 200:
            self.problem.setText("Keep name, rank and appointment under 200 characters.")
            self.problem.show()
            return
        super().accept()
        self.chosen.emit(op)
