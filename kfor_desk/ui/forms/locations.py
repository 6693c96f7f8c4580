"""The locations of a record: a short editable list of place name, position and radius."""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kfor_desk.domain.records import MAX_LOCATIONS, Location
from kfor_desk.ui.widgets import FieldError, PositionEdit, mark_invalid


def _position_text(loc: Location) -> str:
    return loc.position if loc.position else f"{loc.lat:.5f}, {loc.lon:.5f}"


class LocationRow(QFrame):
    """One location: name, radius, position (with its reading), each with its error line."""

    changed = Signal()
    removeRequested = Signal(object)

    def __init__(self, index: int, location: Location | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("LocationRow")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.original = location
        self.title = QLabel(self)
        self.name = QLineEdit(self)
        self.name.setPlaceholderText("e.g. Kopaonik range, Jarinje")
        self.name.setMaxLength(200)
        self.radius = QLineEdit(self)
        self.radius.setPlaceholderText("none")
        self.radius.setMaxLength(7)
        self.radius.setFixedWidth(self.radius.fontMetrics().horizontalAdvance("0000000") + 20)
        self.radius.setToolTip("Radius of the activity around the position, in metres "
                               "(optional)")
        self.position = PositionEdit(self)
        self.remove = QPushButton("Remove", self)
        self.remove.setAutoDefault(False)
        self.remove.setToolTip("Remove this location")
        self.name_error = FieldError(self)
        self.position_error = FieldError(self)
        self.radius_error = FieldError(self)

        grid = QGridLayout(self)
        grid.setContentsMargins(8, 6, 8, 6)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(3)
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.remove)
        grid.addLayout(head, 0, 0, 1, 2)
        place_label = QLabel("Place", self)
        place_label.setBuddy(self.name)
        grid.addWidget(place_label, 1, 0)
        name_row = QHBoxLayout()
        name_row.addWidget(self.name, 1)
        name_row.addSpacing(10)
        name_row.addWidget(QLabel("Radius", self))
        name_row.addWidget(self.radius)
        name_row.addWidget(QLabel("m", self))
        grid.addLayout(name_row, 1, 1)
        grid.addWidget(self.name_error, 2, 1)
        grid.addWidget(self.radius_error, 3, 1)
        pos_label = QLabel("Position", self)
        pos_label.setBuddy(self.position.edit)
        grid.addWidget(pos_label, 4, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.position, 4, 1)
        grid.addWidget(self.position_error, 5, 1)
        grid.setColumnStretch(1, 1)

        if location is not None:
            self.name.setText(location.name)
            self.radius.setText(str(location.radius_m) if location.radius_m is not None else "")
            self.position.setText(_position_text(location))
        self._initial = self.snapshot()
        self.set_index(index)
        for sig in (self.name.textChanged, self.radius.textChanged,
                    self.position.edit.textChanged):
            sig.connect(self.changed)
        self.position.confirm.toggled.connect(self.changed)
        self.remove.clicked.connect(lambda: self.removeRequested.emit(self))

    def set_index(self, index: int) -> None:
        self.index = index
        self.title.setText(f"<b>Location {index + 1}</b>")

    def focus_chain(self) -> list[QWidget]:
        return [self.name, self.radius, self.position.edit, self.position.pick_button,
                self.position.confirm, self.remove]

    def snapshot(self) -> tuple[str, str, str, bool]:
        return (self.name.text(), self.radius.text(), self.position.text(),
                self.position.confirm.isChecked())

    def clear_errors(self) -> None:
        for e in (self.name_error, self.position_error, self.radius_error):
            e.set_error(None)
        for w in (self.name, self.radius):
            mark_invalid(w, False)

    def error_for(self, field: str) -> tuple[QWidget, FieldError] | None:
        return {
            "name": (self.name, self.name_error),
            "position": (self.position.edit, self.position_error),
            "radius_m": (self.radius, self.radius_error),
        }.get(field)

    def build(self) -> tuple[Location, list[tuple[str, str]]]:
        """The location as entered (with placeholders where input cannot be read) and the
        reading problems as (field, sentence)."""
        problems: list[tuple[str, str]] = []
        radius: int | None = None
        rtext = self.radius.text().strip().replace(" ", "").replace(",", "")
        if rtext:
            try:
                radius = int(rtext)
            except ValueError:
                problems.append(("radius_m", "Radius must be a whole number of metres."))
        perr = self.position.error()
        if perr:
            problems.append(("position", perr))
        if (self.original is not None and self.snapshot()[:3] == self._initial[:3]
                and not problems):
            return self.original, problems
        p = self.position.value()
        lat, lon, unc = (p.lat, p.lon, p.uncertainty_m) if p else (0.0, 0.0, 0.0)
        loc = Location(name=self.name.text().strip(), lat=lat, lon=lon,
                       position=self.position.text().strip() or None, radius_m=radius,
                       uncertainty_m=unc)
        return loc, problems


class LocationsEditor(QWidget):
    """At least one location; "Add location" appends one, "Remove" takes one away."""

    changed = Signal()

    def __init__(self, locations: tuple[Location, ...] = (), parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.rows: list[LocationRow] = []
        self._box = QVBoxLayout()
        self._box.setSpacing(6)
        self.error = FieldError(self)
        for loc in locations or (None,):
            self._append(loc)
        # created after the rows: it follows them in the tab order
        self.add_button = QPushButton("&Add location", self)
        self.add_button.setAutoDefault(False)
        self.add_button.setToolTip("Add another location (Alt+A)")
        self._update_buttons()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        lay.addLayout(self._box)
        lay.addWidget(self.error)
        bottom = QHBoxLayout()
        bottom.addWidget(self.add_button)
        bottom.addStretch(1)
        lay.addLayout(bottom)
        self.add_button.clicked.connect(self.add_row)

    def _append(self, loc: Location | None) -> LocationRow:
        row = LocationRow(len(self.rows), loc, self)
        row.changed.connect(self.changed)
        row.removeRequested.connect(self._remove)
        previous = self.rows[-1].focus_chain()[-1] if self.rows else None
        self.rows.append(row)
        self._box.addWidget(row)
        row.show()  # now, not at the next turn of the event loop (focus goes to it)
        if previous is not None:
            chain = [previous, *row.focus_chain()]
            for a, b in pairwise(chain):
                QWidget.setTabOrder(a, b)
        self._update_buttons()
        return row

    def add_row(self) -> LocationRow:
        row = self._append(None)
        row.name.setFocus()
        self.changed.emit()
        return row

    def _remove(self, row: LocationRow) -> None:
        if len(self.rows) <= 1:
            return
        i = self.rows.index(row)
        self.rows.pop(i)
        row.hide()
        row.deleteLater()
        for j, r in enumerate(self.rows):
            r.set_index(j)
        self._update_buttons()
        self.rows[min(i, len(self.rows) - 1)].name.setFocus()
        self.changed.emit()

    def _update_buttons(self) -> None:
        for r in self.rows:
            r.remove.setEnabled(len(self.rows) > 1)
        if hasattr(self, "add_button"):
            self.add_button.setEnabled(len(self.rows) < MAX_LOCATIONS)

    def snapshot(self) -> tuple[tuple[str, str, str, bool], ...]:
        return tuple(r.snapshot() for r in self.rows)

    def clear_errors(self) -> None:
        self.error.set_error(None)
        for r in self.rows:
            r.clear_errors()
