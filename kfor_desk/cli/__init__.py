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

from kfor_desk import __version__

# Sub-command modules, in help order. Add a module here to add a command.
COMMAND_MODULES = (
    "kfor_desk.cli.cmd_gui",
    "kfor_desk.cli.cmd_db",
    "kfor_desk.cli.cmd_exchange",
    "kfor_desk.cli.cmd_geo",
    "kfor_desk.cli.cmd_conflicts",
    "kfor_desk.cli.cmd_brief",
)


class CliError(Exception):
    """A refusal or failure the user can act on: printed as one line, exit status 1."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kfor-desk",
        description="KFOR Desk: SAF exercise notifications, KSF consent requests, "
                    "deconfliction and briefs, fully offline.",
    )
    parser.add_argument("--version", action="version", version=__version__)
    parser.add_argument(
        "--db", metavar="PATH_OR_URL",
        help="database file or SQLAlchemy URL (default: $KFOR_DESK_DB, else the user data "
             "directory)",
    )
    parser.add_argument("--operator", metavar="NAME",
                        help="operator recorded in the audit trail (default: $KFOR_DESK_OPERATOR,"
                             " else the login name)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
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
