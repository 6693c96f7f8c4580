"""The banner styles of the forms and workflow dialogs (error, warning, all clear).

Style only: which banner is shown, and with what sentence, is the dialogs' business.
"""

from __future__ import annotations

from kfor_desk.ui.widgets.field_error import ERROR_COLOUR

BANNER_ERROR = (f"QLabel#Banner {{ background: #fdecea; color: {ERROR_COLOUR}; "
                "border: 1px solid #f2b8b5; border-radius: 4px; padding: 8px; }")
BANNER_WARN = ("QLabel#Banner { background: #fff4d6; color: #5c4400; "
               "border: 1px solid #e6c770; border-radius: 4px; padding: 8px; }")
BANNER_OK = ("QLabel#Banner { background: #e6f4ea; color: #1f5130; "
             "border: 1px solid #a8d5b5; border-radius: 4px; padding: 8px; }")
