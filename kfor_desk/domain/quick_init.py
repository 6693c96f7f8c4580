"""Frozen record values built without their dataclass ``__init__``, for a reader that builds
hundreds of thousands of them (an import).

A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__`` (its own
``__setattr__`` refuses): for a record of thirty fields that is half the cost of reading it
from a file. :func:`quick_init` makes, once per class, a function with the same parameters
and defaults that sets each slot through its descriptor instead: the same value (equal, same
hash, as frozen after), in about half the time. ``tests/domain/test_quick_init.py`` compares
the two for every record class.

It takes only frozen slotted dataclasses whose ``__init__`` does nothing else (no
``__post_init__``, no ``InitVar``, every field in ``__init__``); anything else is refused when
the function is made. It does not check types or validate values, as ``__init__`` does not.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def quick_init(cls: type[T]) -> Callable[..., T]:
    """``cls(**fields)`` by its slots (see the module)."""
    params = getattr(cls, "__dataclass_params__", None)
    if (params is None or not params.frozen or "__slots__" not in cls.__dict__
            or hasattr(cls, "__post_init__")):
        raise TypeError(f"{cls.__name__} is not a frozen slotted dataclass without "
                        "__post_init__")
    scope: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    args: list[str] = []
    body = ["    o = _new(_cls)"]
    for i, f in enumerate(dataclasses.fields(cls)):  # type: ignore[arg-type]
        if not f.init or f._field_type is not dataclasses._FIELD:  # type: ignore[attr-defined]
            raise TypeError(f"{cls.__name__}.{f.name} is not set by __init__ alone")
        if f.default is not dataclasses.MISSING:
            scope[f"D{i}"] = f.default
            args.append(f"{f.name}=D{i}")
        elif f.default_factory is not dataclasses.MISSING:
            scope[f"F{i}"] = f.default_factory
            scope["_FACTORY"] = _FACTORY
            args.append(f"{f.name}=_FACTORY")
            body.append(f"    if {f.name} is _FACTORY: {f.name} = F{i}()")
        else:
            args.append(f.name)
        scope[f"S{i}"] = cls.__dict__[f.name].__set__  # the slot's member descriptor
        body.append(f"    S{i}(o, {f.name})")
    body.append("    return o")
    name = f"quick_{cls.__name__}"
    # made from the field names and constants above only, as dataclasses makes __init__
    exec(f"def {name}({', '.join(args)}):\n" + "\n".join(body), scope)
    made: Callable[..., T] = scope[name]
    return made


class _Factory:
    """The default of a field whose default is made by a factory (a new value per call)."""


_FACTORY = _Factory()
