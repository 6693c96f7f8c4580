"""A training database a duty officer would find believable.

Places come from the shipped ``places.csv``; SAF activity lies on the Serbian side (some within
1 km of the ABL), KSF activity in the four northern municipalities; every status appears, some
requests are overdue, names carry Serbian (Latin and Cyrillic) and Albanian letters. The
database is marked as a training database: every brief prints EXERCISE.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from kfor_desk.domain.enums import (
    Channel,
    ExerciseType,
    Municipality,
    Patrols,
    Purpose,
    RequestStatus,
    Side,
)
from kfor_desk.domain.geo.abl import abl_index, geodesic_destination
from kfor_desk.domain.geo.position import to_mgrs
from kfor_desk.domain.records import ConsentRequest, ExerciseNotification, Location, Record
from kfor_desk.domain.timefmt import utc_now
from kfor_desk.domain.workflow import Action, Step, apply_action

from .desk import Desk, Operator
from .geo import with_abl_many
from .session import create_desk

SAF_CENTRES = [  # Serbian towns near the ABL (places.csv) with a Serbian Cyrillic spelling
    ("Raška", "Рашка", 43.2858, 20.6136), ("Novi Pazar", "Нови Пазар", 43.1367, 20.5122),
    ("Tutin", "Тутин", 42.9900, 20.3369), ("Kuršumlija", "Куршумлија", 43.1403, 21.2736),
    ("Medveđa", "Медвеђа", 42.8433, 21.5850), ("Bujanovac", "Бујановац", 42.4611, 21.7669),
    ("Preševo", "Прешево", 42.3094, 21.6492),
]
KSF_CENTRES = [
    (Municipality.NORTH_MITROVICA, 42.8922, 20.8686), (Municipality.ZVECAN, 42.9089, 20.8389),
    (Municipality.ZUBIN_POTOK, 42.9170, 20.6830), (Municipality.LEPOSAVIC, 43.1000, 20.8000),
]
SAF_UNITS = [
    "2. brigada KoV, 21. bataljon", "3. brigada KoV, 31. pešadijski bataljon",
    "4. brigada KoV, 42. bataljon", "72. brigada za specijalne operacije",
    "63. padobranska brigada", "Žandarmerija, Odred Kraljevo",
    "98. vazduhoplovna brigada, helikopterska eskadrila", "246. bataljon ABHO",
]
SAF_NAMES = ["Zimski štit", "Planina", "Ibar", "Kopaonik", "Jastrebac", "Granični pojas",
             "Vežba „Munja“", "Вежба „Јастребац“", "Вежба „Копаоник 26“", "Šumadija"]
KSF_UNITS = [
    ("KSF Civil Protection Regiment", "Maj. Arben Krasniqi, +383 44 120 311"),
    ("KSF EOD Company", "Kpt. Blerim Gashi, +383 45 220 118"),
    ("KSF Firefighting Platoon", "Toger Dritë Hoxha, +383 44 330 902"),
    ("KSF Logistics Battalion", "Rreshter Ilir Çeku, +383 49 501 772"),
    ("KSF UAV Detachment", "Kpt. Valëza Berisha, +383 44 778 010"),
]
KSF_TASKS = [
    (Purpose.EOD, "Disposal of unexploded ordnance found near {p}"),
    (Purpose.HUMANITARIAN, "Delivery of winter aid to families in {p}"),
    (Purpose.FIREFIGHTING, "Support to municipal firefighters, forest fire above {p}"),
    (Purpose.CIVIL_PROTECTION, "Flood protection along the Ibër/Ibar near {p}"),
    (Purpose.UAV_FLIGHT, "UAV survey flight of the flood area near {p}"),
    (Purpose.LOGISTICS, "Transport of medical supplies to the health centre in {p}"),
    (Purpose.CEREMONIAL, "Wreath-laying ceremony in {p}"),
]


def _point_near(rng: random.Random, lat: float, lon: float, side: Side,
                max_km: float) -> tuple[float, float]:
    idx = abl_index()
    for _ in range(60):
        la, lo = geodesic_destination(lat, lon, rng.uniform(0, 360), rng.uniform(0, max_km) * 1000)
        if idx.relation(la, lo).side is side:
            return la, lo
    return lat, lon


NORTH_SAF = SAF_CENTRES[:3]  # across the ABL from Leposavić and Zubin Potok
NORTH_MUNI = {"Raška": Municipality.LEPOSAVIC, "Novi Pazar": Municipality.ZUBIN_POTOK,
              "Tutin": Municipality.ZUBIN_POTOK}


def _point_by_abl(rng: random.Random, km: float,
                  centres: list[tuple[str, str, float, float]] = SAF_CENTRES
                  ) -> tuple[float, float]:
    """A point on the Serbian side about ``km`` from the ABL (notification-line cases)."""
    idx = abl_index()
    for _ in range(200):
        _name, _c, lat, lon = rng.choice(centres)
        nlat, nlon = idx.nearest_abl_point(lat, lon)
        for bearing in range(0, 360, 15):
            la, lo = geodesic_destination(nlat, nlon, bearing + rng.uniform(0, 15), km * 1000)
            rel = idx.relation(la, lo)
            if rel.side is Side.SERBIA and abs(rel.distance_km - km) < 0.3:
                return la, lo
    raise RuntimeError("could not place a point near the ABL")


def _saf(rng: random.Random, now: datetime, i: int) -> tuple[ExerciseNotification, list[Action]]:
    received = now - timedelta(hours=rng.uniform(2, 240))
    start = received + timedelta(hours=rng.uniform(-48, 200))
    start = start.replace(minute=0, second=0, microsecond=0)
    end = start + timedelta(hours=rng.choice([6, 8, 12, 36, 54, 72]))
    name, cyr, lat, lon = rng.choice(NORTH_SAF if i % 6 == 0 else SAF_CENTRES)
    near = i % 6 == 0
    if near:
        la, lo = _point_by_abl(rng, rng.uniform(0.4, 0.9), [c for c in SAF_CENTRES
                                                               if c[0] == name])
        where = f"ABL sector near {name}"
    else:
        la, lo = _point_near(rng, lat, lon, Side.SERBIA, 12)
        where = rng.choice([f"range near {name}", f"training area {cyr}", f"{name} barracks"])
    etype = rng.choice(list(ExerciseType))
    live = etype is ExerciseType.LIVE_FIRING or rng.random() < 0.2
    air = "2 x Mi-17" if etype is ExerciseType.AIR_ACTIVITY else (
        rng.choice([None, None, None, "1 x Gazela", "UAV Pegaz"]))
    locs = [Location(name=where, lat=la, lon=lo, position=to_mgrs(la, lo, 4),
                     radius_m=rng.choice([None, 500, 1000, 2000, 3000]))]
    if rng.random() < 0.25:
        la2, lo2 = _point_near(rng, lat, lon, Side.SERBIA, 15)
        locs.append(Location(name=f"assembly area {name}", lat=la2, lon=lo2,
                             position=to_mgrs(la2, lo2, 5)))
    n = ExerciseNotification(
        name=rng.choice(SAF_NAMES) + f" {start:%y}-{i + 1:02d}",
        sender_ref=f"GŠ VS {rng.randint(100, 999)}-{rng.randint(1, 99)}/{start:%y}",
        channel=rng.choice([Channel.JIC, Channel.JIC, Channel.LETTER, Channel.EMAIL,
                            Channel.LIAISON_MEETING]),
        received_at=received.replace(microsecond=0), start=start, end=end,
        locations=tuple(locs), exercise_type=etype, units=rng.choice(SAF_UNITS),
        personnel=rng.choice([40, 80, 120, 250, 400]), vehicles=rng.choice([4, 10, 15, 30]),
        weapon_systems=rng.choice(["", "small arms", "mortars 82 mm", "M-84 tanks",
                                   "BOV M-16 Miloš"]),
        live_fire=live, air_assets=air,
        patrols=rng.choice([Patrols.NONE, Patrols.NONE, Patrols.PARALLEL,
                            Patrols.SYNCHRONISED]),
        liaison_contact=rng.choice(["", "LO Raška, pukovnik M. Jovanović",
                                    "JIC secretary, potpukovnik D. Đorđević"]),
        notes=rng.choice(["", "Confirmed by phone with the JIC secretary.",
                          "Road closure on the Raška–Jarinje road expected."]),
    )
    roll = rng.random()
    if received < now - timedelta(hours=30) and roll < 0.1:
        steps: list[Action] = []  # left unacknowledged: the attention panel shows it
    elif roll < 0.35:
        steps = [Action.ACKNOWLEDGE]
    elif roll < 0.94:
        steps = [Action.ACKNOWLEDGE, Action.DISSEMINATE]
    else:
        steps = [Action.ACKNOWLEDGE, Action.CANCEL]
    return n, steps


def _ksf(rng: random.Random, now: datetime, i: int,
         near: ExerciseNotification | None = None) -> tuple[ConsentRequest, list[Action]]:
    """A consent request; with ``near``, planned a few km inside Kosovo from that SAF
    exercise and overlapping it in time: the typical conflict the desk exists to catch."""
    received = now - timedelta(hours=rng.uniform(2, 110))
    muni, lat, lon = rng.choice(KSF_CENTRES)
    la, lo = _point_near(rng, lat, lon, Side.KOSOVO, 6)
    if near is not None:
        town = near.locations[0].name.rsplit(" ", 1)[-1]
        muni = NORTH_MUNI.get(town, Municipality.LEPOSAVIC)
        la, lo = _point_near(rng, near.locations[0].lat, near.locations[0].lon, Side.KOSOVO, 6)
        received = min(received, near.start - timedelta(hours=30))
    purpose, text = rng.choice(KSF_TASKS)
    place = rng.choice(["Banjska/Banjskë", "Žerovnica", "Zupče/Zupç", "Gazivode/Ujmani",
                        "Sočanica", "Bistrica", muni.value])
    start = (received + timedelta(hours=rng.uniform(24, 200))).replace(minute=0, second=0,
                                                                       microsecond=0)
    if near is not None:
        start = near.start + timedelta(hours=rng.choice([0, 2, 4]))
    unit, poc = rng.choice(KSF_UNITS)
    if purpose is Purpose.UAV_FLIGHT:
        unit, poc = KSF_UNITS[4]
    r = ConsentRequest(
        requesting_unit=unit, point_of_contact=poc,
        ksf_ref=f"FSK/{rng.choice(['HQ', 'CPR', 'LOG'])} {rng.randint(10, 400)}/{start:%y}",
        received_at=received.replace(microsecond=0), start=start,
        end=start + timedelta(hours=rng.choice([4, 6, 8, 10, 30])),
        decision_due=(received + timedelta(hours=rng.choice([24, 48, 72]))).replace(
            microsecond=0),
        purpose=purpose, description=text.format(p=place), municipalities=(muni,),
        locations=(Location(name=place, lat=la, lon=lo, position=to_mgrs(la, lo, 5),
                            radius_m=rng.choice([None, 200, 500, 1500])),),
        personnel=rng.choice([6, 12, 20, 35]), vehicles=rng.choice([1, 2, 3, 6]),
        weapons_carried=rng.random() < 0.15,
        air_assets="1 x UAV (quadcopter)" if purpose is Purpose.UAV_FLIGHT else None,
    )
    roll = rng.random()
    steps: list[Action]
    decided = [Action.START_REVIEW, Action.RECOMMEND, Action.DECIDE, Action.COMMUNICATE]
    if r.decision_due < now:  # a working desk decides most requests in time
        if roll < 0.08:
            steps = [Action.START_REVIEW]  # overdue: the attention panel shows it
        elif roll < 0.14:
            steps = [Action.START_REVIEW, Action.WITHDRAW]
        else:
            steps = decided if roll < 0.9 else decided[:-1]
    elif roll < 0.25:
        steps = []
    elif roll < 0.55:
        steps = [Action.START_REVIEW, Action.RECOMMEND]
    elif roll < 0.92:
        steps = [Action.START_REVIEW, Action.RECOMMEND, Action.DECIDE, Action.COMMUNICATE]
        if roll > 0.8:
            steps.pop()
    else:
        steps = [Action.START_REVIEW, Action.WITHDRAW]
    return r, steps


def _params(rng: random.Random, action: Action) -> dict[str, str]:
    if action is Action.DISSEMINATE:
        return {"to": rng.choice(["RC-E, RC-W, JRD-N", "RC-W, KTM", "all RCs, J2, J3"])}
    if action is Action.CANCEL:
        return {"reason": "Cancelled by the SAF through the JIC channel (weather)."}
    if action is Action.RECOMMEND:
        return {"recommendation": rng.choice(["Grant with KFOR escort; daylight only.",
                                              "Grant: humanitarian, no security concern.",
                                              "Grant with conditions: coordinate with JRD-N."])}
    if action is Action.DECIDE:
        outcome = rng.choice([RequestStatus.GRANTED, RequestStatus.GRANTED,
                              RequestStatus.GRANTED_WITH_CONDITIONS,
                              RequestStatus.GRANTED_WITH_CONDITIONS,
                              RequestStatus.GRANTED_WITH_CONDITIONS, RequestStatus.DENIED])
        return {"outcome": outcome.value, "authority": "COMKFOR",
                "conditions": "Escorted by KFOR; daylight only; no weapons"
                if outcome is RequestStatus.GRANTED_WITH_CONDITIONS else "",
                "rationale": "Timing conflicts with an SAF exercise across the ABL; resubmit."
                if outcome is RequestStatus.DENIED else ""}
    if action is Action.COMMUNICATE:
        return {"via": rng.choice(["letter", "phone to KSF J3", "KSF liaison officer"])}
    if action is Action.WITHDRAW:
        return {"reason": "Withdrawn by the KSF: task handed to the municipality."}
    return {}


def generate(count: int, now: datetime, seed: int = 2026
             ) -> list[tuple[Record, list[tuple[Action, datetime, dict[str, str]]]]]:
    """``count`` believable records (about 55 % SAF) with the workflow steps each has seen."""
    rng = random.Random(seed)
    out: list[tuple[Record, list[tuple[Action, datetime, dict[str, str]]]]] = []
    near_abl: list[ExerciseNotification] = []
    for i in range(count):
        rec: Record
        if i % 9 < 5:
            rec, steps = _saf(rng, now, i)
            if i % 6 == 0 and Action.CANCEL not in steps:
                near_abl.append(rec)
        else:
            partner = near_abl.pop() if near_abl and i % 9 == 5 else None
            rec, steps = _ksf(rng, now, i, partner)
        t = rec.received_at
        timed = []
        for a in steps:
            t = min(t + timedelta(minutes=rng.randint(20, 600)), now)
            timed.append((a, t, _params(rng, a)))
        out.append((rec, timed))
    return out


def create_demo(location: str, count: int = 60, *, operator: Operator | str | None = None,
                now: datetime | None = None,
                progress: Callable[[int, int], None] | None = None) -> Desk:
    """Create a NEW training database at ``location`` filled with ``count`` records."""
    desk = create_desk(location, operator or Operator("Demo", "Capt", "Duty Officer"),
                       training=True)
    now = now or utc_now()
    plan = generate(count, now)
    if count > 300:  # bulk: one transaction, one audit entry per record
        finals: list[Record] = []
        for rec, steps in plan:
            for a, t, p in steps:
                rec = apply_action(rec, a, Step(desk.operator.display, t, p.pop("reason", "")), p)
            finals.append(replace(rec, received_by=desk.operator.display))
        desk.repo.bulk_create(with_abl_many(finals), desk.actor, "demo", at=now)
        return desk
    base_clock = desk.clock
    for i, (rec, steps) in enumerate(plan):
        desk.clock = lambda t=rec.received_at: t  # type: ignore[misc]
        saved = desk.register(rec).record
        for a, t, p in steps:
            desk.clock = lambda t=t: t  # type: ignore[misc]
            saved = desk.act(saved, a, at=t, **p).record
        if progress:
            progress(i + 1, count)
    desk.clock = base_clock
    return desk


__all__ = ["create_demo", "generate"]
