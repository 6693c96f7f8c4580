"""The detail pane: every field of the selected record, the map centred on it, its history
(the History page is :mod:`.history_tree`).

It shows what the window hands in and reads nothing itself: the window reads the record and
its history off the GUI thread and the pane says "Loading…" until they are in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from kfor_desk.domain.placefmt import abl_text, position_text
from kfor_desk.domain.records import ConsentRequest, ExerciseNotification, Record
from kfor_desk.domain.timefmt import format_dtg_local
from kfor_desk.ui import palette
from kfor_desk.ui.map import MapItem, MapView

from .history_tree import HistoryTree


def _v(value: Any) -> str:
    """A field value as plain text for the pane."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return format_dtg_local(value)
    label = getattr(value, "label", None)
    if isinstance(label, str):
        return label
    if isinstance(value, tuple):
        return ", ".join(_v(x) for x in value) or "—"
    return str(value)


def _row(label: str, value: Any) -> str:
    text = escape(_v(value)).replace("\n", "<br>")
    return (f"<tr><td class='k'>{escape(label)}</td><td class='v'>{text}</td></tr>")


def _section(title: str, rows: Iterable[tuple[str, Any]]) -> str:
    body = "".join(_row(k, v) for k, v in rows)
    return f"<h3>{escape(title)}</h3><table width='100%' cellspacing='0'>{body}</table>"


def css() -> str:
    """The fields' style sheet in the active theme's colours."""
    return (
        "<style>"
        f"body {{ color: {palette.TEXT}; }}"
        f"h3 {{ color: {palette.HEADING}; margin: 10px 0 4px 0; font-size: 11pt; "
        f"border-bottom: 1px solid {palette.THEME.rule}; }}"
        f"td.k {{ color: {palette.MUTED}; padding: 2px 12px 2px 0; white-space: nowrap; "
        f"vertical-align: top; width: 34%; }}"
        "td.v { padding: 2px 0; vertical-align: top; }"
        f".warn {{ color: {palette.OVERDUE}; font-weight: bold; }}"
        "</style>"
    )


def record_html(record: Record, attention: Sequence[str] = ()) -> str:
    """All fields of ``record`` as simple HTML (every user string escaped)."""
    parts = [css()]
    if attention:
        items = "".join(f"<li>{escape(a)}</li>" for a in attention)
        parts.append(f"<h3>Attention</h3><ul class='warn'>{items}</ul>")
    locs = []
    for n, loc in enumerate(record.locations, 1):
        pos = position_text(loc)
        rel = abl_text(loc.abl) if loc.abl is not None else "—"
        radius = f", radius {loc.radius_m} m" if loc.radius_m else ""
        locs.append((f"{n}. {loc.name}", f"{pos}{radius}\n{rel}"))
    if isinstance(record, ExerciseNotification):
        parts.append(_section("Notification", [
            ("Register no.", record.register_no), ("Sender's reference", record.sender_ref),
            ("Channel", record.channel), ("Received", record.received_at),
            ("Received by", record.received_by), ("Status", record.status),
        ]))
        parts.append(_section("Exercise", [
            ("Name", record.name), ("Type", record.exercise_type), ("Units", record.units),
            ("Personnel", record.personnel), ("Vehicles", record.vehicles),
            ("Weapon systems", record.weapon_systems), ("Live fire", record.live_fire),
            ("Air assets", record.air_assets or "none"),
            ("Start", record.start), ("End", record.end),
        ]))
        parts.append(_section("Locations", locs))
        parts.append(_section("Follow-up", [
            ("Acknowledged", record.acknowledged_at),
            ("Disseminated", record.disseminated_at),
            ("Disseminated to", record.disseminated_to),
            ("Cancelled", record.cancelled_at), ("Cancel reason", record.cancel_reason),
            ("Patrols", record.patrols), ("Liaison contact", record.liaison_contact),
            ("Notes", record.notes),
        ]))
    else:
        parts.append(_section("Request", [
            ("Register no.", record.register_no), ("KSF reference", record.ksf_ref),
            ("Received", record.received_at), ("Received by", record.received_by),
            ("Requesting unit", record.requesting_unit),
            ("Point of contact", record.point_of_contact),
            ("Status", record.status), ("Decision due", record.decision_due),
        ]))
        parts.append(_section("Activity", [
            ("Purpose", record.purpose), ("Description", record.description),
            ("Municipalities", record.municipalities), ("Route", record.route),
            ("Start", record.start), ("End", record.end),
            ("Personnel", record.personnel), ("Vehicles", record.vehicles),
            ("Weapons carried", record.weapons_carried),
            ("Air assets", record.air_assets or "none"),
        ]))
        parts.append(_section("Locations", locs))
        d = record.decision
        parts.append(_section("Review and decision", [
            ("Review started", record.review_started_at),
            ("Recommendation", record.recommendation),
            ("Recommended", record.recommended_at),
            ("Decision", record.status if d is not None else None),
            ("Authority", d.authority if d else None),
            ("Decided", d.decided_at if d else None),
            ("Conditions", d.conditions if d else None),
            ("Rationale", d.rationale if d else None),
            ("Communicated", d.communicated_at if d else None),
            ("Communicated via", d.communicated_via if d else None),
            ("Withdrawn", record.withdrawn_at), ("Withdraw reason", record.withdraw_reason),
            ("Notes", record.notes),
        ]))
    return "".join(parts)


