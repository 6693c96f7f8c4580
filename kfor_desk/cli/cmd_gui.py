"""``gui`` (also the default with no command): the duty officer's window."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("gui", help="the window (the default)")
    p.set_defaults(func=run_gui)


def run_gui(args: argparse.Namespace) -> int:
    from kfor_desk.app import run

    return run(db=args.db, operator=getattr(args, "operator", None))
