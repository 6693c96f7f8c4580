"""One KFOR Desk per database, and no database on a network or cloud-synced folder.

- :class:`InstanceLock`: ``<db>.lock`` (0600) saying who holds it (a window, or a command
  such as ``kfor-desk import``), its process, computer and start time; locked with
  ``fcntl.flock`` on POSIX (``msvcrt.locking`` on Windows). A second instance gets a sentence
  naming the first and what to do; the lock dies with its process, so a crash never leaves the
  database "in use".
- :func:`check_location`: SQLite's locking and WAL do not work on network file systems, and
  sync clients copy half-written files: a network mount is refused, a cloud-synced folder or an
  unknown FUSE mount is warned about, each with the reason.
"""

from __future__ import annotations

import contextlib
import os
import socket as _socket_names  # only gethostname(); no socket is ever opened
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from kfor_desk.domain.timefmt import format_dtg_local
from kfor_desk.store.errors import DatabaseInUse

NETWORK_FS = frozenset({
    "nfs", "nfs4", "cifs", "smb", "smb3", "smbfs", "ncpfs", "afs", "9p", "ceph", "glusterfs",
    "lustre", "gpfs", "davfs", "coda", "fuse.sshfs", "fuse.rclone", "fuse.davfs2", "fuse.s3fs",
    "fuse.gcsfuse", "fuse.glusterfs", "fuse.cephfs", "fuse.smbnetfs",
})
CLOUD_FOLDERS = ("dropbox", "onedrive", "google drive", "googledrive", "my drive",
                 "icloud drive", "iclouddrive", "mobile documents", "nextcloud", "owncloud",
                 "pcloud", "box sync", "seafile")


def lock_path(db_path: Path) -> Path:
    return Path(str(db_path) + ".lock")


def _hostname() -> str:
    try:
        return _socket_names.gethostname() or "this computer"
    except OSError:
        return "this computer"


#: who holds the lock when a window opened the database
WINDOW = "window"


@dataclass(frozen=True, slots=True)
class Holder:
    """What a lock file says about the instance that holds it."""

    what: str  # WINDOW, or a command such as "kfor-desk import"
    pid: int
    host: str
    since: datetime | None

    def process(self) -> str:
        when = f", started {format_dtg_local(self.since)}" if self.since else ""
        return f"process {self.pid} on {self.host}{when}"


def _holder_text(what: str) -> str:
    return (f"holder={what}\npid={os.getpid()}\nhost={_hostname()}\n"
            f"since={datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ}\n")


def read_holder(text: str) -> Holder | None:
    """The holder a lock file names (None: an empty file, or one written by an older
    version, whose text is shown as it is)."""
    fields = dict(line.partition("=")[::2] for line in text.splitlines() if "=" in line)
    try:
        pid = int(fields["pid"])
    except (KeyError, ValueError):
        return None
    try:
        since: datetime | None = datetime.strptime(fields.get("since", ""), "%Y-%m-%dT%H:%M:%SZ"
                                                   ).replace(tzinfo=UTC)
    except ValueError:
        since = None
    return Holder(fields.get("holder") or WINDOW, pid, fields.get("host") or "this computer",
                  since)


def in_use(db_path: Path, text: str) -> DatabaseInUse:
    """The refusal naming who holds ``db_path`` (``text``: its lock file) and what to do."""
    holder = read_holder(text)
    if holder is None:
        return DatabaseInUse(
            f"{db_path} is already open in another KFOR Desk ({text or 'another process'}); use "
            "that window, or close it first — two programs writing one database is how "
            "records get lost")
    if holder.what == WINDOW:
        return DatabaseInUse(
            f"{db_path} is already open in another KFOR Desk window ({holder.process()}); "
            "switch to that window, or close it and try again — two programs writing one "
            "database is how records get lost")
    return DatabaseInUse(
        f"{db_path} is in use: {holder.what} ({holder.process()}) is writing to it; wait "
        "until it has finished (it says what it did when it ends), then try again — two "
        "programs writing one database is how records get lost", holder.what)


