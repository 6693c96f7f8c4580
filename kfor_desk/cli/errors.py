"""One clear line for every error a user can act on; anything else is a bug."""

from __future__ import annotations

from kfor_desk.domain.timefmt import TimeError
from kfor_desk.domain.validation import RuleError
from kfor_desk.services.backup import BackupError
from kfor_desk.services.files import OutputError
from kfor_desk.store.errors import StoreError


def describe_user_error(exc: BaseException) -> str | None:
    if isinstance(exc, StoreError | OutputError | BackupError | TimeError):
        return str(exc)
    if isinstance(exc, RuleError):
        return "refused: " + "; ".join(str(p) for p in exc.problems)
    if isinstance(exc, PermissionError):
        return f"permission denied: {exc.filename or exc}"
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")
    return None
