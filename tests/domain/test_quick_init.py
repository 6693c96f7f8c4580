"""Records built by their slots are the records their ``__init__`` builds: equal, same hash,
every field set, as frozen, defaults (factories included) the same."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from kfor_desk.domain.enums import Band, Municipality, RequestStatus, Side
from kfor_desk.domain.quick_init import quick_init
from kfor_desk.domain.records import (
    AblRelation,
    ConsentRequest,
    Decision,
    ExerciseNotification,
    Location,
)
from kfor_desk.store.audit import PendingEntry

NOW = datetime(2026, 11, 26, 17, tzinfo=UTC)
LOC = Location("Jarinje", 43.1, 20.8, "34TDN4000050000", 500, 1.0,
               AblRelation(3.2, Side.KOSOVO, Band.GROUND))
CASES = [
    (Location, {"name": "A", "lat": 42.9, "lon": 20.8}),
    (Location, {f.name: getattr(LOC, f.name) for f in dataclasses.fields(Location)}),
    (AblRelation, {"distance_km": 1.5, "side": Side.SERBIA, "band": Band.AIR}),
    (Decision, {"authority": "COM KFOR", "decided_at": NOW, "conditions": "none"}),
    (ExerciseNotification, {"name": "N", "received_at": NOW, "start": NOW, "end": NOW,
                            "locations": (LOC,)}),
    (ExerciseNotification, {"name": "N", "received_at": NOW, "start": NOW, "end": NOW,
                            "locations": (LOC,), "units": "3. brigada", "personnel": 40,
                            "register_no": "SAF-2026-0001", "id": 7, "version": 2}),
    (ConsentRequest, {"requesting_unit": "U", "received_at": NOW, "start": NOW, "end": NOW,
                      "decision_due": NOW, "locations": (LOC,)}),
    (ConsentRequest, {"requesting_unit": "U", "received_at": NOW, "start": NOW, "end": NOW,
                      "decision_due": NOW, "locations": (), "status": RequestStatus.GRANTED,
                      "municipalities": (Municipality.ZVECAN,),
                      "decision": Decision("COM KFOR", NOW)}),
    (PendingEntry, {"at": NOW, "entity": "request", "register_no": "KSF-2026-0001",
                    "action": "import", "changes": (), "state_hash": "ab" * 32,
                    "changes_json": "[]"}),
]


@pytest.mark.parametrize(("cls", "kw"), CASES, ids=[c.__name__ for c, _ in CASES])
def test_the_same_value_as_init(cls: type, kw: dict[str, object]) -> None:
    built, made = quick_init(cls)(**kw), cls(**kw)
    assert type(built) is cls
    assert built == made and hash(built) == hash(made)
    for f in dataclasses.fields(cls):  # every slot set, to what __init__ sets
        assert getattr(built, f.name) == getattr(made, f.name)
    first = dataclasses.fields(cls)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(built, first, getattr(made, first))
    assert dataclasses.replace(built) == made


def test_a_factory_default_is_made_per_value() -> None:
    build = quick_init(ConsentRequest)
    one = build(requesting_unit="U", received_at=NOW, start=NOW, end=NOW, decision_due=NOW,
                locations=())
    assert one.municipalities == ()


def test_positional_and_missing_arguments_as_init() -> None:
    build = quick_init(Location)
    assert build("A", 1.0, 2.0) == Location("A", 1.0, 2.0)
    with pytest.raises(TypeError):
        build(name="A", lat=1.0)


def test_refuses_what_init_does_more_for() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Checked:
        x: int

        def __post_init__(self) -> None:
            raise ValueError

    @dataclasses.dataclass(frozen=True)
    class NoSlots:
        x: int

    for cls in (Checked, NoSlots):
        with pytest.raises(TypeError):
            quick_init(cls)
