"""The attention panel: what is overdue, due soon, unacknowledged, or starting soon."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from kfor_desk.domain.timefmt import format_dtg_local
from kfor_desk.services.attention import AttentionItem, Reminder
from kfor_desk.ui import palette


def _colour(reminder: Reminder) -> str:
    """A reminder's colour in the active theme."""
    return {Reminder.OVERDUE: palette.OVERDUE, Reminder.DUE_SOON: palette.DUE_SOON,
            Reminder.UNACKNOWLEDGED: palette.DUE_SOON}.get(reminder, palette.TEXT)


class AttentionPanel(QWidget):
    """A list of :class:`AttentionItem` handed in by the window; a click selects the record."""

    recordSelected = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setObjectName("attentionTitle")
        self.list = QTreeWidget()
        self.list.setObjectName("attentionList")
        self.list.setColumnCount(4)
        self.list.setHeaderLabels(["Needs attention", "Record", "Reminder", "Title"])
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAlternatingRowColors(True)
        self.list.setColumnWidth(0, 190)
        self.list.setColumnWidth(1, 130)
        self.list.setColumnWidth(2, 380)
        self.list.header().setStretchLastSection(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 4, 6, 4)
        lay.setSpacing(2)
        lay.addWidget(self.title)
        lay.addWidget(self.list)
        self._items: list[AttentionItem] = []
        self.list.itemActivated.connect(self._activated)
        self.list.itemClicked.connect(self._activated)
        self._loaded = False
        self.set_loading()

    def is_loaded(self) -> bool:
        """True once reminders were handed in (until then the panel says "Loading…")."""
        return self._loaded

    def set_loading(self) -> None:
        """No verdict yet: never "nothing due" before the records are read."""
        self._loaded = False
        self._items = []
        self.list.clear()
        self.title.setText(f"<b>Attention</b> — <span style='color:{palette.MUTED}'>"
                           "Loading… (reading the records)</span>")

    def items(self) -> list[AttentionItem]:
        return list(self._items)

    def set_items(self, items: Sequence[AttentionItem]) -> None:
        self._loaded = True
        self._items = list(items)
        self.list.clear()
        bold = QFont()
        bold.setBold(True)
        for it in self._items:
            row = QTreeWidgetItem([it.reminder.label, it.register_no, it.detail, it.title])
            row.setData(0, Qt.ItemDataRole.UserRole, it.register_no)
            row.setForeground(0, QBrush(QColor(_colour(it.reminder))))
            if it.reminder is Reminder.OVERDUE:
                row.setFont(0, bold)
            tip = f"{it.title}\n{it.detail}\n{format_dtg_local(it.when)}"
            row.setToolTip(2, tip)
            row.setToolTip(3, tip)
            self.list.addTopLevelItem(row)
        overdue = sum(1 for i in self._items if i.reminder is Reminder.OVERDUE)
        if not self._items:
            self.title.setText("<b>Attention</b> — nothing due: no reminders.")
        else:
            extra = (f" — <span style='color:{palette.OVERDUE}'><b>{overdue} overdue</b></span>"
                     if overdue else "")
            self.title.setText(f"<b>Attention</b> — {len(self._items)} reminder(s){extra}")

    def apply_theme(self, _theme: object = None) -> None:
        """Colour the reminders again in the active theme (View ▸ Night theme)."""
        if self._loaded:
            self.set_items(self._items)
        else:
            self.set_loading()

    def _activated(self, item: QTreeWidgetItem, _col: int = 0) -> None:
        regno = item.data(0, Qt.ItemDataRole.UserRole)
        if regno:
            self.recordSelected.emit(str(regno))
