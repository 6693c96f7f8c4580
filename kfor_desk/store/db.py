"""Opening, creating and migrating the database, under the rules of ``reliability.md``.

- An existing SQLite file is opened ``mode=rw`` (a mistyped path is an error, never a new empty
  database); only :func:`create_database` makes a file, and it refuses to overwrite one.
- Every connection: WAL, ``synchronous=FULL``, foreign keys, a busy timeout; pysqlite's legacy
  transaction handling is switched off so transactions (and DDL in migrations) are ours.
- Writes run in ``BEGIN IMMEDIATE`` transactions (:meth:`Database.write`); reads in deferred ones.
- Migrations are Alembic revisions shipped in the package, run at open after a verified backup;
  a database from a newer version is refused.
- A PostgreSQL server (``postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME``, or the socket form
  ``postgresql://USER@/DBNAME?host=/run/postgresql``) is reached through psycopg 3. Every write
  transaction there first takes one transaction-scoped advisory lock (:data:`WRITE_LOCK`): the
  server's writers queue exactly as SQLite's ``BEGIN IMMEDIATE`` makes them queue, so register
  numbers and the audit chain are computed by one writer at a time. Reads never wait for it.
  This module does not create server databases or roles: the server's administrator does.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError, DBAPIError, InterfaceError, OperationalError
from sqlalchemy.pool import QueuePool

from .errors import (
    DatabaseExists,
    DatabaseLocked,
    DatabaseMissing,
    DiskFull,
    MigrationFailed,
    NewerSchema,
    NotADatabase,
    ReadOnlyDatabase,
)
from .pg import (
    SERVER_WAIT_S,
    WRITE_LOCK,
    bad_url,
    classify_server,
    lock_writers,
    make_server_engine,
    server_url,
)
from .sqlite_errors import sort_sqlite_error

BUSY_TIMEOUT_MS = 5000
__all__ = ["SERVER_WAIT_S", "WRITE_LOCK", "Database", "Target", "create_database",
           "lock_writers", "open_database", "resolve_target"]
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


@dataclass(frozen=True, slots=True)
class Target:
    """Where the database is: a SQLite file path, or a SQLAlchemy URL for a server."""

    url: str
    path: Path | None

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None

    @property
    def is_server(self) -> bool:
        return self.path is None

    def __str__(self) -> str:
        if self.path is not None:
            return str(self.path)
        return make_url(self.url).set(drivername="postgresql").render_as_string()


def resolve_target(path_or_url: str | os.PathLike[str] | Target) -> Target:
    """The target for a path or URL (a :class:`Target` is returned as it is)."""
    if isinstance(path_or_url, Target):
        return path_or_url
    raw = os.fspath(path_or_url)
    if "://" in raw:
        try:
            url = make_url(raw)
        except Exception:
            raise bad_url(raw, "cannot read the address") from None
        if url.get_backend_name() in ("postgresql", "postgres"):
            return Target(server_url(raw, url), None)
        if url.get_backend_name() == "sqlite":
            if not url.database or url.database == ":memory:":
                raise DatabaseMissing("an in-memory database cannot hold official records")
            return Target(raw, Path(url.database).expanduser().resolve())
        raise bad_url(raw, f"'{url.get_backend_name()}' is not a database KFOR Desk can use")
    return Target("", Path(raw).expanduser().resolve())


def _sqlite_connect(path: Path, mode: str) -> Callable[[], sqlite3.Connection]:
    uri = f"{path.as_uri()}?mode={mode}"

    def connect() -> sqlite3.Connection:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                               check_same_thread=False, isolation_level=None)
        return conn

    return connect


def _install_sqlite_rules(engine: Engine, readonly: bool) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        try:
            cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cur.execute("PRAGMA foreign_keys=ON")
            if not readonly:
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
        finally:
            cur.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Connection) -> None:
        mode = "IMMEDIATE" if conn.get_execution_options().get("kfor_write") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")


def _classify(exc: BaseException, target: Target) -> Exception:
    """The operator's error for a failure of ``target``, or ``exc`` itself when it is a bug.

    SQLite: by the error code (:mod:`.sqlite_errors`), never by the message. A server: by its
    messages (:func:`.pg.classify_server`, then the words below)."""
    if target.is_sqlite:
        found = sort_sqlite_error(exc, target)
        if found is not None:
            return found
        return exc if isinstance(exc, Exception) else RuntimeError(str(exc))
    msg = str(getattr(exc, "orig", exc)).lower()
    if target.is_server:
        found = classify_server(msg, str(target))
        if found is not None:
            return found
    if "locked" in msg or "busy" in msg:
        return DatabaseLocked(
            f"the database {target} is locked by another program or workstation; "
            "wait a moment and try again, or close the other KFOR Desk")
    if "not a database" in msg or "malformed" in msg or "file is encrypted" in msg:
        return NotADatabase(
            f"{target} is not a KFOR Desk database or is damaged; it was left untouched — "
            "restore the newest backup (kfor-desk restore) or open another file")
    if "disk is full" in msg or "database or disk is full" in msg or "disk i/o error" in msg:
        return DiskFull(
            f"the disk holding {target} is full or failing; nothing was saved — your input is "
            "kept: free some space and save again")
    if "readonly" in msg or "read-only" in msg:
        return ReadOnlyDatabase(
            f"the database {target} is read-only; check the file's permissions")
    if "unable to open" in msg:
        return DatabaseMissing(
            f"cannot open {target}: the file or its folder is not accessible")
    return exc if isinstance(exc, Exception) else RuntimeError(str(exc))


class Database:
    """An open database: an engine with the connection rules, and transaction scopes."""

    def __init__(self, engine: Engine, target: Target, readonly: bool = False) -> None:
        self.engine = engine
        self.target = target
        self.readonly = readonly
        #: why writing is held on a writable connection (the checks on open still running),
        #: or None; :meth:`write` refuses while it is set
        self.writes_held: str | None = None
        #: called with the new audit head ``(seq, hash)`` after a write transaction that
        #: appended audit entries has COMMITTED (the witness outside the file; see
        #: ``services/witness.py`` for why after and not before)
        self.on_commit: Callable[[tuple[int, str]], None] | None = None

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction (``BEGIN IMMEDIATE`` on SQLite): all or nothing."""
        if self.readonly:
            raise ReadOnlyDatabase(
                f"the database {self.target} is open read-only; nothing can be saved")
        if self.writes_held:
            raise ReadOnlyDatabase(self.writes_held)
        from .audit import NEW_HEAD

        try:
            with self.engine.connect().execution_options(kfor_write=True) as conn:
                conn.info.pop(NEW_HEAD, None)
                with conn.begin():
                    if self.target.is_server:
                        lock_writers(conn)
                    yield conn
                head = conn.info.pop(NEW_HEAD, None)
        except (OperationalError, InterfaceError) as exc:
            raise _classify(exc, self.target) from exc
        except DBAPIError as exc:
            if self.target.is_server and exc.connection_invalidated:
                raise _classify(exc, self.target) from exc
            raise
        if head is not None and self.on_commit is not None:
            self.on_commit(head)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn, conn.begin():
                yield conn
        except (OperationalError, InterfaceError) as exc:
            raise _classify(exc, self.target) from exc

    def close(self) -> None:
        self.engine.dispose()


