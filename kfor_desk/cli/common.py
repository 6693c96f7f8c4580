"""Helpers shared by the sub-commands: opening the database from ``--db``."""

from __future__ import annotations

import argparse

from kfor_desk.services.desk import Desk, default_operator
from kfor_desk.services.session import open_desk, resolve_db


def operator_of(args: argparse.Namespace) -> str:
    return getattr(args, "operator", None) or default_operator()


def desk_from_args(args: argparse.Namespace, readonly: bool = False) -> Desk:
    """Open the existing database named by ``--db`` / ``$KFOR_DESK_DB`` / the default."""
    return open_desk(resolve_db(args.db), operator_of(args), readonly=readonly)
