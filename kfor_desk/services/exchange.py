"""JSON exchange files of format ``kfor-desk/1`` (see ``shared/design/interchange.md``).

Import is all or nothing: any invalid record means nothing changes and every problem is reported
with its place. A record whose ``register_no`` exists is reported and skipped, never duplicated or
overwritten. Export → import into an empty database → export gives the same records.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

from kfor_desk.domain.errors import InputError
from kfor_desk.domain.exchange import FORMAT, notification_to_dict, request_to_dict
from kfor_desk.domain.exchange_read import Relate, notification_from_dict, request_from_dict
from kfor_desk.domain.gcpause import gc_paused
from kfor_desk.domain.records import AblRelation, Record
from kfor_desk.domain.timefmt import format_iso, utc_now
from kfor_desk.domain.validation import Problem

from .desk import Desk
from .files import write_atomic
from .geo import position_tuple
from .marking import marking_of

Progress = Callable[[int, int], None]
MAX_IMPORT_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ImportReport:
    imported: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # register numbers that already exist
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.problems:
            return (f"nothing imported: {len(self.problems)} problem(s) in the file")
        verb = "would import" if self.dry_run else "imported"
        text = f"{verb} {len(self.imported)} record(s)"
        if self.skipped:
            text += (f"; skipped {len(self.skipped)} that already exist: "
                     + ", ".join(self.skipped[:10]) + (" …" if len(self.skipped) > 10 else ""))
        return text


def export_document(desk: Desk, classification: str | None = None) -> dict[str, Any]:
    """The ``kfor-desk/1`` document with the marking as top-level fields (``classification``,
    ``releasability``, ``exercise``); an importer ignores them."""
    notes, reqs = desk.repo.all_records()
    marking = marking_of(desk.settings(), desk.is_training(), classification)
    return {
        "format": FORMAT,
        "classification": marking.classification,
        "releasability": marking.releasability,
        "exercise": marking.training,
        "marking": marking.one_line,
        "exported_at": format_iso(desk.clock()),
        "exercise_notifications": [notification_to_dict(n) for n in notes],
        "consent_requests": [request_to_dict(r) for r in reqs],
    }


def export_json(desk: Desk, path: str | Path, classification: str | None = None) -> int:
    """Write every record to ``path`` atomically; returns the number of records."""
    doc = export_document(desk, classification)
    data = json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
    write_atomic(path, data)
    return len(doc["exercise_notifications"]) + len(doc["consent_requests"])


def parse_document(doc: Any, with_abl: bool = False) -> tuple[list[Record], list[Problem]]:
    """Every record of a ``kfor-desk/1`` document, or every problem with its place.

    ``with_abl``: every location also carries its ABL relation, computed for all the file's
    positions at once (as :func:`~.geo.with_abl_many` would, without building each record a
    second time)."""
    problems: list[Problem] = []
    records: list[Record] = []
    if not isinstance(doc, dict):
        return [], [Problem("(file)", "is not a kfor-desk/1 object")]
    if doc.get("format") != FORMAT:
        return [], [Problem("format", f"expected \"{FORMAT}\", found {doc.get('format')!r}")]
    relate = _file_relations(doc) if with_abl else None
    for key, reader in (("exercise_notifications", notification_from_dict),
                        ("consent_requests", request_from_dict)):
        items = doc.get(key, [])
        if items is None:
            continue
        if not isinstance(items, list):
            problems.append(Problem(key, "must be a list"))
            continue
        for i, item in enumerate(items):
            place = f"{key}[{i}]"
            if not isinstance(item, dict):
                problems.append(Problem(place, "must be an object"))
                continue
            rec = reader(item, place, position_tuple, problems, relate)
            if rec is not None:
                records.append(rec)
    seen: dict[str, int] = {}
    for r in records:
        if r.register_no:
            seen[r.register_no] = seen.get(r.register_no, 0) + 1
    for regno, count in seen.items():
        if count > 1:
            problems.append(Problem(regno, f"appears {count} times in the file"))
    return records, problems


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)  # in C; only when it comes out shorter is a key looked for
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return out


def _file_relations(doc: dict[str, Any]) -> Relate:
    """The ABL relation of every readable position in the file, computed at once; a position
    not met here (none should be) gets its own, and one out of range none (its record is
    refused by validation anyway)."""
    from kfor_desk.domain.geo.abl import abl_index

    coords: set[tuple[float, float]] = set()
    for key in ("exercise_notifications", "consent_requests"):
        items = doc.get(key)
        for item in items if isinstance(items, list) else ():
            locs = item.get("locations") if isinstance(item, dict) else None
            for loc in locs if isinstance(locs, list) else ():
                pos = loc.get("position") if isinstance(loc, Mapping) else None
                if isinstance(pos, str):
                    try:
                        lat, lon, _ = position_tuple(pos)
                    except ValueError:
                        continue
                elif isinstance(pos, Mapping):
                    lat_v, lon_v = pos.get("lat"), pos.get("lon")
                    if not (_number(lat_v) and _number(lon_v)):
                        continue
                    lat, lon = float(lat_v), float(lon_v)
                else:
                    continue
                if _in_range(lat, lon):
                    coords.add((lat, lon))
    keys = list(coords)
    table = dict(zip(keys, abl_index().relations([k[0] for k in keys], [k[1] for k in keys])
                     if keys else [], strict=True))

    def relate(lat: float, lon: float) -> AblRelation | None:
        rel = table.get((lat, lon))
        if rel is None and _in_range(lat, lon):
            rel = abl_index().relation(lat, lon)
        return rel

    return relate


def _number(value: Any) -> TypeGuard[int | float]:
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value))


def _in_range(lat: float, lon: float) -> bool:
    return math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180


def read_document(path: str | Path) -> Any:
    p = Path(path)
    try:
        if p.stat().st_size > MAX_IMPORT_BYTES:
            raise InputError(f"{p} is larger than {MAX_IMPORT_BYTES // 2**20} MiB")
        raw = p.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {p}: {exc.strerror}") from None
    try:
        return json.loads(raw.decode("utf-8-sig"), object_pairs_hook=_no_duplicate_keys)
    except _DuplicateKey as exc:
        raise ValueError(f"{p}: the key \"{exc.key}\" appears twice in one object (which one "
                         "counts is not defined); nothing was imported — remove one") from None
    except RecursionError:
        raise ValueError(f"{p} nests lists or objects too deeply to be a kfor-desk/1 file; "
                         "nothing was imported") from None
    except UnicodeDecodeError:
        raise InputError(f"{p} is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{p} is not valid JSON (line {exc.lineno}, column {exc.colno}: "
                         f"{exc.msg}); nothing was imported") from None


def import_json(desk: Desk, path: str | Path, dry_run: bool = False) -> ImportReport:
    """Import a file; ``ValueError`` for an unreadable file, else a report (check ``ok``)."""
    with gc_paused():  # the file's values, the records and their rows: millions, no cycles
        return _import(desk, path, dry_run)


def _import(desk: Desk, path: str | Path, dry_run: bool) -> ImportReport:
    records, problems = parse_document(read_document(path), with_abl=not dry_run)
    if problems:
        return ImportReport(problems=problems, dry_run=dry_run)
    from kfor_desk.store.errors import DuplicateRegisterNo

    for attempt in range(3):
        existing = desk.repo.existing_register_nos()
        skipped = [r.register_no for r in records if r.register_no in existing]
        fresh = [r for r in records if r.register_no not in existing]
        if dry_run:
            return ImportReport([r.register_no or "(new)" for r in fresh],
                                [s for s in skipped if s], [], True)
        try:
            imported, _ = desk.repo.bulk_create(fresh, desk.actor, "import",
                                                at=desk.clock() if fresh else utc_now())
        except DuplicateRegisterNo:
            # another desk imported some of these records meanwhile (a shared server): skip
            # what it saved and import the rest; the third time, refuse with its sentence
            if attempt == 2:
                raise
            continue
        return ImportReport(imported, [s for s in skipped if s], [])
    raise AssertionError("unreachable")

