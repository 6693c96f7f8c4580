"""The composition root: paths, logging, settings, operator, database, services, window.

``run(db, operator)`` is what ``kfor-desk`` (and ``kfor-desk gui``) starts. Everything the
window needs is made here and passed in; nothing is looked up in globals.

Operator on shift: ``--operator`` or ``$KFOR_DESK_OPERATOR`` if given, else "Who is on shift?"
asks at every start with the operator remembered from the last session offered (one Enter
confirms), and again on the first input after a long idle (:mod:`kfor_desk.ui.shift_guard`).
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
THEME_SETTING = "view/theme"  # "day" or "night"


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

    from kfor_desk.ui.app_settings import app_settings  # the portable-aware INI file

    return app_settings()


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
        desk.close()

    def done(_r: Any) -> None:
        loop.quit()

    def failed(exc: BaseException) -> None:
        outcome["error"] = exc
        loop.quit()

    run_task(None, "Creating the training database", work, done, failed, cancellable=False)
    loop.exec()
    if "error" in outcome:
        raise outcome["error"]


def ask_after_idle(win: Any, hours: float) -> None:
    """The idle guard's question: the officer on shift offered; another name takes over."""
    from PySide6.QtWidgets import QDialog

    from kfor_desk.ui.panels.operator import OperatorDialog

    desk = win.desk
    if desk is None:
        return
    dlg = OperatorDialog(desk.operator, win, intro=(
        f"The desk was idle for more than {hours:g} h. Who is on shift? Enter confirms "
        f"{desk.operator.display}; type your name if you are taking over."))
    try:
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.operator() != desk.operator:
            win.set_operator(dlg.operator())
    finally:
        dlg.deleteLater()


def _last_database(settings: Any) -> str:
    return str(settings.value("database/last", "") or "")


def _offer_last_officer(dlg: Any, location: str) -> None:
    """Read (off the GUI thread, the dialog already shown) who made the newest audit entry
    of the database the window will open, and offer that officer in ``dlg``; nothing is
    offered when it cannot be read (the opening that follows says why)."""
    from kfor_desk.services.session import last_officer
    from kfor_desk.ui.tasks import run_task

    def offer(officer: Any) -> None:
        if officer is not None:
            dlg.offer(officer)

    run_task(None, "Reading the desk's last officer", lambda _p: last_officer(location),
             offer, lambda _exc: None, cancellable=False, show_dialog=False)


def run(db: str | None = None, operator: str | None = None) -> int:
    """Window first: the main window is built and painted before the database is opened
    (SQLAlchemy, the store, numpy and the map data load after the first paint); it says
    "Opening …" with every action that needs the database off until the desk is handed to it.
    Opening (with its dialogs for a missing, damaged, locked or newer database) then runs over
    the painted window, and the records, conflicts and map layers are read off the GUI thread."""
    from PySide6.QtCore import QEvent, Qt, QTimer
    from PySide6.QtWidgets import QApplication, QDialog

    from kfor_desk.services.desk import Operator
    from kfor_desk.services.session import data_dir, start_place
    from kfor_desk.ui.paint_probe import install_from_env, mark_editable, mark_ready
    from kfor_desk.ui.palette import apply_palette, use_theme

    install_from_env()  # KFOR_DESK_EXIT_AFTER_PAINT: quit after the first paint (or load)
    folder = data_dir()
    log_path = setup_logging(folder)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setOrganizationName(ORG)
    app.setApplicationName(APP)
    app.setApplicationDisplayName(APP)
    from kfor_desk.ui.icon import app_icon

    app.setWindowIcon(app_icon())
    settings = window_settings()
    # the theme (View ▸ Night theme, remembered) before any window module takes its colours
    use_theme(str(settings.value(THEME_SETTING, "day") or "day"))
    apply_palette(app)
    from kfor_desk.ui.errors import install_excepthook
    from kfor_desk.ui.main_window import MainWindow
    from kfor_desk.ui.panels.operator import OperatorDialog

    install_excepthook()
    log.info("KFOR Desk starting; log %s", log_path)

    # --- the operator on shift
    op: Operator | None
    given = operator or os.environ.get("KFOR_DESK_OPERATOR", "").strip()
    remembered = remembered_operator(settings)
    if given:
        op = remembered if remembered is not None and remembered.name == given \
            else Operator(given)
    else:  # ask at every start: the last officer is offered, never silently resumed
        dlg = OperatorDialog(remembered)
        if remembered is None:  # fresh settings: the desk's last officer, once it is read
            _offer_last_officer(dlg, start_place(db, _last_database(settings)).location)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return 0
        op = dlg.operator()
    remember_operator(settings, op)
    operator_on_shift: Operator = op

    # --- the window, painted before the database is opened
    place = start_place(db, _last_database(settings))
    location = place.location
    win = MainWindow(None, location, settings)
    win.operatorChanged.connect(lambda o: remember_operator(settings, o))
    from kfor_desk.ui.shift_guard import IdleShiftGuard, idle_hours

    hours = idle_hours(settings)
    guard = IdleShiftGuard(partial(ask_after_idle, win, hours), hours, parent=win)
    win.registersShown.connect(mark_ready)  # the probe's "records shown" (when installed)
    win.editable.connect(mark_editable)  # …and its "a new record can be saved"
    quit_before_open: list[bool] = []
    opening: list[bool] = []  # once only: the fallback timer may fire during a dialog

    def open_database() -> None:
        if opening or win.isHidden():
            return
        opening.append(True)
        from kfor_desk.ui.startup import dialog_io, open_at_start, open_for_window

        # the checks on open run after the first load (read-only until they pass)
        opened = open_at_start(location, operator_on_shift, dialog_io(_make_training, win),
                               first_start_if_missing=place.first_start,
                               training_location=place.training_location,
                               opener=partial(open_for_window, deferred=True))
        if opened is None:  # the operator chose to quit
            quit_before_open.append(True)
            win.close()
            app.quit()
            return
        if "://" not in opened.location:
            settings.setValue("database/last", str(Path(opened.location).resolve()))
        log.info("database %s opened by %s", opened.location, operator_on_shift.display)
        if win.isHidden():  # closed while a start-up dialog was up
            opened.result.close()  # its database and lock (no backup: still unchecked)
            return
        win.open_with(opened.desk, opened.result, location=opened.location)

    # after the first paint; the timer opens it anyway if the window is never exposed
    win.firstPainted.connect(open_database, Qt.ConnectionType.QueuedConnection)
    QTimer.singleShot(1500, open_database)
    win.show()
    code = app.exec()
    # Closing the last window makes Qt *post* a quit of its own; when app.quit() ended the
    # loop first (Quit at a start-up question), that event is still queued. Delivered after
    # exec() it would set Qt's "quit now" flag with no loop left to clear it, and every later
    # event loop of this process (a second window, a local loop, a test) would end at once,
    # never delivering a worker's result. The loop is over: drop what asked it to end.
    QApplication.removePostedEvents(app, QEvent.Type.Quit)
    guard.stop()
    from kfor_desk.ui.tasks import wait_for_tasks

    win.loader.stop()  # conflicts still being computed are not waited for (nothing to show)
    wait_for_tasks()  # work still running finishes before the database closes
    if win.load_pool is not None:
        win.load_pool.waitForDone(30_000)
    if win.attached:
        win.close_database()  # the exit backup and the lock (done already if it closed)
        win.desk.close()
    log.info("KFOR Desk closed")
    return 0 if quit_before_open else int(code)
