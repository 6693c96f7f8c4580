"""The conflicts panel's old address: it lives in :mod:`kfor_desk.ui.conflicts` now.

Kept so that existing imports work; defines nothing of its own.
"""

from kfor_desk.ui.conflicts import (
    COL_A,
    COL_B,
    COL_DISTANCE,
    COL_STATUS,
    COL_WINDOW,
    ConflictRow,
    ConflictsPanel,
    ConflictTableModel,
    DeconflictNoteDialog,
    NotePrompt,
    PairRole,
    SortRole,
    ask_note,
    conflict_badges,
    conflict_rows,
    record_titles,
    severity_colour,
)

__all__ = ["COL_A", "COL_B", "COL_DISTANCE", "COL_STATUS", "COL_WINDOW", "ConflictRow",
           "ConflictTableModel", "ConflictsPanel", "DeconflictNoteDialog", "NotePrompt",
           "PairRole", "SortRole", "ask_note", "conflict_badges", "conflict_rows",
           "record_titles", "severity_colour"]
