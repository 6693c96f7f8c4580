"""Text folding for search: case, diacritics and letters that do not decompose."""

from __future__ import annotations

import re
import unicodedata

# Combining marks of the blocks Latin, Cyrillic and Greek text decompose into.
_COMBINING = re.compile("[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff"
                        "\u20d0-\u20ff\ufe20-\ufe2f]")
# letters that do not decompose, replaced one after another (str.translate with a dict is
# about a hundred times slower on non-ASCII text; no replacement brings back a replaced letter)
_EXTRA = (("đ", "d"), ("Đ", "d"), ("ħ", "h"), ("ł", "l"), ("ø", "o"), ("ß", "ss"), ("ı", "i"))


# ASCII control characters (category Cc below 128), and the same with newline and tab allowed
_ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ASCII_CONTROL_BUT_NEWLINES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def fold(text: str) -> str:
    """``Zvečan`` → ``zvecan``, ``Đakovica`` → ``dakovica``; Cyrillic stays Cyrillic, folded."""
    if text.isascii():  # nothing to translate, decompose or strip: the same result, cheaply
        return text.casefold()
    for letter, plain in _EXTRA:
        text = text.replace(letter, plain)
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", _COMBINING.sub("", decomposed)).casefold()


def has_control_chars(text: str, allow_newlines: bool = False) -> bool:
    """Whether ``text`` holds a control, surrogate, private-use or unassigned character
    (newline and tab allowed when asked). ASCII is checked with one regex, other characters
    once each by their Unicode category."""
    ascii_re = _ASCII_CONTROL_BUT_NEWLINES if allow_newlines else _ASCII_CONTROL
    if ascii_re.search(text):
        return True
    if text.isascii():
        return False
    return any(unicodedata.category(c) in ("Cc", "Cs", "Co", "Cn")
               for c in set(text) if c > "\x7f")
