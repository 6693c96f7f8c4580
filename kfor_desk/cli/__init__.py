"""``kfor-desk``: the command line, the second face on the same services as the window.

Each sub-command lives in its own module with ``register(subparsers)``; the module sets
``func`` on its parser. Exit status: 0 done, 1 refused or failed (one line on stderr, never a
traceback), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from kfor_desk import __version__
from kfor_desk.domain.errors import UserError

# Sub-command modules, in help order. Add a module here to add a command.
COMMAND_MODULES = (
    "kfor_desk.cli.cmd_gui",
    "kfor_desk.cli.cmd_db",
    "kfor_desk.cli.cmd_exchange",
    "kfor_desk.cli.cmd_geo",
    "kfor_desk.cli.cmd_conflicts",
    "kfor_desk.cli.cmd_find",
    "kfor_desk.cli.cmd_brief",
    "kfor_desk.cli.cmd_backup",
)


class CliError(UserError):
    """A refusal or failure the user can act on: printed as one line, exit status 1."""


class _NotQuick(Exception):
    """The quick parse cannot decide: the full parser (with every command) takes over."""


class _QuickParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _NotQuick(message)


DB_HELP = ("database file or server URL, before or after the command (default: "
           "$KFOR_DESK_DB, else kfor-desk.db in the user data folder — the window's default "
           "too)")
OPERATOR_HELP = ("operator recorded in the audit trail (default: $KFOR_DESK_OPERATOR, else the "
                 "login name)")


def _add_global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--version", action="version", version=__version__)
    parser.add_argument("--db", metavar="PATH_OR_URL", help=DB_HELP)
    parser.add_argument("--operator", metavar="NAME", help=OPERATOR_HELP)


def _add_command_options(parser: argparse.ArgumentParser) -> None:
    """``--db`` and ``--operator`` after the command too (``kfor-desk verify --db X``); given
    there, they win over the same option before the command."""
    parser.add_argument("--db", metavar="PATH_OR_URL", default=argparse.SUPPRESS, help=DB_HELP)
    parser.add_argument("--operator", metavar="NAME", default=argparse.SUPPRESS,
                        help=OPERATOR_HELP)


def _quick_parse(argv: Sequence[str] | None) -> argparse.Namespace | None:
    """Parse ``--version`` and the bare window start (global options only) without importing
    the command modules, which pull in SQLAlchemy, numpy, pyproj and reportlab; anything else
    (a command, ``--help``, a usage error) returns None for the full parser."""
    quick = _QuickParser(prog="kfor-desk", add_help=False)
    _add_global_options(quick)
    try:
        args, rest = quick.parse_known_args(argv)
    except _NotQuick:
        return None
    return None if rest else args


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kfor-desk",
        description="KFOR Desk: SAF exercise notifications, KSF consent requests, "
                    "deconfliction and briefs, fully offline.",
    )
    _add_global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    for command in _commands(sub):
        _add_command_options(command)
    return parser


def _commands(sub: argparse._SubParsersAction) -> list[argparse.ArgumentParser]:  # type: ignore[type-arg]
    """Every command's parser, and the parsers of its own sub-commands (``brief daily``)."""
    found: list[argparse.ArgumentParser] = []
    for parser in dict.fromkeys(sub.choices.values()):
        nested = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if nested:
            for inner in nested:
                found += _commands(inner)
        else:
            found.append(parser)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    args = _quick_parse(argv) or build_parser().parse_args(argv)
    if hasattr(os, "umask"):
        os.umask(0o077)  # databases, backups, exports and logs: the owner's only
    func = getattr(args, "func", None)
    if func is None:  # no sub-command: the GUI
        from kfor_desk.cli.cmd_gui import run_gui

        func = run_gui
    try:
        code = func(args)
    except KeyboardInterrupt:
        print("kfor-desk: interrupted", file=sys.stderr)
        return 1
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except CliError as exc:
        print(f"kfor-desk: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # user-facing errors of lower layers
        from kfor_desk.cli.errors import describe_user_error

        message = describe_user_error(exc)
        if message is None:
            raise
        print(f"kfor-desk: {message}", file=sys.stderr)
        return 1
    return int(code or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
