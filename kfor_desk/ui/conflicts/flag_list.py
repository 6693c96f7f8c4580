"""The conflicts tab's list of attention flags, most severe first.

It shows the :class:`~kfor_desk.domain.conflicts.Flag` values handed in, coloured by severity,
and says which record the operator chose (Enter or a double click); it decides no flag and
reads nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from kfor_desk.domain.conflicts import Flag, flag_sort_key

from .model import severity_colour
from .rows import record_text


class FlagList(QTreeWidget):
    """Flag, Record, Detail; ``recordSelected(register_no)`` on Enter or a double click."""

    recordSelected = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(3)
        self.setHeaderLabels(["Flag", "Record", "Detail"])
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        header = self.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.itemActivated.connect(self._activated)

    def set_flags(self, flags: Iterable[Flag], titles: Mapping[str, str]) -> int:
        """Show ``flags`` (in the active theme's colours; the record's title as its tooltip);
        how many."""
        self.clear()
        items = []
        for flag in sorted(flags, key=flag_sort_key):
            item = QTreeWidgetItem([flag.flag.label, flag.register_no, flag.detail])
            item.setForeground(0, QBrush(severity_colour(flag.severity)))
            if flag.severity <= 2:
                font = item.font(0)
                font.setBold(True)
                item.setFont(0, font)
            item.setToolTip(1, record_text(flag.register_no, titles.get(flag.register_no, "")))
            item.setToolTip(2, flag.detail)
            item.setData(0, Qt.ItemDataRole.UserRole, flag.register_no)
            items.append(item)
        self.addTopLevelItems(items)
        return len(items)

    def _activated(self, item: QTreeWidgetItem, _col: int) -> None:
        regno = item.data(0, Qt.ItemDataRole.UserRole)
        if regno:
            self.recordSelected.emit(str(regno))
