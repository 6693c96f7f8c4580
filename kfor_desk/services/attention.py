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

from kfor_desk.domain.conflicts import FlagName, flags_for
from kfor_desk.domain.enums import NotificationStatus
from kfor_desk.domain.records import ConsentRequest, ExerciseNotification, Record
from kfor_desk.domain.timefmt import ensure_utc, format_dtg, format_span

from .conflicts import deconfliction_settings
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


# The time-based attention flags of the domain are the reminders; one rule, one place.
_FROM_FLAG = {FlagName.OVERDUE: Reminder.OVERDUE, FlagName.DUE_SOON: Reminder.DUE_SOON,
              FlagName.UNACKNOWLEDGED: Reminder.UNACKNOWLEDGED}


def _moment(rec: Record, reminder: Reminder) -> datetime:
    if isinstance(rec, ConsentRequest) and reminder in (Reminder.OVERDUE, Reminder.DUE_SOON):
        return ensure_utc(rec.decision_due)
    if reminder is Reminder.UNACKNOWLEDGED:
        return ensure_utc(rec.received_at)
    return ensure_utc(rec.start)


def _starting_soon(rec: Record, now: datetime, starting: timedelta) -> AttentionItem | None:
    if not isinstance(rec, ExerciseNotification) or not rec.register_no \
            or rec.status is NotificationStatus.CANCELLED:
        return None
    start = ensure_utc(rec.start)
    if now < start <= now + starting:
        return AttentionItem(Reminder.STARTING_SOON, rec.register_no, rec.title, start,
                             f"Starts {format_dtg(start)}, in {format_span(start - now)}.")
    return None


def attention_items(records: Iterable[Record], now: datetime,
                    settings: DeskSettings | None = None) -> list[AttentionItem]:
    """Every reminder as of ``now``: overdue first, then due soon, unacknowledged, starting
    soon; within a kind, the earliest moment first. Overdue, due-soon and unacknowledged
    come from the domain's attention flags, so the panel and the briefs never disagree."""
    s = settings or DeskSettings()
    now = ensure_utc(now)
    flag_settings = deconfliction_settings(s)
    starting = timedelta(hours=s.starting_soon_h)
    out: list[AttentionItem] = []
    for rec in records:
        if not rec.register_no:
            continue
        for flag in flags_for(rec, now, flag_settings):
            reminder = _FROM_FLAG.get(flag.flag)
            if reminder is not None:
                out.append(AttentionItem(reminder, rec.register_no, rec.title,
                                         _moment(rec, reminder), flag.detail))
        soon = _starting_soon(rec, now, starting)
        if soon is not None:
            out.append(soon)
    out.sort(key=lambda i: (i.reminder.rank, i.when, i.register_no))
    return out


def new_items(items: Iterable[AttentionItem],
              seen: set[tuple[str, str]]) -> list[AttentionItem]:
    """Items whose reminder was not among ``seen`` keys (what just became due)."""
    return [i for i in items if i.key not in seen]


__all__ = ["AttentionItem", "Reminder", "attention_items", "new_items"]
