"""The two canonical texts of a new record, in one walk over its exchange form.

A new record's audit entry carries ``canonical_json(creation_changes(form))`` (its field-level
changes) and ``sha256(canonical_json(form))`` (its state hash). Built the general way that is
two encodings and a flattened copy of the form per record, most of an import's time.
:func:`creation_texts` writes both texts while walking the form once, byte for byte what the
general functions of :mod:`.exchange` give (``tests/domain/test_exchange_texts.py`` compares
them on generated records and on odd values); a value the walk does not know (a tuple, a
non-text key, a float that is not finite, a subclass of a JSON type) sends the whole form the
general way.

:func:`record_texts` writes the same two texts straight from a record, without building its
form (a record's fields, in the sorted order of its form's keys, are the plan it follows); a
field of a type the form does not expect there sends the record the general way too.

It does not hash anything or decide what a state hash covers: the general functions stay the
definition, these are their shortcuts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from json.encoder import encode_basestring
from typing import Any

from .exchange import _iso, canonical_json, creation_changes, record_to_dict
from .records import ConsentRequest, ExerciseNotification, Location

_str = encode_basestring  # what the canonical encoder (ensure_ascii=False) writes for a str
_int = int.__repr__
_float = float.__repr__


class _Unusual(Exception):
    """A value the walk leaves to the general encoder."""


def creation_texts(form: Mapping[str, Any]) -> tuple[str, str]:
    """(``canonical_json(form)``, ``canonical_json(creation_changes(form))``)."""
    if type(form) is dict:
        flat: list[tuple[str, str]] = []
        try:
            state = _dict(form, "", flat)
        except _Unusual:
            pass
        else:
            flat.sort()  # by the flattened key (each key once): creation_changes' order
            head = _change_head
            return state, "[" + ",".join([head(k) + e for k, e in flat]) + "]"
    return canonical_json(form), canonical_json(creation_changes(form))


# encoded keys, remembered: a form's keys are few and the same in every record (a bounded
# number is kept, so odd input cannot grow them without end)
_MAX_KEPT = 4096
_member_keys: dict[str, str] = {}
_change_heads: dict[str, str] = {}


def _member_key(k: str) -> str:
    """``"k":`` (an object member's key as the canonical text writes it)."""
    e = _member_keys.get(k)
    if e is None:
        e = _str(k) + ":"
        if len(_member_keys) < _MAX_KEPT:
            _member_keys[k] = e
    return e


def _change_head(k: str) -> str:
    """``["k",null,`` (a change of a new record up to its value; the value ends it with ``]``)."""
    e = _change_heads.get(k)
    if e is None:
        e = "[" + _str(k) + ",null,"
        if len(_change_heads) < _MAX_KEPT:
            _change_heads[k] = e
    return e


def _dict(d: dict[str, Any], prefix: str, flat: list[tuple[str, str]]) -> str:
    """The canonical text of ``d``; its flattened non-empty leaves appended to ``flat`` (each
    value followed by the ``]`` that closes its change)."""
    if not d:
        if prefix:  # flatten keeps an empty object under its key (and {} is not "empty")
            flat.append((prefix, "{}]"))
        return "{}"
    parts: list[str] = []
    add = parts.append
    keep = flat.append
    for k in sorted(d):  # keys are text (checked below), so sorted as json's sort_keys does
        if type(k) is not str or "." in k or "[" in k:  # such a key could flatten onto another
            raise _Unusual
        v = d[k]
        t = type(v)
        # the scalars inline (most of a form), in the order they are most often met
        if t is str:
            e = _str(v)
            if v:
                keep((f"{prefix}.{k}" if prefix else k, e + "]"))
        elif v is None:
            e = "null"
        elif t is int:
            e = _int(v)
            if v:
                keep((f"{prefix}.{k}" if prefix else k, e + "]"))
        elif v is True:
            e = "true"
            keep((f"{prefix}.{k}" if prefix else k, "true]"))
        elif v is False:
            e = "false"
        else:
            e = _value(v, f"{prefix}.{k}" if prefix else k, flat)
        add(_member_key(k) + e)
    return "{" + ",".join(parts) + "}"


def _value(v: Any, key: str, flat: list[tuple[str, str]]) -> str:
    t = type(v)
    if t is str:
        e = _str(v)
        if v:
            flat.append((key, e + "]"))
        return e
    if v is None:
        return "null"
    if t is int:
        e = _int(v)
        if v:
            flat.append((key, e + "]"))
        return e
    if t is bool:
        if v:
            flat.append((key, "true]"))
            return "true"
        return "false"
    if t is float:
        if not math.isfinite(v):
            raise _Unusual
        e = _float(v)
        if v:  # 0.0 == False: left out of a new record's changes, as creation_changes does
            flat.append((key, e + "]"))
        return e
    if t is dict:
        return _dict(v, key, flat)
    if t is list:
        if not v:  # [] is "empty": written in the state, not in the changes
            return "[]"
        items: list[str] = []
        for i, x in enumerate(v):
            items.append(_value(x, f"{key}[{i}]", flat))
        return "[" + ",".join(items) + "]"
    raise _Unusual


# ---------------------------------------------------------------- straight from the record
# What each field of the exchange form is (its key is the record's attribute of that name);
# the keys are walked in sorted order, so the changes come out sorted as they are written:
# a list's or an object's members flatten to keys that sort right where its own key does
# (no other key of a form begins with ``locations``, ``municipalities`` or ``decision.``).
_TEXT, _OPT_TEXT, _ENUM, _TIME, _COUNT, _BOOL, _LOCATIONS, _MUNIS, _DECISION = range(9)
_COMMON = {"register_no": _OPT_TEXT, "received_at": _TIME, "received_by": _TEXT,
           "personnel": _COUNT, "vehicles": _COUNT, "air_assets": _OPT_TEXT, "start": _TIME,
           "end": _TIME, "locations": _LOCATIONS, "status": _ENUM, "notes": _TEXT}
_NOTIFICATION = _COMMON | {
    "sender_ref": _TEXT, "channel": _ENUM, "name": _TEXT, "exercise_type": _ENUM,
    "units": _TEXT, "weapon_systems": _TEXT, "live_fire": _BOOL, "acknowledged_at": _TIME,
    "disseminated_at": _TIME, "disseminated_to": _TEXT, "cancelled_at": _TIME,
    "cancel_reason": _TEXT, "patrols": _ENUM, "liaison_contact": _TEXT}
_REQUEST = _COMMON | {
    "ksf_ref": _TEXT, "requesting_unit": _TEXT, "point_of_contact": _TEXT, "purpose": _ENUM,
    "description": _TEXT, "municipalities": _MUNIS, "route": _TEXT,
    "weapons_carried": _BOOL, "decision_due": _TIME, "review_started_at": _TIME,
    "recommendation": _TEXT, "recommended_at": _TIME, "decision": _DECISION,
    "withdrawn_at": _TIME, "withdraw_reason": _TEXT}
_DECISION_FIELDS = {"authority": _TEXT, "decided_at": _TIME, "conditions": _TEXT,
                    "rationale": _TEXT, "communicated_at": _TIME, "communicated_via": _TEXT}
Plan = tuple[tuple[str, int, str, str], ...]


def _plan(fields: dict[str, int], prefix: str = "") -> Plan:
    """(attribute, what it is, ``"key":``, ``["flat key",null,``) in sorted key order."""
    return tuple((k, fields[k], _str(k) + ":", "[" + _str(prefix + k) + ",null,")
                 for k in sorted(fields))


_N_PLAN = _plan(_NOTIFICATION)
_R_PLAN = _plan(_REQUEST)
_D_PLAN = _plan(_DECISION_FIELDS, "decision.")
#: list indices in the order their flattened keys sort ("[10]" before "[1]": "0" < "]")
_INDEX_ORDER = [sorted(range(n), key=lambda i: f"{i}]") for n in range(32)]


def record_texts(record: ExerciseNotification | ConsentRequest,
                 register_no: str | None) -> tuple[str, str]:
    """:func:`creation_texts` of ``record_to_dict(record)`` with ``register_no`` as its number,
    written from the record itself (its form is not built). A field of a type the form does
    not expect there (the record was built by hand) sends it the general way."""
    plan = _N_PLAN if type(record) is ExerciseNotification else \
        _R_PLAN if type(record) is ConsentRequest else None
    if plan is not None:
        state: list[str] = []
        changes: list[str] = []
        try:
            _write(record, plan, register_no, state, changes)
        except _Unusual:
            pass
        else:
            return "{" + ",".join(state) + "}", "[" + ",".join(changes) + "]"
    form = record_to_dict(record)
    form["register_no"] = register_no
    return creation_texts(form)


def _write(obj: Any, plan: Plan, register_no: str | None, state: list[str],
           changes: list[str], *, _str: Any = _str, _iso: Any = _iso, _int: Any = _int,
           _type: Any = type, _getattr: Any = getattr) -> None:
    # the helpers are bound as defaults (locals, not globals: this runs once per field)
    add, change = state.append, changes.append
    v: Any
    for attr, what, member, head in plan:
        v = register_no if attr == "register_no" else _getattr(obj, attr)
        if what <= _OPT_TEXT:  # _TEXT or _OPT_TEXT
            if _type(v) is str:
                e = _str(v)
                if v:
                    change(head + e + "]")
            elif v is None and what == _OPT_TEXT:
                e = "null"
            else:
                raise _Unusual
        elif what == _TIME:
            if v is None:
                e = "null"
            else:
                e = _str(_iso(v))
                change(head + e + "]")
        elif what == _ENUM:
            value = v._value_
            if _type(value) is not str:
                raise _Unusual
            e = _str(value)
            if value:
                change(head + e + "]")
        elif what == _COUNT:
            if v is None:
                e = "null"
            elif _type(v) is int:
                e = _int(v)
                if v:
                    change(head + e + "]")
            else:
                raise _Unusual
        elif what == _BOOL:
            if v is True:
                e = "true"
                change(head + "true]")
            elif v is False:
                e = "false"
            else:
                raise _Unusual
        elif what == _LOCATIONS:
            e = _locations(v, changes)
        elif what == _MUNIS:
            e = _municipalities(v, changes)
        elif v is None:  # the decision, not taken
            e = "null"
        else:
            parts: list[str] = []
            _write(v, _D_PLAN, None, parts, changes)
            e = "{" + ",".join(parts) + "}"
        add(member + e)


def _municipalities(munis: Any, changes: list[str]) -> str:
    if type(munis) is not tuple:
        raise _Unusual
    values = [m._value_ for m in munis]
    for i in _order(len(values)):
        x = values[i]
        if type(x) is not str:
            raise _Unusual
        if x:
            changes.append(f'["municipalities[{i}]",null,{_str(x)}]')
    return "[" + ",".join([_str(x) for x in values]) + "]"


def _order(n: int) -> list[int]:
    return _INDEX_ORDER[n] if n < len(_INDEX_ORDER) else sorted(range(n),
                                                                  key=lambda i: f"{i}]")


def _locations(locs: Any, changes: list[str]) -> str:
    if type(locs) is not tuple:
        raise _Unusual
    items: list[str] = []
    for loc in locs:
        if type(loc) is not Location or type(loc.name) is not str:
            raise _Unusual
        pos = loc.position
        if pos is None:
            e_pos = f'{{"lat":{_number(loc.lat)},"lon":{_number(loc.lon)}}}'
        elif type(pos) is str:
            e_pos = _str(pos)
        else:
            raise _Unusual
        radius = loc.radius_m
        if radius is not None and type(radius) is not int:
            raise _Unusual
        items.append(f'{{"name":{_str(loc.name)},"position":{e_pos}'
                     + (f',"radius_m":{_int(radius)}}}' if radius is not None else "}"))
    for i in _order(len(locs)):
        loc = locs[i]
        key = f"locations[{i}]"
        if loc.name:
            changes.append(f'["{key}.name",null,{_str(loc.name)}]')
        if loc.position is None:
            if loc.lat:
                changes.append(f'["{key}.position.lat",null,{_number(loc.lat)}]')
            if loc.lon:
                changes.append(f'["{key}.position.lon",null,{_number(loc.lon)}]')
        elif loc.position:
            changes.append(f'["{key}.position",null,{_str(loc.position)}]')
        if loc.radius_m:
            changes.append(f'["{key}.radius_m",null,{_int(loc.radius_m)}]')
    return "[" + ",".join(items) + "]"


def _number(v: Any) -> str:
    if type(v) is float:
        if not math.isfinite(v):
            raise _Unusual
        return _float(v)
    if type(v) is int:
        return _int(v)
    raise _Unusual