def map_items(records: Iterable[Record]) -> list[Any]:
    """The map's plain values for ``records``: one item per location of each saved record."""
    return [MapItem(r.register_no, r.kind.value, r.title, loc.lat, loc.lon,
                    float(loc.radius_m or 0),
                    band=loc.abl.band.value if loc.abl is not None else "")
            for r in records if r.register_no for loc in r.locations]


class DetailPane(QWidget):
    """Shows one record: heading, fields, history (field-level before → after), map."""

    recordSelected = Signal(str)  # a record clicked on the map

    def __init__(self, parent: QWidget | None = None, *, defer_map: bool = False) -> None:
        """With ``defer_map`` the map is a "Loading map…" placeholder until
        :meth:`install_map` hands in its layers (computed off the GUI thread)."""
        super().__init__(parent)
        self.heading = QLabel("Select a record")
        self.heading.setObjectName("detailHeading")
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.heading.setWordWrap(True)
        self.status = QLabel()
        self.status.setObjectName("detailStatus")
        # a long status ("Granted with conditions · to communicate") wraps inside the chip;
        # it never widens the pane (which would squeeze the register beside it)
        self.status.setWordWrap(True)
        self.status.setMaximumWidth(200)
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.fields = QTextBrowser()
        self.fields.setObjectName("detailFields")
        self.fields.setOpenLinks(False)
        self.history = HistoryTree()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.fields, "Details")
        self.tabs.addTab(self.history, "History")
        self.map: Any = None if defer_map else MapView()
        self._map_items: list[Any] = []
        self.map_placeholder: QLabel | None = None
        head = QHBoxLayout()
        head.setContentsMargins(8, 6, 8, 2)
        head.addWidget(self.heading, 1)
        head.addWidget(self.status, 0, Qt.AlignmentFlag.AlignTop)
        top = QWidget()
        top_lay = QVBoxLayout(top)
        top_lay.setContentsMargins(0, 0, 0, 0)
        top_lay.addLayout(head)
        top_lay.addWidget(self.tabs)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("detailSplitter")
        self.splitter.addWidget(top)
        if self.map is not None:
            self._add_map(self.map)
        elif defer_map:
            self.map_placeholder = QLabel("Loading map…")
            self.map_placeholder.setObjectName("mapPlaceholder")
            self.map_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.map_placeholder.setMinimumHeight(160)
            self.map_placeholder.setStyleSheet(
                f"color: {palette.MUTED}; background: {palette.THEME.map.outside};")
            self.splitter.addWidget(self.map_placeholder)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.splitter)
        self._record: Record | None = None
        self._shown: tuple[list[Any] | None, list[str]] = ([], [])  # history, attention shown
        self._loading: str | None = None  # the register number being read, none shown yet
        self.clear()

    def _add_map(self, view: Any) -> None:
        view.setMinimumHeight(160)
        view.recordSelected.connect(self.recordSelected)
        if self.map_placeholder is not None:
            self.splitter.replaceWidget(1, view)
            self.map_placeholder.deleteLater()
            self.map_placeholder = None
        else:
            self.splitter.addWidget(view)

    def install_map(self, layers: Any) -> None:
        """Put the map (drawn from ``layers``) where the placeholder is, with the records and
        the selection handed in so far."""
        if self.map is not None:
            return
        self.map = MapView(layers=layers)
        self._add_map(self.map)
        self.map.set_records(self._map_items)
        rec = self._record
        if rec is not None and rec.register_no:
            self._centre_map(rec)

    def show_page(self, page: str) -> None:
        """``"history"`` or ``"details"`` of the record shown, with the keyboard focus."""
        widget = self.history if page == "history" else self.fields
        self.tabs.setCurrentWidget(widget)
        widget.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def record(self) -> Record | None:
        return self._record

    def set_map_records(self, records: Iterable[Record]) -> None:
        """Every record on the map (the selected one is highlighted by :meth:`show_record`)."""
        self.set_map_items(map_items(records))

    def set_map_items(self, items: Sequence[Any]) -> None:
        """Every record location on the map, as plain :class:`MapItem` values."""
        self._map_items = list(items)
        if self.map is not None:
            self.map.set_records(self._map_items)

    def clear(self) -> None:
        self._record = None
        self._loading = None
        self.heading.setText(f"<span style='color:{palette.MUTED}'>Select a record in the register "
                             "to see its details, history and place on the map.</span>")
        self.status.clear()
        self.status.setStyleSheet("")
        self.fields.clear()
        self.history.clear()
        if self.map is not None:
            self.map.select(None)

    def show_loading(self, register_no: str) -> None:
        """``register_no`` is being read: its number and "Loading…" until :meth:`show_record`
        (the record shown before is no longer offered as the one shown)."""
        self._record = None
        self._loading = register_no
        self._shown = (None, [])
        self._render_loading(register_no)
        if self.map is not None:
            self.map.select(register_no)

    def _render_loading(self, register_no: str) -> None:
        self.heading.setText(
            f"<span style='font-weight:bold; font-size:13pt'>{escape(register_no)}</span>"
            f"<span style='color:{palette.MUTED}'>&nbsp;&nbsp;Loading…</span>")
        self.status.clear()
        self.status.setStyleSheet("")
        self.fields.setHtml(f"{css()}<p style='color:{palette.MUTED}'>Loading…</p>")
        self.history.fill(None)

    def shown_register(self) -> str | None:
        """The register number shown, or being read for the pane."""
        return self._record.register_no if self._record is not None else self._loading

    def is_loading(self) -> bool:
        """True while the pane waits for a record or its history."""
        return self._loading is not None or (self._record is not None
                                             and self._shown[0] is None)

    def show_record(self, record: Record, history: Sequence[Any] | None = (),
                    attention: Sequence[str] = ()) -> None:
        """Show ``record`` with its audit ``history`` (plain AuditEntry values; ``None``: still
        being read, "Loading…" until :meth:`show_history`) and the attention lines the window
        hands in."""
        self._record = record
        self._loading = None
        self._shown = (None if history is None else list(history), list(attention))
        self._render(record, history, attention)
        if self.map is not None and record.register_no:
            self._centre_map(record)

    def show_history(self, register_no: str, history: Sequence[Any]) -> bool:
        """The history of the record shown, read after it; ``False`` (and nothing changed)
        when another record is shown by now."""
        rec = self._record
        if rec is None or rec.register_no != register_no:
            return False
        self._shown = (list(history), self._shown[1])
        self.history.fill(history)
        return True

    def _render(self, record: Record, history: Sequence[Any] | None,
                attention: Sequence[str]) -> None:
        colour = palette.SAF if isinstance(record, ExerciseNotification) else palette.KSF
        kind = "SAF exercise notification" if isinstance(record, ExerciseNotification) \
            else "KSF consent request"
        self.heading.setText(
            f"<span style='color:{colour}; font-weight:bold; font-size:13pt'>"
            f"{escape(record.register_no or '(new)')}</span>"
            f"<span style='color:{palette.MUTED}'>&nbsp;&nbsp;{kind}</span><br>"
            f"<span style='font-size:12pt'>{escape(record.title)}</span>")
        bg, fg = palette.STATUS_PILLS.get(record.status.value, palette.GREY)
        status = record.status.label
        if isinstance(record, ConsentRequest) and record.awaiting_communication:
            status += " · to communicate"
        self.status.setText(status)
        self.status.setStyleSheet(f"QLabel#detailStatus {{ background: {bg}; color: {fg}; "
                                  "border-radius: 9px; padding: 3px 10px; font-weight: bold; }")
        self.fields.setHtml(record_html(record, attention))
        self.history.fill(history)

    def apply_theme(self, theme: Any) -> None:
        """Repaint in ``theme``'s colours (View ▸ Night theme while the window runs): the
        record shown again, the placeholder, and the map if it knows how
        (``MapView.apply_theme``)."""
        if self.map_placeholder is not None:
            self.map_placeholder.setStyleSheet(
                f"color: {palette.MUTED}; background: {theme.map.outside};")
        rec = self._record
        if rec is None and self._loading is not None:
            self._render_loading(self._loading)
        elif rec is None:
            self.clear()
        else:
            history, attention = self._shown
            keep = (self.fields.verticalScrollBar().value(),
                    self.history.verticalScrollBar().value())
            self._render(rec, history, attention)  # the map stays where the officer put it
            self.fields.verticalScrollBar().setValue(keep[0])
            self.history.verticalScrollBar().setValue(keep[1])
        apply = getattr(self.map, "apply_theme", None)
        if callable(apply):
            apply(theme)

    def _centre_map(self, record: Record) -> None:
        self.map.select(record.register_no)
        if not self.map.centre_on(record.register_no) and record.locations:
            loc = record.locations[0]
            self.map.centre_on_position(loc.lat, loc.lon)

    def history_entries(self) -> int:
        """Entries of the history shown (0 while it is being read)."""
        return 0 if self.is_loading() else self.history.topLevelItemCount()
