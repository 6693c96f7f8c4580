"""The two status machines.

Each action checks that it is allowed from the record's current status and that it carries what
it needs (who, when and, where needed, why), and returns the changed record. The store writes the
change and its audit entry (action name, operator, time) in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from .enums import DECIDED, NotificationStatus, RequestStatus
from .records import ConsentRequest, Decision, ExerciseNotification, Record
from .timefmt import ensure_utc
from .validation import Problem, RuleError, validate_decision


class Action(StrEnum):
    """Every workflow action, as named in the audit trail."""

    ACKNOWLEDGE = "acknowledge"
    DISSEMINATE = "disseminate"
    CANCEL = "cancel"
    START_REVIEW = "start_review"
    RECOMMEND = "recommend"
    DECIDE = "decide"
    WITHDRAW = "withdraw"
    COMMUNICATE = "communicate"

    @property
    def label(self) -> str:
        return _ACTION_LABELS[self]


_ACTION_LABELS = {
    Action.ACKNOWLEDGE: "Acknowledge receipt",
    Action.DISSEMINATE: "Disseminate",
    Action.CANCEL: "Cancel",
    Action.START_REVIEW: "Start review",
    Action.RECOMMEND: "Record recommendation",
    Action.DECIDE: "Record decision",
    Action.WITHDRAW: "Withdraw",
    Action.COMMUNICATE: "Mark communicated",
}

NS = NotificationStatus
RS = RequestStatus

NOTIFICATION_TRANSITIONS: dict[Action, tuple[frozenset[NotificationStatus], NotificationStatus]] = {
    Action.ACKNOWLEDGE: (frozenset({NS.RECEIVED}), NS.ACKNOWLEDGED),
    Action.DISSEMINATE: (frozenset({NS.ACKNOWLEDGED}), NS.DISSEMINATED),
    Action.CANCEL: (frozenset({NS.RECEIVED, NS.ACKNOWLEDGED, NS.DISSEMINATED}), NS.CANCELLED),
}
UNDECIDED = frozenset({RS.RECEIVED, RS.UNDER_REVIEW, RS.RECOMMENDED})
REQUEST_FROM: dict[Action, frozenset[RequestStatus]] = {
    Action.START_REVIEW: frozenset({RS.RECEIVED}),
    Action.RECOMMEND: frozenset({RS.UNDER_REVIEW, RS.RECOMMENDED}),
    Action.DECIDE: UNDECIDED,
    Action.WITHDRAW: UNDECIDED,
    Action.COMMUNICATE: DECIDED,
}


@dataclass(frozen=True, slots=True)
class Step:
    """Who did an action and when; ``reason`` where the action needs one."""

    operator: str
    at: datetime
    reason: str = ""


def available_actions(record: Record) -> list[Action]:
    """The actions allowed from the record's current status, in workflow order."""
    if isinstance(record, ExerciseNotification):
        return [a for a, (src, _) in NOTIFICATION_TRANSITIONS.items() if record.status in src]
    acts = [a for a, src in REQUEST_FROM.items() if record.status in src]
    if Action.COMMUNICATE in acts and not record.awaiting_communication:
        acts.remove(Action.COMMUNICATE)
    return acts


def _refuse(action: Action, status: StrEnum) -> RuleError:
    return RuleError([Problem("status", f"'{action.label}' is not possible while the record is "
                                        f"{status.value.replace('_', ' ')}.")])


def _check_step(step: Step, not_before: datetime, what: str) -> datetime:
    problems: list[Problem] = []
    if not step.operator.strip():
        problems.append(Problem("operator", "No operator on shift: choose the operator first."))
    at = step.at
    if at.tzinfo is None:
        problems.append(Problem("at", "The time has no time zone; times must be UTC."))
    elif at < not_before:
        problems.append(Problem("at", f"The time cannot be before {what}."))
    if problems:
        raise RuleError(problems)
    return ensure_utc(at)


def _need(field: str, value: str, message: str) -> None:
    if not value.strip():
        raise RuleError([Problem(field, message)])


# ---------------------------------------------------------------- notifications
def _notification_step(n: ExerciseNotification, action: Action) -> NotificationStatus:
    src, dst = NOTIFICATION_TRANSITIONS[action]
    if n.status not in src:
        raise _refuse(action, n.status)
    return dst


def acknowledge(n: ExerciseNotification, step: Step) -> ExerciseNotification:
    dst = _notification_step(n, Action.ACKNOWLEDGE)
    at = _check_step(step, n.received_at, "the notification was received")
    return replace(n, status=dst, acknowledged_at=at)


def disseminate(n: ExerciseNotification, step: Step, to: str) -> ExerciseNotification:
    dst = _notification_step(n, Action.DISSEMINATE)
    _need("disseminated_to", to, "Say to whom it is disseminated (units, regional commands).")
    at = _check_step(step, n.acknowledged_at or n.received_at, "its acknowledgement")
    return replace(n, status=dst, disseminated_at=at, disseminated_to=to.strip())