def _make_engine(target: Target, mode: str) -> Engine:
    if target.path is not None:
        engine = create_engine("sqlite+pysqlite://", creator=_sqlite_connect(target.path, mode),
                               poolclass=QueuePool, pool_size=4, max_overflow=4)
        _install_sqlite_rules(engine, readonly=mode.startswith("ro"))
        return engine
    return make_server_engine(target.url, readonly=mode.startswith("ro"))


def _secure_new_file(path: Path) -> None:
    """Create the file 0600 (its folder 0700 if we create it)."""
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def create_database(path_or_url: str | os.PathLike[str] | Target, *, training: bool = False,
                    created_by: str = "") -> Database:
    """Create a new, empty database at the current schema; refuse to overwrite anything."""
    from .meta import init_meta

    target = resolve_target(path_or_url)
    if target.path is not None:
        if target.path.exists():
            raise DatabaseExists(f"{target.path} already exists; KFOR Desk never overwrites a "
                                 "database — choose another name or open it instead")
        try:
            _secure_new_file(target.path)
        except OSError as exc:
            raise DatabaseMissing(f"cannot create {target.path}: {exc.strerror}") from None
    engine = _make_engine(target, "rw")
    db = Database(engine, target)
    try:
        if target.is_server:
            _refuse_used_server_database(db)
        upgrade(db, backup=None)
        with db.write() as conn:
            init_meta(conn, training=training, created_by=created_by)
    except BaseException:
        db.close()
        if target.path is not None:
            for suffix in ("", "-wal", "-shm"):
                Path(str(target.path) + suffix).unlink(missing_ok=True)
        raise
    return db


def _refuse_used_server_database(db: Database) -> None:
    """``init`` on a server database that already holds tables: refused, nothing touched."""
    from sqlalchemy import inspect

    try:
        with db.read() as conn:
            tables = inspect(conn).get_table_names()
    except DBAPIError as exc:
        raise _classify(exc, db.target) from exc
    if "alembic_version" in tables:
        raise DatabaseExists(f"{db.target} already holds a KFOR Desk database; KFOR Desk never "
                             "overwrites one — open it instead")
    if tables:
        raise DatabaseExists(f"{db.target} already holds other tables ({', '.join(tables[:3])});"
                             " give KFOR Desk an empty database of its own")


