"""Table models of the registers (they sort and filter themselves)."""

from .kinds import NotificationModel, RequestModel
from .registers import PILL_ROLE, RECORD_ROLE, SORT_ROLE, RegisterModel
from .rows import RegisterFilter, RowAttention

__all__ = [
    "PILL_ROLE",
    "RECORD_ROLE",
    "SORT_ROLE",
    "NotificationModel",
    "RegisterFilter",
    "RegisterModel",
    "RequestModel",
    "RowAttention",
]
