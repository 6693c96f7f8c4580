"""The detail pane's History page: a record's audit entries in words, newest first.

One line per entry (DTG · what · who · why) spanning the width, its field changes under it
(Field, Before, After). It shows the plain AuditEntry values handed in and reads nothing; it
does not decide what an entry says (:func:`kfor_desk.services.history.readable_history` does).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from kfor_desk.services.history import readable_history
from kfor_desk.ui import palette


def _short(value: Any, limit: int = 160) -> str:
    text = "—" if value is None or value == "" else str(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class HistoryTree(QTreeWidget):
    """Audit entries with their changes; "Loading…" while they are being read."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailHistory")
        # Before and After share the width left by Field, so After is seen without scrolling
        self.setColumnCount(3)
        self.setHeaderLabels(["Field", "Before", "After"])
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.header()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(60)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.setColumnWidth(0, 150)
        self.setIndentation(12)
        self.viewport().installEventFilter(self)  # the Field column follows the width

    def fill(self, history: Sequence[Any] | None) -> None:
        """Show ``history`` (plain AuditEntry values, oldest first); ``None``: "Loading…"."""
        self.clear()
        if history is None:
            waiting = QTreeWidgetItem(["Loading…"])
            waiting.setForeground(0, QColor(palette.MUTED))
            self.addTopLevelItem(waiting)
            waiting.setFirstColumnSpanned(True)
            return
        for entry in readable_history(history):
            head = f"{entry.when}  {entry.action} — {entry.operator}"
            if entry.reason:
                head += f" · {' '.join(entry.reason.split())}"
            top = QTreeWidgetItem([head])
            top.setToolTip(0, f"{entry.when_local}: {entry.action} by {entry.operator} at "
                              f"{entry.workstation} (entry {entry.seq})"
                              + (f"\nReason: {entry.reason}" if entry.reason else ""))
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            for change in entry.changes:
                child = QTreeWidgetItem([change.label, _short(change.before),
                                         _short(change.after)])
                child.setToolTip(0, f"{change.label} ({change.field})")
                child.setToolTip(1, change.before)
                child.setToolTip(2, change.after)
                top.addChild(child)
            self.addTopLevelItem(top)
            top.setFirstColumnSpanned(True)
            top.setExpanded(True)

    def eventFilter(self, watched: Any, event: Any) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.viewport():
            width = self.viewport().width()
            self.setColumnWidth(0, max(70, min(180, int(width * 0.4))))
        return super().eventFilter(watched, event)
