"""One desk of the many-writers test (a separate process): optionally imports a file, then
registers records and amends records other desks made, reloading after a refused stale edit.
Prints one JSON line: what it created, imported, skipped and how many edits it saved."""

from __future__ import annotations

import json
import random
import sys
import time
from dataclasses import replace

from kfor_desk.services.desk import Desk
from kfor_desk.services.exchange import import_json
from kfor_desk.services.session import open_desk
from kfor_desk.store.errors import ConcurrentEdit, DatabaseLocked
from tests.factories import make_notification, make_request


def main(location: str, name: str, start_at: float, rounds: int, import_file: str) -> None:
    desk: Desk = open_desk(location, f"Capt {name}")
    desk.workstation = f"JOC-{name}"
    rng = random.Random(name)
    out: dict[str, object] = {"created": [], "imported": [], "skipped": [], "edits": 0,
                              "stale": 0}
    time.sleep(max(0.0, start_at - time.time()))
    if import_file:
        report = import_json(desk, import_file)
        out["imported"], out["skipped"] = report.imported, report.skipped
    for i in range(rounds):
        make = make_notification if i % 2 == 0 else make_request
        saved = desk.register(make(notes=f"{name} round {i}")).record
        out["created"].append(saved.register_no)  # type: ignore[attr-defined]
        notes = desk.records()[0]
        if notes:
            target = rng.choice(notes)
            while True:
                try:
                    desk.amend(target, replace(target, personnel=(target.personnel or 0) + 1),
                               reason=f"{name} edit")
                    out["edits"] = int(out["edits"]) + 1  # type: ignore[call-overload]
                    break
                except ConcurrentEdit:
                    out["stale"] = int(out["stale"]) + 1  # type: ignore[call-overload]
                    target = desk.record(target.register_no or "")
                except DatabaseLocked:
                    time.sleep(0.05)
    desk.close()
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
