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
# letters that do not decompose, replaced one after another (str.translate with a dict is
# about a hundred times slower on non-ASCII text; no replacement brings back a replaced letter)
_EXTRA = (("đ", "d"), ("Đ", "d"), ("ħ", "h"), ("ł", "l"), ("ø", "o"), ("ß", "ss"), ("ı", "i"))
#: Serbian Cyrillic letter → Latin letter(s) (cyrtranslit's ``sr`` table: 30 letters, both cases).
SERBIAN_TO_LATIN: dict[str, str] = dict(TRANSLIT_DICT["sr"]["tolatin"])
_CYRILLIC = str.maketrans(SERBIAN_TO_LATIN)
# whether a text has any of them at all (most have none: the slow translate is then skipped),
# and their runs: translate costs tens of ns a character of a non-ASCII text, so only the
# Cyrillic words are given to it
_ANY_CYRILLIC = re.compile("[" + re.escape("".join(SERBIAN_TO_LATIN)) + "]")
_CYRILLIC_RUN = re.compile("[" + re.escape("".join(SERBIAN_TO_LATIN)) + "]+")


def _run_to_latin(m: re.Match[str]) -> str:
    return m.group().translate(_CYRILLIC)

# ASCII control characters (category Cc below 128), and the same with newline and tab allowed
_ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ASCII_CONTROL_BUT_NEWLINES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def to_latin(text: str) -> str:
    """``Вежба Копаоник`` → ``Vežba Kopaonik`` (Serbian Cyrillic only; the rest unchanged)."""
    return text.translate(_CYRILLIC)


def fold(text: str) -> str:
    """``Zvečan`` → ``zvecan``, ``Đakovica`` → ``dakovica``, ``Вежба`` → ``vezba``."""
    if text.isascii():  # nothing to transliterate, decompose or strip: the same, cheaply
        return text.casefold()
    if _ANY_CYRILLIC.search(text):
        text = _CYRILLIC_RUN.sub(_run_to_latin, text)  # = text.translate(_CYRILLIC)
    for letter, plain in _EXTRA:
        text = text.replace(letter, plain)
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", _COMBINING.sub("", decomposed)).casefold()


def has_control_chars(text: str, allow_newlines: bool = False) -> bool:
    """Whether ``text`` holds a control, surrogate, private-use or unassigned character
    (newline and tab allowed when asked). ASCII is checked with one regex, other characters
    once each by their Unicode category."""
    if text.isprintable():  # no Cc, Cf, Cs, Co, Cn (nor Z* but the space): most text, in C
        return False
    ascii_re = _ASCII_CONTROL_BUT_NEWLINES if allow_newlines else _ASCII_CONTROL
    if ascii_re.search(text):
        return True
    if text.isascii():
        return False
    return any(unicodedata.category(c) in ("Cc", "Cs", "Co", "Cn")
               for c in set(text) if c > "\x7f")


#: characters that change how text is shown without being seen: bidirectional overrides and
#: isolates (``JIC-\u202egpj.exe`` shows as ``JIC-exe.jpg``), zero-width spaces and joiners,
#: the word joiner and the byte-order mark
INVISIBLE = frozenset("\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                      "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\u061c"
                      "\ufeff\u00ad\u180e")


def first_invisible(text: str) -> tuple[int, str] | None:
    """(1-based position, ``U+XXXX``) of the first invisible formatting character, or None."""
    if text.isascii() or text.isprintable():  # every invisible one is Cf, not printable
        return None
    for i, c in enumerate(text, start=1):
        if c > "\x7f" and (c in INVISIBLE or unicodedata.category(c) == "Cf"):
            return i, f"U+{ord(c):04X}"
    return None
