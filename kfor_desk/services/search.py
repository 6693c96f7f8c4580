"""Find records by text, for the CLI (``kfor-desk find``) and anyone else outside the window.

The window's register filter and :func:`find` use the same functions of
:mod:`kfor_desk.domain.search` (the folded haystack of a record and word matching), so the
command line and the window find the same records for the same text. Nothing here ranks
results or reads anything but the records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kfor_desk.domain import search
from kfor_desk.domain.records import ConsentRequest, ExerciseNotification, Record

if TYPE_CHECKING:
    from .desk import Desk


@dataclass(frozen=True, slots=True)
class Found:
    """One matching record, as the CLI lists it."""

    register_no: str
    kind: str  # "SAF" or "KSF"
    title: str  # the exercise name, or "purpose: title" of a request
    status: str
    record: Record


def title_of(record: Record) -> str:
    if isinstance(record, ExerciseNotification):
        return record.name
    return f"{record.purpose.label}: {record.title}" if record.description \
        else record.purpose.label


def find(desk: Desk, text: str) -> list[Found]:
    """Every notification, then every request, whose text matches ``text`` (every word of it,
    folded), in register-number order; an empty text finds everything."""
    notes, reqs = desk.records()
    out: list[Found] = []
    for group in (notes, reqs):
        hits: list[Record] = search.search(group, text)
        hits.sort(key=lambda r: r.register_no or "")
        out += [Found(r.register_no or "", "KSF" if isinstance(r, ConsentRequest) else "SAF",
                      title_of(r), r.status.label, r) for r in hits]
    return out
