"""``brief daily|record|handover``: the PDF briefs."""

from __future__ import annotations

import argparse
from datetime import datetime

from kfor_desk.domain.timefmt import TimeError, parse_when
from kfor_desk.services.marking import clean_classification

from . import CliError
from .common import desk_from_args


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("brief", help="PDF briefs: daily deconfliction brief, record sheet, "
                                     "shift handover")
    kinds = p.add_subparsers(dest="brief", metavar="KIND", required=True)

    d = kinds.add_parser("daily", help="the daily deconfliction brief")
    d.add_argument("out", metavar="OUT.pdf")
    _common(d)
    d.set_defaults(func=run_daily)

    r = kinds.add_parser("record", help="the record sheet of one notification or request")
    r.add_argument("register_no", metavar="REGISTER_NO")
    r.add_argument("out", metavar="OUT.pdf")
    _common(r)
    r.set_defaults(func=run_record)

    h = kinds.add_parser("handover", help="shift handover: changes since a time, what is pending")
    h.add_argument("out", metavar="OUT.pdf")
    h.add_argument("--since", metavar="WHEN", type=_when, default=None,
                   help="a DTG or ISO time; default 12 hours before the as-of time")
    _common(h)
    h.set_defaults(func=run_handover)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--as-of", metavar="WHEN", type=_when, default=None,
                   help="a DTG (261700ZNOV26) or ISO time (2026-11-26T17:00Z); default now. "
                        "The same records and the same as-of give the same bytes")
    p.add_argument("--classification", metavar="TEXT", default=None,
                   help="the marking printed top and bottom of every page (default: the "
                        "desk's setting, NATO UNCLASSIFIED)")


def _classification(args: argparse.Namespace) -> str | None:
    try:
        return clean_classification(args.classification)
    except ValueError as exc:
        raise CliError(f"--classification: {exc}") from None


def _when(text: str) -> datetime:
    try:
        return parse_when(text)
    except TimeError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def run_daily(args: argparse.Namespace) -> int:
    classification = _classification(args)
    desk = desk_from_args(args, readonly=True)
    try:
        from kfor_desk.services.briefs import write_daily_brief  # reportlab loads here

        path = write_daily_brief(desk, args.out, args.as_of, classification=classification)
    finally:
        desk.close()
    print(f"wrote {path}")
    return 0


def run_record(args: argparse.Namespace) -> int:
    desk = desk_from_args(args, readonly=True)
    try:
        try:
            from kfor_desk.services.briefs import write_record_sheet

            path = write_record_sheet(desk, args.register_no, args.out, args.as_of,
                                      classification=_classification(args))
        except ValueError as exc:
            raise CliError(str(exc)) from None
    finally:
        desk.close()
    print(f"wrote {path}")
    return 0


def run_handover(args: argparse.Namespace) -> int:
    desk = desk_from_args(args, readonly=True)
    try:
        from kfor_desk.services.briefs import write_handover

        path = write_handover(desk, args.out, args.since, args.as_of,
                              classification=_classification(args))
    finally:
        desk.close()
    print(f"wrote {path}")
    return 0
