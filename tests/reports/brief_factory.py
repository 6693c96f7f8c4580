"""Brief data built straight from domain records (used by the report tests and the benchmark)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kfor_desk.domain.enums import (
    Band,
    Channel,
    ExerciseType,
    Municipality,
    NotificationStatus,
    Purpose,
    RequestStatus,
    Side,
)
from kfor_desk.domain.records import (
    AblRelation,
    ConsentRequest,
    Decision,
    ExerciseNotification,
    Location,
    Record,
    RecordKind,
)
from kfor_desk.reports.model import (
    BriefMeta,
    ConflictItem,
    DailyBriefData,
    FieldChange,
    FlagItem,
    HandoverData,
    HistoryEntry,
    RecordSheetData,
    TimelineItem,
)

AS_OF = datetime(2026, 11, 26, 17, 0, tzinfo=UTC)
CHAIN = "9f2c4e7a1b3d5f60718293a4b5c6d7e8f90123456789abcdef0123456789abcd"
CYRILLIC = "Лепосавић — ћ џ љ њ"
LATIN = "Zvečan, Ćuprija, Đurđevik, Šipovo, Žabare"
ALBANIAN = "Mitrovicë e Veriut, Zveçan"
MARKUP = "Tom & Jerry <b>not bold</b> a<b"

# name, lat, lon, distance to ABL (km), side
PLACES = [
    ("Jarinje", 43.1330, 20.7500, 2.2, Side.KOSOVO),
    ("Рашка / Raška", 43.2860, 20.6140, 8.3, Side.SERBIA),
    ("Rudnica", 43.2050, 20.6960, 0.7, Side.SERBIA),
    ("Zubin Potok", 42.9170, 20.6830, 10.4, Side.KOSOVO),
    ("Brnjak", 42.9880, 20.5850, 0.4, Side.KOSOVO),
    ("Kopaonik / Копаоник", 43.2870, 20.8100, 14.0, Side.SERBIA),
    ("Merdare / Merdarë", 42.9610, 21.2250, 0.2, Side.KOSOVO),
    ("Kuršumlija", 43.1400, 21.2700, 21.0, Side.SERBIA),
]


def band(km: float) -> Band:
    if km <= 1:
        return Band.NOTIFY
    if km <= 5:
        return Band.GROUND
    if km <= 25:
        return Band.AIR
    return Band.BEYOND


def loc(i: int, name: str | None = None, radius: int | None = 2000) -> Location:
    n, lat, lon, km, side = PLACES[i % len(PLACES)]
    return Location(name=name or n, lat=lat, lon=lon, position=None, radius_m=radius,
                    abl=AblRelation(km, side, band(km)))


def meta(title: str = "Daily deconfliction brief", *, training: bool = False,
         classification: str = "NATO UNCLASSIFIED", releasability: str = "RELEASABLE TO KFOR",
         operator: str = "Maj. Ana Petrović (DO)") -> BriefMeta:
    return BriefMeta(title=title, as_of=AS_OF, produced_at=AS_OF, operator=operator,
                     classification=classification, releasability=releasability,
                     training=training, chain_head=CHAIN)


def saf(n: int, *, start_h: float = 10, hours: float = 30, name: str | None = None,
        **kw: object) -> ExerciseNotification:
    start = AS_OF + timedelta(hours=start_h)
    values: dict[str, object] = dict(  # noqa: C408
        name=name or f"Vežba „Sadejstvo {n}“",
        received_at=AS_OF - timedelta(hours=20 + n % 5),
        start=start, end=start + timedelta(hours=hours),
        locations=(loc(n), loc(n + 3, radius=None)) if n % 3 == 0 else (loc(n),),
        channel=Channel.JIC, exercise_type=list(ExerciseType)[n % len(ExerciseType)],
        sender_ref=f"GS-SAF {n}-345/26", received_by="Maj. Ana Petrović",
        units="3. brigada KoV, 2. bataljon", personnel=120 + n, vehicles=15,
        weapon_systems="minobacači 82 mm", live_fire=n % 4 == 1,
        air_assets="2 x Mi-17" if n % 5 == 2 else None,
        status=list(NotificationStatus)[n % 3], register_no=f"SAF-2026-{n:04d}",
    )
    values.update(kw)
    return ExerciseNotification(**values)  # type: ignore[arg-type]


def ksf(n: int, *, due_h: float = 20, start_h: float = 40, **kw: object) -> ConsentRequest:
    start = AS_OF + timedelta(hours=start_h)
    values: dict[str, object] = dict(  # noqa: C408
        requesting_unit="KSF Civil Protection Regiment",
        received_at=AS_OF - timedelta(hours=30),
        start=start, end=start + timedelta(hours=8),
        decision_due=AS_OF + timedelta(hours=due_h),
        locations=(loc(n + 1),),
        purpose=list(Purpose)[n % len(Purpose)],
        description=f"Uklanjanje NUS-a / Heqja e mjeteve të pashpërthyera, fshati {n}",
        ksf_ref=f"KSF/HQ {n}/26", received_by="Capt. Arbër Krasniqi",
        point_of_contact="Maj. Dritë Gashi, +383 44 000 000",
        municipalities=(Municipality.ZUBIN_POTOK, Municipality.ZVECAN),
        personnel=12, vehicles=3, status=RequestStatus.UNDER_REVIEW,
        register_no=f"KSF-2026-{n:04d}",
    )
    values.update(kw)
    return ConsentRequest(**values)  # type: ignore[arg-type]


def decided(n: int) -> ConsentRequest:
    return ksf(n, due_h=-5, status=RequestStatus.GRANTED_WITH_CONDITIONS,
               decision=Decision(authority="COMKFOR", decided_at=AS_OF - timedelta(hours=3),
                                 conditions="Escorted by KFOR; daylight only",
                                 communicated_at=None))


def daily(n_saf: int = 6, n_ksf: int = 4, *, training: bool = False,
          key_points: tuple[str, ...] | None = None) -> DailyBriefData:
    safs = tuple(saf(i, start_h=(i * 7) % 70 - 10) for i in range(1, n_saf + 1))
    ksfs = tuple(ksf(100 + i, due_h=(i * 11) % 60 - 12) for i in range(1, n_ksf + 1))
    decisions = (decided(200),)
    conflicts = (ConflictItem(safs[0].register_no or "", ksfs[0].register_no or "", 3.4,
                              AS_OF + timedelta(hours=40), AS_OF + timedelta(hours=48)),)
    flags = (FlagItem(safs[0].register_no or "", "notify_line", "0.7 km from the ABL"),
             FlagItem(ksfs[0].register_no or "", "overdue", "due 261200ZNOV26"))
    in_conflict = {conflicts[0].a, conflicts[0].b}
    records: tuple[Record, ...] = (*safs, *ksfs)
    timeline = tuple(
        TimelineItem(r.register_no or "", r.kind,
                     r.name if isinstance(r, ExerciseNotification) else r.requesting_unit,
                     r.start, r.end, (r.register_no or "") in in_conflict)
        for r in records)
    return DailyBriefData(
        meta=meta(training=training),
        key_points=key_points if key_points is not None else (
            f"{len(safs)} SAF activities in the next 72 h; one within 1 km of the ABL at "
            f"Rudnica ({CYRILLIC}).",
            f"KSF requests at {LATIN}; {ALBANIAN}.",
            f"Markup prints literally: {MARKUP}",
        ),
        saf_activities=safs, ksf_requests=ksfs, decisions=decisions,
        previous_brief_at=AS_OF - timedelta(hours=24),
        conflicts=conflicts, flags=flags,
        map_records=(*safs, *ksfs), timeline=timeline,
    )


def history(regno: str, n: int = 3) -> tuple[HistoryEntry, ...]:
    out = [HistoryEntry(AS_OF - timedelta(hours=30), "Maj. Ana Petrović", "JOC-DESK-1",
                        "created", (), "", regno)]
    for i in range(1, n):
        out.append(HistoryEntry(
            AS_OF - timedelta(hours=30 - i), "Capt. Arbër Krasniqi", "JOC-DESK-2", "updated",
            (FieldChange("status", "received", "under_review"),
             FieldChange("notes", "", f"Staffed to J3 & LEGAD <urgent> {i}")),
            "correction requested by J3", regno))
    return tuple(out)


def sheet(record: ExerciseNotification | ConsentRequest, n_history: int = 3) -> RecordSheetData:
    regno = record.register_no or ""
    return RecordSheetData(meta=meta(f"Record sheet {regno}"), record=record,
                           history=history(regno, n_history))


def handover() -> HandoverData:
    pend = (ksf(101, due_h=-2), ksf(102, due_h=10), saf(3, status=NotificationStatus.RECEIVED),
            decided(200))
    changes = history("KSF-2026-0101") + history("SAF-2026-0003", 2)
    return HandoverData(meta=meta("Shift handover"), since=AS_OF - timedelta(hours=12),
                        changes=changes, pending=pend, conflicts=(), flags=())


def kinds() -> tuple[RecordKind, RecordKind]:
    return RecordKind.SAF, RecordKind.KSF
