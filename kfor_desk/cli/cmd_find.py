"""``kfor-desk find TEXT [--json]``: the records whose text matches, as the window's search.

Every word of ``TEXT`` must occur in a record's text (any field), folded like the window's
search box: Serbian Cyrillic and Latin are one script, case and diacritics do not count
(``vezba``, ``Vežba``, ``вежба`` and ``VEŽBA`` find the same records). One line per record:
register number, kind, name or purpose, status. With ``--json`` one JSON array of objects
``{"register_no", "kind", "title", "status"}``. Read-only: the database is opened read-only.
"""

from __future__ import annotations

import argparse
import json

from kfor_desk.services.search import Found, find

from .common import desk_from_args


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "find", help="find records by text (Cyrillic or Latin, any case or accents)",
        description="Notifications and requests whose text matches every word of TEXT, "
                    "exactly as the window's search box finds them.")
    p.add_argument("text", metavar="TEXT", nargs="+", help="words to find (all must match)")
    p.add_argument("--json", action="store_true", help="one JSON array of the records found")
    p.set_defaults(func=run_find)


def found_document(found: list[Found]) -> list[dict[str, str]]:
    """The ``find --json`` array."""
    return [{"register_no": f.register_no, "kind": f.kind, "title": f.title,
             "status": f.status} for f in found]


def run_find(args: argparse.Namespace) -> int:
    text = " ".join(args.text)
    with desk_from_args(args, readonly=True) as desk:
        found = find(desk, text)
    if args.json:
        print(json.dumps(found_document(found), ensure_ascii=False))
        return 0
    if not found:
        print(f"No record matches '{text}'.")
        return 0
    width = max(len(f.status) for f in found)
    for f in found:
        print(f"{f.register_no}  {f.kind}  {f.status:<{width}}  {f.title}")
    print(f"{len(found)} record{'s' if len(found) != 1 else ''} found.")
    return 0
