"""Weapon mentions: `find_weapons` spans and categories, and `categorize`."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stress import MEGABYTE, TIME_LIMIT, time_limit

from skytally.schema import WeaponCategory
from skytally.weapons import WeaponMatch, categorize, find_weapons

DRONE = WeaponCategory.DRONE
NAVAL = WeaponCategory.NAVAL_DRONE
MISSILE = WeaponCategory.MISSILE
BOMB = WeaponCategory.GUIDED_BOMB
AIRCRAFT = WeaponCategory.AIRCRAFT
UNKNOWN = WeaponCategory.UNKNOWN


def found(text: str) -> list[tuple[str, WeaponCategory]]:
    return [(text[m.start : m.end], m.category) for m in find_weapons(text)]


FOUND_CASES: list[tuple[str, list[tuple[str, WeaponCategory]]]] = [
    # the span leaves out the count, the owner and the nationality
    ("Air defences destroyed 98 Ukrainian drones overnight", [("drones", DRONE)]),
    ("Of 97 Shaheds launched, 57 were shot down", [("Shaheds", DRONE)]),
    ("12 enemy aircraft-type UAVs", [("aircraft-type UAVs", DRONE)]),
    ("the Ukrainian Armed Forces' fixed-wing drones", [("fixed-wing drones", DRONE)]),
    ("hostile Shahed-type attack UAVs", [("Shahed-type attack UAVs", DRONE)]),
    ("Iranian-made Shahed drones", [("Shahed drones", DRONE)]),
    ("Russian attack drones", [("attack drones", DRONE)]),
    ("kamikaze drones", [("kamikaze drones", DRONE)]),
    ("long-range drones", [("long-range drones", DRONE)]),
    ("decoy drones", [("decoy drones", DRONE)]),
    ("unmanned aerial vehicles", [("unmanned aerial vehicles", DRONE)]),
    ("an unmanned aerial vehicle", [("unmanned aerial vehicle", DRONE)]),
    ("aircraft-type unmanned aerial vehicles", [("aircraft-type unmanned aerial vehicles", DRONE)]),
    ("a Gerbera", [("Gerbera", DRONE)]),
    ("two Geran-2 drones", [("Geran-2 drones", DRONE)]),
    ("a Geran-2", [("Geran-2", DRONE)]),
    ("three Gerans", [("Gerans", DRONE)]),
    ("a Lancet", [("Lancet", DRONE)]),
    ("Lancet loitering munitions", [("Lancet loitering munitions", DRONE)]),
    ("12 barrage munitions", [("barrage munitions", DRONE)]),
    ("FPV drones", [("FPV drones", DRONE)]),
    ("a quadcopter", [("quadcopter", DRONE)]),
    ("unmanned aircraft", [("unmanned aircraft", DRONE)]),
    ("aerial vehicles", [("aerial vehicles", DRONE)]),
    ("Shahed type drones", [("Shahed type drones", DRONE)]),
    # naval drones
    ("uncrewed surface vessels", [("uncrewed surface vessels", NAVAL)]),
    ("unmanned surface vessels", [("unmanned surface vessels", NAVAL)]),
    ("naval drones", [("naval drones", NAVAL)]),
    ("sea drones", [("sea drones", NAVAL)]),
    ("unmanned boats", [("unmanned boats", NAVAL)]),
    ("boat drones", [("boat drones", NAVAL)]),
    ("drone boats", [("drone boats", NAVAL)]),
    ("USVs", [("USVs", NAVAL)]),
    ("Sea Baby naval drones", [("Sea Baby naval drones", NAVAL)]),
    ("the Black Sea Fleet destroyed 5 uncrewed boats", [("uncrewed boats", NAVAL)]),
    # missiles
    ("Kh-101 cruise missiles", [("Kh-101 cruise missiles", MISSILE)]),
    ("4 Iskander-M ballistic missiles", [("Iskander-M ballistic missiles", MISSILE)]),
    ("Storm Shadow cruise missiles", [("Storm Shadow cruise missiles", MISSILE)]),
    ("Storm Shadow/SCALP missiles", [("Storm Shadow/SCALP missiles", MISSILE)]),
    ("a Neptune missile", [("Neptune missile", MISSILE)]),
    ("a Kalibr", [("Kalibr", MISSILE)]),
    ("a Kinzhal", [("Kinzhal", MISSILE)]),
    (
        "Kh-47M2 Kinzhal aeroballistic missiles",
        [("Kh-47M2 Kinzhal aeroballistic missiles", MISSILE)],
    ),
    ("two ATACMS", [("ATACMS", MISSILE)]),
    ("six HIMARS rockets", [("HIMARS rockets", MISSILE)]),
    ("Vampire rockets", [("Vampire rockets", MISSILE)]),
    ("Tochka-U tactical missiles", [("Tochka-U tactical missiles", MISSILE)]),
    ("Kh-59/69 guided missiles", [("Kh-59/69 guided missiles", MISSILE)]),
    ("X-101 missiles", [("X-101 missiles", MISSILE)]),
    ("Zircon hypersonic missiles", [("Zircon hypersonic missiles", MISSILE)]),
    ("Flamingo cruise missiles", [("Flamingo cruise missiles", MISSILE)]),
    ("S-300 missiles", [("S-300 missiles", MISSILE)]),
    ("anti-aircraft guided missiles", [("anti-aircraft guided missiles", MISSILE)]),
    ("Kh-101s", [("Kh-101s", MISSILE)]),
    ("12 ballistic targets", [("ballistic targets", MISSILE)]),
    # guided bombs
    ("guided aerial bombs", [("guided aerial bombs", BOMB)]),
    ("glide bombs", [("glide bombs", BOMB)]),
    ("a KAB", [("KAB", BOMB)]),
    ("KAB-500 bombs", [("KAB-500 bombs", BOMB)]),
    ("a JDAM", [("JDAM", BOMB)]),
    ("Hammer guided bombs", [("Hammer guided bombs", BOMB)]),
    ("GBU-39 small diameter bombs", [("GBU-39 small diameter bombs", BOMB)]),
    ("dropped bombs on the city", [("bombs", BOMB)]),
    # aircraft
    ("a Su-34", [("Su-34", AIRCRAFT)]),
    ("a Su-34 fighter-bomber", [("Su-34 fighter-bomber", AIRCRAFT)]),
    ("MiG-31K fighter jets", [("MiG-31K fighter jets", AIRCRAFT)]),
    ("Tu-95MS strategic bombers", [("Tu-95MS strategic bombers", AIRCRAFT)]),
    ("an F-16", [("F-16", AIRCRAFT)]),
    ("a Mi-8 helicopter", [("Mi-8 helicopter", AIRCRAFT)]),
    ("an A-50 early warning aircraft", [("A-50 early warning aircraft", AIRCRAFT)]),
    ("jet fighters", [("jet fighters", AIRCRAFT)]),
    # unknown
    ("enemy aerial targets", [("aerial targets", UNKNOWN)]),
    ("3 air targets", [("air targets", UNKNOWN)]),
    ("unidentified flying objects", [("unidentified flying objects", UNKNOWN)]),
    ("150 means of air attack", [("means of air attack", UNKNOWN)]),
    # interceptors are weapons too (the corpus annotates them)
    ("interceptor drones", [("interceptor drones", DRONE)]),
    ("two Patriot missiles", [("Patriot missiles", MISSILE)]),
    ("an air defence missile", [("air defence missile", MISSILE)]),
    # coordinated kinds share one head noun
    ("539 Shahed and Gerbera drones", [("Shahed and Gerbera drones", DRONE)]),
    ("Shahed, Gerbera and other drones", [("Shahed, Gerbera and other drones", DRONE)]),
    ("cruise and ballistic missiles", [("cruise and ballistic missiles", MISSILE)]),
    ("23 JDAM and Hammer guided bombs", [("JDAM and Hammer guided bombs", BOMB)]),
    ("Magura and Sea Baby drones", [("Magura and Sea Baby drones", NAVAL)]),
    ("the Magura and Sea Baby", [("Magura", NAVAL), ("Sea Baby", NAVAL)]),
    (
        "drones of the Shahed, Gerbera and Italmas types",
        [("drones", DRONE), ("Shahed", DRONE), ("Gerbera", DRONE), ("Italmas", DRONE)],
    ),
    ("479 drones and decoys", [("drones", DRONE), ("decoys", DRONE)]),
    ("food, water and attack drones", [("attack drones", DRONE)]),
    # a kind or a name after the head
    (
        "18 unmanned aerial vehicles of the aircraft type",
        [("unmanned aerial vehicles of the aircraft type", DRONE)],
    ),
    ("UAVs of the aircraft type", [("UAVs of the aircraft type", DRONE)]),
    (
        "4 missiles Kh-59 and 24 drones Shahed",
        [("missiles Kh-59", MISSILE), ("drones Shahed", DRONE)],
    ),
    # more names and nouns
    ("a Neptune-MD cruise missile", [("Neptune-MD cruise missile", MISSILE)]),
    ("the Oreshnik", [("Oreshnik", MISSILE)]),
    ("Tomahawk missiles", [("Tomahawk missiles", MISSILE)]),
    ("38 drone aircraft", [("drone aircraft", DRONE)]),
    ("unmanned aerial systems", [("unmanned aerial systems", DRONE)]),
    ("27 imitators", [("imitators", DRONE)]),
    ("heavy multicopter drones", [("heavy multicopter drones", DRONE)]),
    ("8 HIMARS shells", [("HIMARS shells", MISSILE)]),
    # several in one sentence
    (
        "launched 4 Iskander-M ballistic missiles, 2 Kh-59/69 guided missiles and 30 KAB glide "
        "bombs from Su-34 jets",
        [
            ("Iskander-M ballistic missiles", MISSILE),
            ("Kh-59/69 guided missiles", MISSILE),
            ("KAB glide bombs", BOMB),
            ("Su-34 jets", AIRCRAFT),
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), FOUND_CASES)
def test_find_weapons(text: str, expected: list[tuple[str, WeaponCategory]]) -> None:
    assert found(text) == expected


NOT_WEAPONS = [
    # a weapon word modifying a non-weapon noun
    "a drone attack",
    "drone strikes",
    "drone debris fell on a house",
    "the drone industry",
    "a missile strike",
    "missile danger",
    "drone manufacturers",
    "drone production",
    "a combined missile and drone attack",
    "a Kh-101 missile strike",
    "F-16 pilots",
    "a bomb shelter",
    "missile boats",
    "rocket artillery",
    "the aircraft type",
    # counter-weapons and air defence
    "anti-drone guns",
    "counter-drone systems",
    "drone interceptors",
    "air defence systems",
    "S-400 systems",
    "an S-400 system",
    "the Strategic Missile Forces",
    # generic nouns without a kind word, launchers, others
    "military targets",
    "energy objects",
    "boats",
    "naval vessels",
    "Ukrainian fighters",
    "HIMARS",
    "a Grad",
    "a car bomb",
    "Russia bombs Kharkiv",
    "The Lancet reported",
    "the Black Sea drones",  # finds "drones" only
]


@pytest.mark.parametrize("text", NOT_WEAPONS)
def test_not_a_weapon(text: str) -> None:
    expected = [("drones", DRONE)] if text.endswith("Sea drones") else []
    assert found(text) == expected


CATEGORIZE_CASES: list[tuple[str, WeaponCategory]] = [
    ("drones", DRONE),
    ("Ukrainian drones", DRONE),
    ("aircraft-type UAVs", DRONE),
    ("naval drones", NAVAL),
    ("unmanned surface vehicles", NAVAL),
    ("Kh-101", MISSILE),
    ("S-300", MISSILE),
    ("bombs", BOMB),
    ("helicopter", AIRCRAFT),
    ("targets", UNKNOWN),
    ("aerial vehicles", DRONE),
    ("drone attack", DRONE),  # not a countable mention, but the kind is clear
    ("S-400 system", UNKNOWN),  # air defence hardware
    ("nothing here", UNKNOWN),
    ("", UNKNOWN),
]


@pytest.mark.parametrize(("phrase", "expected"), CATEGORIZE_CASES)
def test_categorize(phrase: str, expected: WeaponCategory) -> None:
    assert categorize(phrase) is expected


def test_match_is_a_frozen_record() -> None:
    match = find_weapons("six HIMARS rockets")[0]
    assert match == WeaponMatch(4, 18, MISSILE)
    with pytest.raises(AttributeError):
        match.start = 0  # type: ignore[misc]


# --- properties ---------------------------------------------------------------------------

VOCABULARY_TEXT = """
drone drones UAV UAVs Shahed Shaheds Shahed-type Shahed-136 Geran-2 Gerbera Lancet
attack strike kamikaze fixed-wing aircraft-type aircraft long-range decoy loitering
missile missiles cruise ballistic Kh-101 Iskander-M Storm Shadow SCALP HIMARS rockets
guided aerial bombs bomb glide KAB JDAM Hammer unmanned uncrewed surface vessels boats
naval sea Sea Black Su-34 MiG-31K fighter jets Tu-95MS bombers helicopters targets
objects vehicles means of air defence Patriot S-400 S-300 anti anti-drone debris
industry Forces systems type the a and Russian enemy 98 - / , . ( ) ' The
"""
VOCABULARY = VOCABULARY_TEXT.split()
SEPARATORS = [" ", " ", " ", "", "\n", "-", ",", ", ", "    ", "/"]
texts = st.one_of(
    st.text(max_size=200),
    st.lists(st.tuples(st.sampled_from(VOCABULARY), st.sampled_from(SEPARATORS)), max_size=30).map(
        lambda parts: "".join(word + sep for word, sep in parts)
    ),
)


def assert_well_formed(matches: list[WeaponMatch], text: str) -> None:
    previous_end = 0
    for match in matches:
        assert 0 <= previous_end <= match.start < match.end <= len(text)
        assert isinstance(match.category, WeaponCategory)
        previous_end = match.end


@settings(max_examples=400, deadline=None)
@given(texts)
def test_find_weapons_never_raises_and_spans_are_well_formed(text: str) -> None:
    assert_well_formed(find_weapons(text), text)


@settings(max_examples=200, deadline=None)
@given(texts)
def test_a_found_span_categorizes_alike(text: str) -> None:
    for match in find_weapons(text):
        assert categorize(text[match.start : match.end]) is match.category


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_categorize_never_raises(phrase: str) -> None:
    assert isinstance(categorize(phrase), WeaponCategory)


# --- size and speed -----------------------------------------------------------------------


PARAGRAPH = (
    "Air defences destroyed 98 Ukrainian drones overnight, including 12 aircraft-type UAVs "
    "over the Belgorod region, and four Kh-101 cruise missiles launched from Tu-95MS "
    "strategic bombers. A drone attack damaged a house; anti-drone teams collected debris. "
    "The governor said residents should stay in shelters until the all-clear was given. "
)


def test_a_megabyte_of_news_text() -> None:
    repeats = MEGABYTE // len(PARAGRAPH) + 1
    text = PARAGRAPH * repeats
    start = time.perf_counter()
    with time_limit(TIME_LIMIT):
        matches = find_weapons(text)
    elapsed = time.perf_counter() - start
    per_paragraph = found(PARAGRAPH)
    assert per_paragraph == [
        ("drones", DRONE),
        ("aircraft-type UAVs", DRONE),
        ("Kh-101 cruise missiles", MISSILE),
        ("Tu-95MS strategic bombers", AIRCRAFT),
    ]
    assert len(matches) == 4 * repeats
    assert elapsed < TIME_LIMIT


ADVERSARIAL = {
    "kind words without a head": "long-range attack kamikaze " * (MEGABYTE // 27),
    "heads everywhere": "drone " * (MEGABYTE // 6),
    "type words": "Shahed-136-type " * (MEGABYTE // 16),
    "whitespace": "attack" + " " * MEGABYTE + "drones",
    "hyphen chains": "Kh-" * (MEGABYTE // 3),
    "one long word": "a" * MEGABYTE,
    "rejected heads": "drone attack " * (MEGABYTE // 13),
}


@pytest.mark.parametrize("text", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_adversarial_megabyte_finishes(text: str) -> None:
    with time_limit(TIME_LIMIT):
        matches = find_weapons(text)
    assert_well_formed(matches, text)
