"""The conflicts tab: rows (Qt-free), table model and colours, the pairs table, the flag list,
the note prompt, the panel."""

from .flag_list import FlagList
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
from .pairs_table import PairsTable
from .panel import ConflictsPanel, NotePrompt
from .rows import ConflictRow, conflict_badges, conflict_rows, record_text, record_titles

__all__ = ["COL_A", "COL_B", "COL_DISTANCE", "COL_STATUS", "COL_WINDOW", "ConflictRow",
           "ConflictTableModel", "ConflictsPanel", "DeconflictNoteDialog", "FlagList",
           "NotePrompt", "PairRole", "PairsTable", "SortRole", "ask_note", "conflict_badges",
           "conflict_rows", "record_text", "record_titles", "severity_colour"]
