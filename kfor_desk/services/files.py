"""Atomic files: a temporary file in the same folder, fsync, rename; created 0600.

On any error the temporary file is removed and an earlier file under the final name is intact.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import OutputError as OutputError  # re-exported: callers import it from here


def write_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    target = Path(path).expanduser()
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"cannot write {target}: the folder {folder} does not exist")
    if target.is_dir() or (target.exists() and not target.is_file()):
        # a device (/dev/full), pipe or folder: renaming over it would replace it
        raise OutputError(f"cannot write {target}: it is not a regular file; choose a file "
                          "name in a folder")
    fd, tmp = -1, ""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
        os.fchmod(fd, 0o600) if hasattr(os, "fchmod") else None
        with os.fdopen(fd, "wb") as fh:
            fd = -1
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        tmp = ""
        if hasattr(os, "O_DIRECTORY"):
            dfd = os.open(folder, os.O_DIRECTORY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}; "
                          "any earlier file there was left as it was") from None
    finally:
        if fd >= 0:
            os.close(fd)
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return target
