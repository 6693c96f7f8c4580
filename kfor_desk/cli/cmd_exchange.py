"""``import`` and ``export``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kfor_desk.services.exchange import export_json, import_json
from kfor_desk.services.marking import clean_classification
from kfor_desk.services.session import resolve_db

from . import CliError
from .common import desk_from_args, writer_lock


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("import", help="import a kfor-desk/1 JSON file (all or nothing)")
    p.add_argument("file", metavar="FILE.json")
    p.add_argument("--dry-run", action="store_true", help="check the file, change nothing")
    p.set_defaults(func=run_import)

    p = sub.add_parser("export", help="export every record (JSON; CSV, XLSX, ICS)")
    p.add_argument("file", metavar="FILE.json|.csv|.xlsx|.ics")
    p.add_argument("--classification", metavar="TEXT", default=None,
                   help="the marking the file carries (default: the desk's setting)")
    p.set_defaults(func=run_export)


def run_import(args: argparse.Namespace) -> int:
    if args.dry_run:
        return _import(args)
    with writer_lock(resolve_db(args.db), "import"):  # a restore meanwhile would replace the file
        return _import(args)


def _import(args: argparse.Namespace) -> int:
    desk = desk_from_args(args)
    try:
        try:
            report = import_json(desk, args.file, dry_run=args.dry_run)
        except ValueError as exc:
            print(f"kfor-desk: {exc}", file=sys.stderr)
            return 1
    finally:
        desk.close()
    if not report.ok:
        print(f"kfor-desk: {report.summary()}", file=sys.stderr)
        for problem in report.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print(report.summary())
    return 0


def run_export(args: argparse.Namespace) -> int:
    suffix = Path(args.file).suffix.lower()
    try:
        classification = clean_classification(args.classification)
    except ValueError as exc:
        raise CliError(f"--classification: {exc}") from None
    desk = desk_from_args(args, readonly=True)
    try:
        if suffix == ".json":
            count = export_json(desk, args.file, classification)
        else:
            from kfor_desk.services.tables import WRITERS, export

            if suffix not in WRITERS:
                print(f"kfor-desk: cannot export to '{suffix or args.file}': use .json, .csv, "
                      ".xlsx or .ics", file=sys.stderr)
                return 2
            count = export(desk, args.file, classification)
    finally:
        desk.close()
    print(f"exported {count} records to {args.file}")
    return 0
