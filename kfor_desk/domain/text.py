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


#: characters that change how text is shown without being seen: bidirectional overrides and
#: isolates (``JIC-\u202egpj.exe`` shows as ``JIC-exe.jpg``), zero-width spaces and joiners,
#: the word joiner and the byte-order mark
INVISIBLE = frozenset("\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                      "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\u061c"
                      "\ufeff\u00ad\u180e")


def first_invisible(text: str) -> tuple[int, str] | None:
    """(1-based position, ``U+XXXX``) of the first invisible formatting character, or None."""
    for i, c in enumerate(text, start=1):
        if c in INVISIBLE or unicodedata.category(c) == "Cf":
            return i, f"U+{ord(c):04X}"
    return None
