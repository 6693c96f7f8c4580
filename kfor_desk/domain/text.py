"""Text folding for search: case, diacritics and letters that do not decompose."""

from __future__ import annotations

import re
import unicodedata

# Combining marks of the blocks Latin, Cyrillic and Greek text decompose into.
_COMBINING = re.compile("[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff"
                        "\u20d0-\u20ff\ufe20-\ufe2f]")
_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ħ": "h", "ł": "l", "ø": "o", "ß": "ss", "ı": "i"})


def fold(text: str) -> str:
    """``Zvečan`` → ``zvecan``, ``Đakovica`` → ``dakovica``; Cyrillic stays Cyrillic, folded."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA))
    return unicodedata.normalize("NFC", _COMBINING.sub("", decomposed)).casefold()


def has_control_chars(text: str, allow_newlines: bool = False) -> bool:
    for c in text:
        if allow_newlines and c in "\n\t":
            continue
        if unicodedata.category(c) in ("Cc", "Cs", "Co", "Cn"):
            return True
    return False
