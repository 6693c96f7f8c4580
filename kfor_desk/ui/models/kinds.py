"""The two registers' table models: SAF exercise notifications and KSF consent requests.

Each names its columns, how they sort and what a cell says, from a row's line
(:mod:`kfor_desk.domain.lines`; the tooltips that need more, from the whole record once it has
been read); the sorting, filtering and searching machinery is the base model's
(:mod:`.registers`). Nothing here reads the database or decides a rule.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from kfor_desk.domain.enums import NotificationStatus, RequestStatus
from kfor_desk.domain.lines import Line, NotificationLine, RequestLine
from kfor_desk.domain.records import ConsentRequest, ExerciseNotification
from kfor_desk.domain.timefmt import format_dtg, format_dtg_local, format_local
from kfor_desk.ui import palette

from .registers import RegisterModel
from .rows import (
    _BAND_RANK,
    _INF,
    Column,
    countdown,
    regno_key,
)

# ---------------------------------------------------------------- the SAF register
_NS_RANK = {s.value: n for n, s in enumerate(NotificationStatus)}
_RS_RANK = {s.value: n for n, s in enumerate(RequestStatus)}


def _nearest_km(line: Line) -> float:
    return line.abl_km if line.abl_km is not None else _INF


def _band_rank(line: Line) -> int:
    return _BAND_RANK[line.band] if line.band is not None else 9


class NotificationModel(RegisterModel[ExerciseNotification]):
    """Register 1: SAF exercise notifications."""

    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("regno", "Register no.", lambda r: regno_key(r.register_no)),
        Column("received", "Received", lambda r: r.received_at.timestamp()),
        Column("title", "Exercise", lambda r: r.name.casefold()),
        Column("location", "Location · to ABL", _nearest_km),
        Column("band", "Band", _band_rank, pill=True),
        Column("period", "Period (Z)", lambda r: r.start.timestamp()),
        Column("status", "Status", lambda r: _NS_RANK[r.status.value], pill=True),
        Column("attention", "Attention", lambda r: 0),
    )

    def _display(self, r: NotificationLine, key: str, i: int) -> str:
        if key == "regno":
            return r.register_no or "(new)"
        if key == "received":
            return format_dtg(r.received_at)
        if key == "title":
            return r.name
        if key == "location":
            return self._location_text(r)
        if key == "band":
            return self._band_text(i)
        if key == "period":
            return self._period_text(r)
        if key == "status":
            return r.status.label
        if key == "attention":
            return self._attention_text(r)
        return ""

    def _tooltip(self, r: NotificationLine, key: str, i: int) -> str | None:
        if key == "received":
            return f"{format_local(r.received_at)} via {r.channel.label}"
        if key == "title":
            return f"{r.name} — {r.exercise_type.label}" + (" · live fire" if r.live_fire
                                                            else "")
        if key in ("location", "band"):
            return self._location_tip(self._records[i])
        if key == "period":
            return f"{self._period_tip(r)}\n({self._phase(i).label})"
        if key == "attention":
            return self._attention_tip(r)
        return None

    def _foreground(self, r: NotificationLine, key: str) -> QColor | None:
        if key == "attention":
            return self._attention_colour(r)
        if r.status is NotificationStatus.CANCELLED and key != "status":
            return QColor(palette.MUTED)
        return None


# ---------------------------------------------------------------- the KSF register
def _due_key(r: RequestLine) -> float:
    # open requests by due time first; closed ones after them
    return r.decision_due.timestamp() + (1e11 if r.status.is_closed else 0.0)


class RequestModel(RegisterModel[ConsentRequest]):
    """Register 2: KSF consent requests."""

    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("regno", "Register no.", lambda r: regno_key(r.register_no)),
        Column("received", "Received", lambda r: r.received_at.timestamp()),
        Column("title", "Purpose", lambda r: f"{r.purpose.label}\x00{r.title}".casefold()),
        Column("location", "Location · to ABL", _nearest_km),
        Column("band", "Band", _band_rank, pill=True),
        Column("period", "Period (Z)", lambda r: r.start.timestamp()),
        Column("status", "Status", lambda r: _RS_RANK[r.status.value], pill=True),
        Column("due", "Decision due", _due_key),
        Column("attention", "Attention", lambda r: 0),
    )

    def _display(self, r: RequestLine, key: str, i: int) -> str:
        if key == "regno":
            return r.register_no or "(new)"
        if key == "received":
            return format_dtg(r.received_at)
        if key == "title":
            return f"{r.purpose.label}: {r.title}" if r.described else r.purpose.label
        if key == "location":
            return self._location_text(r)
        if key == "band":
            return self._band_text(i)
        if key == "period":
            return self._period_text(r)
        if key == "status":
            return r.status.label + (" · to communicate" if r.awaiting_communication else "")
        if key == "due":
            due = format_dtg(r.decision_due)
            if r.status.is_closed:
                return due
            return f"{due} · {countdown(r.decision_due.timestamp() - self._now_ts)}"
        if key == "attention":
            return self._attention_text(r)
        return ""

    def _tooltip(self, r: RequestLine, key: str, i: int) -> str | None:
        if key == "received":
            return format_local(r.received_at)
        whole = self._records[i]  # None until the whole record has been read
        if key == "title":
            return f"{whole.requesting_unit}\n{whole.description}".strip() if whole else None
        if key in ("location", "band"):
            return self._location_tip(whole)
        if key == "period":
            return f"{self._period_tip(r)}\n({self._phase(i).label})"
        if key == "due":
            return format_dtg_local(r.decision_due)
        if key == "status" and whole is not None and whole.decision is not None:
            d = whole.decision
            lines = [f"Decided by {d.authority} {format_dtg(d.decided_at)}"]
            if d.communicated_at is not None:
                lines.append(f"Communicated {format_dtg(d.communicated_at)} via "
                             f"{d.communicated_via}")
            else:
                lines.append("Not yet communicated to the KSF")
            return "\n".join(lines)
        if key == "attention":
            return self._attention_tip(r)
        return None

    def _foreground(self, r: RequestLine, key: str) -> QColor | None:
        if key == "due":
            if r.status.is_closed:
                return QColor(palette.MUTED)
            left = r.decision_due.timestamp() - self._now_ts
            if left <= 0:
                return QColor(palette.OVERDUE)
            if left <= self.due_soon_s:
                return QColor(palette.DUE_SOON)
            return None
        if key == "attention":
            return self._attention_colour(r)
        if r.status is RequestStatus.WITHDRAWN and key != "status":
            return QColor(palette.MUTED)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.FontRole and index.isValid() and \
                self.COLUMNS[index.column()].key == "due":
            r = self.line_at(index.row())
            if r is not None and r.is_overdue(self._now):
                return self._bold
        return super().data(index, role)
