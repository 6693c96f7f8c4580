"""Import, export and the PDF briefs from the window.

Asks where (remembering the last folder), runs the service off the GUI thread, and says where
the result went; a finished brief is offered to open. The exchange format, tables and PDFs are
the services' and ``reports``'; nothing here reads or writes a file itself.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QStandardPaths, Qt, QUrl
from PySide6.QtWidgets import QFileDialog, QMessageBox

from kfor_desk.domain.timefmt import format_dtg
from kfor_desk.ui.errors import show_error
from kfor_desk.ui.operations import Changes, Done, run_op
from kfor_desk.ui.tasks import run_task

if TYPE_CHECKING:
    from kfor_desk.services.desk import Desk

    from .main import MainWindow


class Exchange:
    """The window's import/export/brief actions (see the module docstring)."""

    def __init__(self, window: MainWindow) -> None:
        self.w = window

    def _last_dir(self) -> str:
        return str(self.w.qsettings.value("paths/last_dir", str(Path.home())))

    def _remember_dir(self, path: str) -> None:
        self.w.qsettings.setValue("paths/last_dir", str(Path(path).parent))

    def _error(self, title: str) -> Callable[[BaseException], None]:
        def show(exc: BaseException) -> None:
            show_error(self.w, exc, title)

        return show

    def _exported(self, path: str) -> Callable[[int], None]:
        def done(n: int) -> None:
            self.w.statusBar().showMessage(f"Exported {n} records to {path}.", 10_000)

        return done

    # ------------------------------------------------------------ exchange
    def import_json(self, path: str | None = None) -> Any:
        from kfor_desk.services.exchange import import_json

        w = self.w
        if path is None:
            path, _ = QFileDialog.getOpenFileName(w, "Import records", self._last_dir(),
                                                  "KFOR Desk exchange (*.json)")
        if not path:
            return None
        self._remember_dir(path)

        def done(report: Any) -> None:
            box = QMessageBox(QMessageBox.Icon.Information, "Import", report.summary(),
                              parent=w)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
            box.open()

        def op(desk: Desk) -> Done[Any]:
            return Done(import_json(desk, path), Changes(records=True))

        return run_op(w, w.desk, "Importing records", op, done, self._error("Import"),
                      show_dialog=True)

    def export_json(self, path: str | None = None) -> Any:
        from kfor_desk.services.exchange import export_json

        w = self.w
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                w, "Export records", os.path.join(self._last_dir(), "kfor-desk-export.json"),
                "KFOR Desk exchange (*.json)")
        if not path:
            return None
        self._remember_dir(path)
        desk = w.desk
        return run_task(w, "Exporting records", lambda _p: export_json(desk, path),
                        self._exported(path), self._error("Export"), cancellable=False)

    def export_table(self, path: str | None = None) -> Any:
        from kfor_desk.services.tables import export

        w = self.w
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                w, "Export table", os.path.join(self._last_dir(), "kfor-desk.xlsx"),
                "Excel (*.xlsx);;CSV (*.csv);;Calendar (*.ics)")
        if not path:
            return None
        self._remember_dir(path)
        desk = w.desk
        return run_task(w, "Exporting table", lambda _p: export(desk, path),
                        self._exported(path), self._error("Export"), cancellable=False)

    # ------------------------------------------------------------ briefs
    def _brief_dir(self) -> str:
        docs = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        if not docs or not Path(docs).is_dir():  # no Documents folder: the dialog would
            docs = str(Path.home())                # open in the program's working folder
        return str(self.w.qsettings.value("paths/brief_dir", docs))

    def choose_save_path(self, title: str, default: str, filters: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self.w, title, default, filters)
        return path

    def _brief(self, title: str, name: str, write: Callable[[Desk, str], Any]) -> Any:
        """Ask where, build the PDF off the GUI thread with progress, offer to open it."""
        w = self.w
        default = os.path.join(self._brief_dir(), name)
        path = w.choose_save_path(title, default, "PDF (*.pdf)")
        if not path:
            return None
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        w.qsettings.setValue("paths/brief_dir", str(Path(path).parent))
        desk = w.desk

        def failed(exc: BaseException) -> None:
            from kfor_desk.services.files import OutputError

            if isinstance(exc, (OSError, OutputError)):
                why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
                exc = OutputError(f"{title} could not be written: {why}. Choose another "
                                  "folder; any earlier file there is unchanged.")
            show_error(w, exc, title)

        def done(_result: Any) -> None:
            if not w.closed:
                w.offer_open(title, path)

        return run_task(w, f"Building the {title.lower()}", lambda _p: write(desk, path),
                        done, failed, cancellable=False)

    def offer_open(self, title: str, path: str) -> QMessageBox:
        """Say where the brief is and offer to open it."""
        w = self.w
        w.statusBar().showMessage(f"{title} written to {path}.", 10_000)
        box = QMessageBox(QMessageBox.Icon.Information, title,
                          f"{title} written to\n{path}", parent=w)
        open_button = box.addButton("Open", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)

        def clicked(button: Any) -> None:
            if button is open_button:
                w.open_url(QUrl.fromLocalFile(path))

        box.buttonClicked.connect(clicked)
        box.open()
        return box

    def daily_brief(self) -> Any:
        from kfor_desk.services.briefs import write_daily_brief

        name = f"daily-brief-{format_dtg(self.w.desk.clock())}.pdf"
        return self._brief("Daily brief", name, lambda d, p: write_daily_brief(d, p))

    def record_sheet(self, register_no: str | None = None) -> Any:
        from kfor_desk.services.briefs import write_record_sheet

        w = self.w
        if register_no is None:
            rec = w.selected_record()
            register_no = rec.register_no if rec is not None else None
        if not register_no:
            return None
        regno = register_no
        name = f"record-sheet-{regno}-{format_dtg(w.desk.clock())}.pdf"
        return self._brief("Record sheet", name,
                           lambda d, p: write_record_sheet(d, regno, p))

    def handover_brief(self) -> Any:
        from kfor_desk.services.briefs import write_handover

        w = self.w
        now = w.desk.clock()
        since = w.shift_started or now - timedelta(hours=12)
        name = f"shift-handover-{format_dtg(now)}.pdf"
        return self._brief("Shift handover", name,
                           lambda d, p: write_handover(d, p, since=since))
