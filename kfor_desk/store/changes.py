"""Cheap probes that say "another connection committed something" — the watcher's ears.

- SQLite: ``PRAGMA data_version`` on one long-lived read-only connection changes when any other
  connection (another process, another window, the CLI) commits; asking costs microseconds.
- PostgreSQL: ``LISTEN kfor_desk`` on its own autocommit connection; every commit that appends
  to the audit trail NOTIFYs it (:func:`kfor_desk.store.audit.append`).

A probe only says *that* something changed; what changed is read from the audit trail. Probes
never write and are used from one thread (the watcher's).
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any, Protocol

from .audit import CHANNEL
from .target import Target


class Probe(Protocol):
    def wait(self, timeout: float) -> bool:
        """Block up to ``timeout`` s; True when something may have been committed."""

    def close(self) -> None: ...


class SqliteProbe:
    def __init__(self, target: Target, poll_s: float = 0.2) -> None:
        assert target.path is not None
        self.poll_s = poll_s
        self.conn = sqlite3.connect(f"{target.path.as_uri()}?mode=ro", uri=True,
                                    isolation_level=None, check_same_thread=False)
        self.version = self._version()

    def _version(self) -> int:
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def wait(self, timeout: float) -> bool:
        end = time.monotonic() + timeout
        while True:
            v = self._version()
            if v != self.version:
                self.version = v
                return True
            left = end - time.monotonic()
            if left <= 0:
                return False
            time.sleep(min(self.poll_s, left))

    def close(self) -> None:
        self.conn.close()


class ServerProbe:
    def __init__(self, target: Target) -> None:
        import psycopg

        from .pg import SERVER_WAIT_S

        url = target.url.replace("postgresql+psycopg://", "postgresql://", 1)
        self.conn: Any = psycopg.connect(url, autocommit=True, connect_timeout=SERVER_WAIT_S,
                                         application_name="kfor-desk watcher")
        self.conn.execute(f"LISTEN {CHANNEL}")

    def wait(self, timeout: float) -> bool:
        got = False
        for _ in self.conn.notifies(timeout=timeout, stop_after=1):
            got = True
        return got

    def close(self) -> None:
        self.conn.close()


def open_probe(target: Target, poll_s: float = 0.2) -> Probe:
    """The probe for ``target``; raises the driver's error when it cannot connect."""
    if target.path is not None:
        return SqliteProbe(target, poll_s)
    return ServerProbe(target)
