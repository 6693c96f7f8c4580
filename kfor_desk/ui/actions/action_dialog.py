"""One workflow action on one record, asking exactly what the action needs.

The dialog reads the input (times, texts, the decision's outcome) and calls
``desk.act(record, action, at=..., **params)`` as an operation off the GUI thread
(:mod:`kfor_desk.ui.operations`); the domain decides whether the action is allowed and what it
requires, and its refusals are shown at their fields.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kfor_desk.domain.records import Record
from kfor_desk.domain.timefmt import format_dtg_local
from kfor_desk.domain.validation import Problem, RuleError
from kfor_desk.domain.workflow import Action
from kfor_desk.services.desk import Desk
from kfor_desk.services.errors import StoreError
from kfor_desk.ui import palette
from kfor_desk.ui.errors import show_error
from kfor_desk.ui.forms.banners import banner
from kfor_desk.ui.operations import Changes, Done
from kfor_desk.ui.widgets import FieldError, mark_invalid
from kfor_desk.ui.widgets.field_error import invalid_style

from .fields import DEFAULT_AUTHORITY, FIELD_MAP, ActionFields


class ActionDialog(ActionFields):
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
        palette.themed_style(self, lambda: invalid_style() + banner("error"))
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
        palette.themed_style(status, lambda: f"color: {palette.HINT};")
        self.banner = QLabel(self)
        self.banner.setObjectName("Banner")
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)

        self._form = QFormLayout()
        self._form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._build()

        hint = QLabel("Ctrl+Enter saves · Esc cancels", self)
        palette.themed_style(hint, lambda: f"color: {palette.HINT};")
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
            key = FIELD_MAP.get(p.field)
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
        hit = self._fields.get(FIELD_MAP.get(key, key))
        return hit[1].text() if hit else ""

    # ------------------------------------------------------------------ saving
    def submit(self) -> None:
        """Ctrl+Enter: the step through the desk, off the GUI thread (busy meanwhile)."""
        if self.is_busy():  # a second press while the step runs cannot apply it twice
            return
        at = self.at.value()
        err = self.at.error()
        if err is not None or at is None:
            self.show_problems([Problem("at", err or "A time is required.")])
            return
        record, action, params = self.record, self.action, self.params()

        def step(desk: Desk) -> Done[Record]:
            saved = desk.act(record, action, at=at, **params).record
            return Done(saved, Changes.of_records([saved.register_no]))

        self.run_op(action.label, step, self._saved, self._not_saved)

    def _saved(self, saved: Record) -> None:
        self.mark_clean()
        self.saved.emit(saved)
        self.accept()

    def _not_saved(self, exc: BaseException) -> None:
        """Refusals at their fields, a store's sentence in the banner; the input stays."""
        if isinstance(exc, RuleError):
            self.show_problems(exc.problems)
        elif isinstance(exc, StoreError):  # ConcurrentEdit included: its sentence says why
            self.clear_problems()
            self.banner.setText(f"Not saved: {exc}")
            self.banner.setVisible(True)
        else:
            show_error(self, exc, self.action.label)


__all__ = ["DEFAULT_AUTHORITY", "ActionDialog"]
