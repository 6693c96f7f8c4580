"""One clear line for every error a user can act on; anything else is a bug.

The check is the one taxonomy's (:func:`kfor_desk.services.errors.is_user_error`), the same the
window uses; this module only puts the sentence on one line.
"""

from __future__ import annotations

from kfor_desk.services.errors import RuleError, is_user_error, user_message


def describe_user_error(exc: BaseException) -> str | None:
    """The line for stderr, or ``None`` for a bug (the caller lets it raise)."""
    if not is_user_error(exc):
        return None
    if isinstance(exc, RuleError):
        return "refused: " + "; ".join(str(p) for p in exc.problems)
    return user_message(exc, capitalize=False).replace("\n", "; ")
