"""``init``, ``demo`` and ``verify``."""

from __future__ import annotations

import argparse
import re
import sys

from kfor_desk.services.demo import create_demo
from kfor_desk.services.session import create_desk, resolve_db

from .common import desk_from_args, operator_of, writer_lock


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("init", help="create a new, empty database (never overwrites)")
    p.add_argument("--training", action="store_true",
                   help="mark it as a training database (briefs print EXERCISE)")
    p.set_defaults(func=run_init)

    p = sub.add_parser("demo", help="create a training database filled with realistic records")
    p.add_argument("--records", type=int, default=60, metavar="N",
                   help="how many records (default 60)")
    p.set_defaults(func=run_demo)

    p = sub.add_parser("verify", help="database integrity and audit-trail check, compared "
                                      "with the witnesses kept outside the file (head log, "
                                      "backups)")
    p.add_argument("--full", action="store_true",
                   help="hash the whole trail and compare every record (default: only what "
                        "came after the head the last check reached)")
    p.add_argument("--head", metavar="HEX",
                   help="a head printed earlier, e.g. on a brief (at least 16 hex digits): "
                        "check that this database still holds that entry, unchanged")
    p.set_defaults(func=run_verify)

    p = sub.add_parser("grant-desk", help="on a PostgreSQL server, as the database's owner: "
                                          "let ROLE work at the desk (read and write records;"
                                          " the audit trail only read and appended)")
    p.add_argument("role", metavar="ROLE")
    p.set_defaults(func=run_grant_desk)


def run_init(args: argparse.Namespace) -> int:
    location = resolve_db(args.db)
    with writer_lock(location, "init"):
        create_desk(location, operator_of(args), training=args.training).close()
    kind = "training database" if args.training else "database"
    print(f"created {kind} {location}")
    return 0


def run_demo(args: argparse.Namespace) -> int:
    if args.records < 0 or args.records > 1_000_000:
        print("kfor-desk: --records must be between 0 and 1,000,000", file=sys.stderr)
        return 2
    location = resolve_db(args.db)
    with writer_lock(location, "demo"):
        create_demo(location, args.records).close()
    print(f"created training database {location} with {args.records} records")
    return 0


def run_verify(args: argparse.Namespace) -> int:
    head = args.head.strip().lower() if args.head is not None else None
    if head is not None and not re.fullmatch(r"[0-9a-f]{16,64}", head):
        print("kfor-desk: verify: --head takes 16 to 64 hex digits (the head printed on a "
              "brief)", file=sys.stderr)
        return 2
    desk = desk_from_args(args, readonly=True)
    try:
        done = desk.check(full=args.full, hand_head=head)
    finally:
        desk.close()
    for note in done.witnesses.notes:
        print(f"kfor-desk: verify: note: {note}", file=sys.stderr)
    if done.ok:
        report = done.report
        print(report.summary())
        if report.checked_after:
            print(f"hashed the entries after {report.checked_after} (the ones before were "
                  "verified earlier; 'verify --full' hashes them all)")
        compared = done.witnesses.compared
        print("witnesses: " + ("; ".join(compared) if compared else
                               "none found (no head log, no backup of this desk)"))
        if head is not None:
            print(f"the head {head} is held, unchanged, with only additions after it")
        return 0
    for problem in done.problems:
        print(f"kfor-desk: verify: {problem}", file=sys.stderr)
    return 1


def run_grant_desk(args: argparse.Namespace) -> int:
    from kfor_desk.services.session import grant_desk

    grant_desk(resolve_db(args.db), args.role)
    print(f"{args.role} may now work at this desk; it can only read and append the audit trail")
    return 0
