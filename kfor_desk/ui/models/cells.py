"""What the registers' cells say beyond their own field: the nearest location, the band, the
period, the time phase, the attention column and the pills.

:class:`RowCells` is a mixin of the register models (:mod:`.registers`): it reads a row's line
(:mod:`kfor_desk.domain.lines`), the per-row values the model keeps (band, start/end, status),
the whole record when it has been read (the locations' tooltip) and the attention handed in,
and makes text, tooltips and colours from them. It keeps no state of its own, reads no database
and decides no rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic

from PySide6.QtGui import QColor

from kfor_desk.domain.enums import Band, TimePhase
from kfor_desk.domain.placefmt import abl_text, km, position_text
from kfor_desk.domain.timefmt import format_dtg, format_dtg_local
from kfor_desk.ui import palette

from .rows import RowAttention, T

__all__ = ["RowCells"]


class RowCells(Generic[T]):
    """Display helpers over the model's per-row values (see the module docstring)."""

    _band: list[Band | None]
    _status: list[str]
    _start: list[float]
    _end: list[float]
    _now_ts: float
    _attention: Mapping[str, RowAttention]
    _attention_pending: bool

    def _pill(self, key: str, i: int) -> tuple[str, str] | None:
        if key == "status":
            return palette.STATUS_PILLS.get(self._status[i])
        if key == "band":
            band = self._band[i]
            return palette.BAND_PILLS.get(band.value) if band is not None else None
        return None

    # ------------------------------------------------------------ shared display
    def _location_text(self, line: Any) -> str:
        if line.place is None:
            return "—"
        more = f"  +{line.n_locations - 1}" if line.n_locations > 1 else ""
        if line.abl_km is None:
            return f"{line.place}{more}"
        return f"{line.place} · {km(line.abl_km)}{more}"

    def _band_text(self, i: int) -> str:
        band = self._band[i]
        return band.label if band is not None else "—"

    def _location_tip(self, r: T | None) -> str | None:
        if r is None:  # every location is in the whole record, read after the lines
            return None
        lines = []
        for loc in r.locations:
            pos = position_text(loc)
            rel = f" — {abl_text(loc.abl)}" if loc.abl is not None else ""
            radius = f", radius {loc.radius_m} m" if loc.radius_m else ""
            lines.append(f"{loc.name} ({pos}{radius}){rel}")
        return "\n".join(lines)

    def _period_text(self, r: Any) -> str:
        a, b = format_dtg(r.start), format_dtg(r.end)
        if a[7:] == b[7:]:  # same month and year: 020000Z–041300ZDEC26
            return f"{a[:7]}–{b}"
        return f"{a} – {b}"

    def _period_tip(self, r: Any) -> str:
        return f"{format_dtg_local(r.start)}\n– {format_dtg_local(r.end)}"

    def _phase(self, i: int) -> TimePhase:
        if self._start[i] > self._now_ts:
            return TimePhase.UPCOMING
        return TimePhase.ACTIVE if self._now_ts <= self._end[i] else TimePhase.COMPLETED

    def _attention_text(self, r: Any) -> str:
        if self._attention_pending:
            return "…"
        att = self._attention.get(r.register_no or "")
        if att is None:
            return ""
        parts = [att.badge] if att.badge else []
        if att.flags:
            parts.append(f"● {att.flags[0][1]}" + (f" +{len(att.flags) - 1}"
                                                    if len(att.flags) > 1 else ""))
        return "  ".join(parts)

    def _attention_tip(self, r: Any) -> str | None:
        if self._attention_pending:
            return "Computing conflicts and flags…"
        att = self._attention.get(r.register_no or "")
        if att is None:
            return None
        lines = []
        if att.badge.startswith("⚠"):
            lines.append(f"In {att.badge[1:]} open conflict(s) — see the Conflicts tab.")
        elif att.badge:
            lines.append(f"{att.badge[1:]} conflict(s), all marked deconflicted.")
        lines += [f"{label}: {detail}" for _sev, label, detail in att.flags]
        return "\n".join(lines) or None

    def _attention_colour(self, r: Any) -> QColor | None:
        if self._attention_pending:
            return QColor(palette.MUTED)
        att = self._attention.get(r.register_no or "")
        if att is None:
            return None
        if att.badge.startswith("⚠") or (att.flags and att.flags[0][0] <= 2):
            return QColor(palette.OVERDUE)
        if att.flags and att.flags[0][0] <= 5:
            return QColor(palette.DUE_SOON)
        return QColor(palette.MUTED)