def _read_mode(path: Path | None) -> str:
    """``ro``; in a folder this user cannot write (where SQLite cannot create the WAL index)
    and with no write-ahead log waiting, ``immutable`` so the file can still be read."""
    if path is None:
        return "ro"
    if not os.access(path.parent, os.W_OK) and not Path(str(path) + "-wal").exists():
        return "ro&immutable=1"
    return "ro"


BackupHook = Callable[[Database, str | None], Path | None]


def open_database(path_or_url: str | os.PathLike[str] | Target, *, readonly: bool = False,
                  migrate: bool = True, backup: BackupHook | None = None) -> Database:
    """Open an existing database (never creates one) and bring its schema up to date.

    ``backup(db, current_revision)`` is called before any migration runs; it must return the
    verified backup path (or raise).
    """
    target = resolve_target(path_or_url)
    if target.path is not None:
        if not target.path.exists():
            raise DatabaseMissing(f"there is no database at {target.path}; check the path, or "
                                  "create one with 'kfor-desk init' (nothing was created)")
        if not target.path.is_file():
            raise NotADatabase(f"{target.path} is not a database file")
        if not readonly and not os.access(target.path, os.W_OK):
            raise ReadOnlyDatabase(f"the database {target.path} is read-only for this user; "
                                   "check the file's permissions")
    engine = _make_engine(target, _read_mode(target.path) if readonly else "rw")
    db = Database(engine, target, readonly=readonly)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT count(*) FROM sqlite_master" if target.is_sqlite
                                 else "SELECT 1").all()
        current, heads = schema_state(db)
        if current is None:
            raise NotADatabase(f"{target} is not a KFOR Desk database (no schema version); "
                               "it was left untouched")
        if current not in known_revisions():
            raise NewerSchema(f"{target} was written by a newer version of KFOR Desk "
                              f"(schema {current}); install that version — this one will not "
                              "touch it")
        if current not in heads and migrate:
            if readonly:
                raise ReadOnlyDatabase(f"{target} needs a schema upgrade but is open read-only")
            upgrade(db, backup=lambda: backup(db, current) if backup else None)
    except (OperationalError, DatabaseError, InterfaceError) as exc:
        db.close()
        raise _classify(exc, target) from exc
    except BaseException:
        db.close()
        raise
    return db


# ---------------------------------------------------------------- migrations
def _alembic_config() -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def _revision_graph() -> dict[str, tuple[str, ...]]:
    """Each shipped revision and the revisions it follows, read from the revision files'
    literal ``revision`` / ``down_revision`` assignments. Opening a database only needs these
    ids; importing Alembic (about 0.15 s) waits until a migration really runs. A test checks
    this against Alembic's own reading."""
    import ast

    graph: dict[str, tuple[str, ...]] = {}
    for file in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        values: dict[str, object] = {}
        for node in ast.parse(file.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                    and isinstance(node.targets[0], ast.Name) \
                    and node.targets[0].id in ("revision", "down_revision"):
                values[node.targets[0].id] = ast.literal_eval(node.value)
        rev = values.get("revision")
        if not isinstance(rev, str):
            continue
        down = values.get("down_revision")
        parents = (down,) if isinstance(down, str) else tuple(down or ())  # type: ignore[arg-type]
        graph[rev] = tuple(str(d) for d in parents)
    return graph


@cache
def known_revisions() -> frozenset[str]:
    return frozenset(_revision_graph())


@cache
def head_revisions() -> tuple[str, ...]:
    graph = _revision_graph()
    followed = {d for downs in graph.values() for d in downs}
    return tuple(sorted(r for r in graph if r not in followed))


def schema_state(db: Database) -> tuple[str | None, tuple[str, ...]]:
    """(current revision or None, head revisions of this version)."""
    with db.read() as conn:
        if db.target.is_sqlite:
            has = conn.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
            ).first() is not None
        else:
            from sqlalchemy import inspect

            has = bool(inspect(conn).has_table("alembic_version"))
        if not has:
            return None, head_revisions()
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    return (row[0] if row else None), head_revisions()


def upgrade(db: Database, backup: Callable[[], Path | None] | None,
            fail_after: str | None = None) -> None:
    """Run every pending migration in ONE transaction: it lands whole or not at all.

    ``fail_after`` (tests only) raises after that revision's step, inside the transaction.
    """
    from alembic import command

    if backup is not None:
        backup()
    cfg = _alembic_config()
    try:
        with db.write() as conn:
            cfg.attributes["connection"] = conn
            cfg.attributes["fail_after"] = fail_after
            command.upgrade(cfg, "head")
    except (OperationalError, DatabaseError) as exc:
        raise MigrationFailed(f"the schema upgrade of {db.target} failed and was rolled back; "
                              f"the database is as it was ({exc.orig})") from exc


def file_mode_ok(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) & 0o077 == 0


def utc_stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
