"""What each workflow action asks: its fields, and its parameters read from them.

:class:`ActionFields` builds the rows one action needs (decision outcome and texts, to whom,
a reason, a recommendation, the channel, and always the time) and reads them back as the
keyword arguments of ``desk.act``. Which fields an action requires is the domain's rule; here
only where each of its problems is shown (``FIELD_MAP``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from kfor_desk.domain.enums import RequestStatus
from kfor_desk.domain.records import ConsentRequest, Record
from kfor_desk.domain.timefmt import format_dtg_local
from kfor_desk.domain.workflow import Action
from kfor_desk.services.desk import Desk
from kfor_desk.ui import palette
from kfor_desk.ui.widgets import DtgEdit, FieldError
from kfor_desk.ui.widgets.guarded_dialog import GuardedDialog

DEFAULT_AUTHORITY = "COMKFOR"
VIA_SUGGESTIONS = ("Letter", "E-mail", "Phone", "Liaison meeting", "JIC")

# Where each problem field of the domain is shown in this dialog.
FIELD_MAP = {
    "at": "at",
    "decision.decided_at": "at",
    "decision.communicated_at": "at",
    "disseminated_to": "to",
    "cancel_reason": "reason",
    "withdraw_reason": "reason",
    "reason": "reason",
    "recommendation": "recommendation",
    "decision.authority": "authority",
    "decision.conditions": "conditions",
    "decision.rationale": "rationale",
    "decision.communicated_via": "via",
    "status": "outcome",
}

_TIME_LABEL = {
    Action.ACKNOWLEDGE: "Acknowledged at",
    Action.DISSEMINATE: "Disseminated at",
    Action.CANCEL: "Cancelled at",
    Action.START_REVIEW: "Review started at",
    Action.RECOMMEND: "Recommended at",
    Action.DECIDE: "Decided at",
    Action.WITHDRAW: "Withdrawn at",
    Action.COMMUNICATE: "Communicated at",
}

_OUTCOMES = (RequestStatus.GRANTED, RequestStatus.GRANTED_WITH_CONDITIONS, RequestStatus.DENIED)


def _left(seconds: float) -> str:
    """``in 4 h 13 min`` / ``overdue by 1 d 2 h``."""
    minutes = int(abs(seconds) // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    text = f"{days} d {hours} h" if days else f"{hours} h {mins:02d} min" if hours \
        else f"{mins} min"
    return f"in {text}" if seconds >= 0 else f"overdue by {text}"


def _text_box(parent: QWidget, lines: int) -> QPlainTextEdit:
    box = QPlainTextEdit(parent)
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 14)
    return box


class ActionFields(GuardedDialog):
    """The fields of one action's dialog (built by :meth:`_build`)."""

    desk: Desk
    record: Record
    action: Action
    _form: QFormLayout
    _fields: dict[str, tuple[QWidget, FieldError]]

    # ------------------------------------------------------------------ building
    def _row(self, label: str, key: str, widget: QWidget, focus: QWidget | None = None) -> None:
        holder = QWidget(self)
        v = QVBoxLayout(holder)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(2)
        v.addWidget(widget)
        err = FieldError(holder)
        v.addWidget(err)
        lab = QLabel(label, self)
        lab.setBuddy(focus or widget)
        self._form.addRow(lab, holder)
        self._fields[key] = (focus or widget, err)

    def _build(self) -> None:
        a = self.action
        self.to: QPlainTextEdit | None = None
        self.reason: QPlainTextEdit | None = None
        self.recommendation: QPlainTextEdit | None = None
        self.authority: QLineEdit | None = None
        self.conditions: QPlainTextEdit | None = None
        self.rationale: QPlainTextEdit | None = None
        self.via: QComboBox | None = None
        self.outcomes: dict[RequestStatus, QRadioButton] = {}
        self._first: QWidget | None = None

        if a is Action.DECIDE:
            if isinstance(self.record, ConsentRequest):
                self._add_recommendation_and_deadline(self.record)
            box = QWidget(self)
            h = QHBoxLayout(box)
            h.setContentsMargins(0, 0, 0, 0)
            self._outcome_group = QButtonGroup(self)
            for i, outcome in enumerate(_OUTCOMES):
                rb = QRadioButton(f"&{i + 1} {outcome.label}", box)
                self._outcome_group.addButton(rb, i)
                self.outcomes[outcome] = rb
                h.addWidget(rb)
            h.addStretch(1)
            self._row("Decision", "outcome", box, self.outcomes[RequestStatus.GRANTED])
            self.authority = QLineEdit(self)
            self.authority.setMaxLength(200)
            self.authority.setText(DEFAULT_AUTHORITY)
            self._row("Authority", "authority", self.authority)
            self.conditions = _text_box(self, 3)
            self.conditions.setPlaceholderText("required when granted with conditions")
            self._row("Conditions", "conditions", self.conditions)
            self.rationale = _text_box(self, 3)
            self.rationale.setPlaceholderText("required when denied")
            self._row("Rationale", "rationale", self.rationale)
            self._first = self.outcomes[RequestStatus.GRANTED]
            self._outcome_group.idToggled.connect(self._outcome_changed)
        elif a is Action.DISSEMINATE:
            self.to = _text_box(self, 2)
            self.to.setPlaceholderText("units, regional commands (RC-N, RC-E…)")
            self._row("Disseminated to", "to", self.to)
            self._first = self.to
        elif a in (Action.CANCEL, Action.WITHDRAW):
            self.reason = _text_box(self, 3)
            self.reason.setPlaceholderText("why, and who said so")
            self._row("Reason", "reason", self.reason)
            self._first = self.reason
        elif a is Action.RECOMMEND:
            self.recommendation = _text_box(self, 4)
            if isinstance(self.record, ConsentRequest):
                self.recommendation.setPlainText(self.record.recommendation)
            self._row("Recommendation", "recommendation", self.recommendation)
            self._first = self.recommendation
        elif a is Action.COMMUNICATE:
            self.via = QComboBox(self)
            self.via.setEditable(True)
            self.via.addItems(VIA_SUGGESTIONS)
            self.via.setCurrentIndex(-1)
            self.via.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            line = self.via.lineEdit()
            assert line is not None
            line.setPlaceholderText("letter, phone, liaison meeting…")
            line.setMaxLength(200)
            self._row("Via", "via", self.via, line)
            self._first = line

        self.at = DtgEdit(self)
        self.at.set_value(self.desk.clock())
        self._row(_TIME_LABEL[a], "at", self.at, self.at.edit)
        if self._first is None:
            self._first = self.at.edit

    def _add_recommendation_and_deadline(self, req: ConsentRequest) -> None:
        """What the decision is taken on: the recommendation as recorded and the deadline."""
        self.recommendation_shown = QLabel(self)
        self.recommendation_shown.setObjectName("decideRecommendation")
        self.recommendation_shown.setWordWrap(True)
        self.recommendation_shown.setTextFormat(Qt.TextFormat.PlainText)
        self.recommendation_shown.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        text = req.recommendation.strip()
        if req.recommended_at is not None and text:
            text += f"\n(recorded {format_dtg_local(req.recommended_at)})"
        self.recommendation_shown.setText(text or "No recommendation was recorded.")
        self._form.addRow("Recommendation", self.recommendation_shown)
        now = self.desk.clock()
        left = (req.decision_due - now).total_seconds()
        self.deadline_shown = QLabel(self)
        self.deadline_shown.setObjectName("decideDeadline")
        self.deadline_shown.setTextFormat(Qt.TextFormat.PlainText)
        self.deadline_shown.setText(f"{format_dtg_local(req.decision_due)} — {_left(left)}")
        if left < 0:
            palette.themed_style(self.deadline_shown,
                                 lambda: f"color: {palette.ERROR}; font-weight: bold;")
        self._form.addRow("Decision due", self.deadline_shown)

    def _outcome_changed(self, _id: int, _checked: bool) -> None:
        outcome = self.outcome()
        for field, show in (("conditions", outcome is RequestStatus.GRANTED_WITH_CONDITIONS),
                            ("rationale", outcome is RequestStatus.DENIED)):
            widget, _err = self._fields[field]
            # both stay editable; the label tells which one the outcome needs
            holder = widget.parentWidget()
            lab = self._form.labelForField(holder) if holder is not None else None
            if isinstance(lab, QLabel):
                lab.setText(f"<b>{field.capitalize()}</b>" if show else field.capitalize())

    def _focus_first(self) -> None:
        if self._first is not None:
            self._first.setFocus(Qt.FocusReason.TabFocusReason)

    # ------------------------------------------------------------------ input
    def outcome(self) -> RequestStatus | None:
        for outcome, rb in self.outcomes.items():
            if rb.isChecked():
                return outcome
        return None

    def params(self) -> dict[str, str]:
        """The action's parameters as entered (``desk.act`` keyword arguments)."""
        p: dict[str, str] = {}
        if self.to is not None:
            p["to"] = self.to.toPlainText().strip()
        if self.reason is not None:
            p["reason"] = self.reason.toPlainText().strip()
        if self.recommendation is not None:
            p["recommendation"] = self.recommendation.toPlainText().strip()
        if self.action is Action.DECIDE:
            assert self.authority and self.conditions and self.rationale
            outcome = self.outcome()
            p["outcome"] = outcome.value if outcome is not None else ""
            p["authority"] = self.authority.text().strip()
            p["conditions"] = self.conditions.toPlainText().strip()
            p["rationale"] = self.rationale.toPlainText().strip()
        if self.via is not None:
            p["via"] = self.via.currentText().strip()
        return p
