"""A position field that reads MGRS, decimal or DMS as the operator types and says where it
lies relative to the ABL; "Pick on map" fills it from a click."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kfor_desk.domain.geo.position import (
    ParsedPosition,
    PositionError,
    format_mgrs,
    out_of_area,
    parse_position,
    precision_text,
    precision_warning,
)
from kfor_desk.domain.placefmt import band_text, km
from kfor_desk.ui import palette

from .field_error import mark_invalid

HINT = "MGRS 34T DN 89270 48850, decimal 42.8922, 20.8686 or DMS 42°53′32″N 20°52′07″E"

# (parent, lat, lon) -> picked (lat, lon) or None; replaced in tests
Picker = Callable[[QWidget, float | None, float | None], tuple[float, float] | None]


def describe_position(p: ParsedPosition) -> str:
    """``Serbia · 3.4 km from the ABL · band ≤ 5 km · 3.4 km SW of Raška`` (side first)."""
    from kfor_desk.domain.geo.abl import abl_index  # numpy/shapely/pyproj load here

    idx = abl_index()
    rel = idx.relation(p.lat, p.lon)
    return " · ".join((rel.side.label, f"{km(rel.distance_km)} from the ABL",
                       band_text(rel.band), idx.describe(p.lat, p.lon)))


class MapPickDialog(QDialog):
    """A small map: click a position (Esc or Cancel closes without one)."""

    def __init__(self, parent: QWidget | None = None, lat: float | None = None,
                 lon: float | None = None) -> None:
        super().__init__(parent)
        from kfor_desk.ui.map import MapView  # the map is heavy: load it when asked for

        self.setWindowTitle("Pick a position on the map")
        self.picked: tuple[float, float] | None = None
        self.map = MapView(self)
        self.map.setMinimumSize(720, 520)
        info = QLabel("Click the position. Drag to pan, wheel or +/− to zoom, Home shows the "
                      "whole area, Esc cancels.", self)
        info.setWordWrap(True)
        self.readout = QLabel(self)
        palette.themed_style(self.readout, lambda: f"color: {palette.HINT};")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(info)
        lay.addWidget(self.map, 1)
        lay.addWidget(self.readout)
        lay.addWidget(buttons)
        self.map.cursorMoved.connect(self.readout.setText)
        self.map.positionPicked.connect(self._picked)
        self.map.pickCancelled.connect(self.reject)
        if lat is not None and lon is not None:
            self.map.centre_on_position(lat, lon)
        self.map.start_pick()
        self.map.setFocus()

    def _picked(self, lat: float, lon: float) -> None:
        self.picked = (lat, lon)
        self.accept()


def pick_on_map(parent: QWidget, lat: float | None, lon: float | None
                ) -> tuple[float, float] | None:
    dlg = MapPickDialog(parent, lat, lon)
    try:
        return dlg.picked if dlg.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dlg.deleteLater()


class PositionEdit(QWidget):
    """Position text with its reading beside it.

    ``value()`` is the :class:`ParsedPosition` or ``None``; ``error()`` the sentence why not.
    A position outside Kosovo and southern Serbia needs the "confirm" box ticked
    (``error()`` says so until it is).
    """

    positionChanged = Signal(object)  # ParsedPosition | None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.picker: Picker = pick_on_map  # replaceable (tests, other pickers)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("34T DN 89270 48850  or  42.8922, 20.8686")
        self.edit.setMaxLength(100)
        self.edit.setToolTip(HINT)
        self.pick_button = QPushButton("Pick on map…", self)
        self.pick_button.setToolTip("Open the map and click the position")
        self.pick_button.setAutoDefault(False)
        self.info = QLabel(self)
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.info.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.mgrs = QLabel(self)
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        fixed.setPointSizeF(self.info.font().pointSizeF())
        self.mgrs.setFont(fixed)
        palette.themed_style(self.mgrs, lambda: f"color: {palette.HINT};")
        self.mgrs.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.mgrs.setVisible(False)
        # "Only a 1 km square…": a warning, not an error (the record can still be saved)
        self.coarse = QLabel(self)
        self.coarse.setObjectName("PrecisionWarning")
        self.coarse.setWordWrap(True)
        palette.themed_style(self.coarse, lambda: f"color: {palette.DUE_SOON};")
        self.coarse.setVisible(False)
        self.confirm = QCheckBox("I have checked it: keep this position outside the area", self)
        self.confirm.setVisible(False)

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        top = QHBoxLayout()
        top.setSpacing(6)
        top.addWidget(self.edit, 1)
        top.addWidget(self.pick_button)
        grid.addLayout(top, 0, 0, 1, 2)
        grid.addWidget(self.info, 1, 0, 1, 2)
        grid.addWidget(self.mgrs, 2, 0, 1, 2)
        grid.addWidget(self.coarse, 3, 0, 1, 2)
        grid.addWidget(self.confirm, 4, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        self.setFocusProxy(self.edit)
        self.setTabOrder(self.edit, self.pick_button)

        self._value: ParsedPosition | None = None
        self._error: str | None = None
        self._outside: str | None = None
        self._touched = False
        self.edit.textChanged.connect(self._reparse)
        self.edit.editingFinished.connect(self._left)
        self.pick_button.clicked.connect(self._pick)
        self.confirm.toggled.connect(lambda _on: self._render())
        self._render()

    # --- API ------------------------------------------------------------------------------
    def value(self) -> ParsedPosition | None:
        return self._value

    def text(self) -> str:
        return self.edit.text()

    def setText(self, text: str) -> None:
        self.edit.setText(text)

    def out_of_area(self) -> str | None:
        """The warning when the position lies outside the area, else ``None``."""
        return self._outside

    def precision_warning(self) -> str | None:
        """The warning when the position is coarser than 100 m (a dropped digit?), else None."""
        return precision_warning(self._value) if self._value is not None else None

    def error(self) -> str | None:
        if self._error is not None:
            return self._error
        if self._value is None:
            return "A position is required: " + HINT + "."
        if self._outside and not self.confirm.isChecked():
            return self._outside
        return None

    def show_problems(self) -> None:
        self._touched = True
        self._render()

    def set_picked(self, lat: float, lon: float) -> None:
        """Fill the field with a position (decimal degrees to about a metre)."""
        self.edit.setText(f"{lat:.5f}, {lon:.5f}")
        self._touched = True
        self._render()

    # --- internals ------------------------------------------------------------------------
    def _reparse(self, text: str) -> None:
        value: ParsedPosition | None = None
        error: str | None = None
        outside: str | None = None
        if text.strip():
            try:
                value = parse_position(text)
            except PositionError as exc:
                error = str(exc)
            else:
                outside = out_of_area(value.lat, value.lon)
        changed = value != self._value
        if outside != self._outside:
            self.confirm.setChecked(False)
        self._value, self._error, self._outside = value, error, outside
        self._render()
        if changed:
            self.positionChanged.emit(value)

    def _left(self) -> None:
        self._touched = True
        self._render()

    def _pick(self) -> None:
        v = self._value
        got = self.picker(self, v.lat if v else None, v.lon if v else None)
        if got is not None:
            self.set_picked(*got)
        self.edit.setFocus()

    def _render(self) -> None:
        v = self._value
        self.confirm.setVisible(self._outside is not None)
        self.mgrs.setVisible(v is not None)
        if v is not None:
            if self._outside is not None:
                self.info.setText(self._outside[0].upper() + self._outside[1:])
                error = not self.confirm.isChecked()
            else:
                self.info.setText(describe_position(v))
                error = False
            palette.themed_style(
                self.info, lambda: f"color: {palette.ERROR if error else palette.HINT};")
            stated = precision_text(v)
            self.mgrs.setText(f"MGRS {format_mgrs(v.mgrs)} · stated {stated}" if v.mgrs
                              else f"Stated {stated}")
            coarse = precision_warning(v)
            self.coarse.setText(coarse or "")
            self.coarse.setVisible(coarse is not None)
            mark_invalid(self.edit, self._outside is not None and not self.confirm.isChecked())
        elif self._error and self._touched:
            msg = self._error[0].upper() + self._error[1:]
            self.info.setText(msg if msg.endswith(".") else msg + ".")
            palette.themed_style(self.info, lambda: f"color: {palette.ERROR};")
            self.mgrs.setText("")
            self.coarse.setVisible(False)
            mark_invalid(self.edit, True)
        else:
            self.info.setText(HINT if self.edit.text().strip() else "")
            palette.themed_style(self.info, lambda: f"color: {palette.HINT};")
            self.mgrs.setText("")
            self.coarse.setVisible(False)
            mark_invalid(self.edit, False)
