"""Text folding for search: Serbian Cyrillic to Latin, then case and diacritics.

Serbian is written in two scripts with an exact letter-for-letter correspondence (ж ↔ ž,
ђ ↔ đ, љ ↔ lj, њ ↔ nj, џ ↔ dž …). :func:`fold` transliterates Serbian Cyrillic to Latin with
the table of the ``cyrtranslit`` library, then folds case and diacritics (ž → z, ë → e,
ç → c, đ → d), so ``вежба``, ``Vežba``, ``VEŽBA`` and ``vezba`` all fold to ``vezba``.

It does not transliterate other Cyrillic alphabets' own letters (ы, э, ї … stay Cyrillic,
folded for case), does not guess ASCII spellings such as ``dj`` for ``đ``, and is not meant for
display: folded text is only compared with folded text.
"""

from __future__ import annotations

import re
import unicodedata

from cyrtranslit.mapping import TRANSLIT_DICT

# Combining marks of the blocks Latin, Cyrillic and Greek text decompose into.
_COMBINING = re.compile("[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff"
                        "\u20d0-\u20ff\ufe20-\ufe2f]")
_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ħ": "h", "ł": "l", "ø": "o", "ß": "ss", "ı": "i"})
#: Serbian Cyrillic letter → Latin letter(s) (cyrtranslit's ``sr`` table: 30 letters, both cases).
SERBIAN_TO_LATIN: dict[str, str] = dict(TRANSLIT_DICT["sr"]["tolatin"])
_CYRILLIC = str.maketrans(SERBIAN_TO_LATIN)


def to_latin(text: str) -> str:
    """``Вежба Копаоник`` → ``Vežba Kopaonik`` (Serbian Cyrillic only; the rest unchanged)."""
    return text.translate(_CYRILLIC)


def fold(text: str) -> str:
    """``Zvečan`` → ``zvecan``, ``Đakovica`` → ``dakovica``, ``Вежба`` → ``vezba``."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_CYRILLIC).translate(_EXTRA))
    return unicodedata.normalize("NFC", _COMBINING.sub("", decomposed)).casefold()


def has_control_chars(text: str, allow_newlines: bool = False) -> bool:
    for c in text:
        if allow_newlines and c in "\n\t":
            continue
        if unicodedata.category(c) in ("Cc", "Cs", "Co", "Cn"):
            return True
    return False
