"""Search folding and the control-character check: the fast paths give what the plain
definitions give, for every character."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from kfor_desk.domain.text import (
    _COMBINING,
    _CYRILLIC,
    SERBIAN_TO_LATIN,
    fold,
    has_control_chars,
)

_BAD = ("Cc", "Cs", "Co", "Cn")


def _control_by_definition(text: str, allow_newlines: bool) -> bool:
    return any(unicodedata.category(c) in _BAD for c in text
               if not (allow_newlines and c in "\n\t"))


def _fold_by_definition(text: str) -> str:
    extra = str.maketrans({"đ": "d", "Đ": "d", "ħ": "h", "ł": "l", "ø": "o", "ß": "ss",
                           "ı": "i"})
    decomposed = unicodedata.normalize("NFKD", text.translate(_CYRILLIC).translate(extra))
    return unicodedata.normalize("NFC", _COMBINING.sub("", decomposed)).casefold()


def test_every_character_is_judged_by_its_category() -> None:
    wrong = [hex(cp) for cp in range(0x110000)
             if has_control_chars(f"Zvečan {chr(cp)}") != (unicodedata.category(chr(cp)) in _BAD)]
    assert wrong == []


def test_newline_and_tab_only_where_allowed() -> None:
    assert has_control_chars("a\nb") and has_control_chars("a\tb")
    assert not has_control_chars("a\nb\tc", allow_newlines=True)
    assert has_control_chars("a\r\nb", allow_newlines=True)
    assert has_control_chars("Đakovica\x85", allow_newlines=True)  # C1 control (NEL)


@given(st.text(), st.booleans())
def test_control_check_matches_the_definition(text: str, newlines: bool) -> None:
    assert has_control_chars(text, newlines) == _control_by_definition(text, newlines)


@given(st.text())
def test_fold_matches_the_definition(text: str) -> None:
    assert fold(text) == _fold_by_definition(text)


def test_fold_examples() -> None:
    assert fold("Zvečan") == "zvecan"
    assert fold("Đakovica STRASSE ß") == "dakovica strasse ss"
    assert fold("ЗВЕЧАН") == "zvecan"
    assert fold("ЫЭЇ") == "ыэі"  # not Serbian: stays Cyrillic, case and marks folded
    assert fold("PLAIN ascii") == "plain ascii"


@given(st.text(alphabet=st.sampled_from(
    sorted(SERBIAN_TO_LATIN) + list("aZ ž\u0301\u030cЫэї\nđ-1"))))
def test_fold_of_serbian_cyrillic_runs_matches_the_definition(text: str) -> None:
    # only the runs of Serbian Cyrillic letters are transliterated: as the whole text would be
    assert fold(text) == _fold_by_definition(text)
