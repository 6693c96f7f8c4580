"""The composition root: paths, logging, database, services, window."""

from __future__ import annotations

import sys


def run(db: str | None = None, operator: str | None = None) -> int:
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMessageBox

    from kfor_desk import __version__
    from kfor_desk.services.session import open_desk, resolve_db
    from kfor_desk.store.errors import StoreError

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("KFOR Desk")
    location = resolve_db(db)
    try:
        desk = open_desk(location, operator)
    except StoreError as exc:
        QMessageBox.critical(None, "KFOR Desk — database", str(exc))
        return 1
    win = QMainWindow()
    win.setWindowTitle(f"KFOR Desk {__version__} — {location}")
    n, r = desk.repo.all_records()
    win.setCentralWidget(QLabel(f"{len(n)} SAF notifications, {len(r)} KSF consent requests"))
    win.resize(1200, 760)
    win.show()
    code = app.exec()
    desk.db.close()
    return int(code)
