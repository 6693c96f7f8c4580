"""Workflow action dialogs (acknowledge, disseminate, cancel, review, recommend, decide,
withdraw, communicate)."""

from .action_dialog import DEFAULT_AUTHORITY, ActionDialog

__all__ = ["DEFAULT_AUTHORITY", "ActionDialog"]
