"""The audit payload written key by key is canonical_json of the entry, byte for byte."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from kfor_desk.domain.exchange import canonical_json
from kfor_desk.domain.timefmt import format_iso
from kfor_desk.services.desk import Desk
from kfor_desk.store import audit
from kfor_desk.store.audit import PendingEntry, _payload

_values = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
_changes = st.lists(st.tuples(st.text(), _values | st.lists(_values) | st.dictionaries(
    st.text(), _values), _values))


def _by_definition(seq: int, op: str, ws: str, e: PendingEntry) -> str:
    return canonical_json({
        "seq": seq, "at": format_iso(e.at) if not e.at.microsecond else e.at.isoformat(),
        "operator": op, "workstation": ws, "entity": e.entity,
        "register_no": e.register_no, "action": e.action,
        "changes": [list(c) for c in e.changes], "reason": e.reason,
        "state_hash": e.state_hash,
    })


@given(seq=st.integers(min_value=1), op=st.text(), ws=st.text(), entity=st.text(),
       regno=st.none() | st.text(), action=st.text(), changes=_changes, reason=st.text(),
       state=st.none() | st.text(), micro=st.integers(min_value=0, max_value=999_999))
def test_payload_is_the_canonical_json_of_the_entry(
        seq: int, op: str, ws: str, entity: str, regno: str | None, action: str,
        changes: list[tuple[str, object, object]], reason: str, state: str | None,
        micro: int) -> None:
    e = PendingEntry(datetime(2026, 11, 26, 17, 0, 0, micro, tzinfo=UTC), entity, regno,
                     action, changes, reason, state)
    assert _payload(seq, op, ws, e) == _by_definition(seq, op, ws, e)


def test_entries_appended_together_hash_as_each_alone(desk: Desk) -> None:
    # append writes the texts an import's entries share once: entries that differ in time,
    # action, entity or reason between neighbours get their own, as _payload writes them
    t0 = datetime(2026, 11, 26, 17, tzinfo=UTC)
    t1 = datetime(2026, 11, 26, 18, 0, 0, 5, tzinfo=UTC)
    same = [PendingEntry(t0, "notification", f"SAF-2026-{i:04d}", "import", (),
                         state_hash=f"{i:064x}", changes_json='[["name",null,"A"]]')
            for i in range(1, 4)]
    mixed = [*same, PendingEntry(t1, "notification", "SAF-2026-0001", "edit", [("a", 1, 2)]),
             PendingEntry(t1, "request", "KSF-2026-0001", "edit", [], "why"),
             PendingEntry(t1, "request", None, "export", [], "why"), same[0]]
    desk.repo.append_audit(desk.actor, mixed)
    with desk.db.read() as conn:
        stored = audit.entries(conn)
    prev = audit.GENESIS
    for e in stored:
        assert e.prev_hash == prev
        assert e.hash == audit.chain_hash(prev, _payload(e.seq, e.operator, e.workstation, e))
        prev = e.hash
    assert [e.action for e in stored] == ["import"] * 3 + ["edit", "edit", "export", "import"]
