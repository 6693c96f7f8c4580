"""The head log's file format and its reading and writing: ``witness/<desk id>.heads`` in the
user data folder, each line sealed with an HMAC under ``witness/key``.

One line per event: ``<kind> <seq> <hash> <UTC time> <note> <hmac>``, where kind is
``created``, ``commit``, ``verified``, ``closed`` or ``restored`` and the HMAC (under the
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
    kind: str  # created | commit | verified | restored
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
    path = log_path(folder, desk_id)
    new = not path.exists()
    at = (when or datetime.now(UTC)).strftime(STAMP)
    body = f"{kind} {seq} {head} {at} {quote(note, safe='') or '-'}"
    line = f"{body} {_seal(key, desk_id, body)}\n".encode()
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
    """Size, modification time (ns) and inode of the database file: what the app last saw.
    Someone who can write the file but does not own it cannot set its time back."""
    if path is None:
        return ""
    try:
        st = path.stat()
    except OSError:
        return ""
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}"


def _field(note: str, name: str) -> str:
    for part in note.split(";"):
        key, _, value = part.partition("=")
        if key == name:
            return value
    return ""
