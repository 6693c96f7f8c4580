"""``verify``: the database's integrity plus the audit chain, naming the first bad entry."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import text

from kfor_desk.domain.exchange import state_hash
from kfor_desk.domain.records import Record
from kfor_desk.store import audit
from kfor_desk.store.repository import Repository


@dataclass(frozen=True, slots=True)
class VerifyReport:
    ok: bool
    records: int
    audit_entries: int
    chain_head: str
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.ok:
            return (f"ok: {self.records} records, {self.audit_entries} audit entries, "
                    f"chain head {self.chain_head[:12]}")
        return "FAILED: " + "; ".join(self.problems)


def verify(repo: Repository, full: bool = True) -> VerifyReport:
    problems: list[str] = []
    db = repo.db
    with db.read() as conn:
        if db.target.is_sqlite:
            pragma = "integrity_check" if full else "quick_check"
            res = [r[0] for r in conn.exec_driver_sql(f"PRAGMA {pragma}")]
            if res != ["ok"]:
                problems.append("database damaged: " + "; ".join(res[:3]))
            fk = conn.execute(text("PRAGMA foreign_key_check")).all()
            if fk:
                problems.append(f"{len(fk)} broken references between tables")
        chain = audit.verify_chain(conn)
    if not chain.ok:
        problems.append(f"audit trail broken at entry {chain.first_bad_seq}: {chain.problem}")
    notes, reqs = repo.all_records()
    last = chain.last_state or {}
    seen: set[str] = set()
    records: list[Record] = [*notes, *reqs]
    for r in records:
        assert r.register_no is not None
        seen.add(r.register_no)
        expected = last.get(r.register_no)
        if expected is None:
            problems.append(f"{r.register_no} has no audit entry (added behind the app's back)")
        elif expected != state_hash(r) and chain.ok:
            problems.append(f"{r.register_no} differs from its last audit entry (changed "
                            "behind the app's back)")
    if chain.ok:
        for regno in sorted(set(last) - seen):
            if regno.startswith(("SAF-", "KSF-")):
                problems.append(f"{regno} is in the audit trail but missing from the register")
    return VerifyReport(not problems, len(notes) + len(reqs), chain.count, chain.head, problems)
