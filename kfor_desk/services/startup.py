"""The database at start-up, without a window: which file, and what to ask when opening fails.

:func:`start_place` (in :mod:`~kfor_desk.services.session`, light to import) picks the
file the window starts on (``--db``, ``$KFOR_DESK_DB``, the last one it had open, else the
default database, the one the command line uses too).
:func:`open_at_start` opens it through the opening sequence
(:func:`~kfor_desk.services.opening.open_location`: place, lock, checks, upgrade, desk); when
there is none at the default place (first start) or opening fails (missing, in use, locked,
newer version, not a database or damaged, network folder) it asks the operator what to do
through :class:`StartupIO` (:func:`describe` says what happened, what to do, and the choices),
and loops until a database is open or the operator quits. A file that is not a database can
be replaced by its newest good backup ("Restore newest backup…"; the bad file is kept aside).
It never creates a file unless the operator chose "new" or "training", and no error reaches
the operator as a traceback. A database that failed its checks is *opened* (read-only,
``Opened.result.readonly_reason`` says why): the window shows that in its banner.

Nothing here shows anything: every way of asking is injected (``ui/startup.py`` passes the
dialogs, tests pass plain functions).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from .desk import Desk, Operator
from .errors import (
    DatabaseExists,
    DatabaseInUse,
    DatabaseLocked,
    DatabaseMissing,
    IntegrityFailure,
    MigrationFailed,
    NewerSchema,
    NotADatabase,
    ReadOnlyDatabase,
    ServerUnreachable,
    UnsafeLocation,
    is_user_error,
)
from .location import resolve_location
from .open_result import WINDOW, WINDOW_DEFERRED, OpenRefused, OpenResult
from .opening import open_location
from .restoring import RestoreResult, restore
from .session import StartPlace, create_desk, start_place

log = logging.getLogger("kfor_desk.startup")


class Choice(StrEnum):
    OPEN = "open"
    NEW = "new"
    TRAINING = "training"
    RETRY = "retry"
    READ_ONLY = "read_only"
    RESTORE = "restore"
    LOCAL_COPY = "local_copy"
    QUIT = "quit"

    @property
    def label(self) -> str:
        return _CHOICE_LABELS[self]


_CHOICE_LABELS = {
    Choice.OPEN: "Open another database…",
    Choice.NEW: "Create a new database…",
    Choice.TRAINING: "Create a training database…",
    Choice.RETRY: "Try again",
    Choice.READ_ONLY: "Open read-only",
    Choice.RESTORE: "Restore newest backup…",
    Choice.LOCAL_COPY: "Go on from the local copy",
    Choice.QUIT: "Quit",
}


@dataclass(frozen=True, slots=True)
class StartupProblem:
    """What the start-up dialog says: what happened, what to do, and the choices."""

    kind: str  # "first_start", "missing", "locked", "newer", "not_a_database", ...
    title: str
    message: str
    advice: str
    location: str
    choices: tuple[Choice, ...]
    default: Choice = Choice.OPEN
    backup: str | None = None  # the newest good backup, offered by Choice.RESTORE


def first_start(location: str) -> StartupProblem:
    return StartupProblem(
        "first_start", "Welcome to KFOR Desk",
        "There is no KFOR Desk database on this workstation yet.",
        f"Create a new, empty database (it will be kept at {location}), open an existing "
        "database file, or create a training database filled with exercise data to practise "
        "on — it is marked EXERCISE everywhere.",
        location, (Choice.NEW, Choice.OPEN, Choice.TRAINING, Choice.QUIT), Choice.NEW)


def describe(exc: BaseException, location: str) -> StartupProblem:
    """The start-up problem for an error raised while opening ``location``."""
    if isinstance(exc, OpenRefused) and isinstance(exc.__cause__, NewerSchema):
        return describe(exc.__cause__, location)  # no backup to offer: install the newer one
    msg = str(exc).strip()
    msg = msg[0].upper() + msg[1:] if msg else type(exc).__name__
    common = (Choice.OPEN, Choice.NEW, Choice.QUIT)
    if isinstance(exc, ServerUnreachable):
        from .copying import LOCAL_COPY_MARK, newest_local_copy

        copy = newest_local_copy(location)
        if copy is not None:
            return StartupProblem(
                "server_unreachable", "Database server unreachable", msg,
                f"Try again, or go on from the newest local copy ({copy.name}), marked "
                f"\"{LOCAL_COPY_MARK}\" in the status bar and on briefs: what you save there "
                "is not seen by the other desks; bring it back to the server later with an "
                "exchange file (export here, import there: what exists is skipped).",
                location, (Choice.RETRY, Choice.LOCAL_COPY, Choice.OPEN, Choice.QUIT),
                Choice.RETRY, str(copy))
        return StartupProblem(
            "server_unreachable", "Database server unreachable", msg,
            "Try again when the server or the network is back. No local copy of this server "
            "desk is kept on this workstation yet (one is made each time the window closes).",
            location, (Choice.RETRY, Choice.OPEN, Choice.QUIT), Choice.RETRY)
    if isinstance(exc, DatabaseMissing):
        return StartupProblem(
            "missing", "Database not found", msg,
            "Check that the drive or network folder is available and try again, or open the "
            "database from where it is now. Nothing was created.",
            location, (Choice.RETRY, *common), Choice.OPEN)
    if isinstance(exc, DatabaseInUse):
        advice = (f"Wait until {exc.command} has finished, then press Retry. "
                  if exc.command else
                  "Switch to the KFOR Desk window that has it open, or close that one and try "
                  "again. ")
        return StartupProblem(
            "in_use", "Database in use" if exc.command else "Database already open", msg,
            advice + "Two programs writing one database is how records get lost, so this one "
            "waits.", location, (Choice.RETRY, Choice.OPEN, Choice.QUIT), Choice.RETRY)
    if isinstance(exc, UnsafeLocation):
        return StartupProblem(
            "unsafe_location", "Database on a network folder", msg,
            "Copy the database to a folder on this computer's own disk and open it there (a "
            "desk shared by several workstations uses a database server). The file was not "
            "changed.", location, (Choice.OPEN, Choice.QUIT), Choice.OPEN)
    if isinstance(exc, OpenRefused):
        backup = str(exc.newest_backup) if exc.newest_backup else None
        if backup:
            return StartupProblem(
                "not_a_database", "Not a usable database", msg,
                "The file was left exactly as it is. Restore the newest good backup (the "
                "damaged file is kept aside beside it, never deleted), or open another "
                "database.", location, (Choice.RESTORE, *common), Choice.RESTORE, backup)
        return StartupProblem(
            "not_a_database", "Not a usable database", msg,
            "The file was left exactly as it is and no good backup was found beside it. Open "
            "another database, or ask for a copy.", location, common, Choice.OPEN)
    if isinstance(exc, DatabaseLocked):
        return StartupProblem(
            "locked", "Database in use", msg,
            "Another KFOR Desk (or another program) is writing to it. Close it or wait a "
            "moment, then try again.",
            location, (Choice.RETRY, Choice.OPEN, Choice.QUIT), Choice.RETRY)
    if isinstance(exc, NewerSchema):
        return StartupProblem(
            "newer", "Database from a newer KFOR Desk", msg,
            "Install the newer KFOR Desk version to work with it; this version leaves the file "
            "untouched. Or open another database.",
            location, (Choice.OPEN, Choice.QUIT), Choice.OPEN)
    if isinstance(exc, (NotADatabase, IntegrityFailure)):
        return StartupProblem(
            "not_a_database", "Not a usable database", msg,
            "The file was left exactly as it is. Restore the newest backup "
            "(kfor-desk restore), or open another database.",
            location, common, Choice.OPEN)
    if isinstance(exc, ReadOnlyDatabase):
        return StartupProblem(
            "read_only", "Database is read-only", msg,
            "You can open it read-only to look things up (nothing can be saved), or fix the "
            "file's permissions and try again.",
            location, (Choice.READ_ONLY, Choice.RETRY, Choice.OPEN, Choice.QUIT),
            Choice.READ_ONLY)
    if isinstance(exc, MigrationFailed):
        return StartupProblem(
            "migration", "Database upgrade failed", msg,
            "The database was left as it was before the upgrade (a backup was made). Report "
            "this, and open another database meanwhile.",
            location, (Choice.OPEN, Choice.QUIT), Choice.OPEN)
    if is_user_error(exc):  # the one taxonomy: a failed restore, a file error, ...
        return StartupProblem("store", "Cannot open the database", msg,
                              "Open another database, or try again.",
                              location, (Choice.RETRY, *common), Choice.RETRY)
    return StartupProblem(
        "unexpected", "Cannot open the database",
        f"An unexpected error stopped KFOR Desk opening {location} ({type(exc).__name__}).",
        "The file was not changed. The details are in the log; please report them.",
        location, (Choice.RETRY, Choice.OPEN, Choice.QUIT), Choice.QUIT)


@dataclass
class StartupIO:
    """The ways the start-up loop asks the operator (injected: dialogs in the app, plain
    functions in tests)."""

    ask: Callable[[StartupProblem], Choice]
    pick_existing: Callable[[str], str | None]  # start folder → chosen file
    pick_new: Callable[[str], str | None]  # suggested path → chosen path (must not exist)
    make_training: Callable[[str, Operator], None]  # create a training database at a path
    shown: list[StartupProblem] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Opened:
    """The open database: ``result`` carries the lock, the read-only reason, the warnings to
    show once and the backups (close it with ``result.close()``)."""

    result: OpenResult
    location: str
    created: bool = False

    @property
    def desk(self) -> Desk:
        return self.result.desk


Opener = Callable[..., "OpenResult | Desk"]
Restorer = Callable[[Path, Path], RestoreResult]


def open_for_window(location: str, operator: Operator, *, readonly: bool = False,
                    deferred: bool = False) -> OpenResult:
    """The window's way to open: the whole opening sequence; ``readonly``: the operator chose
    to look without writing (no lock, no checks, no backups); ``deferred``: the checks run
    after the window has painted (:func:`~kfor_desk.services.opening.finish_checks`),
    read-only until then."""
    return open_location(resolve_location(location, readonly=readonly), operator,
                         WINDOW_DEFERRED if deferred else WINDOW)


def _as_result(opened: OpenResult | Desk) -> OpenResult:
    return opened if isinstance(opened, OpenResult) else OpenResult(
        opened, "Opened read-only: nothing can be saved." if opened.readonly else None)


def open_at_start(location: str, operator: Operator, io: StartupIO, *,
                  first_start_if_missing: bool = False, training_location: str | None = None,
                  opener: Opener = open_for_window, creator: Opener = create_desk,
                  restorer: Restorer = restore) -> Opened | None:
    """Open ``location``, asking through ``io`` until a database is open; ``None`` = quit.

    ``first_start_if_missing``: when ``location`` is the default place and holds nothing,
    offer new / open / training instead of an error. ``restorer(backup, database)`` puts a
    backup in place when the operator chose "Restore newest backup…".
    """
    problem: StartupProblem | None = None
    notes: list[str] = []  # said once in the window (e.g. where a replaced file was kept)
    if first_start_if_missing and not os.path.exists(location):
        problem = first_start(location)
    while True:
        if problem is None:
            try:
                result = _as_result(opener(location, operator))
                result.warnings[:0] = notes
                return Opened(result, location)
            except Exception as exc:  # every failure becomes a dialog, never a traceback
                log.warning("cannot open %s: %s", location, exc,
                            exc_info=not is_user_error(exc))
                problem = describe(exc, location)
        io.shown.append(problem)
        choice = io.ask(problem)
        log.info("start-up: %s → %s", problem.kind, choice.value)
        if choice is Choice.QUIT:
            return None
        if choice is Choice.RETRY:
            problem = None
            continue
        if choice is Choice.READ_ONLY:
            try:
                return Opened(_as_result(opener(location, operator, readonly=True)), location)
            except Exception as exc:
                problem = describe(exc, location)
                continue
        if choice is Choice.LOCAL_COPY:
            if problem.backup:
                notes.append(f"The server cannot be reached: this is the LOCAL COPY "
                             f"{Path(problem.backup).name}, not shared with the other desks.")
                location, problem = problem.backup, None
            continue
        if choice is Choice.RESTORE:
            if not problem.backup:
                continue
            try:
                done = restorer(Path(problem.backup), Path(location))
            except Exception as exc:
                log.warning("restore of %s failed: %s", problem.backup, exc)
                problem = describe(exc, location)
                continue
            kept = (f"; the file that was there is kept at {done.kept_aside}"
                    if done.kept_aside else "")
            notes.append(f"Restored the backup {done.from_backup.name}{kept}.")
            problem = None
            continue
        if choice is Choice.OPEN:
            start = str(Path(location).parent) if location else ""
            picked = io.pick_existing(start)
            if picked:
                location, problem = picked, None
            continue
        # NEW or TRAINING: the operator chose to create a file
        suggested = location if problem.kind == "first_start" else _sibling(location, "new")
        if choice is Choice.TRAINING:
            suggested = training_location or _sibling(location, "training")
        picked = io.pick_new(suggested)
        if not picked:
            continue
        if os.path.exists(picked):
            problem = describe(DatabaseExists(
                f"{picked} already exists; KFOR Desk never overwrites a database — choose "
                "another name or open it instead"), picked)
            continue
        try:
            if choice is Choice.TRAINING:
                io.make_training(picked, operator)
            else:
                _as_result(creator(picked, operator)).desk.close()
            return Opened(_as_result(opener(picked, operator)), picked, created=True)
        except Exception as exc:
            log.warning("cannot create %s: %s", picked, exc,
                        exc_info=not is_user_error(exc))
            problem = describe(exc, picked)


def _sibling(location: str, what: str) -> str:
    base = Path(location) if location else Path.home() / "kfor-desk.db"
    name = "kfor-desk-training.db" if what == "training" else "kfor-desk-new.db"
    return str(base.with_name(name))


__all__ = ["Choice", "Opened", "Opener", "Restorer", "StartPlace", "StartupIO", "StartupProblem",
           "describe", "first_start", "open_at_start", "open_for_window", "start_place"]
