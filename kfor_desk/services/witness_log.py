"""The head log's file format and its reading and writing: ``witness/<desk id>.heads`` in the
user data folder, each line sealed with an HMAC under ``witness/key``.

One line per event: ``<kind> <seq> <hash> <UTC time> <note> <hmac>``, where kind is
``created``, ``opened`` (a writable desk), ``commit``, ``verified``, ``closed`` or
``restored`` and the HMAC (under the
random key, 0600, made on first use) covers the desk id and the rest of the line. Lines are
appended with one ``write`` each (``O_APPEND`` keeps them whole) and fsynced; a last line with
no newline is a write a crash cut short.

Not here: what the lines mean for a database (:mod:`kfor_desk.services.witness` records
them and compares a database with them), and any protection against someone who can also
write the witness folder and read its key.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, unquote

GENESIS = "0" * 64
KEY_NAME = "key"
#: ``witness/paths``: which desk KFOR Desk last knew in which file (:func:`bind`)
PATHS_NAME = "paths"
STAMP = "%Y-%m-%dT%H:%M:%SZ"


def witness_dir() -> Path:
    """``witness`` in the user data folder (portable mode: the portable data folder)."""
    from .session import data_dir

    return data_dir() / "witness"


def _private_dir(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)


def _key(folder: Path, create: bool) -> bytes | None:
    path = folder / KEY_NAME
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        if not create:
            return None
    except (OSError, ValueError):
        return None
    _private_dir(folder)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return _key(folder, False)
    try:
        os.write(fd, (secrets.token_hex(32) + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    return _key(folder, False)


def log_path(folder: Path, desk_id: str) -> Path:
    return folder / f"{desk_id}.heads"


def _seal(key: bytes, desk_id: str, body: str) -> str:
    return hmac.new(key, f"{desk_id} {body}".encode(), hashlib.sha256).hexdigest()


# ---------------------------------------------------------------- the head log
@dataclass(frozen=True, slots=True)
class LogLine:
    kind: str  # created | opened | commit | verified | closed | restored
    seq: int
    hash: str
    at: str
    note: str
    lineno: int
    sealed: bool  # the HMAC holds under this folder's key

    @property
    def when(self) -> datetime | None:
        try:
            return datetime.strptime(self.at, STAMP).replace(tzinfo=UTC)
        except ValueError:
            return None


def append(folder: Path, desk_id: str, kind: str, seq: int, head: str, note: str = "",
           when: datetime | None = None) -> None:
    """Append one sealed line and fsync it (``OSError`` when the folder cannot be written)."""
    key = _key(folder, create=True)
    if key is None:
        raise PermissionError(f"the witness key in {folder} cannot be read")
    at = (when or datetime.now(UTC)).strftime(STAMP)
    body = f"{kind} {seq} {head} {at} {quote(note, safe='') or '-'}"
    _append_line(folder, log_path(folder, desk_id), f"{body} {_seal(key, desk_id, body)}\n")


def _append_line(folder: Path, path: Path, text: str) -> None:
    line = text.encode()
    new = not path.exists()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, line)  # one write of one short line: O_APPEND keeps lines whole
        os.fsync(fd)
    finally:
        os.close(fd)
    if new and hasattr(os, "O_DIRECTORY"):
        dfd = os.open(folder, os.O_DIRECTORY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


def read_log(folder: Path, desk_id: str) -> tuple[list[LogLine], list[int]]:
    """(the complete lines, oldest first; numbers of lines that do not parse). An
    unterminated last line is a write cut short by a crash: left out, not reported.
    ``OSError`` when the log is there but cannot be read."""
    try:
        data = log_path(folder, desk_id).read_bytes()
    except FileNotFoundError:
        return [], []
    key = _key(folder, create=False)
    raw = data.split(b"\n")
    raw.pop()  # after the last newline: empty, or the torn line of a crash
    lines: list[LogLine] = []
    bad: list[int] = []
    for n, b in enumerate(raw, start=1):
        parts = b.decode("ascii", "replace").split(" ")
        try:
            kind, seq, head, at, note, mac = parts
            seq_n = int(seq)
            bytes.fromhex(head)
        except ValueError:
            bad.append(n)
            continue
        body = " ".join(parts[:5])
        sealed = key is not None and hmac.compare_digest(mac, _seal(key, desk_id, body))
        lines.append(LogLine(kind, seq_n, head, at, unquote(note) if note != "-" else "", n,
                             sealed))
    return lines, bad


def file_stamp(path: Path | None) -> str:
    """Size, modification time (ns), inode and inode change time (ns) of the database file:
    what the app last saw. The owner of the file can set its modification time back
    (``touch``), but not its change time: setting a time changes it too."""
    if path is None:
        return ""
    try:
        st = path.stat()
    except OSError:
        return ""
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}:{st.st_ctime_ns}"


def _field(note: str, name: str) -> str:
    for part in note.split(";"):
        key, _, value = part.partition("=")
        if key == name:
            return value
    return ""


# ---------------------------------------------------------------- which desk is at which path
@dataclass(frozen=True, slots=True)
class Binding:
    """The desk KFOR Desk last knew in the file at ``path``, and how it came to be there."""

    kind: str  # created | opened | restored | copied
    desk_id: str  # "" when the file had none
    path: str
    at: str


def path_key(path: Path) -> str:
    """The file's path as the witnesses name it: absolute, links resolved."""
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):
        return str(path.absolute())


def bind(folder: Path, path: Path, desk_id: str | None, kind: str,
         when: datetime | None = None) -> None:
    """Append to ``witness/paths`` a sealed line saying the file at ``path`` now holds the
    desk ``desk_id`` (``OSError`` when the folder cannot be written)."""
    key = _key(folder, create=True)
    if key is None:
        raise PermissionError(f"the witness key in {folder} cannot be read")
    at = (when or datetime.now(UTC)).strftime(STAMP)
    body = f"{kind} {desk_id or '-'} {quote(path_key(path), safe='')} {at}"
    _append_line(folder, folder / PATHS_NAME, f"{body} {_seal(key, PATHS_NAME, body)}\n")


def binding(folder: Path, path: Path) -> Binding | None:
    """The newest sealed line of ``witness/paths`` for the file at ``path`` (None: KFOR Desk
    never recorded a desk there, or the key is gone). Lines that do not parse or whose seal
    does not hold are passed over. ``OSError`` when the file is there but cannot be read."""
    try:
        data = (folder / PATHS_NAME).read_bytes()
    except FileNotFoundError:
        return None
    key = _key(folder, create=False)
    if key is None:
        return None
    want = quote(path_key(path), safe="")
    found: Binding | None = None
    for raw in data.split(b"\n")[:-1]:  # after the last newline: a line a crash cut short
        parts = raw.decode("ascii", "replace").split(" ")
        if len(parts) != 5 or parts[2] != want:
            continue
        if hmac.compare_digest(parts[4], _seal(key, PATHS_NAME, " ".join(parts[:4]))):
            found = Binding(parts[0], "" if parts[1] == "-" else parts[1], unquote(want),
                            parts[3])
    return found
