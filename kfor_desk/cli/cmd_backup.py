"""``backup [OUT]``, ``backup --list`` and ``restore IN``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kfor_desk.services.backup import backup_name, backup_sqlite
from kfor_desk.services.backups import (
    backup_server_desk_of,
    copy_desk_to,
    is_server,
    list_backups,
    local_database,
    make_backup,
)
from kfor_desk.services.restoring import restore
from kfor_desk.services.session import resolve_db


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("backup", help="a verified backup of the database (to OUT, or into the "
                                      "backup folder); --list shows the backups")
    p.add_argument("out", nargs="?", metavar="OUT",
                   help="backup file or folder (default: the backup folder beside the database)")
    p.add_argument("--list", action="store_true", help="list this database's backups, newest "
                                                       "first")
    p.set_defaults(func=run_backup)

    p = sub.add_parser("copy", help="copy the whole desk (records, marks, settings, audit "
                                    "trail) to DEST, a new or empty SQLite file or server "
                                    "database; verified")
    p.add_argument("dest", metavar="DEST", help="file path or postgresql://… address")
    p.set_defaults(func=run_copy)

    p = sub.add_parser("restore", help="replace the database with a verified backup (the "
                                       "current file is kept aside, never deleted)")
    p.add_argument("backup", metavar="IN", help="the backup file to restore")
    p.set_defaults(func=run_restore)


def _db_path(args: argparse.Namespace) -> Path:
    return local_database(args.db)


def run_copy(args: argparse.Namespace) -> int:
    from kfor_desk.services.session import open_desk, refuse_non_file

    from .common import writer_lock

    refuse_non_file(args.dest)
    with writer_lock(args.dest, "copy"), open_desk(resolve_db(args.db), readonly=True) as desk:
        report = copy_desk_to(desk, args.dest)
    print(report.summary())
    return 0


def _backup_server(args: argparse.Namespace) -> int:
    from kfor_desk.services.copying import local_copy_dir
    from kfor_desk.services.session import open_desk

    if args.list:
        folder = local_copy_dir()
        for p in sorted(folder.glob("*.db"), reverse=True) if folder.is_dir() else []:
            print(p)
        return 0
    with open_desk(resolve_db(args.db), readonly=True) as desk:
        out = backup_server_desk_of(desk, Path(args.out).expanduser() if args.out else None)
    print(f"backed up {desk.target} to the local SQLite desk {out} (verified)")
    return 0


def run_backup(args: argparse.Namespace) -> int:
    if is_server(args.db):
        return _backup_server(args)
    db = _db_path(args)
    if args.list:
        found = list_backups(db)
        if not found:
            print(f"no backups of {db} yet")
        for b in found:
            print(f"{b.taken_at:%Y-%m-%d %H:%M:%SZ}  {b.reason:<28} {b.size:>10}  {b.path}")
        return 0
    if not db.is_file():
        print(f"kfor-desk: there is no database at {db}; check --db (nothing was created)",
              file=sys.stderr)
        return 1
    if args.out is None:
        out = make_backup(db, "manual").path
    else:
        out = Path(args.out).expanduser()
        if out.is_dir():
            out = backup_name(db, out, "manual")
        backup_sqlite(db, out)
    print(f"backed up {db} to {out} (verified)")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    db = _db_path(args)
    from .common import writer_lock

    with writer_lock(str(db), "restore") as lock:
        done = restore(Path(args.backup).expanduser(), db, lock=lock)
    print(f"restored {db} from {done.from_backup} (verified)")
    if done.kept_aside:
        print(f"the previous database was kept as {done.kept_aside}")
    return 0
