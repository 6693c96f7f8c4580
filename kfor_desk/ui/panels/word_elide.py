"""Cells that shorten at a word boundary ("training area Тутин …") instead of mid-word."""

from __future__ import annotations

import re

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

ELLIPSIS = "…"
_MARGIN = 14  # the style's text margins, with room to spare
_WORD = re.compile(r"\S+\s*")
_TRAILING = " ·–-,;:"
_FILL = 0.6  # whole words must fill this much of the cell, else the text is cut mid-word


def elide_words(text: str, fm: QFontMetrics, width: int) -> str:
    """``text`` if it fits in ``width`` pixels, else its longest run of whole words that fits
    followed by "…" (Qt's own eliding, mid-word, when those words would fill less than 60 % of
    the cell: a long second word would otherwise leave only the first)."""
    if fm.horizontalAdvance(text) <= width:
        return text
    room = width - fm.horizontalAdvance(ELLIPSIS)
    best = ""
    for m in _WORD.finditer(text):
        head = text[:m.end()].rstrip(_TRAILING)
        if head and fm.horizontalAdvance(head + " ") > room:
            break
        if head:
            best = head
    # whole words, unless they leave most of the cell empty ("Вежба …" of every
    # "Вежба „Копаоник“ 26-73" in a narrow column): then cut inside the word
    if not best or fm.horizontalAdvance(best) < room * _FILL:
        return fm.elidedText(text, Qt.TextElideMode.ElideRight, width)
    return f"{best} {ELLIPSIS}"


class WordElideDelegate(QStyledItemDelegate):
    """Draws the cell as usual, its text shortened at a word boundary."""

    def initStyleOption(self, option: QStyleOptionViewItem,
                        index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        if option.text:
            option.text = elide_words(option.text,
                                      option.fontMetrics,
                                      option.rect.width() - _MARGIN)
