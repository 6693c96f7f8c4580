"""What needs the duty officer's attention now: the reminders of the attention panel.

- consent requests whose decision is due within ``due_soon_h`` hours, or overdue;
- notifications still not acknowledged ``unacknowledged_h`` hours after receipt;
- exercises (SAF notifications not cancelled) starting within ``starting_soon_h`` hours.

Thresholds come from :class:`DeskSettings`. Pure functions over plain records: the window (and
anything else) calls :func:`attention_items` and shows the result; no Qt here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from kfor_desk.domain.enums import NotificationStatus
from kfor_desk.domain.records import ConsentRequest, ExerciseNotification, Record
from kfor_desk.domain.timefmt import ensure_utc, format_dtg

from .settings import DeskSettings


class Reminder(StrEnum):
    """Kinds of reminder, most urgent first (the order is the display order)."""

    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    UNACKNOWLEDGED = "unacknowledged"
    STARTING_SOON = "starting_soon"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def rank(self) -> int:
        return list(Reminder).index(self)


_LABELS = {
    Reminder.OVERDUE: "Decision overdue",
    Reminder.DUE_SOON: "Decision due soon",
    Reminder.UNACKNOWLEDGED: "Not acknowledged",
    Reminder.STARTING_SOON: "Exercise starting soon",
}


@dataclass(frozen=True, slots=True)
class AttentionItem:
    """One reminder about one record; ``when`` is the moment it is about (due, received,
    start) and ``detail`` a short sentence."""

    reminder: Reminder
    register_no: str
    title: str
    when: datetime
    detail: str

    @property
    def key(self) -> tuple[str, str]:
        """Identifies the reminder across refreshes (to notice what is new)."""
        return (self.register_no, self.reminder.value)


def span(delta: timedelta) -> str:
    """``2 d 3 h``, ``5 h 07 min``, ``12 min`` (absolute value)."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hrs, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hrs} h"
    if hrs:
        return f"{hrs} h {mins:02d} min"
    return f"{mins} min"


def _request_items(r: ConsentRequest, now: datetime, due_soon: timedelta) -> list[AttentionItem]:
    if r.status.is_closed or not r.register_no:
        return []
    due = ensure_utc(r.decision_due)
    if due <= now:
        return [AttentionItem(Reminder.OVERDUE, r.register_no, r.title, due,
                              f"Decision was due {format_dtg(due)}: overdue by "
                              f"{span(now - due)}.")]
    if due - now <= due_soon:
        return [AttentionItem(Reminder.DUE_SOON, r.register_no, r.title, due,
                              f"Decision due {format_dtg(due)}, in {span(due - now)}.")]
    return []


def _notification_items(n: ExerciseNotification, now: datetime, unack: timedelta,
                        starting: timedelta) -> list[AttentionItem]:
    if not n.register_no or n.status is NotificationStatus.CANCELLED:
        return []
    out: list[AttentionItem] = []
    received = ensure_utc(n.received_at)
    if n.status is NotificationStatus.RECEIVED and now - received >= unack:
        out.append(AttentionItem(Reminder.UNACKNOWLEDGED, n.register_no, n.title, received,
                                 f"Received {format_dtg(received)}, not acknowledged after "
                                 f"{span(now - received)}."))
    start = ensure_utc(n.start)
    if now < start <= now + starting:
        out.append(AttentionItem(Reminder.STARTING_SOON, n.register_no, n.title, start,
                                 f"Starts {format_dtg(start)}, in {span(start - now)}."))
    return out


def attention_items(records: Iterable[Record], now: datetime,
                    settings: DeskSettings | None = None) -> list[AttentionItem]:
    """Every reminder as of ``now``: overdue first, then due soon, unacknowledged, starting
    soon; within a kind, the earliest moment first."""
    s = settings or DeskSettings()
    now = ensure_utc(now)
    due_soon = timedelta(hours=s.due_soon_h)
    unack = timedelta(hours=s.unacknowledged_h)
    starting = timedelta(hours=s.starting_soon_h)
    out: list[AttentionItem] = []
    for rec in records:
        if isinstance(rec, ConsentRequest):
            out.extend(_request_items(rec, now, due_soon))
        else:
            out.extend(_notification_items(rec, now, unack, starting))
    out.sort(key=lambda i: (i.reminder.rank, i.when, i.register_no))
    return out


def new_items(items: Iterable[AttentionItem],
              seen: set[tuple[str, str]]) -> list[AttentionItem]:
    """Items whose reminder was not among ``seen`` keys (what just became due)."""
    return [i for i in items if i.key not in seen]


__all__ = ["AttentionItem", "Reminder", "attention_items", "new_items", "span"]
