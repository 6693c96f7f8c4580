"""Problems at their place in the record form: under the field, a red frame, focus on the first.

A :class:`~kfor_desk.domain.validation.Problem` names a record field (``locations[1].position``,
``decision.decided_at``…); this part finds the field of the form that shows it, and puts the
problems that have no field in the banner at the top. It decides no rule and saves nothing.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea, QWidget

from kfor_desk.domain.validation import Problem
from kfor_desk.ui import palette
from kfor_desk.ui.widgets import DtgEdit, FieldError, mark_invalid

from .banners import banner
from .record_layout import RecordFormLayout

_LOC_FIELD = re.compile(r"^locations\[(\d+)\]\.(\w+)$")


class RecordProblems(RecordFormLayout):
    """Showing problems in the record form (see the module docstring)."""

    banner: QLabel
    scroll_area: QScrollArea
    _showing_problems: bool

    # ================================================================== problems
    def clear_problems(self) -> None:
        self._showing_problems = False
        for widget, err in self._fields.values():
            err.set_error(None)
            mark_invalid(widget, False)
        self.locations.clear_errors()
        self.banner.setVisible(False)

    def _target(self, field: str) -> tuple[QWidget | None, FieldError | None]:
        if field in self._fields:
            return self._fields[field]
        m = _LOC_FIELD.match(field)
        if m:
            i, sub = int(m[1]), m[2]
            if i < len(self.locations.rows):
                hit = self.locations.rows[i].error_for(sub)
                if hit is not None:
                    return hit
            return (self.locations.rows[0].name if self.locations.rows else None,
                    self.locations.error)
        if field.startswith("locations"):
            return self.locations.add_button, self.locations.error
        return None, None

    def _time_edit(self, field: str) -> DtgEdit | None:
        """The time field of ``field`` (its line edit is what is registered), if it is one."""
        widget = self._fields.get(field, (None, None))[0]
        holder = widget.parentWidget() if widget is not None else None
        for candidate in (widget, holder):
            if isinstance(candidate, DtgEdit):
                return candidate
        return None

    def current_problems(self) -> list[Problem]:  # pragma: no cover - the dialog's
        raise NotImplementedError

    def _focus_moved(self, old: QWidget | None, new: QWidget | None) -> None:
        """A field was left: after a refused save, check the form again (focus stays)."""
        if not self._showing_problems or self.is_busy() or old is None or old is new:
            return
        try:
            if not self.isVisible() or not self.isAncestorOf(old):
                return
        except RuntimeError:  # the dialog is being deleted
            return
        self.show_problems(self.current_problems(), move_focus=False)

    def show_problems(self, problems: list[Problem] | tuple[Problem, ...], *,
                      move_focus: bool = True) -> None:
        """Each problem at its field (sentences under the field, red frame); problems
        without a field of this form go to the banner at the top. Focus goes to the first
        (unless ``move_focus`` is false: a re-check when a field is left)."""
        self.clear_problems()
        for w in (self.received_at, self.start, self.end):
            w.show_problems()
        for row in self.locations.rows:
            row.position.show_problems()
        loose: list[str] = []
        marked: list[QWidget] = []
        seen: set[tuple[str, str]] = set()
        for p in problems:
            if (p.field, p.message) in seen:
                continue
            seen.add((p.field, p.message))
            widget, err = self._target(p.field)
            if err is None:
                loose.append(p.message)
                continue
            if not _said(self._time_edit(p.field), p.message):  # a time's own line says it
                err.add_error(p.message)
            if widget is not None:
                mark_invalid(widget, True)
                marked.append(widget)
        first = self._first_in_tab_order(marked)
        count = len(seen)
        self._showing_problems = bool(loose or count)
        if loose or count:
            what = "1 problem" if count == 1 else f"{count} problems"
            lines = [f"Not saved: {what} to fix."] + [f"• {m}" for m in loose]
            self._banner("\n".join(lines), "error")
        if first is not None and move_focus:
            self.scroll_area.ensureWidgetVisible(first, 40, 60)
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def _first_in_tab_order(self, widgets: list[QWidget]) -> QWidget | None:
        if not widgets:
            return None
        wanted = set(map(id, widgets))
        w: QWidget | None = self._body.nextInFocusChain()
        for _ in range(5000):
            if w is None or w is self._body:
                break
            if id(w) in wanted:
                return w
            w = w.nextInFocusChain()
        return widgets[0]

    def field_error(self, field: str) -> str:
        """The sentence shown at a field (for tests and accessibility): its error line's, or
        for a time the one its own line shows."""
        _w, err = self._target(field)
        text = err.text() if err is not None else ""
        edit = self._time_edit(field)
        return text or (edit.shown_error() if edit is not None else "")

    def _banner(self, text: str, kind: str) -> None:
        """The banner at the top: ``kind`` "error", "warning" or "ok" (its colours follow the
        theme)."""
        palette.themed_style(self.banner, lambda: banner(kind))
        self.banner.setText(text)
        self.banner.setVisible(True)


def _said(edit: DtgEdit | None, message: str) -> bool:
    """Whether ``edit``'s own line already shows ``message`` (case and final stop aside)."""
    if edit is None:
        return False

    def norm(text: str) -> str:
        return " ".join(text.split()).rstrip(".").lower()

    return bool(edit.shown_error()) and norm(edit.shown_error()) == norm(message)
