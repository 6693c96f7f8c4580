"""The window's public doors to its dialogs and exchange actions, as one mixin of
:class:`~kfor_desk.ui.window.main.MainWindow`.

Each method only hands over to the part that does the work (:class:`.dialogs.Dialogs`,
:class:`.exchange.Exchange`); tests, menus and other windows call these names. Nothing here
holds state or decides anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kfor_desk.domain.records import RecordKind

if TYPE_CHECKING:
    from .dialogs import Dialogs
    from .exchange import Exchange


class DialogsAndExchange:
    """Forms, workflow, settings, import, export and briefs of a window."""

    dialogs: Dialogs
    exchange: Exchange

    def new_notification(self) -> Any:
        return self.dialogs.new(RecordKind.SAF)

    def new_request(self) -> Any:
        return self.dialogs.new(RecordKind.KSF)

    def amend_selected(self) -> Any:
        return self.dialogs.amend_selected()

    def run_action(self, record: Any, action: Any) -> Any:
        return self.dialogs.run_action(record, action)

    def hand_over(self) -> Any:
        return self.dialogs.hand_over()

    def set_operator(self, operator: Any) -> None:
        self.dialogs.set_operator(operator)

    def open_settings(self) -> Any:
        return self.dialogs.open_settings()

    def show_about(self) -> Any:
        return self.dialogs.show_about()

    def import_json(self, path: str | None = None) -> Any:
        return self.exchange.import_json(path)

    def export_json(self, path: str | None = None) -> Any:
        return self.exchange.export_json(path)

    def export_table(self, path: str | None = None) -> Any:
        return self.exchange.export_table(path)

    def daily_brief(self) -> Any:
        return self.exchange.daily_brief()

    def record_sheet(self, register_no: str | None = None) -> Any:
        return self.exchange.record_sheet(register_no)

    def handover_brief(self) -> Any:
        return self.exchange.handover_brief()

    def offer_open(self, title: str, path: str) -> Any:
        return self.exchange.offer_open(title, path)
