"""The desk: register, amend, workflow actions and settings, for the window and the CLI.

Every use case validates with the domain rules, computes the ABL relations, and saves through
the repository in one transaction with its audit entry. Nothing here knows about Qt.
"""

from __future__ import annotations

import getpass
import os
import platform
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kfor_desk.domain import workflow
from kfor_desk.domain.records import ConsentRequest, Record
from kfor_desk.domain.timefmt import utc_now
from kfor_desk.domain.validation import Problem, RuleError, validate
from kfor_desk.domain.workflow import Action, Step

from .geo import with_abl
from .settings import DeskSettings

if TYPE_CHECKING:
    from types import TracebackType

    from kfor_desk.domain.records import ConsentRequest as _Req
    from kfor_desk.domain.records import ExerciseNotification
    from kfor_desk.store.audit import Actor, AuditEntry
    from kfor_desk.store.db import Database, Target
    from kfor_desk.store.repository import Saved

    from .verify import DeskCheck, VerifyReport

Clock = Callable[[], datetime]


def default_operator() -> str:
    env = os.environ.get("KFOR_DESK_OPERATOR", "").strip()
    if env:
        return env
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers)
        return "unknown operator"


def workstation_name() -> str:
    return os.environ.get("KFOR_DESK_WORKSTATION") or platform.node() or "unknown workstation"


@dataclass(frozen=True, slots=True)
class Operator:
    """The duty officer on shift."""

    name: str
    rank: str = ""
    appointment: str = ""

    @property
    def display(self) -> str:
        who = f"{self.rank} {self.name}".strip()
        return f"{who} ({self.appointment})" if self.appointment else who

    @classmethod
    def from_display(cls, text: str) -> Operator:
        """The officer an audit entry names (its :attr:`display`): "Capt J. Smith (Duty
        Officer)" gives name "Capt J. Smith" and appointment "Duty Officer" (which words are
        the rank is not guessed), whose display is the same text again."""
        text = " ".join(text.split())
        if text.endswith(")") and " (" in text:
            who, _, appointment = text[:-1].rpartition(" (")
            if who.strip():
                return cls(who.strip(), "", appointment.strip())
        return cls(text)


class Desk:
    """Use cases on one open database for one operator."""

    def __init__(self, db: Database, operator: Operator | str, *,
                 workstation: str | None = None, clock: Clock = utc_now) -> None:
        # the store (SQLAlchemy) is imported when a desk is made, not with this module: the
        # window and the operator dialog use Operator before any database is open
        from kfor_desk.store.repository import Repository

        from .witness import attach

        self.db = db
        self.repo = Repository(db)
        #: the desk id its commits are witnessed under (None: not witnessed)
        self._witness_id = attach(db)  # every commit's head also goes to the head log
        self.operator = operator if isinstance(operator, Operator) else Operator(operator)
        self.workstation = workstation or workstation_name()
        self.clock = clock

    @property
    def actor(self) -> Actor:
        from kfor_desk.store.audit import Actor

        return Actor(self.operator.display, self.workstation)

    def set_operator(self, operator: Operator) -> None:
        self.operator = operator

    # ------------------------------------------------------------ the door
    # The window and the CLI use these, never ``desk.repo`` or ``desk.db``.
    @property
    def target(self) -> Target:
        """Where the data lives (SQLite file or server URL)."""
        return self.db.target

    @property
    def readonly(self) -> bool:
        """True when this desk may not write (opened read-only)."""
        return bool(self.db.readonly)

    def records(self) -> tuple[list[ExerciseNotification], list[_Req]]:
        """Every notification and every request, as plain values."""
        return self.repo.all_records()

    def record(self, register_no: str) -> Record:
        """One record by register number (``NotFound`` when there is none)."""
        return self.repo.get(register_no)

    def history(self, register_no: str) -> list[AuditEntry]:
        """The audit entries of one record, oldest first."""
        return self.repo.history(register_no)

    def chain_head(self) -> str:
        """The hash of the newest audit entry (what briefs print)."""
        return self.repo.chain_head()

    def last_operator(self) -> str | None:
        """Who made the newest audit entry: the officer last at work on this desk (offered when
        a brief asks who is on shift); None for a desk with an empty trail."""
        return self.repo.last_operator()

    def verify(self, full: bool = True) -> VerifyReport:
        """The integrity check and the audit-chain check (``kfor-desk verify``)."""
        from .verify import verify

        return verify(self.repo, full=full)

    def check(self, *, full: bool = False, hand_head: str | None = None) -> DeskCheck:
        """``kfor-desk verify``: the witnesses, then the integrity and audit-chain checks
        (:func:`~kfor_desk.services.verify.check_desk`)."""
        from .verify import check_desk

        return check_desk(self.db, full=full, hand_head=hand_head)

    def close(self) -> None:
        """Close the database connections (the desk is unusable afterwards). A witnessed
        desk notes in its head log the head and the file as it leaves them."""
        head: tuple[int, str] | None = None
        if self._witness_id is not None and self.db.target.path is not None:
            try:
                from kfor_desk.store.audit import chain_head

                with self.db.read() as conn:
                    head = chain_head(conn)
            except Exception:  # closing must not fail on a damaged file
                head = None
        self.db.close()
        if head is not None and self._witness_id is not None:
            from .witness import record_close

            record_close(self._witness_id, self.db.target.path, head)
        self._witness_id = None

    def __enter__(self) -> Desk:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # ------------------------------------------------------------ records
    def prepare(self, record: Record) -> Record:
        """Validate and compute ABL relations; raise :class:`RuleError` with every problem."""
        problems = validate(record)
        if problems:
            raise RuleError(problems)
        return with_abl(record)

    def register(self, record: Record) -> Saved:
        """Save a new notification or request; ``received_by`` defaults to the operator."""
        if not record.received_by:
            record = replace(record, received_by=self.operator.display)
        return self.repo.create(self.prepare(record), self.actor, at=self.clock())

    def amend(self, old: Record, new: Record, reason: str = "") -> Saved:
        """Save an amendment of ``old`` (optimistic: refused if someone else saved first)."""
        workflow.amend_allowed(old, reason)
        if new.status != old.status:
            raise RuleError([Problem("status", "Change the status with its workflow "
                                                        "action, not by amending.")])
        action = "correct" if isinstance(old, ConsentRequest) and old.status.is_decided \
            else "amend"
        return self.repo.update(old, self.prepare(new), self.actor, action, reason,
                                at=self.clock())

    def act(self, record: Record, action: Action, *, at: datetime | None = None,
            **params: Any) -> Saved:
        """Apply a workflow action (only those allowed from the current status)."""
        step = Step(self.operator.display, at or self.clock(), str(params.pop("reason", "")))
        new = workflow.apply_action(record, action, step, {k: str(v) for k, v in params.items()})
        return self.repo.update(record, new, self.actor, action.value, step.reason,
                                at=self.clock())

    # ------------------------------------------------------------ settings
    def settings(self) -> DeskSettings:
        return DeskSettings.from_meta(self.repo.meta())

    def save_settings(self, settings: DeskSettings) -> None:
        problems = settings.problems()
        if problems:
            raise RuleError([Problem(k, v) for k, v in problems.items()])
        self.repo.set_meta(settings.to_meta(), self.actor)

    def is_training(self) -> bool:
        return self.repo.is_training()

    def local_copy_of(self) -> str | None:
        """The server desk this one is a local copy of ("LOCAL COPY — not shared"), or None."""
        from .copying import local_copy_of

        return local_copy_of(self.repo.meta())
