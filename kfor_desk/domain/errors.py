"""The one error taxonomy: the operator's problem, or a bug.

Every failure the operator can act on derives from :class:`UserError` (the store's
``StoreError``, the domain's ``RuleError``, ``TimeError``, ``PositionError``, ``InputError``,
the services' ``BackupError``, ``OutputError``, ``OpenRefused``, the command line's
``CliError`` …): ``str()`` is one sentence that says what happened, what was kept and what
to do next. An :class:`OSError` on a file (permission refused, disk full, read-only disk, no
such folder) is the operator's problem too; :func:`user_message` words it. Anything else is a
bug: shown as "unexpected", with its traceback in the log.

:func:`is_user_error` and :func:`user_message` are the one check the window, its background
tasks and the command line all use. This module shows nothing and logs nothing; it sits on
the lowest floor (pure Python) so every floor can derive from it.
"""

from __future__ import annotations

import errno
from collections.abc import Callable

#: asked between chunks of long work: ``True`` once its result is no longer wanted
ShouldStop = Callable[[], bool]


class UserError(Exception):
    """A problem the operator can act on; ``str()`` is one clear sentence."""


class Stopped(Exception):
    """Long derived work stopped because its caller asked (``should_stop`` said yes: the
    window closed, a newer refresh superseded it). Nothing was concluded and nothing written;
    neither the operator's problem nor a bug: the caller drops it and shows nothing."""


def check_stop(should_stop: ShouldStop | None) -> None:
    """Raise :class:`Stopped` when ``should_stop`` (if given) says yes."""
    if should_stop is not None and should_stop():
        raise Stopped("the work was stopped before it finished")


class InputError(UserError, ValueError):
    """A value or file the operator gave that cannot be used (a register number, an import
    file); still a ``ValueError`` for code that parses."""


#: errno → (what happened, what to do next); these are the operator's problem
_FILE_PROBLEMS: dict[int, tuple[str, str]] = {
    errno.EACCES: ("permission was refused", "choose a folder you may write to, or ask for "
                                             "permission"),
    errno.EPERM: ("the operation is not permitted", "choose another place, or ask for "
                                                    "permission"),
    errno.ENOSPC: ("the disk is full", "free some space and try again"),
    errno.EDQUOT: ("your disk quota is used up", "free some space and try again"),
    errno.EROFS: ("the disk is read-only", "choose a place on a writable disk"),
    errno.ENOENT: ("it (or its folder) does not exist", "check the path"),
    errno.ENOTDIR: ("part of the path is not a folder", "check the path"),
    errno.EISDIR: ("it is a folder, not a file", "choose a file name"),
    errno.EEXIST: ("it already exists and was not overwritten", "choose another name"),
    errno.ENAMETOOLONG: ("the name is too long", "choose a shorter name"),
    errno.EIO: ("the disk reported a read/write error", "check the disk (or the USB stick) "
                                                        "and try again"),
    errno.EBUSY: ("it is in use by another program", "close that program and try again"),
}


def file_problem(exc: BaseException) -> tuple[str, str] | None:
    """(what happened, what to do) for an ``OSError`` that is the operator's problem."""
    if not isinstance(exc, OSError):
        return None
    if exc.errno in _FILE_PROBLEMS:
        return _FILE_PROBLEMS[exc.errno]
    if exc.filename is not None:  # another failure on a named file
        return (str(exc.strerror or exc).lower(), "check the file and try again")
    return None


def is_user_error(exc: BaseException) -> bool:
    """True when ``exc`` is the operator's problem (show its sentence), False for a bug."""
    return isinstance(exc, UserError) or file_problem(exc) is not None


def user_message(exc: BaseException, *, capitalize: bool = True) -> str:
    """The sentence for the operator (capitalised for a box): every problem of a rule error on
    its own line; an ``OSError`` on a file says which file, what happened and what to do."""
    problems = getattr(exc, "problems", None)
    if isinstance(exc, UserError) and problems:
        text = "\n".join(str(getattr(p, "message", p)) for p in problems)
    elif (found := file_problem(exc)) is not None:
        assert isinstance(exc, OSError)
        what, todo = found
        name = exc.filename or "the file"
        text = (f"cannot use {name}: {what}. Nothing was written there and what was already "
                f"saved is safe — {todo}.")
    else:
        text = str(exc).strip() or type(exc).__name__
    return text[0].upper() + text[1:] if text and capitalize else text


__all__ = ["InputError", "ShouldStop", "Stopped", "UserError", "check_stop", "file_problem",
           "is_user_error", "user_message"]
