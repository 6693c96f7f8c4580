""""Restore…": choose one of the database's backups (newest first: time, reason, size)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kfor_desk.domain.timefmt import LOCAL_ZONE

if TYPE_CHECKING:
    from kfor_desk.services.backups import BackupInfo

_REASONS = {"start": "on start", "exit": "on exit", "daily": "daily", "manual": "by hand"}


def describe_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def describe_reason(reason: str) -> str:
    if reason.startswith("before-upgrade"):
        return "before an upgrade"
    return _REASONS.get(reason, reason.replace("-", " "))


class BackupChooser(QDialog):
    """Lists ``backups`` (newest first, the newest selected); :meth:`chosen` after OK."""

    def __init__(self, backups: Sequence[BackupInfo], database: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore from a backup")
        self.setObjectName("backupChooser")
        self._backups = list(backups)
        intro = QLabel(
            f"Choose the backup to put in place of <b>{database}</b>. The current file is "
            "kept aside beside it (renamed, never deleted); the backup is verified before use.")
        intro.setWordWrap(True)
        self.list = QTreeWidget()
        self.list.setObjectName("backupList")
        self.list.setHeaderLabels(["Taken (UTC)", "Local time", "Reason", "Size"])
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for b in self._backups:
            local = b.taken_at.astimezone(LOCAL_ZONE)
            item = QTreeWidgetItem([f"{b.taken_at:%Y-%m-%d %H:%M:%S}Z",
                                    f"{local:%d %b %H:%M} {local.tzname()}",
                                    describe_reason(b.reason), describe_size(b.size)])
            item.setToolTip(0, str(b.path))
            item.setTextAlignment(3, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.list.addTopLevelItem(item)
        header = self.list.header()
        header.setStretchLastSection(False)
        for col in range(4):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        first = self.list.topLevelItem(0)
        if first is not None:
            self.list.setCurrentItem(first)
        self.list.itemDoubleClicked.connect(lambda *_: self.accept())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        restore = buttons.addButton("Restore…", QDialogButtonBox.ButtonRole.AcceptRole)
        restore.setEnabled(bool(self._backups))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(self.list)
        lay.addWidget(buttons)
        self.resize(620, 380)

    def chosen(self) -> BackupInfo | None:
        item = self.list.currentItem()
        row = self.list.indexOfTopLevelItem(item) if item is not None else -1
        return self._backups[row] if 0 <= row < len(self._backups) else None


def choose_backup_dialog(parent: QWidget | None, backups: Sequence[BackupInfo],
                         database: str) -> Path | None:
    """The chooser, modal; the chosen backup's path or None."""
    dlg = BackupChooser(backups, database, parent)
    if dlg.exec() != QDialog.DialogCode.Accepted:
        return None
    chosen = dlg.chosen()
    return chosen.path if chosen is not None else None
