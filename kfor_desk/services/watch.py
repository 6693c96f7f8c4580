"""Live between desks: what other desks (and this one, and the CLI) committed, as it happens.

:class:`ChangeWatcher` runs on its own thread with its own connections — a cheap probe
(:mod:`kfor_desk.store.changes`: ``LISTEN`` on a server, ``PRAGMA data_version`` on a SQLite
file) and a read-only database for the new audit entries — and calls ``on_changes`` with
:class:`Change` values *from that thread*. It is Qt-free: the window hands the values to the GUI
thread itself (a queued signal). It never writes, and it does not decide what a screen shows
or whether a form being edited may be refreshed.

When the database cannot be reached, ``on_state`` gets one sentence and the watcher tries
again every few seconds; when it is back, ``on_state(None)`` and it catches up from the last
entry it reported, so nothing is missed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kfor_desk.store.db import Target

_VERBS = {
    "create": "registered", "import": "imported", "amend": "amended", "correct": "corrected",
    "acknowledge": "acknowledged", "disseminate": "disseminated", "cancel": "cancelled",
    "start_review": "taken under review", "recommend": "recommended", "decide": "decided",
    "withdraw": "withdrawn", "communicate": "communicated", "settings": "changed",
}


@dataclass(frozen=True, slots=True)
class Change:
    """One committed change, from its audit entry."""

    seq: int
    at: datetime
    entity: str
    register_no: str | None
    action: str
    operator: str
    workstation: str

    @property
    def sentence(self) -> str:
        """``KSF-2026-0031 decided at desk JOC-2 by Capt X``."""
        what = "the desk settings" if self.entity == "database" else (self.register_no or "")
        if self.entity == "conflict":
            verb = "marked " + self.action.replace("_", " ")
        else:
            verb = _VERBS.get(self.action, self.action.replace("_", " "))
        return f"{what} {verb} at desk {self.workstation} by {self.operator}"


def summarize(changes: Sequence[Change]) -> str:
    """One status line for a batch: the change itself, or a count for an import."""
    if not changes:
        return ""
    if len(changes) == 1:
        return changes[0].sentence
    last = changes[-1]
    records = {c.register_no for c in changes if c.register_no}
    return (f"{len(records) or len(changes)} records changed ({len(changes)} entries), last "
            f"{last.sentence}")


ChangesCallback = Callable[[list[Change]], None]
StateCallback = Callable[[str | None], None]


class ChangeWatcher:
    """Watches one database from its own thread; :meth:`stop` ends it within ~0.5 s."""

    def __init__(self, location: str | Target, on_changes: ChangesCallback, *,
                 on_state: StateCallback | None = None, poll_s: float = 0.2,
                 retry_s: float = 3.0) -> None:
        self.location = location
        self.on_changes = on_changes
        self.on_state = on_state or (lambda _s: None)
        self.poll_s = poll_s
        self.retry_s = retry_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        #: the last audit seq reported (None until the watcher first connects)
        self.last_seq: int | None = None
        self.ready = threading.Event()

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="kfor-desk change watcher",
                                            daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 3.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # ------------------------------------------------------------ the thread
    def _run(self) -> None:
        down: str | None = None
        from kfor_desk.store.db import resolve_target

        expected = _reachability_errors(resolve_target(self.location).is_server)
        while not self._stop.is_set():
            try:
                self._watch()
            except expected as exc:
                sentence = _why(exc)
                if sentence != down:
                    down = sentence
                    self.on_state(sentence)
                self.ready.set()
                self._stop.wait(self.retry_s)
                continue

    def _watch(self) -> None:
        from kfor_desk.store import audit
        from kfor_desk.store.changes import open_probe
        from kfor_desk.store.db import open_database

        db = open_database(self.location, readonly=True, migrate=False)
        try:
            probe = open_probe(db.target, self.poll_s)
        except BaseException:
            db.close()
            raise
        try:
            with db.read() as conn:
                head = audit.chain_head(conn)[0]
            if self.last_seq is None:
                self.last_seq = head
            self.on_state(None)
            self.ready.set()
            self._catch_up(db)  # anything committed while we were away
            while not self._stop.is_set():
                if probe.wait(0.5):
                    self._catch_up(db)
        finally:
            probe.close()
            db.close()

    def _catch_up(self, db: object) -> None:
        from kfor_desk.store import audit

        assert self.last_seq is not None
        while True:
            with db.read() as conn:  # type: ignore[attr-defined]
                got = audit.entries_after(conn, self.last_seq)
            if not got:
                return
            self.last_seq = got[-1].seq
            self.on_changes([Change(e.seq, e.at, e.entity, e.register_no, e.action,
                                    e.operator, e.workstation) for e in got])


def _reachability_errors(server: bool) -> tuple[type[BaseException], ...]:
    """What losing the database looks like (anything else is a bug and ends the thread). The
    server driver only for a server: importing psycopg costs ~0.1 s of CPU, taken from the
    registers' read when a SQLite desk opens."""
    import sqlite3

    from sqlalchemy.exc import SQLAlchemyError

    from kfor_desk.store.errors import StoreError

    found: list[type[BaseException]] = [StoreError, SQLAlchemyError, OSError, sqlite3.Error]
    if not server:
        return tuple(found)
    try:
        import psycopg

        found.append(psycopg.Error)
    except ImportError:  # pragma: no cover - psycopg is a dependency
        pass
    return tuple(found)


def _why(exc: BaseException) -> str:
    from kfor_desk.store.errors import StoreError

    if isinstance(exc, StoreError):
        return str(exc)
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return f"cannot follow the other desks' changes ({first}); trying again"
