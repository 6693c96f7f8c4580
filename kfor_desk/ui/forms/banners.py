"""The banner styles of the forms and workflow dialogs (error, warning, all clear).

Style only: which banner is shown, and with what sentence, is the dialogs' business.
"""

from __future__ import annotations

from kfor_desk.style import BannerColours
from kfor_desk.ui import palette


def _banner(colours: BannerColours) -> str:
    return (f"QLabel#Banner {{ background: {colours.background}; color: {colours.text}; "
            f"border: 1px solid {colours.border}; border-radius: 4px; padding: 8px; }}")


def banner(kind: str) -> str:
    """The style of a form banner of ``kind`` ("error", "warning", "ok") in the active theme."""
    return _banner(palette.THEME.form_banners[kind])


# the styles when the module loaded (a form made later uses banner(), the active theme)
BANNER_ERROR = _banner(palette.THEME.form_banners["error"])
BANNER_WARN = _banner(palette.THEME.form_banners["warning"])
BANNER_OK = _banner(palette.THEME.form_banners["ok"])
