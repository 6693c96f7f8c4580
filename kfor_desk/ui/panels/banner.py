"""A strip across the top of the window: read-only mode (red) or a warning to read once (amber).

The text wraps and can be selected; an optional action button (e.g. "Restore newest good
backup…") and, for warnings, a "Dismiss" button.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from kfor_desk.ui import palette


class Banner(QFrame):
    """``kind`` is ``"error"`` (red, stays) or ``"warning"`` (amber, can be dismissed)."""

    actionClicked = Signal()
    dismissed = Signal()

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setObjectName(f"{kind}Banner")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAutoFillBackground(True)
        self.apply_theme()
        self.label = QLabel()
        self.label.setObjectName(f"{kind}BannerText")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action_button = QPushButton()
        self.action_button.setObjectName(f"{kind}BannerAction")
        self.action_button.hide()
        self.action_button.clicked.connect(self.actionClicked)
        self.dismiss_button = QPushButton("Dismiss")
        self.dismiss_button.setObjectName(f"{kind}BannerDismiss")
        self.dismiss_button.setVisible(kind == "warning")
        self.dismiss_button.clicked.connect(self._dismiss)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(12, 8, 12, 8)
        lay.setSpacing(12)
        lay.addWidget(self.label, 1)
        lay.addWidget(self.action_button, 0, Qt.AlignmentFlag.AlignVCenter)
        lay.addWidget(self.dismiss_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.hide()

    def apply_theme(self, _theme: object = None) -> None:
        """The active theme's colours for this kind of strip (View ▸ Night theme)."""
        kind = self.kind
        c = palette.THEME.window_banners[kind]
        self.setStyleSheet(
            f"QFrame#{kind}Banner {{ background: {c.background}; }}"
            f"QFrame#{kind}Banner QLabel {{ color: {c.text}; }}"
            f"QFrame#{kind}Banner QPushButton {{ background: {c.button_background}; "
            f"color: {c.button_text}; border: 1px solid rgba(0,0,0,60); border-radius: 3px; "
            "padding: 4px 10px; font-weight: bold; }")

    def show_message(self, heading: str, lines: list[str], action: str = "") -> None:
        """Show ``heading`` (bold) and ``lines``; ``action`` labels the action button."""
        body = "<br>".join(escape(line) for line in lines)
        self.label.setText(f"<b>{escape(heading)}</b>" + (f"<br>{body}" if body else ""))
        self.action_button.setText(action)
        self.action_button.setVisible(bool(action))
        self.show()

    def text(self) -> str:
        return self.label.text()

    def _dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()
