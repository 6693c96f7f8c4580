"""The composition root: paths, logging, settings, operator, database, services, window.

``run(db, operator)`` is what ``kfor-desk`` (and ``kfor-desk gui``) starts. Everything the
window needs is made here and passed in; nothing is looked up in globals.

Operator on shift: ``--operator`` or ``$KFOR_DESK_OPERATOR`` if given, else the operator
remembered from the last session (name, rank, appointment), else the operator dialog asks.
"Hand over shift" in the window changes it (and it is remembered).

Database: ``--db`` or ``$KFOR_DESK_DB`` if given, else the last database opened, else the
default place in the user's data folder (first start: new / open / training).
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from functools import partial
from pathlib import Path
from typing import Any

log = logging.getLogger("kfor_desk")

ORG = "KFOR"
APP = "KFOR Desk"
TRAINING_RECORDS = 80


def setup_logging(folder: Path) -> Path | None:
    """A rotating log file in the data folder (0600); ``None`` if it cannot be written."""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = folder / "kfor-desk.log"
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3,
                                                       encoding="utf-8")
        os.chmod(path, 0o600)
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("kfor_desk")
    root.setLevel(logging.INFO)
    root.addHandler(handler)
    return path


def window_settings() -> Any:
    """The QSettings of the window (geometry, columns, operator, last database)."""
    from PySide6.QtCore import QSettings

    try:  # the portable-aware INI file, where the packaging helper is installed
        from kfor_desk.ui.app_settings import app_settings

        return app_settings()
    except ImportError:
        return QSettings(ORG, APP)


def remembered_operator(settings: Any) -> Any:
    from kfor_desk.services.desk import Operator

    name = str(settings.value("operator/name", "") or "").strip()
    if not name:
        return None
    return Operator(name, str(settings.value("operator/rank", "") or ""),
                    str(settings.value("operator/appointment", "") or ""))


def remember_operator(settings: Any, operator: Any) -> None:
    settings.setValue("operator/name", operator.name)
    settings.setValue("operator/rank", operator.rank)
    settings.setValue("operator/appointment", operator.appointment)
    settings.sync()


def _make_training(location: str, operator: Any) -> None:
    """Create a training database off the GUI thread, with a progress dialog; blocks (in a
    local event loop) until it is done, re-raising its error."""
    from PySide6.QtCore import QEventLoop

    from kfor_desk.services.demo import create_demo
    from kfor_desk.ui.tasks import run_task

    outcome: dict[str, Any] = {}
    loop = QEventLoop()

    def work(progress: Any) -> None:
        desk = create_demo(location, TRAINING_RECORDS, operator=operator,
                           progress=lambda i, n: progress(i, n, f"Record {i} of {n}"))
        desk.db.close()

    def done(_r: Any) -> None:
        loop.quit()

    def failed(exc: BaseException) -> None:
        outcome["error"] = exc
        loop.quit()

    run_task(None, "Creating the training database", work, done, failed, cancellable=False)
    loop.exec()
    if "error" in outcome:
        raise outcome["error"]


def run(db: str | None = None, operator: str | None = None) -> int:
    from PySide6.QtWidgets import QApplication, QDialog

    from kfor_desk.services.desk import Operator
    from kfor_desk.services.session import ENV_DB, data_dir, default_db_location
    from kfor_desk.ui.errors import install_excepthook
    from kfor_desk.ui.main_window import MainWindow
    from kfor_desk.ui.paint_probe import install_from_env
    from kfor_desk.ui.palette import apply_palette
    from kfor_desk.ui.panels.operator import OperatorDialog
    from kfor_desk.ui.startup import dialog_io, open_at_start, open_for_window

    install_from_env()  # KFOR_DESK_EXIT_AFTER_PAINT=1: quit after the first paint
    folder = data_dir()
    log_path = setup_logging(folder)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setOrganizationName(ORG)
    app.setApplicationName(APP)
    app.setApplicationDisplayName(APP)
    try:
        from kfor_desk.ui.icon import app_icon

        app.setWindowIcon(app_icon())
    except ImportError:
        pass
    apply_palette(app)
    install_excepthook()
    settings = window_settings()
    log.info("KFOR Desk starting; log %s", log_path)

    # --- the operator on shift
    op: Operator | None
    given = operator or os.environ.get("KFOR_DESK_OPERATOR", "").strip()
    remembered = remembered_operator(settings)
    if given:
        op = remembered if remembered is not None and remembered.name == given \
            else Operator(given)
    else:
        op = remembered
    if op is None:
        dlg = OperatorDialog(None)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return 0
        op = dlg.operator()
    remember_operator(settings, op)

    # --- the database
    explicit = db or os.environ.get(ENV_DB)
    last = str(settings.value("database/last", "") or "")
    location = explicit or last or default_db_location()
    is_default = not explicit and not last
    # the checks on open run after the window has painted (read-only until they pass)
    opened = open_at_start(location, op, dialog_io(_make_training),
                           first_start_if_missing=is_default,
                           training_location=str(folder / "kfor-desk-training.db"),
                           opener=partial(open_for_window, deferred=True))
    if opened is None:
        return 0
    if "://" not in opened.location:
        settings.setValue("database/last", str(Path(opened.location).resolve()))
    log.info("database %s opened by %s", opened.location, op.display)

    win = MainWindow(opened.desk, opened.location, settings, safety=opened.result)
    win.operatorChanged.connect(lambda o: remember_operator(settings, o))
    win.show()
    code = app.exec()
    from kfor_desk.ui.tasks import wait_for_tasks

    wait_for_tasks()  # work still running finishes before the database closes
    if win.load_pool is not None:
        win.load_pool.waitForDone(30_000)
    win.close_database()  # the exit backup and the lock (done already if the window closed)
    win.desk.db.close()
    log.info("KFOR Desk closed")
    return int(code)
