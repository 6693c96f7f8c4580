"""The form for a new or amended record (SAF notification or KSF request), keyboard-first.

The form only reads input (times, positions, numbers: :mod:`.record_reading`); every rule is the
domain's: it builds the record, shows each :class:`Problem` at its field, previews the conflicts
and flags the record would create, and saves through :class:`Desk` (``register`` / ``amend``).
The preview and the save are operations off the GUI thread (:mod:`kfor_desk.ui.operations`);
the fields themselves are laid out by :mod:`.record_layout`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kfor_desk.domain.records import ConsentRequest, ExerciseNotification, Record, RecordKind
from kfor_desk.domain.timefmt import format_dtg
from kfor_desk.domain.validation import Problem, RuleError, validate
from kfor_desk.domain.workflow import amend_allowed
from kfor_desk.services import conflicts as conflict_service
from kfor_desk.services.desk import Desk
from kfor_desk.services.errors import ConcurrentEdit, StoreError
from kfor_desk.ui import palette
from kfor_desk.ui.errors import show_error
from kfor_desk.ui.operations import Changes, Done
from kfor_desk.ui.widgets import DtgEdit, FieldError
from kfor_desk.ui.widgets.field_error import invalid_style
from kfor_desk.ui.widgets.guarded_dialog import ConfirmDiscard, ask_discard

from .banners import BANNER_ERROR, BANNER_OK, BANNER_WARN, banner
from .record_problems import RecordProblems
from .record_reading import FormInput, TimeInput, record_from_input

_TEXTS = {
    RecordKind.SAF: ("name", "units", "weapon_systems", "sender_ref", "liaison_contact"),
    RecordKind.KSF: ("requesting_unit", "description", "route", "ksf_ref", "point_of_contact"),
}
_CHOICES = {RecordKind.SAF: ("exercise_type", "channel", "patrols"),
            RecordKind.KSF: ("purpose",)}
_TICKS = {RecordKind.SAF: ("live_fire",), RecordKind.KSF: ("weapons_carried",)}


def _text(widget: QWidget) -> str:
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QLineEdit):
        return widget.text()
    raise TypeError(f"not a text field: {widget!r}")


def _time(edit: DtgEdit) -> TimeInput:
    return TimeInput(edit.value(), edit.error())


class RecordDialog(RecordProblems):
    """New or amended SAF notification / KSF request.

    ``saved(record)`` is emitted with the record as stored (register number, version, ABL
    relations). ``confirm_discard`` (``parent -> bool``) is asked before Esc loses input;
    replace it in tests. The conflict preview and the save run off the GUI thread
    (:meth:`is_busy` meanwhile).
    """

    saved = Signal(object)

    def __init__(self, desk: Desk, kind: RecordKind, record: Record | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if record is not None and record.kind is not kind:
            raise ValueError(f"{record.register_no} is not a {kind.label}")
        self.desk = desk
        self.kind = kind
        self.record = record
        self._fields: dict[str, tuple[QWidget, FieldError]] = {}
        self._preview_state: object = None  # input state the operator saw the preview for

        noun = "notification" if kind is RecordKind.SAF else "request"
        self._noun = noun
        if record is None:
            self.setWindowTitle(f"New {kind.label}")
        else:
            self.setWindowTitle(f"Amend {record.register_no} — {kind.label}")
        self.setObjectName("RecordDialog")
        palette.themed_style(self, lambda: invalid_style() + banner("error"))
        self.setSizeGripEnabled(True)

        # --- header and banner ---------------------------------------------------------
        heading = QLabel(self)
        heading.setObjectName("Heading")
        if record is None:
            heading.setText(f"<b style='font-size: 13pt'>New {kind.label}</b>")
        else:
            status = record.status.label
            heading.setText(f"<b style='font-size: 13pt'>{record.register_no}</b>"
                            f"&nbsp;&nbsp;{kind.label} · {status} · version {record.version}")
        self.banner = QLabel(self)
        self.banner.setObjectName("Banner")
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setVisible(False)

        # --- body: two columns in a scroll area ------------------------------------------
        body = QWidget()
        self._body = body
        left = QVBoxLayout()
        right = QVBoxLayout()
        for col in (left, right):
            col.setSpacing(10)
        if kind is RecordKind.SAF:
            assert record is None or isinstance(record, ExerciseNotification)
            self._build_saf(body, left, right, record)
        else:
            assert record is None or isinstance(record, ConsentRequest)
            self._build_ksf(body, left, right, record)
        left.addStretch(1)
        right.addStretch(1)
        cols = QHBoxLayout(body)
        cols.setContentsMargins(2, 2, 8, 2)
        cols.setSpacing(16)
        cols.addLayout(left, 1)
        cols.addLayout(right, 1)
        scroll = QScrollArea(self)
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no dead stop in the tab order
        self.scroll_area = scroll

        # --- preview of conflicts and flags ------------------------------------------------
        self.preview = QLabel(self)
        self.preview.setObjectName("Banner")
        self.preview.setWordWrap(True)
        self.preview.setTextFormat(Qt.TextFormat.RichText)
        self.preview.setVisible(False)

        # --- buttons ---------------------------------------------------------------------
        hint = QLabel("Ctrl+Enter saves · Esc cancels", self)
        palette.themed_style(hint, lambda: f"color: {palette.HINT};")
        self.save_button = QPushButton("Save", self)
        self.cancel_button = QPushButton("Cancel", self)
        for b in (self.save_button, self.cancel_button):
            b.setAutoDefault(False)
            b.setDefault(False)
        self.save_button.setToolTip("Save (Ctrl+Enter)")
        self.save_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(hint)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)

        outer = QVBoxLayout(self)
        outer.setSpacing(8)
        outer.addWidget(heading)
        outer.addWidget(self.banner)
        outer.addWidget(scroll, 1)
        outer.addWidget(self.preview)
        outer.addLayout(buttons)

        for seq in ("Ctrl+Return", "Ctrl+Enter"):
            sc = QShortcut(QKeySequence(seq), self)
            sc.setContext(Qt.ShortcutContext.WindowShortcut)
            sc.activated.connect(self.submit)

        # after a save was refused, leaving a field checks the form again: fixed fields lose
        # their sentence at once, not at the next save
        self._showing_problems = False
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_moved)

        self.mark_clean()
        self._fit_to_screen()
        QTimer.singleShot(0, self._focus_first)

    # ================================================================== state and input
    def _state(self) -> tuple[object, ...]:
        """Everything the operator can change, to tell whether input would be lost."""
        vals: list[object] = []
        for w in self._body.findChildren(QWidget):
            if isinstance(w, QLineEdit):
                vals.append(w.text())
            elif isinstance(w, QPlainTextEdit):
                vals.append(w.toPlainText())
            elif isinstance(w, QComboBox):
                vals.append(w.currentIndex())
            elif isinstance(w, QAbstractButton) and w.isCheckable():
                vals.append(w.isChecked())
        vals.append(len(self.locations.rows))
        return tuple(vals)

    def form_input(self) -> FormInput:
        """What is entered, as plain values (read on the GUI thread, nothing parsed twice)."""
        kind = self.kind
        texts = {name: _text(getattr(self, name)) for name in _TEXTS[kind]}
        for name in ("received_by", "personnel", "vehicles", "notes"):
            texts[name] = _text(getattr(self, name))
        times = {name: _time(getattr(self, name)) for name in ("received_at", "start", "end")}
        if kind is RecordKind.KSF:
            times["decision_due"] = _time(self.decision_due)
            if self.recommendation is not None:
                texts["recommendation"] = self.recommendation.toPlainText()
            for key, widget in self.decision_fields.items():
                if isinstance(widget, DtgEdit):
                    times[f"decision.{key}"] = _time(widget)
                else:
                    texts[f"decision.{key}"] = _text(widget)
        locs = []
        loc_problems: list[Problem] = []
        for i, row in enumerate(self.locations.rows):
            loc, row_problems = row.build()
            locs.append(loc)
            loc_problems.extend(Problem(f"locations[{i}].{f}", m) for f, m in row_problems)
        return FormInput(
            kind, texts, times,
            choices={name: getattr(self, name).currentData() for name in _CHOICES[kind]},
            ticks={name: getattr(self, name).isChecked() for name in _TICKS[kind]},
            municipalities=tuple(m for m, cb in getattr(self, "municipalities", {}).items()
                                 if cb.isChecked()),
            locations=tuple(locs), location_problems=tuple(loc_problems),
            air_assets=self.air_what.text() if self.air.isChecked() else None)

    def build_record(self) -> tuple[Record, list[Problem]]:
        """The record as entered, and the reading problems (times, positions, numbers).

        Where input cannot be read a placeholder stands in, so that the domain's own problems
        with the rest of the form can be shown at the same time.
        """
        return record_from_input(self.form_input(), self.record, self.desk.clock())

    # ================================================================== saving
    def submit(self) -> None:
        """Ctrl+Enter: check, preview conflicts and flags (off the GUI thread), save."""
        if self.is_busy():  # a second Save while one runs cannot save twice
            return
        problems = self.current_problems()
        if problems:
            self.show_problems(problems)
            return
        record, _ = self.build_record()
        if self.record is not None and record == self.record:
            self.clear_problems()
            self._banner("Nothing has changed. Esc closes the form.", "warning")
            return
        state = self._state()
        if self._preview_state == state:  # the operator has seen the preview: save as it is
            self._save(record)
            return

        def previewed(preview: conflict_service.Preview) -> None:
            if not preview.clear:
                self.clear_problems()
                self._show_preview(preview)
                self._preview_state = state
                return
            self.preview.setVisible(False)
            self.save_button.setText("Save")
            self._save(record)

        self.run_op("Checking for conflicts",
                    lambda desk: Done(conflict_service.preview(desk, record)),
                    previewed, self._not_saved)

    def current_problems(self) -> list[Problem]:
        """Every problem of the form as it stands (what a save would refuse)."""
        record, problems = self.build_record()
        if problems:
            reading = {p.field for p in problems}
            domain = [p for p in validate(record) if p.field not in reading
                      and not (p.field in ("start", "end") and reading & {"start", "end"})]
            return [*problems, *domain]
        domain = validate(record)
        if self.record is not None:
            try:
                amend_allowed(self.record, self._reason())
            except RuleError as exc:
                domain.extend(exc.problems)
        return domain

    def _reason(self) -> str:
        return self.reason.toPlainText().strip() if self.reason is not None else ""

    def _save(self, record: Record) -> None:
        original, reason = self.record, self._reason()

        def save(desk: Desk) -> Done[Record]:
            saved = (desk.register(record) if original is None
                     else desk.amend(original, record, reason)).record
            return Done(saved, Changes.of_records([saved.register_no]))

        self.run_op("Saving", save, self._saved, self._not_saved)

    def _saved(self, saved: Record) -> None:
        self.mark_clean()
        self.saved.emit(saved)
        self.accept()

    def _not_saved(self, exc: BaseException) -> None:
        """An error back from the preview or the save: at its place; the input stays."""
        if isinstance(exc, RuleError):
            self.show_problems(list(exc.problems))
        elif isinstance(exc, ConcurrentEdit):
            self.clear_problems()
            self._banner(f"Not saved: {exc}\nYour input is still here: copy what you need, "
                         "close the form, open the record again and re-apply it.",
                         "error")
        elif isinstance(exc, StoreError):
            self.clear_problems()
            self._banner(f"Not saved: {exc}", "error")
        else:
            show_error(self, exc, "Save")

    def _show_preview(self, preview: conflict_service.Preview) -> None:
        own = {self.record.register_no} if self.record is not None else set()
        lines: list[str] = []
        for c in preview.conflicts:
            other = c.b if (c.a in own or "(new)" in c.a) else c.a
            overlap = f"{format_dtg(c.overlap_start)}–{format_dtg(c.overlap_end)}"
            when = "overlap" if c.overlapping else "within the margin"
            lines.append(f"⚠ Conflict with <b>{other}</b>: {c.distance_km:.1f} km apart, "
                         f"{when} {overlap}")
        for f in preview.flags:
            lines.append(f"⚑ {f.flag.label}: {f.detail}")
        nc, nf = len(preview.conflicts), len(preview.flags)
        parts = []
        if nc:
            parts.append("1 conflict" if nc == 1 else f"{nc} conflicts")
        if nf:
            parts.append("1 attention flag" if nf == 1 else f"{nf} attention flags")
        head = (f"<b>This {self._noun} would be saved with {' and '.join(parts)}.</b> "
                "Check them; Ctrl+Enter again saves it as it is.")
        palette.themed_style(self.preview, lambda: banner("warning"))
        self.preview.setText(head + "<br>" + "<br>".join(lines))
        self.preview.setVisible(True)
        self.save_button.setText("Save with " + " and ".join(parts))


__all__ = ["BANNER_ERROR", "BANNER_OK", "BANNER_WARN", "ConfirmDiscard", "RecordDialog",
           "ask_discard"]
