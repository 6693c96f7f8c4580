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

from collections.abc import Iterable, Sequence

from .records import ExerciseNotification, Record
from .text import fold


def texts(record: Record) -> list[str]:
    """Every searchable text of ``record`` (unfolded; empty ones included), in order."""
    if isinstance(record, ExerciseNotification):
        r = record
        out = [r.register_no or "", r.name, r.sender_ref, r.received_by, r.units,
               r.weapon_systems, r.air_assets or "", r.disseminated_to, r.cancel_reason,
               r.liaison_contact, r.notes, r.channel.label, r.exercise_type.label,
               r.status.label]
    else:
        q = record
        out = [q.register_no or "", q.ksf_ref, q.received_by, q.requesting_unit,
               q.point_of_contact, q.description, q.route, q.air_assets or "",
               q.recommendation, q.withdraw_reason, q.notes, q.purpose.label, q.status.label]
        out += [m._value_ for m in q.municipalities]
        if q.decision is not None:
            d = q.decision
            out += (d.authority, d.conditions, d.rationale, d.communicated_via)
    for loc in record.locations:
        out.append(loc.name)
        out.append(loc.position or "")
    return out


def haystack(record: Record) -> str:
    """The folded text a search looks in (one string, fields separated by new lines).

    That is ``fold("\\n".join(the non-empty texts))``, folded a text at a time: folding
    never looks across a new line (no letter or mark joins one), and most texts are ASCII,
    folded in one call, where the joined text of nearly every record is not."""
    return "\n".join([t.casefold() if t.isascii() else fold(t)  # as fold does, one call less
                      for t in texts(record) if t])


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
