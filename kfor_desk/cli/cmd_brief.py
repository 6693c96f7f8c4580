"""``brief daily|record|handover``: the PDF briefs.

Every brief prints the duty officer. With neither ``--operator`` nor ``KFOR_DESK_OPERATOR``,
and a terminal on stdin, the command asks "Who is on shift?" and offers the officer of the
desk's newest audit entry (Enter takes it); without a terminal (a script, cron) it asks
nothing and the brief says plainly that the officer is not named (the OS login is not a name).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from kfor_desk.domain.timefmt import TimeError, parse_when
from kfor_desk.services.marking import clean_classification

from . import CliError
from .common import desk_from_args

if TYPE_CHECKING:
    from kfor_desk.reports.signing import Signing
    from kfor_desk.services.desk import Desk

Ask = Callable[[str], str]  # shows a prompt, returns the line typed (EOFError: none)


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
    p.add_argument("--sign", metavar="CERT.p12", default=None,
                   help="sign the PDF (PAdES) with this PKCS#12 certificate (default: "
                        "$KFOR_DESK_SIGN_P12; its passphrase from $KFOR_DESK_SIGN_PASSPHRASE)")


def _classification(args: argparse.Namespace) -> str | None:
    try:
        return clean_classification(args.classification)
    except ValueError as exc:
        raise CliError(f"--classification: {exc}") from None


def _signing(args: argparse.Namespace) -> Signing | None:
    """The certificate to sign with (``--sign``, else ``$KFOR_DESK_SIGN_P12``), or None."""
    from pathlib import Path

    from kfor_desk.reports.signing import Signing

    p12 = args.sign or os.environ.get("KFOR_DESK_SIGN_P12", "").strip()
    if not p12:
        return None
    return Signing(Path(p12).expanduser(),
                   os.environ.get("KFOR_DESK_SIGN_PASSPHRASE") or None)


def _when(text: str) -> datetime:
    try:
        return parse_when(text)
    except TimeError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _stdin_is_terminal() -> bool:
    try:
        return bool(sys.stdin is not None and sys.stdin.isatty())
    except (AttributeError, ValueError, OSError):  # closed or replaced stdin
        return False


def _ask_terminal(prompt: str) -> str:
    """The prompt on stderr (stdout carries what the command wrote), the answer from stdin."""
    sys.stderr.write(prompt)
    sys.stderr.flush()
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line


def _login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers)
        return ""


def ask_on_shift(args: argparse.Namespace, desk: Desk, ask: Ask | None = None) -> None:
    """Name the duty officer for the brief when nobody was named (see the module's text).

    ``ask`` replaces the terminal (tests); without it the question is put only when stdin is
    a terminal. The offer is the operator of the desk's newest audit entry, unless that is only
    this OS login. An empty answer with nothing offered, or end of input, names nobody."""
    if getattr(args, "operator", None) or os.environ.get("KFOR_DESK_OPERATOR", "").strip():
        return
    if ask is None:
        if not _stdin_is_terminal():
            return
        ask = _ask_terminal
    from kfor_desk.services.desk import Operator

    offer = desk.last_operator() or ""
    if offer == _login():
        offer = ""
    try:
        answer = ask(f"Who is on shift? [{offer}] " if offer else "Who is on shift? ")
    except EOFError:
        return
    name = " ".join(answer.split()) or offer
    if name:
        desk.set_operator(Operator(name))


def run_daily(args: argparse.Namespace) -> int:
    classification = _classification(args)
    desk = desk_from_args(args, readonly=True)
    try:
        ask_on_shift(args, desk)
        from kfor_desk.reports.signing import SigningError
        from kfor_desk.services.briefs import write_daily_brief  # reportlab loads here

        try:
            path = write_daily_brief(desk, args.out, args.as_of, classification=classification,
                                     signing=_signing(args))
        except SigningError as exc:
            raise CliError(str(exc)) from None
    finally:
        desk.close()
    print(f"wrote {path}")
    return 0


def run_record(args: argparse.Namespace) -> int:
    desk = desk_from_args(args, readonly=True)
    try:
        ask_on_shift(args, desk)
        try:
            from kfor_desk.services.briefs import write_record_sheet

            path = write_record_sheet(desk, args.register_no, args.out, args.as_of,
                                      classification=_classification(args),
                                      signing=_signing(args))
        except ValueError as exc:
            raise CliError(str(exc)) from None
    finally:
        desk.close()
    print(f"wrote {path}")
    return 0


def run_handover(args: argparse.Namespace) -> int:
    desk = desk_from_args(args, readonly=True)
    try:
        ask_on_shift(args, desk)
        from kfor_desk.reports.signing import SigningError
        from kfor_desk.services.briefs import write_handover

        try:
            path = write_handover(desk, args.out, args.since, args.as_of,
                                  classification=_classification(args), signing=_signing(args))
        except SigningError as exc:
            raise CliError(str(exc)) from None
    finally:
        desk.close()
    print(f"wrote {path}")
    return 0
