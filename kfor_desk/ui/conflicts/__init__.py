"""The conflicts tab: rows (Qt-free), table model and colours, the note prompt, the panel."""

from .model import (
    COL_A,
    COL_B,
    COL_DISTANCE,
    COL_STATUS,
    COL_WINDOW,
    ConflictTableModel,
    PairRole,
    SortRole,
    severity_colour,
)
from .note import DeconflictNoteDialog, ask_note
from .panel import ConflictsPanel, NotePrompt
from .rows import ConflictRow, conflict_badges, conflict_rows, record_text, record_titles

__all__ = ["COL_A", "COL_B", "COL_DISTANCE", "COL_STATUS", "COL_WINDOW", "ConflictRow",
           "ConflictTableModel", "ConflictsPanel", "DeconflictNoteDialog", "NotePrompt",
           "PairRole", "SortRole", "ask_note", "conflict_badges", "conflict_rows",
           "record_text", "record_titles", "severity_colour"]
