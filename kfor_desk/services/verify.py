"""``verify``: the database's integrity plus the audit chain, naming the first bad entry.

A full check hashes the whole trail and compares every record with its last entry. The check
on open (``after=`` a head the witness says was verified before) hashes only the entries that
came since and compares only the records they touched, plus two cheap whole-table questions
(records with no entry at all, entries whose record is gone). What it does *not* see: a record
or an old entry edited behind the app's back while the entry hashes were left as they were;
``verify --full`` (run after restores and upgrades) does.

Witnesses held outside the file (head log, backups, a head printed on a brief) are compared
by :mod:`kfor_desk.services.witness`, not here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text

from kfor_desk.domain.exchange import state_hash
from kfor_desk.domain.records import Record
from kfor_desk.store import audit
from kfor_desk.store.errors import CheckStopped, NotFound
from kfor_desk.store.repository import Repository

if TYPE_CHECKING:
    from kfor_desk.store.db import Database

    from .witness_check import WitnessReport

#: a check on open with more entries than this since the last verified head loads every
#: record at once instead of one by one
_BULK = 500


@dataclass(frozen=True, slots=True)
class VerifyReport:
    ok: bool
    records: int
    audit_entries: int
    chain_head: str
    problems: list[str] = field(default_factory=list)
    #: the check hashed only the entries after this one (0: the whole trail)
    checked_after: int = 0

    def summary(self) -> str:
        if self.ok:
            return (f"ok: {self.records} records, {self.audit_entries} audit entries, "
                    f"chain head {self.chain_head}")
        return "FAILED: " + "; ".join(self.problems)


def _break_report(chain: audit.ChainReport) -> list[str]:
    out = [f"audit trail broken at entry {chain.first_bad_seq}: {chain.problem}"]
    if chain.after_range and chain.after_range[1] > (chain.first_bad_seq or 0):
        first, last = chain.after_range
        rest = len(chain.after_break)
        out.append(f"entries {first}–{last} come after the break and cannot be vouched for "
                   f"until it is explained ({rest} record(s) rest on them: they are in the "
                   "trail, not unknown to it)")
    return out


def verify(repo: Repository, full: bool = True,
           should_stop: Callable[[], bool] | None = None, *,
           after: tuple[int, str] | None = None) -> VerifyReport:
    """``full``: ``integrity_check`` instead of ``quick_check``. ``after=(seq, hash)``: a head
    known good (checked by the caller to still be in the file): hash only what came since.
    ``should_stop`` (asked between the steps and every 1,000 entries or records) ends the
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
        chain = audit.verify_chain(conn, should_stop, after=after)
        without, gone = audit.unaudited(conn)
    if not chain.ok:
        problems += _break_report(chain)
    for regno in without:
        problems.append(f"{regno} has no audit entry (added behind the app's back)" if chain.ok
                        else f"{regno} has no audit entry left (its entry may be one of "
                             "those lost at the break)")
    for regno in gone if chain.ok else ():
        if regno.startswith(("SAF-", "KSF-")):
            problems.append(f"{regno} is in the audit trail but missing from the register")
    check_stop()
    last = chain.last_state or {}
    if after is None or len(last) > _BULK:
        notes, reqs = repo.all_records()
        every: list[Record] = [*notes, *reqs]
        records = [r for r in every if after is None or r.register_no in last]
        total = len(notes) + len(reqs)
    else:
        records = []
        for regno in sorted(last):
            with contextlib.suppress(NotFound):  # reported above as missing from the register
                records.append(repo.get(regno))
        total = repo.count_records()
    for n, r in enumerate(records, start=1):
        if n % 1000 == 0:
            check_stop()
        assert r.register_no is not None
        expected = last.get(r.register_no)
        if expected is not None and expected != state_hash(r) and chain.ok:
            problems.append(f"{r.register_no} differs from its last audit entry (changed "
                            "behind the app's back)")
    return VerifyReport(not problems, total, chain.count, chain.head, problems,
                        chain.checked_after)


@dataclass(frozen=True, slots=True)
class DeskCheck:
    """The database's own check and what its witnesses say, together."""

    report: VerifyReport
    witnesses: WitnessReport

    @property
    def ok(self) -> bool:
        return self.report.ok and self.witnesses.ok

    @property
    def problems(self) -> list[str]:
        return [*self.witnesses.problems, *self.report.problems]


def check_desk(db: Database, *, full: bool = False, hand_head: str | None = None,
               backup_folder: Path | None = None, mark: bool = True,
               should_stop: Callable[[], bool] | None = None,
               witness_folder: Path | None = None) -> DeskCheck:
    """Compare ``db`` with its witnesses, then check it: after the head the last check
    reached when the witnesses allow (unless ``full``), else the whole trail. A clean result
    is remembered (``mark``) so the next check starts from here. ``hand_head`` (a head
    printed on a brief, ≥ 16 hex digits) makes the chain check run from the start, since it
    vouches for everything up to that entry."""
    from kfor_desk.store.db import schema_state

    from .backup import default_backup_dir
    from .witness import mark_verified
    from .witness_check import check

    path = db.target.path
    revision = schema_state(db)[0]
    folder = backup_folder or (default_backup_dir(path) if path is not None else None)
    wit = check(db, db_path=path, backup_folder=folder, hand_head=hand_head,
                folder=witness_folder, revision=revision)
    after = None if (full or hand_head is not None) else wit.verified
    report = verify(Repository(db), full=full, should_stop=should_stop, after=after)
    if mark and report.ok and wit.ok:
        with db.read() as conn:
            head = audit.chain_head(conn)
        mark_verified(db, head, revision, witness_folder)
    return DeskCheck(report, wit)
