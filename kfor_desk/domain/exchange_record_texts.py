"""The two canonical texts of a new record's audit entry, written straight from the record.

:func:`record_texts` gives what :func:`~.exchange_texts.creation_texts` gives for the record's
exchange form (``canonical_json(form)``, ``canonical_json(creation_changes(form))``) without
building the form: an import writes both texts for every record, and building the form and
walking it was most of that time.

One table says what each field of the form is (:data:`_NOTIFICATION`, :data:`_REQUEST`: the
form's keys are the record's attributes); from it, once, a writer per kind is made with one
straight run of statements per field in the form's sorted key order (the way :mod:`dataclasses`
makes ``__init__``), so the changes come out sorted as they are written: the members of a list
or object flatten to keys that sort right where its own key does (no other key of a form begins
with ``locations``, ``municipalities`` or ``decision.``; list indices are taken in the order
their keys sort, ``[10]`` before ``[1]``). A field of a type the form does not expect there (a
record built by hand) sends the record the general way, as does any other kind of record.
``tests/domain/test_exchange_texts.py`` compares the two ways, byte for byte.

It does not hash anything, validate the record or decide what a state hash covers: the general
functions of :mod:`.exchange` stay the definition, this is their shortcut.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC
from json.encoder import encode_basestring
from typing import Any

from .exchange import _iso, record_to_dict
from .exchange_texts import creation_texts
from .records import ConsentRequest, ExerciseNotification, Location

_str = encode_basestring  # what the canonical encoder (ensure_ascii=False) writes for a str
_int = int.__repr__
_float = float.__repr__

TEXT, OPT_TEXT, ENUM, TIME, COUNT, BOOL, LOCATIONS, MUNICIPALITIES, DECISION = range(9)
_COMMON = {"register_no": OPT_TEXT, "received_at": TIME, "received_by": TEXT,
           "personnel": COUNT, "vehicles": COUNT, "air_assets": OPT_TEXT, "start": TIME,
           "end": TIME, "locations": LOCATIONS, "status": ENUM, "notes": TEXT}
#: what each field of a notification's exchange form is
_NOTIFICATION = _COMMON | {
    "sender_ref": TEXT, "channel": ENUM, "name": TEXT, "exercise_type": ENUM, "units": TEXT,
    "weapon_systems": TEXT, "live_fire": BOOL, "acknowledged_at": TIME,
    "disseminated_at": TIME, "disseminated_to": TEXT, "cancelled_at": TIME,
    "cancel_reason": TEXT, "patrols": ENUM, "liaison_contact": TEXT}
#: what each field of a consent request's exchange form is
_REQUEST = _COMMON | {
    "ksf_ref": TEXT, "requesting_unit": TEXT, "point_of_contact": TEXT, "purpose": ENUM,
    "description": TEXT, "municipalities": MUNICIPALITIES, "route": TEXT,
    "weapons_carried": BOOL, "decision_due": TIME, "review_started_at": TIME,
    "recommendation": TEXT, "recommended_at": TIME, "decision": DECISION,
    "withdrawn_at": TIME, "withdraw_reason": TEXT}
_DECISION = {"authority": TEXT, "decided_at": TIME, "conditions": TEXT, "rationale": TEXT,
             "communicated_at": TIME, "communicated_via": TEXT}


class _Unusual(Exception):
    """A value the writer leaves to the general encoder."""


def record_texts(record: ExerciseNotification | ConsentRequest, register_no: str | None,
                 times: dict[str, str] | None = None) -> tuple[str, str]:
    """(``canonical_json(form)``, ``canonical_json(creation_changes(form))``) of the record's
    exchange form with ``register_no`` as its number.

    ``times``: filled with the ``YYYY-MM-DDTHH:MM:SS`` text of each whole-second UTC time of
    the record written on the way, under its form's flattened key (``start``,
    ``decision.decided_at``): formatting a time is slow, and the caller's rows need the same
    digits."""
    write = _WRITERS.get(type(record))
    if write is not None:
        changes: list[str] = []
        try:
            state = write(record, register_no, changes.append, times)
        except _Unusual:
            pass
        else:
            return state, "[" + ",".join(changes) + "]"
    form = record_to_dict(record)
    form["register_no"] = register_no
    return creation_texts(form)


# ---------------------------------------------------------------- the writers, made once
_FIELD = {
    TEXT: """
    if type(v) is not str: raise _Unusual
    {e} = _str(v)
    if v: change({head} + {e} + "]")""",
    OPT_TEXT: """
    if v is None: {e} = "null"
    elif type(v) is str:
        {e} = _str(v)
        if v: change({head} + {e} + "]")
    else: raise _Unusual""",
    ENUM: """
    v = v._value_
    if type(v) is not str: raise _Unusual
    {e} = _str(v)
    if v: change({head} + {e} + "]")""",
    TIME: """
    if v is None: {e} = "null"
    else:
        if v.tzinfo is UTC and not v.microsecond and v.year >= 1000:  # as _iso, quicker
            s = v.isoformat()[:19]  # no microseconds: no timespec (a keyword costs a third)
            if times is not None: times[{key}] = s
            {e} = '"' + s + 'Z"'
        else:
            {e} = _str(_iso(v))
        change({head} + {e} + "]")""",
    COUNT: """
    if v is None: {e} = "null"
    elif type(v) is int:
        {e} = _int(v)
        if v: change({head} + {e} + "]")
    else: raise _Unusual""",
    BOOL: """
    if v is True:
        {e} = "true"
        change({head} + "true]")
    elif v is False: {e} = "false"
    else: raise _Unusual""",
    LOCATIONS: """
    {e} = _locations(v, change)""",
    MUNICIPALITIES: """
    {e} = _municipalities(v, change)""",
    DECISION: """
    {e} = "null" if v is None else _decision(v, None, change, times)""",
}


def _writer(name: str, fields: dict[str, int], prefix: str = "") -> Callable[..., str]:
    """``name(record, register_no, change, times) -> state text``: one run of statements per
    field of ``fields`` in sorted key order, each change of a new record passed to ``change``
    (``times``: as :func:`record_texts`)."""
    consts: dict[str, Any] = {}
    lines = [f"def {name}(r, register_no, change, times):"]
    state = ['"{"']
    for i, key in enumerate(sorted(fields)):
        consts[f"M{i}"] = ("" if i == 0 else ",") + _str(key) + ":"  # "key":
        consts[f"H{i}"] = "[" + _str(prefix + key) + ",null,"  # ["flat key",null,
        consts[f"K{i}"] = prefix + key
        source = "register_no" if key == "register_no" else f"r.{key}"
        lines.append(f"    v = {source}")
        lines.append(_FIELD[fields[key]].format(e=f"e{i}", head=f"H{i}", key=f"K{i}"))
        state += [f"M{i}", f"e{i}"]
    lines.append(f"    return ''.join(({', '.join(state)}, '}}'))")
    scope: dict[str, Any] = {
        "_Unusual": _Unusual, "_str": _str, "_int": _int, "_iso": _iso, "UTC": UTC,
        "_locations": _locations, "_municipalities": _municipalities, **consts}
    if fields is not _DECISION:
        scope["_decision"] = _decision
    exec("\n".join(lines), scope)  # the source is made above, from constants only
    made: Callable[..., str] = scope[name]
    return made


def _location_heads(i: int) -> tuple[str, str, str, str, str]:
    """``["locations[i].name",null,`` and the same for position, position.lat/lon, radius_m."""
    return tuple(f'["locations[{i}].{k}",null,'  # type: ignore[return-value]
                 for k in ("name", "position", "position.lat", "position.lon", "radius_m"))


_LOCATION_HEADS = [_location_heads(i) for i in range(32)]


def _locations(locs: Any, change: Callable[[str], None]) -> str:
    if type(locs) is not tuple:
        raise _Unusual
    items: list[str] = []
    each: list[list[str]] = []  # the changes of each location, in its keys' order
    for i, loc in enumerate(locs):
        if type(loc) is not Location or type(loc.name) is not str:
            raise _Unusual
        h_name, h_pos, h_lat, h_lon, h_radius = (
            _LOCATION_HEADS[i] if i < len(_LOCATION_HEADS) else _location_heads(i))
        name = _str(loc.name)
        mine = [h_name + name + "]"] if loc.name else []
        pos = loc.position
        if pos is None:
            lat, lon = _number(loc.lat), _number(loc.lon)
            e_pos = f'{{"lat":{lat},"lon":{lon}}}'
            if loc.lat:  # 0.0 == False: left out of a new record's changes
                mine.append(h_lat + lat + "]")
            if loc.lon:
                mine.append(h_lon + lon + "]")
        elif type(pos) is str:
            e_pos = _str(pos)
            if pos:
                mine.append(h_pos + e_pos + "]")
        else:
            raise _Unusual
        radius = loc.radius_m
        if radius is None:
            items.append(f'{{"name":{name},"position":{e_pos}}}')
        elif type(radius) is int:
            e_radius = _int(radius)
            items.append(f'{{"name":{name},"position":{e_pos},"radius_m":{e_radius}}}')
            if radius:
                mine.append(h_radius + e_radius + "]")
        else:
            raise _Unusual
        each.append(mine)
    for i in _order(len(each)):
        for c in each[i]:
            change(c)
    return "[" + ",".join(items) + "]"


def _municipalities(munis: Any, change: Callable[[str], None]) -> str:
    if type(munis) is not tuple:
        raise _Unusual
    values = [m._value_ for m in munis]
    if any(type(x) is not str for x in values):
        raise _Unusual
    for i in _order(len(values)):
        if values[i]:
            change(f'["municipalities[{i}]",null,{_str(values[i])}]')
    return "[" + ",".join([_str(x) for x in values]) + "]"


#: list indices in the order their flattened keys sort ("[10]" before "[1]": "0" < "]")
_INDEX_ORDER = [sorted(range(n), key=lambda i: f"{i}]") for n in range(32)]


def _order(n: int) -> list[int]:
    if n < len(_INDEX_ORDER):
        return _INDEX_ORDER[n]
    return sorted(range(n), key=lambda i: f"{i}]")


def _number(v: Any) -> str:
    if type(v) is float:
        if not math.isfinite(v):
            raise _Unusual
        return _float(v)
    if type(v) is int:
        return _int(v)
    raise _Unusual


_decision = _writer("_decision", _DECISION, "decision.")
_WRITERS: dict[type, Callable[..., str]] = {
    ExerciseNotification: _writer("_notification", _NOTIFICATION),
    ConsentRequest: _writer("_request", _REQUEST),
}
