"""The two canonical texts of a new record, in one walk over its exchange form.

A new record's audit entry carries ``canonical_json(creation_changes(form))`` (its field-level
changes) and ``sha256(canonical_json(form))`` (its state hash). Built the general way that is
two encodings and a flattened copy of the form per record, most of an import's time.
:func:`creation_texts` writes both texts while walking the form once, byte for byte what the
general functions of :mod:`.exchange` give (``tests/domain/test_exchange_texts.py`` compares
them on generated records and on odd values); a value the walk does not know (a tuple, a
non-text key or one with ``.`` or ``[`` in it, a float that is not finite, a subclass of a JSON
type) sends the whole form the general way.

:mod:`.exchange_record_texts` writes the same two texts straight from a record.

It does not hash anything or decide what a state hash covers: the general functions stay the
definition, these are their shortcuts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from json.encoder import encode_basestring
from typing import Any

from .exchange import canonical_json, creation_changes

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
