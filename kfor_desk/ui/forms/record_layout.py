"""The record form's fields: two columns of labelled groups for a notification or a request.

:class:`RecordFormLayout` builds the fields of :class:`~.record_dialog.RecordDialog` (each with
its error line, registered by record field name for problems) and fills them from the record
being amended. It reads nothing back (that is :mod:`.record_reading`) and saves nothing.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kfor_desk.domain.enums import Channel, ExerciseType, Municipality, Patrols, Purpose
from kfor_desk.domain.records import ConsentRequest, ExerciseNotification, Record, RecordKind
from kfor_desk.services.desk import Desk
from kfor_desk.ui.widgets import DtgEdit, FieldError
from kfor_desk.ui.widgets.guarded_dialog import GuardedDialog

from .locations import LocationsEditor


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


class RecordFormLayout(GuardedDialog):
    """The fields of the record form (built by :meth:`_build_saf` / :meth:`_build_ksf`)."""

    desk: Desk
    kind: RecordKind
    _body: QWidget
    _fields: dict[str, tuple[QWidget, FieldError]]

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
