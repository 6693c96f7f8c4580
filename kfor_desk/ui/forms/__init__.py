"""Forms for new and amended records."""

from .locations import LocationRow, LocationsEditor
from .record_dialog import ConfirmDiscard, RecordDialog, ask_discard

__all__ = ["ConfirmDiscard", "LocationRow", "LocationsEditor", "RecordDialog", "ask_discard"]