class InstanceLock:
    """The lock that says "this database is open in KFOR Desk"; :meth:`acquire` or refuse."""

    def __init__(self, db_path: Path, fh: IO[str]) -> None:
        self.db_path = db_path
        self.path = lock_path(db_path)
        self._fh: IO[str] | None = fh

    @property
    def held(self) -> bool:
        return self._fh is not None

    @classmethod
    def acquire(cls, db_path: Path, holder: str = WINDOW) -> InstanceLock:
        """Take the lock or raise :class:`DatabaseInUse` naming the instance that has it.
        ``holder``: who takes it, as the refusal of another will name it: :data:`WINDOW`, or
        the command (``"kfor-desk import"``).

        ``OSError`` if the lock file cannot be created (a folder this user cannot write)."""
        path = lock_path(db_path)
        for _ in range(5):
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            fh = os.fdopen(fd, "r+", encoding="utf-8")
            if not _try_lock(fh):
                text = fh.read().strip()
                fh.close()
                raise in_use(db_path, text)
            try:  # the file we locked may have been removed by a releasing instance
                same = os.fstat(fh.fileno()).st_ino == os.stat(path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                fh.seek(0)
                fh.truncate()
                fh.write(_holder_text(holder))
                fh.flush()
                return cls(db_path, fh)
            fh.close()
        raise DatabaseInUse(f"{db_path} is being opened and closed by another KFOR Desk; "
                            "try again in a moment")

    def release(self) -> None:
        fh, self._fh = self._fh, None
        if fh is None:
            return
        with contextlib.suppress(OSError):
            if os.fstat(fh.fileno()).st_ino == os.stat(self.path).st_ino:
                os.unlink(self.path)
        fh.close()  # closing releases the lock

    def __enter__(self) -> InstanceLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _try_lock(fh: IO[str]) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def process_alive(pid: int) -> bool:
    """True if process ``pid`` runs on this computer (or cannot be checked: assume it does).

    POSIX: signal 0 asks without sending anything. Windows has no such signal (``os.kill``
    there *terminates* the process), so it asks the kernel for the process's exit code.
    """
    if pid <= 0:
        return False
    if sys.platform == "win32":
        import ctypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
        query_limited_information, still_active, invalid_parameter = 0x1000, 259, 87
        handle = kernel32.OpenProcess(query_limited_information, False, pid)
        if not handle:  # no such process, or one we may not look at (then it runs)
            return ctypes.get_last_error() != invalid_parameter  # type: ignore[attr-defined]
        try:
            code = ctypes.c_ulong()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return code.value == still_active
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists but is not ours
        return True
    return True


# ---------------------------------------------------------------- location
@dataclass(frozen=True, slots=True)
class LocationCheck:
    refusal: str | None
    warnings: tuple[str, ...]


def _unescape(field: str) -> str:
    return (field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n")
            .replace("\\134", "\\"))


def read_mounts(mounts_file: str = "/proc/mounts") -> list[tuple[str, str, str]]:
    """(source, mount point, fs type) of every mount; empty where there is no such file."""
    try:
        with open(mounts_file, encoding="utf-8", errors="replace") as fh:
            lines = fh.read().splitlines()
    except OSError:
        return []
    out = []
    for line in lines:
        parts = line.split()
        if len(parts) >= 3:
            out.append((_unescape(parts[0]), _unescape(parts[1]), parts[2]))
    return out


def _mount_of(path: Path, mounts: Iterable[tuple[str, str, str]]) -> tuple[str, str, str] | None:
    best: tuple[str, str, str] | None = None
    text = str(path)
    for m in mounts:
        point = m[1].rstrip("/") or "/"
        if (text == point or text.startswith(point.rstrip("/") + "/")) and \
                (best is None or len(point) >= len(best[1].rstrip("/") or "/")):
            best = m
    return best


def check_location(path: Path, mounts_file: str = "/proc/mounts") -> LocationCheck:
    """Refuse a database on a network file system; warn about cloud-synced and FUSE folders."""
    resolved = path.resolve()
    raw = str(path)
    if raw.startswith(("\\\\", "//")):
        return LocationCheck(f"{path} is on a network share; SQLite cannot lock files there "
                             "reliably and records would be lost — keep the database on a "
                             "local disk (several workstations use a database server)", ())
    warnings: list[str] = []
    mount = _mount_of(resolved, read_mounts(mounts_file))
    if mount is not None:
        fstype = mount[2].lower()
        if fstype in NETWORK_FS or fstype.split(".")[0] in NETWORK_FS:
            return LocationCheck(
                f"{path} is on a network file system ({fstype} from {mount[0]}); SQLite cannot "
                "lock files there reliably and records would be lost — copy it to a local disk "
                "(several workstations use a database server)", ())
        if fstype == "fuse" or fstype.startswith("fuse."):
            warnings.append(f"{path} is on a FUSE file system ({fstype}); if that is a network "
                            "or cloud folder, move the database to a local disk")
    lowered = [p.lower() for p in resolved.parts]
    for part in lowered:
        for name in CLOUD_FOLDERS:
            if part == name or part.startswith((name + " ", name + "-")):
                warnings.append(
                    f"{path} is inside a cloud-synced folder ('{name}'); sync clients copy "
                    "half-written files and can corrupt the database — move it to a local "
                    "folder outside the sync")
                return LocationCheck(None, tuple(warnings))
    return LocationCheck(None, tuple(warnings))
