"""``verify``: the database's integrity plus the audit chain, naming the first bad entry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import text

from kfor_desk.domain.exchange import state_hash
from kfor_desk.domain.records import Record
from kfor_desk.store import audit
from kfor_desk.store.errors import CheckStopped
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


def verify(repo: Repository, full: bool = True,
           should_stop: Callable[[], bool] | None = None) -> VerifyReport:
    """``should_stop`` (asked between the steps and every 1,000 entries or records) ends the
    check early with :class:`~kfor_desk.store.errors.CheckStopped`: nothing concluded."""

    def check_stop() -> None:
        if should_stop is not None and should_stop():
            raise CheckStopped("the check was stopped before it finished")

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
        check_stop()
        chain = audit.verify_chain(conn, should_stop)
    if not chain.ok:
        problems.append(f"audit trail broken at entry {chain.first_bad_seq}: {chain.problem}")
    check_stop()
    notes, reqs = repo.all_records()
    last = chain.last_state or {}
    seen: set[str] = set()
    records: list[Record] = [*notes, *reqs]
    for n, r in enumerate(records, start=1):
        if n % 1000 == 0:
            check_stop()
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
