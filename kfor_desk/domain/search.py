"""What a search looks in and how it matches: one definition for the window, the CLI and the
stored search text.

:func:`haystack` is the folded text of every text field of a record (names, references, units,
notes, locations and their positions, municipalities, decision, and the labels of channel, type,
purpose and status); :func:`terms` splits a query into folded words; a record matches when every
word occurs somewhere in its haystack (:func:`matches`). Folding is :func:`~.text.fold`: Serbian
Cyrillic to Latin, then case and diacritics, so ``vezba``, ``Vežba``, ``вежба`` and ``VEŽBA``
find the same records.

Nothing here reads the database or ranks results.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from .records import ExerciseNotification, Record
from .text import fold


def texts(record: Record) -> Iterator[str]:
    """Every searchable text of ``record`` (unfolded; empty ones included)."""
    yield record.register_no or ""
    if isinstance(record, ExerciseNotification):
        r = record
        yield from (r.name, r.sender_ref, r.received_by, r.units, r.weapon_systems,
                    r.air_assets or "", r.disseminated_to, r.cancel_reason, r.liaison_contact,
                    r.notes, r.channel.label, r.exercise_type.label, r.status.label)
    else:
        q = record
        yield from (q.ksf_ref, q.received_by, q.requesting_unit, q.point_of_contact,
                    q.description, q.route, q.air_assets or "", q.recommendation,
                    q.withdraw_reason, q.notes, q.purpose.label, q.status.label)
        yield from (m.value for m in q.municipalities)
        if q.decision is not None:
            d = q.decision
            yield from (d.authority, d.conditions, d.rationale, d.communicated_via)
    for loc in record.locations:
        yield loc.name
        yield loc.position or ""


def haystack(record: Record) -> str:
    """The folded text a search looks in (one string, fields separated by new lines)."""
    return fold("\n".join(t for t in texts(record) if t))


def terms(query: str) -> tuple[str, ...]:
    """``"Vežba  Копаоник"`` → ``("vezba", "kopaonik")``."""
    return tuple(fold(query).split())


def matches(hay: str, words: Sequence[str]) -> bool:
    """True when every word occurs in the haystack (no words: everything matches)."""
    return all(w in hay for w in words)


def search(records: Iterable[Record], query: str) -> list[Record]:
    """The records matching ``query``, in the order given."""
    words = terms(query)
    return [r for r in records if matches(haystack(r), words)]
