"""PDF briefs (reportlab, no Qt): the daily deconfliction brief, record sheets, shift handover.

The services fill the plain values of :mod:`.model`; the functions here turn them into PDF
bytes (``kfor_desk.services.files.write_atomic`` puts them on disk). This package imports only
the domain and the resource helper.
"""

from __future__ import annotations

from .daily import render_daily_brief
from .handover import render_handover
from .model import (
    BriefMeta,
    ConflictItem,
    DailyBriefData,
    FieldChange,
    FlagItem,
    HandoverData,
    HistoryEntry,
    RecordSheetData,
    TimelineItem,
)
from .record_sheet import render_record_sheet

__all__ = [
    "BriefMeta",
    "ConflictItem",
    "DailyBriefData",
    "FieldChange",
    "FlagItem",
    "HandoverData",
    "HistoryEntry",
    "RecordSheetData",
    "TimelineItem",
    "render_daily_brief",
    "render_handover",
    "render_record_sheet",
]
