"""One workflow action on one record, asking exactly what the action needs.

The dialog reads the input (times, texts, the decision's outcome) and calls
``desk.act(record, action, at=..., **params)``; the domain decides whether the action is allowed
and what it requires, and its refusals are shown at their fields.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from kfor_desk.domain.enums import RequestStatus
from kfor_desk.domain.records import ConsentRequest, Record
from kfor_desk.domain.timefmt import format_dtg_local
from kfor_desk.domain.validation import Problem, RuleError
from kfor_desk.domain.workflow import Action
from kfor_desk.services.desk import Desk
from kfor_desk.store.errors import ConcurrentEdit, StoreError
from kfor_desk.ui.forms.record_dialog import BANNER_ERROR
from kfor_desk.ui.widgets import DtgEdit, FieldError, mark_invalid
from kfor_desk.ui.widgets.field_error import INVALID_STYLE
from kfor_desk.ui.widgets.guarded_dialog import GuardedDialog

DEFAULT_AUTHORITY = "COMKFOR"
VIA_SUGGESTIONS = ("Letter", "E-mail", "Phone", "Liaison meeting", "JIC")

# Where each problem field of the domain is shown in this dialog.
_FIELD_MAP = {
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


class ActionDialog(GuardedDialog):
    """Apply ``action`` to ``record``; ``saved(record)`` carries the record as stored."""

    saved = Signal(object)

    def __init__(self, desk: Desk, record: Record, action: Action,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.record = record
        self.action = action
        self._fields: dict[str, tuple[QWidget, FieldError]] = {}
        self.setWindowTitle(f"{action.label} — {record.register_no}")
        self.setStyleSheet(INVALID_STYLE + BANNER_ERROR)
        self.setMinimumWidth(620)

        heading = QLabel(self)
        heading.setWordWrap(True)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setText(f"{action.label}: {record.register_no} · {record.title}")
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        heading.setFont(font)
        status = QLabel(f"Now {record.status.label.lower()}; received "
                        f"{format_dtg_local(record.received_at)}.", self)
        status.setStyleSheet("color: #555b61;")
        self.banner = QLabel(self)
        self.banner.setObjectName("Banner")
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)

        self._form = QFormLayout()
        self._form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._build()

        hint = QLabel("Ctrl+Enter saves · Esc cancels", self)
        hint.setStyleSheet("color: #555b61;")
        self.save_button = QPushButton(action.label, self)
        self.cancel_button = QPushButton("Cancel", self)
        for b in (self.save_button, self.cancel_button):
            b.setAutoDefault(False)
            b.setDefault(False)
        self.save_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(hint)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)

        lay = QVBoxLayout(self)
        lay.addWidget(heading)
        lay.addWidget(status)
        lay.addWidget(self.banner)
        lay.addSpacing(6)
        lay.addLayout(self._form)
        lay.addStretch(1)
        lay.addLayout(buttons)

        for seq in ("Ctrl+Return", "Ctrl+Enter"):
            sc = QShortcut(QKeySequence(seq), self)
            sc.activated.connect(self.submit)
        self.mark_clean()
        QTimer.singleShot(0, self._focus_first)

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
            self.deadline_shown.setStyleSheet("color: #b3261e; font-weight: bold;")
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

    def _state(self) -> tuple[object, ...]:
        vals: list[object] = []
        for w in self.findChildren(QWidget):
            if isinstance(w, QLineEdit):
                vals.append(w.text())
            elif isinstance(w, QPlainTextEdit):
                vals.append(w.toPlainText())
            elif isinstance(w, QAbstractButton) and w.isCheckable():
                vals.append(w.isChecked())
        return tuple(vals)

    # ------------------------------------------------------------------ problems
    def clear_problems(self) -> None:
        for widget, err in self._fields.values():
            err.set_error(None)
            mark_invalid(widget, False)
        self.banner.setVisible(False)

    def show_problems(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.clear_problems()
        self.at.show_problems()
        loose: list[str] = []
        first: QWidget | None = None
        for p in problems:
            key = _FIELD_MAP.get(p.field)
            if key is None or key not in self._fields:
                loose.append(p.message)
                continue
            widget, err = self._fields[key]
            err.add_error(p.message)
            mark_invalid(widget, True)
            first = first or widget
        if loose:
            self.banner.setText("Not saved: " + " ".join(loose))
            self.banner.setVisible(True)
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def field_error(self, key: str) -> str:
        hit = self._fields.get(_FIELD_MAP.get(key, key))
        return hit[1].text() if hit else ""

    # ------------------------------------------------------------------ saving
    def submit(self) -> None:
        at = self.at.value()
        err = self.at.error()
        if err is not None or at is None:
            self.show_problems([Problem("at", err or "A time is required.")])
            return
        try:
            saved = self.desk.act(self.record, self.action, at=at, **self.params()).record
        except RuleError as exc:
            self.show_problems(exc.problems)
            return
        except ConcurrentEdit as exc:
            self.clear_problems()
            self.banner.setText(f"Not saved: {exc}")
            self.banner.setVisible(True)
            return
        except StoreError as exc:
            self.clear_problems()
            self.banner.setText(f"Not saved: {exc}")
            self.banner.setVisible(True)
            return
        self.mark_clean()
        self.saved.emit(saved)
        self.accept()



__all__ = ["DEFAULT_AUTHORITY", "ActionDialog"]
