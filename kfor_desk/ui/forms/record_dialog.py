"""The form for a new or amended record (SAF notification or KSF request), keyboard-first.

The form only reads input (times, positions, numbers); every rule is the domain's: it builds
the record, shows each :class:`Problem` at its field, previews the conflicts and flags the
record would create, and saves through :class:`Desk` (``register`` / ``amend``).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kfor_desk.domain.enums import (
    Channel,
    ExerciseType,
    Municipality,
    Patrols,
    Purpose,
)
from kfor_desk.domain.records import (
    ConsentRequest,
    Decision,
    ExerciseNotification,
    Location,
    Record,
    RecordKind,
)
from kfor_desk.domain.timefmt import format_dtg
from kfor_desk.domain.validation import Problem, RuleError, validate
from kfor_desk.services import conflicts as conflict_service
from kfor_desk.services.desk import Desk
from kfor_desk.store.errors import ConcurrentEdit, StoreError
from kfor_desk.ui.widgets import DtgEdit, FieldError, mark_invalid
from kfor_desk.ui.widgets.field_error import ERROR_COLOUR, INVALID_STYLE
from kfor_desk.ui.widgets.guarded_dialog import ConfirmDiscard, GuardedDialog, ask_discard

from .locations import LocationsEditor

_LOC_FIELD = re.compile(r"^locations\[(\d+)\]\.(\w+)$")

BANNER_ERROR = (f"QLabel#Banner {{ background: #fdecea; color: {ERROR_COLOUR}; "
                "border: 1px solid #f2b8b5; border-radius: 4px; padding: 8px; }")
BANNER_WARN = ("QLabel#Banner { background: #fff4d6; color: #5c4400; "
               "border: 1px solid #e6c770; border-radius: 4px; padding: 8px; }")
BANNER_OK = ("QLabel#Banner { background: #e6f4ea; color: #1f5130; "
             "border: 1px solid #a8d5b5; border-radius: 4px; padding: 8px; }")


def _text_box(parent: QWidget, lines: int = 3, max_chars: int | None = None) -> QPlainTextEdit:
    box = QPlainTextEdit(parent)
    box.setTabChangesFocus(True)
    fm = box.fontMetrics()
    box.setFixedHeight(fm.lineSpacing() * lines + 14)
    if max_chars:
        box.setToolTip(f"At most {max_chars:,} characters")
    return box


def _enum_combo(parent: QWidget, members: list[Any], current: Any) -> QComboBox:
    combo = QComboBox(parent)
    for m in members:
        combo.addItem(m.label, m)
    combo.setCurrentIndex(max(0, members.index(current)) if current in members else 0)
    return combo


def _count_text(value: int | None) -> str:
    return "" if value is None else str(value)


class RecordDialog(GuardedDialog):
    """New or amended SAF notification / KSF request.

    ``saved(record)`` is emitted with the record as stored (register number, version, ABL
    relations). ``confirm_discard`` (``parent -> bool``) is asked before Esc loses input;
    replace it in tests.
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
        self._saving = False

        noun = "notification" if kind is RecordKind.SAF else "request"
        self._noun = noun
        if record is None:
            self.setWindowTitle(f"New {kind.label}")
        else:
            self.setWindowTitle(f"Amend {record.register_no} — {kind.label}")
        self.setObjectName("RecordDialog")
        self.setStyleSheet(INVALID_STYLE + BANNER_ERROR)
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
        hint.setStyleSheet("color: #555b61;")
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

    # ================================================================== building the form
    def _group(self, title: str) -> tuple[QGroupBox, QFormLayout]:
        box = QGroupBox(title, self._body)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setVerticalSpacing(6)
        return box, form

    def _row(self, form: QFormLayout, label: str, field: str, widget: QWidget,
             focus: QWidget | None = None) -> None:
        """A labelled field with its error line under it, registered for problems."""
        holder = QWidget(self._body)
        lay = QVBoxLayout(holder)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(widget)
        err = FieldError(holder)
        lay.addWidget(err)
        lab = QLabel(label, self._body)
        lab.setBuddy(focus or widget)
        form.addRow(lab, holder)
        self._fields[field] = (focus or widget, err)

    def _line(self, max_len: int = 200, placeholder: str = "") -> QLineEdit:
        e = QLineEdit(self._body)
        e.setMaxLength(max_len)
        if placeholder:
            e.setPlaceholderText(placeholder)
        return e

    def _receipt_common(self, form: QFormLayout, record: Record | None) -> None:
        self.received_at = DtgEdit(self._body)
        self.received_at.set_value(record.received_at if record else self.desk.clock())
        self._row(form, "Received at", "received_at", self.received_at, self.received_at.edit)
        self.received_by = self._line(placeholder=self.desk.operator.display)
        self.received_by.setText(record.received_by if record else self.desk.operator.display)
        self._row(form, "Received by", "received_by", self.received_by)

    def _counts(self, form: QFormLayout, record: Record | None) -> None:
        self.personnel = self._line(7, "unknown")
        self.vehicles = self._line(7, "unknown")
        for e in (self.personnel, self.vehicles):
            e.setFixedWidth(e.fontMetrics().horizontalAdvance("unknown000") + 16)
        if record is not None:
            self.personnel.setText(_count_text(record.personnel))
            self.vehicles.setText(_count_text(record.vehicles))
        self._row(form, "Personnel", "personnel", self.personnel)
        self._row(form, "Vehicles", "vehicles", self.vehicles)

    def _air(self, form: QFormLayout, record: Record | None) -> None:
        holder = QWidget(self._body)
        lay = QHBoxLayout(holder)
        lay.setContentsMargins(0, 0, 0, 0)
        self.air = QCheckBox("Yes:", holder)
        self.air_what = QLineEdit(holder)
        self.air_what.setMaxLength(1000)
        self.air_what.setPlaceholderText("aircraft, helicopters, UAVs — which")
        lay.addWidget(self.air)
        lay.addWidget(self.air_what, 1)
        if record is not None and record.air_assets is not None:
            self.air.setChecked(True)
            self.air_what.setText(record.air_assets)
        self.air_what.setEnabled(self.air.isChecked())
        self.air.toggled.connect(self.air_what.setEnabled)
        self.air.toggled.connect(lambda on: on and self.air_what.setFocus())
        self._row(form, "Air assets", "air_assets", holder, self.air_what)

    def _period(self, form: QFormLayout, record: Record | None) -> None:
        self.start = DtgEdit(self._body)
        self.end = DtgEdit(self._body)
        if record is not None:
            self.start.set_value(record.start)
            self.end.set_value(record.end)
        self._row(form, "Start", "start", self.start, self.start.edit)
        self._row(form, "End", "end", self.end, self.end.edit)

    def _locations_group(self, col: QVBoxLayout, record: Record | None) -> None:
        box = QGroupBox("Locations", self._body)
        lay = QVBoxLayout(box)
        self.locations = LocationsEditor(record.locations if record else (), box)
        lay.addWidget(self.locations)
        col.addWidget(box)

    def _change_group(self, col: QVBoxLayout, record: Record | None) -> None:
        self.reason: QPlainTextEdit | None = None
        if record is None:
            return
        decided = isinstance(record, ConsentRequest) and record.status.is_decided
        title = "Correction of a decided request" if decided else "Reason for the change"
        box, form = self._group(title)
        self.reason = _text_box(self._body, 2)
        self.reason.setPlaceholderText("required: what is corrected and why" if decided
                                       else "optional: why the record changes")
        self._row(form, "Reason", "reason", self.reason)
        col.addWidget(box)

    def _build_saf(self, body: QWidget, left: QVBoxLayout, right: QVBoxLayout,
                   n: ExerciseNotification | None) -> None:
        box, form = self._group("Exercise")
        self.name = self._line(placeholder="exercise name as notified")
        self._row(form, "Exercise name", "name", self.name)
        self.exercise_type = _enum_combo(body, list(ExerciseType),
                                         n.exercise_type if n else ExerciseType.FIELD_TRAINING)
        self._row(form, "Type", "exercise_type", self.exercise_type)
        self.units = _text_box(body, 2, 1000)
        self._row(form, "Units", "units", self.units)
        self._counts(form, n)
        self.weapon_systems = _text_box(body, 2, 1000)
        self._row(form, "Weapon systems", "weapon_systems", self.weapon_systems)
        self.live_fire = QCheckBox("Yes", body)
        self._row(form, "Live fire", "live_fire", self.live_fire)
        self.exercise_type.currentIndexChanged.connect(self._type_changed)
        self._air(form, n)
        left.addWidget(box)

        box, form = self._group("Received")
        self.sender_ref = self._line(placeholder="the sender's reference")
        self._row(form, "Sender's reference", "sender_ref", self.sender_ref)
        self.channel = _enum_combo(body, list(Channel), n.channel if n else Channel.JIC)
        self._row(form, "Channel", "channel", self.channel)
        self._receipt_common(form, n)
        left.addWidget(box)

        box, form = self._group("Period (UTC)")
        self._period(form, n)
        right.addWidget(box)
        self._locations_group(right, n)

        box, form = self._group("KFOR follow-up")
        self.patrols = _enum_combo(body, list(Patrols), n.patrols if n else Patrols.NONE)
        self._row(form, "Patrols", "patrols", self.patrols)
        self.liaison_contact = self._line(1000)
        self._row(form, "Liaison contact", "liaison_contact", self.liaison_contact)
        self.notes = _text_box(body, 3, 8000)
        self._row(form, "Notes", "notes", self.notes)
        right.addWidget(box)
        self._change_group(right, n)

        if n is not None:
            self.name.setText(n.name)
            self.units.setPlainText(n.units)
            self.weapon_systems.setPlainText(n.weapon_systems)
            self.live_fire.setChecked(n.live_fire)
            self.sender_ref.setText(n.sender_ref)
            self.liaison_contact.setText(n.liaison_contact)
            self.notes.setPlainText(n.notes)

    def _type_changed(self, _index: int) -> None:
        """Choosing "Live firing" ticks "Live fire" (never unticks it: other types may fire)."""
        if self.exercise_type.currentData() == ExerciseType.LIVE_FIRING.value:
            self.live_fire.setChecked(True)

    def _build_ksf(self, body: QWidget, left: QVBoxLayout, right: QVBoxLayout,
                   r: ConsentRequest | None) -> None:
        box, form = self._group("Request")
        self.requesting_unit = self._line(placeholder="KSF unit asking for consent")
        self._row(form, "Requesting unit", "requesting_unit", self.requesting_unit)
        self.purpose = _enum_combo(body, list(Purpose), r.purpose if r else Purpose.OTHER)
        self._row(form, "Purpose", "purpose", self.purpose)
        self.description = _text_box(body, 3, 8000)
        self._row(form, "Description", "description", self.description)
        muni = QWidget(body)
        mlay = QHBoxLayout(muni)
        mlay.setContentsMargins(0, 0, 0, 0)
        self.municipalities: dict[Municipality, QCheckBox] = {}
        for m in Municipality:
            cb = QCheckBox(m.label, muni)
            cb.setChecked(r is not None and m in r.municipalities)
            self.municipalities[m] = cb
            mlay.addWidget(cb)
        mlay.addStretch(1)
        self._row(form, "Municipalities", "municipalities", muni,
                  self.municipalities[Municipality.NORTH_MITROVICA])
        self.route = _text_box(body, 2, 1000)
        self._row(form, "Route", "route", self.route)
        self._counts(form, r)
        self.weapons_carried = QCheckBox("Yes", body)
        self._row(form, "Weapons carried", "weapons_carried", self.weapons_carried)
        self._air(form, r)
        left.addWidget(box)

        box, form = self._group("Received")
        self.ksf_ref = self._line(placeholder="the KSF reference")
        self._row(form, "KSF reference", "ksf_ref", self.ksf_ref)
        self._receipt_common(form, r)
        self.point_of_contact = self._line(placeholder="name, phone")
        self._row(form, "Point of contact", "point_of_contact", self.point_of_contact)
        left.addWidget(box)

        box, form = self._group("Period and deadline (UTC)")
        self._period(form, r)
        self.decision_due = DtgEdit(body)
        if r is not None:
            self.decision_due.set_value(r.decision_due)
        self._row(form, "Decision due", "decision_due", self.decision_due,
                  self.decision_due.edit)
        right.addWidget(box)
        self._locations_group(right, r)

        self.recommendation: QPlainTextEdit | None = None
        self.decision_fields: dict[str, Any] = {}
        if r is not None and (r.recommendation or r.status.is_decided):
            box, form = self._group("Staffing and decision")
            self.recommendation = _text_box(body, 2, 8000)
            self.recommendation.setPlainText(r.recommendation)
            self._row(form, "Recommendation", "recommendation", self.recommendation)
            if r.decision is not None:
                d = r.decision
                auth = self._line(placeholder="COMKFOR")
                auth.setText(d.authority)
                self._row(form, "Authority", "decision.authority", auth)
                when = DtgEdit(body)
                when.set_value(d.decided_at)
                self._row(form, "Decided at", "decision.decided_at", when, when.edit)
                cond = _text_box(body, 2, 8000)
                cond.setPlainText(d.conditions)
                self._row(form, "Conditions", "decision.conditions", cond)
                rat = _text_box(body, 2, 8000)
                rat.setPlainText(d.rationale)
                self._row(form, "Rationale", "decision.rationale", rat)
                comm = DtgEdit(body, required=False)
                comm.set_value(d.communicated_at)
                self._row(form, "Communicated at", "decision.communicated_at", comm, comm.edit)
                via = self._line(placeholder="letter, phone, liaison…")
                via.setText(d.communicated_via)
                self._row(form, "Communicated via", "decision.communicated_via", via)
                self.decision_fields = {"authority": auth, "decided_at": when,
                                        "conditions": cond, "rationale": rat,
                                        "communicated_at": comm, "communicated_via": via}
            right.addWidget(box)

        box, form = self._group("Notes")
        self.notes = _text_box(body, 3, 8000)
        self._row(form, "Notes", "notes", self.notes)
        right.addWidget(box)
        self._change_group(right, r)

        if r is not None:
            self.requesting_unit.setText(r.requesting_unit)
            self.description.setPlainText(r.description)
            self.route.setPlainText(r.route)
            self.weapons_carried.setChecked(r.weapons_carried)
            self.ksf_ref.setText(r.ksf_ref)
            self.point_of_contact.setText(r.point_of_contact)
            self.notes.setPlainText(r.notes)

    def _fit_to_screen(self) -> None:
        self._body.adjustSize()
        want_w = self._body.sizeHint().width() + 60
        want_h = self._body.sizeHint().height() + 170
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            avail = screen.availableGeometry()
            want_w = min(max(want_w, 980), avail.width() - 40)
            want_h = min(want_h, avail.height() - 60)
        self.resize(want_w, want_h)

    def _focus_first(self) -> None:
        first = self.name if self.kind is RecordKind.SAF else self.requesting_unit
        first.setFocus(Qt.FocusReason.TabFocusReason)

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

    def _parse_count(self, edit: QLineEdit, label: str, field: str,
                     problems: list[Problem]) -> int | None:
        t = edit.text().strip().replace(" ", "").replace(",", "")
        if not t:
            return None
        try:
            return int(t)
        except ValueError:
            problems.append(Problem(field, f"{label} must be a whole number."))
            return None

    def _when(self, edit: DtgEdit, field: str, problems: list[Problem],
              fallback: datetime) -> datetime:
        err = edit.error()
        value = edit.value()
        if err is not None or value is None:
            problems.append(Problem(field, err or "A time is required."))
            return fallback
        return value

    def build_record(self) -> tuple[Record, list[Problem]]:
        """The record as entered, and the reading problems (times, positions, numbers).

        Where input cannot be read a placeholder stands in, so that the domain's own problems
        with the rest of the form can be shown at the same time.
        """
        problems: list[Problem] = []
        now = self.desk.clock()
        received_at = self._when(self.received_at, "received_at", problems, now)
        start = self._when(self.start, "start", problems, now)
        end = self._when(self.end, "end", problems, start)
        personnel = self._parse_count(self.personnel, "Personnel", "personnel", problems)
        vehicles = self._parse_count(self.vehicles, "Vehicles", "vehicles", problems)
        locs: list[Location] = []
        for i, row in enumerate(self.locations.rows):
            loc, row_problems = row.build()
            locs.append(loc)
            problems.extend(Problem(f"locations[{i}].{f}", m) for f, m in row_problems)
        air = self.air_what.text().strip() if self.air.isChecked() else None
        common: dict[str, Any] = {
            "received_at": received_at, "start": start, "end": end,
            "locations": tuple(locs), "received_by": self.received_by.text().strip(),
            "personnel": personnel, "vehicles": vehicles, "air_assets": air,
            "notes": self.notes.toPlainText().strip(),
        }
        record: Record
        if self.kind is RecordKind.SAF:
            record = self._build_saf_record(common)
        else:
            record = self._build_ksf_record(common, problems, now)
        return record, problems

    def _build_saf_record(self, common: dict[str, Any]) -> ExerciseNotification:
        values = {
            **common,
            "name": self.name.text().strip(),
            "exercise_type": ExerciseType(self.exercise_type.currentData()),
            "units": self.units.toPlainText().strip(),
            "weapon_systems": self.weapon_systems.toPlainText().strip(),
            "live_fire": self.live_fire.isChecked(),
            "sender_ref": self.sender_ref.text().strip(),
            "channel": Channel(self.channel.currentData()),
            "patrols": Patrols(self.patrols.currentData()),
            "liaison_contact": self.liaison_contact.text().strip(),
        }
        if self.record is None:
            return ExerciseNotification(**values)
        assert isinstance(self.record, ExerciseNotification)
        return replace(self.record, **values)

    def _build_ksf_record(self, common: dict[str, Any], problems: list[Problem],
                          now: datetime) -> ConsentRequest:
        due = self._when(self.decision_due, "decision_due", problems, now)
        values = {
            **common,
            "decision_due": due,
            "requesting_unit": self.requesting_unit.text().strip(),
            "purpose": Purpose(self.purpose.currentData()),
            "description": self.description.toPlainText().strip(),
            "municipalities": tuple(m for m, cb in self.municipalities.items()
                                    if cb.isChecked()),
            "route": self.route.toPlainText().strip(),
            "weapons_carried": self.weapons_carried.isChecked(),
            "ksf_ref": self.ksf_ref.text().strip(),
            "point_of_contact": self.point_of_contact.text().strip(),
        }
        if self.record is None:
            return ConsentRequest(**values)
        assert isinstance(self.record, ConsentRequest)
        if self.recommendation is not None:
            values["recommendation"] = self.recommendation.toPlainText().strip()
        old = self.record.decision
        if old is not None and self.decision_fields:
            f = self.decision_fields
            decided_at = self._when(f["decided_at"], "decision.decided_at", problems,
                                    old.decided_at)
            comm_err = f["communicated_at"].error()
            if comm_err:
                problems.append(Problem("decision.communicated_at", comm_err))
            values["decision"] = Decision(
                authority=f["authority"].text().strip(), decided_at=decided_at,
                conditions=f["conditions"].toPlainText().strip(),
                rationale=f["rationale"].toPlainText().strip(),
                communicated_at=f["communicated_at"].value() if not comm_err
                else old.communicated_at,
                communicated_via=f["communicated_via"].text().strip())
        return replace(self.record, **values)

    # ================================================================== problems
    def clear_problems(self) -> None:
        self._showing_problems = False
        for widget, err in self._fields.values():
            err.set_error(None)
            mark_invalid(widget, False)
        self.locations.clear_errors()
        self.banner.setVisible(False)

    def _target(self, field: str) -> tuple[QWidget | None, FieldError | None]:
        if field in self._fields:
            return self._fields[field]
        m = _LOC_FIELD.match(field)
        if m:
            i, sub = int(m[1]), m[2]
            if i < len(self.locations.rows):
                hit = self.locations.rows[i].error_for(sub)
                if hit is not None:
                    return hit
            return (self.locations.rows[0].name if self.locations.rows else None,
                    self.locations.error)
        if field.startswith("locations"):
            return self.locations.add_button, self.locations.error
        return None, None

    def current_problems(self) -> list[Problem]:
        """Every problem of the form as it stands (what a save would refuse)."""
        record, problems = self.build_record()
        reading = {p.field for p in problems}
        domain = [p for p in validate(record) if p.field not in reading
                  and not (p.field in ("start", "end") and reading & {"start", "end"})]
        if not problems and self.record is not None and isinstance(self.record, ConsentRequest) \
                and self.record.status.is_decided and not self._reason():
            domain.append(Problem("reason", "A decided request is corrected only with a "
                                            "reason for the correction."))
        return [*problems, *domain]

    def _focus_moved(self, old: QWidget | None, new: QWidget | None) -> None:
        """A field was left: after a refused save, check the form again (focus stays)."""
        if not self._showing_problems or self._saving or old is None or old is new:
            return
        try:
            if not self.isVisible() or not self.isAncestorOf(old):
                return
        except RuntimeError:  # the dialog is being deleted
            return
        self.show_problems(self.current_problems(), move_focus=False)

    def show_problems(self, problems: list[Problem] | tuple[Problem, ...], *,
                      move_focus: bool = True) -> None:
        """Each problem at its field (sentences under the field, red frame); problems
        without a field of this form go to the banner at the top. Focus goes to the first
        (unless ``move_focus`` is false: a re-check when a field is left)."""
        self.clear_problems()
        for w in (self.received_at, self.start, self.end):
            w.show_problems()
        for row in self.locations.rows:
            row.position.show_problems()
        loose: list[str] = []
        marked: list[QWidget] = []
        seen: set[tuple[str, str]] = set()
        for p in problems:
            if (p.field, p.message) in seen:
                continue
            seen.add((p.field, p.message))
            widget, err = self._target(p.field)
            if err is None:
                loose.append(p.message)
                continue
            err.add_error(p.message)
            if widget is not None:
                mark_invalid(widget, True)
                marked.append(widget)
        first = self._first_in_tab_order(marked)
        count = len(seen)
        self._showing_problems = bool(loose or count)
        if loose or count:
            what = "1 problem" if count == 1 else f"{count} problems"
            lines = [f"Not saved: {what} to fix."] + [f"• {m}" for m in loose]
            self._banner("\n".join(lines), BANNER_ERROR)
        if first is not None and move_focus:
            self.scroll_area.ensureWidgetVisible(first, 40, 60)
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def _first_in_tab_order(self, widgets: list[QWidget]) -> QWidget | None:
        if not widgets:
            return None
        wanted = set(map(id, widgets))
        w: QWidget | None = self._body.nextInFocusChain()
        for _ in range(5000):
            if w is None or w is self._body:
                break
            if id(w) in wanted:
                return w
            w = w.nextInFocusChain()
        return widgets[0]

    def field_error(self, field: str) -> str:
        """The sentence shown at a field (for tests and accessibility)."""
        _w, err = self._target(field)
        return err.text() if err is not None else ""

    def _banner(self, text: str, style: str) -> None:
        self.banner.setStyleSheet(style)
        self.banner.setText(text)
        self.banner.setVisible(True)

    # ================================================================== saving
    def submit(self) -> None:
        """Ctrl+Enter: check, preview conflicts and flags, save."""
        if self._saving:
            return
        record, problems = self.build_record()
        if problems:
            reading = {p.field for p in problems}
            domain = [p for p in validate(record) if p.field not in reading
                      and not (p.field in ("start", "end") and reading & {"start", "end"})]
            self.show_problems([*problems, *domain])
            return
        domain_problems = validate(record)
        if self.record is not None and isinstance(self.record, ConsentRequest) \
                and self.record.status.is_decided and not self._reason():
            domain_problems.append(Problem("reason", "A decided request is corrected only "
                                                     "with a reason for the correction."))
        if domain_problems:
            self.show_problems(domain_problems)
            return
        if self.record is not None and record == self.record:
            self.clear_problems()
            self._banner("Nothing has changed. Esc closes the form.", BANNER_WARN)
            return
        state = self._state()
        if self._preview_state != state:
            try:
                preview = conflict_service.preview(self.desk, record)
            except RuleError as exc:
                self.show_problems(list(exc.problems))
                return
            if not preview.clear:
                self.clear_problems()
                self._show_preview(preview)
                self._preview_state = state
                return
            self.preview.setVisible(False)
            self.save_button.setText("Save")
        self._save(record)

    def _reason(self) -> str:
        return self.reason.toPlainText().strip() if self.reason is not None else ""

    def _save(self, record: Record) -> None:
        self._saving = True
        try:
            if self.record is None:
                saved = self.desk.register(record).record
            else:
                saved = self.desk.amend(self.record, record, self._reason()).record
        except RuleError as exc:
            self.show_problems(list(exc.problems))
            return
        except ConcurrentEdit as exc:
            self.clear_problems()
            self._banner(f"Not saved: {exc}\nYour input is still here: copy what you need, "
                         "close the form, open the record again and re-apply it.",
                         BANNER_ERROR)
            return
        except StoreError as exc:
            self.clear_problems()
            self._banner(f"Not saved: {exc}", BANNER_ERROR)
            return
        finally:
            self._saving = False
        self.mark_clean()
        self.saved.emit(saved)
        self.accept()

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
        self.preview.setStyleSheet(BANNER_WARN)
        self.preview.setText(head + "<br>" + "<br>".join(lines))
        self.preview.setVisible(True)
        self.save_button.setText("Save with " + " and ".join(parts))



__all__ = ["ConfirmDiscard", "RecordDialog", "ask_discard"]
