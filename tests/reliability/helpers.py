"""Helpers of the fault suite: forked children (optionally as an unprivileged user), records
in their exchange form, and the "nothing lost" checks of ``reliability.md``."""

from __future__ import annotations

import os
import pickle
import shutil
import signal
import sqlite3
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kfor_desk.domain.exchange import canonical_json, record_to_dict
from kfor_desk.domain.records import Record
from kfor_desk.services.verify import verify
from kfor_desk.store.db import open_database
from kfor_desk.store.repository import Repository

NOBODY = 65534


class ChildError(Exception):
    """An exception in a forked child: its type name, message and traceback."""

    def __init__(self, kind: str, message: str, trace: str) -> None:
        super().__init__(kind, message, trace)
        self.kind, self.message, self.trace = kind, message, trace

    def __str__(self) -> str:
        return f"{self.kind}: {self.message}\n{self.trace}"


# The interpreter's own files may be unreadable to uid 65534 (a Python under /root): import
# what the children use lazily before dropping privileges.
_PREIMPORT = ("_strptime", "encodings.idna", "encodings.utf_8_sig", "openpyxl", "openpyxl.styles",
              "icalendar",
              "kfor_desk.services.tables", "kfor_desk.services.exchange",
              "kfor_desk.services.opening", "kfor_desk.services.backups",
              "kfor_desk.services.restoring", "json", "csv")


def run_forked(fn: Callable[..., Any], *args: Any, as_nobody: bool = False,
               rlimit_fsize: int | None = None, timeout: float = 120) -> Any:
    """Run ``fn(*args)`` in a forked child and return its (picklable) result.

    ``as_nobody``: the child drops to uid/gid 65534 first (CI runs as root, and root ignores
    file permissions). ``rlimit_fsize``: the child cannot grow any file past that many bytes
    (SIGXFSZ ignored, so writes fail with EFBIG as on a full disk). An exception in the child
    is raised here as :class:`ChildError` carrying its type name."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(r)
        try:
            if rlimit_fsize is not None:
                import resource

                signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
                resource.setrlimit(resource.RLIMIT_FSIZE, (rlimit_fsize, rlimit_fsize))
            if as_nobody:
                import importlib

                for name in _PREIMPORT:
                    importlib.import_module(name)
                # Writers import parts of themselves lazily; the fresh venv may not be
                # readable by uid 65534, so load them all while still root.
                from kfor_desk.services import tables

                for writer in tables.WRITERS.values():
                    writer([])
                os.setgroups([])
                os.setgid(NOBODY)
                os.setuid(NOBODY)
            result: tuple[str, Any] = ("ok", fn(*args))
        except BaseException as exc:
            result = ("err", ChildError(type(exc).__name__, str(exc), traceback.format_exc()))
        try:
            data = pickle.dumps(result)
        except Exception as exc:
            data = pickle.dumps(("err", ChildError("PicklingError", repr(exc), "")))
        with os.fdopen(w, "wb") as fh:
            fh.write(data)
        os._exit(0)
    os.close(w)
    with os.fdopen(r, "rb") as fh:
        data = fh.read()
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status), f"child died: status {status}"
    kind, value = pickle.loads(data)
    if kind == "err":
        raise value
    return value


def nobody_dir(base: Path, name: str, *, writable: bool = True) -> Path:
    """A folder under a world-traversable root that uid 65534 can (or cannot) write."""
    root = base / "shared"
    root.mkdir(exist_ok=True)
    os.chmod(root, 0o755)
    for parent in base.parents:  # pytest's tmp folders are 0700 root: open the path
        if str(parent) in ("/", "/tmp"):
            break
        os.chmod(parent, os.stat(parent).st_mode | 0o711)
    os.chmod(base, 0o755)
    d = root / name
    d.mkdir()
    os.chmod(d, 0o700 if writable else 0o755)
    if writable:
        os.chown(d, NOBODY, NOBODY)
    return d


def give_to_nobody(*paths: Path) -> None:
    for p in paths:
        os.chown(p, NOBODY, NOBODY)


def form(record: Record) -> str:
    """The record's exchange form as canonical JSON: byte-identical means equal here."""
    return canonical_json(record_to_dict(record))


def snapshot(path: Path) -> dict[str, str]:
    """Every record's exchange form, by register number (opened read-only)."""
    db = open_database(path, readonly=True, migrate=False)
    try:
        n, r = Repository(db).all_records()
        return {x.register_no or "": form(x) for x in [*n, *r]}
    finally:
        db.close()


def assert_sound(path: Path) -> None:
    """(a) integrity and foreign keys, (d) the chain and every record against it."""
    db = open_database(path, readonly=True, migrate=False)
    try:
        report = verify(Repository(db), full=True)
    finally:
        db.close()
    assert report.ok, report.problems


def files_in(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def copy_db(src: Path, dst: Path) -> Path:
    shutil.copyfile(src, dst)
    os.chmod(dst, 0o600)
    return dst


def audit_rows(path: Path) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return con.execute("SELECT seq, at, operator, workstation, register_no, action, "
                           "state_hash FROM audit ORDER BY seq").fetchall()
    finally:
        con.close()


def new_files(folder: Path, before: set[str]) -> set[str]:
    """Files that appeared in ``folder``, not counting an EMPTY write-ahead log and its index
    (SQLite's read-only connection creates them beside a WAL database; they hold nothing)."""
    out = set()
    for p in folder.iterdir():
        if p.name in before:
            continue
        if p.name.endswith("-shm") or (p.name.endswith("-wal") and p.stat().st_size == 0):
            continue
        out.add(p.name)
    return out
