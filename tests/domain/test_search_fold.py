"""Search folding: Serbian Cyrillic ↔ Latin letter by letter, Albanian ë/ç, case, and the
haystack and word matching shared by the window and ``kfor-desk find``."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kfor_desk.domain import search
from kfor_desk.domain.enums import Municipality, RequestStatus
from kfor_desk.domain.records import Decision, ExerciseNotification, Location, Record
from kfor_desk.domain.text import SERBIAN_TO_LATIN, fold, to_latin
from tests.factories import NOW
from tests.factories import make_notification as notification
from tests.factories import make_request as request

# The Serbian alphabet in its two scripts, written out here (not taken from the library).
SERBIAN = [
    ("а", "a"), ("б", "b"), ("в", "v"), ("г", "g"), ("д", "d"), ("ђ", "đ"), ("е", "e"),
    ("ж", "ž"), ("з", "z"), ("и", "i"), ("ј", "j"), ("к", "k"), ("л", "l"), ("љ", "lj"),
    ("м", "m"), ("н", "n"), ("њ", "nj"), ("о", "o"), ("п", "p"), ("р", "r"), ("с", "s"),
    ("т", "t"), ("ћ", "ć"), ("у", "u"), ("ф", "f"), ("х", "h"), ("ц", "c"), ("ч", "č"),
    ("џ", "dž"), ("ш", "š"),
]
# What each Latin letter folds to (diacritics off).
PLAIN = {"đ": "d", "ž": "z", "ć": "c", "č": "c", "dž": "dz", "š": "s"}


def test_the_table_is_the_whole_serbian_alphabet_both_cases() -> None:
    assert len(SERBIAN) == 30
    expected = dict(SERBIAN)
    expected |= {c.upper(): lat[0].upper() + lat[1:] for c, lat in SERBIAN}
    assert expected == SERBIAN_TO_LATIN


@pytest.mark.parametrize(("cyr", "lat"), SERBIAN, ids=[c for c, _ in SERBIAN])
def test_every_serbian_letter_both_ways_and_both_cases(cyr: str, lat: str) -> None:
    folded = PLAIN.get(lat, lat)
    assert to_latin(cyr) == lat
    assert to_latin(cyr.upper()) == lat[0].upper() + lat[1:]
    for c in (cyr, cyr.upper()):
        for latin in (lat, lat.upper(), lat.capitalize(), folded, folded.upper()):
            assert fold(c) == fold(latin) == folded, (c, latin)
    # inside a word, from either side
    assert fold(f"ра{cyr}на") == fold(f"ra{lat}na") == f"ra{folded}na"
    assert fold(f"РА{cyr.upper()}НА") == fold(f"RA{lat.upper()}NA")


def test_the_issue_examples_fold_to_one_word() -> None:
    assert {fold(w) for w in ("vezba", "Vežba", "вежба", "VEŽBA", "ВЕЖБА", "Вежба")} == {"vezba"}
    assert fold("„Копаоник“") == "„kopaonik“" and "kopaonik" in fold("„Копаоник“")
    assert fold("Љиљана Њива Џак Ђорђе Ћуприја") == "ljiljana njiva dzak dorde cuprija"
    assert fold("LJILJANA") == fold("Ljiljana") == fold("ЉИЉАНА")


@pytest.mark.parametrize(("word", "folded"), [
    ("ë", "e"), ("Ë", "e"), ("ç", "c"), ("Ç", "c"), ("Çelë", "cele"),
    ("Mitrovicë", "mitrovice"), ("MITROVICË", "mitrovice"), ("Zvečan", "zvecan"),
    ("Đakovica", "dakovica"), ("GJAKOVË", "gjakove"), ("Ferizaj", "ferizaj"),
])
def test_albanian_and_latin_diacritics_and_case(word: str, folded: str) -> None:
    assert fold(word) == folded


def test_other_text_is_left_as_it_was_folded() -> None:
    assert fold("34T DN 75000 00000") == "34t dn 75000 00000"
    assert fold("SAF-2026-0042") == "saf-2026-0042"
    assert fold("ы") == "ы"  # not Serbian: stays Cyrillic (folded for case)


def test_one_query_finds_the_record_in_every_text_field() -> None:
    base = notification(name="Ibar 26", units="3. brigada")
    fields = ["name", "sender_ref", "received_by", "units", "weapon_systems",
              "disseminated_to", "cancel_reason", "liaison_contact", "notes"]
    for f in fields:
        rec = replace(base, **{f: "Вежба"})
        for q in ("vezba", "Vežba", "вежба", "VEŽBA"):
            assert search.matches(search.haystack(rec), search.terms(q)), (f, q)
    loc = replace(base.locations[0], name="Копаоник")
    assert search.search([replace(base, locations=(loc,))], "kopaonik")
    req = request()
    for f in ("ksf_ref", "requesting_unit", "point_of_contact", "description", "route",
              "recommendation", "withdraw_reason", "notes"):
        rec2 = replace(req, **{f: "Vežba Шар"})
        assert search.search([rec2], "вежба sar"), f
    assert not search.search([base, req], "вежба")


def test_every_word_must_match() -> None:
    rec = replace(notification(), units="", name="Вежба Копаоник", notes="")
    assert search.search([rec], "vezba kopaonik")
    assert not search.search([rec], "vezba jastrebac")
    assert search.terms("  Vežba   Копаоник ") == ("vezba", "kopaonik")
    assert search.search([rec], "") == [rec]



def _texts_by_definition(record: Record) -> Iterator[str]:
    """What the haystack holds, field by field (as the search text was first defined)."""
    yield record.register_no or ""
    if isinstance(record, ExerciseNotification):
        r = record
        yield from (r.name, r.sender_ref, r.received_by, r.units, r.weapon_systems,
                    r.air_assets or "", r.disseminated_to, r.cancel_reason, r.liaison_contact,
                    r.notes, r.channel.label, r.exercise_type.label, r.status.label)
    else:
        q = record
        yield from (q.ksf_ref, q.received_by, q.requesting_unit, q.point_of_contact,
                    q.description, q.route, q.air_assets or "", q.recommendation,
                    q.withdraw_reason, q.notes, q.purpose.label, q.status.label)
        yield from (m.value for m in q.municipalities)
        if q.decision is not None:
            d = q.decision
            yield from (d.authority, d.conditions, d.rationale, d.communicated_via)
    for loc in record.locations:
        yield loc.name
        yield loc.position or ""


_MIXED = st.text(alphabet=st.sampled_from(
    sorted(SERBIAN_TO_LATIN) + list("aZ ž\u0301\u030cЫэїßđΣς\u1100\u1161\uac00\u0345")))


@given(st.lists(_MIXED | st.text()))
def test_folding_each_text_is_folding_them_joined(parts: list[str]) -> None:
    # what haystack relies on: no letter or mark joins across a new line
    assert "\n".join(fold(p) for p in parts) == fold("\n".join(parts))


def test_haystack_is_the_fold_of_the_joined_texts() -> None:
    decided = request(municipalities=(Municipality.ZVECAN, Municipality.LEPOSAVIC),
                      description="Вежба на Копаонику", notes="Đakovica\nZvečan",
                      status=RequestStatus.GRANTED, decision=Decision(
                          "COM KFOR", NOW, "", "Ωμέγα ß", NOW, "JIC"))
    located = notification(name="Вежба Копаоник", units="3. brigada KoV", notes="Raška",
                           locations=(Location(name="Jarinje", lat=43.1, lon=20.8,
                                               position="34TDN4000050000"),
                                      Location(name="Рудница", lat=43.2, lon=20.7)))
    for r in (located, notification(register_no="SAF-2026-0042"), request(), decided):
        assert search.texts(r) == list(_texts_by_definition(r))
        assert search.haystack(r) == fold("\n".join(t for t in _texts_by_definition(r) if t))
