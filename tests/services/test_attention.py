"""Reminders of the attention panel with a fixed clock."""

from __future__ import annotations

from datetime import timedelta

from kfor_desk.domain.enums import NotificationStatus, RequestStatus
from kfor_desk.services.attention import Reminder, attention_items, new_items
from kfor_desk.services.settings import DeskSettings
from tests.factories import NOW, make_notification, make_request


def test_reminders_with_a_fixed_clock() -> None:
    recs = [
        make_request(register_no="KSF-2026-0001", decision_due=NOW - timedelta(hours=2)),
        make_request(register_no="KSF-2026-0002", decision_due=NOW + timedelta(hours=5)),
        make_request(register_no="KSF-2026-0003", decision_due=NOW + timedelta(hours=50)),
        make_request(register_no="KSF-2026-0004", decision_due=NOW - timedelta(hours=2),
                     status=RequestStatus.WITHDRAWN),
        make_notification(register_no="SAF-2026-0001", received_at=NOW - timedelta(hours=30),
                          start=NOW + timedelta(days=3), end=NOW + timedelta(days=4)),
        make_notification(register_no="SAF-2026-0002", received_at=NOW - timedelta(hours=30),
                          status=NotificationStatus.ACKNOWLEDGED,
                          start=NOW + timedelta(hours=10), end=NOW + timedelta(days=1)),
        make_notification(register_no="SAF-2026-0003", status=NotificationStatus.CANCELLED,
                          start=NOW + timedelta(hours=3), end=NOW + timedelta(hours=9)),
    ]
    items = attention_items(recs, NOW)
    got = [(i.reminder, i.register_no) for i in items]
    assert got == [
        (Reminder.OVERDUE, "KSF-2026-0001"),
        (Reminder.DUE_SOON, "KSF-2026-0002"),
        (Reminder.UNACKNOWLEDGED, "SAF-2026-0001"),
        (Reminder.STARTING_SOON, "SAF-2026-0002"),
    ]
    assert "overdue by 2 h 00 min" in items[0].detail
    # thresholds come from the settings
    wide = attention_items(recs, NOW, DeskSettings(due_soon_h=72, unacknowledged_h=48))
    assert (Reminder.DUE_SOON, "KSF-2026-0003") in [(i.reminder, i.register_no) for i in wide]
    assert Reminder.UNACKNOWLEDGED not in [i.reminder for i in wide]


def test_new_items_are_what_just_became_due() -> None:
    r = make_request(register_no="KSF-2026-0001", decision_due=NOW + timedelta(hours=30))
    assert attention_items([r], NOW) == []
    later = attention_items([r], NOW + timedelta(hours=7))
    assert [i.reminder for i in new_items(later, set())] == [Reminder.DUE_SOON]
    assert new_items(later, {i.key for i in later}) == []
