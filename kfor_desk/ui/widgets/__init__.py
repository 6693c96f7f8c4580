"""Input widgets of the forms: time and position fields that read as you type, field errors."""

from .dtg_edit import DtgEdit
from .field_error import FieldError, mark_invalid
from .position_edit import MapPickDialog, PositionEdit, describe_position, pick_on_map

__all__ = ["DtgEdit", "FieldError", "MapPickDialog", "PositionEdit", "describe_position",
           "mark_invalid", "pick_on_map"]