def cancel(n: ExerciseNotification, step: Step) -> ExerciseNotification:
    dst = _notification_step(n, Action.CANCEL)
    _need("cancel_reason", step.reason, "Give the reason for the cancellation.")
    at = _check_step(step, n.received_at, "the notification was received")
    return replace(n, status=dst, cancelled_at=at, cancel_reason=step.reason.strip())


# ---------------------------------------------------------------- requests
def _request_check(r: ConsentRequest, action: Action) -> None:
    if r.status not in REQUEST_FROM[action]:
        raise _refuse(action, r.status)


def start_review(r: ConsentRequest, step: Step) -> ConsentRequest:
    _request_check(r, Action.START_REVIEW)
    at = _check_step(step, r.received_at, "the request was received")
    return replace(r, status=RS.UNDER_REVIEW, review_started_at=at)


def recommend(r: ConsentRequest, step: Step, recommendation: str) -> ConsentRequest:
    _request_check(r, Action.RECOMMEND)
    _need("recommendation", recommendation, "Write the recommendation.")
    at = _check_step(step, r.review_started_at or r.received_at, "the review started")
    return replace(r, status=RS.RECOMMENDED, recommendation=recommendation.strip(),
                   recommended_at=at)


def decide(r: ConsentRequest, step: Step, outcome: RequestStatus, authority: str,
           conditions: str = "", rationale: str = "") -> ConsentRequest:
    """Record COMKFOR's decision; ``step.at`` is when it was taken."""
    _request_check(r, Action.DECIDE)
    if outcome not in DECIDED:
        raise RuleError([Problem("status", "A decision is granted, granted with conditions "
                                           "or denied.")])
    at = _check_step(step, r.received_at, "the request was received")
    decision = Decision(authority=authority.strip(), decided_at=at,
                        conditions=conditions.strip(), rationale=rationale.strip())
    problems = validate_decision(outcome, decision)
    if problems:
        raise RuleError(problems)
    return replace(r, status=outcome, decision=decision)


def withdraw(r: ConsentRequest, step: Step) -> ConsentRequest:
    _request_check(r, Action.WITHDRAW)
    _need("withdraw_reason", step.reason, "Give the reason for the withdrawal.")
    at = _check_step(step, r.received_at, "the request was received")
    return replace(r, status=RS.WITHDRAWN, withdrawn_at=at, withdraw_reason=step.reason.strip())


def communicate(r: ConsentRequest, step: Step, via: str) -> ConsentRequest:
    _request_check(r, Action.COMMUNICATE)
    if r.decision is None or r.decision.communicated_at is not None:
        raise RuleError([Problem("decision.communicated_at",
                                 "The decision has already been communicated.")])
    _need("decision.communicated_via", via, "Say how the answer reached the KSF "
                                            "(letter, phone, liaison…).")
    at = _check_step(step, r.decision.decided_at, "the decision was taken")
    return replace(r, decision=replace(r.decision, communicated_at=at,
                                       communicated_via=via.strip()))


def amend_allowed(record: Record, reason: str) -> None:
    """A record may be amended while open; a decided request only as a correction with a
    reason; cancelled notifications and withdrawn requests are closed."""
    if isinstance(record, ExerciseNotification):
        if record.status is NS.CANCELLED:
            raise RuleError([Problem("status", "A cancelled notification cannot be amended.")])
        return
    if record.status is RS.WITHDRAWN:
        raise RuleError([Problem("status", "A withdrawn request cannot be amended.")])
    if record.status.is_decided and not reason.strip():
        raise RuleError([Problem("reason", "A decided request is corrected only with a reason "
                                           "for the correction.")])


def apply_action(record: Record, action: Action, step: Step,
                 params: dict[str, str] | None = None) -> Record:
    """Dispatch ``action`` with its parameters (``to``, ``recommendation``, ``outcome``,
    ``authority``, ``conditions``, ``rationale``, ``via``); unknown parameters are a bug."""
    p = dict(params or {})

    def take(name: str) -> str:
        return p.pop(name, "")

    new: Record
    if isinstance(record, ExerciseNotification):
        if action is Action.ACKNOWLEDGE:
            new = acknowledge(record, step)
        elif action is Action.DISSEMINATE:
            new = disseminate(record, step, take("to"))
        elif action is Action.CANCEL:
            new = cancel(record, step)
        else:
            raise RuleError([Problem("status", f"'{action.label}' does not apply to an SAF "
                                               "notification.")])
    elif action is Action.START_REVIEW:
        new = start_review(record, step)
    elif action is Action.RECOMMEND:
        new = recommend(record, step, take("recommendation"))
    elif action is Action.DECIDE:
        outcome = take("outcome")
        try:
            status = RequestStatus(outcome)
        except ValueError:
            raise RuleError([Problem("status", "Choose the decision: granted, granted with "
                                               "conditions or denied.")]) from None
        new = decide(record, step, status, take("authority"), take("conditions"),
                     take("rationale"))
    elif action is Action.WITHDRAW:
        new = withdraw(record, step)
    elif action is Action.COMMUNICATE:
        new = communicate(record, step, take("via"))
    else:
        raise RuleError([Problem("status", f"'{action.label}' does not apply to a KSF "
                                           "request.")])
    if p:
        raise TypeError(f"unexpected parameters for {action.value}: {sorted(p)}")
    return new
