"""The filter bar above the registers: search as you type, status, time phase, ABL band."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from kfor_desk.domain.enums import Band, TimePhase
from kfor_desk.ui.models import RegisterFilter

BAND_CHOICES: tuple[tuple[str, frozenset[Band]], ...] = (
    ("Any distance", frozenset()),
    (f"{Band.NOTIFY.label} of the ABL", frozenset({Band.NOTIFY})),
    (f"{Band.GROUND.label} of the ABL", frozenset({Band.NOTIFY, Band.GROUND})),
    (f"{Band.AIR.label} of the ABL", frozenset({Band.NOTIFY, Band.GROUND, Band.AIR})),
    (Band.BEYOND.label, frozenset({Band.BEYOND})),
)
PHASE_CHOICES: tuple[tuple[str, TimePhase | None], ...] = (
    ("Any time", None),
    ("Upcoming", TimePhase.UPCOMING),
    ("Active now", TimePhase.ACTIVE),
    ("Completed", TimePhase.COMPLETED),
)


class FilterBar(QWidget):
    """Emits ``changed`` with a :class:`RegisterFilter` on every keystroke or choice."""

    changed = Signal(object)
    toResults = Signal()  # ↓ or Enter in the search field: on to the rows it found

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Search every field — names, places, units, references…"
                                       "  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        self.status = QComboBox()
        self.status.setObjectName("statusFilter")
        self.phase = QComboBox()
        self.phase.setObjectName("phaseFilter")
        for label, phase in PHASE_CHOICES:
            self.phase.addItem(label, phase)
        self.band = QComboBox()
        self.band.setObjectName("bandFilter")
        for label, bands in BAND_CHOICES:
            self.band.addItem(label, bands)
        self.reset = QToolButton()
        self.reset.setText("Clear filters")
        self.reset.setToolTip("Show every record (Esc in the search field)")
        self.count = QLabel()
        self.count.setObjectName("rowCount")
        self.count.setMinimumWidth(110)
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(6, 4, 6, 4)
        lay.setSpacing(6)
        lay.addWidget(self.search, 3)
        lay.addWidget(self.status, 1)
        lay.addWidget(self.phase, 1)
        lay.addWidget(self.band, 1)
        lay.addWidget(self.reset)
        lay.addWidget(self.count)
        self._statuses: list[tuple[str, frozenset[str]]] = []
        self.search.textChanged.connect(self._emit)
        self.status.currentIndexChanged.connect(self._emit)
        self.phase.currentIndexChanged.connect(self._emit)
        self.band.currentIndexChanged.connect(self._emit)
        self.reset.clicked.connect(self.clear)

    def set_status_choices(self, choices: Sequence[tuple[str, frozenset[str]]],
                           current: RegisterFilter | None = None) -> None:
        """Choices of the status box (label, statuses); the first means "all"."""
        self._statuses = list(choices)
        self.status.blockSignals(True)
        self.status.clear()
        for label, _values in self._statuses:
            self.status.addItem(label)
        self.status.setCurrentIndex(0)
        if current is not None:
            for n, (_label, values) in enumerate(self._statuses):
                if values == current.statuses:
                    self.status.setCurrentIndex(n)
        self.status.blockSignals(False)

    def show_filter(self, flt: RegisterFilter) -> None:
        """Show ``flt`` without emitting (when the register tab changes)."""
        for w in (self.search, self.phase, self.band):
            w.blockSignals(True)
        self.search.setText(flt.text)
        self.phase.setCurrentIndex(max(0, self.phase.findData(flt.phase)))
        for n, (_label, bands) in enumerate(BAND_CHOICES):
            if bands == flt.bands:
                self.band.setCurrentIndex(n)
        for w in (self.search, self.phase, self.band):
            w.blockSignals(False)

    def current(self) -> RegisterFilter:
        n = self.status.currentIndex()
        statuses = self._statuses[n][1] if 0 <= n < len(self._statuses) else frozenset()
        return RegisterFilter(statuses=statuses, phase=self.phase.currentData(),
                              bands=self.band.currentData() or frozenset(),
                              text=self.search.text())

    def clear(self) -> None:
        for w in (self.search, self.status, self.phase, self.band):
            w.blockSignals(True)
        self.search.clear()
        self.status.setCurrentIndex(0)
        self.phase.setCurrentIndex(0)
        self.band.setCurrentIndex(0)
        for w in (self.search, self.status, self.phase, self.band):
            w.blockSignals(False)
        self._emit()

    def set_count(self, shown: int, total: int) -> None:
        self.count.setText(f"{shown:,} of {total:,}" if shown != total else f"{total:,} records")

    def _emit(self) -> None:
        self.changed.emit(self.current())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.search.hasFocus() and self.search.text():
            self.search.clear()
            return
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and self.search.hasFocus():
            self.toResults.emit()
            return
        super().keyPressEvent(event)
