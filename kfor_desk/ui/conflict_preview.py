"""What a record being entered would create, shown before the operator confirms saving.

The form calls :func:`kfor_desk.services.conflicts.preview` and hands the result here.
``PreviewSummary`` is the embeddable list (conflicts, then attention flags, most severe first);
``ConflictPreviewDialog`` wraps it with the choice "Accept with conflict" / "Back to the form";
``confirm_preview`` runs that dialog only when there is something to show.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kfor_desk.domain.conflicts import flag_sort_key, register_label
from kfor_desk.domain.timefmt import format_dtg
from kfor_desk.services.conflicts import Preview
from kfor_desk.ui import palette

from .conflicts.model import severity_colour

__all__ = ["ConflictPreviewDialog", "PreviewSummary", "confirm_preview", "preview_html"]


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def preview_html(preview: Preview, titles: Mapping[str, str] | None = None) -> str:
    """The preview as rich text: a headline, the conflicts, then the flags."""
    titles = titles or {}
    me = register_label(preview.record)
    who = _esc(me) if preview.record.register_no else f"this {preview.record.kind.label}"
    n_c, n_f = len(preview.conflicts), len(preview.flags)
    if preview.clear:
        return f"<p>Saving <b>{who}</b> creates no conflicts and no attention flags.</p>"
    parts = [f"<p>Saving <b>{who}</b> would create "
             f"<b>{n_c} conflict{'s' if n_c != 1 else ''}</b> and "
             f"{n_f} attention flag{'s' if n_f != 1 else ''}.</p>"]
    if preview.conflicts:
        rows = []
        for c in preview.conflicts:
            other = c.b if c.a == me else c.a
            title = titles.get(other, "")
            when = f"{format_dtg(c.overlap_start)} – {format_dtg(c.overlap_end)}"
            if not c.overlapping:
                when = f"within the margin (gap {when})"
            rows.append(
                f"<tr><td style='color:{palette.ERROR}'>⚠</td><td><b>{_esc(other)}</b> "
                f"{_esc(title)}</td><td align='right'>&nbsp;{c.distance_km:.1f} km&nbsp;</td>"
                f"<td>{_esc(when)}</td></tr>")
        parts.append("<p><b>Conflicts</b></p><table cellspacing='2'>" + "".join(rows)
                     + "</table>")
    if preview.flags:
        rows = []
        for f in sorted(preview.flags, key=flag_sort_key):
            colour = severity_colour(f.severity).name()
            rows.append(f"<tr><td style='color:{colour}'><b>{_esc(f.flag.label)}</b></td>"
                        f"<td>{_esc(f.detail)}</td></tr>")
        parts.append("<p><b>Attention flags</b></p><table cellspacing='2'>" + "".join(rows)
                     + "</table>")
    return "".join(parts)


class PreviewSummary(QLabel):
    """Embeddable summary of a :class:`Preview` (e.g. at the foot of a form)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self._preview: Preview | None = None

    def set_preview(self, preview: Preview | None,
                    titles: Mapping[str, str] | None = None) -> None:
        self._preview = preview
        self.setText("" if preview is None else preview_html(preview, titles))

    def preview(self) -> Preview | None:
        return self._preview


class ConflictPreviewDialog(QDialog):
    """Modal: "Accept with conflict" (accepted) or "Back to the form" (rejected, default)."""

    def __init__(self, preview: Preview, titles: Mapping[str, str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Conflicts and attention flags")
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        self.summary = PreviewSummary()
        self.summary.set_preview(preview, titles)
        layout.addWidget(self.summary)
        hint = QLabel("Accepting saves the record; the conflicts stay open until marked "
                      "deconflicted with a note.")
        hint.setWordWrap(True)
        hint.setStyleSheet(f"color: {palette.HINT};")
        layout.addWidget(hint)
        buttons = QDialogButtonBox()
        accept_text = "Accept with conflict" if preview.conflicts else "Accept with flags"
        self.accept_button: QPushButton = buttons.addButton(
            accept_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.back_button: QPushButton = buttons.addButton(
            "Back to the form", QDialogButtonBox.ButtonRole.RejectRole)
        self.accept_button.setAutoDefault(False)
        self.back_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addStretch(1)
        layout.addWidget(buttons)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.back_button.setFocus()  # Enter goes back to the form; accepting is deliberate


def confirm_preview(parent: QWidget | None, preview: Preview,
                    titles: Mapping[str, str] | None = None) -> bool:
    """``True`` to go on saving: at once when the preview is clear, else the operator's
    choice in :class:`ConflictPreviewDialog`."""
    if preview.clear:
        return True
    dialog = ConflictPreviewDialog(preview, titles, parent)
    try:
        return dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        dialog.deleteLater()
