"""Text folding for search: case, diacritics and letters that do not decompose."""

from __future__ import annotations

import unicodedata

_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ħ": "h", "ł": "l", "ø": "o", "ß": "ss", "ı": "i"})


def fold(text: str) -> str:
    """``Zvečan`` → ``zvecan``, ``Đakovica`` → ``dakovica``; Cyrillic stays Cyrillic, folded."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped).casefold()


def has_control_chars(text: str, allow_newlines: bool = False) -> bool:
    for c in text:
        if allow_newlines and c in "\n\t":
            continue
        if unicodedata.category(c) in ("Cc", "Cs", "Co", "Cn"):
            return True
    return False
